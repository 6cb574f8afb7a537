"""Whitespace, the last step: lines trimmed, runs of spaces squeezed, at most one blank
line between paragraphs.

Last, because every step before it may leave spaces where it removed something.
"""

from __future__ import annotations

import re

from summarizer._cleaning.context import Context, present
from summarizer._cleaning.offsets import Edit

# Each pattern starts with literal text, which the regex engine can skip ahead to; a pattern
# that starts with a class of spaces is tried at every space of a long text.
_LEAD_SPACE = re.compile(r"\n[ \t\f\v]+")
_TRAIL_SPACE = re.compile(r"\n(?<=[ \t\f\v]\n)")
INNER_SPACE = re.compile(r"(?<=\S)(?:[ \t\f\v]{2,}|\t)(?=\S)")
# Runs that `INNER_SPACE` can match hold two spaces or a tab, form feed or vertical tab.
_INNER_CANDIDATES = tuple(
    (lead, re.compile(f"{lead}[ \\t\\f\\v]*")) for lead in ("  ", "\t", "\f", "\v")
)
_BLANK_LINES = re.compile(r"\n(?:[ \t\f\v]*\n){2,}")
_EDGE_SPACE = " \t\f\v"


def whitespace(text: str, context: Context) -> list[Edit]:
    """Trim lines, squeeze runs of spaces, and keep at most one blank line between paragraphs."""
    kind = "whitespace"
    edits = [Edit(m.start() + 1, m.end(), "", kind) for m in _LEAD_SPACE.finditer(text)]
    lead = len(text) - len(text.lstrip(_EDGE_SPACE))
    if lead:
        edits.append(Edit(0, lead, "", kind))
    ends = [m.start() for m in _TRAIL_SPACE.finditer(text)]
    if text and text[-1] in _EDGE_SPACE:
        ends.append(len(text))
    for end in ends:
        start = end - 1
        while start > 0 and text[start - 1] in _EDGE_SPACE:
            start -= 1
        if start > 0 and text[start - 1] != "\n":  # not a line of spaces alone: lead took that
            edits.append(Edit(start, end, "", kind))
    edits += [Edit(m.start(), m.end(), " ", kind) for m in inner_spaces(text)]
    edits += [Edit(m.start(), m.end(), "\n\n", kind) for m in _BLANK_LINES.finditer(text)]
    if context.starts_text:
        lead_all = len(text) - len(text.lstrip())
        if lead_all:
            edits.append(Edit(0, lead_all, "", kind))
    if context.ends_text:
        trail_all = len(text.rstrip())
        if 0 < trail_all < len(text):
            edits.append(Edit(trail_all, len(text), "", kind))
    return edits


def inner_spaces(text: str) -> list[re.Match[str]]:
    """`INNER_SPACE.finditer(text)`, tried only where it can match (a run's start)."""
    runs = set()
    for pattern in present(_INNER_CANDIDATES, text):
        for m in pattern.finditer(text):
            start = m.start()
            while start > 0 and text[start - 1] in _EDGE_SPACE:
                start -= 1
            runs.add(start)
    found = (INNER_SPACE.match(text, start) for start in sorted(runs))
    return [m for m in found if m]
