"""The model boundary: one OpenAI-compatible endpoint, structured answers, one retry layer.

endpoint.py   what the server is: discovery, and the probe for the mode it enforces
modes.py      one strategy per structured-output mode (build the request, send it)
bounds.py     the bounds json_schema mode sends, fitted to max_tokens
counting.py   what a text costs on this server: the estimate scaled to its tokenizer
client.py     prepare, fits, ask: instructor's one re-ask loop inside our one policy
policy.py     the tenacity policy (transport retries and re-asks, counted apart)
failures.py   which failures are transient, and map_errors() into our error tree
usage.py      the Meter: usage counted in one place, per document
replies.py    the JSON out of what a model wrote
local.py      a GGUF file served in-process
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from summarizer._llm.client import PROMPT_HEADER, Client, ClientOptions, Request
    from summarizer._llm.endpoint import DEFAULT_CONTEXT_WINDOW, EndpointInfo, root_url
    from summarizer._llm.modes import Mode
    from summarizer._llm.replies import strip_reasoning
    from summarizer._llm.usage import Meter

# Imported on first use: client, endpoint and modes import openai and instructor (~0.8 s),
# which an offline run, or a command that never reaches a model, should not pay for.
_HOMES = {
    "PROMPT_HEADER": "client",
    "Client": "client",
    "ClientOptions": "client",
    "Request": "client",
    "DEFAULT_CONTEXT_WINDOW": "endpoint",
    "EndpointInfo": "endpoint",
    "root_url": "endpoint",
    "Mode": "modes",
    "strip_reasoning": "replies",
    "Meter": "usage",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)


__all__ = [
    "DEFAULT_CONTEXT_WINDOW",
    "PROMPT_HEADER",
    "Client",
    "ClientOptions",
    "EndpointInfo",
    "Meter",
    "Mode",
    "Request",
    "root_url",
    "strip_reasoning",
]
