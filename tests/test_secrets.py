"""API keys never reach output, errors, the cache or cassettes (scripted double, fakeserver.py)."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from summarizer.cli import main

from .conftest import CASSETTES
from .fakeserver import MODEL, Reply, document_of, endpoint_args, notes_for, serve, user_text

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


# --- a server that echoes the credentials it was sent --------------------------------------

SHORT_KEYS = ["sk-7abc", "abcdefg"]  # 7 characters: too short for a length cut-off
PASSWORD = "pa55-SECRET"
DOC = "The council approved 3 parks for $2.5 million.\n"


class Echo:
    """Answers every chat request with an error that quotes its Authorization header."""

    def __init__(self, status: int, pad: int) -> None:
        self.status = status
        self.pad = pad
        self.server: Any = None

    def __call__(self, request: dict[str, Any]) -> Reply:
        sent = self.server.headers[-1].get("authorization", "")  # logged before the script runs
        if sent.startswith("Basic "):
            sent += " (" + base64.b64decode(sent.split()[1]).decode() + ")"
        message = "." * self.pad + f"Incorrect API key provided: {sent}"
        return Reply(status=self.status, body=json.dumps({"error": {"message": message}}))


@contextmanager
def echoing(status: int, *, pad: int = 0, ollama: bool = False) -> Iterator[Any]:
    script = Echo(status, pad)
    with serve(script, ollama=ollama) as server:
        script.server = server
        yield server


def _quick_retries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text("backoff = 0.0\nmax_retries = 1\n")
    monkeypatch.setenv("SUMMARIZER_CONFIG", str(config))
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))


def _files_text(folder: Path) -> str:
    """Every byte of every file under `folder` (output, JSON Lines, the SQLite cache and WAL)."""
    return "\n".join(
        p.read_bytes().decode("utf-8", "replace") for p in sorted(folder.rglob("*")) if p.is_file()
    )


def _run(args: list[str]) -> Result:
    return CliRunner().invoke(main, args)


@pytest.mark.parametrize("status", [401, 503])
@pytest.mark.parametrize("key", [*SHORT_KEYS, KEY])
def test_an_echoed_key_is_blotted_out_of_the_error_line_and_the_debug_traceback(
    key: str, status: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _quick_retries(tmp_path, monkeypatch)
    monkeypatch.setenv("SUMMARIZER_API_KEY", key)
    document = tmp_path / "doc.txt"
    document.write_text(DOC)
    with echoing(status) as server:
        common = ["summarize", str(document), "-f", "json", *endpoint_args(server)]
        plain = _run(common)
        debug = _run([*common, "--debug"])
        sent = {h.get("authorization") for h in server.headers}
    assert sent == {f"Bearer {key}"}, "the key was sent, and echoed back"
    for result in (plain, debug):
        assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
        assert f"HTTP {status}" in result.stderr and "provided: Bearer ***" in result.stderr
        assert key not in result.stdout and key not in result.stderr
    assert plain.stderr.startswith("summarizer: error: ") and plain.stderr.count("\n") == 1
    assert "Traceback (most recent call last)" in debug.stderr
    assert debug.stderr.splitlines()[-1] == plain.stderr.strip()


def test_an_echoed_key_is_blotted_out_before_the_error_line_is_cut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _quick_retries(tmp_path, monkeypatch)
    monkeypatch.setenv("SUMMARIZER_API_KEY", KEY)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "doc.txt").write_text(DOC)
    out = tmp_path / "out.jsonl"
    # how openai words the error, up to the key: the 300-character cut falls inside the key
    before_key = "Error code: 401 - {'error': {'message': 'Incorrect API key provided: Bearer "
    with echoing(401, pad=300 - len(before_key) - len(KEY) // 2) as server:
        plain = _run(["summarize", str(folder / "doc.txt"), *endpoint_args(server)])
        batch = _run(["summarize", str(folder), "-o", str(out), *endpoint_args(server)])
    pieces = [KEY[i : i + 8] for i in range(len(KEY) - 7)]
    for text in (plain.stderr, batch.stderr, out.read_text()):
        assert "provided: Bearer ***" in text
        assert [p for p in pieces if p in text] == []


def test_a_password_echoed_by_ollamas_native_api_is_blotted_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _quick_retries(tmp_path, monkeypatch)
    document = tmp_path / "doc.txt"
    document.write_text(DOC)
    with echoing(401, ollama=True) as server:
        url = f"http://user:{PASSWORD}@127.0.0.1:{server.port}/v1"
        plain = _run(["summarize", str(document), "--base-url", url, "-m", MODEL])
        debug = _run(["summarize", str(document), "--base-url", url, "-m", MODEL, "--debug"])
        native = all("options" in r and "stream" in r for r in server.requests)
        sent = {h.get("authorization", "") for h in server.headers}
    assert native and len(sent) == 1 and sent.pop().startswith("Basic "), "to /api/chat"
    for result in (plain, debug):
        assert result.exit_code == 1 and "HTTP 401" in result.stderr
        assert "(user:***)" in result.stderr and PASSWORD not in result.stdout + result.stderr


@pytest.mark.parametrize("ending", ["\r", "\r\n", " \t"])
@pytest.mark.parametrize("key", [SHORT_KEYS[0], KEY])
def test_a_key_with_a_line_ending_from_a_dotenv_file_is_stripped_and_blotted_out(
    key: str, ending: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _quick_retries(tmp_path, monkeypatch)
    monkeypatch.setenv("SUMMARIZER_API_KEY", key + ending)
    document = tmp_path / "doc.txt"
    document.write_text(DOC)
    with echoing(401) as server:
        result = _run(["summarize", str(document), *endpoint_args(server)])
        doctor = _run(["doctor", *endpoint_args(server)[:4]])
        sent = [h.get("authorization") for h in server.headers]
    assert sent and set(sent) == {f"Bearer {key}"}, "sent without the line ending"
    assert result.exit_code == 1 and "provided: Bearer ***" in result.stderr
    assert doctor.exit_code == 1 and "***" in doctor.stdout
    for text in (result.stdout, result.stderr, doctor.stdout, doctor.stderr):
        assert key not in text


@pytest.mark.parametrize("key", [*SHORT_KEYS, KEY])
def test_batch_failure_records_hold_no_key(
    key: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _quick_retries(tmp_path, monkeypatch)
    monkeypatch.setenv("SUMMARIZER_API_KEY", key)
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(2):
        (folder / f"doc{n}.txt").write_text(f"DOC-{n}. {DOC}")
    out = tmp_path / "out.jsonl"
    with echoing(401) as server:
        result = _run(["summarize", str(folder), "-o", str(out), *endpoint_args(server)])
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert result.exit_code == 1 and len(records) == 2
    assert all("provided: Bearer ***" in r["error"] for r in records)
    assert key not in out.read_text() and key not in result.stdout and key not in result.stderr


def _answer_probes_and_notes(request: dict[str, Any]) -> Reply:
    """A server that enforces schemas: the probe, doctor's smoke test, then notes."""
    if "zq_probe_value" in json.dumps(request):
        return Reply(content='{"zq_probe_value": 1}')
    if "What is 2 + 3?" in user_text(request):
        return Reply(content='{"answer": 5}')
    return Reply(content=notes_for(request))


