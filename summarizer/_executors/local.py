"""The in-process executor: documents concurrently on one event loop, one Session.

Documents in flight are bounded too, so a huge folder is not loaded all at once: enough to
keep every request slot busy while documents wait on their merge, and few enough that
their cleaning does not hold back the first requests. The session bounds the requests.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Sequence
from functools import partial

from summarizer import _documents as documents
from summarizer import _engines as engines
from summarizer._config import Settings
from summarizer._errors import DocumentError, SummarizerError
from summarizer._executors.base import Emit, Emitted, Skipped
from summarizer._inputs import Item
from summarizer._pipeline import summarize_with_text
from summarizer._schemas import Failure
from summarizer._session import Session
from summarizer._sinks import RecordKey
from summarizer._timing import Timings

_EXTRA_DOCUMENTS = 8


class LocalExecutor:
    async def run(
        self, items: Sequence[Item], settings: Settings, done: set[RecordKey], emit: Emit
    ) -> None:
        async with Session(settings) as session:
            if items and engines.choose(settings) == "llm":
                await session.client.prepare()  # once, before documents queue behind its lock
            in_flight = asyncio.Semaphore(settings.concurrency + _EXTRA_DOCUMENTS)
            turns = asyncio.Lock()  # at cleaning, so the first documents reach the model first

            async def one(item: Item) -> None:
                async with in_flight:
                    outcome = await summarize_item(item, session, done, turns)
                await emit(item, outcome)

            await asyncio.gather(*(one(item) for item in items))


async def summarize_item(
    item: Item,
    session: Session,
    done: set[RecordKey],
    turns: asyncio.Lock | None = None,
    *,
    load: Callable[[], documents.Document] | None = None,
) -> Emitted:
    """One document's record, or Skipped when `--resume` finds it done.

    `load` reads the document (default: the file `item.source` names); a table row's
    text comes this way too, so every backend makes records, and failures, alike.
    """
    digest: str | None = None
    try:
        timings = Timings()
        with timings.stage("load"):
            document = await asyncio.to_thread(load or partial(documents.load, item.location))
        digest = document.sha256
        if (os.path.normpath(item.source), digest) in done:
            return Skipped(item.source)
        return await summarize_with_text(document, session, timings=timings, turns=turns)
    except SummarizerError as e:
        message = str(e) if isinstance(e, DocumentError) else f"{item.source}: {e}"
        return Failure(source=item.source, error=session.redact(message), sha256=digest)
    except Exception as e:  # a bug in one document must not end the batch
        message = f"{item.source}: internal error: {type(e).__name__}: {e}"
        return Failure(source=item.source, error=session.redact(message), sha256=digest)
