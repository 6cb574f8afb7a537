from __future__ import annotations

import asyncio
import itertools
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from summarizer import _batch as batch
from summarizer._config import Settings
from summarizer._documents import SUFFIXES
from summarizer._errors import DocumentNotFound
from summarizer._inputs import expand
from summarizer._schemas import DocumentSummary, Failure
from summarizer._sinks import JsonlSink

from .conftest import EXAMPLES
from .fakeserver import MODEL, Reply, document_of, endpoint_args, notes_for, serve


def doc_text(i: int) -> str:
    return (
        f"DOC-{i} report.\nThe council approved {i + 2} new parks on March {i + 1}, 2026. "
        f"The parks cost ${i + 1}.5 million in total, and {i + 10}% of residents live nearby.\n"
    )


def make_docs(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"doc{i}.txt"
        path.write_text(doc_text(i), encoding="utf-8")
        paths.append(path)
    return paths


def run_batch(
    inputs: list[str], output: Path, *, resume: bool = False, **overrides: Any
) -> batch.Report:
    settings = Settings.model_validate({"engine": "extractive", "cache": False, **overrides})
    sink = JsonlSink(output, resume=resume)
    try:
        return asyncio.run(batch.run(inputs, settings, sink, outputs=[output]))
    finally:
        sink.close()


def lines(path: Path) -> list[dict[str, Any]]:
    text = path.read_text(encoding="utf-8")
    assert text == "" or text.endswith("\n")  # a run killed before its first record leaves none
    return [json.loads(line) for line in text.splitlines()]


# --- inputs ---------------------------------------------------------------------------------


def test_expand_files_directories_and_globs(tmp_path: Path) -> None:
    docs = make_docs(tmp_path / "a", 2)
    (tmp_path / "a" / "nested").mkdir()
    (tmp_path / "a" / "nested" / "page.HTML").write_text("<html></html>")
    (tmp_path / "a" / "notes.bin").write_bytes(b"\x00")
    items = expand([str(tmp_path / "a"), str(docs[0]), str(tmp_path / "a" / "*.txt")])
    assert [Path(i.source).name for i in items] == ["doc0.txt", "doc1.txt", "page.HTML"]
    with pytest.raises(DocumentNotFound, match="no files match"):  # a usage error, up front
        expand([str(tmp_path / "nothing*.txt")])


def test_symlink_loops_do_not_trap_the_walk(tmp_path: Path) -> None:
    make_docs(tmp_path / "d", 1)
    (tmp_path / "d" / "loop").symlink_to(tmp_path / "d", target_is_directory=True)
    (tmp_path / "d" / "x.txt").symlink_to(tmp_path / "d" / "y.txt")
    (tmp_path / "d" / "y.txt").symlink_to(tmp_path / "d" / "x.txt")
    names = [Path(i.source).name for i in expand([str(tmp_path / "d")])]
    assert names == ["doc0.txt", "x.txt", "y.txt"]
    report = run_batch([str(tmp_path / "d")], tmp_path / "out.jsonl")
    assert (report.done, report.failed) == (1, 2)
    errors = [r["error"] for r in lines(tmp_path / "out.jsonl") if "error" in r]
    assert all("symlink loop" in e for e in errors)


# --- output -----------------------------------------------------------------------------------


def test_one_line_per_document_with_source(tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    report = run_batch([str(EXAMPLES)], out)
    records = lines(out)
    supported = [p for p in EXAMPLES.rglob("*") if p.suffix.lower() in SUFFIXES]
    assert report.done == len(records) == len(supported)
    for record in records:
        summary = DocumentSummary.model_validate(record)
        assert EXAMPLES in Path(summary.metadata.source).parents
        assert summary.metadata.document and len(summary.metadata.document.sha256) == 64


BAD_INPUTS: dict[str, tuple[Any, str]] = {
    "empty.txt": (b"", "file is empty"),
    "blank.txt": (b"  \n\t \n", "only whitespace"),
    "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 4, "binary file"),
    "undecodable.txt": (bytes(range(128, 256)) * 40 + b"\x00\x01", "binary file"),
    "nested.html": (  # deeper than lxml goes: nothing is left of the page
        b"<html><body>" + b"<div>" * 5_000 + b"deep" + b"</div>" * 10 + b"</body></html>",
        "no main text found in the HTML page",
    ),
}
BROKEN_HTML = b"<html><body><div><p>unclosed <b>tags <table><tr><td>" * 5  # lxml recovers


def test_bad_inputs_fail_alone_and_the_batch_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    make_docs(folder, 2)
    for name, (data, _) in BAD_INPUTS.items():
        (folder / name).write_bytes(data)
    (folder / "broken.html").write_bytes(BROKEN_HTML)
    huge = folder / "huge.txt"
    with huge.open("wb") as handle:  # sparse: 200 MB by size, nothing on disk
        handle.truncate(200 * 1024 * 1024)
    locked = folder / "locked.txt"
    locked.write_text(doc_text(9))
    real_read = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "locked.txt":  # CI runs as root, where chmod 000 does not stop reads
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    out = tmp_path / "out.jsonl"
    report = run_batch([str(folder)], out)
    records = {Path(r.get("source") or r["metadata"]["source"]).name: r for r in lines(out)}
    assert (report.done, report.failed) == (3, len(BAD_INPUTS) + 2)
    assert "error" not in records["doc0.txt"] and "error" not in records["doc1.txt"]
    for name, (_, message) in BAD_INPUTS.items():
        assert records[name]["error"].startswith(str(folder / name))
        assert message in records[name]["error"]
    broken = DocumentSummary.model_validate(records["broken.html"])
    assert "unclosed tags" in broken.summary
    assert "200.0 MB; the input limit is 50.0 MB" in records["huge.txt"]["error"]
    assert "permission denied" in records["locked.txt"]["error"]
    assert all("\n" not in r.get("error", "") for r in records.values())


def test_resume_skips_what_is_done(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    make_docs(folder, 3)
    out = tmp_path / "out.jsonl"
    assert run_batch([str(folder)], out).done == 3
    (folder / "doc3.txt").write_text(doc_text(3))
    report = run_batch([str(folder)], out, resume=True)
    assert (report.done, report.skipped) == (1, 3)
    assert sorted(Path(r["metadata"]["source"]).name for r in lines(out)) == [
        f"doc{i}.txt" for i in range(4)
    ]


def test_resume_retries_failures_and_keeps_one_line_each(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    make_docs(folder, 2)
    late = folder / "late.txt"
    late.write_bytes(b"")
    out = tmp_path / "out.jsonl"
    assert run_batch([str(folder)], out).failed == 1
    late.write_text(doc_text(5))
    report = run_batch([str(folder)], out, resume=True)
    assert (report.done, report.skipped, report.failed) == (1, 2, 0)
    records = lines(out)
    assert len(records) == 3 and not any("error" in r for r in records)


def test_a_torn_last_line_is_set_aside_before_appending(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text('{"source": "a", "error": "x", "sha256": null}\n{"source": "b", "meta')
    sink = JsonlSink(out, resume=True)
    sink.write(Failure(source="c", error="y"))
    sink.close()
    assert [r["source"] for r in lines(out)] == ["a", "c"]
    assert sink.rejected is not None and sink.rejected.lines == 1
    assert (tmp_path / "out.jsonl.rejected").read_text() == '{"source": "b", "meta\n'  # kept


def test_a_close_reads_the_file_again_only_when_a_source_repeats(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text('{"source": "a", "error": "x", "sha256": null}\n')
    reads: list[Path] = []
    real_read = JsonlSink._read

    def read(self: JsonlSink) -> Any:
        reads.append(self.path)
        return real_read(self)

    monkeypatch.setattr(JsonlSink, "_read", read)
    sink = JsonlSink(out, resume=True)
    sink.write(Failure(source="b", error="y"))
    sink.close()
    assert len(reads) == 1, "read once, at open: nothing repeats, nothing to compact"
    sink = JsonlSink(out, resume=True)
    sink.write(Failure(source="a", error="z"))  # a's newer record
    sink.close()
    assert len(reads) == 3
    assert [(r["source"], r["error"]) for r in lines(out)] == [("b", "y"), ("a", "z")]


# --- killed mid-run ----------------------------------------------------------------------------


def test_sigkill_mid_run_then_resume_gives_each_document_once(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    make_docs(folder, 8)
    out = tmp_path / "out.jsonl"
    config = tmp_path / "config.toml"
    config.write_text("backoff = 0.0\nmax_retries = 1\nconcurrency = 2\n")
    stuck = threading.Event()
    release = threading.Event()

    def script(request: dict[str, Any]) -> Reply:
        if "DOC-5" in document_of(request) and not release.is_set():
            stuck.set()
            release.wait(timeout=60)  # hold this request open until the client is killed
        return Reply(content=notes_for(request))

    env = {
        **os.environ,
        "SUMMARIZER_CONFIG": str(config),
        "SUMMARIZER_CACHE_DIR": str(tmp_path / "cache"),
    }
    env.pop("SUMMARIZER_MODEL", None)
    with serve(script) as server:
        args = [
            sys.executable,
            "-m",
            "summarizer",
            "summarize",
            str(folder),
            "-o",
            str(out),
            "-q",
            *endpoint_args(server),
        ]
        proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        assert stuck.wait(timeout=60), "the run never reached DOC-5"
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)  # reaps it and closes the stderr pipe
        release.set()
        before = lines(out) if out.exists() else []
        assert len(before) < 8
        # The resume runs in this process (the CLI's --resume is tested in test_cli_batch.py):
        # the same sink on the same torn file, without a second interpreter's start-up.
        resumed = run_batch(
            [str(folder)],
            out,
            resume=True,
            engine="llm",
            base_url=server.base_url,
            model=MODEL,
            mode="json_object",
            backoff=0.0,
            max_retries=1,
            concurrency=2,
        )
    assert (resumed.done, resumed.failed, resumed.skipped) == (8 - len(before), 0, len(before))
    records = lines(out)
    names = sorted(Path(r["metadata"]["source"]).name for r in records)
    assert names == [f"doc{i}.txt" for i in range(8)]
    assert all(r["metadata"]["engine"] == "llm" for r in records)


def test_documents_take_turns_at_cleaning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Text work runs on worker threads; one document at a time, so the first ones reach the
    model first instead of every document's cleaning going ahead of any request."""
    from summarizer import _cleaning as cleaning

    from .fakeserver import well_behaved

    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(6):  # long enough that cleanings running at once would overlap
        (folder / f"doc{i}.txt").write_text(doc_text(i) * 1500, encoding="utf-8")
    spans: list[tuple[float, float]] = []
    real_clean = cleaning.clean

    def timed_clean(text: str, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return real_clean(text, **kwargs)
        finally:
            spans.append((started, time.perf_counter()))

    monkeypatch.setattr(cleaning, "clean", timed_clean)
    with serve(well_behaved) as server:
        report = run_batch(
            [str(folder)],
            tmp_path / "out.jsonl",
            engine="llm",
            base_url=server.base_url,
            model=MODEL,
            mode="json_object",
            concurrency=4,
            context_window=32768,
        )
    assert report.done == 6
    spans.sort()
    assert len(spans) == 6
    assert all(end <= next_start for (_, end), (next_start, _) in itertools.pairwise(spans))
