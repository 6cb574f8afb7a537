"""The model engine: a map-reduce over chunks that fill the model's context window.

    prepare endpoint -> chunk to fit its window -> map (notes per chunk, concurrently)
    -> check each note against the source -> reduce (merge notes, in rounds while they do
    not fit one request) -> merge facts and entities in code (merging.py) -> fix the script

Notes come in two generations, chosen by the chunk_notes prompt's version: citing notes
(v2 on, `citing.py`) give sentence numbers that code resolves and checks; quoting notes
(v1, here) copy evidence that code locates, with one re-ask for a quote not found
(`evidence.py`). Chunk notes and merges are cached under a key of everything that changes
the answer, so a second run on the same document makes no model calls.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from summarizer._answers import ChunkNotes, MergedNotes, NoteEntities
from summarizer._engines import citing, merging
from summarizer._engines.base import EngineResult, ModelRun, Progress
from summarizer._engines.citations import Numbered
from summarizer._engines.evidence import ground
from summarizer._engines.requests import merge_request, notes_request
from summarizer._engines.runs import (
    Run,
    cache_key,
    chunk_budget,
    fitting_groups,
    halved,
    in_order,
    merge_budget,
    sole_answer,
)
from summarizer._errors import ContextOverflow, OutputTruncated
from summarizer._packing import Chunk, chunk_text
from summarizer._schemas import Fact, GroundingStats
from summarizer._timing import Timings

if TYPE_CHECKING:
    from summarizer._cleaning import CleanedText
    from summarizer._session import Session

_SPLIT_FLOOR_CHARS = 200  # below this, a chunk whose notes run long is not split again


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
        run = Run.start(session, language, title)
        client = run.client
        timings = Timings()
        with session.meter.scope() as usage:
            with timings.stage("prepare"):
                await client.prepare()
            with timings.stage("chunk"):
                if run.prompts.cites:
                    numbered = Numbered.of(cleaned.text)
                    budget = citing.chunk_budget(run, numbered)
                else:
                    empty = notes_request(run.prompts.notes, "", 1, 1, run.title, run.target)
                    budget = chunk_budget(run, cleaned.text, empty, ChunkNotes)
                run.notes_tokens = budget.answer
                overlap = min(session.settings.chunk_overlap, budget.chunk // 8)
                chunks = await asyncio.to_thread(
                    chunk_text, cleaned.text, budget=budget.chunk, overlap=overlap
                )
            if run.prompts.cites:
                result = await citing.summarize(run, numbered, chunks, progress, timings)
            else:
                result = await _quoting(run, cleaned, chunks, progress, timings)
        usage.stages_ms = {k: timings[k] for k in ("prepare", "map", "reduce")}
        result = EngineResult(
            summary=result.summary,
            key_points=result.key_points,
            facts=result.facts,
            entities=result.entities,
            chunks=len(chunks),
            citations=result.citations,
            entity_stats=result.entity_stats,
            run=ModelRun(
                model=client.model,
                endpoint=client.describe(),
                mode=client.mode.value if client.mode else "unknown",
                prompts=run.prompts.refs,
                usage=usage,
                grounding=run.grounding,
            ),
            timings=timings,
        )
        return merging.in_script(result, run.target, cleaned.text if run.same_language else "")


# --- quoting notes (v1) -------------------------------------------------------------------


async def _quoting(
    run: Run,
    cleaned: CleanedText,
    chunks: list[Chunk],
    progress: Progress | None,
    timings: Timings,
) -> EngineResult:
    if len(chunks) == 1:  # read whole: the answer may have what the text leaves
        whole = notes_request(run.prompts.notes, chunks[0].text, 1, 1, run.title, run.target)
        run.notes_tokens = sole_answer(run, whole, ChunkNotes)
    single = len(chunks) == 1
    early = merging.NameWork.start(cleaned.text, run.language) if single else None
    with timings.stage("map"):
        notes = await in_order(chunks, lambda c: _notes(run, c, len(chunks)), progress)
    names = early or merging.NameWork.start(cleaned.text, run.language)
    merging_names = names.merge([n.entities for n, _ in notes])
    with timings.stage("reduce"):
        merged = await _reduce(run, [n for n, _ in notes])
    entities = await merging_names
    return EngineResult(
        summary=merged.summary,
        key_points=merged.key_points,
        facts=merging.merge_facts([f for _, facts in notes for f in facts]),
        entities=entities.entities,
        chunks=len(chunks),
        entity_stats=entities.stats,
    )


async def _notes(run: Run, chunk: Chunk, parts: int) -> tuple[ChunkNotes, list[Fact]]:
    """One chunk's notes with grounded facts, from the cache when this exact work was done."""
    request = notes_request(
        run.prompts.notes,
        chunk.text,
        chunk.index + 1,
        parts,
        run.title,
        run.target,
        run.notes_tokens,
    )
    key = cache_key(run, "notes", request, ChunkNotes, [run.prompts.repair.ref.label])
    cached = await run.session.recall(key)
    if cached is not None:
        notes = ChunkNotes.model_validate(cached["notes"])
        stats = GroundingStats.model_validate(cached["grounding"])
        facts = [_shift(Fact.model_validate(f), chunk.start) for f in cached["facts"]]
    else:
        try:
            notes = await run.client.ask(request, ChunkNotes)
        except (OutputTruncated, ContextOverflow):  # its halves may fit where it did not
            if chunk.end - chunk.start < _SPLIT_FLOOR_CHARS:
                raise
            return await _split_and_retry(run, chunk, parts)
        facts, stats = await ground(run.checker, chunk, notes.facts)
        value = {
            "notes": notes.model_dump(),
            "grounding": stats.model_dump(),
            "facts": [_shift(f, -chunk.start).model_dump() for f in facts],
        }
        await run.session.remember(key, "notes", value)
    run.grounding.add(stats)
    return notes, facts


