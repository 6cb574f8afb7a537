"""The model engine: a map-reduce over chunks that fill the model's context window.

    prepare endpoint -> chunk to fit its window -> map (notes per chunk, concurrently)
    -> ground each note's facts in the source (evidence.py) -> reduce (merge notes, in
    rounds while they do not fit one request) -> merge facts and entities in code
    (merging.py) -> fix the script

Chunk notes and merges are cached under a key of everything that changes the answer, so a
second run on the same document makes no model calls.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from summarizer._cache import key
from summarizer._engines import merging
from summarizer._engines.base import EngineResult, ModelRun, Progress
from summarizer._engines.evidence import Checker, ground
from summarizer._engines.requests import PromptSet, merge_request, notes_request
from summarizer._errors import ContextOverflow, OutputTruncated
from summarizer._llm import Client, Request
from summarizer._packing import Chunk, chunk_text
from summarizer._schemas import ChunkNotes, Fact, GroundingStats, MergedNotes, json_schema
from summarizer._timing import Timings

if TYPE_CHECKING:
    from summarizer._cleaning import CleanedText
    from summarizer._session import Session

MIN_CHUNK_TOKENS = 128
MARGIN_TOKENS = 64
_SPLIT_FLOOR_CHARS = 200  # below this, a chunk whose notes run long is not split again


@dataclass
class _Run:
    """One document's trip through the model: who to ask, with what, and the counts."""

    session: Session
    client: Client
    prompts: PromptSet
    checker: Checker
    title: str | None
    target: str
    grounding: GroundingStats = field(default_factory=GroundingStats)

    @classmethod
    def start(cls, session: Session, language: str, title: str | None) -> _Run:
        client = session.client
        target = session.settings.language or language
        prompts = PromptSet.pinned(session.settings.prompts)
        checker = Checker(client, prompts.repair, same_language=target == language)
        return cls(session, client, prompts, checker, title, target)


