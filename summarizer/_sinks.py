"""Where a batch's records go: one JSON line per document, exactly once, resumable.

A record belongs to a (path, content hash) pair. Each line is one `write` on an
`O_APPEND` descriptor followed by an fsync, so a killed run leaves whole lines. On
`--resume` the documents whose (path, hash) already has a result are skipped; at the end
the file is compacted so each path keeps only its newest record: an edited file replaces
its record, and files with identical content each keep their own. A line that is not a
record (a torn last line, garbage) is moved to `FILE.rejected`, never deleted; the lines
that are records are kept byte for byte. A run without `--resume` onto a file that already
holds records is refused before any work, and before the file is touched.

An output that is not a regular file (a FIFO, a pipe, a terminal) gets the lines written
through, with nothing to resume or compact.
"""

from __future__ import annotations

import contextlib
import os
import stat
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from pydantic import TypeAdapter, ValidationError

from summarizer._errors import ConfigError, OutputError
from summarizer._output import real_path
from summarizer._schemas import DocumentSummary, Failure, Record

RecordKey = tuple[str, str]  # (normalised path, sha256 of its bytes)
_RECORD: TypeAdapter[Record] = TypeAdapter(Record)
_WRITING = threading.Lock()  # held while a line is written, so an exit can wait for it


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


def settle(timeout: float = 5.0) -> None:
    """Wait until no line is half written: the CLI calls it before leaving on Ctrl-C.

    It never gives the lock back, so no new line starts before the process exits.
    """
    _WRITING.acquire(timeout=timeout)


@dataclass
class Rejected:
    """Lines moved aside because they were not records: the CLI says so in one line."""

    path: Path
    lines: int


class Sink(Protocol):
    """Takes each finished document's record; knows which documents are already done."""

    rejected: Rejected | None  # lines set aside when the sink opened, for the CLI to say

    def done(self) -> set[RecordKey]: ...

    def write(self, record: Record, cleaned: str | None = None) -> None:
        """`cleaned`: the text the record's spans index, when the executor has it at hand."""

    def close(self) -> None: ...


class StreamSink:
    """JSON lines onto a stream (stdout, or a FIFO or pipe opened by name): nothing to resume."""

    rejected: Rejected | None = None

    def __init__(self, stream: BinaryIO, shown: str, *, owned: bool = False) -> None:
        self._stream = stream
        self._shown = shown
        self._owned = owned

    @classmethod
    def open(cls, path: Path) -> StreamSink:
        """Opening a FIFO waits for its reader, as any writer to a FIFO does."""
        try:
            return cls(open(path, "wb"), str(path), owned=True)
        except OSError as e:
            raise OutputError(f"{path}: cannot open for writing: {e.strerror or e}") from e

    def done(self) -> set[RecordKey]:
        return set()

    def write(self, record: Record, cleaned: str | None = None) -> None:
        with _WRITING:
            try:
                self._stream.write(encode(record))
                self._stream.flush()
            except BrokenPipeError:
                raise
            except OSError as e:
                raise OutputError(f"{self._shown}: cannot write: {e.strerror or e}") from e

    def close(self) -> None:
        if self._owned:
            with contextlib.suppress(BrokenPipeError):  # the reader left, after whole lines
                self._stream.close()


class JsonlSink:
    def __init__(self, path: Path, *, resume: bool) -> None:
        self.path = path
        self.rejected: Rejected | None = None
        lines, bad, whole = self._read()
        if lines and not resume:
            raise ConfigError(
                f"{path} already holds {len(lines)} record(s): pass --resume to carry on, "
                "or choose another -o"
            )
        if bad or not whole:
            self._set_aside(bad, lines)
        self._records = [record for _, record in lines]
        # Records by source, those read and those written: a close with no repeat leaves
        # the file as it is, unread (reading and validating it again took a fortieth of a
        # batch's time).
        self._sources = Counter(record_source(record) for record in self._records)
        try:
            self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        except OSError as e:
            raise OutputError(f"{path}: cannot open for appending: {e.strerror or e}") from e

    def done(self) -> set[RecordKey]:
        return {
            key
            for r in self._records
            if isinstance(r, DocumentSummary) and (key := record_key(r)) is not None
        }

    def write(self, record: Record, cleaned: str | None = None) -> None:
        line = encode(record)
        with _WRITING:
            try:
                written = os.write(self._fd, line)  # one write on O_APPEND: lines never mix
                while written < len(line):  # short only when the disk fills: say so next call
                    written += os.write(self._fd, line[written:])
                os.fsync(self._fd)
            except OSError as e:
                raise OutputError(f"{self.path}: cannot write: {e.strerror or e}") from e
            self._sources[record_source(record)] += 1

    def close(self) -> None:
        os.close(self._fd)
        if any(n > 1 for n in self._sources.values()):
            self._compact()

    def _read(self) -> tuple[list[tuple[bytes, Record]], list[bytes], bool]:
        """The record lines (as written, and parsed), the other lines, and whether it ends whole."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return [], [], True
        except OSError as e:
            raise OutputError(f"{self.path}: cannot read: {e.strerror or e}") from e
        lines: list[tuple[bytes, Record]] = []
        bad: list[bytes] = []
        for line in data.splitlines(keepends=True):
            if not line.strip():
                continue
            line = line if line.endswith(b"\n") else line + b"\n"
            try:
                lines.append((line, _RECORD.validate_json(line)))
            except ValidationError:
                bad.append(line)
        return lines, bad, data.endswith(b"\n") or not data

    def _set_aside(self, bad: list[bytes], lines: list[tuple[bytes, Record]]) -> None:
        """Bad lines to FILE.rejected (next to the name given), then the file keeps the rest."""
        aside = self.path.with_name(self.path.name + ".rejected")
        try:
            if bad:
                with aside.open("ab") as handle:
                    handle.write(b"".join(bad))
                    handle.flush()
                    os.fsync(handle.fileno())
            _rewrite(self.path, [line for line, _ in lines])
        except OSError as e:
            raise OutputError(f"{aside}: cannot set aside bad lines: {e.strerror or e}") from e
        if bad:
            self.rejected = Rejected(aside, len(bad))

    def _compact(self) -> None:
        """One record per path, the newest; untouched if nothing repeats."""
        lines, bad, whole = self._read()
        if bad or not whole:  # written to by someone else meanwhile: keep it, say nothing
            return
        newest = {record_source(r): i for i, (_, r) in enumerate(lines)}
        if len(newest) == len(lines):
            return
        kept = [line for i, (line, r) in enumerate(lines) if newest[record_source(r)] == i]
        try:
            _rewrite(self.path, kept)
        except OSError as e:
            raise OutputError(f"{self.path}: cannot compact: {e.strerror or e}") from e


def _rewrite(path: Path, lines: list[bytes]) -> None:
    """Replace the file (a symlink's target, the link kept) with these lines, atomically."""
    target = real_path(path)
    tmp = target.with_name(f".{target.name}.compact")
    with tmp.open("wb") as handle:
        handle.write(b"".join(lines))
        handle.flush()
        os.fsync(handle.fileno())
        os.chmod(handle.fileno(), stat.S_IMODE(target.stat().st_mode))  # the file's own mode
    os.replace(tmp, target)
