"""One document's trip through the model engine: who to ask, with what, and the counts.

Shared by the quoting notes (v1 prompts, `mapreduce.py`) and the citing ones (v2 on,
`citing.py`): the chunk and answer budgets, the cache key of a request, and merge groups
that fit.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from summarizer._answers import json_schema
from summarizer._budget import MARGIN_TOKENS, Budget, plan
from summarizer._cache import key
from summarizer._engines.base import Progress
from summarizer._engines.evidence import Checker
from summarizer._engines.requests import PromptSet
from summarizer._errors import ContextOverflow
from summarizer._llm.client import Client, Request
from summarizer._packing import Chunk, chunk_text
from summarizer._schemas import GroundingStats

if TYPE_CHECKING:
    from summarizer._session import Session

T = TypeVar("T")


@dataclass
class Run:
    """One document's run: the session's client, the prompts, the target language, counts."""

    session: Session
    client: Client
    prompts: PromptSet
    checker: Checker
    title: str | None
    language: str  # the document's, as detected
    target: str
    same_language: bool
    grounding: GroundingStats = field(default_factory=GroundingStats)
    notes_tokens: int | None = None  # max_tokens of a notes request: chunk_budget()'s answer
    merge_tokens: int | None = None  # of a merge request: merge_budget()

    @classmethod
    def start(cls, session: Session, language: str, title: str | None) -> Run:
        client = session.client
        target = session.settings.language or language
        prompts = PromptSet.pinned(session.settings.prompts)
        same = target == language
        checker = Checker(client, prompts.repair, same_language=same)
        return cls(session, client, prompts, checker, title, language, target, same)

    @property
    def extractive_facts(self) -> bool:
        return self.session.settings.extractive_facts


def chunk_budget(run: Run, text: str, empty: Request, answer: type[BaseModel]) -> Budget:
    """The notes answer's max_tokens and the largest chunk (in estimated tokens of `text`)
    that fit the window beside it and `empty`, the notes request without text.

    Both come from the window together (`_budget.plan`): on a roomy one the prompt's own
    max_tokens and chunks that fill the rest, so a document that fits is read whole in one
    call; on a small one the answer gives up room to text, down to a floor. --chunk-tokens
    asks for less. Chunks are packed by the estimate, so the chunk budget, in the server's
    tokens, is divided by what one estimated token of this text costs there.
    """
    budget = plan(
        run.client.context_window,
        run.client.prompt_tokens(empty, answer),
        empty.max_tokens,
        run.session.settings.chunk_tokens,
    )
    scale = run.client.scale_of(text)
    chunk = budget.chunk if scale <= 1.0 else max(1, math.floor(budget.chunk / scale))
    return Budget(answer=budget.answer, chunk=chunk)


def sole_answer(run: Run, request: Request, answer: type[BaseModel]) -> int:
    """The notes answer's max_tokens for a document read in one call (`request` holds its
    text and the prompt's own max_tokens): what the window leaves beside the text, up to
    that, and never less than planned. A short note on a small window is then not cut."""
    window = run.client.context_window
    left = window - run.client.prompt_tokens(request, answer) - MARGIN_TOKENS
    return max(run.notes_tokens or 0, min(request.max_tokens, left))


def merge_budget(run: Run, empty: Request, answer: type[BaseModel]) -> int:
    """A merge answer's max_tokens, from the window as a notes answer's is."""
    return plan(
        run.client.context_window, run.client.prompt_tokens(empty, answer), empty.max_tokens
    ).answer


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
    """Everything that changes the answer: endpoint, model, mode, schema, messages, sampling.

    Empty when the session has no cache, which looks nothing up: hashing every request's
    messages was a hundredth of a batch's time on the event loop."""
    if not run.session.cache.remembers:
        return ""
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
