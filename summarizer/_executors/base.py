"""The seam a batch backend plugs into: run "summarize one document" for many."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from summarizer._config import Settings
from summarizer._inputs import Item
from summarizer._pipeline import Summarized
from summarizer._schemas import Record
from summarizer._sinks import RecordKey


@dataclass(frozen=True)
class Skipped:
    """A document `--resume` found done: its (path, hash) already has a result."""

    source: str


Outcome = Record | Skipped
# In this process a summary comes with the cleaned text its spans index, for a sink that
# shows it (HTML); a backend that ships records between processes sends the record alone.
Emitted = Outcome | Summarized
Emit = Callable[[Item, Emitted], Awaitable[None]]


def recorded(emitted: Emitted) -> Outcome:
    """The outcome without the cleaned text: what is written, or shipped to another process."""
    return emitted.summary if isinstance(emitted, Summarized) else emitted


class Executor(Protocol):
    """Summarizes every item, handing each outcome to `emit` as soon as it is known.

    One failing document never stops the others: it is a `Failure` record.
    """

    async def run(
        self, items: Sequence[Item], settings: Settings, done: set[RecordKey], emit: Emit
    ) -> None: ...