async def _split_and_retry(run: Run, chunk: Chunk, parts: int) -> tuple[ChunkNotes, list[Fact]]:
    """An answer too long for max_tokens: summarize the chunk's halves instead."""
    halves = halved(chunk)
    if len(halves) < 2:  # nothing smaller to try: the answer is simply too long
        raise OutputTruncated(f"{chunk.id}: the notes do not fit max_tokens even for this chunk")
    results = [await _notes(run, half, parts) for half in halves]
    # ChunkNotes trims the lists to its own limits, as it does for a model's answer.
    notes = ChunkNotes.model_validate(
        {
            "summary": " ".join(n.summary for n, _ in results),
            "key_points": [p for n, _ in results for p in n.key_points],
            "facts": [f for n, _ in results for f in n.facts],
            "entities": {
                kind: list(dict.fromkeys(x for n, _ in results for x in getattr(n.entities, kind)))
                for kind in NoteEntities.model_fields
            },
        }
    )
    return notes, [f for _, fs in results for f in fs]


async def _reduce(run: Run, notes: list[ChunkNotes]) -> MergedNotes:
    """One summary from many notes, merging in rounds while they do not fit one request."""
    if len(notes) == 1:
        return MergedNotes(summary=notes[0].summary, key_points=notes[0].key_points)
    level: list[Any] = notes
    run.merge_tokens = merge_budget(
        run, merge_request(run.prompts.merge, [], run.target), MergedNotes
    )

    def request(group: list[Any]) -> Any:
        return merge_request(run.prompts.merge, group, run.target, run.merge_tokens)

    while True:
        groups = fitting_groups(run, level, request, MergedNotes)
        merged = [await _merge(run, group) for group in groups]
        if len(merged) == 1:
            return merged[0]
        level = merged


async def _merge(run: Run, notes: list[Any]) -> MergedNotes:
    request = merge_request(run.prompts.merge, notes, run.target, run.merge_tokens)
    key = cache_key(run, "merge", request, MergedNotes)
    cached = await run.session.recall(key)
    if cached is not None:
        return MergedNotes.model_validate(cached)
    try:
        merged = await run.client.ask(request, MergedNotes)
    except OutputTruncated:  # cut even with room to finish: the parts' own narrative
        summary = " ".join(n.summary for n in notes if n.summary)
        points = [p for n in notes for p in n.key_points]
        merged = MergedNotes(summary=summary, key_points=list(dict.fromkeys(points)))
    await run.session.remember(key, "merge", merged.model_dump())
    return merged


def _shift(fact: Fact, offset: int) -> Fact:
    return fact.model_copy(update={"start": fact.start + offset, "end": fact.end + offset})
