"""The model boundary: one OpenAI-compatible endpoint, structured answers, one retry layer.

Servers differ in what structured output they really enforce, so the mode is probed once
per (endpoint, model) with a schema whose field name the prompt never mentions: only a
server that enforces the schema can answer it. The probe falls back in this order, and its
result is cached and recorded in `metadata.mode`:

    json_schema         response_format json_schema (OpenAI, vLLM, Ollama, llama-server)
    json_object_schema  response_format json_object with a schema (llama-cpp-python's server)
    tools               a forced function call
    json_object         plain JSON mode; the schema travels in the prompt
    md_json             no server help: JSON parsed out of the text

instructor turns answers into Pydantic models and re-asks, a bounded number of times, when
validation fails. Transport faults (429 with Retry-After, 5xx, timeouts, dropped
connections) are retried by one tenacity policy here; the openai client's own retries are
off, so the two never multiply. Every third-party error is wrapped into the
`summarizer._errors` tree at this boundary.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import re
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import httpx2
import instructor
import openai
from instructor.core import IncompleteOutputException, InstructorRetryException
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt

from summarizer._cache import Cache, key
from summarizer._chunking import estimate_tokens
from summarizer._config import Settings
from summarizer._errors import (
    ConfigError,
    ContextOverflow,
    EndpointError,
    InvalidOutput,
    ModelError,
    OutputTruncated,
)
from summarizer._schemas import json_schema

T = TypeVar("T", bound=BaseModel)

# instructor logs every failed attempt at ERROR; the library reports through exceptions and
# metadata.usage instead, so keep those lines off the user's terminal.
logging.getLogger("instructor").addHandler(logging.NullHandler())
logging.getLogger("instructor").propagate = False

DEFAULT_CONTEXT_WINDOW = 4096
OLLAMA_CONTEXT_CAP = (
    8192  # a larger num_ctx costs memory on the user's machine; --context-window raises it
)
_MAX_RETRY_AFTER = 60.0
_MESSAGE_OVERHEAD = 8  # tokens a chat template adds around each message, generously
_THINK = re.compile(r"(?s)<think>.*?</think>\s*|^.*?</think>\s*")


_document_usage: ContextVar[Usage | None] = ContextVar("document_usage", default=None)


class Mode(StrEnum):
    OLLAMA_FORMAT = "ollama_format"  # Ollama's native /api/chat: schema in "format", num_ctx set
    JSON_SCHEMA = "json_schema"
    JSON_OBJECT_SCHEMA = "json_object_schema"
    TOOLS = "tools"
    JSON_OBJECT = "json_object"
    MD_JSON = "md_json"


PROBE_ORDER = (Mode.JSON_SCHEMA, Mode.JSON_OBJECT_SCHEMA, Mode.TOOLS, Mode.JSON_OBJECT)
# Modes where the server does not enforce the schema go through instructor, which builds
# the tool call or the schema prompt and parses what comes back. Enforced modes are sent
# directly (LLM._ask_enforced).
_INSTRUCTOR_MODE = {
    Mode.TOOLS: instructor.Mode.TOOLS,
    Mode.JSON_OBJECT: instructor.Mode.JSON,
    Mode.MD_JSON: instructor.Mode.MD_JSON,
}


class Usage(BaseModel):
    """What the model cost: recorded as `metadata.usage`."""

    model_config = ConfigDict(extra="forbid")

    calls: int = 0
    retries: int = 0
    reasks: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached: int = 0
    reasoning_stripped: int = 0
    server_ms: float = 0.0  # wall time spent waiting on the endpoint, all requests summed
    stages_ms: dict[str, float] = Field(default_factory=dict)


@dataclass
class EndpointInfo:
    """What the server says about itself; found once and cached."""

    kind: str = "openai-compatible"
    context_window: int | None = None
    context_source: str = "default"
    tokenize_path: str | None = None
    tokenize_field: str = "content"

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Request:
    """One structured request: rendered messages and how to sample them."""

    messages: list[dict[str, str]]
    temperature: float = 0.0
    max_tokens: int = 1024
    seed: int | None = None
    labels: list[str] = field(default_factory=list)  # prompt labels, sent as a header


def root_url(base_url: str) -> str:
    """`http://host:8080/v1` -> `http://host:8080`: where the non-OpenAI extras live."""
    parts = urlsplit(base_url)
    path = re.sub(r"/v1/?$", "", parts.path.rstrip("/"))
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def strip_reasoning(text: str) -> str:
    """Drop a `<think>` preamble and any prose around the JSON object."""
    text = _THINK.sub("", text).strip()
    if text.startswith(("{", "[")):
        return text
    fenced = re.search(r"```(?:json)?\s*(\{.*\})\s*```", text, re.S)
    if fenced:
        return fenced.group(1)
    start, end = text.find("{"), text.rfind("}")
    if 0 <= start < end:
        candidate = text[start : end + 1]
        try:
            json.loads(candidate)
        except ValueError:
            return text
        return candidate
    return text


class ProbeAnswer(BaseModel):
    zq_probe_value: int


LOCAL_BASE_URL = "http://local.invalid/v1"


def local_http_client(model_file: Path, context_window: int | None) -> httpx2.AsyncClient:
    """An in-process llama.cpp server for a GGUF file, reached through an ASGI transport.

    The model then looks like any other endpoint, so probing, instructor, grounding and the
    cache all work unchanged. Needs the `local` extra (llama-cpp-python[server]).
    """
    if not model_file.is_file():
        raise ConfigError(f"{model_file}: no such model file")
    try:
        from llama_cpp.server.app import create_app
        from llama_cpp.server.settings import ModelSettings, ServerSettings
    except ImportError as e:
        raise ConfigError(
            "--model-file needs the local extra: pip install 'summarizer[local]'"
        ) from e
    app = create_app(
        server_settings=ServerSettings(),
        model_settings=[
            ModelSettings(
                model=str(model_file),
                model_alias=model_file.stem,
                n_ctx=context_window or DEFAULT_CONTEXT_WINDOW,
                verbose=False,
            )
        ],
    )
    return httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), timeout=None)


def connect(settings: Settings, cache: Cache) -> LLM:
    """The LLM the settings describe: a remote endpoint, or a GGUF file run in-process."""
    if settings.model_file is None:
        return LLM(settings, cache)
    client = local_http_client(settings.model_file, settings.context_window)
    local = settings.model_copy(
        update={
            "base_url": LOCAL_BASE_URL,
            "model": settings.model_file.stem,
            "context_window": settings.context_window or DEFAULT_CONTEXT_WINDOW,
        }
    )
    return LLM(local, cache, http_client=client)


class LLM:
    """A model endpoint, ready to answer with validated Pydantic objects."""

    def __init__(
        self, settings: Settings, cache: Cache, *, http_client: httpx2.AsyncClient | None = None
    ) -> None:
        if not settings.model:
            raise ModelError("no model configured: pass --model or set SUMMARIZER_MODEL")
        self.settings = settings
        self.model = settings.model
        self.base_url = (settings.base_url or "https://api.openai.com/v1").rstrip("/")
        self.cache = cache
        self.usage = Usage()
        self.endpoint = EndpointInfo()
        self.mode: Mode | None = None
        self._http = http_client or httpx2.AsyncClient(
            timeout=httpx2.Timeout(settings.timeout, connect=10.0)
        )
        api_key = settings.api_key.get_secret_value() if settings.api_key else "sk-no-key-required"
        self._openai = openai.AsyncOpenAI(
            base_url=self.base_url,
            api_key=api_key,
            timeout=settings.timeout,
            max_retries=0,
            http_client=self._http,
        )
        self._clients: dict[Mode, Any] = {}
        # One limit on requests in flight, shared by every chunk of every document.
        self._in_flight = asyncio.Semaphore(settings.concurrency)
        self._preparing = asyncio.Lock()

    async def aclose(self) -> None:
        await self._http.aclose()

    # --- set-up -----------------------------------------------------------------------

    async def prepare(self) -> None:
        """Learn the endpoint (context window, tokenizer) and the structured-output mode, once.

        Documents of a batch share the endpoint and call this concurrently; the lock makes
        the first one probe and the rest wait for its answer.
        """
        async with self._preparing:
            if self.mode is None:
                await self._prepare()

    async def _prepare(self) -> None:
        ident = key(kind="endpoint", base_url=self.base_url, model=self.model)
        cached = self.cache.get(ident)
        if cached is not None:
            self.endpoint = EndpointInfo(**cached["endpoint"])
            probed: str | None = cached.get("mode")
        else:
            self.endpoint = await self._discover()
            probed = None
        if self.settings.context_window:
            self.endpoint.context_window = self.settings.context_window
            self.endpoint.context_source = "flag"
        if self.settings.mode == "auto" and self.endpoint.kind == "ollama":
            # Ollama's OpenAI endpoint cannot set num_ctx and silently truncates at its
            # default; its native endpoint takes both num_ctx and a schema.
            self.mode = Mode.OLLAMA_FORMAT
        elif self.settings.mode != "auto":
            self.mode = Mode(self.settings.mode)
        else:
            self.mode = Mode(probed) if probed else await self._probe()
            self.cache.put(
                ident, "endpoint", {"endpoint": self.endpoint.to_dict(), "mode": self.mode.value}
            )

    @property
    def context_window(self) -> int:
        return self.endpoint.context_window or DEFAULT_CONTEXT_WINDOW

    async def _get_json(self, url: str, *, method: str = "GET", body: Any = None) -> Any | None:
        try:
            response = await self._http.request(method, url, json=body, timeout=10.0)
        except httpx2.HTTPError:
            return None
        if response.status_code != 200:
            return None
        try:
            return response.json()
        except ValueError:
            return None

    async def _discover(self) -> EndpointInfo:
        """Context window and tokenizer, from whatever the server exposes."""
        info = EndpointInfo()
        root = root_url(self.base_url)
        models = await self._get_json(f"{self.base_url}/models")
        entries = models.get("data", []) if isinstance(models, dict) else []
        entry = next(
            (m for m in entries if isinstance(m, dict) and m.get("id") == self.model), None
        )
        entry = entry or (entries[0] if entries and isinstance(entries[0], dict) else {})
        if isinstance(entry.get("max_model_len"), int):  # vLLM
            info.kind, info.context_window, info.context_source = (
                "vllm",
                entry["max_model_len"],
                "server",
            )
            info.tokenize_path, info.tokenize_field = f"{root}/tokenize", "prompt"
        elif isinstance(entry.get("meta"), dict) and isinstance(
            entry["meta"].get("n_ctx"), int
        ):  # llama-server
            info.kind, info.context_window, info.context_source = (
                "llama-server",
                entry["meta"]["n_ctx"],
                "server",
            )
            info.tokenize_path, info.tokenize_field = f"{root}/tokenize", "content"
        elif (
            entry.get("owned_by") == "me"
        ):  # llama-cpp-python: tokenizes, but keeps n_ctx to itself
            info.kind = "llama-cpp-python"
            info.tokenize_path, info.tokenize_field = f"{root}/extras/tokenize", "input"
        elif await self._get_json(f"{root}/api/version") is not None:
            info.kind = "ollama"
            shown = await self._get_json(
                f"{root}/api/show", method="POST", body={"model": self.model}
            )
            model_info = shown.get("model_info", {}) if isinstance(shown, dict) else {}
            arch = model_info.get("general.architecture")
            length = model_info.get(f"{arch}.context_length")
            if isinstance(length, int):
                # The model's training maximum; num_ctx is set to what we use, not more.
                window = min(length, OLLAMA_CONTEXT_CAP)
                info.context_window, info.context_source = window, "server"
        return info

    async def count_tokens(self, text: str) -> int | None:
        """The server's own count, where it offers a tokenizer; else None."""
        if self.endpoint.tokenize_path is None:
            return None
        body: dict[str, Any] = {self.endpoint.tokenize_field: text}
        if self.endpoint.tokenize_field == "prompt":
            body["model"] = self.model
        data = await self._get_json(self.endpoint.tokenize_path, method="POST", body=body)
        if isinstance(data, dict):
            if isinstance(data.get("count"), int):
                return int(data["count"])
            if isinstance(data.get("tokens"), list):
                return len(data["tokens"])
        return None

    async def _probe(self) -> Mode:
        """The first mode this endpoint really enforces, trying each with one tiny request."""
        schema = ProbeAnswer.model_json_schema()
        messages = [
            {"role": "user", "content": "Reply with a JSON object holding one small whole number."}
        ]
        for mode in PROBE_ORDER:
            kwargs: dict[str, Any] = {
                "model": self.model,
                "messages": messages,
                "max_tokens": 32,
                "temperature": 0,
            }
            if mode in (Mode.JSON_SCHEMA, Mode.JSON_OBJECT_SCHEMA):
                kwargs["response_format"] = _response_format(mode, "probe", schema, strict=True)
            elif mode is Mode.TOOLS:
                kwargs["tools"] = [
                    {"type": "function", "function": {"name": "probe", "parameters": schema}}
                ]
                kwargs["tool_choice"] = {"type": "function", "function": {"name": "probe"}}
            else:
                kwargs["response_format"] = {"type": "json_object"}
            self.count(calls=1)
            try:
                completion = await self._with_retries(
                    partial(self._openai.chat.completions.create, **kwargs), rejects=True
                )
            except _Rejected:
                continue
            if self._probe_passed(mode, completion):
                return mode
        return Mode.MD_JSON

    @staticmethod
    def _probe_passed(mode: Mode, completion: Any) -> bool:
        try:
            message = completion.choices[0].message
            if mode is Mode.TOOLS:
                raw = message.tool_calls[0].function.arguments
            else:
                raw = strip_reasoning(message.content or "")
            data = json.loads(raw)
        except (AttributeError, IndexError, TypeError, ValueError):
            return False
        if mode is Mode.JSON_OBJECT:
            return isinstance(data, dict)
        return isinstance(data, dict) and isinstance(data.get("zq_probe_value"), int)

    # --- requests ---------------------------------------------------------------------

    def fits(self, request: Request, response_model: type[BaseModel]) -> int:
        """Estimated prompt tokens, or ContextOverflow if the request cannot fit."""
        schema_tokens = _schema_tokens(response_model)
        prompt = (
            sum(estimate_tokens(m["content"]) + _MESSAGE_OVERHEAD for m in request.messages)
            + schema_tokens
        )
        if prompt + request.max_tokens > self.context_window:
            raise ContextOverflow(
                f"request needs ~{prompt} prompt + {request.max_tokens} answer tokens, but the context window is "
                f"{self.context_window} ({self.endpoint.context_source}); use a smaller --chunk-tokens or a "
                "larger --context-window"
            )
        return prompt

    async def _check_fit(self, request: Request, response_model: type[BaseModel]) -> None:
        """fits(), with the server's own count as the last word when the estimate says no.

        The estimate leans high on purpose; a server that tokenizes can still let a
        request through that the estimate alone would refuse.
        """
        try:
            self.fits(request, response_model)
        except ContextOverflow:
            exact = await self.count_tokens("\n".join(m["content"] for m in request.messages))
            if exact is None:
                raise
            overhead = _MESSAGE_OVERHEAD * len(request.messages) + _schema_tokens(response_model)
            if exact + overhead + request.max_tokens > self.context_window:
                raise

    async def ask(self, request: Request, response_model: type[T]) -> T:
        """A validated answer; a truncated one is asked again once with room to finish."""
        assert self.mode is not None, "call prepare() first"
        await self._check_fit(request, response_model)
        try:
            return await self._ask(request, response_model)
        except OutputTruncated:
            larger = request.max_tokens * 2
            retry = Request(
                request.messages, request.temperature, larger, request.seed, request.labels
            )
            try:
                await self._check_fit(retry, response_model)
            except ContextOverflow as e:
                raise OutputTruncated(
                    f"answer hit max_tokens={request.max_tokens}; no room for more"
                ) from e
            return await self._ask(retry, response_model)

    async def _ask(self, request: Request, response_model: type[T]) -> T:
        assert self.mode is not None
        if self.mode is Mode.OLLAMA_FORMAT:
            return await self._ask_ollama(request, response_model)
        if self.mode in (Mode.JSON_SCHEMA, Mode.JSON_OBJECT_SCHEMA):
            return await self._ask_enforced(request, response_model)
        kwargs: dict[str, Any] = {
            **self._sampling(request),
            "messages": request.messages,
            "response_model": _prepared(response_model),
            "max_retries": self.settings.reasks,
            "strict": False,
        }
        client = self._client(self.mode)

        async def call() -> T:
            try:
                result: T = await client.chat.completions.create(**kwargs)
            except IncompleteOutputException as e:
                raise OutputTruncated(f"answer hit max_tokens={request.max_tokens}") from e
            except InstructorRetryException as e:
                cause = e.__cause__
                if isinstance(cause, openai.APIError | httpx2.HTTPError):
                    raise cause from cause.__cause__  # a transport fault: the retry policy decides
                if isinstance(cause, IndexError | AttributeError | KeyError | TypeError):
                    raise _EmptyAnswer("the response held no answer (empty choices)") from cause
                raise self._redacted(
                    InvalidOutput,
                    f"no valid {response_model.__name__} after {e.n_attempts} attempt(s): "
                    f"{_first_line(cause or e)}",
                ) from e
            return result

        answer: T = await self._with_retries(call)
        return answer

    def _sampling(self, request: Request) -> dict[str, Any]:
        """The create() arguments every OpenAI-protocol request shares."""
        kwargs: dict[str, Any] = {
            "model": self.model,
            "max_tokens": request.max_tokens,
            "temperature": request.temperature,
        }
        if request.seed is not None:
            kwargs["seed"] = request.seed
        if request.labels:
            kwargs["extra_headers"] = {"X-Summarizer-Prompt": " ".join(request.labels)}
        return kwargs

    async def _validated(
        self,
        request: Request,
        response_model: type[T],
        send: Callable[[list[dict[str, str]]], Awaitable[str]],
    ) -> T:
        """Send, validate, and re-ask a bounded number of times with the bad answer and the error.

        Used where the server itself enforces the schema (json_schema, json_object with a
        schema, Ollama's format): then there is nothing for instructor to add but the
        re-ask, which costs less here than its per-call setup (bench/RESULTS.md).
        """
        messages = list(request.messages)
        error: Exception | None = None
        for _ in range(self.settings.reasks + 1):
            content = await self._with_retries(partial(send, messages))
            try:
                return response_model.model_validate_json(content)
            except ValidationError as e:
                error = e
                self.count(reasks=1)
                messages = [
                    *request.messages,
                    {"role": "assistant", "content": content},
                    {
                        "role": "user",
                        "content": f"Correct your JSON ONLY RESPONSE, based on the following errors:\n{e}",
                    },
                ]
        raise self._redacted(
            InvalidOutput,
            f"no valid {response_model.__name__} after {self.settings.reasks + 1} attempt(s): "
            f"{_first_line(error or ValueError('no answer'))}",
        )

    async def _ask_enforced(self, request: Request, response_model: type[T]) -> T:
        """A schema the server enforces, through the openai client."""
        assert self.mode is not None
        response_format = _response_format(
            self.mode, response_model.__name__, json_schema(response_model)
        )
        # As extra_body, the schema goes out as it is: the SDK's type-driven transform of the
        # `response_format` argument walks every node of it, a millisecond or two per request
        # for nothing (a plain JSON schema needs no transforming).
        kwargs = {**self._sampling(request), "extra_body": {"response_format": response_format}}

        async def send(messages: list[dict[str, str]]) -> str:
            try:
                completion = await self._openai.chat.completions.create(messages=messages, **kwargs)  # type: ignore[arg-type]
            except Exception:
                self.count(calls=1)
                raise
            self._on_response(completion)
            if not completion.choices:
                raise _EmptyAnswer("the response held no answer (empty choices)")
            choice = completion.choices[0]
            if choice.finish_reason == "length":
                raise OutputTruncated(f"answer hit max_tokens={request.max_tokens}")
            return choice.message.content or ""

        return await self._validated(request, response_model, send)

    async def _ask_ollama(self, request: Request, response_model: type[T]) -> T:
        """Ollama's native chat: the schema as `format`, the window as `num_ctx`."""
        options: dict[str, Any] = {
            "num_ctx": self.context_window,
            "temperature": request.temperature,
            "num_predict": request.max_tokens,
        }
        if request.seed is not None:
            options["seed"] = request.seed
        url = f"{root_url(self.base_url)}/api/chat"
        schema = json_schema(response_model)

        async def send(messages: list[dict[str, str]]) -> str:
            body = {
                "model": self.model,
                "messages": messages,
                "stream": False,
                "format": schema,
                "options": options,
            }
            data = await self._post_ollama(url, body)
            if data.get("done_reason") == "length":
                raise OutputTruncated(f"answer hit max_tokens={request.max_tokens}")
            return strip_reasoning(str(data.get("message", {}).get("content", "")))

        return await self._validated(request, response_model, send)

    async def _post_ollama(self, url: str, body: dict[str, Any]) -> dict[str, Any]:
        self.count(calls=1)
        response = await self._http.post(url, json=body)
        if response.status_code >= 400:
            raise _StatusError(response.status_code, response.text[:300], response.headers)
        data = response.json()
        self.count(
            prompt_tokens=int(data.get("prompt_eval_count") or 0),
            completion_tokens=int(data.get("eval_count") or 0),
        )
        if not isinstance(data, dict) or "message" not in data:
            raise _EmptyAnswer("the response held no message")
        return data

    def _client(self, mode: Mode) -> Any:
        if mode not in self._clients:
            client = instructor.from_openai(self._openai, mode=_INSTRUCTOR_MODE[mode])
            client.on("completion:response", self._on_response)
            client.on("completion:error", self._on_error)
            client.on("parse:error", self._on_parse_error)
            self._clients[mode] = client
        return self._clients[mode]

    def _on_response(self, response: Any) -> None:
        """Count usage and strip reasoning before instructor parses the answer."""
        usage = getattr(response, "usage", None)
        self.count(
            calls=1,
            prompt_tokens=getattr(usage, "prompt_tokens", 0) or 0,
            completion_tokens=getattr(usage, "completion_tokens", 0) or 0,
        )
        for choice in getattr(response, "choices", None) or []:
            message = getattr(choice, "message", None)
            content = getattr(message, "content", None)
            if message is not None and isinstance(content, str):
                stripped = strip_reasoning(content)
                if stripped != content:
                    self.count(reasoning_stripped=1)
                    message.content = stripped

    def _on_error(self, error: Exception, **_: Any) -> None:
        self.count(calls=1)

    def _on_parse_error(self, error: Exception, **_: Any) -> None:
        self.count(reasks=1)

    def count(self, **amounts: float) -> None:
        """Add to the endpoint's totals and to the current document's, if one is being counted."""
        scoped = _document_usage.get()
        for name, amount in amounts.items():
            setattr(self.usage, name, getattr(self.usage, name) + amount)
            if scoped is not None:
                setattr(scoped, name, getattr(scoped, name) + amount)

    @contextmanager
    def counting(self) -> Iterator[Usage]:
        """Count this task's usage apart, so documents sharing the endpoint each get their own."""
        usage = Usage()
        token = _document_usage.set(usage)
        try:
            yield usage
        finally:
            _document_usage.reset(token)

    # --- the one retry layer -------------------------------------------------------------

    async def _with_retries(
        self, call: Callable[[], Awaitable[Any]], *, rejects: bool = False
    ) -> Any:
        """Retry transport faults with jittered backoff; wrap what is left.

        With `rejects`, a 4xx or a 500 means "this request shape is refused" (as when
        llama-cpp-python answers json_schema with a 500) and is raised as `_Rejected`.
        """
        try:
            try:
                return await self._attempt(call)
            except Exception as e:
                failed: Exception | None = e
            # Only a failure pays for setting up the policy (a measurable share of a fast
            # request: bench/RESULTS.md). Its first attempt replays the failure just seen, so
            # waits, counts and the attempt limit are exactly the policy's.
            retrying = AsyncRetrying(
                retry=retry_if_exception(lambda e: _transient(e, rejects)),
                wait=self._wait,
                stop=stop_after_attempt(self.settings.max_retries + 1),
                before_sleep=self._count_retry,
                reraise=True,
            )
            async for attempt in retrying:
                with attempt:
                    if failed is not None:
                        error, failed = failed, None
                        raise error
                    return await self._attempt(call)
        except openai.APIStatusError as e:
            if rejects and (400 <= e.status_code < 500 or e.status_code == 500):
                raise _Rejected(str(e)) from e
            raise self._redacted(
                EndpointError, f"{self.base_url}: HTTP {e.status_code}: {_first_line(e)}"
            ) from e
        except openai.APITimeoutError as e:
            raise self._redacted(
                EndpointError, f"{self.base_url}: timed out after {self.settings.timeout:g}s"
            ) from e
        except (openai.APIConnectionError, httpx2.HTTPError) as e:
            if not _transport_cause(e):  # e.g. a test's cassette that has no such request
                raise self._redacted(EndpointError, f"{self.base_url}: {e.__cause__}") from e
            raise self._redacted(
                EndpointError, f"{self.base_url}: cannot connect: {_first_line(e.__cause__ or e)}"
            ) from e
        except openai.OpenAIError as e:
            raise self._redacted(EndpointError, f"{self.base_url}: {_first_line(e)}") from e
        except _StatusError as e:
            raise self._redacted(EndpointError, f"{self.base_url}: {_first_line(e)}") from e
        except _EmptyAnswer as e:
            raise self._redacted(EndpointError, f"{self.base_url}: {e}") from e
        raise AssertionError("unreachable")  # pragma: no cover

    async def _attempt(self, call: Callable[[], Awaitable[Any]]) -> Any:
        async with self._in_flight:
            started = time.perf_counter()
            try:
                return await call()
            finally:
                self.count(server_ms=(time.perf_counter() - started) * 1000)

    def _redacted(self, kind: type[ModelError], message: str) -> ModelError:
        """The error with the API key blotted out, should a server echo it back."""
        secret = self.settings.api_key.get_secret_value() if self.settings.api_key else ""
        if len(secret) >= 8:
            message = message.replace(secret, "***")
        return kind(message)

    def _count_retry(self, state: RetryCallState) -> None:
        self.count(retries=1)

    def _wait(self, state: RetryCallState) -> float:
        """Retry-After when the server gives one, else exponential backoff with full jitter."""
        error = state.outcome.exception() if state.outcome else None
        headers = error.response.headers if isinstance(error, openai.APIStatusError) else None
        if isinstance(error, _StatusError):
            headers = error.headers
        if headers is not None:
            after = _retry_after(headers)
            if after is not None:
                return min(after, _MAX_RETRY_AFTER)
        ceiling = self.settings.backoff * 2 ** (state.attempt_number - 1)
        return random.uniform(ceiling / 2, ceiling)


