"""One document's trip through the model engine: who to ask, with what, and the counts.

Shared by the quoting notes (v1 prompts, `mapreduce.py`) and the citing ones (v2 on,
`citing.py`): the chunk budget, the cache key of a request, and merge groups that fit.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from summarizer._answers import json_schema
from summarizer._cache import key
from summarizer._engines.base import Progress
from summarizer._engines.evidence import Checker
from summarizer._engines.requests import PromptSet
from summarizer._errors import ContextOverflow
from summarizer._llm import Client, Request
from summarizer._packing import Chunk, chunk_text
from summarizer._schemas import GroundingStats

if TYPE_CHECKING:
    from summarizer._session import Session

MIN_CHUNK_TOKENS = 128
MARGIN_TOKENS = 64
T = TypeVar("T")


@dataclass
class Run:
    """One document's run: the session's client, the prompts, the target language, counts."""

    session: Session
    client: Client
    prompts: PromptSet
    checker: Checker
    title: str | None
    target: str
    same_language: bool
    grounding: GroundingStats = field(default_factory=GroundingStats)

    @classmethod
    def start(cls, session: Session, language: str, title: str | None) -> Run:
        client = session.client
        target = session.settings.language or language
        prompts = PromptSet.pinned(session.settings.prompts)
        same = target == language
        checker = Checker(client, prompts.repair, same_language=same)
        return cls(session, client, prompts, checker, title, target, same)

    @property
    def extractive_facts(self) -> bool:
        return self.session.settings.extractive_facts


def chunk_budget(run: Run, empty: Request, answer: type[BaseModel]) -> int:
    """The largest chunk whose notes request (`empty`, without text) still fits the window.

    Chunks fill the window unless --chunk-tokens says less: a document that fits is read
    whole in one call, and a longer one takes the fewest map calls the model allows.
    """
    overhead = run.client.fits(empty, answer)
    window = run.client.context_window
    room = window - overhead - empty.max_tokens - MARGIN_TOKENS
    if room < MIN_CHUNK_TOKENS:
        raise ContextOverflow(
            f"the context window ({window} tokens) leaves no room for document text; use a "
            "model with a larger window or pass --context-window if the server's is larger"
        )
    return min(run.session.settings.chunk_tokens or room, room)


def fitting_groups(
    run: Run, items: list[Any], request: Callable[[list[Any]], Request], answer: type[BaseModel]
) -> list[list[Any]]:
    """Consecutive runs of notes that each fit one merge request (at least two per group)."""
    groups: list[list[Any]] = [[]]
    for item in items:
        candidate = [*groups[-1], item]
        try:
            run.client.fits(request(candidate), answer)
            groups[-1] = candidate
        except ContextOverflow:
            if len(groups[-1]) < 2:
                raise
            groups.append([item])
    return groups


def cache_key(
    run: Run,
    kind: str,
    request: Request,
    schema: type[BaseModel],
    prompts_used: list[str] | None = None,
) -> str:
    """Everything that changes the answer: endpoint, model, mode, schema, messages, sampling."""
    client = run.client
    return key(
        kind=kind,
        base_url=client.base_url,
        model=client.model,
        mode=client.mode.value if client.mode else None,
        schema=json_schema(schema),
        messages=request.messages,
        params=[request.temperature, request.max_tokens, request.seed],
        prompts=[*request.labels, *(prompts_used or [])],
    )


async def in_order(
    chunks: list[Chunk],
    one: Callable[[Chunk], Awaitable[T]],
    progress: Progress | None,
) -> list[T]:
    """`one` for every chunk, concurrently (the session bounds requests), results in order."""
    done = 0

    async def counted(chunk: Chunk) -> T:
        nonlocal done
        result = await one(chunk)
        done += 1
        if progress is not None:
            progress(done, len(chunks))
        return result

    return list(await asyncio.gather(*(counted(c) for c in chunks)))


def halved(chunk: Chunk) -> list[Chunk]:
    """The chunk's two (or so) halves, on sentence boundaries, with document offsets."""
    halves = chunk_text(chunk.text, budget=max(1, chunk.tokens // 2))
    return [
        Chunk(h.id, chunk.index, chunk.start + h.start, chunk.start + h.end, h.text, h.tokens)
        for h in halves
    ]
