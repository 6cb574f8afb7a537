from __future__ import annotations

import io
import os
from pathlib import Path

import hypothesis
import pytest
from click.testing import CliRunner
from rich.console import Console

from summarizer import Settings

# In CI the property tests draw the same examples on every run, so a submission never fails
# on an example no earlier run met; locally they keep exploring. A failure found here is
# kept as an explicit @hypothesis.example beside its test.
hypothesis.settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    hypothesis.settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SEEDS = ROOT.parent / "shared" / "seeds"


def example_files() -> list[Path]:
    return sorted(p for p in EXAMPLES.iterdir() if p.is_file())


def seed_files() -> list[Path]:
    return sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []


def recorded(tmp_path: Path, base_url: str, model: str, **values: object) -> Settings:
    """Settings for replaying cassettes recorded from a real server: its address and model,
    a placeholder key, the test's own cache, no backoff, and a timeout long enough for a
    shared machine at recording time (a slow answer is not a dead server)."""
    return Settings.model_validate(
        {
            "base_url": base_url,
            "model": model,
            "api_key": "sk-test-not-a-secret",
            "cache_dir": tmp_path / "cache",
            "backoff": 0.0,
            "concurrency": 2,
            "timeout": 1800.0,
            **values,
        }
    )


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

from typing import Any  # noqa: E402

from summarizer.testing import (  # noqa: E402  the plugin users get: the same matching
    FILTERED_HEADERS,
    MATCH_ON,
    Utf8Yaml,
    json_body_matcher,
    make_prompt_matcher,
    scrub_request,
    scrub_response,
)

CASSETTES = ROOT / "cassettes"
RERECORD = "python3 -m pytest -m cassette --record-mode=rewrite (with ../shared/tools/llm-server start qwen)"
__all__ = ["scrub_request"]  # imported from here by tests/test_secrets.py (mypy: re-exported)


def pytest_recording_configure(config: Any, vcr: Any) -> None:
    vcr.register_serializer("yaml", Utf8Yaml)
    vcr.register_matcher("prompt", make_prompt_matcher(RERECORD))
    vcr.register_matcher("json_body", json_body_matcher)


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    return str(CASSETTES / request.module.__name__.rsplit(".", 1)[-1])


@pytest.fixture
def vcr_config() -> dict[str, Any]:
    return {
        "filter_headers": FILTERED_HEADERS,
        "match_on": MATCH_ON,
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


@pytest.fixture
def runner() -> CliRunner:
    """The CLI in-process; `_hermetic_settings` keeps the machine's settings out of it."""
    return CliRunner()
