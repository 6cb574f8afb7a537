"""The library's front door: one call for one document, a client object for many.

Settings resolve exactly as the CLI's do (keyword flags > environment > config file >
defaults); a `Settings` passed explicitly is used as it is. The sync API runs the async
one on a private event loop in a background thread, so it also works where a loop is
already running (Jupyter, an async web handler calling sync code).
"""

from __future__ import annotations

import asyncio
import io
import threading
from collections.abc import Coroutine
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from summarizer import _documents as documents
from summarizer._config import Settings, resolve
from summarizer._engines.base import Progress
from summarizer._pipeline import summarize_document, summarize_source
from summarizer._schemas import DocumentSummary
from summarizer._session import Session

T = TypeVar("T")


def _settings(settings: Settings | None, flags: dict[str, Any]) -> Settings:
    return settings if settings is not None else resolve(flags)


class AsyncSummarizer:
    """Summarize many documents through one session: one client, one cache, one limit.

    ::

        async with AsyncSummarizer(model="qwen2.5:7b") as summarizer:
            results = await asyncio.gather(*(summarizer.summarize(p) for p in paths))
    """

    def __init__(self, settings: Settings | None = None, **flags: Any) -> None:
        self.settings = _settings(settings, flags)
        self._session: Session | None = None

    async def __aenter__(self) -> AsyncSummarizer:
        await self._open()
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def _open(self) -> Session:
        if self._session is None:
            session = Session(self.settings)
            await session.__aenter__()
            self._session = session
        return self._session

    async def aclose(self) -> None:
        if self._session is not None:
            session, self._session = self._session, None
            await session.aclose()

    async def summarize(
        self, source: str | Path, *, progress: Progress | None = None
    ) -> DocumentSummary:
        """One file: .txt, .md, .html or .pdf (the format is sniffed from the bytes)."""
        return await summarize_source(source, await self._open(), progress=progress)

    async def summarize_text(self, text: str, *, source: str = "<text>") -> DocumentSummary:
        """Text already in memory: plain text, Markdown or HTML (sniffed)."""
        document = await asyncio.to_thread(
            documents.load, documents.STDIN, stdin=io.BytesIO(text.encode("utf-8", "surrogatepass"))
        )
        return await summarize_document(replace(document, source=source), await self._open())


class Summarizer:
    """The same as `AsyncSummarizer`, for code that is not async.

    ::

        with Summarizer() as summarizer:
            for path in paths:
                print(summarizer.summarize(path).summary)
    """

    def __init__(self, settings: Settings | None = None, **flags: Any) -> None:
        self._async = AsyncSummarizer(settings, **flags)
        self.settings = self._async.settings
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Summarizer:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def _run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        if self._loop is None:
            self._loop = asyncio.new_event_loop()
            self._thread = threading.Thread(
                target=self._loop.run_forever, name="summarizer", daemon=True
            )
            self._thread.start()
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            return future.result()
        except BaseException:
            future.cancel()
            raise

    def summarize(self, source: str | Path, *, progress: Progress | None = None) -> DocumentSummary:
        return self._run(self._async.summarize(source, progress=progress))

    def summarize_text(self, text: str, *, source: str = "<text>") -> DocumentSummary:
        return self._run(self._async.summarize_text(text, source=source))

    def close(self) -> None:
        if self._loop is None:
            return
        self._run(self._async.aclose())
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join()
        self._loop.close()
        self._loop = self._thread = None


def summarize(
    source: str | Path, settings: Settings | None = None, **flags: Any
) -> DocumentSummary:
    """Summarize one document with the engine the settings choose.

    >>> result = summarize("examples/en_short_note.md", engine="extractive", cache=False)
    >>> result.metadata.engine
    'extractive'
    >>> all(result.metadata.source and f.evidence for f in result.facts)
    True
    """
    with Summarizer(settings, **flags) as summarizer:
        return summarizer.summarize(source)


async def asummarize(
    source: str | Path, settings: Settings | None = None, **flags: Any
) -> DocumentSummary:
    """`summarize`, for async code."""
    async with AsyncSummarizer(settings, **flags) as summarizer:
        return await summarizer.summarize(source)
