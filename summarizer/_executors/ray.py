"""The Ray executor: the same batch on a cluster, with the same records and the same resume.

Documents run as Ray Data work over a fixed pool of actors (`map_batches` with an actor
class). Each actor holds one `Session` for its life, on an event loop of its own, and
summarizes the rows of each batch concurrently: a file with the local executor's
`summarize_item`, a table row with `summarize_item` loading its text. Ray restarts an actor that dies and
retries its batch (`max_restarts`, `max_task_retries`: Ray Data's defaults); records stream back to the driver,
which hands each to `emit` once per (path, hash), so a retried document is written once.

Requests in flight are bounded per endpoint for the whole cluster, not per actor: one
limiter actor per endpoint leases slots to the workers (`_Lease` is the client's `Limit`).
A worker that dies holding slots is restarted under a new token, and when it registers,
the slots of its old token go back to the pool.

Workers read files by their paths, so on several machines the inputs must be at the same
path on each (a shared folder); tables are read by Ray Data, from wherever Ray reads.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import os
import threading
import uuid
from collections.abc import AsyncIterator, Coroutine, Sequence
from contextlib import asynccontextmanager
from functools import partial
from typing import Any, TypeVar

from pydantic import TypeAdapter

from summarizer import _documents as documents
from summarizer import _engines as engines
from summarizer._config import Settings
from summarizer._errors import ConfigError
from summarizer._executors.base import Emit, Emitted, Outcome, Skipped, recorded
from summarizer._executors.local import summarize_item
from summarizer._inputs import Item
from summarizer._redaction import safe_url
from summarizer._schemas import Failure, Record
from summarizer._session import Session, endpoints
from summarizer._sinks import RecordKey, record_key

try:
    import pyarrow as pa  # type: ignore[import-untyped]
    import ray
    from ray.actor import ActorHandle
    from ray.data import ActorPoolStrategy, Dataset
except ImportError as e:
    raise ConfigError("--executor ray needs Ray: pip install 'summarizer[ray]'") from e

from summarizer import _tables as tables

T = TypeVar("T")
_RECORD: TypeAdapter[Record] = TypeAdapter(Record)
_CALLS_PER_ACTOR = 4  # batches an actor works on at once: a slow document holds up only its own


class RayExecutor:
    async def run(
        self, items: Sequence[Item], settings: Settings, done: set[RecordKey], emit: Emit
    ) -> None:
        if not items:
            return
        if any(item.source == documents.STDIN for item in items):
            raise ConfigError("--executor ray reads files and tables, not stdin (-)")
        async with _cluster(settings):
            pool = endpoints(settings) if engines.choose(settings) == "llm" else ()
            run = uuid.uuid4().hex[:8]
            limiters = {
                url: _LIMITER.options(name=f"summarizer-limit {run} {safe_url(url)}").remote(
                    settings.concurrency
                )
                for url in pool
            }
            try:
                work = _work(items, settings, len(pool), done, limiters)
                await _stream(work, emit)
            finally:
                for limiter in limiters.values():
                    ray.kill(limiter)


@asynccontextmanager
async def _cluster(settings: Settings) -> AsyncIterator[None]:
    """The cluster this process is connected to; else one joined (or started) for the run."""
    logging.getLogger("ray.data").setLevel(logging.ERROR)  # no per-run banners on stderr
    if ray.is_initialized():
        yield
        return
    address = settings.ray_address
    try:
        await asyncio.to_thread(
            ray.init,
            address=address,
            include_dashboard=False,
            logging_level=logging.ERROR,
            log_to_driver=False,
        )
    except (ConnectionError, RuntimeError, ValueError) as e:
        where = f"at {address}" if address else "(a local one)"
        raise ConfigError(f"cannot start or join the Ray cluster {where}: {e}") from e
    try:
        yield
    finally:
        await asyncio.to_thread(ray.shutdown)


def _table(item: Item) -> bool:
    return tables.is_table(item.source)


def _work(
    items: Sequence[Item],
    settings: Settings,
    endpoint_count: int,
    done: set[RecordKey],
    limiters: dict[str, ActorHandle[Any]],
) -> Dataset:
    """Every document as a work row, mapped over the actor pool into result rows.

    Each actor holds `ray_batch` documents in flight (by default its share of the request
    slots, and two more), in up to `_CALLS_PER_ACTOR` batches at once.
    """
    cpus = float(ray.cluster_resources().get("CPU", 1.0))  # type: ignore[no-untyped-call]
    actors = settings.ray_actors or max(1, int(cpus))
    in_flight = (
        settings.ray_batch or math.ceil(settings.concurrency * max(1, endpoint_count) / actors) + 2
    )
    batch = math.ceil(in_flight / _CALLS_PER_ACTOR)
    # Blocks of one batch each: an actor takes a block at a time, so blocks spread the work.
    parts: list[Dataset] = []
    # A file's row has no text; a URL's whose shown source hides secrets has the URL to fetch.
    files = [
        {"source": i.source, "text": i.url or "", "kind": "file"} for i in items if not _table(i)
    ]
    if files:
        parts.append(ray.data.from_items(files, override_num_blocks=math.ceil(len(files) / batch)))
    for item in filter(_table, items):
        parts.append(tables.rows(item.source, settings.text_column, settings.id_column, batch))
    rows = parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]
    # A dead actor is restarted and its batch retried by Ray Data's defaults (max_restarts=-1,
    # max_task_retries=-1; passing them is deprecated since Ray 2.60): test_ray kills one.
    work = rows.map_batches(
        _Worker,
        batch_size=batch,
        batch_format="pyarrow",
        compute=ActorPoolStrategy(
            min_size=1,  # fewer blocks than actors is fine (Ray Data warns below its minimum)
            max_size=actors,
            initial_size=actors,
            max_concurrent_calls_per_actor=math.ceil(in_flight / batch),
            enable_true_multi_threading=True,  # the calls share the actor's one event loop
        ),
        num_cpus=min(1.0, max(cpus - 1, cpus / 2) / actors),  # a CPU left for Ray Data's tasks
        fn_constructor_kwargs={"settings": settings, "done": ray.put(done), "limiters": limiters},
    )
    work.context.enable_progress_bars = False  # the CLI draws its own
    return work


async def _stream(work: Dataset, emit: Emit) -> None:
    """Hand each result to `emit` as it reaches the driver, once per (path, hash)."""
    loop = asyncio.get_running_loop()
    arrived: asyncio.Queue[list[dict[str, Any]] | BaseException | None] = asyncio.Queue()
    stop = threading.Event()

    def put(got: list[dict[str, Any]] | BaseException | None) -> None:
        try:
            loop.call_soon_threadsafe(arrived.put_nowait, got)
        except RuntimeError:  # the loop is gone: the run was cancelled
            stop.set()

    def pull() -> None:
        try:
            for batch in work.iter_batches(batch_size=None, batch_format="pyarrow"):
                if stop.is_set():
                    return
                table: pa.Table = batch
                put(table.to_pylist())
            put(None)
        except BaseException as e:  # handed to the loop, which raises it
            put(e)

    threading.Thread(target=pull, name="summarizer-ray-results", daemon=True).start()
    seen: set[RecordKey] = set()
    try:
        while (got := await arrived.get()) is not None:
            if isinstance(got, BaseException):
                raise got
            for row in got:
                outcome = _outcome(row)
                key = _key(outcome)
                if key not in seen:
                    seen.add(key)
                    await emit(Item(row["source"]), outcome)
    finally:
        stop.set()


def _outcome(row: dict[str, Any]) -> Outcome:
    if row["skipped"]:
        return Skipped(row["source"])
    return _RECORD.validate_json(row["record"])


def _key(outcome: Outcome) -> RecordKey:
    """The sink's (path, hash), or the path alone where there is no hash."""
    if isinstance(outcome, Skipped):
        return (os.path.normpath(outcome.source), "skipped")
    found = record_key(outcome)
    if found is not None:
        return found
    source = outcome.source if isinstance(outcome, Failure) else outcome.metadata.source
    return (os.path.normpath(source), "")


