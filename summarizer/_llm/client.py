"""The model client: learn the endpoint once, check that a request fits, ask for a model.

`ask()` is the only way a structured answer is requested. It runs instructor's validated
re-ask loop (the same in every mode) with our one tenacity policy handed to it as
`max_retries`, inside `map_errors()`, and counts usage in the `Meter`. The openai client's
own retries are off, so the two never multiply. A `Session` creates and closes the client.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from functools import partial
from types import TracebackType
from typing import Any, Protocol, TypeVar, cast

import httpx2
import openai
from instructor.core import IncompleteOutputException, InstructorRetryException
from instructor.v2.core.providers import Provider
from instructor.v2.core.retry import retry_async_v2
from openai.types.chat import ChatCompletion
from pydantic import BaseModel

from summarizer._cache import Cache, key
from summarizer._errors import (
    ContextOverflow,
    InvalidOutput,
    ModelError,
    OutputTruncated,
    SummarizerError,
)
from summarizer._llm.counting import (
    answer_cost,
    calibrate,
    scale_of,
    schema_tokens,
    text_tokens,
)
from summarizer._llm.endpoint import (
    DEFAULT_CONTEXT_WINDOW,
    EndpointInfo,
    discover,
    probe,
    tokenize_url,
)
from summarizer._llm.failures import EmptyAnswer, Rejected, first_line, map_errors, transient
from summarizer._llm.modes import STRATEGIES, Mode, Strategy, prepared
from summarizer._llm.policy import Policy
from summarizer._llm.replies import strip_reasoning
from summarizer._llm.usage import Meter
from summarizer._redaction import Redactor, safe_url
from summarizer._schemas import EndpointMeta, Usage

T = TypeVar("T", bound=BaseModel)

# instructor logs every failed attempt at ERROR; the library reports through exceptions and
# metadata.usage instead, so keep those lines off the user's terminal.
logging.getLogger("instructor").addHandler(logging.NullHandler())
logging.getLogger("instructor").propagate = False
_MESSAGE_OVERHEAD = 8  # tokens a chat template adds around each message, generously
PROMPT_HEADER = "X-Summarizer-Prompt"


class Limit(Protocol):
    """What bounds requests in flight to one endpoint, held around each attempt.

    An `asyncio.Semaphore` in one process; on a cluster, a lease from a limiter actor, so
    the bound holds for the whole cluster and not per worker.
    """

    async def __aenter__(self) -> Any: ...

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
        /,
    ) -> Any: ...


@dataclass
class Request:
    """One structured request: rendered messages and how to sample them."""

    messages: list[dict[str, str]]
    temperature: float = 0.0
    max_tokens: int = 1024
    seed: int | None = None
    labels: list[str] = field(default_factory=list)  # prompt labels, sent as a header
    cjk: bool = False  # answered in Chinese, Japanese or Korean: bounds cost more a character


@dataclass(frozen=True)
class ClientOptions:
    base_url: str
    model: str
    timeout: float
    max_retries: int
    backoff: float
    reasks: int
    mode: str = "auto"
    context_window: int | None = None


class Client:
    """A model endpoint, ready to answer with validated Pydantic objects.

    It borrows the cache, the request limit, the meter and the redactor from its Session.
    """

    def __init__(
        self,
        options: ClientOptions,
        *,
        api_key: str,
        cache: Cache,
        limit: Limit,
        meter: Meter,
        redact: Redactor,
        http: httpx2.AsyncClient | None = None,
    ) -> None:
        self.options = options
        self.model = options.model
        self.base_url = options.base_url.rstrip("/")
        self.cache = cache
        self.meter = meter
        self.endpoint = EndpointInfo()
        self.mode: Mode | None = None
        self._redact = redact
        self._limit = limit
        self.http = http or httpx2.AsyncClient(
            timeout=httpx2.Timeout(options.timeout, connect=10.0)
        )
        self.openai = openai.AsyncOpenAI(
            base_url=self.base_url,
            api_key=api_key,
            timeout=options.timeout,
            max_retries=0,
            http_client=self.http,
        )
        self._policy = Policy(options.max_retries, options.reasks, options.backoff, meter)
        self._preparing = asyncio.Lock()

    async def aclose(self) -> None:
        await self.http.aclose()

    @property
    def usage(self) -> Usage:
        """Everything this client's endpoint has cost so far, all documents together."""
        return self.meter.total

    @property
    def context_window(self) -> int:
        return self.endpoint.context_window or DEFAULT_CONTEXT_WINDOW

    def describe(self) -> EndpointMeta:
        return EndpointMeta(
            base_url=safe_url(self.base_url),
            kind=self.endpoint.kind,
            context_window=self.context_window,
            context_source=self.endpoint.context_source,
        )

    # --- set-up -------------------------------------------------------------------------

    async def prepare(self) -> None:
        """Learn the endpoint and the structured-output mode, once (concurrent callers wait)."""
        async with self._preparing:
            if self.mode is None:
                await self._prepare()

    async def _prepare(self) -> None:
        ident = key(kind="endpoint", base_url=self.base_url, model=self.model)
        cached = await asyncio.to_thread(self.cache.get, ident)
        if cached is not None and "://" in str(cached["endpoint"].get("tokenize_path")):
            cached = None  # from before paths were relative: a URL, maybe with a password
        if cached is not None and "cjk_scale" not in cached["endpoint"]:
            cached = None  # from before the tokenizer was calibrated
        if cached is not None:
            self.endpoint = EndpointInfo(**cached["endpoint"])
            probed: str | None = cached.get("mode")
        else:
            self.endpoint = await discover(self.get_json, self.base_url, self.model)
            await calibrate(self.count_tokens, self.endpoint)
            probed = None
        if self.options.context_window:
            self.endpoint.context_window = self.options.context_window
            self.endpoint.context_source = "flag"
        if self.options.mode != "auto":
            self.mode = Mode(self.options.mode)
        elif self.endpoint.kind == "ollama":
            self.mode = Mode.OLLAMA_FORMAT
        else:
            self.mode = (
                Mode(probed) if probed else await probe(self._probe_send, self.model, self.endpoint)
            )
            value = {"endpoint": self.endpoint.to_dict(), "mode": self.mode.value}
            await asyncio.to_thread(self.cache.put, ident, "endpoint", value)

    async def get_json(self, url: str, *, method: str = "GET", body: Any = None) -> Any | None:
        """A JSON answer from the server, or None for any failure: discovery is best effort."""
        try:
            response = await self.http.request(method, url, json=body, timeout=10.0)
        except httpx2.HTTPError:
            return None
        if response.status_code != 200:
            return None
        try:
            return response.json()
        except ValueError:
            return None

    async def count_tokens(self, text: str) -> int | None:
        """The server's own count, where it offers a tokenizer; else None."""
        url = tokenize_url(self.base_url, self.endpoint)
        if url is None:
            return None
        body: dict[str, Any] = {self.endpoint.tokenize_field: text}
        if self.endpoint.tokenize_field == "prompt":
            body["model"] = self.model
        data = await self.get_json(url, method="POST", body=body)
        if isinstance(data, dict):
            if isinstance(data.get("count"), int):
                return int(data["count"])
            if isinstance(data.get("tokens"), list):
                return len(data["tokens"])
        return None

    async def _probe_send(self, kwargs: dict[str, Any]) -> Any:
        """One raw probe request under the policy; a refused shape raises `Rejected`."""
        try:
            with map_errors(self.base_url, self.options.timeout, self._redact):
                async for attempt in self._policy.retrying(probing=True):
                    with attempt:
                        return await self._send_raw(self._create, kwargs)
        except ModelError as e:
            status = getattr(e, "status_code", None)
            if status is not None and (400 <= status < 500 or status == 500):
                raise Rejected(str(e)) from e
            raise
        raise AssertionError("unreachable")  # pragma: no cover

    # --- requests -----------------------------------------------------------------------

    def fits(self, request: Request, response_model: type[BaseModel]) -> int:
        """Estimated prompt tokens, or ContextOverflow if the request cannot fit."""
        prompt = self.prompt_tokens(request, response_model)
        if prompt + request.max_tokens > self.context_window:
            raise ContextOverflow(
                f"request needs ~{prompt} prompt + {request.max_tokens} answer tokens, but the "
                f"context window is {self.context_window} ({self.endpoint.context_source}); "
                "use a smaller --chunk-tokens or a larger --context-window"
            )
        return prompt

    async def _check_fit(self, request: Request, response_model: type[BaseModel]) -> None:
        """fits(), with the server's own count as the last word when the estimate says no."""
        try:
            self.fits(request, response_model)
        except ContextOverflow:
            exact = await self.count_tokens("\n".join(m["content"] for m in request.messages))
            if exact is None:
                raise
            overhead = _MESSAGE_OVERHEAD * len(request.messages)
            overhead += self._schema_tokens(response_model)
            if exact + overhead + request.max_tokens > self.context_window:
                raise

    def scale_of(self, text: str) -> float:
        """Server tokens per estimated token of `text`: 1.0 unless the server counted more."""
        return scale_of(text, self.endpoint)

    def prompt_tokens(self, request: Request, response_model: type[BaseModel]) -> int:
        """What the request's prompt costs, its answer aside: the messages and the schema."""
        info = self.endpoint
        prompt = sum(text_tokens(m["content"], info) + _MESSAGE_OVERHEAD for m in request.messages)
        return prompt + self._schema_tokens(response_model)

    def _schema_tokens(self, response_model: type[BaseModel]) -> int:
        """In json_schema mode the schema is the server's grammar, not prompt (vLLM's usage
        shows it); the other modes keep it counted, as their recorded budgets were sized."""
        if self.mode is Mode.JSON_SCHEMA:
            return 0
        return schema_tokens(response_model, self.endpoint)

    async def ask(self, request: Request, response_model: type[T]) -> T:
        """A validated answer; a truncated one is asked again once with room to finish:
        twice the tokens, or what the window has left when that is less but half as much
        again (at temperature 0 the same answer with a few tokens more is cut again)."""
        if self.mode is None:
            await self.prepare()
        await self._check_fit(request, response_model)
        try:
            return await self._ask(request, response_model)
        except OutputTruncated:
            doubled = request.max_tokens * 2
            left = self.context_window - self.prompt_tokens(request, response_model)
            worth = request.max_tokens * 3 // 2 <= left < doubled  # a few tokens more: no use
            larger = replace(request, max_tokens=left if worth else doubled)
            try:
                await self._check_fit(larger, response_model)
            except ContextOverflow as e:
                raise OutputTruncated(
                    f"answer hit max_tokens={request.max_tokens}; no room for more"
                ) from e
            return await self._ask(larger, response_model)

    async def _ask(self, request: Request, response_model: type[T]) -> T:
        mode = self.mode or Mode.MD_JSON
        strategy = STRATEGIES[mode]
        per_char = answer_cost(request.messages, self.endpoint, cjk=request.cjk)
        kwargs = strategy.prepare(self._sampling(request), response_model, per_char)
        send = partial(self._send, strategy)
        with map_errors(self.base_url, self.options.timeout, self._redact):
            try:
                answer = await retry_async_v2(
                    func=send,
                    response_model=prepared(response_model),
                    provider=Provider.OPENAI,
                    mode=strategy.instructor_mode,
                    context=None,
                    max_retries=self._policy.retrying(),
                    args=(),
                    kwargs=kwargs,
                    strict=False,
                )
            except IncompleteOutputException as e:
                raise OutputTruncated(f"answer hit max_tokens={request.max_tokens}") from e
            except InstructorRetryException as e:
                failure = self._unwrapped(e, response_model)
                if failure is e.__cause__:  # as it came from the wire: keep its own chain
                    raise failure from failure.__cause__
                raise failure from e
        return cast(T, answer)

    def _unwrapped(self, error: InstructorRetryException, model: type[BaseModel]) -> BaseException:
        """What really failed: a transport fault for map_errors, or our own verdict."""
        cause = error.__cause__
        if isinstance(cause, SummarizerError):
            return cause
        if cause is not None and (
            transient(cause) or isinstance(cause, openai.APIError | httpx2.HTTPError)
        ):
            return cause
        if isinstance(cause, IndexError | AttributeError | KeyError | TypeError):
            return EmptyAnswer("the response held no answer (empty choices)")
        return InvalidOutput(
            self._redact(
                f"no valid {model.__name__} after {error.n_attempts} attempt(s): "
                f"{first_line(cause or error, self._redact)}"
            )
        )

    def _sampling(self, request: Request) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "model": self.model,
            "messages": request.messages,
            "max_tokens": request.max_tokens,
            "temperature": request.temperature,
        }
        if request.seed is not None:
            kwargs["seed"] = request.seed
        if request.labels:
            kwargs["extra_headers"] = {PROMPT_HEADER: " ".join(request.labels)}
        return kwargs

    async def _send(self, strategy: Strategy, **kwargs: Any) -> ChatCompletion:
        """One attempt: under the request limit, counted, reasoning stripped."""
        completion: ChatCompletion = await self._send_raw(partial(strategy.send, self), kwargs)
        if not completion.choices:
            raise EmptyAnswer("the response held no answer (empty choices)")
        message = completion.choices[0].message
        if isinstance(message.content, str):
            stripped = strip_reasoning(message.content)
            if stripped != message.content:
                self.meter.add(reasoning_stripped=1)
                message.content = stripped
        return completion

    async def _create(self, kwargs: dict[str, Any]) -> Any:
        return await self.openai.chat.completions.create(**kwargs)

    async def _send_raw(
        self, call: Callable[[dict[str, Any]], Awaitable[Any]], kwargs: dict[str, Any]
    ) -> Any:
        async with self._limit:
            started = time.perf_counter()
            try:
                completion = await call(kwargs)
            except Exception:
                self.meter.add(calls=1, server_ms=(time.perf_counter() - started) * 1000)
                raise
            self.meter.add(server_ms=(time.perf_counter() - started) * 1000)
        self.meter.response(completion)
        return completion
