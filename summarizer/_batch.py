"""Batches: many documents, one JSON line each, nothing lost when a run dies.

Inputs are files, directories (searched recursively for supported suffixes, never
following a symlinked directory, so a symlink loop cannot trap the walk) and globs. Each
document's line is appended as soon as it is done, with one `write` on an `O_APPEND`
descriptor and an fsync, so a killed run leaves whole lines; a torn last line from a crash
mid-write is cut off when the file is next opened. `--resume` skips documents whose content
hash already has a result; failures are tried again and the file is compacted at the end so
every document appears exactly once.
"""

from __future__ import annotations

import asyncio
import glob
import json
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from summarizer import _documents as documents
from summarizer import _pipeline as pipeline
from summarizer._cache import Cache
from summarizer._config import Settings
from summarizer._errors import DocumentError, OutputError, SummarizerError

_GLOB_CHARS = set("*?[")


@dataclass(frozen=True)
class Item:
    """One input: a path to summarize, or the error that stopped it before loading."""

    source: str
    error: str | None = None


def expand(inputs: Iterable[str]) -> list[Item]:
    """The documents the inputs name, each once, in a stable order."""
    items: list[Item] = []
    seen: set[str] = set()

    def add(source: str, error: str | None = None) -> None:
        ident = source if error else os.path.abspath(source)
        if ident not in seen:
            seen.add(ident)
            items.append(Item(source, error))

    for raw in inputs:
        path = Path(raw)
        if raw == documents.STDIN:
            add(raw)
        elif path.is_dir():
            found_any = _walk(path)
            if not found_any:
                add(
                    raw,
                    f"{raw}: no supported documents ({', '.join(sorted(documents.SUFFIXES))}) found",
                )
            for found in found_any:
                add(found)
        elif _GLOB_CHARS & set(raw) and not path.exists():
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                add(raw, f"{raw}: no files match")
            for match in matches:
                if Path(match).is_dir():
                    for found in _walk(Path(match)):
                        add(found)
                else:
                    add(match)
        else:
            add(raw)
    return items


def _walk(root: Path) -> list[str]:
    found = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs.sort()
        for name in sorted(files):
            if Path(name).suffix.lower() in documents.SUFFIXES:
                found.append(os.path.join(folder, name))
    return found


