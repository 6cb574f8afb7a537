"""Careless and hostile input through the CLI: broken UTF-8, formats we do not read, noise."""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from summarizer.cli import main

ZH = "青岚县今年投入资金2.3亿元，建成32个服务站，覆盖率达到92%。村民说：“现在寄快递方便多了。”\n"
EN = "The council approved a $48.6 million budget on March 3, 2026, by a vote of 5 to 2.\n"
SUPPORTED = "summarizer reads .txt, .md, .html and .pdf"


def summarize_json(runner: CliRunner, path: Path) -> dict[str, object]:
    result = runner.invoke(main, ["summarize", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def assert_one_line_exit_2(
    runner: CliRunner, args: list[str], expected: str, stdin: bytes | None = None
) -> None:
    result = runner.invoke(main, args, input=stdin)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr == f"summarizer: error: {expected}\n"


# --- 1. UTF-8 with a few broken bytes -----------------------------------------------------


def test_a_stray_latin1_byte_does_not_garble_the_article(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "stray.txt"
    path.write_bytes((ZH * 4).encode() + b"Lunch at the caf\xe9 is free.\n" + (EN * 3).encode())
    data = summarize_json(runner, path)
    out = json.dumps(data, ensure_ascii=False)
    assert "青岚县" in out and "服务站" in out
    metadata = data["metadata"]
    assert isinstance(metadata, dict) and metadata["document"]["encoding"] == "utf-8"


def test_a_truncated_download_is_summarized(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "cut.txt"
    path.write_bytes((ZH * 4).encode()[:-2])  # cut inside the closing quote mark
    assert "青岚县" in json.dumps(summarize_json(runner, path), ensure_ascii=False)


# --- 2. formats we do not read --------------------------------------------------------------


def docx() -> bytes:
    """A Word file as Word writes it: deflated XML parts in a zip."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        archive.writestr(
            "word/document.xml",
            "<w:document><w:body>"
            + f"<w:p><w:r><w:t>{EN}</w:t></w:r></w:p>" * 40
            + "</w:body></w:document>",
        )
    return buf.getvalue()


FILES = {
    "report.docx": (docx(), "a Word document (zip)"),
    "notes.txt.gz": (gzip.compress((EN * 40).encode()), "a gzip archive"),
    "scan.png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "a PNG image"),
    "old.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "an old Microsoft Office file"),
}


@pytest.mark.parametrize("name", sorted(FILES))
def test_a_format_we_do_not_read_is_refused_by_name(
    runner: CliRunner, tmp_path: Path, name: str
) -> None:
    data, kind = FILES[name]
    path = tmp_path / name
    path.write_bytes(data)
    assert_one_line_exit_2(
        runner, ["summarize", str(path)], f"{path}: binary file, {kind}; {SUPPORTED}"
    )


def test_a_docx_on_stdin_is_refused_too(runner: CliRunner) -> None:
    assert_one_line_exit_2(
        runner,
        ["summarize", "-", "-f", "json"],
        f"<stdin>: binary file, a Word document (zip); {SUPPORTED}",
        stdin=docx(),
    )


# --- 3. nothing worth summarizing -----------------------------------------------------------

NOISE = {
    "punctuation.txt": "!!! ??? ... --- *** ,,, ;;; ::: ### @@@ 。。。 ！！！\n" * 10,
    "emoji.txt": "😀😃😄😁 🎉🎉🎉 👍👍 ❤️❤️ 🔥🔥🔥\n" * 10,
    "numbers.txt": "1 2 3 4 5 6 7 8 9 10\n2025 2026 3.14\n" * 10,
    "nav.html": (
        '<!DOCTYPE html><html><head><title>Acme</title></head><body><nav><a href="/">Home</a>'
        ' | <a href="/about">About</a> | <a href="/contact">Contact</a></nav><p><a href="/">Home'
        '</a> | <a href="/about">About</a> | <a href="/contact">Contact</a></p></body></html>'
    ),
}


@pytest.mark.parametrize("name", sorted(NOISE))
def test_noise_only_is_nothing_left(runner: CliRunner, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(NOISE[name], encoding="utf-8")
    assert_one_line_exit_2(
        runner, ["summarize", str(path)], f"{path}: nothing left after removing page noise"
    )


@pytest.mark.parametrize(
    "note",
    [
        "Meeting moved to 3pm on Friday. Bring the budget draft.\n",
        "明天上午九点开会。请带上预算草案。\n",
    ],
)
def test_a_short_real_note_is_still_summarized(
    runner: CliRunner, tmp_path: Path, note: str
) -> None:
    path = tmp_path / "note.txt"
    path.write_text(note, encoding="utf-8")
    data = summarize_json(runner, path)
    assert data["summary"]


# --- piped input without "-" --------------------------------------------------------------


def run_summarize(
    stdin: int | None, data: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    """A real child process: only a real pipe or terminal on fd 0 shows what `isatty` says."""
    command = [sys.executable, "-m", "summarizer", "summarize", "--format", "json"]
    if data is not None:
        return subprocess.run(command, input=data, capture_output=True, check=False)
    return subprocess.run(command, stdin=stdin, capture_output=True, check=False)


def test_a_pipe_on_stdin_is_read_without_a_dash() -> None:
    proc = run_summarize(None, ZH.encode("utf-8"))
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["metadata"]["source"] == "<stdin>"
    assert result["facts"] and all(fact["evidence"] in ZH for fact in result["facts"])


def test_a_terminal_on_stdin_and_no_path_is_one_line_exit_2() -> None:
    leader, follower = os.openpty()
    try:
        proc = run_summarize(follower)
    finally:
        os.close(follower)
        os.close(leader)
    assert proc.returncode == 2
    assert proc.stdout == b""
    assert proc.stderr == b"summarizer: error: no input: name a file, a folder or - for stdin\n"
