"""Chunking: sentences, token estimates, and chunks that fit a model's budget.

Sentence boundaries come from punctuation, never from a fixed window, so a number such as
`3.5` or `1,000` is never cut and a Chinese closing quote stays with its sentence. Token
counts come from `estimate_tokens`, which needs no download (tiktoken fetches its
encodings at run time, which fails offline); it is calibrated against real tokenizers and
leans towards over-counting, so a chunk that fits by estimate fits for real.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from summarizer.cleaning import HAN

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
    """Token estimates for every span of one text, from prefix sums computed once.

    `cost(start, end)` equals `estimate_tokens(text[start:end])` for spans that start and
    end on the edges of words, punctuation runs and whitespace runs, which is what
    sentences are; chunking asks for thousands of them, so this is where its time went.
    """

    def __init__(self, text: str) -> None:
        import numpy as np

        cp = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
        n = len(cp)

        def runs(mask: Any) -> tuple[Any, Any]:
            """First index and length of every run of True."""
            edges = np.flatnonzero(np.diff(np.concatenate(([0], mask.view(np.int8), [0]))))
            return edges[0::2], edges[1::2] - edges[0::2]

        # One table lookup classifies every character of the Basic Multilingual Plane.
        kind = _classes()[np.minimum(cp, 0xFFFF)]
        astral = cp > 0xFFFF
        kind[astral] = _SYMBOL_CLASS
        kind[(cp >= 0x20000) & (cp <= 0x2FA1F)] = _CJK_CLASS
        cjk, letter, digit = kind == _CJK_CLASS, kind == _LETTER_CLASS, kind == _DIGIT_CLASS
        punct, space = kind == _PUNCT_CLASS, kind == _SPACE_CLASS
        cost = np.zeros(n, dtype=np.int64)
        cost[cjk] += CJK
        cost[digit] += DIGIT
        cost[kind == _SYMBOL_CLASS] += SYMBOL
        cost[astral & ~((cp >= 0x20000) & (cp <= 0x2FFFF))] += ASTRAL
        # Costs of runs go on the run's first character: sentences never cut a run.
        first, length = runs(letter)
        cost[first] += WORD + LONG_WORD * np.maximum(0, length - 8)
        first, length = runs(punct)
        cost[first] += PUNCT * ((length + 3) // 4)
        first, length = runs(space)
        newlines_before = np.concatenate(([0], np.cumsum(cp == 10)))
        newlines = newlines_before[first + length] - newlines_before[first]
        after = first + length
        digit_after = np.zeros(len(first), dtype=bool)
        inside = after < n
        digit_after[inside] = digit[after[inside]]
        counted = (length >= 2) | (newlines > 0) | digit_after
        cost[first[counted]] += SPACE * ((length[counted] + 7) // 8)
        self._prefix = np.concatenate(([0], np.cumsum(cost)))

    def cost(self, start: int, end: int) -> int:
        return int(-(-(int(self._prefix[end]) - int(self._prefix[start])) // 100))


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


_VECTOR_MIN = 20_000  # characters; below this, importing numpy costs more than it saves


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
    prices: TokenCosts | _Direct = TokenCosts(text) if len(text) > _VECTOR_MIN else _Direct(text)
    pieces = [p for s in split_sentences(text) for p in _fit(text, s, budget, prices)]
    costs = [prices.cost(p.start, p.end) for p in pieces]
    chunks: list[Chunk] = []
    first = 0
    while first < len(pieces):
        last = first
        used = costs[first]
        while last + 1 < len(pieces):
            step = costs[last + 1] + _gap_cost(text[pieces[last].end : pieces[last + 1].start])
            if used + step > budget:
                break
            used += step
            last += 1
        start, end = pieces[first].start, pieces[last].end
        chunks.append(Chunk(f"c{len(chunks)}", len(chunks), start, end, text[start:end], used))
        if last + 1 >= len(pieces):
            break
        back, shared = last, 0
        while back > first and shared + costs[back] <= overlap:
            shared += costs[back]
            back -= 1
        first = back + 1 if back < last else last + 1
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