def test_a_password_in_the_base_url_authenticates_and_is_written_nowhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Probed (auto mode) so the endpoint is cached, on a server with a tokenizer (doctor)."""
    _quick_retries(tmp_path, monkeypatch)
    document = tmp_path / "doc.txt"
    document.write_text(DOC)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(f"DOC-A. {DOC}")
    out = tmp_path / "out"
    out.mkdir()
    with serve(_answer_probes_and_notes, tokenizer=True) as server:
        url = f"http://user:{PASSWORD}@127.0.0.1:{server.port}/v1"
        common = ["--base-url", url, "--model", MODEL]
        single = _run(["summarize", str(document), "-f", "json", *common])
        to_file = _run(["summarize", str(document), "-o", str(out / "result.json"), *common])
        batch = _run(["summarize", str(folder), "-o", str(out / "results.jsonl"), *common])
        doctor = _run(["doctor", *common])
        sent = [h.get("authorization") for h in server.headers]
        probes = sum("zq_probe_value" in json.dumps(r) for r in server.requests)
    basic = "Basic " + base64.b64encode(f"user:{PASSWORD}".encode()).decode()
    assert sent and set(sent) == {basic}, "httpx2 sends the URL's user and password as Basic auth"
    assert single.exit_code == 0, single.stderr
    assert json.loads(single.stdout)["metadata"]["endpoint"]["base_url"] == (
        f"http://user:***@127.0.0.1:{server.port}/v1"
    )
    assert to_file.exit_code == 0 and batch.exit_code == 0, to_file.stderr + batch.stderr
    assert doctor.exit_code == 0 and "server counts tokens" in doctor.stdout, doctor.stdout
    assert probes == 2, "probed once by the first run (then cached) and once by doctor"
    cache = _files_text(tmp_path / "cache")
    assert "llama-cpp-python" in cache and "tokenize" in cache, "the endpoint was cached"
    written = _files_text(out)
    assert "user:***@" in written
    texts = [single.stdout, single.stderr, to_file.stderr, batch.stderr, doctor.stdout, written]
    for text in [*texts, doctor.stderr, to_file.stdout, batch.stdout, cache]:
        assert PASSWORD not in text


def test_a_password_in_the_base_url_is_blotted_out_of_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _quick_retries(tmp_path, monkeypatch)
    document = tmp_path / "doc.txt"
    document.write_text(DOC)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(f"DOC-A. {DOC}")
    out = tmp_path / "out.jsonl"
    with echoing(401) as server:
        url = f"http://user:{PASSWORD}@127.0.0.1:{server.port}/v1"
        common = ["--base-url", url, "--model", MODEL, "--mode", "json_object"]
        plain = _run(["summarize", str(document), *common])
        debug = _run(["summarize", str(document), *common, "--debug"])
        batch = _run(["summarize", str(folder), "-o", str(out), *common])
        doctor = _run(["doctor", *common])
        probed = _run(["summarize", str(document), *common[:4]])  # refusals cached with the mode
    assert plain.exit_code == 1 and f"user:***@127.0.0.1:{server.port}" in plain.stderr
    assert "(user:***)" in plain.stderr, "the server echoed the password and it was blotted out"
    assert "Traceback" in debug.stderr and batch.exit_code == 1 and doctor.exit_code == 1
    for result in (plain, debug, batch, doctor, probed):
        assert PASSWORD not in result.stdout and PASSWORD not in result.stderr
    assert "(user:***)" in out.read_text() and PASSWORD not in out.read_text()
    cache = _files_text(tmp_path / "cache")
    assert '"mode": "md_json"' in cache and "(user:***)" in cache and PASSWORD not in cache


def test_an_endpoint_cached_with_its_url_is_found_again_and_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before the tokenizer path was relative, the cache held it as a URL with the password."""
    import sqlite3

    from summarizer._cache import Cache, key

    _quick_retries(tmp_path, monkeypatch)
    document = tmp_path / "doc.txt"
    document.write_text(DOC)
    path = tmp_path / "cache" / "cache.sqlite3"
    with serve(_answer_probes_and_notes, tokenizer=True) as server:
        url = f"http://user:{PASSWORD}@127.0.0.1:{server.port}/v1"
        legacy = {
            "kind": "llama-cpp-python",
            "tokenize_path": f"http://user:{PASSWORD}@127.0.0.1:{server.port}/extras/tokenize",
            "tokenize_field": "input",
        }
        cache = Cache(path)
        cache.put(
            key(kind="endpoint", base_url=url, model=MODEL),
            "endpoint",
            {"endpoint": legacy, "mode": "json_object"},
        )
        cache.close()
        result = _run(["summarize", str(document), "-f", "json", "--base-url", url, "-m", MODEL])
        probes = sum("zq_probe_value" in json.dumps(r) for r in server.requests)
    assert result.exit_code == 0, result.stderr
    assert probes == 1 and json.loads(result.stdout)["metadata"]["mode"] == "json_schema"
    with sqlite3.connect(path) as db:
        values = [v for (v,) in db.execute("SELECT value FROM entries WHERE kind = 'endpoint'")]
    assert len(values) == 1 and PASSWORD not in values[0]
    assert json.loads(values[0])["endpoint"]["tokenize_path"] == "extras/tokenize"


