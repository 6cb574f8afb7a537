"""Copies of a paragraph, the `repeats` step: later exact copies, and cut-short ones (an
abstract that is the first paragraph again, cut short) either side of it.

It runs after `reflow`, so that a paragraph is one line, and carries what it has seen from
one block to the next (`Context.seen`, `.repeat_tail`).
"""

from __future__ import annotations

import re

from summarizer._cleaning.context import Context, lines
from summarizer._cleaning.offsets import Edit

_REPEAT_MIN = 15  # characters other than spaces: shorter lines are headings, not repeats
_REPEAT_REACH = 4000  # characters between a cut copy and the paragraph it was cut from
_REPEAT_LINE_MAX = 8000  # characters: longer lines only ever repeat whole
_REPEAT_HEAD = 6  # characters other than spaces that a cut copy and its paragraph share
_FOLD = re.compile(r"[\W_]+")
_ABSTRACT_LABEL = re.compile(
    r"[ \t]*(?:[【\[［〔][ \t]*(?:摘[ \t]*要|内容提要|內容提要|abstract)[ \t]*[】\]］〕][ \t]*[:：]?"
    r"|(?:摘[ \t]*要|内容提要|內容提要|abstract)[ \t]*(?:[:：]|(?=\s*$)))[ \t]*",
    re.I,
)
_LABEL_FIRST = frozenset("摘内內【[［〔Aa")


def repeats(text: str, context: Context) -> list[Edit]:
    """Copies of a paragraph: later exact ones, and cut-short ones either side of it.

    Scrapers and templates duplicate paragraphs, and pages open with an abstract that is
    the first paragraph cut short (`摘要:` and a few lines, then the whole paragraph), so
    a summary said the same sentence twice. Exact copies go wherever they are; a line
    whose words (spaces and punctuation folded away) begin a line within _REPEAT_REACH
    characters of it, or nearly do, is the cut copy and goes with its label.
    """
    # The text around that a copy and its paragraph can reach into (a cut line whose
    # paragraph is after it may follow a label alone, up to 200 characters before it).
    before = context.before[len(context.before) - _REPEAT_REACH - _REPEAT_LINE_MAX :]
    after = context.after[: 200 + _REPEAT_REACH + 2 * _REPEAT_LINE_MAX]
    at = len(before)
    copies = _Copies(before + text + after, context.offset - at)
    copies.add_tail(context.repeat_tail)
    edits, labels = _scan(text, at, copies, context.seen)
    context.repeat_tail = copies.tail(at + len(text))
    copies.add_lines(after, at + len(text), context.seen)
    cut = copies.cut()
    if not cut and not labels:
        return edits
    exact = {edit.start for edit in edits}
    for start, end in cut.items():
        if at <= start < at + len(text):
            edits.append(Edit(start - at, end - at, "", "repeats"))
    for start, end in labels:
        if start + at in cut or start in exact:
            continue
        if text[end - 1 : end] == "\n":  # alone: goes with the cut copy after it
            gap = _BLANK_LINES_AT.match(copies.full, at + end)
            if gap and gap.end() in cut and gap.end() - (at + end) <= 200:
                edits.append(Edit(start, end, "", "repeats"))
        else:
            edits.append(Edit(start, end, "", "labels"))
    return sorted(edits)


def _scan(
    text: str, at: int, copies: _Copies, seen: set[str]
) -> tuple[list[Edit], list[tuple[int, int]]]:
    """The exact copies among the lines of `text` (found at `at` in `copies.full`), and
    the lines that open with an abstract's label (where the label ends); the other lines
    go to `copies`, and their words to `seen`."""
    edits = []
    labels = []  # (start, end of the label) of lines that open with one
    recent, reach, add = copies.recent, _REPEAT_REACH, seen.add
    for start, line in lines(text):
        key = _words(line)
        if len(key) < _REPEAT_MIN:
            if key[:1] in _LABEL_FIRST and _ABSTRACT_LABEL.fullmatch(line.rstrip("\n")):
                labels.append((start, start + len(line)))  # a label alone, before its text
            continue
        known = len(seen)
        add(key)
        if len(seen) == known:  # an exact copy goes, and no cut copy is measured against it
            edits.append(Edit(start, start + len(line), "", "repeats"))
            continue
        here = at + start
        near = recent.get(head := key[:_REPEAT_HEAD])
        if key[0] not in _LABEL_FIRST and (near is None or here - near[-1][1] > reach):
            recent[head] = [(here, here + len(line), here)]  # `copies.add`, made short
        else:
            copies.add(here, line, key)
            if key[0] in _LABEL_FIRST and (label := _ABSTRACT_LABEL.match(line)):
                labels.append((start, start + label.end()))
    return edits, labels


