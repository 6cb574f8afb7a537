"""Citations: the model's sentence numbers resolved to exact spans, and each claim checked.

The cleaned document is split into sentences once and numbered from 1; each chunk shows the
model its own sentences as `[n] text` lines. A claim's numbers (and any `[n]` the model wrote
into its text, as small models do) resolve to sentences here, and `_support` decides whether
they say what the claim says. A claim they do not support is tried against the neighbours
within two sentences (small models cite one off), else dropped; a claim that flips its
source, or rests only on an instruction-like passage, is dropped at once. Every outcome is
counted in a `ClaimStats`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from summarizer import _facts as facts_rules
from summarizer import _grounding as grounding
from summarizer import _prose as prose
from summarizer import _support as support
from summarizer._answers import MAX_CITED
from summarizer._schemas import ClaimStats
from summarizer._sentences import Span, split_sentences

NEIGHBOURS = 2
_MARKER = re.compile(r"\s*[\[【［]\s*(\d{1,6}(?:\s*[,，、]\s*\d{1,6})*)\s*[\]】］]")


def marker(n: int, tabbed: bool = False) -> str:
    """What starts sentence n's line in a request."""
    return f"{n}\t" if tabbed else f"[{n}] "


@dataclass(frozen=True)
class Numbered:
    """The cleaned text's sentences: sentence n is `spans[n - 1]`, numbered document-wide."""

    text: str
    spans: list[Span]
    injected: frozenset[int]  # sentences inside an instruction-like passage

    @classmethod
    def of(cls, text: str) -> Numbered:
        spans = split_sentences(text)
        attempts = grounding.injection_spans(text)
        injected = frozenset(
            n for n, span in enumerate(spans, 1) if grounding.overlaps(span, attempts)
        )
        return cls(text, spans, injected)

    @property
    def everything(self) -> range:
        return range(1, len(self.spans) + 1)

    def within(self, start: int, end: int) -> range:
        """The numbers of the sentences that overlap `text[start:end]` (a chunk)."""
        first = bisect_right([s.end for s in self.spans], start)
        last = bisect_left([s.start for s in self.spans], end)
        return range(first + 1, last + 1)

    def render(self, start: int, end: int, tabbed: bool = False) -> str:
        """The chunk as the model sees it: one `[n] sentence` line each, cut to the chunk, or
        `n<TAB>sentence` (prompts v4): Qwen2.5's tokenizer spends 2 tokens fewer a line."""
        lines = []
        for n in self.within(start, end):
            span = self.spans[n - 1]
            lines.append(marker(n, tabbed) + self.text[max(span.start, start) : min(span.end, end)])
        return "\n".join(lines)

    def source(self, numbers: Sequence[int]) -> str:
        return "\n".join(
            self.text[self.spans[n - 1].start : self.spans[n - 1].end] for n in numbers
        )

    def cover(self, numbers: Sequence[int]) -> tuple[int, int]:
        """The one span from the first cited sentence to the last."""
        return self.spans[min(numbers) - 1].start, self.spans[max(numbers) - 1].end


@dataclass(frozen=True)
class Claim:
    """A claim that passed: its text without markers, and the sentences that support it."""

    text: str
    sentences: tuple[int, ...]


def parts(text: str, numbers: Sequence[int]) -> tuple[str, list[int]]:
    """The text without `[n]` markers, and its numbers: those given, then those written in."""
    written = [int(n) for m in _MARKER.finditer(text) for n in re.split(r"[,，、\s]+", m.group(1))]
    stripped = re.sub(r"\s+([。.，,；;！!？?])", r"\1", _MARKER.sub("", text)).strip()
    return stripped, list(dict.fromkeys([*numbers, *written]))


@dataclass(frozen=True)
class Judge:
    """Checks claims against one document's numbered sentences."""

    numbered: Numbered
    same_language: bool  # when the summary is in another language, words do not compare

    def claim(
        self, text: str, numbers: Sequence[int], allowed: range, stats: ClaimStats
    ) -> Claim | None:
        """The claim with the sentences that support it, or None (dropped and counted)."""
        text, cited = parts(text, numbers)
        cited = [n for n in cited if n in allowed][:MAX_CITED]
        if not text:
            return _dropped(stats, "unsupported")
        if not cited:
            return _dropped(stats, "uncited")
        clean = [n for n in cited if n not in self.numbered.injected]
        if not clean:
            return _dropped(stats, "injected")
        first = self._verdict(text, clean)
        if first is support.Verdict.SUPPORTED:
            stats.supported += 1
            return Claim(text, tuple(sorted(clean)))
        if first is not support.Verdict.DIRECTION:
            for candidate in neighbours(clean, allowed, self.numbered.injected):
                if self._verdict(text, candidate) is support.Verdict.SUPPORTED:
                    stats.moved += 1
                    return Claim(text, tuple(candidate))
        return _dropped(stats, first.value)

    def narrowest(self, claim: Claim) -> tuple[int, ...]:
        """For a fact's evidence: the one cited sentence that supports it alone, if any."""
        for n in claim.sentences:
            if self._verdict(claim.text, [n]) is support.Verdict.SUPPORTED:
                return (n,)
        return claim.sentences

    def pick(self, numbers: Sequence[int], allowed: range, stats: ClaimStats) -> Claim | None:
        """An extractive fact: the first sentence chosen (and any right after it), verbatim."""
        cited = [n for n in dict.fromkeys(numbers) if n in allowed]
        if not cited:
            return _dropped(stats, "uncited")
        clean = [n for n in cited if n not in self.numbered.injected]
        if not clean:
            return _dropped(stats, "injected")
        run = [clean[0]]
        while run[-1] + 1 in clean and len(run) < MAX_CITED:
            run.append(run[-1] + 1)
        start, end = self.numbered.cover(run)
        text = self.numbered.text[start:end]
        if not states_something(text):  # a small model lists sentences in a row, headings too
            return _dropped(stats, "unsupported")
        stats.supported += 1
        return Claim(text, tuple(run))

    def _verdict(self, text: str, numbers: Sequence[int]) -> support.Verdict:
        source = self.numbered.source(sorted(numbers))
        return support.verdict(text, source, same_language=self.same_language)


def neighbours(cited: list[int], allowed: range, injected: frozenset[int]) -> Iterator[list[int]]:
    """Sentences within NEIGHBOURS of a cited one, nearest first: alone, then added
    (small models are often off by one; facts, claims and extracted values all retry so)."""
    seen: set[tuple[int, ...]] = {tuple(sorted(cited))}
    for distance in range(1, NEIGHBOURS + 1):
        for n in cited:
            for m in (n - distance, n + distance):
                if m not in allowed or m in injected or m in cited:
                    continue
                for candidate in ([m], sorted([*cited, m])):
                    if tuple(candidate) not in seen:
                        seen.add(tuple(candidate))
                        yield candidate


def states_something(sentence: str) -> bool:
    """Whether a picked sentence can be a fact: prose (`_prose`: no reference entry, no spam
    titles) that ends like a sentence or states an amount or a date. A heading does not
    ("一、项目概况", "Riverton library adds evening hours"); a title with a figure does."""
    sentence = sentence.rstrip()
    return prose.is_prose(sentence) and (
        prose.ends_like_sentence(sentence) or facts_rules.categorize(sentence) is not None
    )


def _dropped(stats: ClaimStats, reason: str) -> Claim | None:
    """Always None: the claim is counted under its reason and left out."""
    stats.dropped += 1
    name = f"dropped_{reason}"
    setattr(stats, name, getattr(stats, name) + 1)
    return None
