"""The pipeline: the one place that knows the order of the stages.

    load -> clean -> detect language -> engine -> trace -> result

Each stage lives in the module named after it (`_documents`, `_cleaning`, `_language`,
`_engines/`); this file wires them together and times them, so reading it top to bottom
tells what happens to a document. Text work runs on worker threads, so the event loop keeps
sending other documents' requests meanwhile.

A result's spans index the cleaned text, which the result does not carry; an output that
shows the text (the HTML page) takes it from `summarize_with_text`, so it never reads and
cleans the source a second time, and works for stdin, too.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TypeVar

from summarizer import _cleaning as cleaning
from summarizer import _documents as documents
from summarizer import _engines as engines
from summarizer import _entity_mentions as entity_mentions
from summarizer import _language as language
from summarizer._engines import extraction
from summarizer._engines.base import EngineResult, Progress
from summarizer._errors import EmptyDocument
from summarizer._schemas import Byline, DocumentInfo, DocumentSummary, Fact, Metadata, SourceSpan
from summarizer._session import Session
from summarizer._timing import Timings

_Span = TypeVar("_Span", Fact, SourceSpan)


@dataclass(frozen=True)
class Summarized:
    """A result and the cleaned text its spans index, for an output that shows the text."""

    summary: DocumentSummary
    cleaned: str


async def summarize_source(
    source: str | Path,
    session: Session,
    *,
    stdin: BinaryIO | None = None,
    progress: Progress | None = None,
) -> DocumentSummary:
    """Load one file (or `-` for stdin), then summarize it."""
    found = await summarize_source_with_text(source, session, stdin=stdin, progress=progress)
    return found.summary


async def summarize_source_with_text(
    source: str | Path,
    session: Session,
    *,
    stdin: BinaryIO | None = None,
    progress: Progress | None = None,
) -> Summarized:
    timings = Timings()
    with timings.stage("load"):
        document = await asyncio.to_thread(documents.load, source, stdin=stdin)
    return await summarize_with_text(document, session, timings=timings, progress=progress)


async def summarize_document(
    document: documents.Document,
    session: Session,
    *,
    timings: Timings | None = None,
    progress: Progress | None = None,
    turns: asyncio.Lock | None = None,
) -> DocumentSummary:
    """The whole pipeline for one loaded document."""
    found = await summarize_with_text(
        document, session, timings=timings, progress=progress, turns=turns
    )
    return found.summary


async def summarize_with_text(
    document: documents.Document,
    session: Session,
    *,
    timings: Timings | None = None,
    progress: Progress | None = None,
    turns: asyncio.Lock | None = None,
) -> Summarized:
    """The whole pipeline for one loaded document, the cleaned text kept beside the result."""
    timings = timings if timings is not None else Timings()
    started = time.perf_counter() - sum(timings.values()) / 1000
    cleaned, lang = await _cleaned(document, timings, turns)
    title = document.title or cleaning.guess_title(cleaned.text)

    name = engines.choose(session.settings)
    with timings.stage("summarize"):
        engine = engines.get(name)  # with --schema, the fields are filled too (extraction.py)
        result, extracted = await extraction.run(engine, cleaned, lang, title, session, progress)
    timings.update(result.timings)

    with timings.stage("entities"):  # every engine's names checked and located alike
        found = await asyncio.to_thread(
            entity_mentions.located, result.entities, cleaned.text, lang, result.entity_stats
        )
    facts = _traced(result.facts, cleaned)
    spans = iter(_traced([s for m in found.mentions for s in m.spans], cleaned))
    mentions = [
        m.model_copy(update={"spans": [next(spans) for _ in m.spans]}) for m in found.mentions
    ]
    spans = iter(_traced([s for c in result.citations for s in c.spans], cleaned))
    citations = [
        c.model_copy(update={"spans": [next(spans) for _ in c.spans]}) for c in result.citations
    ]
    timings["total"] = round((time.perf_counter() - started) * 1000, 2)
    summary = DocumentSummary(
        title=title,
        language=lang,
        summary=result.summary,
        key_points=result.key_points,
        facts=facts,
        entities=found.entities,
        entity_mentions=mentions,
        citations=citations,
        extraction=extracted,
        metadata=_metadata(document, cleaned, lang, name, result, timings).model_copy(
            update={"entities": found.stats}
        ),
    )
    return Summarized(summary, cleaned.text)


async def _cleaned(
    document: documents.Document, timings: Timings, turns: asyncio.Lock | None
) -> tuple[cleaning.CleanedText, str]:
    """Clean, then detect the language.

    In a batch, `turns` makes documents take turns at this, first come first served:
    without it every document's cleaning went ahead of the first document's requests.
    """
    async with turns or contextlib.nullcontext():
        with timings.stage("clean"):
            cleaned = await asyncio.to_thread(
                cleaning.clean, document.text, markdown=document.format == "markdown"
            )
        if not cleaning.has_prose(cleaned.text):
            raise EmptyDocument(document.source, "nothing left after removing page noise")
        with timings.stage("language"):
            lang = await asyncio.to_thread(language.detect, cleaned.text)
    return cleaned, lang


def _traced(spans: list[_Span], cleaned: cleaning.CleanedText) -> list[_Span]:
    """The same spans in the document as loaded, through the cleaning offset maps."""
    found = cleaned.to_original_many([(s.start, s.end) for s in spans])
    return [
        span.model_copy(update={"source_start": start, "source_end": end})
        for span, (start, end) in zip(spans, found, strict=True)
    ]


def _metadata(
    document: documents.Document,
    cleaned: cleaning.CleanedText,
    lang: str,
    engine: str,
    result: EngineResult,
    timings: Timings,
) -> Metadata:
    run = result.run
    return Metadata(
        source=document.source,
        engine=engine,
        language=lang,
        cleaning=cleaned.report,
        chunks=result.chunks,
        timings=dict(timings),
        document=DocumentInfo(
            format=document.format,
            encoding=document.encoding,
            chars=len(document.text),
            sha256=document.sha256,
            replaced_bytes=document.replaced_bytes,
            url=document.url,
            final_url=document.final_url,
        ),
        byline=_byline(cleaned.byline, document.meta),
        model=run.model if run else None,
        endpoint=run.endpoint if run else None,
        mode=run.mode if run else None,
        prompts=run.prompts if run else [],
        usage=run.usage if run else None,
        grounding=run.grounding if run else None,
    )


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
