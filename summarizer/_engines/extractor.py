"""Your own fields filled through the model engine's path: prompt, mode, cache and chunks.

    number the cleaned text's sentences (citations.py) -> chunk to fit the window beside the
    extract prompt and the schema's answer model -> per chunk, ask for the fields on its
    `[n]` lines (from the cache when this exact work was done; a cut answer keeps what it
    holds, else its halves are asked) -> check every value against its sentences and merge
    the parts in code (filling.py) -> values with spans, and a result that records the run

No merge call is made: values are merged in code, as facts and entities are.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import jiter
from pydantic import ValidationError

from summarizer import _prompts as prompts
from summarizer._answers import MAX_CITED
from summarizer._budget import Budget
from summarizer._custom import Field, Schema
from summarizer._custom_models import MAX_ITEMS, Answer, answer_model
from summarizer._engines import runs
from summarizer._engines.base import EngineResult, ModelRun, Progress
from summarizer._engines.citations import Numbered
from summarizer._engines.filling import Filled, Part, merge, result
from summarizer._engines.partial import cut_answer
from summarizer._engines.requests import as_data
from summarizer._engines.runs import Run, cache_key, halved, in_order
from summarizer._errors import OutputTruncated
from summarizer._extracted import Extraction, ExtractionStats
from summarizer._llm.client import Request
from summarizer._packing import Chunk, chunk_text
from summarizer._schemas import Entities, GroundingStats, Usage
from summarizer._timing import Timings
from summarizer._tokens import estimate_tokens

if TYPE_CHECKING:
    from summarizer._cleaning import CleanedText
    from summarizer._session import Session

PROMPT = "extract"
_SPLIT_FLOOR_CHARS = 200  # below this, a chunk whose answer is cut is not split again
_KINDS = {
    "str": "text, copied as the document writes it",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "date": "a date, as YYYY-MM-DD",
}


async def extract(
    schema: Schema,
    cleaned: CleanedText,
    title: str | None,
    session: Session,
    progress: Progress | None = None,
) -> tuple[Extraction, EngineResult]:
    """The fields of one document, and a result with no summary that records the run."""
    run = Run.start(session, "", title)
    prompt = _prompt(session.settings.prompts)
    timings = Timings()
    stats = ExtractionStats()
    with session.meter.scope() as usage:
        with timings.stage("prepare"):
            await run.client.prepare()
        with timings.stage("chunk"):
            numbered = await asyncio.to_thread(Numbered.of, cleaned.text)
            budget = _chunk_budget(run, prompt, schema, numbered)
            run.notes_tokens = budget.answer
            overlap = min(session.settings.chunk_overlap, budget.chunk // 8)
            chunks = await asyncio.to_thread(
                chunk_text, cleaned.text, budget=budget.chunk, overlap=overlap
            )
        with timings.stage("extract"):
            several = len(chunks) > 1

            async def one(chunk: Chunk) -> list[Filled]:
                return await _filled(
                    run, prompt, schema, numbered, chunk, len(chunks), stats, several
                )

            parts = await in_order(chunks, one, progress)
            filled = merge(schema.fields, [f for p in parts for f in p], stats)
    usage.stages_ms = {k: timings[k] for k in ("prepare", "extract")}
    extraction = result(schema, filled, numbered, cleaned, stats)
    alone = EngineResult(
        summary="",
        key_points=[],
        facts=[],
        entities=Entities(),
        chunks=len(chunks),
        run=_provenance(run, [prompt.ref, schema.ref], usage),
        timings={"extract": timings["extract"]},
    )
    return extraction, alone


def _provenance(run: Run, refs: list[prompts.PromptRef], usage: Usage) -> ModelRun:
    client = run.client
    return ModelRun(
        model=client.model,
        endpoint=client.describe(),
        mode=client.mode.value if client.mode else "unknown",
        prompts=refs,
        usage=usage,
        grounding=GroundingStats(),  # of facts: there are none without the summary
    )


def _prompt(pins: tuple[str, ...]) -> prompts.Prompt:
    """`--prompt extract@vN` pins the version; else the newest."""
    pinned = [v for name, v in map(prompts.parse_ref, pins) if name == PROMPT]
    version = pinned[-1] if pinned else None
    return prompts.load(PROMPT if version is None else f"{PROMPT}@v{version}")


# --- requests -----------------------------------------------------------------------------


def listing(fields: tuple[Field, ...], indent: str = "") -> str:
    """The fields as the prompt lists them: name, kind, description, nested fields below."""
    lines = []
    for f in fields:
        if f.kind == "object":
            kind = f"a list of up to {MAX_ITEMS} objects" if f.many else "an object"
        elif f.kind == "enum":
            kind = "one of " + ", ".join(f'"{c}"' for c in f.choices)
        else:
            kind = _KINDS[f.kind]
        if f.many and f.kind != "object":
            kind = f"a list of up to {MAX_ITEMS}, each {kind}"
        about = f": {f.description}" if f.description else ""
        lines.append(f'{indent}- "{f.name}" ({kind}){about}')
        if f.kind == "object":
            lines.append(listing(f.fields, indent + "  "))
    return "\n".join(lines)


def extract_request(
    prompt: prompts.Prompt,
    schema: Schema,
    numbered_text: str,
    part: int,
    parts: int,
    title: str | None,
    max_tokens: int | None = None,
) -> Request:
    """`max_tokens`, when the window set it (`_budget.plan`), else the prompt file's own."""
    p = prompt.parameters
    messages = prompt.render(
        text=as_data(numbered_text),
        part=part,
        parts=parts,
        title=title,
        fields=listing(schema.fields),
        max_items=MAX_ITEMS,
        max_cited=MAX_CITED,
    )
    labels = [prompt.ref.label, schema.ref.label]
    return Request(messages, p.temperature, max_tokens or p.max_tokens, p.seed, labels)