@lru_cache(maxsize=32)
def _prepared(model: type[T]) -> type[T]:
    """instructor's wrapper class for a model, made once: instructor builds one per call
    otherwise, which cost more than the rest of a loopback request."""
    from instructor.v2.core.function_calls import response_schema

    return response_schema(model)


def _response_format(
    mode: Mode, name: str, schema: dict[str, Any], *, strict: bool = False
) -> dict[str, Any]:
    """How the two modes whose server enforces the schema ask for it."""
    if mode is Mode.JSON_SCHEMA:
        named: dict[str, Any] = {"name": name, "schema": schema}
        if strict:
            named["strict"] = True
        return {"type": "json_schema", "json_schema": named}
    return {"type": "json_object", "schema": schema}


@lru_cache(maxsize=32)
def _schema_tokens(model: type[BaseModel]) -> int:
    return estimate_tokens(json.dumps(json_schema(model), ensure_ascii=False))


class _Rejected(Exception):
    """The endpoint refused this request shape; used while probing modes."""


class _StatusError(Exception):
    """An HTTP error from an endpoint reached without the openai client (Ollama's native API)."""

    def __init__(self, status_code: int, body: str, headers: Any) -> None:
        super().__init__(f"HTTP {status_code}: {body}")
        self.status_code = status_code
        self.headers = headers


