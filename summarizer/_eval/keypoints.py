"""Key points that add nothing: near-duplicates of an earlier point, and labels.

A near-duplicate is found with difflib's ratio on the folded text (width, case, script and
punctuation folded as grounding folds them). A label is a heading rather than a statement:
under 4 words (or, in CJK text, under 6 characters), or, in space-separated text, with no
predicate. Without a tagger (spaCy and NLTK need model downloads) "no predicate" is a
heuristic: a finite verb is an auxiliary or common irregular past form, a word in -ed after
the first, or a word in -s between a noun-like word and a continuation, so "Budget rises
4%" has one and "Funding for schools and parks" has none. CJK text is judged by length only.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from summarizer._grounding import fold
from summarizer._scripts import HAN_CHAR

DUPLICATE_RATIO = 0.8
MIN_WORDS = 4
MIN_CJK_CHARS = 6
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’%$.,-]*")
_FINITE = frozenset(
    "is are was were be been am has have had do does did will would shall should can could "
    "may might must isn't aren't wasn't weren't won't can't didn't doesn't don't hasn't "
    "said rose fell grew set began ran made took gave held met won lost cut paid built left "
    "became came went saw told put kept brought spent sold found led hit chose drew "
    "says rises falls grows receive include remain reach expect".split()  # plural: no -s
)
_NOT_BEFORE_VERB = frozenset(
    "a an the of for to in on at by with from and or its their his her our this that these "
    "those new more most".split()
)
_NOT_AFTER_VERB = frozenset("of and or for".split())


def redundant(points: list[str]) -> list[int]:
    """Indices of points that nearly repeat an earlier one."""
    folded = [fold(p).text for p in points]
    return [
        i
        for i in range(1, len(points))
        if any(
            SequenceMatcher(None, folded[i], folded[j]).ratio() >= DUPLICATE_RATIO for j in range(i)
        )
    ]


def is_label(point: str) -> bool:
    if HAN_CHAR.search(point):
        return len(fold(point).text) < MIN_CJK_CHARS
    words = [w.strip(".,").lower() for w in _WORD.findall(point)]
    return len(words) < MIN_WORDS or not has_predicate(words)


def has_predicate(words: list[str]) -> bool:
    """Whether lower-cased words hold something that looks like a finite verb."""
    for i, word in enumerate(words):
        if word in _FINITE:
            return True
        if i == 0 or len(word) < 4:
            continue
        if word.endswith("ed"):
            return True
        if (
            word.endswith("s")
            and not word.endswith(("ss", "us", "is", "'s", "’s"))
            and i + 1 < len(words)
            and words[i - 1] not in _NOT_BEFORE_VERB
            and words[i + 1] not in _NOT_AFTER_VERB
        ):
            return True
    return False
