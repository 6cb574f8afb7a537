"""The offset map: edits applied to a text, and the way back from the new text to the old.

Every step's edits go through here, so that `CleanedText.to_original` can chain one map
per step from the cleaned text to the document as loaded; facts keep pointing at the
source that way. A block of a long text appends its segments to the map the whole text
shares (`apply_into`), so cutting the text into blocks leaves the map as in one piece.
"""

from __future__ import annotations

from bisect import bisect_right
from operator import itemgetter
from typing import Any, NamedTuple


class Edit(NamedTuple):
    """Replace text[start:end]; a tuple, since a 100 MB page can need millions of them."""

    start: int
    end: int
    replacement: str = ""
    kind: str = ""


class OffsetMap:
    """Positions in an edited text, mapped back to the text before the edits."""

    def __init__(
        self,
        new_starts: list[int],
        old_starts: list[int],
        old_lens: list[int],
        exact: list[bool],
        old_len: int,
    ) -> None:
        self.new_starts = new_starts
        self.old_starts = old_starts
        self.old_lens = old_lens
        self.exact = exact
        self.old_len = old_len
        self._cached: tuple[Any, Any, Any, Any] | None = None

    def to_old(self, pos: int) -> int:
        i = bisect_right(self.new_starts, pos) - 1
        if i < 0:
            return 0
        offset = pos - self.new_starts[i]
        if not self.exact[i]:
            offset = min(offset, self.old_lens[i])
        return min(self.old_starts[i] + offset, self.old_len)

    def to_old_many(self, positions: Any) -> Any:
        """`to_old` of each position of an int64 array, in one pass."""
        import numpy as np

        if not self.new_starts:
            return np.zeros_like(positions)
        new_starts, old_starts, old_lens, exact = self._arrays()
        i = np.searchsorted(new_starts, positions, side="right") - 1
        at = np.maximum(i, 0)
        offset = positions - new_starts[at]
        offset = np.where(exact[at], offset, np.minimum(offset, old_lens[at]))
        return np.where(i < 0, 0, np.minimum(old_starts[at] + offset, self.old_len))

    def _arrays(self) -> tuple[Any, Any, Any, Any]:
        """The segments as arrays, made again only if segments were added since."""
        import numpy as np

        if self._cached is None or len(self._cached[0]) != len(self.new_starts):
            self._cached = (
                np.array(self.new_starts, dtype=np.int64),
                np.array(self.old_starts, dtype=np.int64),
                np.array(self.old_lens, dtype=np.int64),
                np.array(self.exact, dtype=bool),
            )
        return self._cached


def apply_edits(text: str, edits: list[Edit]) -> tuple[str, OffsetMap]:
    """Apply non-overlapping edits; overlapping ones after the first are skipped."""
    offset_map = OffsetMap([], [], [], [], len(text))
    return apply_into(text, edits, offset_map, 0, 0), offset_map


def apply_into(text: str, edits: list[Edit], into: OffsetMap, new_at: int, old_at: int) -> str:
    """`apply_edits` for `text` found at `old_at` before and `new_at` after the edits: its
    segments go on the end of `into`, so the blocks of a long text share one map."""
    pieces: list[str] = []
    new_starts, old_starts, old_lens, exact = (
        into.new_starts,
        into.old_starts,
        into.old_lens,
        into.exact,
    )
    new_pos = new_at
    old_pos = 0
    for start, end, replacement, _ in sorted(edits, key=_SPAN):
        if start < old_pos:
            continue
        if start > old_pos:  # the text kept before the edit
            new_starts.append(new_pos)
            old_starts.append(old_at + old_pos)
            old_lens.append(start - old_pos)
            exact.append(True)
            pieces.append(text[old_pos:start])
            new_pos += start - old_pos
        if replacement:
            new_starts.append(new_pos)
            old_starts.append(old_at + start)
            old_lens.append(end - start)
            exact.append(len(replacement) == end - start)
            pieces.append(replacement)
            new_pos += len(replacement)
        old_pos = end
    if old_pos < len(text):
        new_starts.append(new_pos)
        old_starts.append(old_at + old_pos)
        old_lens.append(len(text) - old_pos)
        exact.append(True)
        pieces.append(text[old_pos:])
    return "".join(pieces)


_SPAN = itemgetter(0, 1)
