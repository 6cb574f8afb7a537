"""The pytest plugin users get (`summarizer.testing`), run in a pytest session of its own.

A user's test file in a temporary project records its cassette against the loopback
double (tests/fakeserver.py, a scripted server, not a model), then replays it with the
server gone, then fails by name when the recorded prompt no longer matches. Each session
runs in a process of its own: pytester's in-process runs unload what they imported, and
numpy cannot be imported twice in one process.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer._llm import client
from summarizer.testing import PROMPT_HEADER, cassette_path

from .fakeserver import MODEL, serve, well_behaved

pytest_plugins = ["pytester"]
PASSWORD = "s3cret-basic-pass"
API_KEY = "sk-live-0123456789abcdef"
USER_TESTS = """
import pytest
import summarizer

NOTE = "The library opens on Sundays from 5 April 2026. It costs $120,000 a year."


def test_note(summarizer_client):
    result = summarizer_client.summarize_text(NOTE)
    assert result.metadata.engine == "llm" and result.summary


@pytest.mark.summarizer_cassette("shared note")
def test_direct(tmp_path, summarizer_settings):
    path = tmp_path / "note.txt"
    path.write_text(NOTE, encoding="utf-8")
    result = summarizer.summarize(path, summarizer_settings)
    assert result.metadata.model == "{model}"


def test_offline_engine_needs_no_cassette():
    with summarizer.Summarizer(engine="extractive", cache=False) as client:
        assert client.summarize_text(NOTE).metadata.engine == "extractive"
"""


def user_project(pytester: pytest.Pytester, base_url: str) -> Path:
    pytester.makeini(f"[pytest]\nsummarizer_base_url = {base_url}\nsummarizer_model = {MODEL}\n")
    return pytester.makepyfile(test_user=USER_TESTS.format(model=MODEL))


@pytest.fixture
def endpoint_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The user's own settings: a key in the environment, and the mode forced (the double
    cannot pass a structured-output probe)."""
    monkeypatch.setenv("SUMMARIZER_API_KEY", API_KEY)
    monkeypatch.setenv("SUMMARIZER_MODE", "json_object")
    # The sessions run in a temporary folder: they import this tree, whatever is installed.
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).resolve().parent.parent))


def test_record_once_replay_offline_and_fail_by_name_on_a_changed_prompt(
    pytester: pytest.Pytester, endpoint_env: None
) -> None:
    with serve(well_behaved) as server:
        url = server.base_url.replace("://", f"://user:{PASSWORD}@")
        user_project(pytester, url)
        recorded = pytester.runpytest_subprocess("--summarizer-record")
        recorded.assert_outcomes(passed=3)
        calls = server.stats.requests
    assert calls >= 2
    cassettes = sorted(p.relative_to(pytester.path) for p in pytester.path.rglob("*.yaml"))
    assert cassettes == [
        Path("cassettes/test_user/shared-note.yaml"),
        Path("cassettes/test_user/test_note.yaml"),
    ], "one per test that talks to a model, named by the test or the marker"
    cassette = pytester.path / cassettes[1]
    text = cassette.read_text(encoding="utf-8")
    assert PASSWORD not in text and "user:***@127.0.0.1" in text
    assert API_KEY not in text and "authorization" not in text.lower()
    assert "$120,000" in text and "\\u" not in text, "UTF-8 YAML"

    replayed = pytester.runpytest_subprocess()  # the server is gone
    replayed.assert_outcomes(passed=3)

    assert "x-summarizer-prompt:\n      - chunk_notes@v" in text
    cassette.write_text(text.replace("- chunk_notes@v", "- chunk_notes@v0-old-"), encoding="utf-8")
    changed = pytester.runpytest_subprocess("-k", "test_note")
    changed.assert_outcomes(failed=1, deselected=2)
    changed.stdout.fnmatch_lines(
        [
            "*prompt changed since the cassette was recorded: cassette has 'chunk_notes@v0-old-*",
            "*summarizer cassette*",
            f"*{cassette}* (replayed); record it with pytest --summarizer-record*",
        ]
    )


def test_without_a_cassette_replay_refuses_to_call_out(
    pytester: pytest.Pytester, endpoint_env: None
) -> None:
    with serve(well_behaved) as server:
        user_project(pytester, server.base_url)
        result = pytester.runpytest_subprocess("-k", "test_note")
        calls = server.stats.requests
    assert calls == 0, "record mode none: nothing reaches the endpoint"
    result.assert_outcomes(failed=1, deselected=2)
    result.stdout.fnmatch_lines(["*missing: never recorded*--summarizer-record*"])


@pytest.mark.parametrize("case", ["a/b", "中文"])
def test_cassette_names_are_safe_file_names(request: pytest.FixtureRequest, case: str) -> None:
    path = cassette_path(request.node)
    assert path.parent == Path(__file__).parent / "cassettes" / "test_testing"
    assert path.name in (  # pytest writes an id's non-ASCII as \\u escapes
        "test_cassette_names_are_safe_file_names[a-b].yaml",
        "test_cassette_names_are_safe_file_names[-u4e2d-u6587].yaml",
    )


def test_the_header_is_the_one_the_client_sends() -> None:
    assert PROMPT_HEADER == client.PROMPT_HEADER