class _EmptyAnswer(Exception):
    """A 200 whose body has no usable choice: a server glitch, retried like a 5xx."""


def _transient(error: BaseException, rejects: bool) -> bool:
    if isinstance(error, openai.APIConnectionError):
        return _transport_cause(error)
    if isinstance(error, openai.RateLimitError | _EmptyAnswer):
        return True
    if isinstance(error, _StatusError):
        return error.status_code == 429 or error.status_code >= 500
    if isinstance(error, openai.InternalServerError):
        return not (rejects and error.status_code == 500)
    return isinstance(error, httpx2.TransportError)


def _transport_cause(error: BaseException) -> bool:
    """Whether a "connection error" really came from the network (openai wraps anything)."""
    cause = error.__cause__
    return cause is None or isinstance(cause, httpx2.TransportError | OSError | TimeoutError)


def _retry_after(headers: Any) -> float | None:
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            return max(0.0, float(value) * scale)
        except ValueError:
            continue
    return None


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0][:300] if text else type(error).__name__


# --- doctor -----------------------------------------------------------------------------------


@dataclass
class Check:
    """One line of `summarizer doctor`: ok is True, False (a problem) or None (a warning)."""

    name: str
    ok: bool | None
    detail: str
    fix: str = ""


class SmokeAnswer(BaseModel):
    answer: int


