"""Mentions: where a text names a name, as the text writes it.

A name a model or a rule proposes is rarely written exactly as the source writes it: width
(ＡＢＣ), script (農业處 for 農業處), case and whitespace differ. Mentions are found through
grounding's folding, so `text[start:end]` is always the source's own span, and only where
the name stands as a name: whole words for a Latin name, no clause mark inside.
"""

from __future__ import annotations

from functools import lru_cache

from summarizer._grounding import fold
from summarizer._schemas import SourceSpan
from summarizer._scripts import HAN_CHAR

_CLAUSE_MARKS = frozenset('，。、；：！？,;:!?“”「」『』《》()（）"\n')


def mentions(name: str, text: str) -> list[SourceSpan]:
    """Every place `text` names `name`, left to right, none overlapping.

    Found through grounding's folding, so width, case, whitespace and script variants match
    (農业處 finds 農業處); `text[start:end]` is the mention as the source writes it. A Latin
    name stands as whole words with its capital (Chen is not in Kitchen), and no match runs
    across a clause mark the name itself lacks (黄军 is not in 黄，军).
    """
    return list(_mentions(name, text))


@lru_cache(maxsize=4096)
def _mentions(name: str, text: str) -> tuple[SourceSpan, ...]:
    """Cached: a name is resolved when the engine merges and again when the pipeline
    locates every engine's names, and its short forms are looked up for each entity."""
    needle = fold(name).text
    if not needle:
        return ()
    source = fold(text)
    latin = HAN_CHAR.search(name) is None
    marks = _CLAUSE_MARKS - set(name)
    spans = []
    pos = source.text.find(needle)
    while pos >= 0:
        start, end = source.origin[pos], source.origin[pos + len(needle) - 1] + 1
        if not marks.intersection(text[start:end]) and (
            not latin or _whole_words(name, text, start, end)
        ):
            spans.append(SourceSpan(start=start, end=end))
            pos = source.text.find(needle, pos + len(needle))
        else:
            pos = source.text.find(needle, pos + 1)
    return tuple(spans)


def _whole_words(name: str, text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    capital = not name[0].isupper() or text[start].isupper()
    return capital and not before.isalnum() and not after.isalnum()
