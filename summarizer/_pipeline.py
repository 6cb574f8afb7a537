"""The pipeline: the one place that knows the order of the stages.

    load -> clean -> detect language -> engine -> trace -> result

Each stage lives in the module named after it (`_documents`, `_cleaning`, `_language`,
`_engines/`); this file wires them together and times them, so reading it top to bottom
tells what happens to a document. Text work runs on worker threads, so the event loop keeps
sending other documents' requests meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from pathlib import Path
from typing import BinaryIO, TypeVar

from summarizer import _cleaning as cleaning
from summarizer import _documents as documents
from summarizer import _engines as engines
from summarizer import _language as language
from summarizer._engines.base import EngineResult, Progress
from summarizer._errors import EmptyDocument
from summarizer._schemas import Byline, DocumentInfo, DocumentSummary, Fact, Metadata, SourceSpan
from summarizer._session import Session
from summarizer._timing import Timings

_Span = TypeVar("_Span", Fact, SourceSpan)


async def summarize_source(
    source: str | Path,
    session: Session,
    *,
    stdin: BinaryIO | None = None,
    progress: Progress | None = None,
) -> DocumentSummary:
    """Load one file (or `-` for stdin), then summarize it."""
    timings = Timings()
    with timings.stage("load"):
        document = await asyncio.to_thread(documents.load, source, stdin=stdin)
    return await summarize_document(document, session, timings=timings, progress=progress)


async def summarize_document(
    document: documents.Document,
    session: Session,
    *,
    timings: Timings | None = None,
    progress: Progress | None = None,
    turns: asyncio.Lock | None = None,
) -> DocumentSummary:
    """The whole pipeline for one loaded document.

    In a batch, `turns` makes documents take turns at cleaning, first come first served:
    without it every document's cleaning went ahead of the first document's requests.
    """
    timings = timings if timings is not None else Timings()
    started = time.perf_counter() - sum(timings.values()) / 1000
    async with turns or contextlib.nullcontext():
        with timings.stage("clean"):
            cleaned = await asyncio.to_thread(
                cleaning.clean, document.text, markdown=document.format == "markdown"
            )
        if not cleaning.has_prose(cleaned.text):
            raise EmptyDocument(document.source, "nothing left after removing page noise")
        with timings.stage("language"):
            lang = await asyncio.to_thread(language.detect, cleaned.text)
    title = document.title or cleaning.guess_title(cleaned.text)

    name = engines.choose(session.settings)
    with timings.stage("summarize"):
        result = await engines.get(name).run(cleaned, lang, title, session, progress)
    timings.update(result.timings)

    facts = [_traced(fact, cleaned) for fact in result.facts]
    citations = [
        c.model_copy(update={"spans": [_traced(s, cleaned) for s in c.spans]})
        for c in result.citations
    ]
    timings["total"] = round((time.perf_counter() - started) * 1000, 2)
    return DocumentSummary(
        title=title,
        language=lang,
        summary=result.summary,
        key_points=result.key_points,
        facts=facts,
        entities=result.entities,
        citations=citations,
        metadata=_metadata(document, cleaned, lang, name, result, timings),
    )


def _traced(span: _Span, cleaned: cleaning.CleanedText) -> _Span:
    """The same span in the document as loaded, through the cleaning offset map."""
    start, end = cleaned.to_original(span.start, span.end)
    return span.model_copy(update={"source_start": start, "source_end": end})


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