def test_the_cached_endpoint_keeps_the_tokenizer_path_relative_to_the_server() -> None:
    from summarizer._llm.endpoint import EndpointInfo, tokenize_url

    info = EndpointInfo(kind="llama-server", tokenize_path="tokenize")
    assert tokenize_url("http://u:pw@host:8080/v1", info) == "http://u:pw@host:8080/tokenize"
    assert tokenize_url("http://host/proxy/v1/", info) == "http://host/proxy/tokenize"
    assert tokenize_url("http://host/v1", EndpointInfo()) is None


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("http://user:pw@127.0.0.1:8080/v1/models", "http://user:***@127.0.0.1:8080/v1/models"),
        ("http://:pw@host/v1?x=1", "http://***@host/v1?x=1"),
        ("http://127.0.0.1:8080/v1/chat/completions", "http://127.0.0.1:8080/v1/chat/completions"),
        ("http://user@host/v1", "http://user@host/v1"),
    ],
)
def test_the_cassette_scrub_takes_the_password_out_of_the_recorded_uri(
    url: str, shown: str
) -> None:
    from vcr.request import Request

    from .conftest import scrub_request

    scrubbed = scrub_request(Request("POST", url, b"{}", {}))
    assert scrubbed is not None and scrubbed.uri == shown


def test_a_recorded_cassette_holds_no_password_or_key(
    tmp_path: Path, vcr_config: dict[str, Any]
) -> None:
    import httpx2
    import vcr

    recorder = vcr.VCR(**{k: v for k, v in vcr_config.items() if k != "match_on"})
    cassette = tmp_path / "recorded.yaml"
    with serve(_answer_probes_and_notes) as server:
        url = f"http://user:{PASSWORD}@127.0.0.1:{server.port}/v1/models"
        with recorder.use_cassette(str(cassette), record_mode="all"):
            answer = httpx2.get(url, headers={"Authorization": f"Bearer {KEY}"})
    assert answer.status_code == 200
    text = cassette.read_text()
    assert f"user:***@127.0.0.1:{server.port}/v1/models" in text
    assert PASSWORD not in text and KEY not in text and "Basic" not in text


