from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SEEDS = ROOT.parent / "shared" / "seeds"


def example_files() -> list[Path]:
    return sorted(p for p in EXAMPLES.iterdir() if p.is_file())


def seed_files() -> list[Path]:
    return sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []


@pytest.fixture
def console() -> Console:
    """A fixed-width console writing into memory, for rendering renderables in tests."""
    return Console(file=io.StringIO(), width=100, color_system=None, legacy_windows=False)


def rendered(console: Console) -> str:
    file = console.file
    assert isinstance(file, io.StringIO)
    return file.getvalue()


# --- cassettes --------------------------------------------------------------------------
# Recorded from a real server (../shared/tools/llm-server start qwen), replayed offline in
# record mode "none" (pytest-recording's default). Re-record them all with:
#   ../shared/tools/llm-server start qwen && python3 -m pytest -m cassette --record-mode=rewrite

import difflib  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
from typing import Any  # noqa: E402
from urllib.parse import urlsplit, urlunsplit  # noqa: E402

import yaml  # noqa: E402

CASSETTES = ROOT / "cassettes"
PROMPT_HEADER = "X-Summarizer-Prompt"
RERECORD = "python3 -m pytest -m cassette --record-mode=rewrite (with ../shared/tools/llm-server start qwen)"


class Utf8Yaml:
    """vcrpy's YAML, written as readable UTF-8 instead of escapes."""

    @staticmethod
    def deserialize(text: str) -> Any:
        from vcr.serializers import yamlserializer

        return yamlserializer.deserialize(text)

    @staticmethod
    def serialize(data: Any) -> str:
        from vcr.serializers import yamlserializer

        dumper = yamlserializer._CassetteDumper
        return str(yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1000))


def _header(request: Any, name: str) -> str | None:
    for key, value in request.headers.items():
        if key.lower() == name.lower():
            return str(value[0] if isinstance(value, list) else value)
    return None


def prompt_matcher(request: Any, recorded: Any) -> None:
    """A request made with a changed prompt names the prompt, not just a body diff."""
    now, then = _header(request, PROMPT_HEADER), _header(recorded, PROMPT_HEADER)
    if now != then:
        raise AssertionError(
            f"prompt changed since the cassette was recorded: cassette has {then!r}, "
            f"this request has {now!r}; re-record: {RERECORD}"
        )


def _body_lines(request: Any) -> list[str]:
    body = request.body or b""
    text = body.decode("utf-8") if isinstance(body, bytes) else str(body)
    try:
        return json.dumps(
            json.loads(text), indent=2, sort_keys=True, ensure_ascii=False
        ).splitlines()
    except ValueError:
        return text.splitlines()


def json_body_matcher(request: Any, recorded: Any) -> None:
    """Bodies compared as JSON; a mismatch shows a readable diff (schema, parameters, text)."""
    now, then = _body_lines(request), _body_lines(recorded)
    if now != then:
        diff = difflib.unified_diff(then, now, "cassette", "request", n=1, lineterm="")
        raise AssertionError("request body differs:\n" + "\n".join(list(diff)[:40]))


_HOME_PATH = re.compile(r"/(?:root|home/[^/\s\"']+)/")


def scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    """Server tracebacks in error bodies name the recording machine's paths: keep them out."""
    body = response.get("body", {}).get("string")
    if isinstance(body, bytes):  # keep the type vcrpy gave: replay expects bytes back
        response["body"]["string"] = _HOME_PATH.sub("~/", body.decode("utf-8", "replace")).encode(
            "utf-8"
        )
    elif isinstance(body, str):
        response["body"]["string"] = _HOME_PATH.sub("~/", body)
    return response


def scrub_request(request: Any) -> Any:
    """vcrpy records the whole URI, so a base URL's `user:password@` would be in the cassette.

    It also runs on each request before matching, so a URI without a password is left as is.
    """
    parts = urlsplit(request.uri)
    if parts.password is not None:
        user = f"{parts.username}:" if parts.username else ""
        host = parts.netloc.rsplit("@", 1)[1]
        request.uri = urlunsplit(parts._replace(netloc=f"{user}***@{host}"))
    return request


def pytest_recording_configure(config: Any, vcr: Any) -> None:
    vcr.register_serializer("yaml", Utf8Yaml)
    vcr.register_matcher("prompt", prompt_matcher)
    vcr.register_matcher("json_body", json_body_matcher)


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    return str(CASSETTES / request.module.__name__.rsplit(".", 1)[-1])


@pytest.fixture
def vcr_config() -> dict[str, Any]:
    return {
        "filter_headers": [
            "authorization",
            "api-key",
            "x-api-key",
            "openai-organization",
            "openai-project",
            "user-agent",
            "x-stainless-os",
            "x-stainless-arch",
            "x-stainless-runtime-version",
            "x-stainless-package-version",
            "x-stainless-runtime",
            "x-stainless-lang",
        ],
        "match_on": ["method", "scheme", "host", "port", "path", "query", "prompt", "json_body"],
        "decode_compressed_response": True,
        "before_record_request": scrub_request,
        "before_record_response": scrub_response,
    }


@pytest.fixture(autouse=True)
def _hermetic_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Tests see no settings from the machine: no model, key, config file or shared cache."""
    import os

    for name in list(os.environ):
        if name.startswith("SUMMARIZER_") or name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("SUMMARIZER_CONFIG", str(tmp_path_factory.getbasetemp() / "no-config.toml"))
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
