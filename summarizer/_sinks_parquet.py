"""Records as Parquet shards in a folder (`-o DIR/ --format parquet`): exactly once, resumable.

A shard has one row per document with the fields of a result (`title` ... `metadata`, the
JSON lines' fields, typed from the result schema) and `source`, `sha256` and `error`, so
results and failures share one schema: a failure has `error` set and the result fields
null. Records are buffered and written as whole shards (`part-NNNNNN.parquet`), each to a
hidden temporary name, fsynced and renamed into place, so a killed run leaves only whole
shards; what was still buffered is summarized again by `--resume`, never written twice.

As with JSON lines, a record belongs to a (path, content hash) pair: `--resume` reads only
the shards' `source`, `sha256` and `error` columns and skips the documents whose pair has
a result; failures are tried again. On close, a shard holding a record that a newer one
replaces (same path) is rewritten without it, so each path keeps its newest record. A
`part-*.parquet` that is not a readable shard of ours moves to `DIR/rejected/`, never
deleted; other files in the folder are left alone.
"""

from __future__ import annotations

import json
import os
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
from pydantic_to_pyarrow import get_pyarrow_schema

from summarizer._errors import ConfigError, OutputError
from summarizer._schemas import DocumentSummary, Failure, Record
from summarizer._sinks import RecordKey, Rejected

_KEYS = ("source", "sha256", "error")
_PATTERN = "part-*.parquet"


@lru_cache(maxsize=1)
def schema() -> pa.Schema:
    """The result schema as Arrow, every result field nullable, after the three key columns."""
    keys = [pa.field("source", pa.string(), nullable=False)]
    keys += [pa.field(name, pa.string()) for name in _KEYS[1:]]
    fields = [field.with_nullable(True) for field in get_pyarrow_schema(_Columns)]
    return pa.schema(keys + fields)


def records(directory: Path) -> list[Record]:
    """Every record in the folder's shards, oldest shard first: to read results back."""
    found: list[Record] = []
    for shard in _shards(directory):
        for row in pq.read_table(shard).to_pylist(maps_as_pydicts="strict"):
            found.append(_record(row))
    return found


