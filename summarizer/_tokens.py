"""Token estimates: what a text costs a model, counted offline before it is sent.

Budgets are checked before every request and chunks are sized against the context window,
so counts are needed without a tokenizer: tiktoken fetches its encodings at run time, which
fails offline. `estimate_tokens` is calibrated against real tokenizers and leans towards
over-counting, so a chunk that fits by estimate fits for real. `TokenCosts` gives the same
answers for the many spans of one long text, which is where chunking spent its time.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from summarizer._scripts import (
    HAN,
    HAN_RANGES,
    HANGUL,
    HANGUL_RANGES,
    KANA,
    KANA_RANGES,
    SPACE_CODES,
    bmp,
    codepoints,
    in_ranges,
)

# Weights fitted on tests/data/token_calibration.json (bench/calibrate_tokens.py, Qwen2.5's
# tokenizer through llama.cpp) so the estimate is at or above the real count on every sample:
# estimate/actual is 1.02 at least and 1.24 at the median. English is within 1% across the
# tokenizers measured; Chinese is the expensive part (Qwen: ~0.7 tokens per simplified
# character, ~0.9 per traditional one, up to 1.1 for rare characters, which sets `cjk`).
_CJK = re.compile(f"[{KANA}{HAN}{HANGUL}]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_DIGIT = re.compile(r"[0-9]")
_ASCII_PUNCT_RUN = re.compile(r"[!-/:-@\[-`{-~]+")
_SPACE_RUN = re.compile(r"\s+")
_ASTRAL = re.compile(rf"[\U00010000-\U0010ffff](?<![{HAN}])")  # beyond the BMP, not Han
# Hundredths of a token, so sums are exact integers whatever the order they are added in.
CJK, WORD, LONG_WORD, DIGIT, PUNCT, SYMBOL, ASTRAL, SPACE = 112, 105, 75, 105, 110, 110, 100, 125


def estimate_tokens(text: str) -> int:
    """An upper-leaning estimate of the tokens a modern BPE tokenizer gives `text`."""
    if len(text) > _ESTIMATE_VECTOR_MIN:  # every request's prompt is counted before it is sent
        return TokenCosts(text).cost(0, len(text))
    cjk = len(_CJK.findall(text))
    words = letters = long_extra = 0
    for m in _LATIN_WORD.finditer(text):
        n = m.end() - m.start()
        words += 1
        letters += n
        long_extra += max(0, n - 8)
    digits = len(_DIGIT.findall(text))
    punct_units = punct_chars = 0
    for m in _ASCII_PUNCT_RUN.finditer(text):
        n = m.end() - m.start()
        punct_units += (n + 3) // 4
        punct_chars += n
    space_units = space_chars = 0
    for m in _SPACE_RUN.finditer(text):
        n, end = m.end() - m.start(), m.end()
        space_chars += n
        if n >= 2 or "\n" in m.group() or (end < len(text) and "0" <= text[end] <= "9"):
            space_units += (n + 7) // 8
    symbols = len(text) - cjk - letters - digits - punct_chars - space_chars
    total = (
        CJK * cjk
        + WORD * words
        + LONG_WORD * long_extra
        + DIGIT * digits
        + PUNCT * punct_units
        + SYMBOL * symbols
        + ASTRAL * len(_ASTRAL.findall(text))
        + SPACE * space_units
    )
    return -(-total // 100)


class TokenCosts:
    """Token estimates for spans of one long text, from per-character costs computed once.

    `cost(start, end)` equals `estimate_tokens(text[start:end])` for spans that start and
    end on the edges of words, punctuation runs and whitespace runs, which is what
    sentences are; chunking asks for hundreds of thousands of them, so this is where its
    time went. The costs live in one int32 per character (a 100 MB document is many
    millions of characters, so wider arrays cost gigabytes).
    """

    def __init__(self, text: str, points: Any = None) -> None:
        import numpy as np

        cp = codepoints(text) if points is None else points
        n = len(cp)

        # One table lookup gives every character of the Basic Multilingual Plane its class
        # and what it costs alone (CJK, digits and symbols), unpacked below (`take` rather
        # than indexing: the same, in half the time; one lookup rather than one for each).
        codes = np.take(_codes(), bmp(cp))
        kind = codes & _CLASS_BITS
        cost = (codes >> _CLASS_SHIFT).astype(np.int32)
        astral: Any = np.flatnonzero(cp > 0xFFFF) if cp.dtype.itemsize > 2 else []
        if len(astral):
            han = in_ranges(cp[astral], HAN_RANGES)
            kind[astral] = np.where(han, _CJK_CLASS, _SYMBOL_CLASS)
            cost[astral] = np.where(han, CJK, SYMBOL + ASTRAL)
        # A run's cost is spread over the characters that add to it: a word's on its first
        # letter and on each past the eighth, punctuation's on every fourth. Sentences end on
        # the edges of runs, where the sums are exact; a piece cut inside a run too long for a
        # sentence (a line of dashes) still pays about its share rather than nothing.
        first, length = _runs_of(kind == _LETTER_CLASS)
        cost[first] += WORD
        long = length > 8
        cost[_positions(first[long] + 8, length[long] - 8)] += LONG_WORD
        first, length = _runs_of(kind == _PUNCT_CLASS)
        cost[_positions(first, (length + 3) // 4, step=4)] += PUNCT
        first, length = _runs_of(kind == _SPACE_CLASS)
        after = first + length
        has_newline = np.zeros(len(first), dtype=bool)
        self.newlines = np.flatnonzero(cp == 10)  # where the line feeds are, for packing too
        has_newline[np.searchsorted(first, self.newlines, side="right") - 1] = True
        digit_after = np.zeros(len(first), dtype=bool)
        inside = after < n
        digit_after[inside] = kind[after[inside]] == _DIGIT_CLASS
        counted = (length >= 2) | has_newline | digit_after
        cost[_positions(first[counted], (length[counted] + 7) // 8, step=8)] += SPACE
        self._cost = np.append(cost, np.int32(0))  # the zero lets a span end at len(text)

    def cost(self, start: int, end: int) -> int:
        return -(-int(self._cost[start:end].sum(dtype="int64")) // 100)

    def costs(self, starts: Any, ends: Any) -> Any:
        """`cost` of many sorted, non-overlapping, non-empty spans at once."""
        import numpy as np

        if not len(starts):
            return np.zeros(0, dtype=np.int64)
        bounds = np.empty(2 * len(starts), dtype=np.int64)
        bounds[0::2], bounds[1::2] = starts, ends
        sums = np.add.reduceat(self._cost, bounds, dtype=np.int64)[0::2]
        return -(-sums // 100)


def _runs_of(mask: Any) -> tuple[Any, Any]:
    """First index and length of every run of True, from where the mask flips: a
    fraction of the positions `flatnonzero(mask)` would list for a text of letters."""
    import numpy as np

    flips = np.flatnonzero(np.diff(mask, prepend=False, append=False))
    first = flips[0::2]
    return first, flips[1::2] - first


def _positions(starts: Any, counts: Any, step: int = 1) -> Any:
    """`starts[i] + step * j` for every i and every j below `counts[i]`, in one array."""
    import numpy as np

    total = int(counts.sum())
    before = np.repeat(np.cumsum(counts) - counts, counts)
    return np.repeat(starts, counts) + step * (np.arange(total) - before)


_SYMBOL_CLASS, _CJK_CLASS, _LETTER_CLASS, _DIGIT_CLASS, _PUNCT_CLASS, _SPACE_CLASS = range(6)


@lru_cache(maxsize=1)
def _classes() -> Any:
    """The character class of every code point below 0x10000, as estimate_tokens sees them."""
    import numpy as np

    table = np.full(0x10000, _SYMBOL_CLASS, dtype=np.uint8)
    for lo, hi in (*KANA_RANGES, *HAN_RANGES, *HANGUL_RANGES):
        table[lo : hi + 1] = _CJK_CLASS  # ranges beyond the BMP fall off the table's end
    table[65:91] = table[97:123] = _LETTER_CLASS
    table[48:58] = _DIGIT_CLASS
    for lo, hi in ((33, 47), (58, 64), (91, 96), (123, 126)):
        table[lo : hi + 1] = _PUNCT_CLASS
    table[list(SPACE_CODES)] = _SPACE_CLASS
    return table


@lru_cache(maxsize=1)
def _codes() -> Any:
    """`_classes` with each class's cost per character above it: `cost << _CLASS_SHIFT |
    class`, so that one lookup per character gives both."""
    import numpy as np

    costs = np.zeros(6, dtype=np.uint16)
    costs[[_CJK_CLASS, _DIGIT_CLASS, _SYMBOL_CLASS]] = CJK, DIGIT, SYMBOL
    classes = _classes()
    return (np.take(costs, classes) << _CLASS_SHIFT) | classes


_CLASS_SHIFT = 3  # bits of the class in `_codes`
_CLASS_BITS = (1 << _CLASS_SHIFT) - 1


# Characters; below this, importing numpy costs more than it saves. It is low because a
# prompt is counted before every request, and numpy is loaded by then on the model path.
_ESTIMATE_VECTOR_MIN = 2_000


class DirectCosts:
    """The same answers as TokenCosts, one estimate at a time: for short texts."""

    def __init__(self, text: str) -> None:
        self._text = text

    def cost(self, start: int, end: int) -> int:
        return estimate_tokens(self._text[start:end])


def gap_cost(gap: str) -> int:
    """What `estimate_tokens` gives the whitespace between two sentences."""
    if not gap:
        return 0
    if gap.strip():
        return estimate_tokens(gap)
    units = (len(gap) + 7) // 8 if len(gap) >= 2 or "\n" in gap else 0
    return -(-SPACE * units // 100)
