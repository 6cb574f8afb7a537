"""Boundaries: whether one stop, line break, quotation or list marker ends a sentence.

`_sentences` finds the places where a sentence might end and applies these rules to them:
all of them in plain Python on a short text, and on a long one only those its numpy pass
cannot settle in bulk. One function per rule, called by both paths, is what keeps the two
paths' spans identical. The rules are those of the Golden Rules (pragmatic_segmenter's
spec, which pySBD also tests against) and of the project's own Chinese cases, both in
tests/data/golden_rules/: abbreviations and initials, list markers, ellipses, stops with
no space after them, hard-wrapped lines, and quotations and titles that hold their own
stops. Each function reads only the text around one position, never a decision made
elsewhere, so the order in which positions are decided cannot change an answer.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Container, Sequence

from summarizer._cuts import CLOSERS, MAX_SENTENCE
from summarizer._scripts import HAN, HAN_CHAR, KANA

BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # what str.splitlines breaks at
STOPS = "。！？….!?"  # a line that ends in one (before closers) ends its sentence
OPENERS = "“「『（(【《〈"
_CLOSES = {
    "”": "“",
    "」": "「",
    "』": "『",
    "）": "（",
    ")": "(",
    "】": "【",
    "》": "《",
    "〉": "〈",
}
ENCLOSURES = OPENERS + "".join(_CLOSES) + '"'
_ADJACENT = re.compile("|".join(re.escape(o + c) for c, o in _CLOSES.items()))
BULLETS = "•‣⁃◦▪●"
WRAP_WIDTH = 32  # columns: a line this wide that breaks mid-sentence was wrapped, not ended

ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st mt ft no nos vs etc approx dept est fig figs inc ltd co "
    "corp gen gov sen rep lt col capt sgt jan feb mar apr jun jul aug sep sept oct nov "
    "dec e.g i.e cf al vol pp op ed eds u.s u.k u.n p.s a.k.a p n°".split()
)
ABBREVIATIONS_THAT_END = frozenset(
    {"etc", "u.s", "u.k", "u.n", "a.m", "p.m", "inc", "ltd", "co", "corp"}
)
_STARTERS = frozenset(
    "the a an it this that these those he she they we i in on at but and so yet however "
    "meanwhile after before when while there its his her their our how what why who where "
    "which".split()
)
_H = f"[^\\S{BREAKS}]*"  # spaces within a line
_HSPACE = re.compile(_H)
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*°?)$")
_NEXT_WORD = re.compile(r"[\"'“‘(]*([A-Za-z]+)")
_DOTTED = re.compile(r"(?:[a-z]\.)+[a-z]")
_NAME_BEFORE = re.compile(r"[A-Z][a-z]+\s+$")
_SENTENCE_GAP = re.compile(rf"[.!?][\"'”’)]*\s+|[{BREAKS}]")
_GLUED = re.compile(r"[a-z0-9]\.[A-Z][a-z]")
_GLUED_TAIL = re.compile(r"(?<=[a-z0-9])\.([A-Z][a-z]+)$")
_ITEM = re.compile(
    rf"(?<![^\s{BULLETS}。！？；])(?P<bullet>[{BULLETS}][ \t]*)?"
    r"(?P<value>\d{1,2}|[a-z])(?P<mark>\.\)?|\))(?=[ \t])"
)
_BULLET = re.compile(rf"(?<=\s)[{BULLETS}]")
_LINE_OPENER = re.compile(
    rf"[{BULLETS}]|(?:\d{{1,2}}|[a-z])(?:\.\)?|\))[ \t]|[一二三四五六七八九十]+、"
    r"|[（(][一二三四五六七八九十\d]{1,2}[）)]|第[一二三四五六七八九十百零\d]+[章节条款]"
)
_ENUMERATION = re.compile(
    _H + r"(?:[二三四五六七八九十]是|第[二三四五六七八九十]+[，、是]|其[二三四五六七八九十次]"
    r"|再次|（[二三四五六七八九十]）)"
)
_ITEM_MARKER = re.compile(r"^(?:第|其)[一二三四五六七八九十]+[，、]")
_WIDE = re.compile(
    rf"[\u1100-\u115f\u2e80-\u303e{KANA}\u3100-\u33ff{HAN}\ua000-\ua4cf\uac00-\ud7a3"
    r"\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]"
)


# --- line breaks -----------------------------------------------------------------------


def continues(text: str, a0: int, a1: int, b0: int, b1: int) -> bool:
    """Whether the break between the lines text[a0:a1] and text[b0:b1] is inside a sentence.

    Hard-wrapped text (a PDF's, `fold`'s) breaks lines mid-sentence. A line goes on when it
    ends in a clause mark; in CJK text when it is WRAP_WIDTH columns wide and the next is no
    wider, as lines wrapped at one width are, or when the next is the paragraph's last line
    and no wider; in Latin text when the next starts in lower case and ends a sentence, or
    this one is that wide. A line that ends a sentence, a blank one, and a next line that
    opens a list item or a heading (`1.`, `•`, `一、`, `第三章`) never go on.
    """
    while a1 > a0 and text[a1 - 1].isspace():
        a1 -= 1
    while b0 < b1 and text[b0].isspace():
        b0 += 1
    while b1 > b0 and text[b1 - 1].isspace():
        b1 -= 1
    core = _before_closers(text, a0, a1)
    if core == a0 or b0 == b1 or text[core - 1] in STOPS or _LINE_OPENER.match(text, b0, b1):
        return False
    last, first = text[a1 - 1], text[b0]
    if last in "，、：；,;":
        return True
    if _WIDE.match(last) or _WIDE.match(first):
        if b1 - b0 > 2 * (a1 - a0) + 2:  # wider than this line can be: it is a heading
            return False
        width = _width(text, a0, a1)
        if width >= WRAP_WIDTH and _width(text, b0, b1) <= width + 2:
            return True
        end = _before_closers(text, b0, b1)
        ends = end > b0 and text[end - 1] in "。！？"
        return ends and _is_letter(last) and _width(text, b0, b1) <= width
    if not "a" <= first <= "z":
        return False
    return any(text.find(c, b0, b1) >= 0 for c in ".!?") or _width(text, a0, a1) >= WRAP_WIDTH


def _before_closers(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in CLOSERS:
        end -= 1
    return end


def _width(text: str, start: int, end: int) -> int:
    """Columns on a terminal or a page: CJK characters take two."""
    return end - start + len(_WIDE.findall(text, start, end))


def _is_letter(ch: str) -> bool:
    return HAN_CHAR.match(ch) is not None or "\u3041" <= ch <= "\u30ff"


# --- quotations, titles and asides -----------------------------------------------------


def pairs(text: str, positions: Sequence[int], ends: Sequence[int]) -> tuple[list[int], list[int]]:
    """Where the outermost quotations and brackets that close open and close.

    `positions` are the places of the ENCLOSURES characters, in order, and `ends` where each
    paragraph ends (the last at len(text)). Only a pair that closes within its paragraph and
    within MAX_SENTENCE counts: a stray closer (the `)` of `1)`, an inch mark) or a quote left
    open is text like any other. A straight quote opens after a space or an opener and closes
    an open one after anything else.
    """
    found: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    paragraph = 0
    for pos in _adjacent_pairs(text, positions, ends, found):
        if pos >= ends[paragraph]:
            paragraph = bisect_right(ends, pos)
            stack.clear()
        ch = text[pos]
        if ch == '"':
            prev = text[pos - 1] if pos else " "
            if (prev.isspace() or prev in OPENERS) or all(c != '"' for c, _ in stack):
                if pos + 1 < len(text) and not text[pos + 1].isspace():
                    stack.append((ch, pos))
                continue
        elif ch in OPENERS:
            stack.append((ch, pos))
            continue
        want = _CLOSES.get(ch, '"')
        for i in range(len(stack) - 1, -1, -1):
            if stack[i][0] == want:
                if pos - stack[i][1] < MAX_SENTENCE:
                    found.append((stack[i][1], pos))
                del stack[i:]
                break
    opens: list[int] = []
    closes: list[int] = []
    for a, b in sorted(found):
        if not closes or a > closes[-1]:
            opens.append(a)
            closes.append(b)
    return opens, closes


def _adjacent_pairs(
    text: str, positions: Sequence[int], ends: Sequence[int], found: list[tuple[int, int]]
) -> list[int]:
    """The pairs whose closer follows their opener at once, into `found`; the other positions.

    Such an opener is the top of the stack when its closer comes, so matching them in one
    pass first, as most pairs are, leaves the stack the same work on what remains.
    """
    kinds = "".join([text[pos] for pos in positions])
    paired = bytearray(len(positions))
    for m in _ADJACENT.finditer(kinds):
        k = m.start()
        a, b = positions[k], positions[k + 1]
        if bisect_right(ends, a) == bisect_right(ends, b):
            paired[k] = paired[k + 1] = 1
            if b - a < MAX_SENTENCE:
                found.append((a, b))
    return [pos for k, pos in enumerate(positions) if not paired[k]]


def closing_ends(text: str, stop_end: int, after: int, opener: int) -> bool:
    """Whether a stop right before the closer of a quotation (at `opener`) ends a sentence.

    `“我们明天出发。”大家…` ends after the quote; `“…通车？”，有关部门…` and `"This is
    great." she said` go on. A title (《…？》) never ends one, nor does an aside in brackets
    unless it opened the sentence: `He left. (He was tired.) Then…`.
    """
    kind = text[opener]
    if kind in "《〈" or (kind in "（(【" and not _opens_sentence(text, opener)):
        return False
    rest = _past_spaces(text, after)
    if rest == len(text) or text[rest] in BREAKS:
        return True
    nxt = text[rest]
    if nxt in "，、,;；：:" or nxt in STOPS or nxt.islower():
        return False
    latin = text[stop_end - 1] in ".!?" and nxt not in OPENERS + '"'
    return rest > after or not latin or _WIDE.match(nxt) is not None  # `"Hi."x` goes on


def _opens_sentence(text: str, pos: int) -> bool:
    before = text[max(0, pos - 40) : pos].rstrip(" \t\u3000").rstrip(CLOSERS)
    return not before or before[-1] in STOPS or before[-1] in BREAKS


# --- list items ---------------------------------------------------------------------------


def list_items(text: str, start: int, end: int) -> tuple[list[int], list[int]]:
    """Where the items of a list run into one paragraph start, and their markers' full stops.

    `1. The first item 2. The second item`: a marker at the paragraph's start (`1.`, `a.`,
    `1.)`, `1)`, after spaces and a bullet) opens a list, markers that count on from it
    (after a space or a CJK stop: `1. 加强领导。2. 完善机制。`) open the next items, and a
    marker's full stop ends nothing. A bullet after a space opens an item too.
    """
    cuts = []
    if any(text.find(b, start + 1, end) >= 0 for b in BULLETS):
        cuts = [m.start() for m in _BULLET.finditer(text, start + 1, end)]
    head = _ITEM.match(text, _past_spaces(text, start, end), end)
    if head is None:
        return cuts, []
    dots = [head.start("mark")] if head.group("mark")[0] == "." else []
    value, digits = _value(head.group("value")), head.group("value").isdigit()
    for m in _ITEM.finditer(text, head.end(), end):
        if m.group("value").isdigit() == digits and _value(m.group("value")) == value + 1:
            value += 1
            cuts.append(m.start())
            if m.group("mark")[0] == ".":
                dots.append(m.start("mark"))
    return cuts, dots


def _value(marker: str) -> int:
    return int(marker) if marker.isdigit() else ord(marker)


# --- stops ----------------------------------------------------------------------------------


def semicolon_ends(text: str, start: int, after: int) -> bool:
    """`；` ends a sentence, but not between the items of `一是…；二是…` or `第一，…；第二，…`
    that are phrases: an item that is a clause of its own, with commas, stays a sentence to
    cite alone."""
    if _ENUMERATION.match(text, after) is None:
        return True
    item = text[max(0, start - 60) : start]
    cut = max(item.rfind(c) for c in "：:；;。！？\n")
    if cut < 0 and start > 60:
        return True
    item = _ITEM_MARKER.sub("", item[cut + 1 :].strip(), count=1)
    return "，" in item or "," in item


def latin_ends(text: str, start: int, end: int, after: int, marker_dots: Container[int]) -> bool:
    """Whether the run of `.!?` at text[start:end], closers up to `after`, ends a sentence."""
    run = text[start:end]
    bang = "!" in run or "?" in run
    nxt = text[after : after + 1]
    if nxt and not nxt.isspace():
        if bang:
            return after == end and HAN_CHAR.match(nxt) is not None
        return run == "." and _glued(text, start, after)
    if bang:
        return not _next_is_lower(text, after)
    first, last = _dot_group(text, start, end)
    if first < start or last > end:
        return _spaced_ellipsis_ends(text, start, end, first, last, after)
    if len(run) > 1:  # `...` leaves the sentence open; `....` is one with a full stop
        return len(run) != 3 and not _next_is_lower(text, after)
    return start not in marker_dots and ends_sentence(text, start, after)


def _dot_group(text: str, start: int, end: int) -> tuple[int, int]:
    """The dots spaced out around text[start:end], as in `. . .`: where the group starts and ends."""
    while start >= 2 and text[start - 1] == " " and text[start - 2] == ".":
        start -= 2
        while start and text[start - 1] == ".":
            start -= 1
    while text[end : end + 2] == " .":
        end += 2
        while text[end : end + 1] == ".":
            end += 1
    return start, end


def _spaced_ellipsis_ends(
    text: str, start: int, end: int, first: int, last: int, after: int
) -> bool:
    """`. . .` leaves a sentence open; `. . . .` ends it after its last dot, but `word. . . .
    Next` ends after the first one: the full stop, then an ellipsis opening the next."""
    if text.count(".", first, last) < 4:
        return False
    if first and not text[first - 1].isspace():
        rest = _past_spaces(text, _past(text, last))
        return start == first and text[rest : rest + 1].isupper()
    return end == last and not _next_is_lower(text, after)


def _past_spaces(text: str, pos: int, end: int | None = None) -> int:
    """Past the spaces at `pos`, on its line."""
    m = _HSPACE.match(text, pos, len(text) if end is None else end)
    return m.end() if m else pos


def _past(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in CLOSERS:
        pos += 1
    return pos


def _next_is_lower(text: str, after: int) -> bool:
    rest = _past_spaces(text, after)
    return text[rest : rest + 1].islower()


def _glued(text: str, dot: int, after: int) -> bool:
    """`world.Today`: a full stop with no space after it, before a capitalised word, ends a
    sentence, but not in an address (`Jane.Doe@example.com`) or after an abbreviation."""
    if after != dot + 1 or not _GLUED.match(text, dot - 1):
        return False
    lo, hi = dot, after
    while lo and not text[lo - 1].isspace() and dot - lo < 64:
        lo -= 1
    while hi < len(text) and not text[hi].isspace() and hi - dot < 64:
        hi += 1
    token = text[lo:hi]
    return "@" not in token and "/" not in token and ends_sentence(text, dot, after)


def ends_sentence(text: str, dot: int, after: int) -> bool:
    """Whether a full stop ends a sentence, or belongs to "Dr.", "U.S.", "p. 55" or an initial."""
    word = _WORD_BEFORE.search(text, max(0, dot - 40), dot)
    if word is None:
        return True
    found = word.group(1)
    glued = _GLUED_TAIL.search(found)  # "Tuesday.Mr.": the word after a glued stop
    if glued:
        found = glued.group(1)
    token = found.lower()
    rest = _past_spaces(text, after)
    first = text[rest : rest + 1]
    if first.islower() or (first.isdigit() and token in ABBREVIATIONS):
        return False
    if len(token) == 1 and found.isupper() and (found != "I" or _after_name(text, word.start())):
        return False  # an initial, "J. Smith", but not "you and I."
    if token in ABBREVIATIONS_THAT_END or _DOTTED.fullmatch(token):
        next_word = _NEXT_WORD.match(text, rest)
        if next_word is None:
            return False
        if next_word.group(1).lower() in _STARTERS:
            return True
        # "He left at 6 P.M. Mr. Smith…" ends; "At 5 a.m. Mr. Smith went…" has no verb yet.
        return (
            token in ("a.m", "p.m") and first.isupper() and _words_before(text, word.start()) >= 3
        )
    return token not in ABBREVIATIONS


def _after_name(text: str, pos: int) -> bool:
    return _NAME_BEFORE.search(text, max(0, pos - 40), pos) is not None


def _words_before(text: str, pos: int) -> int:
    """How many words the sentence holding `pos` has before it."""
    chunk = text[max(0, pos - 200) : pos]
    start = 0
    for m in _SENTENCE_GAP.finditer(chunk):
        start = m.end()
    return len(chunk[start:].split())
