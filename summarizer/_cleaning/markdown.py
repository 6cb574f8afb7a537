"""Markdown syntax: heading marks, list bullets, emphasis, link targets and fences.

Only for a Markdown document, right after normalization, so that the line-based steps see
a heading or an item as its words and the engines never quote markup.
"""

from __future__ import annotations

import re

from summarizer._cleaning.context import Context
from summarizer._cleaning.offsets import Edit


def markdown_syntax(text: str, context: Context) -> list[Edit]:
    """Heading marks, emphasis, link targets and fences, which are markup, not prose."""
    edits: list[Edit] = []
    for m in re.finditer(r"^[ \t]*(?:#{1,6}[ \t]+|[-*+][ \t]+|>[ \t]?|```.*$)", text, re.M):
        edits.append(Edit(m.start(), m.end(), "", "markdown"))
    for m in re.finditer(r"!\[[^\]\n]*\]\([^)\n]*\)", text):
        edits.append(Edit(m.start(), m.end(), "", "markdown"))
    for m in re.finditer(r"(?<!!)\[([^\]\n]+)\](\([^)\n]*\))", text):
        edits.append(Edit(m.start(), m.start() + 1, "", "markdown"))
        edits.append(Edit(m.start(2) - 1, m.end(2), "", "markdown"))
    for m in re.finditer(r"\*\*|__|`", text):
        edits.append(Edit(m.start(), m.end(), "", "markdown"))
    return sorted(edits)  # in document order, as the report's samples are
