"""The terminal view: a rich panel of title, summary, key points, facts and entities.

`SummaryView` is a rich renderable, so the CLI prints it and tests render it into a
`StringIO` console at a fixed width; nothing here writes to a terminal by itself. Every
claim is `Prose`, which wraps Chinese as it wraps English, so nothing is cut with `…` at
any width; the title and the footer sit in the border only when they fit there.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.panel import Panel
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from summarizer._formats.base import Format
from summarizer._formats.prose import Prose
from summarizer._language import is_chinese
from summarizer._schemas import DocumentSummary, Entities, Fact

FILE_WIDTH = 100  # columns, when the panel is written to a file rather than a terminal
WIDE = 80  # columns from which evidence gets a column of its own beside the statement
_BORDER = 6  # cells a border title needs besides its text: corners, rules, padding


class SummaryView:
    """The terminal view of one result."""

    def __init__(self, summary: DocumentSummary) -> None:
        self.summary = summary

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        s = self.summary
        width = options.max_width
        title = Text(s.title or "(untitled)", style="bold")
        footer = Text(footer_line(s), style="dim")
        title_fits = cell_len(title.plain) + _BORDER <= width
        footer_fits = cell_len(footer.plain) + _BORDER <= width
        parts: list[RenderableType] = [] if title_fits else [Prose(title), Text()]
        parts += [Prose(s.summary), Text()]
        if s.key_points:
            parts.append(Text("Key points", style="bold"))
            points = Table.grid(padding=(0, 1))
            points.add_column(no_wrap=True)
            points.add_column()
            for point in s.key_points:
                points.add_row("•", Prose(point))
            parts.extend([points, Text()])
        if s.facts:
            parts.append(facts_table(s, wide=width >= WIDE))
        entities = entity_groups(s)
        if entities:
            parts.append(Text())
            for label, names in entities:
                joined = "、".join(names) if is_chinese(s.language) else ", ".join(names)
                parts.append(Prose(Text.assemble((f"{label}: ", "bold"), joined)))
        if not footer_fits:
            parts += [Text(), Prose(footer)]
        panel = Panel(
            Group(*parts),
            title=title if title_fits else None,
            subtitle=footer if footer_fits else None,
            expand=True,
        )
        yield from printable(console.render(panel, options))


# What a terminal would obey, or reorder the text around by, should any reach the panel (a
# model's answer, a page's title): C0 controls but tab and line feed, DEL, C1 controls, and
# the bidi embeddings, overrides and isolates. Rich passes ESC through; cleaning removes
# all of these from documents, but not every string shown comes from the cleaned text.
_RANGES = ((0x00, 0x08), (0x0B, 0x1F), (0x7F, 0x9F), (0x202A, 0x202E), (0x2066, 0x2069))
_UNPRINTABLE = dict.fromkeys(c for first, last in _RANGES for c in range(first, last + 1))


def printable(segments: Iterable[Segment]) -> Iterator[Segment]:
    """The panel's text without those characters; they take no cells, so the frame holds."""
    for segment in segments:
        text = segment.text
        if not segment.control and text.translate(_UNPRINTABLE) != text:
            segment = Segment(text.translate(_UNPRINTABLE), segment.style, segment.control)
        yield segment


def footer_line(summary: DocumentSummary) -> str:
    m = summary.metadata
    removed = m.cleaning.chars_before - m.cleaning.chars_after
    return (
        f"{m.source} · {summary.language} · engine {m.engine} · {m.chunks} chunk(s) · "
        f"cleaning removed {removed} chars"
    )


def facts_table(summary: DocumentSummary, *, wide: bool = True) -> Table:
    """Evidence gets a column only when some of it differs from its statement (the offline
    engine's never does) and the terminal is wide; when narrow it goes under the statement,
    and the span under the category, so the statement keeps most of the width."""
    quoted = any(f.evidence != f.statement for f in summary.facts)
    table = Table(
        title="Facts",
        title_justify="left",
        expand=True,
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
    )
    table.add_column("#", justify="right", style="dim", no_wrap=True)
    if wide:
        table.add_column("Category", no_wrap=True)
    table.add_column("Statement", ratio=1)
    if wide and quoted:
        table.add_column("Evidence", ratio=1, style="italic")
    table.add_column("Span" if wide else "Category", justify="left", no_wrap=True)
    for i, fact in enumerate(summary.facts, 1):
        span = Text(f"{fact.start}-{fact.end}", style="dim")
        if wide:
            evidence = [_evidence(fact) or Text("=", style="dim")] if quoted else []
            table.add_row(str(i), fact.category, Prose(fact.statement), *evidence, span)
        else:
            shown = [Prose(fact.statement), *([e] if (e := _evidence(fact)) else [])]
            table.add_row(str(i), Group(*shown), Text.assemble(fact.category, "\n", span))
    return table


def _evidence(fact: Fact) -> Prose | None:
    """The quote, when it says more than the statement."""
    if fact.evidence == fact.statement:
        return None
    return Prose(f"“{fact.evidence}”", style="italic")


def entity_groups(summary: DocumentSummary) -> list[tuple[str, list[str]]]:
    """The kinds of entity found, with their names."""
    entities = summary.entities
    groups = [(kind.capitalize(), getattr(entities, kind)) for kind in Entities.model_fields]
    return [(label, names) for label, names in groups if names]


def as_text(summary: DocumentSummary) -> str:
    """The panel as plain text, for a file or a pipe."""
    console = Console(record=True, width=FILE_WIDTH, file=io.StringIO(), color_system=None)
    console.print(SummaryView(summary))
    return console.export_text()


FORMAT = Format(
    "rich", (), as_text, view=SummaryView, description="a panel for the terminal (default)"
)