class JsonlSink:
    """An append-only JSON Lines file of results, one whole line per document.

    With no path it writes to standard output, where there is nothing to resume.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        if path is None:
            self._fd = 1
            return
        try:
            _trim_torn_tail(path)
            self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        except OSError as e:
            raise OutputError(f"{path}: cannot open for appending: {e.strerror or e}") from e

    def write(self, record: dict[str, Any]) -> None:
        line = _line(record).encode("utf-8")
        try:
            written = os.write(self._fd, line)  # one write on O_APPEND: lines never interleave
            while written < len(line):  # only pipes write short; files take the whole line
                written += os.write(self._fd, line[written:])
            if self.path is not None:
                os.fsync(self._fd)
        except OSError as e:
            raise OutputError(f"{self.path or '<stdout>'}: cannot write: {e.strerror or e}") from e

    def close(self) -> None:
        if self.path is not None:
            os.close(self._fd)


def _line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def _trim_torn_tail(path: Path) -> None:
    """Cut a last line that a crash left without its newline."""
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb+") as handle:
        handle.seek(-1, os.SEEK_END)
        if handle.read(1) == b"\n":
            return
        data = path.read_bytes()
        handle.truncate(data.rfind(b"\n") + 1)


def read_results(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            records.append(json.loads(line))
        except ValueError:
            continue  # a torn line; the sink cuts it when it next opens the file
    return records


def record_hash(record: dict[str, Any]) -> str | None:
    if "error" in record:
        value = record.get("sha256")
    else:
        value = record.get("metadata", {}).get("document", {}).get("sha256")
    return value if isinstance(value, str) and value else None


def done_hashes(path: Path) -> set[str]:
    """Content hashes that already have a result (not a failure) in the output."""
    return {h for r in read_results(path) if "error" not in r and (h := record_hash(r))}


def compact(path: Path) -> None:
    """One line per document: a result replaces failures of the same file or content."""
    records = read_results(path)
    succeeded_sources = {_source(r) for r in records if "error" not in r}
    succeeded_hashes = {record_hash(r) for r in records if "error" not in r}
    kept, seen = [], set()
    for record in records:
        ident = record_hash(record) or _source(record)
        if "error" in record and (
            _source(record) in succeeded_sources or ident in succeeded_hashes
        ):
            continue
        if ident in seen:
            continue
        seen.add(ident)
        kept.append(record)
    if len(kept) == len(records):
        return
    tmp = path.with_name(f".{path.name}.compact")
    with tmp.open("w", encoding="utf-8") as handle:
        for record in kept:
            handle.write(_line(record))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _source(record: dict[str, Any]) -> str:
    return str(record.get("source") or record.get("metadata", {}).get("source"))


@dataclass
class Report:
    """What a batch did; the CLI shows it as a table."""

    done: int = 0
    failed: int = 0
    skipped: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    failures: list[tuple[str, str]] = field(default_factory=list)


Event = Callable[[str, str, int, int], None]  # (kind, source, finished, total)


async def run(
    inputs: Iterable[str],
    settings: Settings,
    sink: JsonlSink,
    *,
    resume: bool = False,
    on_event: Event | None = None,
) -> Report:
    """Summarize every input into the sink; one failure never stops the others."""
    started = time.perf_counter()
    items = expand(inputs)
    report = Report()
    skip = done_hashes(sink.path) if resume and sink.path else set()
    finished = 0
    llm = None
    cache = Cache(settings.cache_path)
    if settings.chosen_engine == "llm":
        from summarizer._llm import connect

        llm = connect(settings, cache)
    # Documents in flight are bounded too, so a huge folder is not loaded all at once: enough
    # to keep every request slot busy while documents wait on their merge, and few enough that
    # their cleaning does not hold back the first requests. The LLM bounds the calls.
    documents_in_flight = asyncio.Semaphore(settings.concurrency + 8)
    turns = asyncio.Lock()  # at cleaning, so the first documents reach the model first

    def note(kind: str, source: str) -> None:
        if on_event is not None:
            on_event(kind, source, finished, len(items))

    async def one(item: Item) -> None:
        nonlocal finished
        async with documents_in_flight:
            record = await _summarize_item(item, settings, skip, llm, turns)
        if record is None:
            report.skipped += 1
            kind = "skipped"
        else:
            sink.write(record)
            if "error" in record:
                report.failed += 1
                report.failures.append((item.source, record["error"]))
                kind = "failed"
            else:
                report.done += 1
                usage = record["metadata"].get("usage") or {}
                report.prompt_tokens += usage.get("prompt_tokens", 0)
                report.completion_tokens += usage.get("completion_tokens", 0)
                kind = "done"
        finished += 1
        note(kind, item.source)

    try:
        if llm is not None and items:
            await llm.prepare()  # once, before documents queue up behind its lock
        await asyncio.gather(*(one(item) for item in items))
    finally:
        if llm is not None:
            await llm.aclose()
        cache.close()
    if resume and sink.path is not None:
        compact(sink.path)
    report.seconds = time.perf_counter() - started
    return report


async def _summarize_item(
    item: Item, settings: Settings, skip: set[str], llm: Any, turns: asyncio.Lock
) -> dict[str, Any] | None:
    """The line for one input, or None when `--resume` finds it already done."""
    if item.error is not None:
        return {"source": item.source, "error": item.error, "sha256": None}
    digest: str | None = None
    try:
        timings = pipeline.Timings()
        with timings.stage("load"):
            document = await asyncio.to_thread(documents.load, item.source)
        digest = document.sha256
        if digest in skip:
            return None
        result = await pipeline.asummarize_document(
            document, settings, timings, llm=llm, turns=turns
        )
    except SummarizerError as e:
        message = str(e) if isinstance(e, DocumentError) else f"{item.source}: {e}"
        return {"source": item.source, "error": message, "sha256": digest}
    except Exception as e:  # a bug in one document must not end the batch
        return {
            "source": item.source,
            "error": f"{item.source}: internal error: {type(e).__name__}: {e}",
            "sha256": digest,
        }
    data: dict[str, Any] = result.model_dump(mode="json")
    return data
