"""Chunking: sentences, token estimates, and chunks that fit a model's budget.

Sentence boundaries come from punctuation, never from a fixed window, so a number such as
`3.5` or `1,000` is never cut and a Chinese closing quote stays with its sentence. Token
counts come from `estimate_tokens`, which needs no download (tiktoken fetches its
encodings at run time, which fails offline); it is calibrated against real tokenizers and
leans towards over-counting, so a chunk that fits by estimate fits for real.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_left, bisect_right
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from operator import add
from typing import Any, NamedTuple

from summarizer._cleaning import HAN

# --- token estimate ---------------------------------------------------------------------

# Weights fitted on tests/data/token_calibration.json (bench/calibrate_tokens.py, Qwen2.5's
# tokenizer through llama.cpp) so the estimate is at or above the real count on every sample:
# estimate/actual is 1.02 at least and 1.24 at the median. English is within 1% across the
# tokenizers measured; Chinese is the expensive part (Qwen: ~0.7 tokens per simplified
# character, ~0.9 per traditional one, up to 1.1 for rare characters, which sets `cjk`).
_CJK = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\U00020000-\U0002fa1f]"
)
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_DIGIT = re.compile(r"[0-9]")
_ASCII_PUNCT_RUN = re.compile(r"[!-/:-@\[-`{-~]+")
_SPACE_RUN = re.compile(r"\s+")
_ASTRAL = re.compile(r"[\U00010000-\U0001ffff\U00030000-\U0010ffff]")
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

    def __init__(self, text: str, codepoints: Any = None) -> None:
        import numpy as np

        cp = _codepoints(text) if codepoints is None else codepoints
        n = len(cp)

        def runs(mask: Any) -> tuple[Any, Any]:
            """First index and length of every run of True."""
            first, end = _runs(np.flatnonzero(mask))
            return first, end - first

        # One table lookup classifies every character of the Basic Multilingual Plane.
        kind = _classes()[_bmp(cp)]
        astral: Any = np.flatnonzero(cp > 0xFFFF) if cp.dtype.itemsize > 2 else []
        if len(astral):
            high = cp[astral]
            kind[astral] = np.where(
                (high >= 0x20000) & (high <= 0x2FA1F), _CJK_CLASS, _SYMBOL_CLASS
            )
        cost = _class_costs()[kind]  # int32: CJK, digits and symbols cost per character
        if len(astral):
            cost[astral] += np.where((high >= 0x20000) & (high <= 0x2FFFF), 0, ASTRAL).astype(
                np.int32
            )
        # Costs of runs go on the run's first character: sentences never cut a run.
        first, length = runs(kind == _LETTER_CLASS)
        cost[first] += (WORD + LONG_WORD * np.maximum(0, length - 8)).astype(np.int32)
        first, length = runs(kind == _PUNCT_CLASS)
        cost[first] += (PUNCT * ((length + 3) // 4)).astype(np.int32)
        first, length = runs(kind == _SPACE_CLASS)
        after = first + length
        has_newline = np.zeros(len(first), dtype=bool)
        has_newline[np.searchsorted(first, np.flatnonzero(cp == 10), side="right") - 1] = True
        digit_after = np.zeros(len(first), dtype=bool)
        inside = after < n
        digit_after[inside] = kind[after[inside]] == _DIGIT_CLASS
        counted = (length >= 2) | has_newline | digit_after
        cost[first[counted]] += (SPACE * ((length[counted] + 7) // 8)).astype(np.int32)
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


def _codepoints(text: str) -> Any:
    """The code points of `text`; 16 bits each when it has none outside the BMP (the norm)."""
    import numpy as np

    utf16 = text.encode("utf-16-le")
    if len(utf16) == 2 * len(text):
        return np.frombuffer(utf16, dtype="<u2")
    return np.frombuffer(text.encode("utf-32-le"), dtype="<u4")


def _bmp(cp: Any) -> Any:
    """Indexes into 0x10000-entry tables; anything beyond the BMP reads the last entry."""
    import numpy as np

    return cp if cp.dtype.itemsize == 2 else np.minimum(cp, 0xFFFF)


_SYMBOL_CLASS, _CJK_CLASS, _LETTER_CLASS, _DIGIT_CLASS, _PUNCT_CLASS, _SPACE_CLASS = range(6)


@lru_cache(maxsize=1)
def _classes() -> Any:
    """The character class of every code point below 0x10000, as estimate_tokens sees them."""
    import numpy as np

    table = np.full(0x10000, _SYMBOL_CLASS, dtype=np.uint8)
    for lo, hi in (
        (0x3040, 0x30FF),
        (0x3400, 0x4DBF),
        (0x4E00, 0x9FFF),
        (0xF900, 0xFAFF),
        (0xAC00, 0xD7AF),
    ):
        table[lo : hi + 1] = _CJK_CLASS
    table[65:91] = table[97:123] = _LETTER_CLASS
    table[48:58] = _DIGIT_CLASS
    for lo, hi in ((33, 47), (58, 64), (91, 96), (123, 126)):
        table[lo : hi + 1] = _PUNCT_CLASS
    table[_SPACE_CODES] = _SPACE_CLASS
    table[0x2000:0x200B] = _SPACE_CLASS
    return table


@lru_cache(maxsize=1)
def _class_costs() -> Any:
    import numpy as np

    costs = np.zeros(6, dtype=np.int32)
    costs[[_CJK_CLASS, _DIGIT_CLASS, _SYMBOL_CLASS]] = CJK, DIGIT, SYMBOL
    return costs


_VECTOR_MIN = 20_000  # characters; below this, importing numpy costs more than it saves
# The same, for one estimate: a prompt is counted before every request, and numpy is
# loaded by then on the model path.
_ESTIMATE_VECTOR_MIN = 2_000


class _Direct:
    """The same answers as TokenCosts, one estimate at a time: for short texts."""

    def __init__(self, text: str) -> None:
        self._text = text

    def cost(self, start: int, end: int) -> int:
        return estimate_tokens(self._text[start:end])


_SPACE_CODES = [
    9,
    10,
    11,
    12,
    13,
    28,
    29,
    30,
    31,
    32,
    0x85,
    0xA0,
    0x1680,
    0x2028,
    0x2029,
    0x202F,
    0x205F,
    0x3000,
]


def _gap_cost(gap: str) -> int:
    """What `estimate_tokens` gives the whitespace between two sentences."""
    if not gap:
        return 0
    if gap.strip():
        return estimate_tokens(gap)
    units = (len(gap) + 7) // 8 if len(gap) >= 2 or "\n" in gap else 0
    return -(-SPACE * units // 100)


# --- sentences ---------------------------------------------------------------------------


class Span(NamedTuple):
    start: int
    end: int


_CLOSERS = "”’」』）)】》〉\"'"
_CJK_END = re.compile(rf"(?:[。！？；…]+|[!?]+(?=[{HAN}]))[{re.escape(_CLOSERS)}]*")
_LATIN_END = re.compile(rf"[.!?]+[{re.escape(_CLOSERS)}]*(?=\s|$)")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st mt ft no nos vs etc approx dept est fig figs inc ltd co "
    "corp gen gov sen rep lt col capt sgt jan feb mar apr jun jul aug sep sept oct nov "
    "dec e.g i.e cf al vol pp op ed eds u.s u.k u.n p.s a.k.a".split()
)
_ABBREVIATIONS_THAT_END = frozenset(
    {"etc", "u.s", "u.k", "u.n", "a.m", "p.m", "inc", "ltd", "co", "corp"}
)
_STARTERS = frozenset(
    "the a an it this that these those he she they we i in on at but and so yet however "
    "meanwhile after before when while there its his her their our".split()
)
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


def split_sentences(text: str) -> list[Span]:
    """Sentence spans of `text`: lines are paragraphs, and punctuation ends sentences."""
    if len(text) > _VECTOR_MIN:
        starts, ends = _sentence_bounds(text, _codepoints(text))
        return list(map(Span, starts.tolist(), ends.tolist()))
    return _split_lines(text)


def _split_lines(text: str) -> list[Span]:
    """`split_sentences` a line at a time: the reference the vectorised splitter must match."""
    spans: list[Span] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        _split_line(text, pos, pos + len(line), spans)
        pos += len(line)
    return spans


def _split_line(text: str, start: int, end: int, spans: list[Span]) -> None:
    line = text[start:end]
    cuts = [m.end() for m in _CJK_END.finditer(line)]
    cuts += [m.end() for m in _LATIN_END.finditer(line) if _ends_sentence(line, m.start(), m.end())]
    begin = 0
    for cut in sorted(set(cuts)):
        _add_span(text, start + begin, start + cut, spans)
        begin = cut
    _add_span(text, start + begin, end, spans)


_SPACES = re.compile(r"\s*")
_NEXT_WORD = re.compile(r"[\"'“‘(]*([A-Za-z]+)")
_DOTTED = re.compile(r"(?:[a-z]\.)+[a-z]")


def _ends_sentence(line: str, dot: int, after: int) -> bool:
    """Whether a full stop ends a sentence, or belongs to "Dr.", "U.S." or an initial."""
    if line[dot] != ".":
        return True
    word = _WORD_BEFORE.search(line, max(0, dot - 40), dot)
    if word is None:
        return True
    token = word.group(1).lower()
    spaces = _SPACES.match(line, after)
    rest = spaces.end() if spaces else after
    first = line[rest : rest + 1]
    if first.islower() or (first.isdigit() and token in _ABBREVIATIONS):
        return False
    if len(token) == 1 and word.group(1).isupper():  # an initial: "J. Smith"
        return False
    if token in _ABBREVIATIONS_THAT_END or _DOTTED.fullmatch(token):
        next_word = _NEXT_WORD.match(line, rest)
        return next_word is not None and next_word.group(1).lower() in _STARTERS
    return token not in _ABBREVIATIONS


def _add_span(text: str, start: int, end: int, spans: list[Span]) -> None:
    piece = text[start:end]
    body = piece.lstrip()
    start += len(piece) - len(body)
    end = start + len(body.rstrip())
    if end > start:
        spans.append(Span(start, end))


# --- sentences, vectorised --------------------------------------------------------------
#
# The same sentences as `split_sentences`' loop, found with numpy over the whole text: a
# 100 MB document has millions of them, and a Python step per sentence cost seconds. Each
# flag mirrors one part of the regexes above; tests/test_chunking.py checks both ways agree.

_END, _BANG, _LATIN_STOP, _CLOSER, _HAN, _SPACE, _BREAK = 1, 2, 4, 8, 16, 32, 64
_WINDOW = 12  # how far back the word before a full stop is read before falling back
_LOOKAHEAD = 8  # how far past a full stop the next word is looked for before falling back


@lru_cache(maxsize=1)
def _scan_flags() -> Any:
    import numpy as np

    table = np.zeros(0x10000, dtype=np.uint8)
    for chars, flag in (
        ("。！？；…", _END),
        ("!?", _BANG),
        (".!?", _LATIN_STOP),
        (_CLOSERS, _CLOSER),
        ("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029", _BREAK),  # what str.splitlines breaks at
    ):
        table[[ord(c) for c in chars]] |= flag
    for lo, hi in ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)):  # cleaning.HAN
        table[lo : hi + 1] |= _HAN
    table[_classes() == _SPACE_CLASS] |= _SPACE  # str.isspace, which is what `\s` matches
    return table


def _runs(pos: Any) -> tuple[Any, Any]:
    """Starts and ends of the runs of consecutive positions in the sorted array `pos`."""
    import numpy as np

    if not len(pos):
        return pos, pos
    breaks = np.flatnonzero(np.diff(pos) != 1)
    return np.concatenate((pos[:1], pos[breaks + 1])), np.concatenate((pos[breaks], pos[-1:])) + 1


def _sentence_bounds(text: str, cp: Any) -> tuple[Any, Any]:
    """Starts and ends of the sentences of `text` (its code points `cp`), as arrays."""
    import numpy as np

    n = len(cp)
    if not n:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    flags = _scan_flags()[_bmp(cp)]
    if cp.dtype.itemsize > 2:
        flags[cp > 0xFFFF] = 0
    # The few characters that matter, found in one pass; each kind is then picked from them.
    special = np.flatnonzero(flags & (_END | _BANG | _LATIN_STOP | _CLOSER | _BREAK))
    marks = flags[special]

    def having(flag: int) -> Any:
        return special[(marks & flag) != 0]

    breaks = having(_BREAK)
    crlf = (cp[breaks] == 13) & (breaks + 1 < n)
    crlf[crlf] = cp[breaks[crlf] + 1] == 10
    line_ends = breaks[~crlf] + 1  # "\r\n" is one break
    closer_starts, closer_ends = _runs(having(_CLOSER))

    def past_closers(pos: Any) -> Any:
        if not len(closer_starts):
            return pos
        i = np.minimum(np.searchsorted(closer_starts, pos), len(closer_starts) - 1)
        return np.where(closer_starts[i] == pos, closer_ends[i], pos)

    def followed_by(pos: Any, flag: int) -> Any:
        ok = np.zeros(len(pos), dtype=bool)
        inside = pos < n
        ok[inside] = (flags[pos[inside]] & flag) != 0
        return ok

    _, ends = _runs(having(_END))  # 。！？；… and any closing quotes
    cuts = [past_closers(ends), line_ends, np.array([n])]
    _, ends = _runs(having(_BANG))  # ! or ? right before a Han character
    cuts.append(ends[followed_by(ends, _HAN)])
    starts, ends = _runs(having(_LATIN_STOP))  # . ! ? with closers, before a space
    after = past_closers(ends)
    latin = (after == n) | followed_by(after, _SPACE)
    stops, after = starts[latin], after[latin]
    full_stop = cp[stops] == 46
    cuts.append(after[~full_stop])
    ends_here = _full_stops_that_end(text, cp, flags, stops[full_stop], after[full_stop], line_ends)
    cuts.append(after[full_stop][ends_here])
    bounds = np.sort(np.concatenate(cuts))
    bounds = bounds[np.concatenate(([True], bounds[1:] != bounds[:-1]))]
    return _strip(text, flags, np.concatenate(([0], bounds[:-1])), bounds)


def _full_stops_that_end(
    text: str, cp: Any, flags: Any, dots: Any, after: Any, line_ends: Any
) -> Any:
    """`_ends_sentence` for many full stops; the rare hard ones go to it one by one."""
    import numpy as np

    k, n, w = len(dots), len(cp), _WINDOW
    if not k:
        return np.zeros(0, dtype=bool)
    # The word before the stop: letters and dots back to the window's edge (before the text's
    # start counts as a space; a word that fills the window is left to `_ends_sentence`).
    back = dots[:, None] + np.arange(-w, 0)
    before = np.where(back >= 0, cp[np.maximum(back, 0)], 0).astype(np.int32)
    letter = ((before >= 65) & (before <= 90)) | ((before >= 97) & (before <= 122))
    nonword = ~(letter | (before == 46))
    bounded = nonword.any(axis=1)
    run_start = np.where(bounded, w - np.argmax(nonword[:, ::-1], axis=1), 0)
    columns = np.arange(w)
    in_word = letter & (columns >= run_start[:, None])
    has_word = in_word.any(axis=1)
    word_start = np.argmax(in_word, axis=1)
    length = w - word_start
    dotted = ((before == 46) & (columns >= word_start[:, None])).any(axis=1)
    # The first character after the stop and its spaces, on the same line ("" at its end).
    ahead = after[:, None] + np.arange(_LOOKAHEAD)
    past_end = ahead >= n
    ahead_flags = flags[np.minimum(ahead, n - 1)]
    stop = past_end | ((ahead_flags & _SPACE) == 0) | ((ahead_flags & _BREAK) != 0)
    found = stop.any(axis=1)
    rows = np.arange(k)
    j = np.argmax(stop, axis=1)
    line_over = past_end[rows, j] | ((ahead_flags[rows, j] & _BREAK) != 0)
    first = np.where(line_over, 0, cp[np.minimum(ahead[rows, j], n - 1)])
    lower, digit, odd = _lower_and_digit(first)
    # The word as a number, for set lookups: five bits a letter, six letters at most.
    tail = before[:, w - 6 :]
    letters = np.where(columns[w - 6 :] >= word_start[:, None], (tail | 32) - 96, 0)
    code = (letters * (32 ** np.arange(5, -1, -1))).sum(axis=1)
    code = np.where(length <= 6, code, -1)
    abbreviation = _member(code, _word_codes(_ABBREVIATIONS))
    may_end = _member(code, _word_codes(_ABBREVIATIONS_THAT_END))
    initial = (length == 1) & (before[:, w - 1] >= 65) & (before[:, w - 1] <= 90)
    result = ~(lower | (digit & abbreviation) | initial | abbreviation)
    result[~has_word] = True
    slow = has_word & (
        dotted | ~bounded | ~found | odd | (may_end & ~lower & ~(digit & abbreviation))
    )
    for i in np.flatnonzero(slow).tolist():
        dot, end = int(dots[i]), int(after[i])
        line = int(np.searchsorted(line_ends, dot, side="right"))
        line_start = int(line_ends[line - 1]) if line else 0
        line_end = int(line_ends[line]) if line < len(line_ends) else n
        result[i] = _ends_sentence(text[line_start:line_end], dot - line_start, end - line_start)
    return result


def _lower_and_digit(first: Any) -> tuple[Any, Any, Any]:
    """str.islower and str.isdigit of code points (0 is the empty string); `odd` = astral."""
    import numpy as np

    lower = (first >= 97) & (first <= 122)
    digit = (first >= 48) & (first <= 57)
    wide = first > 127
    if wide.any():
        values = sorted(set(first[wide].tolist()))
        index = np.searchsorted(np.array(values), first[wide])
        lower[wide] = np.array([chr(v).islower() for v in values])[index]
        digit[wide] = np.array([chr(v).isdigit() for v in values])[index]
    return lower, digit, first > 0xFFFF


def _member(values: Any, members: Any) -> Any:
    """np.isin for a sorted `members`, without the import np.isin costs on first use."""
    import numpy as np

    index = np.minimum(np.searchsorted(members, values), len(members) - 1)
    return members[index] == values


@lru_cache(maxsize=4)
def _word_codes(words: frozenset[str]) -> Any:
    import numpy as np

    codes = [
        sum((ord(c) - 96) * 32 ** (len(word) - 1 - i) for i, c in enumerate(word))
        for word in words
        if word.isalpha() and len(word) <= 6
    ]
    return np.array(sorted(codes), dtype=np.int64)


def _strip(text: str, flags: Any, starts: Any, ends: Any) -> tuple[Any, Any]:
    """Trim whitespace off each span, as `_add_span` does, and drop the spans left empty."""
    import numpy as np

    for edge, step in ((starts, 1), (ends, -1)):
        rows = np.arange(len(starts))
        for _ in range(8):  # spaces between sentences come one or two at a time
            at = np.minimum(edge[rows] if step == 1 else edge[rows] - 1, len(flags) - 1)
            rows = rows[(starts[rows] < ends[rows]) & ((flags[at] & _SPACE) != 0)]
            if not len(rows):
                break
            edge[rows] += step
        for i in rows.tolist():  # longer runs of spaces
            a, b = int(starts[i]), int(ends[i])
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            starts[i], ends[i] = a, b
    keep = starts < ends
    return starts[keep], ends[keep]


# --- packing -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Chunk:
    """A slice of the cleaned text, `text == cleaned[start:end]`, sized for one model call."""

    id: str
    index: int
    start: int
    end: int
    text: str
    tokens: int


def chunk_text(text: str, *, budget: int, overlap: int = 0) -> list[Chunk]:
    """Pack whole sentences into chunks of at most `budget` estimated tokens.

    Consecutive chunks share trailing sentences worth up to `overlap` tokens, so a fact
    split across a boundary is still seen whole once. A sentence longer than the budget is
    cut at clause or word boundaries, never inside a number.
    """
    if budget < 1:
        raise ValueError("budget must be at least 1 token")
    overlap = max(0, min(overlap, budget // 2))
    if len(text) > _VECTOR_MIN:
        starts, ends, costs, gaps = _measure_long(text, budget)
    else:
        starts, ends, costs, gaps = _measure_short(text, budget)
    return _pack(text, starts, ends, costs, gaps, budget, overlap)


def _measure_short(text: str, budget: int) -> tuple[list[int], list[int], list[int], list[int]]:
    """Pieces of at most `budget` tokens, their costs, and the cost of the gap before each."""
    prices = _Direct(text)
    pieces = [p for s in split_sentences(text) for p in _fit(text, s, budget, prices)]
    starts = [p.start for p in pieces]
    ends = [p.end for p in pieces]
    costs = [estimate_tokens(text[p.start : p.end]) for p in pieces]
    gaps = [0] + [_gap_cost(text[a:b]) for a, b in zip(ends, starts[1:], strict=False)]
    return starts, ends, costs, gaps


_THREADS = min(4, os.cpu_count() or 1)
_BLOCK = 1 << 18  # characters measured at once: the arrays stay in cache and their memory is reused
# A block ends after a newline and before a character that is neither a space nor a digit, so no
# sentence, run of letters, punctuation or spaces, and no token estimate reaches across it.
_BLOCK_EDGE = re.compile(r"\n(?=[^\s0-9])")


def _measure_long(text: str, budget: int) -> tuple[list[int], list[int], list[int], list[int]]:
    """`_measure_short` with numpy, for texts where a Python step per sentence is too slow.

    Long texts go a block at a time: on a 100 MB document, arrays of the whole text spent
    more time faulting in fresh memory than computing. numpy lets go of the GIL while it
    works, so blocks are measured on as many threads as there are cores (up to 4).
    """
    blocks = []
    begin = 0
    while begin < len(text):
        edge = _BLOCK_EDGE.search(text, begin + _BLOCK)
        end = edge.end() if edge else len(text)
        blocks.append((begin, end))
        begin = end

    def measure(block: tuple[int, int]) -> tuple[list[int], list[int], list[int], list[int]]:
        return _measure_block(text[block[0] : block[1]], block[0], budget)

    if len(blocks) > 1 and _THREADS > 1:
        with ThreadPoolExecutor(_THREADS) as pool:
            measured = list(pool.map(measure, blocks))
    else:
        measured = [measure(block) for block in blocks]
    starts: list[int] = []
    ends: list[int] = []
    costs: list[int] = []
    gaps: list[int] = []
    for more in measured:
        if starts and more[0]:
            more[3][0] = _gap_cost(text[ends[-1] : more[0][0]])
        for done, new in zip((starts, ends, costs, gaps), more, strict=True):
            done += new
    return starts, ends, costs, gaps


def _measure_block(
    text: str, offset: int, budget: int
) -> tuple[list[int], list[int], list[int], list[int]]:
    import numpy as np

    cp = _codepoints(text)
    prices = TokenCosts(text, cp)
    starts, ends = _sentence_bounds(text, cp)
    costs = prices.costs(starts, ends)
    over = np.flatnonzero(costs > budget)
    if len(over):  # a few sentences longer than the budget: cut them one by one
        keep = np.ones(len(starts), dtype=bool)
        keep[over] = False
        cut = [
            p
            for i in over.tolist()
            for p in _fit(text, Span(int(starts[i]), int(ends[i])), budget, prices)
        ]
        starts = np.concatenate((starts[keep], np.array([p.start for p in cut], dtype=np.int64)))
        ends = np.concatenate((ends[keep], np.array([p.end for p in cut], dtype=np.int64)))
        order = np.argsort(starts, kind="stable")
        starts, ends = starts[order], ends[order]
        costs = prices.costs(starts, ends)
    # The gaps between pieces are whitespace only; price them as `_gap_cost` does.
    width = starts[1:] - ends[:-1]
    newlines = np.flatnonzero(cp == 10)
    has_newline = np.searchsorted(newlines, ends[:-1]) < np.searchsorted(newlines, starts[1:])
    units = np.where((width >= 2) | has_newline, (width + 7) // 8, 0)
    gaps = np.concatenate(([0], -(-SPACE * units // 100)))
    return (starts + offset).tolist(), (ends + offset).tolist(), costs.tolist(), gaps.tolist()


def _pack(
    text: str,
    starts: list[int],
    ends: list[int],
    costs: list[int],
    gaps: list[int],
    budget: int,
    overlap: int,
) -> list[Chunk]:
    """Greedy packing: each chunk takes pieces while they fit, then steps back by `overlap`.

    Running sums and bisection find each chunk's last piece, so the work per chunk does not
    grow with the number of sentences in it. Every cost is at least 1, so the sums are
    strictly increasing.
    """
    # reach[i]: tokens from piece 0 to piece i, counting gaps; spent[i]: pieces before i alone.
    reach = list(accumulate(map(add, costs, gaps)))
    spent = [0, *accumulate(costs)]
    chunks: list[Chunk] = []
    first = 0
    while first < len(costs):
        limit = budget - costs[first] + reach[first]
        last = max(first, bisect_right(reach, limit) - 1)
        used = costs[first] + reach[last] - reach[first]
        start, end = starts[first], ends[last]
        chunks.append(Chunk(f"c{len(chunks)}", len(chunks), start, end, text[start:end], used))
        if last + 1 >= len(costs):
            break
        first = max(first + 1, bisect_left(spent, spent[last + 1] - overlap))
    return chunks


_SOFT_BREAK = re.compile(r"(?<=[，,、：:；;])|(?<=\s)")


def _fit(text: str, span: Span, budget: int, prices: TokenCosts | _Direct) -> list[Span]:
    """Split one over-long sentence at clause or word breaks, else between characters."""
    if prices.cost(span.start, span.end) <= budget:
        return [span]
    out: list[Span] = []
    start = span.start
    while start < span.end:
        end = start
        for candidate in _break_points(text, start, span.end):
            if estimate_tokens(text[start:candidate]) > budget:
                break
            end = candidate
        if end == start:  # no break fits: cut by characters, stepping back off any digit
            end = start + 1
            while end < span.end and estimate_tokens(text[start : end + 1]) <= budget:
                end += 1
            while end - 1 > start and end < span.end and _inside_number(text, end):
                end -= 1
        out.append(Span(start, end))
        start = end
        while start < span.end and text[start].isspace():
            start += 1
    return out


def _break_points(text: str, start: int, end: int) -> list[int]:
    points = [m.start() for m in _SOFT_BREAK.finditer(text, start + 1, end)]
    return [*(p for p in points if not _inside_number(text, p)), end]


def _inside_number(text: str, pos: int) -> bool:
    """True when a cut at `pos` would split digits, as in `1,2|34` or `3.|5`."""
    if pos <= 0 or pos >= len(text) or not text[pos].isdigit():
        return False
    before = text[pos - 1]
    return before.isdigit() or (before in ",." and pos >= 2 and text[pos - 2].isdigit())
