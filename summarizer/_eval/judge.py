"""A model's verdict on each claim, to set beside the lexical check.

The judge reads one claim and the source text it rests on (prompts/judge/), through the
same `Client.ask` as every other request, and answers a one-field model. Verdicts are
cached like chunk notes, keyed by endpoint, model, mode, prompt and text, so a rerun asks
nothing; a claim the judge cannot answer for (an endpoint failure after the retries) is
counted as failed, never guessed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import BaseModel

from summarizer import _prompts as prompts
from summarizer._answers import json_schema
from summarizer._cache import key
from summarizer._config import Settings
from summarizer._errors import ModelError
from summarizer._eval.claims import Claim
from summarizer._eval.metrics import JudgeTally
from summarizer._schemas import Usage
from summarizer._session import Session

if TYPE_CHECKING:  # the model client imports openai; eval without a judge never needs it
    from summarizer._llm.client import Client

PROMPT = "judge@v1"
Pair = tuple[str, str]  # (claim, evidence)


class Verdict(BaseModel):
    supported: bool


@dataclass(frozen=True)
class Verdicts:
    answers: dict[Pair, bool | None]  # None: the judge failed on this claim
    usage: Usage
    model: str
    prompt: prompts.PromptRef


def judged(claims: Iterable[Claim]) -> list[Pair]:
    """The claims a judge can look at: those with evidence to read."""
    return [(c.text, c.evidence) for c in claims if c.evidence]


async def ask_all(settings: Settings, pairs: Iterable[Pair]) -> Verdicts:
    """One verdict per distinct (claim, evidence), under the session's request limit."""
    prompt = prompts.load(PROMPT)
    unique = list(dict.fromkeys(pairs))
    async with Session(settings) as session:
        client = session.client
        await client.prepare()
        answers = await asyncio.gather(*(_ask(session, client, prompt, p) for p in unique))
    return Verdicts(
        dict(zip(unique, answers, strict=True)), session.meter.total, client.model, prompt.ref
    )


async def _ask(session: Session, client: Client, prompt: prompts.Prompt, pair: Pair) -> bool | None:
    from summarizer._engines.requests import as_data
    from summarizer._llm.client import Request

    claim, evidence = pair
    p = prompt.parameters
    request = Request(
        prompt.render(text=as_data(evidence), statement=claim),
        p.temperature,
        p.max_tokens,
        p.seed,
        [prompt.ref.label],
    )
    cache_key = key(
        kind="judge",
        base_url=client.base_url,
        model=client.model,
        mode=client.mode.value if client.mode else None,
        schema=json_schema(Verdict),
        messages=request.messages,
        params=[request.temperature, request.max_tokens, request.seed],
        prompts=request.labels,
    )
    cached = await session.recall(cache_key)
    if cached is not None:
        return Verdict.model_validate(cached).supported
    try:
        verdict = await client.ask(request, Verdict)
    except ModelError:
        return None
    await session.remember(cache_key, "judge", verdict.model_dump())
    return verdict.supported


def tally(claims: Iterable[Claim], answers: dict[Pair, bool | None]) -> JudgeTally:
    result = JudgeTally()
    for claim in claims:
        if not claim.evidence:
            continue
        verdict = answers.get((claim.text, claim.evidence))
        if verdict is None:
            result.failed += 1
            continue
        result.judged += 1
        result.agreed += verdict == claim.supported
        result.judge_supported += verdict
        result.lexical_supported += claim.supported
    return result
