"""The terminal view: a rich panel of title, summary, key points, facts and entities.

`SummaryView` is a rich renderable, so the CLI prints it and tests render it into a
`StringIO` console at a fixed width; nothing here writes to a terminal by itself.
"""

from __future__ import annotations

import io

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from summarizer._formats.base import Format
from summarizer._language import is_chinese
from summarizer._schemas import DocumentSummary

FILE_WIDTH = 100  # columns, when the panel is written to a file rather than a terminal


class SummaryView:
    """The terminal view of one result."""

    def __init__(self, summary: DocumentSummary) -> None:
        self.summary = summary

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        s = self.summary
        parts: list[Text | Table] = [Text(s.summary), Text()]
        if s.key_points:
            parts.append(Text("Key points", style="bold"))
            points = Table.grid(padding=(0, 1))
            points.add_column(no_wrap=True)
            points.add_column()
            for point in s.key_points:
                points.add_row("•", point)
            parts.extend([points, Text()])
        if s.facts:
            parts.append(facts_table(s))
        entities = entity_groups(s)
        if entities:
            parts.append(Text())
            for label, names in entities:
                joined = "、".join(names) if is_chinese(s.language) else ", ".join(names)
                parts.append(Text.assemble((f"{label}: ", "bold"), joined))
        m = s.metadata
        removed = m.cleaning.chars_before - m.cleaning.chars_after
        footer = (
            f"{m.source} · {s.language} · engine {m.engine} · {m.chunks} chunk(s) · "
            f"cleaning removed {removed} chars"
        )
        yield Panel(
            Group(*parts),
            title=Text(s.title or "(untitled)", style="bold"),
            subtitle=Text(footer, style="dim"),
            expand=True,
        )


def facts_table(summary: DocumentSummary) -> Table:
    table = Table(title="Facts", expand=True, show_lines=False, title_justify="left")
    table.add_column("#", justify="right", style="dim", no_wrap=True)
    table.add_column("Category", no_wrap=True)
    table.add_column("Statement", ratio=3)
    table.add_column("Evidence", ratio=3, style="italic")
    table.add_column("Span", justify="right", style="dim", no_wrap=True)
    for i, fact in enumerate(summary.facts, 1):
        evidence = fact.evidence if fact.evidence != fact.statement else "= statement"
        table.add_row(str(i), fact.category, fact.statement, evidence, f"{fact.start}-{fact.end}")
    return table


def entity_groups(summary: DocumentSummary) -> list[tuple[str, list[str]]]:
    """The kinds of entity found, with their names."""
    e = summary.entities
    groups = (("People", e.people), ("Organizations", e.organizations), ("Places", e.places))
    return [(label, names) for label, names in groups if names]


def as_text(summary: DocumentSummary) -> str:
    """The panel as plain text, for a file or a pipe."""
    console = Console(record=True, width=FILE_WIDTH, file=io.StringIO(), color_system=None)
    console.print(SummaryView(summary))
    return console.export_text()


FORMAT = Format(
    "rich", (), as_text, view=SummaryView, description="a panel for the terminal (default)"
)
