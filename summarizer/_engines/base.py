"""What every engine takes and gives back: the seam between the pipeline and an engine."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from summarizer._prompts import PromptRef
from summarizer._schemas import (
    Citation,
    EndpointMeta,
    Entities,
    EntityStats,
    Fact,
    GroundingStats,
    Usage,
)

if TYPE_CHECKING:
    from summarizer._cleaning import CleanedText
    from summarizer._session import Session


@dataclass(frozen=True)
class ModelRun:
    """Provenance of a model-backed result, copied into `metadata` as it is."""

    model: str
    endpoint: EndpointMeta
    mode: str
    prompts: list[PromptRef]
    usage: Usage
    grounding: GroundingStats


@dataclass(frozen=True)
class EngineResult:
    """What an engine writes; the pipeline adds title, language, offsets and metadata."""

    summary: str
    key_points: list[str]
    facts: list[Fact]
    entities: Entities
    chunks: int
    citations: list[Citation] = field(default_factory=list)  # of key points and summary
    run: ModelRun | None = None
    timings: dict[str, float] = field(default_factory=dict)  # the engine's own stages, ms
    entity_stats: EntityStats | None = None  # the names it turned away, where it counts them


Progress = Callable[[int, int], None]  # (chunks done, chunks in all)


class Engine(Protocol):
    """Summarizes one cleaned document, borrowing the session's client and cache."""

    name: str

    async def run(
        self,
        cleaned: CleanedText,
        language: str,
        title: str | None,
        session: Session,
        progress: Progress | None = None,
    ) -> EngineResult: ...
