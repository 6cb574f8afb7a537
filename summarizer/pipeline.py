"""The pipeline: the one place that knows the order of the stages.

    load -> clean -> detect language -> chunk -> engine -> trace facts -> assemble

Each stage lives in the module named after it; this file only wires them together and
times them, so reading it top to bottom tells what happens to a document.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from summarizer import cleaning, documents, extractive, language
from summarizer.chunking import chunk_text
from summarizer.config import Settings
from summarizer.errors import ConfigError, EmptyDocument
from summarizer.schemas import Byline, DocumentInfo, DocumentSummary, Fact, Metadata

OFFLINE_NOTICE = (
    "Offline extractive engine (no model configured); point it at a model with "
    "--base-url and --model, or SUMMARIZER_BASE_URL and SUMMARIZER_MODEL."
)


class Timings(dict[str, float]):
    """Milliseconds per stage, filled as the stages run."""

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self[name] = round((time.perf_counter() - start) * 1000, 2)


def summarize(
    source: str | Path, settings: Settings | None = None, *, stdin: BinaryIO | None = None
) -> DocumentSummary:
    """Summarize one file (or `-` for stdin) with the engine the settings choose."""
    timings = Timings()
    with timings.stage("load"):
        document = documents.load(source, stdin=stdin)
    return summarize_document(document, settings or Settings(), timings)


def summarize_document(
    document: documents.Document, settings: Settings, timings: Timings | None = None
) -> DocumentSummary:
    timings = timings if timings is not None else Timings()
    started = time.perf_counter() - sum(timings.values()) / 1000

    with timings.stage("clean"):
        cleaned = cleaning.clean(document.text, markdown=document.format == "markdown")
    if not cleaned.text.strip():
        raise EmptyDocument(document.source, "nothing left after removing page noise")

    with timings.stage("language"):
        lang = language.detect(cleaned.text)

    with timings.stage("chunk"):
        chunks = chunk_text(
            cleaned.text, budget=settings.chunk_tokens, overlap=settings.chunk_overlap
        )

    engine = settings.chosen_engine
    if engine != "extractive":
        raise ConfigError(
            "the llm engine is not available in this version; use --engine extractive"
        )
    with timings.stage("summarize"):
        result = extractive.summarize(cleaned.text, lang)

    facts = [_traced(fact, cleaned) for fact in result.facts]
    timings["total"] = round((time.perf_counter() - started) * 1000, 2)
    return DocumentSummary(
        title=document.title or cleaning.guess_title(cleaned.text),
        language=lang,
        summary=result.summary,
        key_points=result.key_points,
        facts=facts,
        entities=result.entities,
        metadata=Metadata(
            source=document.source,
            engine=engine,
            language=lang,
            cleaning=cleaned.report,
            chunks=len(chunks),
            timings=dict(timings),
            document=DocumentInfo(
                format=document.format, encoding=document.encoding, chars=len(document.text)
            ),
            byline=_byline(cleaned.byline, document.meta),
            notice=OFFLINE_NOTICE if not settings.model_configured else None,
        ),
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
