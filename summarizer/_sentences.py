"""Sentences: where punctuation ends them, found before packing, ranking or grounding.

Chunks, the extractive engine and grounding all work in whole sentences, so boundaries come
from punctuation: a number such as `3.5` or `1,000` is never cut, and a Chinese closing
quote stays with its sentence. Text without sentence punctuation (a transcript, a page
flattened to one line) would be one sentence of megabytes, and everything downstream is
built for sentences of a few hundred characters, so a sentence longer than `MAX_SENTENCE`
is cut: at a clause mark, else at a space, else at a fixed width that keeps numbers, Latin
words and graphemes whole (`_cut`). Long texts take a vectorised path that must give
exactly the line-by-line reference's spans, as cassettes and cached results depend on chunk
boundaries; over-long sentences go through the same `_cap` on both.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any, NamedTuple

from summarizer._scripts import HAN, HAN_RANGES, SPACE_CODES, bmp, codepoints, in_ranges, runs

VECTOR_MIN = 20_000  # characters; below this, importing numpy costs more than it saves
# Characters. The longest sentences of the examples and seeds are under 260; 400 is about 70
# English words or two long Chinese sentences, and a summary of 600 characters always has
# room for one.
MAX_SENTENCE = 400


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
    if len(text) > VECTOR_MIN:
        starts, ends = sentence_bounds(text, codepoints(text))
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
    if end - start > MAX_SENTENCE:
        spans += _cap(text, start, end)
    elif end > start:
        spans.append(Span(start, end))


# --- sentences without an end -------------------------------------------------------------

_CLAUSE_MARKS = "，、；,;"
_TRIES = 16  # places each way tries, so a piece costs the same whatever the text holds
_SPACE_MARKS = " \t\u3000"  # found with str.rfind; rarer spaces are left to `_can_cut`
_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_IN_WORD = frozenset(".,:'’-")  # between two letters or digits they join them: 3.5, U.S, don't
_UNITS = frozenset("%％‰十百千万萬亿億兆元")  # after a number, part of it: 3.5%, 1.5亿元
_CURRENCY = frozenset("$€£¥￥")
_ZWJ, _ZWNJ = "\u200d", "\u200c"


def _cap(text: str, start: int, end: int) -> list[Span]:
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
        while cut < high and text[cut] in _CLOSERS:  # a closing quote stays with its clause
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


# --- sentences, vectorised --------------------------------------------------------------
#
# The same sentences as `split_sentences`' loop, found with numpy over the whole text: a
# 100 MB document has millions of them, and a Python step per sentence cost seconds. Each
# flag mirrors one part of the regexes above; tests/test_sentences.py checks both ways agree.

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
    for lo, hi in HAN_RANGES:  # those beyond the BMP fall off the table's end
        table[lo : hi + 1] |= _HAN
    table[list(SPACE_CODES)] |= _SPACE  # str.isspace, which is what `\s` matches
    return table


def sentence_bounds(text: str, cp: Any) -> tuple[Any, Any]:
    """Starts and ends of the sentences of `text` (its code points `cp`), as arrays."""
    import numpy as np

    n = len(cp)
    if not n:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    flags = _scan_flags()[bmp(cp)]
    if cp.dtype.itemsize > 2:  # beyond the BMP, only Han has a flag
        astral = cp > 0xFFFF
        flags[astral] = np.where(in_ranges(cp[astral], HAN_RANGES), _HAN, 0)
    # The few characters that matter, found in one pass; each kind is then picked from them.
    special = np.flatnonzero(flags & (_END | _BANG | _LATIN_STOP | _CLOSER | _BREAK))
    marks = flags[special]

    def having(flag: int) -> Any:
        return special[(marks & flag) != 0]

    breaks = having(_BREAK)
    crlf = (cp[breaks] == 13) & (breaks + 1 < n)
    crlf[crlf] = cp[breaks[crlf] + 1] == 10
    line_ends = breaks[~crlf] + 1  # "\r\n" is one break
    closer_starts, closer_ends = runs(having(_CLOSER))

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

    _, ends = runs(having(_END))  # 。！？；… and any closing quotes
    cuts = [past_closers(ends), line_ends, np.array([n])]
    _, ends = runs(having(_BANG))  # ! or ? right before a Han character
    cuts.append(ends[followed_by(ends, _HAN)])
    starts, ends = runs(having(_LATIN_STOP))  # . ! ? with closers, before a space
    after = past_closers(ends)
    latin = (after == n) | followed_by(after, _SPACE)
    stops, after = starts[latin], after[latin]
    full_stop = cp[stops] == 46
    cuts.append(after[~full_stop])
    ends_here = _full_stops_that_end(text, cp, flags, stops[full_stop], after[full_stop], line_ends)
    cuts.append(after[full_stop][ends_here])
    bounds = np.sort(np.concatenate(cuts))
    bounds = bounds[np.concatenate(([True], bounds[1:] != bounds[:-1]))]
    starts, ends = _strip(text, flags, np.concatenate(([0], bounds[:-1])), bounds)
    return _capped(text, starts, ends)


def _capped(text: str, starts: Any, ends: Any) -> tuple[Any, Any]:
    """The spans, with those longer than MAX_SENTENCE cut by `_cap` as the reference cuts them."""
    import numpy as np

    long = np.flatnonzero(ends - starts > MAX_SENTENCE)
    if not len(long):
        return starts, ends
    pieces = [p for i in long.tolist() for p in _cap(text, int(starts[i]), int(ends[i]))]
    keep = np.ones(len(starts), dtype=bool)
    keep[long] = False
    cut_starts = np.array([p.start for p in pieces], dtype=starts.dtype)
    cut_ends = np.array([p.end for p in pieces], dtype=ends.dtype)
    starts = np.concatenate((starts[keep], cut_starts))
    ends = np.concatenate((ends[keep], cut_ends))
    order = np.argsort(starts, kind="stable")
    return starts[order], ends[order]


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
