"""API keys never reach output, errors, the cache or cassettes (scripted double, fakeserver.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from summarizer.cli import main

from .conftest import CASSETTES
from .fakeserver import MODEL, Reply, document_of, notes_for, serve

KEY = "sk-test-SECRET-0123456789abcdefABCDEF"


def test_a_known_fake_key_appears_nowhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text("backoff = 0.0\nmax_retries = 1\n")
    monkeypatch.setenv("SUMMARIZER_CONFIG", str(config))
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SUMMARIZER_API_KEY", KEY)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("DOC-0. The council approved 3 parks for $2.5 million.\n")
    (folder / "bad.txt").write_text("DOC-1. The council approved 4 parks for $3.5 million.\n")

    def script(request: dict[str, Any]) -> Reply:
        if "DOC-1" in document_of(request):  # a server that echoes the key in its error
            return Reply(
                status=401,
                body=json.dumps({"error": {"message": f"Incorrect API key provided: {KEY}"}}),
            )
        return Reply(content=notes_for(request))

    runner = CliRunner()
    outputs: list[str] = []
    with serve(script) as server:
        common = ["--base-url", server.base_url, "--model", MODEL, "--mode", "json_object"]
        batch = runner.invoke(
            main, ["summarize", str(folder), "-o", str(tmp_path / "out.jsonl"), *common]
        )
        single = runner.invoke(
            main, ["summarize", str(folder / "bad.txt"), "-f", "json", *common, "--debug"]
        )
        doctor = runner.invoke(main, ["doctor", *common])
        sent = [h.get("authorization") for h in server.headers]
    outputs += [
        batch.stdout,
        batch.stderr,
        single.stdout,
        single.stderr,
        doctor.stdout,
        doctor.stderr,
    ]
    outputs += [str(single.exception or ""), repr(single.exception)]
    assert f"Bearer {KEY}" in sent, "the key was used"
    assert batch.exit_code == 1 and "***" in batch.stderr
    for path in [*tmp_path.rglob("*"), *CASSETTES.rglob("*")]:
        if path.is_file():
            outputs.append(path.read_bytes().decode("utf-8", "replace"))
    leaks = [o[:200] for o in outputs if KEY in o]
    assert leaks == []


def test_cassettes_carry_no_credentials() -> None:
    for path in CASSETTES.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8").lower()
        assert "authorization" not in text and "api-key" not in text and "bearer" not in text


def test_settings_do_not_print_the_key(tmp_path: Path) -> None:
    from summarizer._config import resolve

    settings = resolve({}, environ={"SUMMARIZER_API_KEY": KEY}, path=tmp_path / "none.toml")
    assert settings.api_key is not None and settings.api_key.get_secret_value() == KEY
    assert (
        KEY not in repr(settings)
        and KEY not in str(settings)
        and KEY not in settings.model_dump_json()
    )
