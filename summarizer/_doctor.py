"""`summarizer doctor`: check an endpoint the way a run would use it, without the cache.

Each check is one line with what to do about a problem. It borrows a Session's client and
uses only its public methods, so it sees exactly what a summarize run would see.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from pydantic import BaseModel, Field

from summarizer._config import Settings
from summarizer._errors import ModelError
from summarizer._llm.client import Client, Request
from summarizer._session import Session


@dataclass
class Check:
    """ok is True, False (a problem) or None (a warning)."""

    name: str
    ok: bool | None
    detail: str
    fix: str = ""


class SmokeAnswer(BaseModel):
    # Bounded, so an enforcing server keeps a small model from writing digits until
    # max_tokens (SmolLM2 on vLLM did); any sane answer to 2 + 3 fits.
    answer: int = Field(ge=0, le=99)


# The question gives its answer away: the smoke test checks the structured-output path end
# to end, not arithmetic (SmolLM2-135M on vLLM answers 2 + 3 = 2 when it must work it out).
_SMOKE = Request(
    [
        {
            "role": "user",
            "content": 'What is 2 + 3? The answer is 5. Reply as JSON: {"answer": <number>}',
        }
    ],
    max_tokens=32,
)


async def diagnose(settings: Settings) -> list[Check]:
    if not settings.model_configured:
        return [
            Check("model", False, "no model configured", "pass --model, or set SUMMARIZER_MODEL")
        ]
    if _needs_openai_key(settings):  # said before connecting: no answer would point elsewhere
        return [
            Check(
                "API key",
                False,
                "no API key for https://api.openai.com/v1 (no --base-url given)",
                "set OPENAI_API_KEY or SUMMARIZER_API_KEY, or pass --base-url for another server",
            )
        ]
    fresh = settings.model_copy(
        update={"cache": False, "max_retries": min(settings.max_retries, 1)}
    )
    checks: list[Check] = []
    async with Session(fresh) as session:
        client = session.client
        if await _reachable(client, checks) and await _prepared(client, checks):
            await _tokenizer(client, checks)
            await _smoke(client, checks)
    return checks


def _needs_openai_key(settings: Settings) -> bool:
    """OpenAI's API (the endpoint when no base URL is set) answers nothing without a key."""
    if settings.api_key is not None or settings.model_file is not None:
        return False
    return settings.base_url is None or urlsplit(settings.base_url).hostname == "api.openai.com"


async def _reachable(client: Client, checks: list[Check]) -> bool:
    started = time.perf_counter()
    models = await client.get_json(f"{client.base_url}/models")
    url = client.describe().base_url
    if not isinstance(models, dict):
        fix = "is the server running, and is the base URL right (it usually ends in /v1)?"
        checks.append(Check("endpoint", False, f"{url}: no answer from /models", fix))
        return False
    ms = (time.perf_counter() - started) * 1000
    checks.append(Check("endpoint", True, f"{url} answered in {ms:.0f} ms"))
    ids = [m.get("id") for m in models.get("data", []) if isinstance(m, dict)]
    known = client.model in ids
    checks.append(
        Check(
            "models",
            True if known else None,
            ", ".join(str(i) for i in ids[:8]) or "none listed",
            "" if known else f"{client.model!r} is not listed; the server may still accept it",
        )
    )
    return True


async def _prepared(client: Client, checks: list[Check]) -> bool:
    try:
        await client.prepare()
    except ModelError as e:
        checks.append(Check("structured output", False, str(e), "try --mode md_json"))
        return False
    mode = client.mode.value if client.mode else "?"
    rejected = "; ".join(f"{m}: {why}" for m, why in client.endpoint.rejected.items())
    checks.append(
        Check("structured output", True, f"mode {mode}", f"not {rejected}" if rejected else "")
    )
    source = client.endpoint.context_source
    window_ok = True if source != "default" else None
    checks.append(
        Check(
            "context window",
            window_ok,
            f"{client.context_window} tokens ({source})",
            "" if window_ok else "the server does not say; pass --context-window if it is larger",
        )
    )
    return True


async def _tokenizer(client: Client, checks: list[Check]) -> None:
    tokens = await client.count_tokens("The council approved the budget.")
    detail = (
        f"server counts tokens ({tokens} for a test sentence)"
        if tokens
        else "no tokenize endpoint; budgets use the calibrated estimate"
    )
    scales = {"Latin": client.endpoint.text_scale, "CJK": client.endpoint.cjk_scale}
    if any(scale > 1.0 for scale in scales.values()):
        detail += "; estimates scaled to it: " + ", ".join(
            f"{name} ×{scale:.2f}" for name, scale in scales.items() if scale > 1.0
        )
    checks.append(Check("tokenizer", True if tokens else None, detail))


async def _smoke(client: Client, checks: list[Check]) -> None:
    started = time.perf_counter()
    try:
        answer = await client.ask(_SMOKE, SmokeAnswer)
    except ModelError as e:
        checks.append(Check("smoke test", False, str(e), "see the error; --debug shows more"))
        return
    ms = (time.perf_counter() - started) * 1000
    right = answer.answer == 5
    checks.append(
        Check(
            "smoke test",
            True if right else None,
            f"answered {answer.answer} in {ms:.0f} ms",
            "" if right else "valid JSON but a wrong sum: a very small model?",
        )
    )
