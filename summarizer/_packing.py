"""Packing: whole sentences into chunks that each fit one model call's token budget.

A document longer than the model's context window is read in chunks; each chunk is a slice
of the cleaned text (so offsets carry through to evidence), holds whole sentences where it
can, and shares a few trailing sentences with the next so a fact cut by a boundary is still
seen whole once.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_left, bisect_right
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import accumulate
from operator import add

from summarizer._collection import collection_paused
from summarizer._scripts import HAN, codepoints
from summarizer._sentences import VECTOR_MIN, Span, sentence_bounds, split_sentences
from summarizer._tokens import SPACE, DirectCosts, TokenCosts, estimate_tokens, gap_cost


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
    if len(text) <= VECTOR_MIN:
        return _pack(text, *_measure_short(text, budget), budget, overlap)
    with collection_paused():  # lists of millions of numbers, and no cycles
        return _pack(text, *_measure_long(text, budget), budget, overlap)


def _measure_short(text: str, budget: int) -> tuple[list[int], list[int], list[int], list[int]]:
    """Pieces of at most `budget` tokens, their costs, and the cost of the gap before each."""
    prices = DirectCosts(text)
    pieces = [p for s in split_sentences(text) for p in _fit(text, s, budget, prices)]
    starts = [p.start for p in pieces]
    ends = [p.end for p in pieces]
    costs = [estimate_tokens(text[p.start : p.end]) for p in pieces]
    gaps = [0] + [gap_cost(text[a:b]) for a, b in zip(ends, starts[1:], strict=False)]
    return starts, ends, costs, gaps


_THREADS = min(4, os.cpu_count() or 1)
# Blocks below which threads cost more than they save: starting them, and their turns at
# the GIL, took longer than a 1 MB text's few blocks on a loaded machine.
_THREAD_BLOCKS = 8
_BLOCK = 1 << 18  # characters measured at once: the arrays stay in cache and their memory is reused
# A block ends after a newline and before a character that is neither a space nor a digit, so no
# sentence, run of letters, punctuation or spaces, and no token estimate reaches across it. A
# text with few newlines (a page flattened to one line) also ends blocks after a 。 that a Han
# character follows, or after a ! or ? and one space that a capital follows: sentences end
# there on every path, and no run or estimate reaches across either.
_BLOCK_EDGE = re.compile(rf"\n(?=[^\s0-9])|。(?=[{HAN}])|[!?] (?=[A-Z])")


def _measure_long(text: str, budget: int) -> tuple[list[int], list[int], list[int], list[int]]:
    """`_measure_short` with numpy, for texts where a Python step per sentence is too slow.

    Long texts go a block at a time: on a 100 MB document, arrays of the whole text spent
    more time faulting in fresh memory than computing. numpy lets go of the GIL while it
    works, so the blocks of a long text are measured on as many threads as there are cores
    (up to 4).
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

    if len(blocks) >= _THREAD_BLOCKS and _THREADS > 1:
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
            more[3][0] = gap_cost(text[ends[-1] : more[0][0]])
        for done, new in zip((starts, ends, costs, gaps), more, strict=True):
            done += new
    return starts, ends, costs, gaps


def _measure_block(
    text: str, offset: int, budget: int
) -> tuple[list[int], list[int], list[int], list[int]]:
    import numpy as np

    cp = codepoints(text)
    prices = TokenCosts(text, cp)
    starts, ends = sentence_bounds(text, cp)
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
    # The gaps between pieces are whitespace only; price them as `gap_cost` does.
    width = starts[1:] - ends[:-1]
    newlines = prices.newlines
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


def _fit(text: str, span: Span, budget: int, prices: TokenCosts | DirectCosts) -> list[Span]:
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
