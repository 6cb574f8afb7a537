"""A batch's results file through the CLI: each document exactly once, nothing lost.

A record belongs to a (path, content hash) pair: an edited file replaces its record,
identical files each keep their own, a line that is not a record is moved aside (and said
so), and a rerun without --resume is refused without touching the file. Ctrl-C stops a run
at once and leaves whole lines.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from click.testing import CliRunner, Result

import summarizer
from summarizer.cli import main

PACKAGE_ROOT = str(Path(summarizer.__file__).resolve().parent.parent)


def article(i: int) -> str:
    return (
        f"Orchard valley bulletin {i}.\n"
        f"The water board opened {i + 4} new wells on May {i % 28 + 1}, 2026. The wells cost "
        f"${i + 1}.8 million, and {i % 60 + 30}% of farms now draw from them. The board said "
        "the pumps run on solar power, and repairs are planned for the autumn.\n"
    )


def summarize(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["summarize", *map(str, args)])


def records(path: Path) -> list[dict[str, Any]]:
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def tally(result: Result) -> dict[str, str]:
    """The final table on stderr, as {column: value}."""
    lines = result.stderr.splitlines()
    header = next(i for i, line in enumerate(lines) if "skipped" in line)
    names = ["done", "failed", "skipped"]
    return dict(zip(names, lines[header + 1].split()[:3], strict=True))


def by_source(path: Path) -> dict[str, dict[str, Any]]:
    found = records(path)
    sources = [Path(r["metadata"]["source"]).name for r in found]
    assert len(sources) == len(set(sources)), "a document is in the file twice"
    return dict(zip(sources, found, strict=True))


# --- 6. --resume, exactly once -----------------------------------------------------------------


def test_an_edited_input_replaces_its_record_across_resumes(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"d{i}.txt").write_text(article(i), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert summarize(folder, "-o", out).exit_code == 0
    edited = folder / "d1.txt"
    for version in (40, 41, 42):  # edited again before each resume
        edited.write_text(article(version), encoding="utf-8")
        result = summarize(folder, "-o", out, "--resume")
        assert result.exit_code == 0, result.stderr
        assert tally(result) == {"done": "1", "failed": "0", "skipped": "2"}
        found = by_source(out)
        assert sorted(found) == ["d0.txt", "d1.txt", "d2.txt"]
        sha = hashlib.sha256(edited.read_bytes()).hexdigest()
        assert found["d1.txt"]["metadata"]["document"]["sha256"] == sha
        assert f"{version + 4} new wells" in found["d1.txt"]["summary"]


def test_identical_files_each_keep_their_own_record(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(300):  # 300 files, 5 distinct contents
        (folder / f"f{i:03d}.txt").write_text(article(i % 5), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    first = summarize(folder, "-o", out)
    assert first.exit_code == 0, first.stderr
    assert tally(first) == {"done": "300", "failed": "0", "skipped": "0"}
    assert len(by_source(out)) == 300
    again = summarize(folder, "-o", out, "--resume")
    assert again.exit_code == 0, again.stderr
    assert tally(again) == {"done": "0", "failed": "0", "skipped": "300"}
    assert sorted(by_source(out)) == [f"f{i:03d}.txt" for i in range(300)]


def test_a_garbage_line_is_moved_aside_and_said_once(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"d{i}.txt").write_text(article(i), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert summarize(folder, "-o", out).exit_code == 0
    lines = out.read_bytes().splitlines(keepends=True)
    garbage = b'{"half a record": \xe2\x80\x94 pasted by hand\n'
    kept = lines[0] + lines[2]
    out.write_bytes(lines[0] + garbage + lines[2])  # d1's record lost, garbage in its place
    result = summarize(folder, "-o", out, "--resume", "-q")
    assert result.exit_code == 0, result.stderr
    said = result.stderr.splitlines()
    assert len(said) == 1 and "out.jsonl.rejected" in said[0], result.stderr
    assert (tmp_path / "out.jsonl.rejected").read_bytes() == garbage
    assert out.read_bytes().startswith(kept)  # the good lines kept byte for byte
    assert sorted(by_source(out)) == ["d0.txt", "d1.txt", "d2.txt"]


def test_a_rerun_without_resume_is_refused_and_touches_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(2):
        (folder / f"d{i}.txt").write_text(article(i), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert summarize(folder, "-o", out).exit_code == 0
    with out.open("ab") as handle:
        handle.write(b"not a record\n")  # even a file with a bad line is left as it is
    before = out.read_bytes()
    (folder / "d2.txt").write_text(article(2), encoding="utf-8")
    result = summarize(folder, "-o", out)
    assert result.exit_code == 2
    said = result.stderr.splitlines()
    assert len(said) == 1 and "--resume" in said[0], result.stderr
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out.jsonl"]


# --- 5c. Ctrl-C ---------------------------------------------------------------------------------


def chinese_text(megabytes: int, seed: int) -> str:
    """News-like Chinese with full punctuation: slow to clean, as real text is, not a trap."""
    towns = ["青岚县", "白石镇", "河口乡", "松林村", "东湖区", "北坡镇", "南渡口"]
    works = ["服务站", "图书馆", "卫生院", "公交线路", "污水处理厂", "农贸市场", "文化广场"]
    paragraphs = []
    size, i = 0, seed
    while size < megabytes * 1_000_000:
        town, work = towns[i % 7], works[(i * 3 + seed) % 7]
        paragraph = (
            f"{town}今年投入资金{i % 97 + 1}.{i % 10}亿元，新建{i % 80 + 2}个{work}，"
            f"覆盖{i % 30 + 2}个乡镇。负责人表示，第{i}期工程将于{i % 12 + 1}月完工；"
            f"居民满意度达到{i % 40 + 60}%，“{work}离家更近了”。\n"
        )
        paragraphs.append(paragraph)
        size += len(paragraph.encode("utf-8"))
        i += 1
    return "".join(paragraphs)


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a running process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def poll_until(ready: Callable[[], bool], proc: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 60
    while not ready():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, f"no {what} within 60 s"
        time.sleep(0.01)  # the polling interval; the condition itself is what is awaited


def test_ctrl_c_stops_a_batch_at_once_keeping_whole_lines(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(article(0), encoding="utf-8")  # done first: a line to keep
    for i in range(4):
        (folder / f"big{i}.txt").write_text(chinese_text(2, i), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "PYTHONPATH": PACKAGE_ROOT}
    proc = subprocess.Popen(
        [sys.executable, "-m", "summarizer", "summarize", str(folder), "-o", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        poll_until(lambda: out.exists() and out.stat().st_size > 0, proc, "a first line")
        # Then well into the big documents (half a second of CPU time), whose cleaning and
        # summarizing run on worker threads that asyncio.run would wait for.
        busy = cpu_seconds(proc.pid) + 0.5
        poll_until(lambda: cpu_seconds(proc.pid) >= busy, proc, "work on the big documents")
        proc.send_signal(signal.SIGINT)
        sent = time.monotonic()
        stdout, stderr = proc.communicate(timeout=30)
        took = time.monotonic() - sent
    finally:
        proc.kill()
    print(f"exited {took:.2f} s after SIGINT")
    assert proc.returncode == 130, stderr.decode()
    assert took < 5, f"took {took:.1f} s to stop"
    assert stderr.decode().splitlines() == ["summarizer: error: interrupted"]
    assert stdout == b""
    found = records(out)  # whole lines only, each a record
    assert 1 <= len(found) < 5
    assert Path(found[0]["metadata"]["source"]).name == "a.txt"


# --- a folder of HTML pages ---------------------------------------------------------------------


def site(out: Path) -> dict[str, str]:
    """The pages an index links to, by the document name its row shows, each page read."""
    index = (out / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="\./([^"]+)">([^<]+)</a>', index)
    return {shown: (out / unquote(href)).read_text(encoding="utf-8") for href, shown in links}


def folder_of(tmp_path: Path, count: int) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(count):
        (folder / f"d{i}.txt").write_text(article(i), encoding="utf-8")
    return folder


def test_several_files_make_a_page_each_and_an_index(tmp_path: Path) -> None:
    folder = folder_of(tmp_path, 2)
    out = tmp_path / "out"  # not there yet: made
    result = summarize(folder / "d0.txt", folder / "d1.txt", "--format", "html", "-o", f"{out}/")
    assert result.exit_code == 0, result.stderr
    pages = site(out)
    assert sorted(pages) == ["d0.txt", "d1.txt"]
    assert "5 new wells" in pages["d1.txt"] and pages["d1.txt"].count("<mark") > 0
    assert len(records(out / "records.jsonl")) == 2


def test_a_folder_into_an_existing_folder_or_one_file_into_dir_slash(tmp_path: Path) -> None:
    folder = folder_of(tmp_path, 3)
    (tmp_path / "out").mkdir()
    assert summarize(folder, "--format", "html", "-o", tmp_path / "out").exit_code == 0
    assert sorted(site(tmp_path / "out")) == ["d0.txt", "d1.txt", "d2.txt"]
    one = summarize(folder / "d2.txt", "--format", "html", "-o", f"{tmp_path / 'one'}/")
    assert one.exit_code == 0, one.stderr
    assert sorted(site(tmp_path / "one")) == ["d2.txt"]


def test_pages_come_from_the_pipelines_text_not_a_second_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from summarizer._formats import html

    def never(summary: object) -> None:
        raise AssertionError("the source was read again")

    monkeypatch.setattr(html, "source_text", never)
    folder = folder_of(tmp_path, 2)
    assert summarize(folder, "--format", "html", "-o", f"{tmp_path / 'out'}/").exit_code == 0
    assert all(page.count("<mark") > 0 for page in site(tmp_path / "out").values())
    single = summarize(folder / "d0.txt", "-o", tmp_path / "one.html")
    assert single.exit_code == 0, single.stderr
    assert (tmp_path / "one.html").read_text(encoding="utf-8").count("<mark") > 0


def test_the_folder_resumes_and_its_index_shows_the_failures(tmp_path: Path) -> None:
    folder = folder_of(tmp_path, 2)
    (folder / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    first = summarize(folder, "--format", "html", "-o", f"{out}/")
    assert first.exit_code == 1 and tally(first) == {"done": "2", "failed": "1", "skipped": "0"}
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "empty.txt</td>" in index and "failed: " in index and "file is empty" in index
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    refused = summarize(folder, "--format", "html", "-o", f"{out}/")
    assert refused.exit_code == 2 and "pass --resume" in refused.stderr, refused.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before, "refused, untouched"
    (folder / "empty.txt").write_text(article(7), encoding="utf-8")  # mended
    (folder / "d1.txt").write_text(article(41), encoding="utf-8")  # edited
    again = summarize(folder, "--format", "html", "-o", f"{out}/", "--resume")
    assert again.exit_code == 0, again.stderr
    assert tally(again) == {"done": "2", "failed": "0", "skipped": "1"}
    pages = site(out)
    assert sorted(pages) == ["d0.txt", "d1.txt", "empty.txt"]
    assert "45 new wells" in pages["d1.txt"] and "failed: " not in (out / "index.html").read_text()
    assert len(records(out / "records.jsonl")) == 3, "one record per document"


def test_the_pages_of_an_earlier_run_are_never_inputs(tmp_path: Path) -> None:
    folder = folder_of(tmp_path, 2)
    out = folder / "site"
    assert summarize(folder, "--format", "html", "-o", f"{out}/").exit_code == 0
    again = summarize(folder, "--format", "html", "-o", f"{out}/", "--resume")
    assert again.exit_code == 0, again.stderr
    assert tally(again) == {"done": "0", "failed": "0", "skipped": "2"}
    assert sorted(site(out)) == ["d0.txt", "d1.txt"]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--format", "html"], "need -o DIR/"),
        (["--format", "html", "-o", "{tmp}/page.html"], "several documents make several pages"),
        (["-o", "{tmp}/dir/"], "is a folder; only --format html or parquet"),
        (["--format", "markdown", "-o", "{tmp}/out.md"], "or as pages with --format html"),
    ],
)
def test_html_batches_refused_before_any_work(tmp_path: Path, args: list[str], said: str) -> None:
    folder = folder_of(tmp_path, 2)
    result = summarize(folder, *(a.format(tmp=tmp_path) for a in args))
    assert result.exit_code == 2 and said in result.stderr, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"], "nothing written"
