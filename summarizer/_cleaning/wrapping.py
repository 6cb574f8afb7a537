"""Hard-wrapped lines (a PDF's, `fold`'s) joined again where a sentence goes on.

It runs after the line-by-line steps have removed whole lines of chrome, and before
`repeats`, whose copies are whole paragraphs; from here on a block ends where no line is
joined across it (see `clean`). A break is judged by the lines around it, which
`Context.before` and `.after` give across the block's edges.
"""

from __future__ import annotations

import re
from itertools import pairwise

from summarizer._cleaning.context import Context
from summarizer._cleaning.offsets import Edit
from summarizer._scripts import HAN

_WRAP_CAP = 200  # columns: a wider line is a paragraph of its own, not a wrapped one
_WRAP_WINDOW = 8  # lines either side of a break that tell its paragraph's wrap width
_MIN_WRAPPED = 24  # columns: a narrower line is a heading or an item, in either script,
_MIN_WRAPPED_LATIN = 30  # ...and in Latin script this narrow
# Characters two columns wide in Chinese type: Han, kana, CJK and full-width punctuation,
# and the quotes, dashes and dots a Chinese font sets full-width.
_WIDE = re.compile(f"[{HAN}\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\uff01-\uff60‘’“”—…·]")
_WIDE_RUNS = re.compile(f"{_WIDE.pattern}+")
_CJK_PUNCT = "，、；：。！？“”‘’（）《》〈〉「」『』【】—…·％"
_HAN_SIDE = re.compile(f"[{HAN}{_CJK_PUNCT}]")
_HAN_CLOSING = "，、；：。！？”’）》〉」』】％%"  # Chinese type never starts a line with these
_STOPS = "。！？!?…."
_HAN_STOPS = "。！？!?…"  # a "." in Chinese text is a decimal point or an abbreviation's
# A table's columns: spaces between cells, not after a sentence (`。   “村里`).
_COLUMN_GAP = re.compile(r"[^\s。！？.!?…”’」』）)](?:[ \t]{2,}|\t)\S")
_CLOSERS = "”’\"'」』）)】]"
# A line break that may join two lines: after a character that does not end a sentence,
# after spaces (a `fold -s` line), after a dot that may be an abbreviation's ("approx." /
# "3.5 km", "Dr." / "Romero"), or before a closing mark (`。` / `”另据`). One pattern that
# starts with the literal line break: the regex engine skips ahead to those.
_BREAK = re.compile(
    r"\n(?:(?<=[^\s。！？!?….]\n)(?=[ \t]*\S)|(?<=[ \t]\n)(?=[ \t]*\S)"
    r"|(?<=[^\s.]\.\n)(?=\S|[ \t]+[a-z\d$€£¥])"
    r"|(?<=[。！？!?…]\n)(?=[ \t]*[，、；：。！？”’）》〉」』】％%]))"
)
_LIST_ITEM = re.compile(
    r"[-–—•·●○■□◆◇▪*#>|]|[(（]\d{1,3}[)）]|\d{1,3}(?:[.)．][ \t]|、)|\(?[a-zA-Z]\)[ \t]"
    r"|[(（]?[一二三四五六七八九十]{1,3}[)）、]|[一二三四五六七八九十]是"
    r"|第[一二三四五六七八九十\d]{1,3}[，,、章节節条條部]"
)


def reflow(text: str, context: Context) -> list[Edit]:
    """Join the lines of hard-wrapped text (a PDF's, `fold`'s) where a sentence goes on.

    Each line of such text was a unit to the sentence splitter, so summaries began
    mid-sentence ("buses that come on time…"). A break is joined when the line before it
    does not end a sentence and the line after it goes on: in Chinese, with a Han
    character or punctuation on either side, when the line is about as wide as the lines
    around it (the wrap width); in English, with a lowercase word or a number, when the
    line is not much narrower than the rest. Headings (narrow lines before a paragraph)
    and list items (a marker first) keep their breaks.
    """
    found = [m.start() for m in _BREAK.finditer(text)]
    if text.endswith("\n") and context.after[:1].strip():  # the break before the next block
        found.append(len(text) - 1)
    if not found:
        return []
    full = context.before + text + context.after
    at = len(context.before)
    edits = []
    for pos in found:
        joint = _joint(full, at + pos)
        if joint is not None:
            start, end, replacement = joint
            edits.append(Edit(start - at, end - at, replacement, "reflow"))
    return edits


