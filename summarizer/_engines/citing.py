"""Citing notes (prompts v2 on): the model cites sentence numbers, code does the rest.

    number the cleaned text's sentences once -> per chunk, ask for notes on its `[n]` lines
    (keeping what a cut answer holds) -> check every fact, key point and summary sentence
    against the sentences it cites (citations.py) -> merge the checked narrative with its
    numbers, and check the merge again -> facts de-duplicated by span, citations with spans

No re-ask is spent on evidence: a model that cannot copy a quote can still point at one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from summarizer import _grounding as grounding
from summarizer import _prose as prose
from summarizer._answers import (
    MAX_KEY_POINTS,
    MAX_MERGED_SENTENCES,
    BriefNotes,
    BriefPicks,
    ChunkNotesV2,
    ChunkPicksV2,
    CitedClaim,
    CitedEntities,
    CitingNotes,
    MergedNotesV2,
    TerseMerged,
    TerseNotes,
    TersePicks,
)
from summarizer._budget import Budget
from summarizer._engines import merging, picks, runs
from summarizer._engines.base import EngineResult, Progress
from summarizer._engines.citations import Claim, Judge, Numbered, marker
from summarizer._engines.partial import cut_answer, salvage
from summarizer._engines.requests import (
    BRIEF,
    TERSE,
    as_data,
    cited_merge_request,
    cited_notes_request,
)
from summarizer._engines.runs import Run, cache_key, fitting_groups, halved, in_order
from summarizer._errors import OutputTruncated
from summarizer._llm.client import Request
from summarizer._packing import Chunk
from summarizer._schemas import (
    Citation,
    ClaimStats,
    Fact,
    GroundingStats,
    SourceSpan,
)
from summarizer._scripts import HAN_CHAR
from summarizer._timing import Timings
from summarizer._tokens import estimate_tokens

_SPLIT_FLOOR_CHARS = 200  # below this, a chunk whose answer is cut is not split again
_NO_NAMES = CitedEntities(people=[], organizations=[], places=[])


@dataclass(frozen=True)
class Narrative:
    """Summary sentences and key points that passed, each with its sentence numbers."""

    summary: list[Claim]
    key_points: list[Claim]


@dataclass(frozen=True)
class Notes:
    """One chunk's checked notes."""

    narrative: Narrative
    facts: list[Fact]
    entities: CitedEntities


@dataclass
class _Counts:
    facts: ClaimStats = field(default_factory=ClaimStats)
    key_points: ClaimStats = field(default_factory=ClaimStats)
    summary: ClaimStats = field(default_factory=ClaimStats)