def _words(line: str) -> str:
    """`line` without its spaces, `"".join(line.split())`: faster when its only spaces
    are " " and the line break, as every other space is a character not printable."""
    if "\t" not in line:  # (a tab is the space most often met besides " ")
        words = line.replace(" ", "").rstrip("\n")
        if words.isprintable():
            return words
    return "".join(line.split())


_BLANK_LINES_AT = re.compile(r"(?:[ \t]*\n)*")
_LineAt = tuple[int, int, int]  # a line's start, end, and where its words start (after 摘要:)


class _Copies:
    """The lines of `full` (a block and the text around it) that are no exact copy of an
    earlier line, by how they begin, and the pairs of them that may be a cut copy and the
    line it was cut from."""

    def __init__(self, full: str, offset: int) -> None:
        self.full = full
        self.offset = offset  # where `full` starts in the text the step reads
        self.recent: dict[str, list[_LineAt]] = {}  # by their first words, the last ones
        self.pairs: list[tuple[_LineAt, _LineAt]] = []
        self.folds = _Folds(full)

    def add(self, start: int, line: str, key: str) -> None:
        """A line at `start`, `key` its text without spaces."""
        body = start
        if key[0] in _LABEL_FIRST and (label := _ABSTRACT_LABEL.match(line)):
            body += label.end()
            key = "".join(line[label.end() :].split())
        self._add((start, start + len(line), body), key[:_REPEAT_HEAD])

    def _add(self, here: _LineAt, head: str) -> None:
        """A line paired with the recent ones that begin alike, those it does not part
        from too early for either to be a cut copy (most pairs: checked here, once)."""
        recent = self.recent.get(head)
        if recent is None:
            self.recent[head] = [here]
            return
        gone = 0  # lines out of reach, first as the lines are in order
        while gone < len(recent) and here[0] - recent[gone][1] > _REPEAT_REACH:
            gone += 1
        del recent[:gone]
        if recent:
            folds = self.folds
            mine = folds.head(here[2], here[1])
            self.pairs += [(r, here) for r in recent if not folds.apart(r, mine)]
        recent.append(here)

    def add_lines(self, region: str, at: int, seen: set[str]) -> None:
        """The lines of the text after the block, less exact copies."""
        met = set()
        for start, line in lines(region):
            key = _words(line)
            if len(key) >= _REPEAT_MIN and key not in seen and key not in met:
                met.add(key)
                self.add(at + start, line, key)

    def tail(self, end: int) -> list[tuple[_LineAt, str]]:
        """The lines before `end` that a line after it can be a cut copy of, or have one
        in: where they are in the text the step reads, and their first words."""
        since = end - _REPEAT_REACH - _REPEAT_LINE_MAX
        at = self.offset
        return [
            ((start + at, stop + at, body + at), head)
            for head, lines in self.recent.items()
            for start, stop, body in lines
            if since <= start < end
        ]

    def add_tail(self, tail: list[tuple[_LineAt, str]]) -> None:
        """The lines the block before left (`tail`), those in `full`."""
        at = self.offset
        for (start, stop, body), head in tail:
            if start >= at:
                self._add((start - at, stop - at, body - at), head)

    def cut(self) -> dict[int, int]:
        """The lines that are cut copies: their ends by their starts."""
        cut = {}
        for earlier, later in self.pairs:
            copy = _which_is_cut(self.full, earlier, later, self.folds)
            if copy is not None:
                start, end, _ = (earlier, later)[copy]
                cut[start] = end
        return cut


