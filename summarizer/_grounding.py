"""Grounding: a fact's evidence is located in the source by code, never taken on trust.

A model's quote is searched for in the cleaned text after normalising width, case,
whitespace and punctuation, and after folding traditional to simplified script (for the
match only). What is emitted is the exact source span and its offsets, so
`cleaned[start:end] == evidence` holds whatever the model wrote.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from summarizer._language import converter
from summarizer._scripts import HAN_CHAR

_ELLIPSIS = re.compile(r"\s*(?:\.{3,}|…+|⋯+)\s*")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_MIN_CHARS = 4  # normalised characters; shorter quotes match too much to prove anything
_MAX_GAP = 200  # characters an elided quote ("A…B") may skip in the source


@dataclass(frozen=True)
class Folded:
    """A text reduced to the characters that matter for matching, and where each came from."""

    text: str
    origin: list[int]


_MEANINGFUL = frozenset("%‰$€£¥#@&+")


def _keep(ch: str) -> bool:
    if ch in _MEANINGFUL:
        return True
    category = unicodedata.category(ch)
    return not (category[0] in "PZ" or category == "Cc")


class _FoldTable(dict[int, str]):
    """A str.translate table, filled as characters are met: each to its folded form (NFKC,
    lower case, at most one character so positions stay one to one), or to "" when dropped."""

    def __missing__(self, code: int) -> str:
        out = "".join(c for c in unicodedata.normalize("NFKC", chr(code)).lower() if _keep(c))[:1]
        self[code] = out
        return out


class _KeptTable(dict[int, str]):
    """A str.translate table marking each character "1" if folding keeps it, else "0"."""

    def __missing__(self, code: int) -> str:
        mark = "1" if _FOLD[code] else "0"
        self[code] = mark
        return mark


_FOLD = _FoldTable()
_KEPT = _KeptTable()


def fold(text: str) -> Folded:
    """Width, case and script folded; whitespace and punctuation dropped.

    Two str.translate passes and numpy do in C what a loop over every character did in
    Python; grounding folds each chunk once and every quote against it. Short strings
    (quotes, names) are cached apart from texts: in one cache, a document's hundreds of
    names pushed the document out, and every name looked up folded the whole text again.
    """
    return _fold_short(text) if len(text) <= _SHORT else _fold_long(text)


_SHORT = 256


@lru_cache(maxsize=4096)
def _fold_short(text: str) -> Folded:
    return _folded(text)


@lru_cache(maxsize=32)
def _fold_long(text: str) -> Folded:
    return _folded(text)


def _folded(text: str) -> Folded:
    import numpy as np

    simplified = converter("t2s").convert(text)
    if len(simplified) != len(text):  # phrase conversions changed the length: go char by char
        simplified = "".join(converter("t2s").convert(ch) or ch for ch in text)
    kept = np.frombuffer(simplified.translate(_KEPT).encode("ascii"), dtype=np.uint8)
    origin: list[int] = np.flatnonzero(kept == ord("1")).tolist()
    return Folded(simplified.translate(_FOLD), origin)


def locate(quote: str, text: str, *, near: int = 0) -> tuple[int, int] | None:
    """The span of `text` that `quote` copies, or None.

    Of several matches the first at or after `near` wins (the chunk the quote came from).
    A quote elided with an ellipsis matches when its parts appear in order, close together.
    """
    parts = [p for p in _ELLIPSIS.split(quote) if p.strip()]
    if not parts:
        return None
    source = fold(text)
    folded_parts = [fold(p).text for p in parts]
    if sum(len(p) for p in folded_parts) < _MIN_CHARS or not all(folded_parts):
        return None
    start_at = _folded_index(source, near)
    for first in _find_all(source.text, folded_parts[0], start_at):
        end = first + len(folded_parts[0])
        for part in folded_parts[1:]:
            nxt = source.text.find(part, end)
            if nxt < 0 or source.origin[nxt] - source.origin[end - 1] > _MAX_GAP:
                break
            end = nxt + len(part)
        else:
            return source.origin[first], source.origin[end - 1] + 1
    return None


def _find_all(haystack: str, needle: str, start_at: int) -> list[int]:
    """Matches at or after `start_at` first, then earlier ones."""
    hits = []
    pos = haystack.find(needle)
    while pos >= 0:
        hits.append(pos)
        pos = haystack.find(needle, pos + 1)
    return sorted(hits, key=lambda p: (p < start_at, p))


def _folded_index(source: Folded, pos: int) -> int:
    return bisect_left(source.origin, pos)


def numbers(text: str) -> set[str]:
    normal = unicodedata.normalize("NFKC", text)
    return {m.group().replace(",", "") for m in _NUMBER.finditer(normal)}


def numbers_supported(statement: str, evidence: str) -> bool:
    """Every number in the statement appears in the evidence (1,500 and 1500 are equal)."""
    return numbers(statement) <= numbers(evidence)


_STOPWORDS = frozenset(
    "a an the and or but of to in on at by for with from as is are was were be been it its this that "
    "these those will would has have had not no than then there their they he she we you i".split()
)


def words(text: str) -> set[str]:
    """Latin words (stop words out), numbers and Han bigrams: what support compares."""
    lowered = unicodedata.normalize("NFKC", text).lower()
    cjk = "".join(HAN_CHAR.findall(converter("t2s").convert(lowered)))
    grams = {cjk[i : i + 2] for i in range(len(cjk) - 1)}
    latin = set(re.findall(r"[a-z0-9%$]+(?:[.,][0-9]+)*", lowered)) - _STOPWORDS
    return grams | latin


def likely_sentences(
    statement: str, text: str, spans: Sequence[tuple[int, int]], *, keep: int = 6
) -> str:
    """The `keep` sentences of `text` sharing most words, bigrams or numbers with the
    statement, in their document order; the whole text when none shares anything."""
    said = words(statement)
    scored = [(len(said & words(text[a:b])), a, b) for a, b in spans]
    best = sorted((s for s in scored if s[0] > 0), key=lambda s: (-s[0], s[1]))[:keep]
    if not best:
        return text
    return "\n".join(text[a:b] for _, a, b in sorted(best, key=lambda s: s[1]))


def supports(statement: str, evidence: str, *, threshold: float = 0.15) -> bool:
    """Whether the evidence is about the statement: enough of its words or bigrams recur.

    A small model sometimes pairs a statement with a real but unrelated quote (seen: 0 to
    0.08 of the statement's bigrams in the quote); a fair paraphrase keeps some (seen: 0.17
    for "Library hours are extended" against "The library will stay open until 9 p.m.").
    """
    said = words(statement)
    if not said:
        return True
    return len(said & words(evidence)) / len(said) >= threshold


# The lookahead names every branch's first character, so the engine skips to those rather
# than trying each branch at every position: half the time on a long page.
_INJECTION = re.compile(
    r"(?=[idfoyapns忽无無忘不你系新])(?:"
    r"\b(?:ignore|disregard|forget|override)\b.{0,40}\b(?:instructions?|prompts?|rules|directions)\b"
    r"|\b(?:you are now|act as an?|pretend to be|new instructions|system prompt|developer mode)\b"
    r"|(?:忽略|无视|無視|忘记|忘記|不要理会|不要理會).{0,12}(?:指令|指示|提示|规则|規則|要求|说明|說明)"
    r"|(?:你现在是|你現在是|系统提示|系統提示|新的指令))",
    re.I,
)


def injection_spans(text: str) -> list[tuple[int, int]]:
    """Spans that try to instruct the model: from the trigger's sentence to the line's end.

    The model sees them only as delimited data; grounding also refuses them as evidence, so
    an obeyed injection cannot turn into a "located" fact.
    """
    spans = []
    for match in _INJECTION.finditer(text):
        stops = [text.rfind(p, 0, match.start()) for p in "\n.!?。！？"]
        start = max(stops) + 1
        end = text.find("\n", match.end())
        spans.append((start, len(text) if end < 0 else end))
    return spans


def overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in spans)
