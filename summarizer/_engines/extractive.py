"""The offline engine: TextRank summary, rule-based facts and entities, no model, no network."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from summarizer import _extractive as extractive
from summarizer._engines.base import EngineResult, Progress

if TYPE_CHECKING:
    from summarizer._cleaning import CleanedText
    from summarizer._session import Session


class ExtractiveEngine:
    name = "extractive"

    async def run(
        self,
        cleaned: CleanedText,
        language: str,
        title: str | None,
        session: Session,
        progress: Progress | None = None,
    ) -> EngineResult:
        result = await asyncio.to_thread(extractive.summarize, cleaned.text, language)
        return EngineResult(
            summary=result.summary,
            key_points=result.key_points,
            facts=result.facts,
            entities=result.entities,
            chunks=1,
        )
