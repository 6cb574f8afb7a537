"""What a text costs on this server: the offline estimate, scaled to the server's tokenizer.

The estimate (`_tokens.py`) is fitted to Qwen's tokenizer and leans towards over-counting,
but an English-centred tokenizer splits Chinese much finer: SmolLM2's, on vLLM, gave 1.5 to
1.7 tokens per Chinese character where the estimate says 1.1, so chunks sized by the
estimate overflowed the 2,048-token window vLLM enforces. So where a server states its
window and offers its tokenizer (vLLM, llama-server), it counts one sample per script once,
at discovery (cached with the endpoint), and estimates there are scaled up by what it found,
never down. Everywhere else the scales stay 1 and every count is the estimate, unchanged.
"""

from __future__ import annotations

import asyncio
import json
import math
import re
from collections.abc import Awaitable, Callable
from functools import lru_cache

from pydantic import BaseModel

from summarizer._answers import json_schema
from summarizer._llm.endpoint import EndpointInfo
from summarizer._scripts import HAN, HANGUL, KANA
from summarizer._tokens import CJK, estimate_tokens

_CJK_CHAR = re.compile(f"[{KANA}{HAN}{HANGUL}]")
# News-like prose with numbers, as documents are: one Latin sample, and Chinese in both
# scripts (traditional characters cost more on most tokenizers; the dearer one counts).
_LATIN_SAMPLE = (
    "The city council approved a budget of $48.2 million on Tuesday, 3.5% more than last "
    "year. Property tax will bring in $27.3 million; the rest comes from fees, grants and "
    "the state. The mayor, Ana Ruiz, said 1,200 new homes would be finished by March 2026."
)
_CJK_SAMPLES = (
    "县政府周二公布了今年的财政预算，总额为四十八亿元，比去年增长百分之三点五。"
    "其中教育支出占三成，新建学校十二所，预计明年九月投入使用。县长表示，将继续改善农村道路。",
    "臺北市政府週二公布今年的財政預算，總額為四十八億元，比去年增長百分之三點五。"
    "其中教育支出佔三成，新建學校十二所，預計明年九月投入使用。市長表示，將繼續改善捷運路網。",
)

Count = Callable[[str], Awaitable[int | None]]


async def calibrate(count: Count, info: EndpointInfo) -> None:
    """Set `info`'s scales from the server's counts, where it states a window it enforces."""
    if info.context_source != "server" or info.tokenize_path is None:
        return
    # At once: each count is a round trip, and discovery sits before a run's first request.
    latin, *cjk = await asyncio.gather(*(_ratio(count, s) for s in (_LATIN_SAMPLE, *_CJK_SAMPLES)))
    info.text_scale = max(1.0, latin or 1.0)
    info.cjk_scale = max(1.0, *(r or 1.0 for r in cjk))


async def _ratio(count: Count, sample: str) -> float | None:
    real = await count(sample)
    return round(real / estimate_tokens(sample), 3) if real else None


# Every request's messages are counted before it is sent, and a merge's groups again as
# they grow: the same system prompt hundreds of times a batch (4,092 counts of 1,464
# texts for 200 documents). Short texts are remembered; long ones are a document's own.
_REMEMBERED_CHARS = 8_192
_remembered = lru_cache(maxsize=256)(estimate_tokens)


def text_tokens(text: str, info: EndpointInfo) -> int:
    """The estimate for `text`, its Chinese, Japanese and Korean part and the rest each scaled."""
    estimate = _remembered(text) if len(text) <= _REMEMBERED_CHARS else estimate_tokens(text)
    return _scaled(text, estimate, info)


def _scaled(text: str, estimate: int, info: EndpointInfo) -> int:
    if info.cjk_scale == 1.0 and info.text_scale == 1.0:
        return estimate
    cjk = min(estimate, len(_CJK_CHAR.findall(text)) * CJK // 100)
    return math.ceil(cjk * info.cjk_scale + (estimate - cjk) * info.text_scale)


def scale_of(text: str, info: EndpointInfo) -> float:
    """How many server tokens one estimated token of `text` is (1.0 where nothing was measured).

    Chunks are packed by the estimate, so a budget in the server's tokens is divided by this.
    """
    if info.cjk_scale == 1.0 and info.text_scale == 1.0:
        return 1.0  # what the division below gives, without estimating the sample twice
    sample = text[:_SCALE_SAMPLE_CHARS]
    estimate = estimate_tokens(sample)
    return _scaled(sample, estimate, info) / estimate if estimate else 1.0


_SCALE_SAMPLE_CHARS = 20_000  # the script mix of a long document shows in its first pages


def schema_tokens(model: type[BaseModel], info: EndpointInfo) -> int:
    """What an answer model's schema costs where it travels in the prompt."""
    return math.ceil(_schema_estimate(model) * info.text_scale)


@lru_cache(maxsize=64)
def _schema_estimate(model: type[BaseModel]) -> int:
    return estimate_tokens(json.dumps(json_schema(model), ensure_ascii=False))


LATIN_TOKENS_PER_CHAR = 0.3  # English prose runs at about 4 characters a token; numbers cost more
_CJK_SHARE, _CJK_LEAST = 0.2, 40  # a request with this share or count of CJK characters


def answer_cost(messages: list[dict[str, str]], info: EndpointInfo, *, cjk: bool) -> float:
    """What a character of the answer costs in tokens: one asked for in Chinese, Japanese or
    Korean (`cjk`), or on a text in them (quotes are copied from it), costs what they do."""
    text = "".join(m["content"] for m in messages)
    visible = len(text) - text.count(" ") - text.count("\n")
    found = len(_CJK_CHAR.findall(text))
    if cjk or found >= _CJK_LEAST or (visible and found / visible >= _CJK_SHARE):
        return CJK / 100 * info.cjk_scale
    return LATIN_TOKENS_PER_CHAR * info.text_scale