class ParquetSink:
    def __init__(
        self, directory: Path, *, resume: bool, rows: int = 1000, seconds: float = 30.0
    ) -> None:
        self.directory = directory
        self.rejected: Rejected | None = None
        self._rows, self._seconds = rows, seconds
        self._buffer: list[Record] = []
        self._since = 0.0
        self._open_folder()
        keys = self._read_keys()
        held = sum(len(k) for k in keys.values())
        if held and not resume:
            raise ConfigError(
                f"{directory} already holds {held} record(s): pass --resume to carry on, "
                "or choose another -o"
            )
        self._keys = keys  # shard -> its rows' (source, sha256, error), oldest shard first
        self._next = 1 + max((_number(shard) for shard in keys), default=0)

    def done(self) -> set[RecordKey]:
        return {
            (os.path.normpath(source), sha)
            for rows in self._keys.values()
            for source, sha, error in rows
            if error is None and sha
        }

    def write(self, record: Record, cleaned: str | None = None) -> None:
        if not self._buffer:
            self._since = time.monotonic()
        self._buffer.append(record)
        if len(self._buffer) >= self._rows or time.monotonic() - self._since >= self._seconds:
            self.flush()

    def flush(self) -> None:
        """The buffered records as one more shard, whole or not at all."""
        if not self._buffer:
            return
        shard = self.directory / f"part-{self._next:06d}.parquet"
        table = pa.Table.from_pylist([_row(r) for r in self._buffer], schema=schema())
        try:
            _replace(shard, table)
        except OSError as e:
            raise OutputError(f"{shard}: cannot write: {e.strerror or e}") from e
        self._keys[shard] = [_key(r) for r in self._buffer]
        self._next += 1
        self._buffer = []

    def close(self) -> None:
        self.flush()
        self._compact()

    def _open_folder(self) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except FileExistsError as e:
            raise ConfigError(f"{self.directory}: is not a folder; -o DIR/ for Parquet") from e
        except OSError as e:
            raise OutputError(f"{self.directory}: cannot create: {e.strerror or e}") from e
        for stale in self.directory.glob(".part-*.tmp"):  # a killed run's half-written shard
            stale.unlink(missing_ok=True)

    def _read_keys(self) -> dict[Path, list[tuple[str, str | None, str | None]]]:
        keys: dict[Path, list[tuple[str, str | None, str | None]]] = {}
        bad: list[Path] = []
        for shard in _shards(self.directory):
            try:
                columns = pq.read_table(shard, columns=list(_KEYS)).to_pydict()
            except (OSError, ValueError, KeyError, pa.ArrowException):
                bad.append(shard)
                continue
            keys[shard] = list(zip(*(columns[name] for name in _KEYS), strict=True))
        if bad:
            self._set_aside(bad)
        return keys

    def _set_aside(self, bad: list[Path]) -> None:
        aside = self.directory / "rejected"
        try:
            aside.mkdir(exist_ok=True)
            for shard in bad:
                os.replace(shard, aside / shard.name)
        except OSError as e:
            raise OutputError(f"{aside}: cannot set aside bad shards: {e.strerror or e}") from e
        self.rejected = Rejected(aside, len(bad))

    def _compact(self) -> None:
        """Each path keeps its newest record; shards with nothing superseded are untouched."""
        newest: dict[str, tuple[Path, int]] = {}
        for shard, rows in self._keys.items():
            for i, (source, _, _) in enumerate(rows):
                newest[os.path.normpath(source)] = (shard, i)
        for shard, rows in list(self._keys.items()):
            kept = [
                i for i, (s, _, _) in enumerate(rows) if newest[os.path.normpath(s)] == (shard, i)
            ]
            if len(kept) == len(rows):
                continue
            try:
                if kept:
                    _replace(shard, pq.read_table(shard).take(kept))
                else:
                    shard.unlink()
            except OSError as e:
                raise OutputError(f"{shard}: cannot compact: {e.strerror or e}") from e
            self._keys[shard] = [rows[i] for i in kept]


def _shards(directory: Path) -> list[Path]:
    return sorted(directory.glob(_PATTERN)) if directory.is_dir() else []


def _number(shard: Path) -> int:
    digits = shard.stem.removeprefix("part-")
    return int(digits) if digits.isdigit() else 0


def _key(record: Record) -> tuple[str, str | None, str | None]:
    if isinstance(record, Failure):
        return (record.source, record.sha256, record.error)
    info = record.metadata.document
    return (record.metadata.source, info.sha256 if info else None, None)


def _row(record: Record) -> dict[str, Any]:
    _, sha256, error = _key(record)
    if isinstance(record, Failure):
        return {"source": record.source, "sha256": sha256, "error": error}
    return {
        "source": record.metadata.source,
        "sha256": sha256,
        "error": None,
        **record.model_dump(mode="json"),
        "extraction": record.extraction.model_dump_json() if record.extraction else None,
    }


def _record(row: dict[str, Any]) -> Record:
    if row["error"] is not None:
        return Failure(source=row["source"], error=row["error"], sha256=row["sha256"])
    data = {k: row[k] for k in DocumentSummary.model_fields if k != "extraction"}
    extraction = row.get("extraction")  # JSON text; a shard from before it has no column
    return DocumentSummary.model_validate(
        {**data, "extraction": json.loads(extraction) if extraction else None}
    )


class _Columns(DocumentSummary):
    """The result's columns; `extraction` is shaped by each run's --schema: JSON text."""

    extraction: str | None = None  # type: ignore[assignment]


def _replace(path: Path, table: pa.Table) -> None:
    """Write the table under a hidden name, fsync it, rename it over `path`, fsync the folder."""
    tmp = path.with_name(f".{path.name}.tmp")
    pq.write_table(table, tmp)
    with tmp.open("rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
