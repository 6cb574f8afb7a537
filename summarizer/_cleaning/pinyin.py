"""Pinyin left by a script converter after each Han character: `統(tǒng)戰(zhàn)`.

Removed before the line-by-line steps, so that a credit or a chrome line carrying it is
recognised, and before the engines, which would quote it.
"""

from __future__ import annotations

import re

from summarizer._cleaning.context import Context, present
from summarizer._cleaning.offsets import Edit
from summarizer._scripts import HAN

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_SYLLABLE = rf"(?:[zcs]h|[bpmfdtnlgkhjqxrzcsyw])?[aeiouüv{_TONED}]{{1,4}}(?:ng|n|r)?"
# The bracket comes first and the lookbehind second, so the regex engine can skip ahead to
# brackets instead of trying the lookbehind at every character; one pattern per bracket, as
# the engine skips ahead to a literal character much faster than to a class of them.
_PINYIN = tuple(
    (
        bracket,
        re.compile(
            rf"{re.escape(bracket)}(?<=[{HAN}]{re.escape(bracket)})"
            rf"(?=[a-zü{_TONED}]*[{_TONED}])({_SYLLABLE})[)）]"
        ),
    )
    for bracket in ("(", "（")
)


def pinyin_artifacts(text: str, context: Context) -> list[Edit]:
    """`統(tǒng)戰(zhàn)` -> `統戰`: a script converter's pinyin left after each character.

    Only a single tone-marked syllable right after a Han character counts, so real
    parentheticals such as `(2025年)` or `(含里辦公處)` stay.
    """
    found = sorted(m.span() for pattern in present(_PINYIN, text) for m in pattern.finditer(text))
    return [Edit(start, end, "", "pinyin_artifacts") for start, end in found]