def _chunk_budget(run: Run, prompt: prompts.Prompt, schema: Schema, numbered: Numbered) -> Budget:
    """The answer's budget, and a chunk's text less what its `[n] ` markers add (as citing
    notes have them)."""
    empty = extract_request(prompt, schema, "", 1, 1, run.title)
    budget = runs.chunk_budget(run, numbered.text, empty, answer_model(schema))
    sentences = max(1, len(numbered.spans))
    text_tokens = max(1, estimate_tokens(numbered.text))
    marker_tokens = estimate_tokens(f"[{sentences}] \n") * sentences
    chunk = max(1, budget.chunk * text_tokens // (text_tokens + marker_tokens))
    return Budget(answer=budget.answer, chunk=chunk)


# --- one chunk ----------------------------------------------------------------------------


async def _filled(
    run: Run,
    prompt: prompts.Prompt,
    schema: Schema,
    numbered: Numbered,
    chunk: Chunk,
    parts: int,
    stats: ExtractionStats,
    several: bool,
) -> list[Filled]:
    """One chunk's checked fields (its halves' when its answer was cut with nothing whole)."""
    answer = await _answer(run, prompt, schema, numbered, chunk, parts)
    if answer is None:
        if chunk.end - chunk.start >= _SPLIT_FLOOR_CHARS:
            halves = halved(chunk)
            if len(halves) >= 2:
                done = [
                    await _filled(run, prompt, schema, numbered, h, parts, stats, several)
                    for h in halves
                ]
                return [f for d in done for f in d]
        return []
    label = f" (part {chunk.index + 1})" if several else ""
    part = Part(numbered, numbered.within(chunk.start, chunk.end), stats, label)
    return [part.fill(schema.fields, answer)]


async def _answer(
    run: Run, prompt: prompts.Prompt, schema: Schema, numbered: Numbered, chunk: Chunk, parts: int
) -> Answer | None:
    model = answer_model(schema)
    shown = numbered.render(chunk.start, chunk.end)
    request = extract_request(
        prompt, schema, shown, chunk.index + 1, parts, run.title, run.notes_tokens
    )
    key = cache_key(run, "extract", request, model)
    cached = await run.session.recall(key)
    if cached is not None:
        return None if cached.get("cut") else model.model_validate(cached["answer"])
    answer: Answer | None
    try:
        answer = await run.client.ask(request, model)
    except OutputTruncated as error:
        text = cut_answer(error)
        answer = salvage(text, model) if text else None
    value = {"cut": True} if answer is None else {"answer": answer.model_dump(by_alias=True)}
    await run.session.remember(key, "extract", value)
    return answer


def salvage(text: str, model: type[Answer]) -> Answer | None:
    """What a cut answer holds: strings still open are left out, and a value whose
    sentences were cut off cites nothing, so it is nulled (and counted) when checked."""
    start = text.find("{")
    if start < 0:
        return None
    try:
        data = jiter.from_json(text[start:].encode("utf-8"), partial_mode="on")
        return model.model_validate(data) if isinstance(data, dict) and data else None
    except (ValueError, ValidationError):
        return None
