"""A batch written as a folder of pages: one HTML page per document, and index.html.

Each page is written as its document finishes (through a temporary file and a rename, as
every result is), from the cleaned text the pipeline hands on; a record shipped without
it (from a Ray worker) has its source read again. The records themselves go to
`records.jsonl` in the folder, through the JSON Lines sink, so `--resume` works as it does
for `-o FILE.jsonl`: a document whose (path, hash) already has a result is skipped, a rerun
without `--resume` onto a folder that holds records is refused before any work, and each
path keeps only its newest record. A page is written before its record, so a record
always has its page. On close the index is built from those records, this run's and
earlier runs' alike, failures included.

Page names come from the source's name and a hash of its path, so two `report.txt` in
different folders get two pages, and a newer result for the same path replaces its page.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from summarizer._errors import OutputError
from summarizer._formats import html
from summarizer._output import write_text
from summarizer._schemas import DocumentSummary, Record
from summarizer._sinks import JsonlSink, RecordKey, Rejected, record_source

INDEX = "index.html"
RECORDS = "records.jsonl"
_UNSAFE = re.compile(r"[^\w.-]+")  # \w is Unicode: Chinese names stay readable
_RECORD: TypeAdapter[Record] = TypeAdapter(Record)


def page_name(source: str) -> str:
    """`report-1a2b3c4d.html` for `docs/report.txt`: readable, and one per source path."""
    stem = _UNSAFE.sub("-", Path(source).stem).strip("-.")[:60] or "document"
    digest = hashlib.sha256(os.path.normpath(source).encode("utf-8", "surrogatepass")).hexdigest()
    return f"{stem}-{digest[:8]}.html"


class HtmlDirectorySink:
    """Takes each record of a batch; a summary becomes a page, every record a row of the index."""

    def __init__(self, directory: Path, *, resume: bool = False) -> None:
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise OutputError(f"{directory}: cannot make the folder: {e.strerror or e}") from e
        self.directory = directory
        self._records = JsonlSink(directory / RECORDS, resume=resume)
        self.rejected: Rejected | None = self._records.rejected

    def done(self) -> set[RecordKey]:
        return self._records.done()

    def write(self, record: Record, cleaned: str | None = None) -> None:
        if isinstance(record, DocumentSummary):
            page = html.FORMAT.rendered(record, cleaned)
            write_text(self.directory / page_name(record_source(record)), page)
        self._records.write(record)

    def close(self) -> None:
        self._records.close()  # compacted: one record per path, the newest
        entries = [self._entry(r) for r in self._read()]
        entries.sort(key=lambda e: record_source(e.record))
        write_text(self.directory / INDEX, html.render_index(entries))

    def _entry(self, record: Record) -> html.IndexEntry:
        if not isinstance(record, DocumentSummary):
            return html.IndexEntry(record)
        name = page_name(record_source(record))
        return html.IndexEntry(record, name if (self.directory / name).is_file() else None)

    def _read(self) -> list[Record]:
        """The records file as the JSON Lines sink left it; a line someone broke is passed over."""
        path = self.directory / RECORDS
        try:
            lines = path.read_bytes().splitlines()
        except OSError as e:
            raise OutputError(f"{path}: cannot read: {e.strerror or e}") from e
        found: list[Record] = []
        for line in lines:
            try:
                found.append(_RECORD.validate_json(line))
            except ValidationError:
                continue
        return found
