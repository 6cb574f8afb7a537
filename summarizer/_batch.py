"""A batch: expand the inputs, run them on an executor, write each record to the sink, tally.

The executor decides where documents run (in this process, or on a cluster); the sink
decides where records go and which documents are already done. This module only connects
the two and counts what happened, from the typed records themselves.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from summarizer import _executors as executors
from summarizer._config import Settings
from summarizer._executors.base import Emitted, Outcome, Skipped, recorded
from summarizer._inputs import Item, expand
from summarizer._pipeline import Summarized
from summarizer._schemas import Failure
from summarizer._sinks import Sink


@dataclass
class Report:
    """What a batch did; the CLI shows it as a table."""

    done: int = 0
    failed: int = 0
    skipped: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    failures: list[Failure] = field(default_factory=list)

    def add(self, outcome: Outcome) -> str:
        if isinstance(outcome, Skipped):
            self.skipped += 1
            return "skipped"
        if isinstance(outcome, Failure):
            self.failed += 1
            self.failures.append(outcome)
            return "failed"
        self.done += 1
        usage = outcome.metadata.usage
        if usage is not None:
            self.prompt_tokens += usage.prompt_tokens
            self.completion_tokens += usage.completion_tokens
        return "done"


Event = Callable[[str, str, int, int], None]  # (kind, source, finished, total)


async def run(
    inputs: Iterable[str | Item],
    settings: Settings,
    sink: Sink,
    *,
    executor: str = "local",
    outputs: Iterable[Path] = (),
    on_event: Event | None = None,
) -> Report:
    """Summarize every input (names, or items already expanded) into the sink.

    One failure never stops the others.
    """
    started = time.perf_counter()
    items = expand(inputs, outputs=outputs)
    backend = executors.get(executor)
    report = Report()

    async def emit(item: Item, emitted: Emitted) -> None:
        outcome = recorded(emitted)
        if not isinstance(outcome, Skipped):
            cleaned = emitted.cleaned if isinstance(emitted, Summarized) else None
            await asyncio.to_thread(sink.write, outcome, cleaned)  # an fsync: off the event loop
        kind = report.add(outcome)
        if on_event is not None:
            on_event(kind, item.source, report.done + report.failed + report.skipped, len(items))

    await backend.run(items, settings, sink.done(), emit)
    report.seconds = time.perf_counter() - started
    return report
