"""What an output format is: a name, the suffixes that choose it, and how it renders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.console import RenderableType

from summarizer._schemas import DocumentSummary


@dataclass(frozen=True)
class Format:
    name: str
    suffixes: tuple[str, ...]
    render: Callable[[DocumentSummary], str]  # the text written to a file or a pipe
    line_oriented: bool = False  # one record per line, so a batch can stream it
    view: Callable[[DocumentSummary], RenderableType] | None = None  # for a terminal
    description: str = ""
    # For a format that shows the cleaned text the spans index (HTML): render with it.
    render_with_text: Callable[[DocumentSummary, str], str] | None = None

    def rendered(self, summary: DocumentSummary, cleaned: str | None = None) -> str:
        """The text to write; `cleaned` is the pipeline's, when the caller has it at hand."""
        if cleaned is not None and self.render_with_text is not None:
            return self.render_with_text(summary, cleaned)
        return self.render(summary)
