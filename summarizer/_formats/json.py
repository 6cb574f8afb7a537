"""The result as JSON: one indented object, or one line per document for a batch.

Both validate against `summarizer schema` (the `DocumentSummary` JSON Schema).
"""

from __future__ import annotations

from summarizer._formats.base import Format
from summarizer._schemas import DocumentSummary


def to_json(summary: DocumentSummary) -> str:
    return summary.to_json() + "\n"


def to_line(summary: DocumentSummary) -> str:
    return summary.model_dump_json() + "\n"


FORMAT = Format("json", (".json",), to_json, description="the result as indented JSON")
LINES = Format(
    "jsonl", (".jsonl",), to_line, line_oriented=True, description="one JSON line per document"
)
