"""Where `-o` writes, and what it must never destroy: through the CLI, as a user runs it.

A regular file is replaced through a rename; a FIFO, a pipe or a symlink is written through
and left what it was. An output that is also an input is refused before anything is touched.
A batch piped to `head` stops quietly.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import summarizer
from summarizer.cli import main

PACKAGE_ROOT = str(Path(summarizer.__file__).resolve().parent.parent)
CLI = [sys.executable, "-m", "summarizer", "summarize"]


def article(i: int) -> str:
    return (
        f"Harbour district report {i}.\n"
        f"The council approved {i + 3} new footbridges on April {i + 2}, 2026. The bridges "
        f"cost ${i + 2}.4 million in total, and {i + 20}% of commuters cross the river daily. "
        "Work begins in June, the harbour office said, and the old ferry keeps running.\n"
    )


def docs(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"a{i:03d}.txt" for i in range(count)]
    for i, path in enumerate(paths):
        path.write_text(article(i), encoding="utf-8")
    return paths


def summarize(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["summarize", "-q", *map(str, args)])


def cli_env() -> dict[str, str]:
    """For `python -m summarizer`: the package these tests imported, whichever tree it is."""
    return {**os.environ, "PYTHONPATH": PACKAGE_ROOT}


class FifoReader:
    """Reads a FIFO to its end on a thread, as a consumer process would."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data: bytes | None = None
        self._inode = os.open(path, os.O_PATH)  # reaches this FIFO even if the path is replaced
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        with open(self.path, "rb") as handle:
            self.data = handle.read()

    def result(self) -> bytes:
        """What arrived; b"" when nobody wrote (the reader is released, so the test fails)."""
        self._thread.join(timeout=10)
        if self._thread.is_alive():  # no writer ever came: be the writer, so the read ends
            fd = os.open(f"/proc/self/fd/{self._inode}", os.O_WRONLY | os.O_NONBLOCK)
            os.close(fd)
            self._thread.join(timeout=10)
        os.close(self._inode)
        return self.data or b""


# --- 1. -o onto what is already there ----------------------------------------------------------


def test_a_regular_file_is_replaced_by_a_rename(tmp_path: Path) -> None:
    (doc,) = docs(tmp_path / "in", 1)
    out = tmp_path / "out.json"
    out.write_text("old result\n")
    keep = tmp_path / "keep.json"
    os.link(out, keep)  # a second name for the old file: a rename leaves it alone
    result = summarize(doc, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert json.loads(out.read_text())["metadata"]["source"] == str(doc)
    assert keep.read_text() == "old result\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "keep.json", "out.json"]


@pytest.mark.parametrize("through_link", [False, True], ids=["fifo", "symlink-to-fifo"])
@pytest.mark.parametrize("count", [1, 2], ids=["one", "batch"])
def test_a_fifo_gets_the_result_and_stays_a_fifo(
    tmp_path: Path, through_link: bool, count: int
) -> None:
    paths = docs(tmp_path / "in", count)
    fifo = tmp_path / "results.fifo"
    os.mkfifo(fifo)
    out = fifo
    if through_link:
        out = tmp_path / "results.jsonl"
        out.symlink_to(fifo)
    reader = FifoReader(fifo)
    result = summarize(*paths, "-o", out, "-f", "json" if count == 1 else "jsonl")
    data = reader.result()
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert not through_link or os.readlink(out) == str(fifo)
    if count == 1:
        assert json.loads(data)["metadata"]["source"] == str(paths[0])
    else:
        sources = sorted(json.loads(line)["metadata"]["source"] for line in data.splitlines())
        assert sources == sorted(map(str, paths))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["in", fifo.name] + ([out.name] if through_link else [])
    )


@pytest.mark.parametrize("count", [1, 2], ids=["one", "batch"])
def test_a_symlink_stays_a_link_and_its_target_gets_the_result(tmp_path: Path, count: int) -> None:
    paths = docs(tmp_path / "in", count)
    target = tmp_path / "real" / ("result.json" if count == 1 else "results.jsonl")
    target.parent.mkdir()
    link = tmp_path / target.name
    if count == 1:
        target.write_text("old result\n")
    link.symlink_to(target)
    result = summarize(*paths, "-o", link)
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(target)
    text = target.read_text()
    records = [json.loads(text)] if count == 1 else [json.loads(x) for x in text.splitlines()]
    assert sorted(r["metadata"]["source"] for r in records) == sorted(map(str, paths))
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]


