from __future__ import annotations

import json

from rich.console import Console

from summarizer import DocumentSummary, summarize
from summarizer import _formats as formats
from summarizer._formats.json import to_json
from summarizer._formats.markdown import to_markdown
from summarizer._formats.panel import SummaryView

from .conftest import EXAMPLES, rendered


def result() -> DocumentSummary:
    return summarize(EXAMPLES / "zh_hans_county_news.txt")


def test_panel_shows_title_summary_points_facts_and_entities(console: Console) -> None:
    summary = result()
    console.print(SummaryView(summary))
    out = rendered(console)
    assert summary.title and summary.title in out
    assert "Key points" in out and out.count("•") == len(summary.key_points)
    assert "Facts" in out and "money" in out and "percent" in out
    assert "People:" in out and "李明远" in out
    assert "engine extractive" in out
    assert max(len(line) for line in out.splitlines()) <= 100


def test_markdown_has_sections_and_escapes_pipes() -> None:
    summary = result()
    md = to_markdown(summary)
    assert md.startswith(f"# {summary.title}\n")
    assert "## Key points" in md and "## Facts" in md
    assert md.count("\n- ") >= len(summary.key_points)
    row = next(line for line in md.splitlines() if line.startswith("| 1 |"))
    assert summary.facts[0].evidence in row


def test_json_round_trips_to_the_schema() -> None:
    summary = result()
    data = json.loads(to_json(summary))
    assert set(data) >= {
        "title",
        "language",
        "summary",
        "key_points",
        "facts",
        "entities",
        "metadata",
    }
    assert DocumentSummary.model_validate(data) == summary
    assert "青岚" in to_json(summary), "JSON keeps Chinese readable, not \\u-escaped"


def test_formats_are_found_by_name_and_suffix() -> None:
    assert formats.names() == ["rich", "json", "jsonl", "markdown"]
    assert formats.for_path(EXAMPLES / "out.JSON") is formats.get("json")
    assert formats.for_path(EXAMPLES / "out.markdown") is formats.get("markdown")
    assert formats.for_path(EXAMPLES / "out.html") is None
    assert [f.name for f in formats.FORMATS.values() if f.line_oriented] == ["jsonl"]


def test_the_panel_as_text_is_what_a_terminal_would_show() -> None:
    summary = result()
    text = formats.get("rich").render(summary)
    assert summary.title and summary.title in text and "Key points" in text
    assert "\x1b[" not in text  # plain text for a file or a pipe: no colour codes