def chunk_budget(run: Run, numbered: Numbered) -> Budget:
    """The notes answer's budget, and a chunk's text less what its `[n] ` markers add."""
    model = _answer_model(run)
    empty = cited_notes_request(
        run.prompts.notes,
        "",
        1,
        1,
        run.title,
        run.target,
        answer=model,
        extractive=run.extractive_facts,
        sentences=len(numbered.spans),
    )
    budget = runs.chunk_budget(run, numbered.text, empty, model)
    sentences = max(1, len(numbered.spans))
    text_tokens = max(1, estimate_tokens(numbered.text))
    marker_tokens = estimate_tokens(marker(sentences, _tabbed(run)) + "\n") * sentences
    chunk = max(1, budget.chunk * text_tokens // (text_tokens + marker_tokens))
    return Budget(answer=budget.answer, chunk=chunk)


async def summarize(
    run: Run,
    numbered: Numbered,
    chunks: list[Chunk],
    progress: Progress | None,
    timings: Timings,
) -> EngineResult:
    judge = Judge(numbered, run.same_language)
    counts = _Counts()
    single = len(chunks) == 1
    if single:  # read whole: the answer may have what the text leaves
        whole = _notes_request(run, numbered, chunks[0], 1, None)
        run.notes_tokens = runs.sole_answer(run, whole, _answer_model(run))
    early = merging.NameWork.start(numbered.text, run.language) if single else None
    with timings.stage("map"):
        notes = await in_order(
            chunks, lambda c: _notes(run, judge, c, len(chunks), counts, single), progress
        )
    names = early or merging.NameWork.start(numbered.text, run.language)
    merging_names = names.merge([n.entities for n in notes])
    with timings.stage("reduce"):
        narrative = await _reduce(run, judge, [n.narrative for n in notes], counts)
    summary = _distinct(narrative.summary or narrative.key_points[:2])  # or all were dropped
    merged = merging.merge_facts([f for n in notes for f in n.facts])
    points, facts = _apart(narrative.key_points, merged)
    _record(run.grounding, counts)
    entities = await merging_names
    return EngineResult(
        summary=_joined([c.text for c in summary]),
        key_points=[c.text for c in points],
        facts=facts,
        entities=entities.entities,
        entity_stats=entities.stats,
        chunks=len(chunks),
        citations=[
            *_citations("key_point", points, numbered),
            *_citations("summary", summary, numbered),
        ],
    )


def _tabbed(run: Run) -> bool:
    return run.prompts.notes.meta.version >= TERSE


def _merged_model(run: Run) -> type[MergedNotesV2 | TerseMerged]:
    return TerseMerged if run.prompts.merge.meta.version >= TERSE else MergedNotesV2


def _answer_model(run: Run) -> type[CitingNotes]:
    if run.prompts.notes.meta.version >= TERSE:
        return TersePicks if run.extractive_facts else TerseNotes
    if run.prompts.notes.meta.version >= BRIEF:
        return BriefPicks if run.extractive_facts else BriefNotes
    return ChunkPicksV2 if run.extractive_facts else ChunkNotesV2


async def _notes(
    run: Run, judge: Judge, chunk: Chunk, parts: int, counts: _Counts, final: bool
) -> Notes:
    """One chunk's checked notes; `final` when its narrative is the document's own."""
    answer = await _answer(run, judge.numbered, chunk, parts)
    if answer is None:  # cut with nothing complete in it: its halves, else nothing
        if chunk.end - chunk.start >= _SPLIT_FLOOR_CHARS:
            halves = halved(chunk)
            if len(halves) >= 2:
                done = [await _notes(run, judge, h, parts, counts, final) for h in halves]
                return _joined_notes(done)
        return Notes(Narrative([], []), [], _NO_NAMES)
    allowed = judge.numbered.within(chunk.start, chunk.end)
    ignored = ClaimStats()  # a narrative the merge rewrites is checked again there
    points = counts.key_points if final else ignored
    sentences = counts.summary if final else ignored
    narrative = Narrative(
        summary=_passed(judge, answer.summary, allowed, sentences),
        key_points=_passed(judge, answer.key_points, allowed, points),
    )
    names = getattr(answer, "entities", _NO_NAMES)  # from v3 on, the rules alone find them
    facts = picks.checked(judge, answer, allowed, counts.facts)
    if isinstance(answer, TersePicks):
        facts += picks.missed(judge, facts, allowed, counts.facts)
    return Notes(narrative, facts, names)


async def _answer(run: Run, numbered: Numbered, chunk: Chunk, parts: int) -> CitingNotes | None:
    """The model's notes on a chunk (from the cache when this exact work was done), what a
    cut answer held, or None when it held nothing whole."""
    model = _answer_model(run)
    request = _notes_request(run, numbered, chunk, parts, run.notes_tokens)
    key = cache_key(run, "notes", request, model)
    cached = await run.session.recall(key)
    if cached is not None:
        return None if cached.get("cut") else model.model_validate(cached["notes"])
    answer: CitingNotes | None
    try:
        answer = await run.client.ask(request, model)
    except OutputTruncated as error:
        text = cut_answer(error)
        answer = salvage(text, model) if text else None
    value = {"cut": True} if answer is None else {"notes": answer.model_dump()}
    await run.session.remember(key, "notes", value)
    return answer


def _notes_request(
    run: Run, numbered: Numbered, chunk: Chunk, parts: int, max_tokens: int | None
) -> Request:
    return cited_notes_request(
        run.prompts.notes,
        numbered.render(chunk.start, chunk.end, _tabbed(run)),
        chunk.index + 1,
        parts,
        run.title,
        run.target,
        answer=_answer_model(run),
        extractive=run.extractive_facts,
        sentences=len(numbered.within(chunk.start, chunk.end)),
        max_tokens=max_tokens,
    )


def _passed(
    judge: Judge, claims: list[CitedClaim], allowed: range, stats: ClaimStats
) -> list[Claim]:
    kept: list[Claim] = []
    for claim in claims:
        checked = judge.claim(claim.text, claim.sentences, allowed, stats)
        if checked is not None and checked.text not in (c.text for c in kept):
            kept.append(checked)
    return kept


def _joined_notes(done: list[Notes]) -> Notes:
    entities = {
        kind: list(dict.fromkeys(x for n in done for x in getattr(n.entities, kind)))
        for kind in CitedEntities.model_fields
    }
    return Notes(
        Narrative(
            [c for n in done for c in n.narrative.summary],
            [c for n in done for c in n.narrative.key_points],
        ),
        [f for n in done for f in n.facts],
        CitedEntities.model_validate(entities),
    )


async def _reduce(
    run: Run, judge: Judge, narratives: list[Narrative], counts: _Counts
) -> Narrative:
    """One narrative from many, merging in rounds while they do not fit one request."""
    if len(narratives) == 1:
        return narratives[0]

    def request(group: list[Narrative]) -> Request:
        data = [_as_data(n) for n in group]
        return cited_merge_request(run.prompts.merge, data, run.target, run.merge_tokens)

    model = _merged_model(run)
    run.merge_tokens = runs.merge_budget(run, request([]), model)
    level = narratives
    while True:
        groups = fitting_groups(run, level, request, model)
        final = len(groups) == 1
        level = [
            await _merge(run, judge, group, counts if final else _Counts()) for group in groups
        ]
        if final:
            return level[0]


async def _merge(run: Run, judge: Judge, group: list[Narrative], counts: _Counts) -> Narrative:
    data = [_as_data(n) for n in group]
    request = cited_merge_request(run.prompts.merge, data, run.target, run.merge_tokens)
    model = _merged_model(run)
    key = cache_key(run, "merge", request, model)
    cached = await run.session.recall(key)
    merged: MergedNotesV2 | TerseMerged
    if cached is not None:
        merged = model.model_validate(cached)
    else:
        try:
            merged = await run.client.ask(request, model)
        except OutputTruncated as error:
            text = cut_answer(error)
            merged = (salvage(text, model) if text else None) or model(summary=[], key_points=[])
        await run.session.remember(key, "merge", merged.model_dump())
    everything = judge.numbered.everything
    narrative = Narrative(
        summary=_passed(judge, merged.summary, everything, counts.summary),
        key_points=_passed(judge, merged.key_points, everything, counts.key_points),
    )
    if not narrative.summary and not narrative.key_points:  # nothing survived: keep the parts'
        kept = Narrative(
            [c for n in group for c in n.summary][:MAX_MERGED_SENTENCES],
            [c for n in group for c in n.key_points][:MAX_KEY_POINTS],
        )
        # Each passed its chunk's checks, which counted it nowhere: only the document's own
        # narrative is counted, and that is now these.
        counts.summary.supported += len(kept.summary)
        counts.key_points.supported += len(kept.key_points)
        return kept
    return narrative


def _as_data(narrative: Narrative) -> Narrative:
    """Claims as the merge prompt shows them: a claim cannot close the <notes> tag."""
    return Narrative(
        [Claim(as_data(c.text), c.sentences) for c in narrative.summary],
        [Claim(as_data(c.text), c.sentences) for c in narrative.key_points],
    )


def _apart(points: list[Claim], facts: list[Fact]) -> tuple[list[Claim], list[Fact]]:
    """Key points and facts that never repeat each other word for word.

    A small model copies the sentence it picks as a fact into a key point (seen: a tender's
    budget and its deadline). The fact stays, as the typed record with its category and
    evidence, and the key point goes; but when every key point is such a copy, the first
    stays and its fact goes, so a result always has a key point to lead with.
    """
    stated = {grounding.fold(f.statement).text for f in facts}
    kept = [c for c in points if grounding.fold(c.text).text not in stated]
    if kept or not points:
        return kept, facts
    lead = grounding.fold(points[0].text).text
    return points[:1], [f for f in facts if grounding.fold(f.statement).text != lead]


def _distinct(claims: list[Claim]) -> list[Claim]:
    """A merge that repeats a sentence (seen: a headline twice) says it once."""
    kept: dict[str, Claim] = {}
    for claim in claims:
        kept.setdefault(grounding.fold(claim.text).text, claim)
    return list(kept.values())


def _joined(sentences: list[str]) -> str:
    """Each sentence ended; Chinese sentences run on, others are separated by a space."""
    out = ""
    for sentence in sentences:
        sentence = sentence.rstrip("；;，,、：: ")
        if not sentence:
            continue
        if out and not (_chinese(out[-1]) and _chinese(sentence[0])):
            out += " "
        out += sentence
        if not prose.ends_like_sentence(sentence):
            out += "。" if HAN_CHAR.search(sentence) else "."
    return out


def _chinese(ch: str) -> bool:
    return ch in "。！？；，、：“”「」『』（）《》〈〉【】" or bool(HAN_CHAR.match(ch))


def _citations(kind: str, claims: list[Claim], numbered: Numbered) -> list[Citation]:
    return [
        Citation(
            kind=kind,  # type: ignore[arg-type]
            index=i,
            text=claim.text,
            sentences=list(claim.sentences),
            spans=[
                SourceSpan(start=numbered.spans[n - 1].start, end=numbered.spans[n - 1].end)
                for n in claim.sentences
            ],
        )
        for i, claim in enumerate(claims)
    ]


def _record(stats: GroundingStats, counts: _Counts) -> None:
    """The per-kind counts, and the facts' in the fields v1 results had."""
    stats.facts, stats.key_points, stats.summary = counts.facts, counts.key_points, counts.summary
    stats.found = counts.facts.supported + counts.facts.moved
    stats.dropped = counts.facts.dropped
    stats.dropped_numbers = counts.facts.dropped_numbers
    stats.dropped_injected = counts.facts.dropped_injected
