"""Every run over every document, through the cache, one run at a time.

A run is a variant's settings (`prompts` pins, `engine`) with one model, so each run gets
its own `AsyncSummarizer`: the engine reads the pins from its session's settings. The runs
share the on-disk cache, so a rerun, or a variant whose pins resolve to the same prompts
as another's, makes no model calls. Runs go one after another, each with its documents
concurrent under the session's request limit, so one run's wall times are not inflated by
another's requests.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from summarizer._api import AsyncSummarizer
from summarizer._config import Settings
from summarizer._errors import SummarizerError
from summarizer._eval.corpus import Doc
from summarizer._eval.variants import Run
from summarizer._schemas import DocumentSummary


@dataclass(frozen=True)
class Outcome:
    """One document through one run: a result, or the one-line error that stopped it."""

    run: Run
    doc: Doc
    result: DocumentSummary | None
    error: str | None = None


def settings_for(run: Run, base: Settings) -> Settings:
    """The base settings with this run's pins, engine and model, and the cache on."""
    update: dict[str, object] = {
        "prompts": run.variant.pins,
        "engine": run.variant.engine,
        "cache": True,
    }
    if run.variant.extractive_facts is not None:
        update["extractive_facts"] = run.variant.extractive_facts
    if run.model is not None:
        update["model"] = run.model
    return base.model_copy(update=update)


async def run_all(
    runs: list[Run],
    docs: list[Doc],
    base: Settings,
    *,
    on_run: Callable[[Run, list[Outcome]], None] | None = None,
) -> list[Outcome]:
    outcomes: list[Outcome] = []
    for run in runs:
        async with AsyncSummarizer(settings_for(run, base)) as summarizer:
            done = list(await asyncio.gather(*(_one(summarizer, run, doc) for doc in docs)))
        outcomes.extend(done)
        if on_run is not None:
            on_run(run, done)
    return outcomes


async def _one(summarizer: AsyncSummarizer, run: Run, doc: Doc) -> Outcome:
    try:
        return Outcome(run, doc, await summarizer.summarize(doc.source))
    except SummarizerError as e:  # one document failing never stops the others
        return Outcome(run, doc, None, str(e))