@pytest.mark.parametrize(
    ("url", "shown", "password"),
    [
        ("http://user:pw@host:8080/v1", "http://user:***@host:8080/v1", "pw"),
        ("http://u:p@ss@host/v1", "http://u:***@host/v1", "p@ss"),
        ("http://u:pw@[::1]:8080/v1", "http://u:***@[::1]:8080/v1", "pw"),
        ("http://u:pw@host:port/v1", "http://u:***@host:port/v1", "pw"),  # a bad port
        ("http://u:pw@[::1/v1", "http://***@[::1/v1", "pw"),  # urlsplit refuses it
        ("http://host:8080/v1", "http://host:8080/v1", None),
        ("http://user@host/v1?next=http://a:b@c", "http://user@host/v1?next=http://a:b@c", None),
    ],
)
def test_safe_url_and_url_password(url: str, shown: str, password: str | None) -> None:
    from summarizer._redaction import safe_url, url_password

    assert safe_url(url) == shown and url_password(url) == password


def test_the_redactor_blots_out_secrets_of_any_length() -> None:
    from summarizer._redaction import PLACEHOLDER_KEY, Redactor

    redact = Redactor(["sk-7abc\r\n", "x", None, "", PLACEHOLDER_KEY, "p%40ss"])
    assert redact("key sk-7abc, x marks, p%40ss sent as p@ss") == (
        "key ***, *** marks, *** sent as ***"
    )
    assert redact(f"with {PLACEHOLDER_KEY}") == f"with {PLACEHOLDER_KEY}"
    longest_first = Redactor(["abc", "abcdef"])
    assert longest_first("abcdef") == "***"
    assert not Redactor([None, " \r\n"])
