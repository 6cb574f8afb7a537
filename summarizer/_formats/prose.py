"""Line breaking for the terminal panel: Chinese wraps where English would, never mid-number.

Rich breaks lines only at whitespace, so a Chinese sentence was one unbreakable word: a
table cell cut it with `…`, and a paragraph was folded at any cell, splitting `32` into
`3` / `2` and starting lines with `、`. `Prose` breaks at the line-break opportunities of
UAX #14 (from uniseg, pure Python): between ideographs, after spaces, never inside a
number, never before closing punctuation or after opening punctuation. Only a unit wider
than the whole line (a long URL in a narrow column) is folded, as rich would fold it.

uniseg's rule engine is slow: about 0.1 ms a character (a 2,600-character Chinese article,
470 ms; a panel went from 30 to 275 ms), so it is asked only where it can decide something.
A paragraph is first cut where UAX #14 always allows a break (between two ideographs, LB31;
after spaces between letters or digits, LB18), a run of letters and digits is one unit
(LB23, LB25, LB28), and uniseg sees only the runs with punctuation or other classes in them:
the same units as uniseg on the whole paragraph, which a property test checks. An ASCII
paragraph breaks at its spaces, as rich breaks English. Rich measures a table cell several
times per render, so each string's units are cached.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import lru_cache

from rich.cells import cell_len, chop_cells
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

Span = tuple[int, int]
_WORD = re.compile(r"\s*\S+\s*")  # rich's own unit: a word and the spaces around it
_WORDY = {"AL", "HL", "NU"}  # UAX #14 classes of letters and digits: no break between them
_CLOSING = {"CL", "CP", "EX", "IS", "NS"}  # classes that must not start a line


@lru_cache(maxsize=4096)
def units(paragraph: str) -> tuple[Span, ...]:
    """The pieces a line may not break inside: (start, end), trailing spaces included."""
    if paragraph.isascii():
        return tuple(m.span() for m in _WORD.finditer(paragraph))
    # 26 ms to import, so on first use; no type hints shipped (pyproject: mypy override)
    from uniseg.linebreak import line_break  # type: ignore[import-untyped]

    classes: list[str] = [line_break(c).value for c in paragraph]
    return _closing_attached(paragraph, classes, uax14(paragraph, classes))


def uax14(paragraph: str, classes: list[str]) -> list[Span]:
    """uniseg's units, asking uniseg only about the runs between sure breaks."""
    from uniseg.linebreak import line_break_units

    spans: list[Span] = []
    for start, end in itertools.pairwise(_cuts(classes)):
        run = classes[start:end]
        if len(run) == 1 or (run[0] in _WORDY and all(c in _WORDY or c == "SP" for c in run)):
            spans.append((start, end))  # letters and digits, then spaces: one unit
            continue
        for unit in line_break_units(paragraph[start:end]):
            spans.append((start, start + len(unit)))
            start += len(unit)
    return spans


def _closing_attached(paragraph: str, classes: list[str], spans: list[Span]) -> tuple[Span, ...]:
    """UAX #14 breaks after any space (LB18), so `abc ；` could start a line with `；`:
    closing punctuation joins the unit before it instead."""
    joined: list[Span] = []
    for a, b in spans:
        closing = classes[a] in _CLOSING or unicodedata.category(paragraph[a]) in ("Pe", "Pf")
        if joined and closing:
            joined[-1] = (joined[-1][0], b)
        else:
            joined.append((a, b))
    return tuple(joined)


def _cuts(classes: list[str]) -> list[int]:
    """Where UAX #14 breaks whatever the context: ID ÷ ID, and AL SP ÷ AL (letters, digits)."""
    cuts = [0]
    last_word = False  # whether the last character that is not a space was a letter or digit
    for i, (before, after) in enumerate(itertools.pairwise(classes), 1):
        if before != "SP":
            last_word = before in _WORDY
        if (before == after == "ID") or (before == "SP" and after in _WORDY and last_word):
            cuts.append(i)
    return [*cuts, len(classes)] if classes else []


def break_lines(text: str, width: int) -> list[Span]:
    """Each line's (start, end) in `text`, filled greedily; trailing spaces left out."""
    width = max(width, 1)
    lines: list[Span] = []
    offset = 0
    for paragraph in text.split("\n"):
        lines.extend((offset + a, offset + b) for a, b in _fill(paragraph, width))
        offset += len(paragraph) + 1
    return lines


def _fill(paragraph: str, width: int) -> list[Span]:
    lines: list[Span] = []
    start = end = used = 0  # the open line: its start, its visible end, its cells so far
    for a, b in units(paragraph):
        unit = paragraph[a:b]
        visible = cell_len(unit.rstrip())
        if used and used + visible > width:
            lines.append((start, end))
            start = end = a
            used = 0
        if not used and visible > width:  # wider than any line: fold it by cells
            for piece in chop_cells(unit.rstrip(), width)[:-1]:
                lines.append((a, a + len(piece)))
                a += len(piece)
            start = end = a
            unit = paragraph[a:b]
        end = a + len(unit.rstrip()) if unit.strip() else end
        used += cell_len(unit)
    lines.append((start, end))
    return lines


class Prose:
    """Text that wraps at UAX #14 opportunities, keeping its styles; a drop-in for `Text`."""

    def __init__(self, text: str | Text, style: str = "") -> None:
        self.text = text if isinstance(text, Text) else Text(text, style=style)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        plain = self.text.plain
        widest = max(
            (cell_len(p[a:b].rstrip()) for p in plain.split("\n") for a, b in units(p)),
            default=0,
        )
        longest = max((cell_len(p) for p in plain.split("\n")), default=0)
        return Measurement(widest, longest).clamp(max_width=options.max_width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines = [self.text[a:b] for a, b in break_lines(self.text.plain, options.max_width)]
        joined = Text("\n", style=self.text.style).join(lines)
        joined.no_wrap = True  # every line fits already; rich must not fold it again
        yield joined
