"""The Session's cache: looked up in a worker thread when there is one, not at all when not."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from summarizer._config import Settings
from summarizer._session import Session


def _threads_counted(monkeypatch: pytest.MonkeyPatch) -> list[Callable[..., Any]]:
    """The functions that go to `asyncio.to_thread` from here on."""
    sent: list[Callable[..., Any]] = []
    real = asyncio.to_thread

    async def counted(function: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        sent.append(function)
        return await real(function, *args, **kwargs)

    monkeypatch.setattr(asyncio, "to_thread", counted)
    return sent


def test_without_a_cache_recall_and_remember_never_leave_the_event_loop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def main() -> tuple[Any, Any, bool]:
        async with Session(Settings(cache=False)) as session:
            sent = _threads_counted(monkeypatch)
            await session.remember("k", "notes", {"summary": "总结"})
            found = await session.recall("k")
            return found, sent[:], session.cache.remembers

    found, sent, remembers = asyncio.run(main())
    assert (found, sent, remembers) == (None, [], False)


def test_with_a_cache_a_remembered_value_comes_back_and_counts_as_a_hit(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    async def main() -> tuple[Any, int, int, bool]:
        async with Session(Settings(cache=True, cache_dir=tmp_path)) as session:
            sent = _threads_counted(monkeypatch)
            await session.remember("k", "notes", {"summary": "总结"})
            with session.meter.scope() as usage:
                found = await session.recall("k")
            return found, len(sent), usage.cached, session.cache.remembers

    found, sent, cached, remembers = asyncio.run(main())
    assert (found, sent, cached, remembers) == ({"summary": "总结"}, 2, 1, True)
