"""Cuts: where a sentence with no end of its own is cut, so no span exceeds MAX_SENTENCE.

Text without sentence punctuation (a transcript, a page flattened to one line) would be one
sentence of megabytes, and everything downstream is built for sentences of a few hundred
characters. Such a span is cut at a clause mark, else at a space, else at a fixed width that
keeps numbers, Latin words and graphemes whole (`_cut`); both sentence paths cut through
`cap`, so they agree.
"""

from __future__ import annotations

import unicodedata
from typing import NamedTuple

# Characters. The longest sentences of the examples and seeds are under 260; 400 is about 70
# English words or two long Chinese sentences, and a summary of 600 characters always has
# room for one.
MAX_SENTENCE = 400
CLOSERS = "”’」』）)】》〉\"'"


class Span(NamedTuple):
    start: int
    end: int


_CLAUSE_MARKS = "，、；,;"
_TRIES = 16  # places each way tries, so a piece costs the same whatever the text holds
_SPACE_MARKS = " \t\u3000"  # found with str.rfind; rarer spaces are left to `_can_cut`
_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_IN_WORD = frozenset(".,:'’-")  # between two letters or digits they join them: 3.5, U.S, don't
_UNITS = frozenset("%％‰十百千万萬亿億兆元")  # after a number, part of it: 3.5%, 1.5亿元
_CURRENCY = frozenset("$€£¥￥")
_ZWJ, _ZWNJ = "\u200d", "\u200c"


def cap(text: str, start: int, end: int) -> list[Span]:
    """A stripped span longer than MAX_SENTENCE, cut into pieces of at most that length."""
    pieces = []
    while end - start > MAX_SENTENCE:
        cut = _cut(text, start)
        stop = cut
        while text[stop - 1].isspace():
            stop -= 1
        pieces.append(Span(start, stop))
        start = cut
        while text[start].isspace():
            start += 1
    pieces.append(Span(start, end))
    return pieces


def _cut(text: str, start: int) -> int:
    """Where the piece that starts at `start` ends: at most MAX_SENTENCE on, at least half that.

    After the last clause mark (，、；,;) that is not inside a number; else before the last
    space; else at the fixed width, or up to `_TRIES` characters before it, where no number,
    Latin word, run of ASCII punctuation (a token estimate counts runs whole) or grapheme
    is split; else, inside a token that long, at a grapheme boundary.
    """
    low, high = start + MAX_SENTENCE // 2, start + MAX_SENTENCE
    before = high
    for _ in range(_TRIES):
        mark = max(text.rfind(c, low - 1, before) for c in _CLAUSE_MARKS)
        if mark < 0:
            break
        cut = mark + 1
        while cut < high and text[cut] in CLOSERS:  # a closing quote stays with its clause
            cut += 1
        if _can_cut(text, cut):
            return cut
        before = mark
    space = max(text.rfind(c, low, high + 1) for c in _SPACE_MARKS)
    if space >= low:
        return space
    for cut in range(high, high - _TRIES, -1):
        if _can_cut(text, cut):
            return cut
    for cut in range(high, high - _TRIES, -1):
        if not _joins_grapheme(text, cut):
            return cut
    return high - 1 if "\udc00" <= text[high] <= "\udfff" else high


def _can_cut(text: str, pos: int) -> bool:
    """Whether a cut between text[pos - 1] and text[pos] keeps every token whole."""
    a, b = text[pos - 1], text[pos]
    if a.isspace() or b.isspace():
        return True
    if _wordlike(b):
        split = (
            _wordlike(a)  # a Latin word or a number
            or (a in _IN_WORD and pos >= 2 and _wordlike(text[pos - 2]))  # 3.|5, don'|t
            or (a in _CURRENCY and b.isdigit())  # $|5
        )
    else:
        split = (
            (a in _ASCII_PUNCT and b in _ASCII_PUNCT)  # a run a token estimate counts whole
            or (b in _UNITS and (a.isdigit() or a in _UNITS))  # 3.5|%, 1.5|亿|元
            or (b in _IN_WORD and _wordlike(a) and _wordlike(text[pos + 1 : pos + 2]))  # 3|.5
        )
    return not split and not _joins_grapheme(text, pos)


def _wordlike(ch: str) -> bool:
    """A digit, or a letter of a script that spaces its words (not Han, kana or hangul)."""
    if ch < "\x80":
        return ch.isalnum()
    if ch.isdigit():
        return True
    return ch.isalpha() and unicodedata.east_asian_width(ch) not in ("W", "F")


def _joins_grapheme(text: str, pos: int) -> bool:
    """Whether text[pos] belongs to the grapheme of text[pos - 1] (UAX #29, in short).

    Combining and spacing marks, variation selectors, emoji modifiers and tags extend what
    is before them; a zero-width joiner binds both neighbours; regional indicators pair up
    into flags; conjoining jamo make one syllable; and a surrogate pair, as a string holds
    one from a `surrogatepass` decode, is one character.
    """
    a, b = text[pos - 1], text[pos]
    if "\ud800" <= a <= "\udbff" and "\udc00" <= b <= "\udfff":
        return True
    if b in (_ZWJ, _ZWNJ) or a == _ZWJ or unicodedata.category(b) in ("Mn", "Me", "Mc"):
        return True
    if "\U0001f3fb" <= b <= "\U0001f3ff" or "\U000e0020" <= b <= "\U000e007f":
        return True
    if _regional(a) and _regional(b):
        pairs = 0
        while pos - 1 - pairs >= 0 and _regional(text[pos - 1 - pairs]):
            pairs += 1
        return pairs % 2 == 1
    return _jamo_joins(a, b)


def _regional(ch: str) -> bool:
    return "\U0001f1e6" <= ch <= "\U0001f1ff"


def _jamo_joins(a: str, b: str) -> bool:
    """Hangul syllable rules: L × (L | V | LV | LVT), (LV | V) × (V | T), (LVT | T) × T."""
    kind_a, kind_b = _jamo(a), _jamo(b)
    if not kind_a or not kind_b:
        return False
    if kind_a == "L":
        return kind_b in ("L", "V", "LV", "LVT")
    if kind_a in ("LV", "V"):
        return kind_b in ("V", "T")
    return kind_b == "T"


def _jamo(ch: str) -> str:
    code = ord(ch)
    if 0x1100 <= code <= 0x115F or 0xA960 <= code <= 0xA97C:
        return "L"
    if 0x1160 <= code <= 0x11A7 or 0xD7B0 <= code <= 0xD7C6:
        return "V"
    if 0x11A8 <= code <= 0x11FF or 0xD7CB <= code <= 0xD7FB:
        return "T"
    if 0xAC00 <= code <= 0xD7A3:
        return "LV" if (code - 0xAC00) % 28 == 0 else "LVT"
    return ""
