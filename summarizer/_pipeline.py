"""The pipeline: the one place that knows the order of the stages.

    load -> clean -> detect language -> chunk -> engine -> assemble

The extractive engine summarizes the cleaned text in one pass. The llm engine is a
map-reduce over chunks:

    prepare endpoint -> chunk to fit its window -> map (notes per chunk, concurrently)
    -> ground each note's facts in the source -> reduce (merge notes, hierarchically)
    -> merge facts and entities in code -> fix the script

Each stage lives in the module named after it; this file wires them together and times
them, so reading it top to bottom tells what happens to a document.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from pydantic import BaseModel

from summarizer import _cleaning as cleaning
from summarizer import _documents as documents
from summarizer import _extractive as extractive
from summarizer import _grounding as grounding
from summarizer import _language as language
from summarizer import _prompts as prompts
from summarizer._cache import Cache, key
from summarizer._chunking import Chunk, chunk_text, split_sentences
from summarizer._config import Settings
from summarizer._errors import ContextOverflow, EmptyDocument, OutputTruncated
from summarizer._schemas import (
    Byline,
    ChunkNotes,
    DocumentInfo,
    DocumentSummary,
    Entities,
    Fact,
    GroundingStats,
    MergedNotes,
    Metadata,
    NoteFact,
    Quote,
    json_schema,
)

if TYPE_CHECKING:
    from summarizer._llm import LLM, Request

OFFLINE_NOTICE = (
    "Offline extractive engine (no model configured); point it at a model with "
    "--base-url and --model, or SUMMARIZER_BASE_URL and SUMMARIZER_MODEL."
)
Progress = Callable[[int, int], None]
LANGUAGE_NAMES = {
    "zh-Hans": "Simplified Chinese (简体中文)",
    "zh-Hant": "Traditional Chinese (繁體中文)",
    "en": "English",
    "ja": "Japanese",
    "ko": "Korean",
    "fr": "French",
    "de": "German",
    "es": "Spanish",
}
_MIN_CHUNK_TOKENS = 128
EXTRACTIVE_CHUNK_TOKENS = 1500  # the extractive engine only reports chunks
_MARGIN_TOKENS = 64


class Timings(dict[str, float]):
    """Milliseconds per stage, filled as the stages run."""

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self[name] = round(self.get(name, 0.0) + (time.perf_counter() - start) * 1000, 2)


def summarize(
    source: str | Path,
    settings: Settings | None = None,
    *,
    stdin: BinaryIO | None = None,
    on_progress: Progress | None = None,
) -> DocumentSummary:
    """Summarize one file (or `-` for stdin) with the engine the settings choose."""
    timings = Timings()
    with timings.stage("load"):
        document = documents.load(source, stdin=stdin)
    return summarize_document(document, settings or Settings(), timings, on_progress=on_progress)


def summarize_document(
    document: documents.Document,
    settings: Settings,
    timings: Timings | None = None,
    *,
    on_progress: Progress | None = None,
) -> DocumentSummary:
    return asyncio.run(asummarize_document(document, settings, timings, on_progress=on_progress))


async def asummarize_document(
    document: documents.Document,
    settings: Settings,
    timings: Timings | None = None,
    *,
    on_progress: Progress | None = None,
    llm: LLM | None = None,
    turns: asyncio.Lock | None = None,
) -> DocumentSummary:
    """The whole pipeline for one loaded document.

    In a batch, `llm` is the endpoint the documents share, and `turns` makes them take
    turns at cleaning, first come first served: text work runs on a worker thread while the
    event loop sends requests, and without turns every document's cleaning went ahead of
    the first document's requests.
    """
    timings = timings if timings is not None else Timings()
    started = time.perf_counter() - sum(timings.values()) / 1000

    async with turns or contextlib.nullcontext():
        with timings.stage("clean"):
            cleaned = await asyncio.to_thread(
                cleaning.clean, document.text, markdown=document.format == "markdown"
            )
        if not cleaned.text.strip():
            raise EmptyDocument(document.source, "nothing left after removing page noise")
        with timings.stage("language"):
            lang = await asyncio.to_thread(language.detect, cleaned.text)
    title = document.title or cleaning.guess_title(cleaned.text)

    engine = settings.chosen_engine
    if engine == "extractive":
        with timings.stage("chunk"):
            chunks = chunk_text(
                cleaned.text,
                budget=settings.chunk_tokens or EXTRACTIVE_CHUNK_TOKENS,
                overlap=settings.chunk_overlap,
            )
        with timings.stage("summarize"):
            result = extractive.summarize(cleaned.text, lang)
        body = Body(result.summary, result.key_points, result.facts, result.entities)
        extra: dict[str, Any] = {"notice": offline_notice()}
    else:
        body, extra, chunks = await _with_model(
            cleaned, lang, title, settings, timings, on_progress, llm
        )

    facts = [_traced(fact, cleaned) for fact in body.facts]
    timings["total"] = round((time.perf_counter() - started) * 1000, 2)
    return DocumentSummary(
        title=title,
        language=lang,
        summary=body.summary,
        key_points=body.key_points,
        facts=facts,
        entities=body.entities,
        metadata=Metadata(
            source=document.source,
            engine=engine,
            language=lang,
            cleaning=cleaned.report,
            chunks=len(chunks),
            timings=dict(timings),
            document=DocumentInfo(
                format=document.format,
                encoding=document.encoding,
                chars=len(document.text),
                sha256=document.sha256,
            ),
            byline=_byline(cleaned.byline, document.meta),
            **extra,
        ),
    )


@dataclass
class Body:
    """What an engine writes; the pipeline adds title, language and metadata."""

    summary: str
    key_points: list[str]
    facts: list[Fact]
    entities: Entities


# --- the llm engine ------------------------------------------------------------------------


@dataclass
class Run:
    """One document's trip through the model: settings, prompts and the running counts."""

    llm: LLM
    cleaned: str
    source_language: str
    target: str
    title: str | None
    notes_prompt: prompts.Prompt
    merge_prompt: prompts.Prompt
    repair_prompt: prompts.Prompt
    grounding: GroundingStats = field(default_factory=GroundingStats)