class MapReduceEngine:
    name = "llm"

    async def run(
        self,
        cleaned: CleanedText,
        language: str,
        title: str | None,
        session: Session,
        progress: Progress | None = None,
    ) -> EngineResult:
        run = _Run.start(session, language, title)
        client, prompts, target = run.client, run.prompts, run.target
        timings = Timings()
        with session.meter.scope() as usage:
            with timings.stage("prepare"):
                await client.prepare()
            with timings.stage("chunk"):
                budget = _chunk_budget(run)
                overlap = min(session.settings.chunk_overlap, budget // 8)
                chunks = await asyncio.to_thread(
                    chunk_text, cleaned.text, budget=budget, overlap=overlap
                )
            with timings.stage("map"):
                notes = await _map(run, chunks, progress)
            with timings.stage("reduce"):
                merged = await _reduce(run, [n for n, _ in notes])
        usage.stages_ms = {k: timings[k] for k in ("prepare", "map", "reduce")}
        result = EngineResult(
            summary=merged.summary,
            key_points=merged.key_points,
            facts=merging.merge_facts([f for _, facts in notes for f in facts]),
            entities=merging.merge_entities([n for n, _ in notes], cleaned.text),
            chunks=len(chunks),
            run=ModelRun(
                model=client.model,
                endpoint=client.describe(),
                mode=client.mode.value if client.mode else "unknown",
                prompts=prompts.refs,
                usage=usage,
                grounding=run.grounding,
            ),
            timings=timings,
        )
        return merging.in_script(result, target)


def _chunk_budget(run: _Run) -> int:
    """The largest chunk whose notes request still fits the context window.

    Chunks fill the window unless --chunk-tokens says less: a document that fits is read
    whole in one call, and a longer one takes the fewest map calls the model allows.
    """
    empty = notes_request(run.prompts.notes, "", 1, 1, run.title, run.target)
    overhead = run.client.fits(empty, ChunkNotes)
    window = run.client.context_window
    room = window - overhead - empty.max_tokens - MARGIN_TOKENS
    if room < MIN_CHUNK_TOKENS:
        raise ContextOverflow(
            f"the context window ({window} tokens) leaves no room for document text; use a "
            "model with a larger window or pass --context-window if the server's is larger"
        )
    return min(run.session.settings.chunk_tokens or room, room)


async def _map(
    run: _Run, chunks: list[Chunk], progress: Progress | None
) -> list[tuple[ChunkNotes, list[Fact]]]:
    """Notes and grounded facts for every chunk, in order; the session bounds requests."""
    done = 0

    async def one(chunk: Chunk) -> tuple[ChunkNotes, list[Fact]]:
        nonlocal done
        result = await _notes(run, chunk, len(chunks))
        done += 1
        if progress is not None:
            progress(done, len(chunks))
        return result

    return list(await asyncio.gather(*(one(c) for c in chunks)))


async def _notes(run: _Run, chunk: Chunk, parts: int) -> tuple[ChunkNotes, list[Fact]]:
    """One chunk's notes with grounded facts, from the cache when this exact work was done."""
    request = notes_request(
        run.prompts.notes, chunk.text, chunk.index + 1, parts, run.title, run.target
    )
    cache_key = _cache_key(run, "notes", request, ChunkNotes, [run.prompts.repair.ref.label])
    cached = await run.session.recall(cache_key)
    if cached is not None:
        notes = ChunkNotes.model_validate(cached["notes"])
        stats = GroundingStats.model_validate(cached["grounding"])
        facts = [_shift(Fact.model_validate(f), chunk.start) for f in cached["facts"]]
    else:
        try:
            notes = await run.client.ask(request, ChunkNotes)
        except OutputTruncated:
            if chunk.end - chunk.start < _SPLIT_FLOOR_CHARS:
                raise
            return await _split_and_retry(run, chunk, parts)
        facts, stats = await ground(run.checker, chunk, notes.facts)
        value = {
            "notes": notes.model_dump(),
            "grounding": stats.model_dump(),
            "facts": [_shift(f, -chunk.start).model_dump() for f in facts],
        }
        await run.session.remember(cache_key, "notes", value)
    for name in GroundingStats.model_fields:
        setattr(run.grounding, name, getattr(run.grounding, name) + getattr(stats, name))
    return notes, facts


async def _split_and_retry(run: _Run, chunk: Chunk, parts: int) -> tuple[ChunkNotes, list[Fact]]:
    """An answer too long for max_tokens: summarize the chunk's halves instead."""
    halves = chunk_text(chunk.text, budget=max(1, chunk.tokens // 2))
    if len(halves) < 2:  # nothing smaller to try: the answer is simply too long
        raise OutputTruncated(f"{chunk.id}: the notes do not fit max_tokens even for this chunk")
    results = []
    for half in halves:
        moved = Chunk(
            half.id,
            chunk.index,
            chunk.start + half.start,
            chunk.start + half.end,
            half.text,
            half.tokens,
        )
        results.append(await _notes(run, moved, parts))
    # ChunkNotes trims the lists to its own limits, as it does for a model's answer.
    notes = ChunkNotes.model_validate(
        {
            "summary": " ".join(n.summary for n, _ in results),
            "key_points": [p for n, _ in results for p in n.key_points],
            "facts": [f for n, _ in results for f in n.facts],
            "entities": {
                kind: list(dict.fromkeys(x for n, _ in results for x in getattr(n.entities, kind)))
                for kind in ("people", "organizations", "places")
            },
        }
    )
    return notes, [f for _, fs in results for f in fs]


async def _reduce(run: _Run, notes: list[ChunkNotes]) -> MergedNotes:
    """One summary from many notes, merging in rounds while they do not fit one request."""
    if len(notes) == 1:
        return MergedNotes(summary=notes[0].summary, key_points=notes[0].key_points)
    level: list[Any] = notes
    while True:
        merged = [await _merge(run, group) for group in _fitting_groups(run, level)]
        if len(merged) == 1:
            return merged[0]
        level = merged


def _fitting_groups(run: _Run, notes: list[Any]) -> list[list[Any]]:
    """Consecutive runs of notes that each fit one merge request (at least two per group)."""
    groups: list[list[Any]] = [[]]
    for note in notes:
        candidate = [*groups[-1], note]
        try:
            run.client.fits(merge_request(run.prompts.merge, candidate, run.target), MergedNotes)
            groups[-1] = candidate
        except ContextOverflow:
            if len(groups[-1]) < 2:
                raise
            groups.append([note])
    return groups


async def _merge(run: _Run, notes: list[Any]) -> MergedNotes:
    request = merge_request(run.prompts.merge, notes, run.target)
    cache_key = _cache_key(run, "merge", request, MergedNotes)
    cached = await run.session.recall(cache_key)
    if cached is not None:
        return MergedNotes.model_validate(cached)
    merged = await run.client.ask(request, MergedNotes)
    await run.session.remember(cache_key, "merge", merged.model_dump())
    return merged


def _cache_key(
    run: _Run,
    kind: str,
    request: Request,
    schema: type[BaseModel],
    prompts_used: list[str] | None = None,
) -> str:
    client = run.client
    return key(
        kind=kind,
        base_url=client.base_url,
        model=client.model,
        mode=client.mode.value if client.mode else None,
        schema=json_schema(schema),
        messages=request.messages,
        params=[request.temperature, request.max_tokens, request.seed],
        prompts=[*request.labels, *(prompts_used or [])],
    )


def _shift(fact: Fact, offset: int) -> Fact:
    return fact.model_copy(update={"start": fact.start + offset, "end": fact.end + offset})