def test_a_resumed_batch_compacts_through_a_symlink(tmp_path: Path) -> None:
    """Compaction rewrites the file; a link to it stays a link, the target holds the lines."""
    paths = docs(tmp_path / "in", 2)
    target = tmp_path / "real" / "results.jsonl"
    target.parent.mkdir()
    link = tmp_path / "results.jsonl"
    link.symlink_to(target)
    assert summarize(*paths, "-o", link).exit_code == 0
    paths[0].write_text(article(7), encoding="utf-8")  # edited: its record is replaced
    result = summarize(*paths, "-o", link, "--resume")
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert len(target.read_text().splitlines()) == 2
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]


def test_a_pipe_is_written_through_not_replaced(tmp_path: Path) -> None:
    (path,) = docs(tmp_path / "in", 1)
    read_end, write_end = os.pipe()
    link = tmp_path / "to-pipe"
    link.symlink_to(f"/proc/self/fd/{write_end}")  # in the child: the pipe it inherits
    received: list[bytes] = []

    def read() -> None:
        with os.fdopen(read_end, "rb") as pipe:
            received.append(pipe.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        proc = subprocess.run(
            [*CLI, "-q", str(path), "-o", str(link), "-f", "json"],
            pass_fds=(write_end,),
            env=cli_env(),
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        os.close(write_end)
    reader.join(timeout=10)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert link.is_symlink() and os.readlink(link) == f"/proc/self/fd/{write_end}"
    assert json.loads(received[0])["metadata"]["source"] == str(path)


# --- 2. the output is never one of the inputs --------------------------------------------------


def refused(result: Result) -> str:
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("summarizer: error: "), result.stderr
    return lines[0]


def snapshot(folder: Path) -> dict[str, bytes | str]:
    return {
        str(p.relative_to(folder)): os.readlink(p) if p.is_symlink() else p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_symlink() or p.is_file()
    }


@pytest.mark.parametrize("fmt", [[], ["-f", "jsonl"]], ids=["by-suffix", "jsonl"])
@pytest.mark.parametrize("through_link", [False, True], ids=["named", "symlink"])
def test_a_batch_refuses_to_write_over_one_of_its_inputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: list[str], through_link: bool
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("c.txt").write_text(article(1), encoding="utf-8")
    Path("b.txt").write_text(article(2), encoding="utf-8")
    out = "c.txt"
    if through_link:
        Path("link.txt").symlink_to("c.txt")
        out = "link.txt"
    before = snapshot(tmp_path)
    line = refused(summarize("c.txt", "b.txt", "-o", out, *fmt))
    assert "input" in line and "c.txt" in line
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("fmt", [[], ["-f", "jsonl"]], ids=["by-suffix", "jsonl"])
def test_a_walked_folder_holding_the_output_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    docs(Path("docs"), 2)
    Path("docs/x.txt").write_text(article(5), encoding="utf-8")
    before = snapshot(tmp_path)
    line = refused(summarize("docs/", "-o", "docs/x.txt", *fmt))
    assert "input" in line and "x.txt" in line
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("through_link", [False, True], ids=["named", "symlink"])
def test_one_document_refuses_to_write_over_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, through_link: bool
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("c.txt").write_text(article(1), encoding="utf-8")
    out = "c.txt"
    if through_link:
        Path("link.txt").symlink_to("c.txt")
        out = "link.txt"
    before = snapshot(tmp_path)
    line = refused(summarize("c.txt", "-o", out))
    assert "input" in line
    assert snapshot(tmp_path) == before


# --- 10. a batch piped to head -----------------------------------------------------------------


def test_a_batch_piped_to_head_stops_quietly(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    docs(folder, 120)  # far more JSON than a pipe buffers, so writes go on after head leaves
    proc = subprocess.Popen(
        [*CLI, str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=cli_env(),
    )
    assert proc.stdout is not None and proc.stderr is not None
    head = proc.stdout.read(100)  # what `head -c 100` takes before it exits
    proc.stdout.close()
    try:
        _, stderr = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert len(head) == 100 and head.startswith(b"{")
    assert stderr.decode() == "", stderr.decode()
    assert proc.returncode == 141  # what a shell reports for a tool stopped by SIGPIPE
