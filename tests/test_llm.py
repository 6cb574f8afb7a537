"""The model boundary against the scripted loopback double in fakeserver.py (not a model)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from summarizer._config import Settings
from summarizer._errors import ContextOverflow, EndpointError, InvalidOutput, OutputTruncated
from summarizer._llm.client import Client, Request
from summarizer._llm.endpoint import root_url
from summarizer._llm.modes import Mode
from summarizer._llm.replies import strip_reasoning
from summarizer._session import Session

from .fakeserver import MODEL, Reply, sequence, serve


class Answer(BaseModel):
    value: int


GOOD = Reply(content='{"value": 5}')


def is_five(answer: Any) -> bool:
    return isinstance(answer, Answer) and answer.value == 5


def ask(base_url: str, *, mode: str = "json_object", **overrides: Any) -> tuple[Any, Client]:
    settings = Settings.model_validate(
        {
            "base_url": base_url,
            "model": MODEL,
            "mode": mode,
            "backoff": 0.0,
            "max_retries": 3,
            "timeout": 2.0,
            "context_window": 4096,
            **overrides,
        }
    )

    async def run() -> tuple[Any, Client]:
        async with Session(settings.model_copy(update={"cache": False})) as session:
            llm = session.client
            await llm.prepare()
            request = Request([{"role": "user", "content": "five?"}], max_tokens=64)
            try:
                return await llm.ask(request, Answer), llm
            except Exception as e:  # returned, so tests can look at the usage too
                return e, llm

    return asyncio.run(run())


def test_root_url() -> None:
    assert root_url("http://127.0.0.1:8080/v1") == "http://127.0.0.1:8080"
    assert root_url("http://host/proxy/v1/") == "http://host/proxy"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ('<think>the user wants JSON</think>\n{"value": 5}', '{"value": 5}'),
        ('Sure! Here is the JSON: {"value": 5} Hope this helps.', '{"value": 5}'),
        ('```json\n{"value": 5}\n```', '{"value": 5}'),
        ('reasoning without an opening tag</think>{"value": 5}', '{"value": 5}'),
    ],
)
def test_strip_reasoning(raw: str, clean: str) -> None:
    assert strip_reasoning(raw) == clean


def test_rate_limit_honours_retry_after() -> None:
    limited = Reply(
        status=429, headers={"Retry-After": "0"}, body='{"error": {"message": "slow down"}}'
    )
    with serve(sequence(limited, limited, GOOD)) as server:
        answer, llm = ask(server.base_url)
    assert is_five(answer)
    assert llm.usage.retries == 2
    assert len(server.requests) == 3


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_retried(status: int) -> None:
    with serve(
        sequence(Reply(status=status, body='{"error": {"message": "boom"}}'), GOOD)
    ) as server:
        answer, llm = ask(server.base_url)
    assert is_five(answer) and llm.usage.retries == 1


def test_retries_are_bounded_and_wrapped() -> None:
    with serve(sequence(Reply(status=503, body='{"error": {"message": "down"}}'))) as server:
        error, _ = ask(server.base_url, max_retries=2)
    assert isinstance(error, EndpointError) and "HTTP 503" in str(error)
    assert len(server.requests) == 3  # one try and two retries: the SDK itself never retried


def test_timeout_then_success() -> None:
    with serve(sequence(Reply(content='{"value": 5}', delay=3.0), GOOD)) as server:
        answer, llm = ask(server.base_url, timeout=0.3)
    assert is_five(answer) and llm.usage.retries == 1


def test_dropped_connection_and_cut_body_are_retried() -> None:
    with serve(sequence(Reply(drop=True), Reply(content='{"value": 5}', cut=True), GOOD)) as server:
        answer, llm = ask(server.base_url)
    assert is_five(answer) and llm.usage.retries == 2


def test_unreachable_endpoint() -> None:
    error, llm = ask("http://127.0.0.1:9/v1", max_retries=3)
    # Nothing listens there: one attempt, no backoff, and the host is named.
    assert isinstance(error, EndpointError) and "connection refused by 127.0.0.1" in str(error)
    assert llm.usage.retries == 0 and llm.usage.calls == 1


def test_think_block_and_prose_are_stripped_before_validation() -> None:
    with serve(sequence(Reply(content='<think>hmm</think>Here you go: {"value": 5}'))) as server:
        answer, llm = ask(server.base_url)
    assert is_five(answer)
    assert llm.usage.reasoning_stripped == 1 and llm.usage.reasks == 0


def test_invalid_json_is_reasked_a_bounded_number_of_times() -> None:
    with serve(
        sequence(Reply(content='{"value": "five"}'), Reply(content="{not json"), GOOD)
    ) as server:
        error, llm = ask(server.base_url, reasks=1)
    assert isinstance(error, InvalidOutput)
    assert len(server.requests) == 2 and llm.usage.reasks == 2


def test_reask_recovers() -> None:
    with serve(sequence(Reply(content='{"value": "five"}'), GOOD)) as server:
        answer, llm = ask(server.base_url, reasks=1)
    assert is_five(answer) and llm.usage.reasks == 1


def test_length_is_a_budget_problem_not_a_validation_failure() -> None:
    truncated = Reply(content='{"val', finish_reason="length")
    with serve(sequence(truncated, GOOD)) as server:
        answer, llm = ask(server.base_url)
    assert is_five(answer)
    assert [r["max_tokens"] for r in server.requests] == [64, 128]
    assert llm.usage.reasks == 0
    with serve(sequence(truncated)) as server:
        error, _ = ask(server.base_url)
    assert isinstance(error, OutputTruncated)


def test_empty_choices_is_retried_then_reported() -> None:
    with serve(sequence(Reply(empty_choices=True), GOOD)) as server:
        answer, llm = ask(server.base_url, reasks=0)
    assert is_five(answer) and llm.usage.retries == 1
    with serve(sequence(Reply(empty_choices=True))) as server:
        error, _ = ask(server.base_url, reasks=0, max_retries=1)
    assert isinstance(error, EndpointError) and "empty choices" in str(error)


def ask_long(base_url: str, chars: int) -> Any:
    settings = Settings(base_url=base_url, model=MODEL, mode="json_object", context_window=512)

    async def run() -> Any:
        async with Session(settings.model_copy(update={"cache": False})) as session:
            return await session.client.ask(
                Request([{"role": "user", "content": "字" * chars}], max_tokens=64), Answer
            )

    return asyncio.run(run())


def test_a_request_that_cannot_fit_is_never_sent() -> None:
    with (
        serve(sequence(GOOD)) as server,
        pytest.raises(ContextOverflow, match="context window is 512"),
    ):
        ask_long(server.base_url, 600)
    assert server.requests == []


def test_the_servers_own_count_overrules_a_pessimistic_estimate() -> None:
    # The double's tokenizer counts 1 token per 4 characters; the estimate, ~1.1 per character.
    with serve(sequence(GOOD), tokenizer=True) as server:
        assert is_five(ask_long(server.base_url, 600))  # estimate ~670: too big; exact 150: fits
        with pytest.raises(ContextOverflow):
            ask_long(server.base_url, 2400)  # exact 600: too big either way
    assert len(server.requests) == 1


def probe_script(accept: set[str]) -> Any:
    """A server that enforces only some response formats, as real ones do."""

    def script(request: dict[str, Any]) -> Reply:
        rf = request.get("response_format") or {}
        kind = "tools" if request.get("tools") else rf.get("type")
        if kind == "json_object" and "schema" in rf:
            kind = "json_object_schema"
        if kind not in accept:
            return Reply(status=400, body='{"error": {"message": "unsupported response_format"}}')
        if kind == "tools":
            return Reply(tool_arguments='{"zq_probe_value": 3}')
        if kind == "json_object":  # plain JSON mode: valid JSON, but no schema enforced
            return Reply(content='{"number": 3}')
        return Reply(content='{"zq_probe_value": 3}')

    return script


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ({"json_schema", "json_object_schema"}, Mode.JSON_SCHEMA),
        ({"json_object_schema", "json_object"}, Mode.JSON_OBJECT_SCHEMA),
        ({"tools", "json_object"}, Mode.TOOLS),
        ({"json_object"}, Mode.JSON_OBJECT),
        (set(), Mode.MD_JSON),
    ],
)
def test_probe_picks_the_first_enforced_mode(
    tmp_path: Path, accept: set[str], expected: Mode
) -> None:
    with serve(probe_script(accept)) as server:
        settings = Settings(base_url=server.base_url, model=MODEL, cache_dir=tmp_path)

        async def run() -> Mode | None:
            async with Session(settings) as session:
                await session.client.prepare()
                return session.client.mode

        assert asyncio.run(run()) == expected
        probes = len(server.requests)
        assert asyncio.run(run()) == expected  # cached: no second probe
        assert len(server.requests) == probes


def test_forced_mode_skips_the_probe() -> None:
    with serve(sequence(GOOD)) as server:
        answer, _ = ask(server.base_url, mode="json_object")
        assert is_five(answer)
        assert len(server.requests) == 1
        assert server.requests[0]["response_format"] == {"type": "json_object"}


def test_json_object_schema_mode_sends_the_schema() -> None:
    with serve(sequence(GOOD)) as server:
        ask(server.base_url, mode="json_object_schema")
    sent = server.requests[0]["response_format"]
    assert sent["type"] == "json_object" and sent["schema"]["properties"] == {
        "value": {"title": "Value", "type": "integer"}
    }
    assert "json_schema" not in json.dumps(server.requests[0]["messages"])


def test_ollama_gets_num_ctx_and_the_schema_through_its_native_api() -> None:
    with serve(sequence(Reply(content='{"value": "five"}'), GOOD), ollama=True) as server:
        answer, llm = ask(server.base_url, mode="auto", context_window=None, reasks=1)
    assert is_five(answer)
    assert llm.endpoint.kind == "ollama" and llm.mode is Mode.OLLAMA_FORMAT
    first = server.requests[0]
    assert (
        first["options"]["num_ctx"] == 8192
    )  # the model's 32768, capped; never Ollama's silent 2k
    assert first["format"]["properties"]["value"]["type"] == "integer"
    assert len(server.requests) == 2 and llm.usage.reasks == 1  # the invalid answer was re-asked


def test_ollama_faults_use_the_same_retry_policy() -> None:
    busy = Reply(status=503, body='{"error": "busy"}')
    with serve(sequence(busy, GOOD), ollama=True) as server:
        answer, llm = ask(server.base_url, mode="auto", context_window=None)
    assert is_five(answer) and llm.usage.retries == 1


def rambling_enforcer(request: dict[str, Any]) -> Reply:
    """vLLM with SmolLM2: json_schema enforced, but an unbounded integer runs to max_tokens."""
    rf = request.get("response_format") or {}
    if rf.get("type") != "json_schema":
        return Reply(status=400, body='{"error": {"message": "unsupported"}}')
    value = rf["json_schema"]["schema"]["properties"]["zq_probe_value"]
    if "maximum" in value:
        return Reply(content='{"zq_probe_value": 1}')
    return Reply(content='{\n  "zq_probe_value": 1000000000000000000', finish_reason="length")


def test_an_enforced_answer_cut_at_max_tokens_is_probed_again_bounded(tmp_path: Path) -> None:
    with serve(rambling_enforcer) as server:
        settings = Settings(base_url=server.base_url, model=MODEL, cache_dir=tmp_path)

        async def run() -> Client:
            async with Session(settings) as session:
                await session.client.prepare()
                return session.client

        client = asyncio.run(run())
    assert client.mode is Mode.JSON_SCHEMA
    bounded = [r for r in server.requests if "json_schema" in json.dumps(r)]
    assert len(bounded) == 2  # the first cut short, the bounded one passed
    assert "json_schema" not in client.endpoint.rejected


def test_a_server_that_ignores_the_schema_still_fails_the_bounded_probe(tmp_path: Path) -> None:
    def ignores(request: dict[str, Any]) -> Reply:
        if (request.get("response_format") or {}).get("type") == "json_schema":
            return Reply(content='{"number": 100000000000', finish_reason="length")
        return Reply(status=400, body='{"error": {"message": "unsupported"}}')

    with serve(ignores) as server:
        settings = Settings(base_url=server.base_url, model=MODEL, cache_dir=tmp_path)

        async def run() -> Client:
            async with Session(settings) as session:
                await session.client.prepare()
                return session.client

        client = asyncio.run(run())
    assert client.mode is Mode.MD_JSON
    assert client.endpoint.rejected["json_schema"].endswith("twice")


def test_a_cut_answer_on_a_tight_window_is_retried_with_what_the_window_leaves() -> None:
    truncated = Reply(content='{"val', finish_reason="length")
    with serve(sequence(truncated, GOOD)) as server:
        settings = Settings(base_url=server.base_url, model=MODEL, mode="json_object")
        settings = settings.model_copy(update={"cache": False, "context_window": 512})

        async def run() -> tuple[Any, int]:
            async with Session(settings) as session:
                request = Request([{"role": "user", "content": "five?"}], max_tokens=300)
                left = 512 - session.client.prompt_tokens(request, Answer)
                return await session.client.ask(request, Answer), left

        answer, left = asyncio.run(run())
    assert is_five(answer)
    assert 450 <= left < 600, "between half as much again and twice: the window's rest"
    assert [r["max_tokens"] for r in server.requests] == [300, left]
