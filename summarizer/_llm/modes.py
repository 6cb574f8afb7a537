"""One strategy per structured-output mode: how to build the request and send it.

Every mode runs through instructor's one validated re-ask loop (see `client.py`): a strategy
says which of instructor's OpenAI handlers parses the answer and writes the re-ask, builds
the wire request, and sends it. instructor cannot express two of our servers' modes,
llama-cpp-python's `json_object` with a `schema` and Ollama's native `format`, so those
extend it here: they build their own request and hand back an OpenAI-shaped completion for
instructor's JSON handler to parse. The enforced modes send the schema as `extra_body`: the
SDK's type-driven transform of `response_format` walks every node of it for nothing.
"""

from __future__ import annotations

import time
from enum import StrEnum
from functools import lru_cache
from typing import Any, Protocol

import httpx2
import instructor
import openai
from instructor.v2.core.function_calls import response_schema
from instructor.v2.core.providers import Provider
from instructor.v2.core.registry import mode_registry
from openai.types.chat import ChatCompletion
from pydantic import BaseModel

from summarizer._answers import json_schema
from summarizer._llm.bounds import fitted
from summarizer._llm.failures import EmptyAnswer, StatusError
from summarizer._redaction import PLACEHOLDER_KEY


class Mode(StrEnum):
    OLLAMA_FORMAT = "ollama_format"  # Ollama's native /api/chat: schema in "format", num_ctx set
    JSON_SCHEMA = "json_schema"
    JSON_OBJECT_SCHEMA = "json_object_schema"
    TOOLS = "tools"
    JSON_OBJECT = "json_object"
    MD_JSON = "md_json"


PROBE_ORDER = (Mode.JSON_SCHEMA, Mode.JSON_OBJECT_SCHEMA, Mode.TOOLS, Mode.JSON_OBJECT)


def response_format(
    mode: Mode, name: str, schema: dict[str, Any], *, strict: bool = False
) -> dict[str, Any]:
    """How the two OpenAI-protocol modes whose server enforces the schema ask for it."""
    if mode is Mode.JSON_SCHEMA:
        named: dict[str, Any] = {"name": name, "schema": schema}
        if strict:
            named["strict"] = True
        return {"type": "json_schema", "json_schema": named}
    return {"type": "json_object", "schema": schema}


@lru_cache(maxsize=64)
def prepared(model: type[BaseModel]) -> type[BaseModel]:
    """instructor's wrapper class for a model, made once (it costs more than a loopback call)."""
    return response_schema(model)


class Wire(Protocol):
    """What a strategy sends through; the client provides it."""

    @property
    def openai(self) -> openai.AsyncOpenAI: ...

    @property
    def http(self) -> httpx2.AsyncClient: ...

    @property
    def base_url(self) -> str: ...

    @property
    def context_window(self) -> int: ...


class Strategy(Protocol):
    instructor_mode: instructor.Mode

    def prepare(
        self, kwargs: dict[str, Any], model: type[BaseModel], per_char: float
    ) -> dict[str, Any]:
        """The wire request; `per_char` is what a character of the answer costs in tokens."""
        ...

    async def send(self, wire: Wire, kwargs: dict[str, Any]) -> ChatCompletion: ...


class _OpenAIProtocol:
    async def send(self, wire: Wire, kwargs: dict[str, Any]) -> ChatCompletion:
        completion: ChatCompletion = await wire.openai.chat.completions.create(**kwargs)
        return completion


class Enforced(_OpenAIProtocol):
    """The server enforces the schema; instructor parses the JSON and re-asks."""

    instructor_mode = instructor.Mode.JSON_SCHEMA

    def __init__(self, mode: Mode) -> None:
        self.mode = mode

    def prepare(
        self, kwargs: dict[str, Any], model: type[BaseModel], per_char: float
    ) -> dict[str, Any]:
        if self.mode is Mode.JSON_SCHEMA:  # bounded to fit max_tokens (bounds.py)
            schema = fitted(model, kwargs["max_tokens"], per_char)
        else:
            schema = json_schema(model)
        fmt = response_format(self.mode, model.__name__, schema)
        return {**kwargs, "extra_body": {"response_format": fmt}}