_HEAD_CHARS = 48  # characters of a line whose folded form tells most pairs apart
_RETOUCHED_MAX = 20  # folded characters at the end of a cut copy that may differ


class _Folds:
    """The words of lines of `full`, spaces, punctuation and case folded away: of the
    first _HEAD_CHARS characters, which tell most pairs of lines apart, and of the whole
    line when they do not. Each once, as a line is in many pairs."""

    def __init__(self, full: str) -> None:
        self.full = full
        self.heads: dict[int, str] = {}  # by where the line's words start
        self.wholes: dict[int, str] = {}

    def head(self, start: int, end: int) -> str:
        found = self.heads.get(start)
        if found is None:
            found = self.heads[start] = _fold(self.full[start : min(end, start + _HEAD_CHARS)])
        return found

    def apart(self, line: _LineAt, head: str) -> bool:
        """Whether `line` and a line whose folded head is `head` part too early for either
        to be a cut copy of the other.

        A copy shares all but a tenth (at most _RETOUCHED_MAX) of its folded whole with
        the other line, and that whole is at least as long as the shorter head: so the
        heads must begin with that much of the shorter head alike.
        """
        theirs = self.heads.get(line[2])
        if theirs is None:
            theirs = self.head(line[2], line[1])
        n = min(len(theirs), len(head))
        alike = n - min(n // 10, _RETOUCHED_MAX)
        return theirs[:alike] != head[:alike]

    def whole(self, start: int, end: int) -> str:
        found = self.wholes.get(start)
        if found is None:
            found = self.wholes[start] = _fold(self.full[start:end])
        return found


def _fold(text: str) -> str:
    """Character by character, so a line's head folds to the head of its folded whole."""
    if text.isascii():  # tables of bytes: twice as fast as `str.translate` with a dict
        return text.encode().translate(_ASCII_LOWER, _ASCII_NOT_ALNUM).decode()
    return _FOLD.sub("", text).casefold()


# `_FOLD` and `casefold` for ASCII: letters and digits kept, lowercase, the rest gone.
_ASCII_LOWER = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz")
_ASCII_NOT_ALNUM = bytes(c for c in range(128) if not chr(c).isalnum())


def _which_is_cut(full: str, earlier: _LineAt, later: _LineAt, folds: _Folds) -> int | None:
    """0 when `earlier` (start, end, body) is a cut copy of `later`, 1 when `later` is
    one of `earlier`, None when neither: of two equal lines the later is the copy, unless
    the earlier is an abstract (`摘要：` and the paragraph again)."""
    if max(earlier[1] - earlier[0], later[1] - later[0]) > _REPEAT_LINE_MAX:
        return None
    labelled = earlier[2] > earlier[0] and later[2] == later[0]  # `摘要：` on the earlier
    if earlier[1] - earlier[2] == later[1] - later[2] and (
        full[earlier[2] : earlier[1]] == full[later[2] : later[1]]
    ):
        return 0 if labelled else 1
    first = folds.whole(earlier[2], earlier[1])
    second = folds.whole(later[2], later[1])
    shorter, longer = (first, second) if len(first) < len(second) else (second, first)
    if len(shorter) < _REPEAT_MIN:
        return None
    shared = _shared(shorter, longer)
    tail = shorter[shared:]  # where a cut copy ends in a part word, or was retouched
    if len(tail) > min(len(shorter) // 10, _RETOUCHED_MAX) or any(c.isdigit() for c in tail):
        return None  # a line that says another number is not a copy
    return 0 if len(first) < len(second) or (labelled and first == second) else 1


def _shared(first: str, second: str) -> int:
    """How many characters `first` and `second` begin with alike (a binary search over
    slices, compared in C)."""
    low, high = 0, min(len(first), len(second))
    if first[:high] == second[:high]:
        return high
    while high - low > 1:  # first[:low] == second[:low], first[:high] != second[:high]
        middle = (low + high) // 2
        if first[:middle] == second[:middle]:
            low = middle
        else:
            high = middle
    return low
