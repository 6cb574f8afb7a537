"""The one owner of a run's resources: the model client, the cache and the request limit.

A `Session` is an async context manager. The pipeline, batch executors, eval and doctor
borrow it and never create or close any of these themselves, so every request of every
document shares one limit on requests in flight and one connection pool. The SQLite cache
is reached through `recall`/`remember`, on a worker thread, so it never blocks the loop.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any

from summarizer._cache import Cache
from summarizer._config import Settings
from summarizer._errors import ConfigError, ModelError
from summarizer._llm.usage import Meter
from summarizer._redaction import PLACEHOLDER_KEY, Redactor, url_password

if TYPE_CHECKING:  # the client's modules import openai (~0.8 s): an offline run never needs it
    from summarizer._llm.client import Client, Limit


class Session:
    """With a pool of endpoints (`base_url` a comma list), one client and one limit each.

    The limit is an `asyncio.Semaphore` per endpoint unless `limits` brings others: a Ray
    worker's, which hold for the whole cluster.
    """

    def __init__(self, settings: Settings, *, limits: Mapping[str, Limit] | None = None) -> None:
        self.settings = settings
        self.meter = Meter()
        self.redact = redactor(settings)
        self.cache = Cache(None)
        self._clients: dict[str, Client] = {}
        self._limits: dict[str, Limit] = dict(limits or {})
        self._turns = itertools.count()
        self._entered = False

    async def __aenter__(self) -> Session:
        path = self.settings.cache_path
        if path is not None:
            try:
                self.cache = await asyncio.to_thread(Cache, path)
            except OSError as e:
                raise ConfigError(
                    f"{path.parent}: cannot use the cache directory: {e.strerror or e}; "
                    "set SUMMARIZER_CACHE_DIR or pass --no-cache"
                ) from e
        self._entered = True
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            await client.aclose()
        await asyncio.to_thread(self.cache.close)

    @property
    def client(self) -> Client:
        """A model client, made on first use: an offline run never builds one.

        A document takes one and keeps it; with a pool, each take is the next endpoint in
        turn, so documents spread across the servers.
        """
        pool = endpoints(self.settings) or ("",)  # "": the one in-process model
        base_url = pool[next(self._turns) % len(pool)]
        if base_url not in self._clients:
            self._clients[base_url] = self._connect(base_url)
        return self._clients[base_url]

    def _connect(self, base_url: str) -> Client:
        from summarizer._llm.client import Client, ClientOptions

        settings = self.settings
        if not self._entered:
            raise RuntimeError("use the Session as an async context manager")
        http = None
        limit = self._limits.setdefault(base_url, asyncio.Semaphore(settings.concurrency))
        model = settings.model
        window = settings.context_window
        if settings.model_file is not None:
            from summarizer._llm.local import LOCAL_BASE_URL, local_http_client

            http = local_http_client(settings.model_file, window)
            base_url, model = LOCAL_BASE_URL, settings.model_file.stem
            window = window or 4096
        if not model:
            raise ModelError("no model configured: pass --model or set SUMMARIZER_MODEL")
        options = ClientOptions(
            base_url=base_url,
            model=model,
            timeout=settings.timeout,
            max_retries=settings.max_retries,
            backoff=settings.backoff,
            reasks=settings.reasks,
            mode=settings.mode,
            context_window=window,
        )
        key = settings.api_key.get_secret_value() if settings.api_key else PLACEHOLDER_KEY
        return Client(
            options,
            api_key=key,
            cache=self.cache,
            limit=limit,
            meter=self.meter,
            redact=self.redact,
            http=http,
        )

    async def recall(self, key: str) -> Any | None:
        """A cached value, counted as a cache hit in the current document's usage.

        Without a cache it answers at once: a trip to a worker thread for nothing cost the
        event loop two wake-ups a request."""
        if not self.cache.remembers:
            return None
        value = await asyncio.to_thread(self.cache.get, key)
        if value is not None:
            self.meter.add(cached=1)
        return value

    async def remember(self, key: str, kind: str, value: Any) -> None:
        if self.cache.remembers:
            await asyncio.to_thread(self.cache.put, key, kind, value)


def endpoints(settings: Settings) -> tuple[str, ...]:
    """The endpoints a Session spreads documents over, in turn; none for an in-process model."""
    if settings.model_file is not None:
        return ()
    return settings.base_urls or ("https://api.openai.com/v1",)


def redactor(settings: Settings) -> Redactor:
    """Everything secret the settings hold: the API key and a password in the base URL."""
    key = settings.api_key.get_secret_value() if settings.api_key else None
    return Redactor([key, *(url_password(url) for url in settings.base_urls)])