class Instructed(_OpenAIProtocol):
    """The server does not enforce it: instructor builds the tool call or schema prompt."""

    def __init__(self, mode: instructor.Mode) -> None:
        self.instructor_mode = mode

    def prepare(
        self, kwargs: dict[str, Any], model: type[BaseModel], per_char: float
    ) -> dict[str, Any]:
        handlers = mode_registry.get_handlers(Provider.OPENAI, self.instructor_mode)
        _, built = handlers.request_handler(prepared(model), kwargs)
        result: dict[str, Any] = built
        return result


class OllamaFormat:
    """Ollama's native chat: the schema as `format`, the window as `num_ctx`.

    Its OpenAI endpoint cannot set num_ctx and silently truncates prompts at its default.
    """

    instructor_mode = instructor.Mode.JSON_SCHEMA

    def prepare(
        self, kwargs: dict[str, Any], model: type[BaseModel], per_char: float
    ) -> dict[str, Any]:
        return {**kwargs, "format": json_schema(model)}

    async def send(self, wire: Wire, kwargs: dict[str, Any]) -> ChatCompletion:
        from summarizer._llm.endpoint import root_url

        options: dict[str, Any] = {
            "num_ctx": wire.context_window,
            "temperature": kwargs["temperature"],
            "num_predict": kwargs["max_tokens"],
        }
        if kwargs.get("seed") is not None:
            options["seed"] = kwargs["seed"]
        body = {
            "model": kwargs["model"],
            "messages": kwargs["messages"],
            "stream": False,
            "format": kwargs["format"],
            "options": options,
        }
        headers = dict(kwargs.get("extra_headers") or {})
        key = wire.openai.api_key
        if key and key != PLACEHOLDER_KEY:  # an Ollama behind an auth proxy needs the key too
            headers["Authorization"] = f"Bearer {key}"
        response = await wire.http.post(
            f"{root_url(wire.base_url)}/api/chat", json=body, headers=headers
        )
        if response.status_code >= 400:  # the whole body: redaction comes before any cut
            raise StatusError(response.status_code, response.text, response.headers)
        try:
            data = response.json()
        except ValueError as e:
            raise EmptyAnswer("the response was not JSON") from e
        if not isinstance(data, dict) or not isinstance(data.get("message"), dict):
            raise EmptyAnswer("the response held no message")
        return _as_completion(data, kwargs["model"])


def _as_completion(data: dict[str, Any], model: str) -> ChatCompletion:
    """An Ollama reply in the OpenAI shape, so instructor's JSON handler parses it."""
    return ChatCompletion.model_validate(
        {
            "id": "ollama",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "length" if data.get("done_reason") == "length" else "stop",
                    "message": {
                        "role": "assistant",
                        "content": str(data["message"].get("content") or ""),
                    },
                }
            ],
            "usage": {
                "prompt_tokens": int(data.get("prompt_eval_count") or 0),
                "completion_tokens": int(data.get("eval_count") or 0),
                "total_tokens": int(data.get("prompt_eval_count") or 0)
                + int(data.get("eval_count") or 0),
            },
        }
    )


STRATEGIES: dict[Mode, Strategy] = {
    Mode.OLLAMA_FORMAT: OllamaFormat(),
    Mode.JSON_SCHEMA: Enforced(Mode.JSON_SCHEMA),
    Mode.JSON_OBJECT_SCHEMA: Enforced(Mode.JSON_OBJECT_SCHEMA),
    Mode.TOOLS: Instructed(instructor.Mode.TOOLS),
    Mode.JSON_OBJECT: Instructed(instructor.Mode.JSON),
    Mode.MD_JSON: Instructed(instructor.Mode.MD_JSON),
}