def _joint(full: str, pos: int) -> tuple[int, int, str] | None:
    """The edit that joins the lines either side of the break at `pos`, if they go on."""
    start = full.rfind("\n", 0, pos) + 1
    line = full[start:pos].rstrip(" \t")
    end = full.find("\n", pos + 1)
    following = full[pos + 1 : end if end >= 0 else len(full)]
    upcoming = following.lstrip(" \t")
    if not line or not upcoming or _LIST_ITEM.match(upcoming):
        return None
    cut = (start + len(line), pos + 1 + len(following) - len(upcoming))
    # Chinese: a character either side, or near (`增长4.9` / `%`, `1500` / `余人次`).
    if _HAN_SIDE.search(line, len(line) - 6) or _HAN_SIDE.search(upcoming, 0, 6):
        return _han_joint(full, start, line, upcoming, cut)
    return _latin_joint(full, start, line, upcoming, cut)


def _han_joint(
    full: str, start: int, line: str, upcoming: str, cut: tuple[int, int]
) -> tuple[int, int, str] | None:
    """`_joint` for Chinese lines: wrapped when about as wide as the lines around."""
    last, first = line[-1], upcoming[0]
    ended = last in _HAN_STOPS or (last in _CLOSERS and line[-2:-1] in _HAN_STOPS + _CLOSERS)
    if ended and first not in _HAN_CLOSING:  # `。` / `”另据` is one sentence's end
        return None
    if len(line) > _WRAP_CAP and not line[_WRAP_CAP].isspace():
        return None  # wider than _WRAP_CAP columns, whatever its characters: not measured
    width = _width(line)
    if not _MIN_WRAPPED <= width <= _WRAP_CAP or _table_row(line, upcoming):
        return None
    # Wrapped: about as wide as the widest line around, and as another line (set
    # type is justified); lines of a text that is not wrapped differ in width.
    widths = [_width(other) for other in _window(full, start)]
    if width < max(widths) - max(4, max(widths) // 8):
        return None
    if not _alike(_lines_around(full, start), width):
        return None
    joined = cut != (cut[0], cut[0] + 1)  # spaces cut at the break too
    spaced = " " if last in ",;:" and joined else ""  # `土蜂蜜, ` / `笋干`
    return (*cut, spaced)


def _latin_joint(
    full: str, start: int, line: str, upcoming: str, cut: tuple[int, int]
) -> tuple[int, int, str] | None:
    """`_joint` for other lines: a sentence goes on, and the line is not much narrower
    than the paragraph's (or exactly as wide, where `fold -w` cut it anywhere)."""
    last, first = line[-1], upcoming[0]
    pos = start + len(line)  # where the break is when no spaces are cut
    ended = last in _STOPS or (last in _CLOSERS and line[-2:-1] in _STOPS + _CLOSERS)
    # A lowercase word or a number goes on a sentence, even after an abbreviation
    # ("approx. 3.5 km"); so does a capital after a title ("Dr. Romero"), or after a line
    # as wide as the paragraph's ("the new Harbor / Point"); `fold -w` cuts anywhere.
    goes_on = first.islower() or first.isdigit() or (first in "$€£¥" and upcoming[1:2].isdigit())
    cut_anywhere = cut == (pos, pos + 1) and pos - start <= _WRAP_CAP
    abbreviated = last == "." and (_titled(line) if not goes_on else _abbreviated(line))
    if ended and not (abbreviated or (last == "." and cut_anywhere)):
        return None
    width = _width(line)
    if width < _MIN_WRAPPED_LATIN or _table_row(line, upcoming):
        return None
    window = _window(full, start)
    if cut_anywhere and pos - start == max(map(len, window)) and _fixed_width(full, start):
        return (*cut, "")
    wrap = max(map(_width, window))
    if (ended and not abbreviated) or width < wrap * 0.6:
        return None
    if not (goes_on or ended):  # a capital: only inside a paragraph of lines this wide
        wide = sum(_width(other) >= wrap * 0.75 for other in window)
        if width < wrap * 0.75 or wide < 3 or not (first.isalnum() or first in "\"'“‘("):
            return None
    if last == "-" and line[-2:-1].isalpha() and first.islower():  # a hyphenated word
        return _hyphen(full, start, line, upcoming, cut)
    return (*cut, " ")


def _table_row(line: str, upcoming: str) -> bool:
    """Whether either line has a table's column gap, near the break: rows are not prose."""
    tail = max(0, len(line) - _WRAP_CAP)
    return bool(
        (_gap(line, tail, len(line)) and _COLUMN_GAP.search(line, tail))
        or (_gap(upcoming, 0, _WRAP_CAP) and _COLUMN_GAP.search(upcoming, 0, _WRAP_CAP))
    )


def _gap(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` has the two spaces or the tab a column gap takes: found
    faster than `_COLUMN_GAP`, which is tried at every character."""
    return text.find("  ", start, end) >= 0 or text.find("\t", start, end) >= 0


_TITLE = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof|St|Mt|Ft|Sen|Rep|Gov|Gen|No)\.$")
# A short word or a dotted one before a final dot: `approx.`, `e.g.`, `U.S.`, `a.m.`.
_ABBREVIATION = re.compile(r"(?:(?<![A-Za-z])[A-Za-z]{1,6}|[A-Za-z]\.[A-Za-z])\.$")


def _titled(line: str) -> bool:
    """Whether `line` ends in a title's dot (`Dr.`): looked for in its last characters
    only, as a search of the whole line took a third of the step's time."""
    return bool(_TITLE.search(line, len(line) - len("Prof.")))


def _abbreviated(line: str) -> bool:
    """Whether `line` ends in an abbreviation's dot (`approx.`, six letters at most),
    looked for at its end."""
    return bool(_ABBREVIATION.search(line, len(line) - len("approx.")))


_WORD_END = re.compile(r"[A-Za-z]+$")
_WORD_START = re.compile(r"[a-z]+")
_HYPHEN_REACH = 4000  # characters either side in which a hyphenated word is looked for


def _hyphen(
    full: str, start: int, line: str, upcoming: str, cut: tuple[int, int]
) -> tuple[int, int, str]:
    """`mainte-` / `nance` is one word; `service-` / `request` was hyphenated already, as
    the same word elsewhere nearby shows (so it is kept when seen with its hyphen)."""
    left, right = _WORD_END.search(line[:-1]), _WORD_START.match(upcoming)
    around = full[max(0, start - _HYPHEN_REACH) : start + _HYPHEN_REACH]
    if left and right and f"{left.group()}-{right.group()}" in around:
        return (*cut, "")
    return cut[0] - 1, cut[1], ""


def _width(line: str) -> int:
    """Columns, Han and full-width characters taking two; past _WRAP_CAP not counted."""
    line = line[: _WRAP_CAP + 1].rstrip()
    if line.isascii():  # no wide characters (and Python knows it without looking)
        return len(line)
    return 2 * len(line) - len(_WIDE_RUNS.sub("", line))  # runs: a match per character is slow


def _window(full: str, start: int) -> list[str]:
    """The line at `start` and up to _WRAP_WINDOW lines either side of it in its
    paragraph, each cut after _WRAP_CAP characters; a blank or longer line ends it."""
    reach = _WRAP_CAP + 2
    before: list[str] = []
    pos = start
    while pos > 0 and len(before) < _WRAP_WINDOW:
        begin = full.rfind("\n", max(0, pos - 1 - reach), pos - 1) + 1
        if begin == 0 and pos - 1 > reach:  # a line longer than any wrapped one
            before.append(full[pos - reach : pos - 1])
            break
        line = full[begin : pos - 1]
        if not line.strip():
            break
        before.append(line)
        pos = begin
    lines = before[::-1]
    pos = start
    while pos < len(full) and len(lines) < len(before) + _WRAP_WINDOW + 2:
        end = full.find("\n", pos, pos + reach)
        if end < 0:
            lines.append(full[pos : pos + reach])
            break
        line = full[pos:end]
        if not line.strip():
            break
        lines.append(line)
        pos = end + 1
    return lines


def _alike(lines: list[str], width: int) -> bool:
    """Whether three of `lines` (the line itself and two more, in its paragraph or the
    ones around) are about `width` wide; counting stops at three, as wrapped text has
    dozens of lines around each break."""
    alike = 0
    for other in lines:
        if abs(_width(other) - width) <= 4:
            alike += 1
            if alike == 3:
                return True
    return False


def _lines_around(full: str, start: int) -> list[str]:
    """The lines of `full` within a few lines' reach of `start`, blank ones and all."""
    reach = _WRAP_WINDOW // 2 * (_WRAP_CAP + 2)
    low, high = max(0, start - reach), start + reach
    lines = full[low:high].split("\n")
    return lines[low > 0 : len(lines) - (high < len(full))]  # less the lines cut in two


def _fixed_width(full: str, start: int) -> bool:
    """Whether the text around the line at `start` was cut at one width, as `fold -w`
    cuts it (mid-word too).

    So it was when nearly every line that text follows (a paragraph's last line does not
    count), and at least three, is as long as this one, and none is longer; in
    ragged-right text few lines are exactly the longest.
    """
    length = full.find("\n", start) - start
    same = other = 0
    for line, following in pairwise(_lines_around(full, start)):
        if not line.strip() or not following.strip():
            continue
        if len(line) > length or (_gap(line, 0, len(line)) and _COLUMN_GAP.search(line)):
            return False
        same += len(line) == length
        other += len(line) < length
    return same >= 3 and other * 5 <= same
