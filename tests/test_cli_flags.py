"""Config files, flags and settings a user gets wrong: one line on stderr, exit 2, no work.

And messages that point the right way: `--lang` offline says it needs a model, and
`doctor` against OpenAI without a key says the key is missing without trying to connect.
"""

from __future__ import annotations

import json
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from summarizer.cli import main

ZH = (
    "青岚县新建三十二个养老服务站\n"
    "青岚县今年投入资金2.3亿元，在全县12个乡镇建成32个养老服务站，服务半径不超过8公里。"
    "县民政局局长王立平表示，服务站将于6月底前全部投入使用，预计惠及老人1.8万人。"
    "据介绍，每个服务站配备至少3名护理人员，并提供助餐、助浴和日间照料服务。\n"
)
EN = (
    "Riverside library reopens.\nThe city reopened the Riverside library on March 3, 2026, "
    "after a $4.2 million renovation. Visits rose 35% in the first week, the library said.\n"
)


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    path = tmp_path / "note.txt"
    path.write_text(EN, encoding="utf-8")
    return path


def summarize(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["summarize", *map(str, args)])


def one_line(result: Result, *words: str) -> str:
    """Exit 2, nothing on stdout, and one `summarizer: error:` line holding every word."""
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("summarizer: error: ")
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


# --- 7. config files ----------------------------------------------------------------------------


def test_a_profile_that_is_not_a_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, doc: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[profiles]\nx = 3\n")
    monkeypatch.setenv("SUMMARIZER_CONFIG", str(config))
    one_line(summarize(doc, "--profile", "x"), "x")


def test_a_config_path_that_is_a_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, doc: Path
) -> None:
    folder = tmp_path / "config.d"
    folder.mkdir()
    monkeypatch.setenv("SUMMARIZER_CONFIG", str(folder))
    one_line(summarize(doc), str(folder))


# --- 7. flags -----------------------------------------------------------------------------------


@pytest.mark.parametrize("pin", ["nonexistent@v9", "chunk_notes@v9"])
@pytest.mark.parametrize("batch", [False, True], ids=["one", "batch"])
def test_an_unknown_prompt_is_refused_before_any_work(
    tmp_path: Path, doc: Path, pin: str, batch: bool
) -> None:
    out = tmp_path / ("out.jsonl" if batch else "out.json")
    inputs = [doc, doc.parent] if batch else [doc]
    one_line(summarize(*inputs, "--prompt", pin, "-o", out), pin.split("@")[0])
    assert not out.exists()


def test_engine_llm_without_a_model(doc: Path) -> None:
    one_line(summarize(doc, "--engine", "llm"), "--model")


@pytest.mark.parametrize(
    "flags, word",
    [
        (["--formatt", "json"], "--formatt"),
        (["--format", "jsn"], "jsn"),
        (["--concurrency", "many"], "many"),
    ],
    ids=["mistyped flag", "bad choice", "bad number"],
)
def test_a_usage_error_is_one_line(doc: Path, flags: list[str], word: str) -> None:
    one_line(summarize(doc, *flags), word)


def test_a_missing_file_is_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    one_line(summarize(missing), str(missing), "no such file")
    through_a_file = tmp_path / "plain.txt"
    through_a_file.write_text(EN)
    one_line(summarize(through_a_file / "x.txt"), str(through_a_file / "x.txt"))


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_an_unreadable_file_is_one_line(doc: Path) -> None:
    doc.chmod(0)
    one_line(summarize(doc), str(doc))


def test_an_output_suffix_we_cannot_write_is_refused(tmp_path: Path, doc: Path) -> None:
    before = sorted(p.name for p in tmp_path.iterdir())
    one_line(summarize(doc, "-o", tmp_path / "r.docx"), "r.docx", "cannot tell the format")
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_an_empty_folder_is_one_line_and_nothing_on_stdout(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    one_line(summarize(empty), str(empty))


def test_lang_offline_says_it_needs_a_model(tmp_path: Path) -> None:
    path = tmp_path / "zh.txt"
    path.write_text(ZH, encoding="utf-8")
    result = summarize(path, "--lang", "en", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["language"] == "zh-Hans"
    about_lang = [line for line in result.stderr.splitlines() if "--lang" in line]
    assert len(about_lang) == 1 and "model" in about_lang[0], result.stderr


# --- 9. doctor without a key ----------------------------------------------------------------------


WIDE = {"COLUMNS": "250"}  # so the table keeps each cell on one line


@pytest.fixture
def proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """A loopback proxy for every HTTP(S) request, recording who connects and hanging up."""
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    connections: list[object] = []

    done = threading.Event()

    def accept() -> None:
        while True:
            conn, peer = server.accept()
            conn.close()
            if done.is_set():
                return
            connections.append(peer)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "https_proxy", "http_proxy"):
        monkeypatch.setenv(name, f"http://127.0.0.1:{port}")
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    yield connections
    done.set()
    socket.create_connection(("127.0.0.1", port)).close()  # wakes the accept to end it
    thread.join(timeout=5)
    server.close()


def test_doctor_without_a_key_for_openai_says_so_without_connecting(
    proxy: list[object],
) -> None:
    result = CliRunner().invoke(main, ["doctor", "--model", "gpt-4.1-mini"], env=WIDE)
    assert result.exit_code == 1
    shown = " ".join(result.stdout.split())
    assert "no API key" in shown and "OPENAI_API_KEY" in shown, result.stdout
    assert "/models" not in shown  # no "no answer", which points at the server
    assert proxy == [], "doctor connected before saying the key is missing"


def test_doctor_with_another_base_url_still_connects(proxy: list[object]) -> None:
    """The key check is for OpenAI's API only: a local server needs no key."""
    result = CliRunner().invoke(
        main, ["doctor", "--model", "m", "--base-url", "http://192.0.2.1:9/v1"], env=WIDE
    )
    assert result.exit_code == 1
    shown = " ".join(result.stdout.split())
    assert "API key" not in shown and "no answer from /models" in shown, result.stdout
    assert len(proxy) >= 1  # it went through the proxy, not out to the network


@pytest.mark.parametrize(
    ("flags", "asked"),
    [([], "sentences that state"), (["--paraphrased-facts"], "in your own words")],
)
def test_facts_flags_reach_the_notes_prompt(doc: Path, flags: list[str], asked: str) -> None:
    from .fakeserver import Reply, endpoint_args, serve, user_text

    def cites(request: dict[str, Any]) -> Reply:
        claim = {"text": "The city reopened the Riverside library.", "sentences": [2]}
        fact: dict[str, Any] = {"sentences": [2], "category": "event"}
        if "in your own words" in user_text(request):
            fact["statement"] = "Riverside library reopened on March 3, 2026."
        answer = {"summary": [claim], "key_points": [claim], "facts": [fact]}
        names: dict[str, list[str]] = {"people": [], "organizations": [], "places": []}
        return Reply(content=json.dumps({**answer, "entities": names}))

    with serve(cites) as server:
        pins = ["--prompt", "chunk_notes@v2"]  # the citing prompts, whose facts the flags shape
        args = ["summarize", str(doc), *endpoint_args(server), *pins, *flags, "-f", "json"]
        result = CliRunner().invoke(main, args)
        notes = [user_text(r) for r in server.requests if "<document>" in user_text(r)]
    assert result.exit_code == 0, result.output
    assert notes and all(asked in n for n in notes)
    (fact,) = json.loads(result.stdout)["facts"]
    assert fact["evidence"].startswith("The city reopened")  # the cited sentence, exactly
    assert (fact["statement"] == fact["evidence"]) is (flags == [])
