from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from summarizer.cli import main

from .conftest import EXAMPLES

ZH = EXAMPLES / "zh_hans_county_news.txt"


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    # No model and no user config may leak in from the machine running the tests.
    for name in (
        "SUMMARIZER_BASE_URL",
        "SUMMARIZER_MODEL",
        "SUMMARIZER_API_KEY",
        "OPENAI_BASE_URL",
        "OPENAI_API_KEY",
        "SUMMARIZER_ENGINE",
        "SUMMARIZER_PROFILE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SUMMARIZER_CONFIG", str(tmp_path / "no-config.toml"))
    return CliRunner()


def test_rich_panel_by_default(runner: CliRunner) -> None:
    result = runner.invoke(main, ["summarize", str(ZH)])
    assert result.exit_code == 0, result.output
    assert "青岚县" in result.stdout and "Key points" in result.stdout
    assert result.stderr.count("\n") == 1 and "--base-url" in result.stderr


def test_json_to_stdout_is_pure_json(runner: CliRunner) -> None:
    result = runner.invoke(main, ["summarize", str(ZH), "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["language"] == "zh-Hans" and data["metadata"]["engine"] == "extractive"


def test_quiet_silences_the_notice(runner: CliRunner) -> None:
    result = runner.invoke(main, ["summarize", str(ZH), "-q", "-f", "markdown"])
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.startswith("# ")


def test_stdin(runner: CliRunner) -> None:
    result = runner.invoke(main, ["summarize", "-", "-f", "json"], input=ZH.read_bytes())
    assert result.exit_code == 0
    assert json.loads(result.stdout)["metadata"]["source"] == "<stdin>"


def test_output_file_and_format_from_suffix(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    result = runner.invoke(main, ["summarize", str(ZH), "-o", str(out)])
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["title"]
    md = tmp_path / "result.md"
    assert runner.invoke(main, ["summarize", str(ZH), "-o", str(md)]).exit_code == 0
    assert md.read_text(encoding="utf-8").startswith("# ")


def test_refuses_to_overwrite_the_input(runner: CliRunner, tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_bytes(ZH.read_bytes())
    result = runner.invoke(main, ["summarize", str(doc), "-o", str(doc)])
    assert result.exit_code != 0
    assert "refusing to overwrite" in result.stderr
    assert doc.read_bytes() == ZH.read_bytes()


def test_unwritable_output_keeps_one_line(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        main, ["summarize", str(ZH), "-o", str(tmp_path / "missing" / "out.json")]
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("summarizer: error: ") and result.stderr.count("\n") == 1


def bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 4)
    chrome = tmp_path / "chrome.txt"
    chrome.write_text("编辑推荐\n扫码关注我们\n", encoding="utf-8")
    return {
        "missing": (tmp_path / "nope.txt", "no such file"),
        "directory": (tmp_path, "is a directory"),
        "empty": (empty, "file is empty"),
        "binary": (binary, "binary file"),
        "only chrome": (chrome, "nothing left"),
    }


@pytest.mark.parametrize("case", ["missing", "directory", "empty", "binary", "only chrome"])
def test_bad_input_is_one_line_exit_2(runner: CliRunner, tmp_path: Path, case: str) -> None:
    path, message = bad_inputs(tmp_path)[case]
    result = runner.invoke(main, ["summarize", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"summarizer: error: {path}: ")
    assert message in result.stderr


def test_python_dash_m_without_traceback(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "summarizer", "summarize", str(tmp_path / "nope.txt")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip() == f"summarizer: error: {tmp_path / 'nope.txt'}: no such file"
