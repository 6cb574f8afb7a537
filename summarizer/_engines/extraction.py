"""Whether a document's own fields (`--schema`) are filled, and how beside its summary.

The summary, when one is wanted, is the chosen engine's own run, untouched; the fields are
filled after it on the same session (`extractor.py`), and the result's provenance records
both: the prompts' refs with the schema's ref beside them (its hash is in every request's
prompt header, so a changed schema misses the cache and fails a stale cassette), and the
usage of the two together. `--no-summary` skips the summary, its calls and its tokens. The
offline engine fills no fields: `--schema` without a model is refused, never made up.
This module imports nothing of the model stack, so an offline run never loads it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from summarizer import _custom as custom
from summarizer._engines.base import Engine, EngineResult, Progress
from summarizer._errors import ConfigError
from summarizer._schemas import Usage

if TYPE_CHECKING:
    from summarizer._cleaning import CleanedText
    from summarizer._extracted import Extraction
    from summarizer._session import Session


async def run(
    engine: Engine,
    cleaned: CleanedText,
    language: str,
    title: str | None,
    session: Session,
    progress: Progress | None = None,
) -> tuple[EngineResult, Extraction | None]:
    """The engine's result, and the extraction when the settings ask for one."""
    schema = custom.resolve(session.settings)
    if schema is None:
        return await engine.run(cleaned, language, title, session, progress), None
    if engine.name != "llm":
        raise ConfigError(custom.NEEDS_MODEL)
    from summarizer._engines.extractor import extract

    summary = None
    if session.settings.summary:
        summary = await engine.run(cleaned, language, title, session, progress)
    extraction, alone = await extract(schema, cleaned, title, session, progress)
    return (alone if summary is None else _together(summary, alone)), extraction


def _together(summary: EngineResult, extraction: EngineResult) -> EngineResult:
    """The summary's result, its provenance with the extraction's prompts and usage added."""
    if summary.run is None or extraction.run is None:  # pragma: no cover (the llm engine's)
        return summary
    usage = _summed(summary.run.usage, extraction.run.usage)
    run = replace(summary.run, prompts=[*summary.run.prompts, *extraction.run.prompts], usage=usage)
    return replace(summary, run=run, timings={**summary.timings, **extraction.timings})


def _summed(a: Usage, b: Usage) -> Usage:
    totals = {
        name: getattr(a, name) + getattr(b, name)
        for name in Usage.model_fields
        if name != "stages_ms"
    }
    return Usage(**totals, stages_ms={**a.stages_ms, **b.stages_ms})
