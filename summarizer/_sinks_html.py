"""A batch written as a folder of pages: one HTML page per document, and index.html.

Each page is written as its document finishes (through a temporary file and a rename, as
every result is); the index, which lists them all and the failures, is written on close.
Page names come from the source's name and a hash of its path, so two `report.txt` in
different folders get two pages, and a second run over the same inputs replaces them.
There is nothing to resume: `done()` is always empty.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from pathlib import Path

from summarizer._errors import OutputError
from summarizer._formats import html
from summarizer._output import write_text
from summarizer._schemas import DocumentSummary, Record
from summarizer._sinks import RecordKey, Rejected, record_source

INDEX = "index.html"
_UNSAFE = re.compile(r"[^\w.-]+")  # \w is Unicode: Chinese names stay readable


def page_name(source: str) -> str:
    """`report-1a2b3c4d.html` for `docs/report.txt`: readable, and one per source path."""
    stem = _UNSAFE.sub("-", Path(source).stem).strip("-.")[:60] or "document"
    digest = hashlib.sha256(os.path.normpath(source).encode("utf-8", "surrogatepass")).hexdigest()
    return f"{stem}-{digest[:8]}.html"


class HtmlDirectorySink:
    """Takes each record of a batch; a summary becomes a page, every record a row of the index."""

    rejected: Rejected | None = None

    def __init__(self, directory: Path) -> None:
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise OutputError(f"{directory}: cannot make the folder: {e.strerror or e}") from e
        self.directory = directory
        self._entries: dict[str, html.IndexEntry] = {}  # by source: a retried one replaces
        self._lock = threading.Lock()  # records arrive from worker threads

    def done(self) -> set[RecordKey]:
        return set()

    def write(self, record: Record) -> None:
        source = record_source(record)
        name = None
        if isinstance(record, DocumentSummary):
            name = page_name(source)
            write_text(self.directory / name, html.render(record))
        with self._lock:
            self._entries[source] = html.IndexEntry(record, name)

    def close(self) -> None:
        with self._lock:
            entries = [self._entries[k] for k in sorted(self._entries)]
        write_text(self.directory / INDEX, html.render_index(entries))
