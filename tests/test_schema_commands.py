"""Your own fields through the CLI: --schema refused offline, bad SPECs in one line before any
work, `schemas save|list|show`, `schema --for`, and a run through the scripted double."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner, Result

from summarizer.cli import main

from .conftest import EXAMPLES
from .fakeserver import MODEL, Reply, serve

NOTE = EXAMPLES / "en_short_note.md"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"SUMMARIZER_SCHEMAS_DIR": str(tmp_path / "schemas")}


def invoke(runner: CliRunner, args: list[str], env: dict[str, str]) -> Result:
    return runner.invoke(main, args, env=env)


def one_error_line(result: Result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("summarizer: error: ")
    return lines[0]


def test_schema_without_a_model_is_refused_in_one_line(
    runner: CliRunner, env: dict[str, str]
) -> None:
    result = invoke(runner, ["summarize", str(NOTE), "--schema", "buyer, amount float"], env)
    assert result.exit_code == 2 and result.stdout == ""
    assert "--schema needs a model" in one_error_line(result)
    forced = invoke(
        runner, ["summarize", str(NOTE), "--schema", "buyer", "--engine", "extractive"], env
    )
    assert forced.exit_code == 2 and "--schema needs a model" in forced.stderr


def test_no_summary_needs_a_schema(runner: CliRunner, env: dict[str, str]) -> None:
    result = invoke(runner, ["summarize", str(NOTE), "--no-summary", "--model", MODEL], env)
    assert result.exit_code == 2
    assert "--no-summary needs --schema" in one_error_line(result)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("buyer, amount flot", "unknown type 'flot'"),
        ("missing.json", "missing.json: no such file"),
        ("no_such_module_xyz:Tender", "cannot import module 'no_such_module_xyz'"),
        ("tender@v3", "no saved schema 'tender'"),
    ],
)
def test_a_bad_spec_fails_before_any_request(
    runner: CliRunner, env: dict[str, str], spec: str, message: str
) -> None:
    # Port 9 (discard) answers nothing: a request would fail differently, and later.
    args = [
        "summarize",
        str(NOTE),
        "--schema",
        spec,
        "--model",
        MODEL,
        "--base-url",
        "http://127.0.0.1:9/v1",
    ]
    result = invoke(runner, args, env)
    assert result.exit_code == 2
    line = one_error_line(result)
    assert line.startswith("summarizer: error: schema: ") and message in line


def test_schemas_save_list_show_and_versions(
    runner: CliRunner, env: dict[str, str], tmp_path: Path
) -> None:
    empty = invoke(runner, ["schemas", "list"], env)
    assert empty.exit_code == 0 and "no saved schemas" in empty.stderr
    first = invoke(
        runner,
        ["schemas", "save", "tender", "buyer, amount float: total in yuan, deadline date"],
        env,
    )
    assert first.exit_code == 0, first.stderr
    assert (
        first.stdout.startswith("saved tender@v1 ")
        and "buyer str, amount float, deadline date" in first.stdout
    )
    same = invoke(
        runner,
        ["schemas", "save", "tender", "buyer,amount float: total in yuan,deadline date"],
        env,
    )
    assert same.stdout.startswith("unchanged, already saved as tender@v1")
    other = invoke(runner, ["schemas", "save", "tender", "buyer, amount int, deadline date"], env)
    assert other.stdout.startswith("saved tender@v2 ")
    assert sorted(p.name for p in (tmp_path / "schemas" / "tender").iterdir()) == [
        "v1.json",
        "v2.json",
    ]
    listed = invoke(runner, ["schemas", "list"], env)
    [line] = listed.stdout.splitlines()
    assert line.startswith("tender@v2") and line.endswith("buyer str, amount int, deadline date")
    shown = invoke(runner, ["schemas", "show", "tender@v1"], env)
    assert json.loads(shown.stdout)["properties"]["amount"] == {
        "type": "number",
        "description": "total in yuan",
    }
    assert "saved from: buyer, amount float" in shown.stderr


def test_a_saved_schema_can_be_saved_again_under_another_name(
    runner: CliRunner, env: dict[str, str]
) -> None:
    assert invoke(runner, ["schemas", "save", "tender", "buyer"], env).exit_code == 0
    copied = invoke(runner, ["schemas", "save", "tender-copy", "tender"], env)
    assert copied.stdout.startswith("saved tender-copy@v1 ") and copied.stdout.endswith(
        "buyer str\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["schemas", "save", "Tender", "buyer"], "cannot save as 'Tender'"),
        (["schemas", "save", "tender", "buyer flot"], "unknown type 'flot'"),
        (["schemas", "show", "nothing"], "no saved schema 'nothing'"),
        (["schema", "--for", "a {}"], "a has no fields"),
    ],
)
def test_schema_commands_fail_in_one_line(
    runner: CliRunner, env: dict[str, str], args: list[str], message: str
) -> None:
    result = invoke(runner, args, env)
    assert result.exit_code == 2 and message in one_error_line(result)


def test_schema_for_prints_the_result_schema_of_those_fields(
    runner: CliRunner, env: dict[str, str]
) -> None:
    plain = json.loads(invoke(runner, ["schema"], env).stdout)
    printed = invoke(runner, ["schema", "--for", "buyer, people list[name, role]"], env)
    assert printed.exit_code == 0, printed.stderr
    schema = json.loads(printed.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert set(plain["properties"]) == set(schema["properties"])
    fields = schema["$defs"]["Fields"]
    assert fields["required"] == ["buyer", "people"]
    assert fields["properties"]["people"]["type"] == "array"


@pytest.fixture
def saved_run(runner: CliRunner, env: dict[str, str], tmp_path: Path) -> Iterator[list[str]]:
    """A saved schema `note`, two documents in `docs/`, and the flags of a double to ask."""
    saved = invoke(runner, ["schemas", "save", "note", "topic, people list[name]"], env)
    assert saved.exit_code == 0, saved.stderr
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("a.txt", "b.txt"):
        text = "The council met on Monday.\nMaria Chen chaired the meeting.\n"
        (docs / name).write_text(text, encoding="utf-8")
    answer: dict[str, Any] = {"topic": {"value": None, "sentences": []}, "people": []}
    with serve(lambda request: Reply(content=json.dumps(answer))) as server:
        yield [
            "--base-url",
            server.base_url,
            "--model",
            MODEL,
            "--mode",
            "json_object",
            "--no-cache",
        ]


def test_summarize_with_a_saved_schema(
    runner: CliRunner, env: dict[str, str], tmp_path: Path, saved_run: list[str]
) -> None:
    doc = str(tmp_path / "docs" / "a.txt")
    args = ["summarize", doc, "--schema", "note", "--no-summary", "-f", "json", *saved_run]
    one = invoke(runner, args, env)
    assert one.exit_code == 0, one.stderr
    result = json.loads(one.stdout)
    spec = result["extraction"]["spec"]
    assert (spec["name"], spec["version"]) == ("schema:note", 1)
    empty: dict[str, Any] = {"value": None, "sentences": [], "spans": []}
    assert result["extraction"]["fields"] == {"topic": empty, "people": []}
    assert result["summary"] == ""
    assert [p["name"] for p in result["metadata"]["prompts"]] == ["extract", "schema:note"]


def test_a_batch_with_a_pinned_saved_schema(
    runner: CliRunner, env: dict[str, str], tmp_path: Path, saved_run: list[str]
) -> None:
    docs = str(tmp_path / "docs")
    batch = invoke(
        runner, ["summarize", docs, "--schema", "note@v1", "--no-summary", *saved_run], env
    )
    assert batch.exit_code == 0, batch.stderr
    records = [json.loads(line) for line in batch.stdout.splitlines()]
    assert len(records) == 2
    assert all(r["extraction"]["grounding"]["missing"] == 1 for r in records)