class _Worker:
    """One actor of the pool: one Session for its life, on an event loop of its own.

    Ray Data calls it from several threads at once (one per batch in flight); every call
    runs on the one loop, so the batches share the session's clients, cache and leases.
    """

    def __init__(
        self, settings: Settings, done: Any, limiters: dict[str, ActorHandle[Any]]
    ) -> None:
        self._done: set[RecordKey] = ray.get(done)
        token = uuid.uuid4().hex  # this incarnation: a restart is another token
        actor = ray.get_runtime_context().get_actor_id() or token
        ray.get([limiter.register.remote(actor, token) for limiter in limiters.values()])
        leases = {url: _Lease(limiter, token) for url, limiter in limiters.items()}
        self._loop = asyncio.new_event_loop()
        threading.Thread(target=self._loop.run_forever, name="summarizer-loop", daemon=True).start()
        self._session = Session(settings, limits=leases)
        self._turns = asyncio.Lock()  # cleaning in turn, as in a local run
        self._on_loop(self._session.__aenter__())

    def __call__(self, batch: pa.Table) -> pa.Table:
        rows = batch.to_pylist()
        outcomes = self._on_loop(self._summarize(rows))
        return pa.table(
            {
                "source": [row["source"] for row in rows],
                "skipped": [isinstance(o, Skipped) for o in outcomes],
                "record": ["" if isinstance(o, Skipped) else o.model_dump_json() for o in outcomes],
            }
        )

    def __del__(self) -> None:
        """Ray Data drops the worker when the pool shuts down gracefully: close the session."""
        with contextlib.suppress(Exception):  # the process is going away: nothing to lose
            self._on_loop(self._session.aclose(), timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)

    async def _summarize(self, rows: list[dict[str, Any]]) -> list[Outcome]:
        return [recorded(o) for o in await asyncio.gather(*(self._one(row) for row in rows))]

    async def _one(self, row: dict[str, Any]) -> Emitted:
        if row["kind"] == "file":
            item = Item(row["source"], url=row["text"] or None)
            return await summarize_item(item, self._session, self._done, self._turns)
        text: str = row["text"]
        load = partial(documents.parse, text.encode("utf-8"), row["source"])
        return await summarize_item(
            Item(row["source"]), self._session, self._done, self._turns, load=load
        )

    def _on_loop(self, work: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        return asyncio.run_coroutine_threadsafe(work, self._loop).result(timeout)


class _Lease:
    """A slot of an endpoint's limiter, held around one request attempt: the client's Limit."""

    def __init__(self, limiter: ActorHandle[Any], token: str) -> None:
        self._limiter = limiter
        self._token = token

    async def __aenter__(self) -> None:
        granted: ray.ObjectRef[None] = self._limiter.acquire.remote(self._token)
        try:
            await granted
        except asyncio.CancelledError:  # the slot may be granted still: give it back then
            granted.future().add_done_callback(lambda _: self._release())
            raise

    async def __aexit__(self, *exc: object) -> None:
        self._release()

    def _release(self) -> None:
        self._limiter.release.remote(self._token)  # not awaited: the next request need not wait


class _Limiter:
    """Requests in flight to one endpoint, for the whole cluster: slots leased by token.

    A token is one incarnation of a worker. When the worker restarts, its old token's
    slots come back and its old calls still waiting here leave without a slot: a dead
    caller would never give one back.
    """

    def __init__(self, slots: int) -> None:
        self._free = slots
        self._ready = asyncio.Condition()
        self._held: dict[str, int] = {}  # token -> slots it holds
        self._tokens: dict[str, str] = {}  # actor -> the token of its live incarnation
        self._live: set[str] = set()

    async def register(self, actor: str, token: str) -> None:
        """A worker (re)starting: what its previous incarnation held comes back."""
        async with self._ready:
            previous = self._tokens.get(actor)
            self._tokens[actor] = token
            self._live.add(token)
            if previous is not None and previous != token:
                self._live.discard(previous)
                self._free += self._held.pop(previous, 0)
                self._ready.notify_all()

    async def acquire(self, token: str) -> None:
        async with self._ready:
            await self._ready.wait_for(lambda: self._free > 0 or token not in self._live)
            if token in self._live:
                self._free -= 1
                self._held[token] = self._held.get(token, 0) + 1

    async def release(self, token: str) -> None:
        async with self._ready:
            if self._held.get(token, 0) > 0:  # a reclaimed token's late release changes nothing
                self._held[token] -= 1
                self._free += 1
                self._ready.notify()


_LIMITER: Any = ray.remote(num_cpus=0)(_Limiter)  # an async actor: its calls wait concurrently
