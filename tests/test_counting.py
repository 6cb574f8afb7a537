"""Token estimates scaled to a server's tokenizer, measured once at discovery."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from summarizer._llm.counting import (
    LATIN_TOKENS_PER_CHAR,
    answer_cost,
    calibrate,
    scale_of,
    text_tokens,
)
from summarizer._llm.endpoint import EndpointInfo
from summarizer._tokens import CJK, estimate_tokens


def counting(real: Callable[[str], float]) -> Callable[[str], Awaitable[int | None]]:
    async def count(text: str) -> int | None:
        return round(real(text))

    return count


def test_a_tokenizer_that_splits_chinese_finer_scales_the_estimate_up() -> None:
    info = EndpointInfo(kind="vllm", context_source="server", tokenize_path="tokenize")
    chinese = "县政府周二公布了今年的财政预算。" * 20
    english = "The council approved the budget on Tuesday. " * 20
    # SmolLM2 on vLLM: ~1.6 tokens per Chinese character; English a little under the estimate.
    real = counting(lambda t: 1.8 * len(t) if "县" in t or "臺" in t else 0.9 * estimate_tokens(t))
    asyncio.run(calibrate(real, info))
    assert info.text_scale == 1.0, "never scaled down"
    assert info.cjk_scale == pytest.approx(1.8 * 16 / estimate_tokens(chinese[:16]), rel=0.05)
    assert text_tokens(english, info) == estimate_tokens(english)
    assert text_tokens(chinese, info) >= 1.5 * estimate_tokens(chinese)
    assert scale_of(chinese + english, info) > 1.2


def test_a_server_that_states_no_window_is_not_calibrated() -> None:
    info = EndpointInfo(kind="llama-cpp-python", tokenize_path="extras/tokenize")
    asyncio.run(calibrate(counting(lambda t: 3.0 * len(t)), info))
    assert (info.text_scale, info.cjk_scale) == (1.0, 1.0)
    assert text_tokens("县政府周二公布了今年的财政预算。", info) == estimate_tokens(
        "县政府周二公布了今年的财政预算。"
    )


def test_an_answer_in_cjk_or_quoting_a_cjk_text_costs_what_cjk_does() -> None:
    info = EndpointInfo(cjk_scale=1.74)
    english = [{"role": "user", "content": "Summarize: the council met on Tuesday. " * 20}]
    chinese = [{"role": "user", "content": "Summarize: " * 30 + "县政府周二公布了预算。" * 5}]
    assert answer_cost(english, info, cjk=False) == LATIN_TOKENS_PER_CHAR
    assert answer_cost(english, info, cjk=True) == pytest.approx(CJK / 100 * 1.74)
    assert answer_cost(chinese, info, cjk=False) == pytest.approx(CJK / 100 * 1.74)
