"""Cleaning: strip the noise of scraped pages before any engine or model sees the text.

Each step proposes edits (delete or replace a span) over the text the previous step left;
applying them yields the next text and an `OffsetMap` back to the previous one. Chained,
the maps trace any span of the cleaned text to the document as loaded, which is how facts
keep pointing at the source. Every step reports what it removed, so a user can see that
nothing real went missing.

The rules err towards keeping text: a line is removed only when it is short or shaped like
chrome (link-farm lists, share bars, credits), never because it merely contains a comma
list or a word such as 来源.

One module per family of steps, imported one way: `offsets` and `context` below every
step, `normalization`, `pinyin`, `markdown`, `credits`, `references`, `link_farms`,
`chrome`, `wrapping` (reflow), `copies` (repeats) and `spacing` (whitespace) above them,
`blocks` and `report` beside them, and this module, which orders the steps, on top.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from summarizer._cleaning.blocks import around, cut_blocks, starting_with_text
from summarizer._cleaning.chrome import page_chrome
from summarizer._cleaning.context import Context, Step
from summarizer._cleaning.copies import repeats
from summarizer._cleaning.credits import trailing_credits
from summarizer._cleaning.markdown import markdown_syntax
from summarizer._cleaning.normalization import normalize
from summarizer._cleaning.offsets import Edit, OffsetMap, apply_edits, apply_into
from summarizer._cleaning.pinyin import pinyin_artifacts
from summarizer._cleaning.prose import PROSE_WORDS, guess_title, has_prose
from summarizer._cleaning.report import Tally, build_report, tally
from summarizer._cleaning.spacing import INNER_SPACE, inner_spaces, whitespace
from summarizer._cleaning.wrapping import reflow
from summarizer._collection import collection_paused
from summarizer._schemas import Byline, CleaningReport

__all__ = [
    "PROSE_WORDS",
    "TEXT_STEPS",
    "CleanedText",
    "Context",
    "Edit",
    "OffsetMap",
    "Step",
    "apply_edits",
    "clean",
    "guess_title",
    "has_prose",
    "markdown_syntax",
    "normalize",
    "page_chrome",
    "pinyin_artifacts",
    "reflow",
    "repeats",
    "trailing_credits",
    "whitespace",
]


@dataclass(frozen=True)
class CleanedText:
    """The cleaned text, the report of what went, and the way back to the original."""

    text: str
    original: str
    report: CleaningReport
    byline: Byline
    maps: tuple[OffsetMap, ...] = field(repr=False)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Trace a span of the cleaned text to the span of the original it came from."""
        if end <= start:
            pos = self._back(start)
            return pos, pos
        return self._back(start), self._back(end - 1) + 1

    def to_original_many(self, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
        """`to_original` of every span, each map read once: a result traces hundreds of
        spans (its entities' mentions), where one at a time took a tenth of a batch's time
        on the event loop."""
        import numpy as np

        if not spans:
            return []
        starts = np.array([s for s, _ in spans], dtype=np.int64)
        ends = np.array([e for _, e in spans], dtype=np.int64)
        empty = ends <= starts
        points = np.concatenate((starts, np.where(empty, starts, ends - 1)))
        for offset_map in reversed(self.maps):
            points = offset_map.to_old_many(points)
        first, last = points[: len(spans)], points[len(spans) :]
        return list(zip(first.tolist(), np.where(empty, first, last + 1).tolist(), strict=True))

    def _back(self, pos: int) -> int:
        for offset_map in reversed(self.maps):
            pos = offset_map.to_old(pos)
        return pos


TEXT_STEPS: tuple[Step, ...] = (
    normalize,
    pinyin_artifacts,
    page_chrome,
    trailing_credits,
    reflow,
    repeats,
    whitespace,
)

# Characters of lines that go through the steps at once; few enough that a block's edits
# die young: with blocks of a megabyte so many lived that full garbage collections, each
# walking all of them, took nearly a tenth of the time on a 100 MB page.
_BLOCK_CHARS = 1 << 18
# The whitespace step's search for runs of spaces, which a property test compares with
# the plain pattern.
_INNER_SPACE, _inner_spaces = INNER_SPACE, inner_spaces


def clean(text: str, *, markdown: bool = False) -> CleanedText:
    """Run every cleaning step in order and report what each removed.

    The steps work line by line, so a long text goes through them a block of lines at a
    time (`blocks`). Blocks end at line breaks (merged again where reflow joined two
    lines) and start on a line with text (for whitespace's blank-line rule), the steps
    carry their state across (`Context`), and each can read AROUND_CHARS of the text
    either side of its block (`Context.before`, `.after`), so the result is the same as
    in one piece.
    """
    with collection_paused():  # millions of short-lived edits, which hold no cycles
        return _clean(text, markdown)


def _clean(text: str, markdown: bool) -> CleanedText:
    steps = TEXT_STEPS if not markdown else (TEXT_STEPS[0], markdown_syntax, *TEXT_STEPS[1:])
    context = Context()
    tallies: dict[str, Tally] = {}
    maps: list[OffsetMap] = []
    blocks = cut_blocks(text, _BLOCK_CHARS)
    whole_lines = False  # from reflow on, which joins lines across block ends
    for step in steps:
        whole_lines = whole_lines or step is reflow or step is whitespace
        if whole_lines:
            blocks = starting_with_text(blocks)
        blocks = _stepped(step, blocks, context, tallies, maps)
    current = "".join(blocks)
    report = build_report(tallies, len(text), len(current))
    return CleanedText(current, text, report, context.byline, tuple(maps))


def _stepped(
    step: Step,
    blocks: list[str],
    context: Context,
    tallies: dict[str, Tally],
    maps: list[OffsetMap],
) -> list[str]:
    """The blocks after `step`, its edits tallied and the one map back for all of them
    added to `maps` (none when it changed nothing).

    Each block's edits are applied as soon as they are known: a page's millions of them
    never live at once, which would make every garbage collection walk them all.
    """
    offset_map = OffsetMap([], [], [], [], sum(map(len, blocks)))
    edited = []
    changed = False
    new_at = old_at = context.offset = 0
    for i, block in enumerate(blocks):
        context.starts_text, context.ends_text = i == 0, i == len(blocks) - 1
        context.before, context.after = around(blocks, i)
        edits = step(block, context)
        context.offset += len(block)
        changed = changed or bool(edits)
        tally(tallies, block, edits)
        edited.append(apply_into(block, edits, offset_map, new_at, old_at))
        new_at += len(edited[-1])
        old_at += len(block)
    if not changed:
        return blocks
    maps.append(offset_map)
    return edited
