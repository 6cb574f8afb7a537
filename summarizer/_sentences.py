"""Sentences: where punctuation ends them, found before packing, ranking or grounding.

Chunks, the extractive engine and grounding all work in whole sentences, and citations
number them, so a boundary decides what a model is shown and what a key point quotes. The
boundaries come from punctuation, by the rules in `_boundaries` (the Golden Rules of
pragmatic_segmenter, plus our own for Chinese): a number such as `3.5`, `1,000` or
`1.5亿元` is never cut; a quotation, a title in 《》 or an aside in brackets keeps the
stops inside it; `；` joins enumerated phrases (一是…；二是…); a hard-wrapped line goes on into
the next; a sentence longer than `MAX_SENTENCE` is cut by `_cuts`. Spans are exact offsets
into the text, whitespace trimmed.

Why our own splitter: we measured the maintained ones with `python3 bench/segmenters.py`
(strict passes of the Golden Rules and of our Chinese cases; sentence edges that fall inside
a number, and MB/s best of three, on 10 MB of examples/*.txt and of bench/corpus.py):

| splitter | en /52 | zh /2 | ja /5 | our zh /25 | edges in numbers | MB/s | MB/s corpus |
|---|---|---|---|---|---|---|---|
| ours | 50 | 2 | 4 | 25 | 0 | 41 | 48 |
| pySBD 0.3.4 | 48 | 2 | 4 | 14 | 0 | 0.9 | (one block) |
| sentencex 1.0.32 | 44 | 2 | 4 | 15 | 1131 | 61 | 46 |
| blingfire 0.1.8 | 36 | 1 | 4 | 9 | 0 | 8.7 | 7.7 |

sentencex is as fast but cuts inside numbers and misses most of our Chinese rules; pySBD,
the most accurate of them, is fifty times slower, and superlinear on text without blank
lines, so a wrapper must feed it paragraphs; blingfire is slower and the least accurate.
None keeps a Chinese quotation whole or joins hard-wrapped lines. The three cases we fail
(en #040, #041, ja #005) expect a newline rewritten away, which spans of the text cannot
give: we return the sentence whole with its newline (tests/test_golden_rules.py).

Long texts take `_sentence_scan`, a numpy path that must give exactly this module's spans,
as cassettes and cached results depend on chunk boundaries; tests/test_sentences.py checks
that both paths agree.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from summarizer._boundaries import (
    BREAKS,
    ENCLOSURES,
    closing_ends,
    continues,
    latin_ends,
    list_items,
    pairs,
    semicolon_ends,
)
from summarizer._cuts import CLOSERS, cap
from summarizer._cuts import MAX_SENTENCE as MAX_SENTENCE
from summarizer._cuts import Span as Span
from summarizer._scripts import codepoints
from summarizer._sentence_scan import sentence_bounds as sentence_bounds

VECTOR_MIN = 20_000  # characters; below this, importing numpy costs more than it saves

_LINE_BREAK = re.compile(f"\r\n|[{BREAKS}]")
_ENCLOSURE = re.compile(f"[{re.escape(ENCLOSURES)}]")
_STOP = re.compile(
    r"(?P<cjk>[。！？…]*[。！？][。！？…]*)|(?P<ellipsis>…+)|(?P<semicolon>；+)|(?P<latin>[.!?]+)"
)


def split_sentences(text: str) -> list[Span]:
    """Sentence spans of `text`: paragraphs, and punctuation within them, end sentences."""
    if len(text) > VECTOR_MIN:
        starts, ends = sentence_bounds(text, codepoints(text))
        return list(map(Span, starts.tolist(), ends.tolist()))
    return _split_lines(text)


def _split_lines(text: str) -> list[Span]:
    """`split_sentences` in plain Python, one place at a time: the numpy path's reference."""
    ends = _paragraph_ends(text)
    opens, closes = pairs(text, [m.start() for m in _ENCLOSURE.finditer(text)], ends)
    cuts = set(ends)
    dots: set[int] = set()
    start = 0
    for end in ends:
        items, marks = list_items(text, start, end)
        cuts.update(items)
        dots.update(marks)
        start = end
    for m in _STOP.finditer(text):
        after = m.end()
        while after < len(text) and text[after] in CLOSERS:
            after += 1
        if _stop_ends(text, m, after, opens, closes, dots):
            cuts.add(after)
    spans: list[Span] = []
    begin = 0
    for cut in sorted(cuts):
        _add_span(text, begin, cut, spans)
        begin = cut
    return spans


def _paragraph_ends(text: str) -> list[int]:
    """Where each paragraph ends: after every line break that does not continue a sentence."""
    breaks = list(_LINE_BREAK.finditer(text))
    ends = []
    for i, m in enumerate(breaks):
        a0 = breaks[i - 1].end() if i else 0
        b1 = breaks[i + 1].start() if i + 1 < len(breaks) else len(text)
        if not continues(text, a0, m.start(), m.end(), b1):
            ends.append(m.end())
    return [*ends, len(text)]


def _stop_ends(
    text: str, m: re.Match[str], after: int, opens: list[int], closes: list[int], dots: set[int]
) -> bool:
    start, end = m.span()
    i = bisect_right(opens, start) - 1
    if i >= 0 and start < closes[i]:  # inside a quotation: only its closing stop can end
        return end <= closes[i] < after and closing_ends(text, end, after, opens[i])
    if m.lastgroup == "cjk":
        return True
    if m.lastgroup == "semicolon":
        return semicolon_ends(text, start, after)
    if m.lastgroup == "latin":
        return latin_ends(text, start, end, after, dots)
    return False  # an ellipsis leaves a sentence open


def _add_span(text: str, start: int, end: int, spans: list[Span]) -> None:
    piece = text[start:end]
    body = piece.lstrip()
    start += len(piece) - len(body)
    end = start + len(body.rstrip())
    if end - start > MAX_SENTENCE:
        spans += cap(text, start, end)
    elif end > start:
        spans.append(Span(start, end))
