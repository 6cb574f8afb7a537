"""The seam a batch backend plugs into: run "summarize one document" for many."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from summarizer._config import Settings
from summarizer._inputs import Item
from summarizer._schemas import Record
from summarizer._sinks import RecordKey


@dataclass(frozen=True)
class Skipped:
    """A document `--resume` found done: its (path, hash) already has a result."""

    source: str


Outcome = Record | Skipped
Emit = Callable[[Item, Outcome], Awaitable[None]]


class Executor(Protocol):
    """Summarizes every item, handing each outcome to `emit` as soon as it is known.

    One failing document never stops the others: it is a `Failure` record.
    """

    async def run(
        self, items: Sequence[Item], settings: Settings, done: set[RecordKey], emit: Emit
    ) -> None: ...
