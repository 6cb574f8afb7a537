"""Sentence scan: `split_sentences` for long texts, with numpy over the whole text at once.

A 100 MB document has millions of sentences, and a Python step per sentence cost seconds. So
numpy finds every place a sentence might end (runs of stops, line breaks, quotation marks,
list markers) and settles the common cases itself; what it cannot settle in bulk goes, one
place at a time, to the same rule functions in `_boundaries` that `_sentences`' reference
calls everywhere. The spans must be exactly the reference's, as cassettes and cached results
depend on chunk boundaries: tests/test_sentences.py compares the two paths.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from summarizer._boundaries import (
    ABBREVIATIONS,
    ABBREVIATIONS_THAT_END,
    BREAKS,
    BULLETS,
    ENCLOSURES,
    closing_ends,
    continues,
    ends_sentence,
    latin_ends,
    list_items,
    pairs,
    semicolon_ends,
)
from summarizer._cuts import CLOSERS, MAX_SENTENCE, cap
from summarizer._scripts import HAN_RANGES, SPACE_CODES, bmp, in_ranges, runs

_CJK, _ELLIPSIS, _SEMICOLON, _BANG, _DOT, _CLOSER, _HAN, _SPACE = 1, 2, 4, 8, 16, 32, 64, 128
_BREAK, _ENCLOSURE_FLAG, _BULLET, _ENUMERATES = 256, 512, 1024, 2048
_STOPS = _CJK | _ELLIPSIS | _BANG | _DOT
_SPECIAL = _STOPS | _SEMICOLON | _CLOSER | _BREAK | _ENCLOSURE_FLAG | _BULLET
_WINDOW = 12  # how far back the word before a full stop is read before falling back
_LOOKAHEAD = 8  # how far past a stop the next word is looked for before falling back


@lru_cache(maxsize=1)
def _scan_flags() -> Any:
    import numpy as np

    table = np.zeros(0x10000, dtype=np.uint16)
    for chars, flag in (
        ("。！？", _CJK),
        ("…", _ELLIPSIS),
        ("；", _SEMICOLON),
        ("!?", _BANG),
        (".", _DOT),
        (CLOSERS, _CLOSER),
        (BREAKS, _BREAK),
        (ENCLOSURES, _ENCLOSURE_FLAG),
        (BULLETS, _BULLET),
        ("二三四五六七八九十第其再（", _ENUMERATES),  # what `semicolon_ends` looks for
    ):
        table[[ord(c) for c in chars]] |= flag
    for lo, hi in HAN_RANGES:  # those beyond the BMP fall off the table's end
        table[lo : hi + 1] |= _HAN
    table[list(SPACE_CODES)] |= _SPACE | _ENUMERATES  # str.isspace, which is what `\s` matches
    return table


def sentence_bounds(text: str, cp: Any) -> tuple[Any, Any]:
    """Starts and ends of the sentences of `text` (its code points `cp`), as arrays."""
    import numpy as np

    n = len(cp)
    if not n:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    flags = np.take(_scan_flags(), bmp(cp))  # `take`: as indexing does, in half the time
    if cp.dtype.itemsize > 2:  # beyond the BMP, only Han has a flag
        astral = cp > 0xFFFF
        flags[astral] = np.where(in_ranges(cp[astral], HAN_RANGES), _HAN, 0)
    # The few characters that matter, found in one pass; each kind is then picked from them.
    special = np.flatnonzero(flags & _SPECIAL)
    marks = flags[special]

    def having(flag: int) -> Any:
        return special[(marks & flag) != 0]

    ends = _hard_breaks(text, cp, flags, having(_BREAK))
    opens, closes = pairs(text, having(_ENCLOSURE_FLAG).tolist(), ends.tolist())
    full_stops_and_parens = special[(cp[special] == 46) | (cp[special] == 41)]
    items, dots = _list_items(text, cp, flags, full_stops_and_parens, having(_BULLET), ends)
    enclosed = (np.array(opens, dtype=np.int64), np.array(closes, dtype=np.int64))
    cuts = [ends, items, _stop_cuts(text, cp, flags, having, enclosed, dots)]
    bounds = np.sort(np.concatenate(cuts))
    bounds = bounds[np.concatenate(([True], bounds[1:] != bounds[:-1]))]
    starts, ends = _strip(text, flags, np.concatenate(([0], bounds[:-1])), bounds)
    return _capped(text, starts, ends)


def _hard_breaks(text: str, cp: Any, flags: Any, breaks: Any) -> Any:
    """`_paragraph_ends`: a line that ends in a stop, or a blank one, ends its paragraph;
    `continues` decides the others."""
    import numpy as np

    n = len(cp)
    crlf = (cp[breaks] == 13) & (breaks + 1 < n)
    crlf[crlf] = cp[breaks[crlf] + 1] == 10
    after = breaks[~crlf] + 1  # "\r\n" is one break
    lf_of_crlf = (after >= 2) & (cp[after - 1] == 10) & (cp[np.maximum(after - 2, 0)] == 13)
    before = after - 1 - lf_of_crlf
    line_starts = np.concatenate(([0], after[:-1]))
    back = before[:, None] - 1 - np.arange(_LOOKAHEAD)
    valid = back >= line_starts[:, None]
    back_flags = flags[np.maximum(back, 0)]
    solid = valid & ((back_flags & _SPACE) == 0)
    found = solid.any(axis=1)
    # The last character before the line's trailing spaces and then its closing quotes.
    past = valid & (np.arange(_LOOKAHEAD) >= np.argmax(solid, axis=1)[:, None])
    core = past & ((back_flags & _CLOSER) == 0)
    rows = np.arange(len(after))
    last = back_flags[rows, np.argmax(core, axis=1)]
    hard = (found & core.any(axis=1) & ((last & _STOPS) != 0)) | (~found & ~valid.all(axis=1))
    # `…and Transit` over `By Jane Doe`: Latin text goes on only into a small letter.
    end = cp[np.maximum(back[rows, np.argmax(solid, axis=1)], 0)]
    latin = found & (((end | 32) >= 97) & ((end | 32) <= 122) | ((end >= 48) & (end <= 57)))
    first, seen = _first_after(cp, flags, after)
    hard |= latin & seen & (first < 128) & ~((first >= 97) & (first <= 122))
    next_starts = np.concatenate((before[1:], [n]))
    open_ = np.flatnonzero(~hard)
    bounds = [x[open_].tolist() for x in (line_starts, before, after, next_starts)]
    hard[open_] = [not continues(text, *line) for line in zip(*bounds, strict=True)]
    return np.concatenate((after[hard], [n]))


def _list_items(
    text: str, cp: Any, flags: Any, marks: Any, bullets: Any, ends: Any
) -> tuple[Any, Any]:
    """`list_items` for the paragraphs that may hold a list: a bullet, or a `.` or `)` after
    one or two digits or a small letter after a space, a bullet, a CJK stop or nothing."""
    import numpy as np

    p = marks[marks >= 1]
    v = cp[p - 1]
    digit = (v >= 48) & (v <= 57)
    token = digit | ((v >= 97) & (v <= 122))
    two = cp[np.maximum(p - 2, 0)]
    two = digit & (p >= 2) & (two >= 48) & (two <= 57)

    def edge(q: Any) -> Any:  # before the text, a space, a bullet or a CJK stop
        return (q < 0) | ((flags[np.maximum(q, 0)] & (_SPACE | _BULLET | _CJK | _SEMICOLON)) != 0)

    nxt = cp[np.minimum(p + 1, len(cp) - 1)]
    closed = (p + 1 < len(cp)) & ((nxt == 32) | (nxt == 9) | (nxt == 41))  # `1. `, `a) `, `1.)`
    hit = token & closed & (edge(p - 2) | (two & edge(p - 3)))
    candidates = np.concatenate((p[hit], bullets))
    cuts: list[int] = []
    dots: list[int] = []
    for i in sorted(set(np.searchsorted(ends, candidates, side="right").tolist())):
        found, marked = list_items(text, int(ends[i - 1]) if i else 0, int(ends[i]))
        cuts += found
        dots += marked
    return np.array(cuts, dtype=np.int64), np.array(sorted(dots), dtype=np.int64)


_KIND_CJK, _KIND_ELLIPSIS, _KIND_SEMICOLON, _KIND_BANG, _KIND_DOT = range(5)


def _stop_cuts(
    text: str, cp: Any, flags: Any, having: Any, enclosed: tuple[Any, Any], dots: Any
) -> Any:
    """`_stop_ends` for every run of stops: numpy settles the common ones, the rules the rest."""
    import numpy as np

    n = len(cp)
    cjk_starts, cjk_ends, real = _runs_of(having(_CJK | _ELLIPSIS), flags, _CJK)
    semi_starts, semi_ends = runs(having(_SEMICOLON))
    latin_starts, latin_ends_, bang = _runs_of(having(_BANG | _DOT), flags, _BANG)
    starts, ends, kind = (
        np.concatenate(part)
        for part in zip(
            (cjk_starts, cjk_ends, np.where(real, _KIND_CJK, _KIND_ELLIPSIS)),
            (semi_starts, semi_ends, np.full(len(semi_starts), _KIND_SEMICOLON)),
            (latin_starts, latin_ends_, np.where(bang, _KIND_BANG, _KIND_DOT)),
            strict=True,
        )
    )
    after = _past_closers(having(_CLOSER), ends)
    opens, closes = enclosed
    inside = np.zeros(len(starts), dtype=bool)
    closing = inside.copy()
    pair = np.searchsorted(opens, starts, side="right") - 1
    if len(opens):
        close = closes[np.maximum(pair, 0)]
        inside = (pair >= 0) & (starts < close)
        closing = inside & (ends <= close) & (close < after)
    cut = ~inside & (kind == _KIND_CJK)
    semi = ~inside & (kind == _KIND_SEMICOLON)
    cut[semi] = True
    check = np.flatnonzero(semi & (after < n))
    check = check[(flags[after[check]] & _ENUMERATES) != 0]
    for i in check.tolist():
        cut[i] = semicolon_ends(text, int(starts[i]), int(after[i]))
    latin = np.flatnonzero(~inside & (kind >= _KIND_BANG))
    cut[latin] = _latin_cuts(
        text, cp, flags, starts[latin], ends[latin], after[latin], kind[latin] == _KIND_BANG, dots
    )
    for i in np.flatnonzero(closing).tolist():
        cut[i] = closing_ends(text, int(ends[i]), int(after[i]), int(opens[pair[i]]))
    return after[cut]


def _runs_of(pos: Any, flags: Any, inner: int) -> tuple[Any, Any, Any]:
    """`runs` of the sorted positions `pos`, and whether each holds a character with `inner`."""
    import numpy as np

    if not len(pos):
        return pos, pos, np.zeros(0, dtype=bool)
    gaps = np.flatnonzero(np.diff(pos) != 1)
    first = np.concatenate(([0], gaps + 1))
    last = np.concatenate((gaps, [len(pos) - 1]))
    count = np.concatenate(([0], np.cumsum((flags[pos] & inner) != 0)))
    return pos[first], pos[last] + 1, count[last + 1] > count[first]


def _past_closers(closers: Any, pos: Any) -> Any:
    """Each of `pos`, moved past the closing quotes and brackets that start there."""
    import numpy as np

    closer_starts, closer_ends = runs(closers)
    if not len(closer_starts):
        return pos
    i = np.minimum(np.searchsorted(closer_starts, pos), len(closer_starts) - 1)
    return np.where(closer_starts[i] == pos, closer_ends[i], pos)


def _latin_cuts(
    text: str, cp: Any, flags: Any, starts: Any, ends: Any, after: Any, bang: Any, dots: Any
) -> Any:
    """`latin_ends` for runs of `.!?`; spaced dots, `...`, glued stops and bangs before a
    small letter or beyond the lookahead go to it one by one."""
    import numpy as np

    n = len(cp)
    at = np.minimum(after, n - 1)
    spaced = (after >= n) | ((flags[at] & _SPACE) != 0)
    first = np.zeros(len(after), dtype=np.int64)
    found = np.ones(len(after), dtype=bool)
    first[spaced], found[spaced] = _first_after(cp, flags, after[spaced])
    lower, _, odd = _lower_and_digit(first)
    single = ~bang & (ends - starts == 1)

    def code(pos: Any, lo: int, hi: int) -> Any:
        c = cp[np.clip(pos, 0, n - 1)]
        return (pos >= 0) & (pos < n) & (c >= lo) & (c <= hi)

    result = bang & ~spaced & (after == ends) & ((flags[at] & _HAN) != 0)
    result |= bang & spaced & ~lower
    slow = bang & spaced & (~found | odd)
    glued = np.flatnonzero(single & ~spaced & (after == ends) & code(after, 65, 90))
    s, a = starts[glued], after[glued]  # `world.Today`
    lettered = code(s - 1, 97, 122) | code(s - 1, 48, 57)
    slow[glued] = lettered & code(a + 1, 97, 122)
    dotted = np.flatnonzero(~bang & spaced)
    s, e = starts[dotted], ends[dotted]  # `. . .`
    group = (code(e, 32, 32) & code(e + 1, 46, 46)) | (code(s - 1, 32, 32) & code(s - 2, 46, 46))
    slow[dotted] = group | ~single[dotted]
    plain = dotted[single[dotted] & ~group]
    ended = _full_stops_that_end(text, cp, starts[plain], after[plain], first[plain], found[plain])
    result[plain] = ended & ~_member(starts[plain], dots) if len(dots) else ended
    marker_dots = frozenset(dots.tolist())
    for i in np.flatnonzero(slow).tolist():
        result[i] = latin_ends(text, int(starts[i]), int(ends[i]), int(after[i]), marker_dots)
    return result


def _first_after(cp: Any, flags: Any, after: Any) -> tuple[Any, Any]:
    """The first character past each stop and its spaces on the same line (0 at its end),
    and whether it was found within `_LOOKAHEAD`."""
    import numpy as np

    n = len(cp)
    ahead = after[:, None] + np.arange(_LOOKAHEAD)
    past_end = ahead >= n
    ahead_flags = flags[np.minimum(ahead, n - 1)]
    stop = past_end | ((ahead_flags & _SPACE) == 0) | ((ahead_flags & _BREAK) != 0)
    rows = np.arange(len(after))
    j = np.argmax(stop, axis=1)
    line_over = past_end[rows, j] | ((ahead_flags[rows, j] & _BREAK) != 0)
    first = np.where(line_over, 0, cp[np.minimum(ahead[rows, j], n - 1)])
    return first, stop.any(axis=1)


def _full_stops_that_end(text: str, cp: Any, dots: Any, after: Any, first: Any, found: Any) -> Any:
    """`ends_sentence` for many full stops; the rare hard ones go to it one by one."""
    import numpy as np

    k, w = len(dots), _WINDOW
    if not k:
        return np.zeros(0, dtype=bool)
    # The word before the stop: letters and dots back to the window's edge (before the text's
    # start counts as a space; a word that fills the window is left to `ends_sentence`).
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
    lower, digit, odd = _lower_and_digit(first)
    # The word as a number, for set lookups: five bits a letter, six letters at most.
    tail = before[:, w - 6 :]
    letters = np.where(columns[w - 6 :] >= word_start[:, None], (tail | 32) - 96, 0)
    code = np.where(length <= 6, (letters * (32 ** np.arange(5, -1, -1))).sum(axis=1), -1)
    abbreviation = _member(code, _word_codes(ABBREVIATIONS))
    may_end = _member(code, _word_codes(ABBREVIATIONS_THAT_END))
    last = before[:, w - 1]
    initial = (length == 1) & (last >= 65) & (last <= 90)
    result = ~(lower | (digit & abbreviation) | initial | abbreviation)
    result[~has_word] = True
    hard = dotted | ~bounded | ~found | odd | (may_end & ~lower & ~(digit & abbreviation))
    slow = (has_word & (hard | (initial & (last == 73)))) | (last == 0xB0)  # "I.", "N°."
    for i in np.flatnonzero(slow).tolist():
        result[i] = ends_sentence(text, int(dots[i]), int(after[i]))
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


def _capped(text: str, starts: Any, ends: Any) -> tuple[Any, Any]:
    """The spans, with those longer than MAX_SENTENCE cut by `cap` as the reference cuts them."""
    import numpy as np

    long = np.flatnonzero(ends - starts > MAX_SENTENCE)
    if not len(long):
        return starts, ends
    pieces = [p for i in long.tolist() for p in cap(text, int(starts[i]), int(ends[i]))]
    keep = np.ones(len(starts), dtype=bool)
    keep[long] = False
    cut_starts = np.array([p.start for p in pieces], dtype=starts.dtype)
    cut_ends = np.array([p.end for p in pieces], dtype=ends.dtype)
    starts = np.concatenate((starts[keep], cut_starts))
    ends = np.concatenate((ends[keep], cut_ends))
    order = np.argsort(starts, kind="stable")
    return starts[order], ends[order]
