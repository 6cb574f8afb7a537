"""A PDF's title: writers fill in junk of their own, so the first page's heading decides.

Kept apart from loading because it reads text, not bytes: a heuristic over the first lines
that changes with the documents we meet, not with the formats we read.
"""

from __future__ import annotations

import re
from pathlib import Path

from summarizer._scripts import HAN_CHAR

# Titles that PDF writers fill in by themselves, or that name no document.
_JUNK_TITLE = re.compile(
    r"(?:test|untitled|untitled document|title|document|new document|no title|none|null"
    r"|unknown|slide ?\d*|page ?\d*|\d+|无标题|無標題|未命名|新建文档|新建文件|文档\d*)",
    re.I,
)
_GENERATED_TITLE = re.compile(  # "Microsoft Word - report.docx", "report.pdf", "C:\\x\\y"
    r"microsoft\s+(?:word|excel|powerpoint)\s*-.*|.+\.(?:docx?|pdf|rtf|odt|wps|pptx?|xlsx?"
    r"|txt|tex|html?|indd|pages)|[a-z]:[\\/].*|/.*",
    re.I,
)
_HEADING_STOPS = "。！？.!?；;：:，,"
_WRAPPED_WIDTH = 60  # columns (Han two): narrower lines are no wrapped paragraph's


def pdf_title(metadata_title: str | None, text: str, source: str = "") -> str | None:
    """A PDF's title: its metadata's, unless that is missing or junk, else the first line
    of its text that reads like a heading.

    Writers put `test`, `Untitled`, `Microsoft Word - report.docx` or the file name in the
    metadata, and that became the summary's title though the first page says otherwise.
    """
    title = " ".join((metadata_title or "").split())
    name = Path(source).name.lower()
    if title and not (
        _JUNK_TITLE.fullmatch(title)
        or _GENERATED_TITLE.fullmatch(title)
        or title.lower() in (name, Path(name).stem)
    ):
        return title
    lines = [" ".join(line.split()) for line in text.splitlines()[:20]]
    for line, following in zip(lines, [*lines[1:], ""], strict=True):
        if _heading_like(line, following):
            return line
        if _width(line) >= _WRAPPED_WIDTH:  # the body text has begun
            break
    return None


def _heading_like(line: str, following: str) -> bool:
    """A line a title page opens with: words (not a page number or a date alone), short,
    not a sentence or a clause (which end in punctuation), and not the first line of a
    hard-wrapped paragraph (which goes on in lowercase, or in a line as wide)."""
    if sum(c.isalpha() for c in line) < 3 or line[-1] in _HEADING_STOPS:
        return False
    han = len(HAN_CHAR.findall(line))
    if len(line) > (64 if han else 150) or following[:1].islower():
        return False
    width = len(line) + han
    return width < _WRAPPED_WIDTH or _width(following) < width * 0.9


def _width(line: str) -> int:
    """Columns, a Han character taking two."""
    return len(line) + len(HAN_CHAR.findall(line))