async def diagnose(settings: Settings) -> list[Check]:
    """Check an endpoint the way a run would use it, without the cache."""
    checks: list[Check] = []
    if not settings.model and not settings.model_file:
        checks.append(
            Check("model", False, "no model configured", "pass --model, or set SUMMARIZER_MODEL")
        )
        return checks
    fresh = settings.model_copy(
        update={"cache": False, "max_retries": min(settings.max_retries, 1)}
    )
    llm = connect(fresh, Cache(None))
    try:
        started = time.perf_counter()
        models = await llm._get_json(f"{llm.base_url}/models")
        if not isinstance(models, dict):
            checks.append(
                Check(
                    "endpoint",
                    False,
                    f"{llm.base_url}: no answer from /models",
                    "is the server running, and is the base URL right (it usually ends in /v1)?",
                )
            )
            return checks
        ms = (time.perf_counter() - started) * 1000
        checks.append(Check("endpoint", True, f"{llm.base_url} answered in {ms:.0f} ms"))
        ids = [m.get("id") for m in models.get("data", []) if isinstance(m, dict)]
        listed = ", ".join(str(i) for i in ids[:8]) or "none listed"
        known = llm.model in ids
        checks.append(
            Check(
                "models",
                True if known else None,
                listed,
                "" if known else f"{llm.model!r} is not listed; the server may still accept it",
            )
        )
        try:
            await llm.prepare()
        except ModelError as e:
            checks.append(Check("structured output", False, str(e), "try --mode md_json"))
            return checks
        checks.append(
            Check("structured output", True, f"mode {llm.mode.value if llm.mode else '?'}")
        )
        window_ok = True if llm.endpoint.context_source != "default" else None
        checks.append(
            Check(
                "context window",
                window_ok,
                f"{llm.context_window} tokens ({llm.endpoint.context_source})",
                ""
                if window_ok
                else "the server does not say; pass --context-window if it is larger",
            )
        )
        tokens = await llm.count_tokens("The council approved the budget.")
        checks.append(
            Check(
                "tokenizer",
                True if tokens else None,
                f"server counts tokens ({tokens} for a test sentence)"
                if tokens
                else "no tokenize endpoint; budgets use the calibrated estimate",
            )
        )
        started = time.perf_counter()
        try:
            answer = await llm.ask(
                Request(
                    [
                        {
                            "role": "user",
                            "content": 'What is 2 + 3? Reply as JSON: {"answer": <number>}',
                        }
                    ],
                    max_tokens=32,
                ),
                SmokeAnswer,
            )
        except ModelError as e:
            checks.append(Check("smoke test", False, str(e), "see the error; --debug shows more"))
            return checks
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
    finally:
        await llm.aclose()
    return checks