async def _with_model(
    cleaned: cleaning.CleanedText,
    lang: str,
    title: str | None,
    settings: Settings,
    timings: Timings,
    on_progress: Progress | None,
    shared: LLM | None,
) -> tuple[Body, dict[str, Any], list[Chunk]]:
    from summarizer._llm import connect

    pins = dict(prompts.parse_ref(ref) for ref in settings.prompts)
    cache = Cache(settings.cache_path) if shared is None else shared.cache
    llm = shared or connect(settings, cache)
    try:
        with llm.counting() as usage:
            with timings.stage("prepare"):
                await llm.prepare()
            run = Run(
                llm=llm,
                cleaned=cleaned.text,
                source_language=lang,
                target=settings.language or lang,
                title=title,
                notes_prompt=_prompt("chunk_notes", pins),
                merge_prompt=_prompt("merge", pins),
                repair_prompt=_prompt("fact_repair", pins),
            )
            with timings.stage("chunk"):
                budget = _chunk_budget(run, settings)
                overlap = min(settings.chunk_overlap, budget // 8)
                chunks = await asyncio.to_thread(
                    chunk_text, cleaned.text, budget=budget, overlap=overlap
                )
            with timings.stage("map"):
                notes = await _map(run, chunks, on_progress)
            with timings.stage("reduce"):
                merged = await _reduce(run, [n for n, _ in notes])
    finally:
        if shared is None:
            await llm.aclose()
            cache.close()

    facts = _merge_facts([f for _, chunk_facts in notes for f in chunk_facts])
    entities = _merge_entities([n.entities.model_dump() for n, _ in notes], cleaned.text)
    body = _in_script(Body(merged.summary, merged.key_points, facts, entities), run.target)
    usage.stages_ms = {k: timings[k] for k in ("prepare", "map", "reduce") if k in timings}
    extra = {
        "model": llm.model,
        "endpoint": {
            "base_url": llm.base_url,
            "kind": llm.endpoint.kind,
            "context_window": llm.context_window,
            "context_source": llm.endpoint.context_source,
        },
        "mode": llm.mode.value if llm.mode else None,
        "prompts": [
            p.ref.model_dump() for p in (run.notes_prompt, run.merge_prompt, run.repair_prompt)
        ],
        "usage": usage.model_dump(),
        "grounding": run.grounding,
    }
    return body, extra, chunks


def _prompt(name: str, pins: dict[str, int | None]) -> prompts.Prompt:
    return _load_prompt(name, pins.get(name), prompts.prompt_dir())


@lru_cache(maxsize=64)
def _load_prompt(name: str, version: int | None, directory: Path) -> prompts.Prompt:
    """Once per process: finding the file costs milliseconds, and a batch asks per document."""
    return prompts.load(name if version is None else f"{name}@v{version}", directory)


def _language_name(tag: str) -> str:
    return LANGUAGE_NAMES.get(tag, tag)


def _notes_request(run: Run, text: str, part: int, parts: int) -> Request:
    from summarizer._llm import Request
    from summarizer._schemas import MAX_NOTE_FACTS, MAX_NOTE_POINTS

    prompt = run.notes_prompt
    messages = prompt.render(
        text=_as_data(text),
        part=part,
        parts=parts,
        title=run.title,
        language_name=_language_name(run.target),
        max_points=MAX_NOTE_POINTS,
        max_facts=MAX_NOTE_FACTS,
    )
    p = prompt.parameters
    return Request(messages, p.temperature, p.max_tokens, p.seed, [prompt.ref.label])


def _as_data(text: str) -> str:
    """The text with our delimiters defused, so a document cannot close its own <document>."""
    return re.sub(r"<(/?)(document|notes)>", r"<\1\2_>", text, flags=re.I)


def _chunk_budget(run: Run, settings: Settings) -> int:
    """The largest chunk whose notes request still fits the context window.

    Chunks fill the window unless --chunk-tokens says less: a document that fits is read
    whole in one call, and a longer one takes the fewest map calls (and prompt overheads)
    the model allows, where fixed-size splitters pay for many small ones.
    """
    empty = _notes_request(run, "", 1, 1)
    overhead = run.llm.fits(empty, ChunkNotes)
    room = run.llm.context_window - overhead - empty.max_tokens - _MARGIN_TOKENS
    if room < _MIN_CHUNK_TOKENS:
        raise ContextOverflow(
            f"the context window ({run.llm.context_window} tokens) leaves no room for document text; "
            "use a model with a larger window or pass --context-window if the server's is larger"
        )
    return min(settings.chunk_tokens or room, room)


async def _map(
    run: Run, chunks: list[Chunk], on_progress: Progress | None
) -> list[tuple[ChunkNotes, list[Fact]]]:
    """Notes and grounded facts for every chunk, in order; the LLM bounds requests in flight."""
    done = 0

    async def one(chunk: Chunk) -> tuple[ChunkNotes, list[Fact]]:
        nonlocal done
        result = await _notes(run, chunk, len(chunks))
        done += 1
        if on_progress is not None:
            on_progress(done, len(chunks))
        return result

    return list(await asyncio.gather(*(one(c) for c in chunks)))


async def _notes(run: Run, chunk: Chunk, parts: int) -> tuple[ChunkNotes, list[Fact]]:
    """One chunk's notes with grounded facts, from the cache when this exact work was done."""
    request = _notes_request(run, chunk.text, chunk.index + 1, parts)
    cache_key = _cache_key(
        run, "notes", request, ChunkNotes, prompts_used=[run.repair_prompt.ref.label]
    )
    cached = run.llm.cache.get(cache_key)
    if cached is not None:
        run.llm.count(cached=1)
        notes = ChunkNotes.model_validate(cached["notes"])
        stats = GroundingStats.model_validate(cached["grounding"])
        facts = [_shift(Fact.model_validate(f), chunk.start) for f in cached["facts"]]
    else:
        try:
            notes = await run.llm.ask(request, ChunkNotes)
        except OutputTruncated:
            if chunk.end - chunk.start < 200:
                raise
            return await _split_and_retry(run, chunk, parts)
        facts, stats = await _ground(run, chunk, notes.facts)
        run.llm.cache.put(
            cache_key,
            "notes",
            {
                "notes": notes.model_dump(),
                "grounding": stats.model_dump(),
                "facts": [_shift(f, -chunk.start).model_dump() for f in facts],
            },
        )
    for name in ("found", "repaired", "dropped", "dropped_numbers", "dropped_injected"):
        setattr(run.grounding, name, getattr(run.grounding, name) + getattr(stats, name))
    return notes, facts


async def _split_and_retry(run: Run, chunk: Chunk, parts: int) -> tuple[ChunkNotes, list[Fact]]:
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


async def _ground(
    run: Run, chunk: Chunk, notes: list[NoteFact]
) -> tuple[list[Fact], GroundingStats]:
    """Keep the facts whose evidence is in the chunk; re-ask once for each that is not.

    A quote that is found but is about something else counts as not found. When the
    summary is written in another language than the source, only the numbers are compared.
    """
    stats = GroundingStats()
    facts: list[Fact] = []
    injected = grounding.injection_spans(chunk.text)
    for note in notes:
        span = _locate(run, chunk, note.statement, note.evidence)
        repaired = False
        if span is None:
            span = await _repair(run, chunk, note)
            repaired = span is not None
        if span is None:
            stats.dropped += 1
            continue
        evidence = chunk.text[span[0] : span[1]]
        if grounding.overlaps(span, injected):
            stats.dropped += 1
            stats.dropped_injected += 1
            continue
        if not grounding.numbers_supported(note.statement, evidence):
            stats.dropped += 1
            stats.dropped_numbers += 1
            continue
        if repaired:
            stats.repaired += 1
        else:
            stats.found += 1
        category = extractive.categorize(evidence) or note.category
        facts.append(
            Fact(
                statement=note.statement.strip(),
                category=category,
                evidence=evidence,
                start=chunk.start + span[0],
                end=chunk.start + span[1],
            )
        )
    return facts, stats


def _locate(run: Run, chunk: Chunk, statement: str, quote: str) -> tuple[int, int] | None:
    span = grounding.locate(quote, chunk.text)
    if span is None:
        return None
    same_language = run.target == run.source_language
    if same_language and not grounding.supports(statement, chunk.text[span[0] : span[1]]):
        return None
    return span


async def _repair(run: Run, chunk: Chunk, note: NoteFact) -> tuple[int, int] | None:
    """One targeted re-ask, at the repair prompt's own (non-zero) temperature.

    It shows the model only the chunk's sentences most like the statement, not the whole
    chunk: a few hundred tokens instead of a chunk's worth per repair, and an easier
    choice for a small model. The quote is still located in the whole chunk.
    """
    from summarizer._llm import Request

    prompt = run.repair_prompt
    p = prompt.parameters
    excerpt = grounding.likely_sentences(note.statement, chunk.text, split_sentences(chunk.text))
    request = Request(
        prompt.render(text=_as_data(excerpt), statement=note.statement),
        p.temperature,
        p.max_tokens,
        p.seed,
        [prompt.ref.label],
    )
    try:
        quote = await run.llm.ask(request, Quote)
    except (OutputTruncated, ContextOverflow):
        return None
    return _locate(run, chunk, note.statement, quote.evidence) if quote.evidence.strip() else None


async def _reduce(run: Run, notes: list[ChunkNotes]) -> MergedNotes:
    """One summary from many notes, merging in rounds while they do not fit one request."""
    if len(notes) == 1:
        return MergedNotes(summary=notes[0].summary, key_points=notes[0].key_points)
    level: list[Any] = notes
    while True:
        groups = _fitting_groups(run, level)
        merged = [await _merge(run, group) for group in groups]
        if len(merged) == 1:
            return merged[0]
        level = merged


def _merge_request(run: Run, notes: list[Any]) -> Request:
    from summarizer._llm import Request
    from summarizer._schemas import MAX_KEY_POINTS

    prompt = run.merge_prompt
    messages = prompt.render(
        notes=notes,
        language_name=_language_name(run.target),
        min_points=3,
        max_points=MAX_KEY_POINTS,
    )
    p = prompt.parameters
    return Request(messages, p.temperature, p.max_tokens, p.seed, [prompt.ref.label])


def _fitting_groups(run: Run, notes: list[Any]) -> list[list[Any]]:
    """Consecutive runs of notes that each fit one merge request (at least two per group)."""
    groups: list[list[Any]] = [[]]
    for note in notes:
        candidate = [*groups[-1], note]
        try:
            run.llm.fits(_merge_request(run, candidate), MergedNotes)
            groups[-1] = candidate
        except ContextOverflow:
            if len(groups[-1]) < 2:
                raise
            groups.append([note])
    return groups


async def _merge(run: Run, notes: list[Any]) -> MergedNotes:
    request = _merge_request(run, notes)
    cache_key = _cache_key(run, "merge", request, MergedNotes)
    cached = run.llm.cache.get(cache_key)
    if cached is not None:
        run.llm.count(cached=1)
        return MergedNotes.model_validate(cached)
    merged = await run.llm.ask(request, MergedNotes)
    run.llm.cache.put(cache_key, "merge", merged.model_dump())
    return merged


def _cache_key(
    run: Run,
    kind: str,
    request: Request,
    schema: type[BaseModel],
    prompts_used: list[str] | None = None,
) -> str:
    llm = run.llm
    return key(
        kind=kind,
        base_url=llm.base_url,
        model=llm.model,
        mode=llm.mode.value if llm.mode else None,
        schema=json_schema(schema),
        messages=request.messages,
        params=[request.temperature, request.max_tokens, request.seed],
        prompts=[*request.labels, *(prompts_used or [])],
    )


def _shift(fact: Fact, offset: int) -> Fact:
    return fact.model_copy(update={"start": fact.start + offset, "end": fact.end + offset})


def _merge_facts(facts: list[Fact]) -> list[Fact]:
    """One fact per evidence span, in document order; overlapping chunks repeat facts."""
    seen: set[str] = set()
    merged = []
    for fact in sorted(facts, key=lambda f: (f.start, f.end)):
        norm = grounding.fold(fact.evidence).text
        if norm in seen:
            continue
        seen.add(norm)
        merged.append(fact)
    return merged


def _merge_entities(found: list[dict[str, list[str]]], text: str) -> Entities:
    """Names the model reported, kept only when they occur in the source."""
    out: dict[str, list[str]] = {"people": [], "organizations": [], "places": []}
    for entities in found:
        for kind, names in entities.items():
            for name in names:
                name = name.strip()
                if name and name not in out[kind] and grounding.locate(name, text) is not None:
                    out[kind].append(name)
    return Entities(**{k: v[:10] for k, v in out.items()})


def _in_script(body: Body, target: str) -> Body:
    """Put the narrative in the target Chinese script with OpenCC, rather than re-ask."""
    if target not in ("zh-Hans", "zh-Hant"):
        return body
    # Always, not only when the script as a whole is wrong: a small model mixes in the odd
    # character of the other script, and converting text already in the target is harmless.
    convert = language.converter("s2t" if target == "zh-Hant" else "t2s").convert
    return Body(
        convert(body.summary),
        [convert(p) for p in body.key_points],
        [f.model_copy(update={"statement": convert(f.statement)}) for f in body.facts],
        body.entities,
    )


def _traced(fact: Fact, cleaned: cleaning.CleanedText) -> Fact:
    start, end = cleaned.to_original(fact.start, fact.end)
    return fact.model_copy(update={"source_start": start, "source_end": end})


def _byline(found: Byline, meta: dict[str, str]) -> Byline:
    """Credits from the page's own metadata fill what the text did not say."""
    authors = found.authors or [a.strip() for a in meta.get("author", "").split(";") if a.strip()]
    return found.model_copy(
        update={
            "source": found.source or meta.get("sitename"),
            "date": found.date or meta.get("date"),
            "authors": authors,
        }
    )


def offline_notice() -> str:
    """The one-line notice of the extractive engine, naming a local Ollama if one answers."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen("http://127.0.0.1:11434/api/tags", timeout=0.3) as response:
            names = [m.get("name") for m in json.loads(response.read()).get("models", [])]
    except (OSError, ValueError, urllib.error.URLError):
        return OFFLINE_NOTICE
    model = next((n for n in names if n), "MODEL")
    return (
        f"{OFFLINE_NOTICE[:-1]}. An Ollama server answers on localhost:11434: try "
        f"--base-url http://localhost:11434/v1 --model {model}"
    )
