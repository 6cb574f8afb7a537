"""What the cleaning steps share: the state one block of a long text hands the next, the
text around a block, and the ways of reading lines that every line-by-line step uses.

A step is a function from a block and this context to edits; it lives here rather than in
`__init__` so the step modules can import it without importing the steps' order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate

from summarizer._cleaning.offsets import Edit
from summarizer._schemas import Byline
from summarizer._scripts import HAN

SENTENCE_END = "。！？!?…"
PROSE_END = SENTENCE_END + "."


@dataclass
class Context:
    """What the steps share besides the text.

    The byline they fill, what a line-by-line step remembers from one block of a long
    text to the next, and the text around the block for the steps that judge a line by
    its neighbours (see `clean`).
    """

    byline: Byline = field(default_factory=Byline)
    in_related: bool = False  # page_chrome: inside a list of related links
    in_references: bool = False  # page_chrome: inside a reference list
    seen: set[str] = field(default_factory=set)  # repeats: the paragraphs met so far,
    # ...and the last ones a cut copy in the next block can belong to
    repeat_tail: list[tuple[tuple[int, int, int], str]] = field(default_factory=list)
    offset: int = 0  # where the block starts in the text the step reads
    starts_text: bool = True  # whitespace: this block is where the text starts,
    ends_text: bool = True  # ...and where it ends
    before: str = ""  # up to AROUND_CHARS of the text before the block,
    after: str = ""  # ...and after it, as this step sees them


Step = Callable[[str, Context], list[Edit]]


def lines(text: str) -> Iterator[tuple[int, str]]:
    """(start, line with its line break) for every line of `text`, counted in C (a
    generator's step per line cost the line-by-line steps a tenth of their time)."""
    found = text.splitlines(keepends=True)
    return zip(accumulate(map(len, found), initial=0), found, strict=False)


# A pattern that can only match where its literal lead is: (lead, pattern).
Led = tuple[str, re.Pattern[str]]


def present(led: tuple[Led, ...], text: str) -> Iterator[re.Pattern[str]]:
    """The patterns whose lead occurs in `text`: `in` tells faster than the regex engine
    that a pattern cannot match at all, and most leads are absent from most blocks."""
    return (pattern for lead, pattern in led if lead in text)


def is_latin(text: str) -> bool:
    """Whether `text` has no Han character: the steps' rules differ by script."""
    return not _HAN_CHAR.search(text)


_HAN_CHAR = re.compile(f"[{HAN}]")
