"""Facts checked against the source, in code: located, supported, or dropped and counted.

A model's quote is located in its chunk after folding width, whitespace, punctuation and
script; a quote that is not found, or is about something else, gets one targeted re-ask at
the repair prompt's own temperature; evidence inside an instruction-like passage, or a
statement whose numbers are not in its evidence, is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from summarizer import _facts as facts_rules
from summarizer import _grounding as grounding
from summarizer._answers import NoteFact, Quote
from summarizer._engines.requests import repair_request
from summarizer._errors import ContextOverflow, InvalidOutput, OutputTruncated
from summarizer._llm.client import Client
from summarizer._packing import Chunk
from summarizer._prompts import Prompt
from summarizer._schemas import Fact, GroundingStats
from summarizer._sentences import split_sentences


@dataclass(frozen=True)
class Checker:
    """What grounding needs to know about one document's run."""

    client: Client
    repair_prompt: Prompt
    same_language: bool  # when the summary is in another language, only numbers compare


async def ground(
    checker: Checker, chunk: Chunk, notes: list[NoteFact]
) -> tuple[list[Fact], GroundingStats]:
    """Keep the facts whose evidence is in the chunk; re-ask once for each that is not."""
    stats = GroundingStats()
    facts: list[Fact] = []
    injected = grounding.injection_spans(chunk.text)
    for note in notes:
        span = locate(checker, chunk, note.statement, note.evidence)
        repaired = False
        if span is None:
            span = await _repair(checker, chunk, note)
            repaired = span is not None
        fact = _checked(note, chunk, span, injected, stats)
        if fact is None:
            continue
        if repaired:
            stats.repaired += 1
        else:
            stats.found += 1
        facts.append(fact)
    return facts, stats


def _checked(
    note: NoteFact,
    chunk: Chunk,
    span: tuple[int, int] | None,
    injected: list[tuple[int, int]],
    stats: GroundingStats,
) -> Fact | None:
    if span is None:
        stats.dropped += 1
        return None
    evidence = chunk.text[span[0] : span[1]]
    if grounding.overlaps(span, injected):
        stats.dropped += 1
        stats.dropped_injected += 1
        return None
    if not grounding.numbers_supported(note.statement, evidence):
        stats.dropped += 1
        stats.dropped_numbers += 1
        return None
    return Fact(
        statement=note.statement.strip(),
        category=facts_rules.categorize(evidence) or note.category,
        evidence=evidence,
        start=chunk.start + span[0],
        end=chunk.start + span[1],
    )


def locate(checker: Checker, chunk: Chunk, statement: str, quote: str) -> tuple[int, int] | None:
    span = grounding.locate(quote, chunk.text)
    if span is None:
        return None
    if checker.same_language and not grounding.supports(statement, chunk.text[span[0] : span[1]]):
        return None
    return span


async def _repair(checker: Checker, chunk: Chunk, note: NoteFact) -> tuple[int, int] | None:
    """One targeted re-ask, showing only the chunk's sentences most like the statement.

    A few hundred tokens instead of a chunk's worth per repair, and an easier choice for a
    small model; the quote is still located in the whole chunk.
    """
    excerpt = grounding.likely_sentences(note.statement, chunk.text, split_sentences(chunk.text))
    request = repair_request(checker.repair_prompt, excerpt, note.statement)
    try:
        quote = await checker.client.ask(request, Quote)
    except (OutputTruncated, ContextOverflow, InvalidOutput):  # the fact goes, not the document
        return None
    if not quote.evidence.strip():
        return None
    return locate(checker, chunk, note.statement, quote.evidence)
