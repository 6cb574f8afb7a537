"""What a server is and what it enforces: found once per (endpoint, model), then cached.

Discovery reads what the server says about itself (its kind, context window and
tokenizer). The probe sends one tiny request per structured-output mode with a schema whose
field name the prompt never mentions, so only a server that enforces the schema can pass,
and keeps the first that does, in this order:

    json_schema         response_format json_schema (OpenAI, vLLM, Ollama, llama-server)
    json_object_schema  response_format json_object with a schema (llama-cpp-python's server)
    tools               a forced function call
    json_object         plain JSON mode; the schema travels in the prompt
    md_json             no server help: JSON parsed out of the text
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field

from summarizer._llm.failures import Rejected, first_line
from summarizer._llm.modes import PROBE_ORDER, Mode, response_format
from summarizer._llm.replies import strip_reasoning

DEFAULT_CONTEXT_WINDOW = 4096
OLLAMA_CONTEXT_CAP = 8192  # a larger num_ctx costs memory on the user's machine

GetJson = Callable[..., Awaitable[Any]]
Create = Callable[[dict[str, Any]], Awaitable[Any]]


@dataclass
class EndpointInfo:
    """Cached as it is (`to_dict`), so it holds no URL: a base URL may carry a password."""

    kind: str = "openai-compatible"
    context_window: int | None = None
    context_source: str = "default"
    tokenize_path: str | None = None  # relative to the server root: see tokenize_url()
    tokenize_field: str = "content"
    rejected: dict[str, str] = field(default_factory=dict)  # mode -> why the probe refused it
    text_scale: float = 1.0  # server tokens per estimated token (counting.py), never below 1
    cjk_scale: float = 1.0  # the same for Chinese, Japanese and Korean characters

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def root_url(base_url: str) -> str:
    """`http://host:8080/v1` -> `http://host:8080`: where the non-OpenAI extras live."""
    parts = urlsplit(base_url)
    path = re.sub(r"/v1/?$", "", parts.path.rstrip("/"))
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def tokenize_url(base_url: str, info: EndpointInfo) -> str | None:
    """Where the server's tokenizer is, joined at use so the cached path carries no password."""
    if info.tokenize_path is None:
        return None
    return f"{root_url(base_url)}/{info.tokenize_path}"


async def discover(get_json: GetJson, base_url: str, model: str) -> EndpointInfo:
    """Context window and tokenizer, from whatever the server exposes."""
    info = EndpointInfo()
    root = root_url(base_url)
    models = await get_json(f"{base_url}/models")
    entries = models.get("data", []) if isinstance(models, dict) else []
    entry = next((m for m in entries if isinstance(m, dict) and m.get("id") == model), None)
    entry = entry or (entries[0] if entries and isinstance(entries[0], dict) else {})
    meta = entry.get("meta")
    if isinstance(entry.get("max_model_len"), int):  # vLLM
        info.kind, info.context_window = "vllm", entry["max_model_len"]
        info.context_source = "server"
        info.tokenize_path, info.tokenize_field = "tokenize", "prompt"
    elif isinstance(meta, dict) and isinstance(meta.get("n_ctx"), int):  # llama-server
        info.kind, info.context_window = "llama-server", meta["n_ctx"]
        info.context_source = "server"
        info.tokenize_path, info.tokenize_field = "tokenize", "content"
    elif entry.get("owned_by") == "me":  # llama-cpp-python: tokenizes, keeps n_ctx to itself
        info.kind = "llama-cpp-python"
        info.tokenize_path, info.tokenize_field = "extras/tokenize", "input"
    elif await get_json(f"{root}/api/version") is not None:
        info.kind = "ollama"
        shown = await get_json(f"{root}/api/show", method="POST", body={"model": model})
        model_info = shown.get("model_info", {}) if isinstance(shown, dict) else {}
        length = model_info.get(f"{model_info.get('general.architecture')}.context_length")
        if isinstance(length, int):  # the training maximum; num_ctx is set to what we use
            info.context_window, info.context_source = min(length, OLLAMA_CONTEXT_CAP), "server"
    return info


class ProbeAnswer(BaseModel):
    zq_probe_value: int


_PROBE_MESSAGES = [
    {"role": "user", "content": "Reply with a JSON object holding one small whole number."}
]


class BoundedProbeAnswer(BaseModel):
    """The same probe with the value bounded, for a server whose small model rambled digits."""

    model_config = ConfigDict(extra="forbid")

    zq_probe_value: int = Field(ge=0, le=9)


CUT = "answer cut at max_tokens before the JSON closed"


async def probe(create: Create, model: str, info: EndpointInfo) -> Mode:
    """The first mode this endpoint really enforces; why the others failed goes in `info`.

    A schema-following answer can still run out of tokens: vLLM enforced the schema, but
    SmolLM2 wrote `{"zq_probe_value": 1000000000000…` until max_tokens. Such a mode gets one
    more try with the value bounded (0-9), which an enforcing grammar keeps short; a server
    that ignores the schema still fails it, having no reason to write that field.
    """
    for mode in PROBE_ORDER:
        verdict = await _try(create, model, mode, ProbeAnswer.model_json_schema())
        if verdict == CUT and mode is not Mode.JSON_OBJECT:
            verdict = await _try(create, model, mode, BoundedProbeAnswer.model_json_schema())
            verdict = f"{CUT}, twice" if verdict == CUT else verdict
        if verdict is None:
            return mode
        info.rejected[mode.value] = verdict
    return Mode.MD_JSON


async def _try(create: Create, model: str, mode: Mode, schema: dict[str, Any]) -> str | None:
    kwargs: dict[str, Any] = {
        "model": model,
        "messages": _PROBE_MESSAGES,
        "max_tokens": 32,
        "temperature": 0,
    }
    if mode in (Mode.JSON_SCHEMA, Mode.JSON_OBJECT_SCHEMA):
        kwargs["response_format"] = response_format(mode, "probe", schema, strict=True)
    elif mode is Mode.TOOLS:
        kwargs["tools"] = [
            {"type": "function", "function": {"name": "probe", "parameters": schema}}
        ]
        kwargs["tool_choice"] = {"type": "function", "function": {"name": "probe"}}
    else:
        kwargs["response_format"] = {"type": "json_object"}
    try:
        completion = await create(kwargs)
    except Rejected as e:
        return f"refused: {first_line(e)}"
    return _probe_verdict(mode, completion)


def _probe_verdict(mode: Mode, completion: Any) -> str | None:
    """None when the answer shows the schema was enforced, else what was wrong with it."""
    try:
        choice = completion.choices[0]
        message = choice.message
        if mode is Mode.TOOLS:
            raw = message.tool_calls[0].function.arguments
        else:
            raw = strip_reasoning(message.content or "")
    except (AttributeError, IndexError, TypeError):
        return "no answer in the response"
    try:
        data = json.loads(raw)
    except (TypeError, ValueError):
        if getattr(choice, "finish_reason", None) == "length":
            return CUT
        return "answer is not JSON"
    if not isinstance(data, dict):
        return "answer is not a JSON object"
    if mode is Mode.JSON_OBJECT:
        return None
    if isinstance(data.get("zq_probe_value"), int):
        return None
    return "schema ignored (no zq_probe_value)"
