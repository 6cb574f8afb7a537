"""The library's front door: what a Python user reaches for, as README shows it."""

from __future__ import annotations

import asyncio
import doctest
import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

import summarizer
from summarizer import _api
from summarizer._schemas import SCHEMA_VERSION
from summarizer.cli import main

from .conftest import EXAMPLES, ROOT


def readme_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, re.S)


def test_version_and_typed_marker() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", summarizer.__version__)
    assert (Path(summarizer.__file__).parent / "py.typed").is_file()


def test_all_lists_exactly_the_public_names() -> None:
    # pytest's assertion rewriting leaves "@py_builtins" on a plugin's package: no name.
    names = {n for n in dir(summarizer) if n.isidentifier()}
    public = {n for n in names if not n.startswith("_")} | {"__version__"}
    modules = {n for n in public if type(getattr(summarizer, n)).__name__ == "module"}
    assert set(summarizer.__all__) == public - modules - {"annotations"}
    assert all(hasattr(summarizer, n) for n in summarizer.__all__)
    assert modules <= {"cli", "testing"}, "internal modules are private: _name, never in __all__"


def test_every_model_a_result_holds_is_public() -> None:
    """A user who types a result's parts (its extraction, its entity mentions) imports them
    from `summarizer`, never from an internal module."""
    defs = summarizer.DocumentSummary.model_json_schema(mode="serialization")["$defs"]
    held = {name for name, schema in defs.items() if schema.get("type") == "object"}  # models
    assert {"Extraction", "CitedValue", "EntityMention", "EntityStats"} <= held
    assert held <= set(summarizer.__all__)


def test_docstring_examples_run() -> None:
    for module in (summarizer, _api):
        failed, attempted = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert attempted > 0 and failed == 0, module.__name__


def test_readme_async_example_over_three_files(monkeypatch: pytest.MonkeyPatch) -> None:
    block = next(b for b in readme_blocks() if "AsyncSummarizer" in b)
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {}
    exec(compile(block, "README.md", "exec"), namespace)
    results = namespace["results"]
    assert isinstance(results, list) and len(results) == 3
    assert [r.language for r in results] == ["en", "en", "zh-Hans"]
    assert all(isinstance(r, summarizer.DocumentSummary) for r in results)


def test_library_resolves_settings_as_the_cli_does(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('engine = "llm"\nmodel = "from-file"\n')
    monkeypatch.setenv("SUMMARIZER_CONFIG", str(config))
    monkeypatch.setenv("SUMMARIZER_MODEL", "from-env")
    assert summarizer.Summarizer().settings.model == "from-env"
    assert summarizer.Summarizer(model="from-flag").settings.model == "from-flag"
    explicit = summarizer.Settings(engine="extractive")
    assert summarizer.Summarizer(explicit).settings is explicit  # used as it is


def test_sync_calls_work_inside_a_running_event_loop() -> None:
    async def notebook_cell() -> str:
        return summarizer.summarize(EXAMPLES / "en_short_note.md", engine="extractive").language

    assert asyncio.run(notebook_cell()) == "en"


def test_summarizer_reuses_one_session_for_many_documents() -> None:
    with summarizer.Summarizer(engine="extractive", cache=False) as s:
        first = s.summarize(EXAMPLES / "en_short_note.md")
        session = s._async._session
        second = s.summarize_text("The council approved 140 garden plots for 2026. " * 3)
        assert s._async._session is session
    assert first.metadata.source.endswith("en_short_note.md")
    assert second.metadata.source == "<text>"


def test_errors_are_ours() -> None:
    with pytest.raises(summarizer.ConfigError, match="concurrency"):
        summarizer.Settings(concurrency=0)
    with pytest.raises(summarizer.DocumentNotFound):
        summarizer.summarize(EXAMPLES / "missing.txt")


def test_every_json_output_validates_against_the_published_schema(tmp_path: Path) -> None:
    runner = CliRunner()
    printed = runner.invoke(main, ["schema"])
    assert printed.exit_code == 0
    schema = json.loads(printed.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted(EXAMPLES.iterdir()):
        if not path.is_file():
            continue
        out = runner.invoke(main, ["summarize", str(path), "-f", "json", "-q", "--no-cache"])
        assert out.exit_code == 0, out.stderr
        data = json.loads(out.stdout)
        assert not list(validator.iter_errors(data)), path.name
        assert data["metadata"]["schema_version"] == SCHEMA_VERSION
    note = str(EXAMPLES / "en_short_note.md")
    bad = json.loads(runner.invoke(main, ["summarize", note, "-f", "json", "-q"]).stdout)
    bad["facts"] = "none"
    assert list(validator.iter_errors(bad)), "the schema is not a rubber stamp"


def test_an_offline_run_never_imports_the_model_client() -> None:
    """openai and instructor take most of a second to import; only a model run pays it."""
    code = (
        "import sys\n"
        "from summarizer.cli import main\n"
        f"main(['summarize', {str(EXAMPLES / 'en_short_note.md')!r}, '-q', '-f', 'json'],"
        " standalone_mode=False)\n"
        "print(sorted(m for m in ('openai', 'instructor') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "[]"
    import_only = "import sys, summarizer; print('openai' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", import_only], capture_output=True, text=True)
    assert done.stdout.strip() == "False"
