"""Where a batch's records go: one JSON line per document, exactly once, resumable.

A record belongs to a (path, content hash) pair. Each line is one `write` on an
`O_APPEND` descriptor followed by an fsync, so a killed run leaves whole lines. On
`--resume` the documents whose (path, hash) already has a result are skipped; at the end
the file is compacted so each path keeps only its newest record: an edited file replaces
its record, and files with identical content each keep their own. A line that is not a
record (a torn last line, garbage) is moved to `FILE.rejected`, never deleted. A run
without `--resume` onto a file that already holds records is refused before any work.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from pydantic import TypeAdapter, ValidationError

from summarizer._errors import ConfigError, OutputError
from summarizer._schemas import DocumentSummary, Failure, Record

RecordKey = tuple[str, str]  # (normalised path, sha256 of its bytes)
_RECORD: TypeAdapter[Record] = TypeAdapter(Record)


def record_key(record: Record) -> RecordKey | None:
    if isinstance(record, Failure):
        return (os.path.normpath(record.source), record.sha256) if record.sha256 else None
    info = record.metadata.document
    sha = info.sha256 if info else ""
    return (os.path.normpath(record.metadata.source), sha) if sha else None


def record_source(record: Record) -> str:
    source = record.source if isinstance(record, Failure) else record.metadata.source
    return os.path.normpath(source)


def encode(record: Record) -> bytes:
    return (record.model_dump_json() + "\n").encode("utf-8")


@dataclass
class Rejected:
    """Lines moved aside because they were not records: the CLI says so in one line."""

    path: Path
    lines: int


class Sink(Protocol):
    """Takes each finished document's record; knows which documents are already done."""

    rejected: Rejected | None  # lines set aside when the sink opened, for the CLI to say

    def done(self) -> set[RecordKey]: ...

    def write(self, record: Record) -> None: ...

    def close(self) -> None: ...


class StdoutSink:
    """JSON lines on standard output: nothing to resume, nothing to compact."""

    rejected: Rejected | None = None

    def done(self) -> set[RecordKey]:
        return set()

    def write(self, record: Record) -> None:
        _write_all(1, encode(record), "<stdout>", sync=False)

    def close(self) -> None:
        pass


class JsonlSink:
    def __init__(self, path: Path, *, resume: bool) -> None:
        self.path = path
        self.rejected: Rejected | None = None
        records = self._read()
        if records and not resume:
            raise ConfigError(
                f"{path} already holds {len(records)} record(s): pass --resume to carry on, "
                "or choose another -o"
            )
        self._records = records
        try:
            self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        except OSError as e:
            raise OutputError(f"{path}: cannot open for appending: {e.strerror or e}") from e
        self._written = False

    def done(self) -> set[RecordKey]:
        return {
            key
            for r in self._records
            if isinstance(r, DocumentSummary) and (key := record_key(r)) is not None
        }

    def write(self, record: Record) -> None:
        _write_all(self._fd, encode(record), str(self.path), sync=True)
        self._written = True

    def close(self) -> None:
        os.close(self._fd)
        self._compact()

    def _read(self) -> list[Record]:
        """The file's records; lines that are not records move to FILE.rejected."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return []
        except OSError as e:
            raise OutputError(f"{self.path}: cannot read: {e.strerror or e}") from e
        records: list[Record] = []
        bad: list[bytes] = []
        for line in data.splitlines(keepends=True):
            if not line.strip():
                continue
            try:
                records.append(_RECORD.validate_json(line))
            except ValidationError:
                bad.append(line if line.endswith(b"\n") else line + b"\n")
        if bad:
            self._set_aside(bad, records)
        return records

    def _set_aside(self, bad: list[bytes], records: list[Record]) -> None:
        aside = self.path.with_name(self.path.name + ".rejected")
        try:
            with aside.open("ab") as handle:
                handle.write(b"".join(bad))
                handle.flush()
                os.fsync(handle.fileno())
            _rewrite(self.path, records)
        except OSError as e:
            raise OutputError(f"{aside}: cannot set aside bad lines: {e.strerror or e}") from e
        self.rejected = Rejected(aside, len(bad))

    def _compact(self) -> None:
        """One record per path, the newest; untouched if nothing repeats."""
        records = self._read()
        newest: dict[str, int] = {record_source(r): i for i, r in enumerate(records)}
        if len(newest) == len(records):
            return
        kept = [r for i, r in enumerate(records) if newest[record_source(r)] == i]
        try:
            _rewrite(self.path, kept)
        except OSError as e:
            raise OutputError(f"{self.path}: cannot compact: {e.strerror or e}") from e


def _rewrite(path: Path, records: list[Record]) -> None:
    tmp = path.with_name(f".{path.name}.compact")
    with tmp.open("wb") as handle:
        handle.write(b"".join(encode(r) for r in records))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _write_all(fd: int, line: bytes, shown: str, *, sync: bool) -> None:
    try:
        written = os.write(fd, line)  # one write on O_APPEND: lines never interleave
        while written < len(line):  # only pipes write short; files take the whole line
            written += os.write(fd, line[written:])
        if sync:
            os.fsync(fd)
    except BrokenPipeError:
        raise
    except OSError as e:
        raise OutputError(f"{shown}: cannot write: {e.strerror or e}") from e
