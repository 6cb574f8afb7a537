"""The Parquet sink on its own: whole shards, exactly once, resumable, nothing deleted."""

from __future__ import annotations

from pathlib import Path

import pytest

pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow comes with the ray extra")
pytest.importorskip("pydantic_to_pyarrow", reason="pydantic-to-pyarrow comes with the ray extra")

import summarizer  # noqa: E402
from summarizer._errors import ConfigError  # noqa: E402
from summarizer._schemas import DocumentSummary, Failure  # noqa: E402
from summarizer._sinks_parquet import ParquetSink, records  # noqa: E402

from .conftest import EXAMPLES  # noqa: E402


def result(name: str) -> DocumentSummary:
    return summarizer.summarize(EXAMPLES / name, engine="extractive", cache=False)


def test_records_round_trip_with_every_field(tmp_path: Path) -> None:
    summary = result("zh_hans_county_news.txt")
    failure = Failure(source="broken.txt", error="broken.txt: file is empty", sha256="ab")
    sink = ParquetSink(tmp_path / "out", resume=False)
    sink.write(summary)
    sink.write(failure)
    sink.close()
    assert records(tmp_path / "out") == [summary, failure]


def test_shards_are_whole_and_a_full_buffer_is_one_shard(tmp_path: Path) -> None:
    summary = result("en_short_note.md")
    sink = ParquetSink(tmp_path / "out", resume=False, rows=2)
    for i in range(5):
        sink.write(Failure(source=f"f{i}.txt", error="x"))
    assert len(list((tmp_path / "out").glob("part-*.parquet"))) == 2  # 4 written, 1 buffered
    sink.write(summary)
    sink.close()
    assert [p.name for p in sorted((tmp_path / "out").iterdir())] == [
        "part-000001.parquet",
        "part-000002.parquet",
        "part-000003.parquet",
    ]
    assert len(records(tmp_path / "out")) == 6


def test_a_folder_with_records_needs_resume(tmp_path: Path) -> None:
    sink = ParquetSink(tmp_path / "out", resume=False)
    sink.write(Failure(source="a.txt", error="x"))
    sink.close()
    with pytest.raises(ConfigError, match="already holds 1 record"):
        ParquetSink(tmp_path / "out", resume=False)


def test_resume_skips_results_retries_failures_and_keeps_the_newest(tmp_path: Path) -> None:
    summary = result("en_short_note.md")
    info = summary.metadata.document
    assert info is not None
    source = summary.metadata.source
    sink = ParquetSink(tmp_path / "out", resume=False)
    sink.write(summary)
    sink.write(Failure(source="late.txt", error="late.txt: file is empty", sha256="00"))
    sink.close()
    resumed = ParquetSink(tmp_path / "out", resume=True)
    assert resumed.done() == {(source, info.sha256)}  # the failure is tried again
    retried = summary.model_copy(update={"metadata": summary.metadata.model_copy()})
    retried.metadata.source = "late.txt"
    resumed.write(retried)
    resumed.close()
    final = records(tmp_path / "out")
    assert [r.metadata.source for r in final if isinstance(r, DocumentSummary)] == [
        source,
        "late.txt",
    ]
    assert not any(isinstance(r, Failure) for r in final)


def test_a_shard_that_is_not_ours_is_set_aside_and_half_written_ones_dropped(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "part-000001.parquet").write_bytes(b"PAR1 not really")
    (out / ".part-000002.parquet.tmp").write_bytes(b"half")
    (out / "notes.txt").write_text("mine")
    sink = ParquetSink(out, resume=True)
    sink.write(Failure(source="a.txt", error="x"))
    sink.close()
    assert sink.rejected is not None and sink.rejected.lines == 1
    assert (out / "rejected" / "part-000001.parquet").read_bytes() == b"PAR1 not really"
    assert not (out / ".part-000002.parquet.tmp").exists()
    assert (out / "notes.txt").read_text() == "mine"
    assert records(out) == [Failure(source="a.txt", error="x")]


def test_a_file_in_place_of_the_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("x")
    with pytest.raises(ConfigError, match="is not a folder"):
        ParquetSink(tmp_path / "out", resume=False)
