"""The Ray executor on a local cluster (2 CPUs, no dashboard), against the scripted double.

Each test runs a whole batch through `_batch.run(..., executor="ray")`, the library path
the CLI calls; the last two go through the CLI (`--executor ray`) in a subprocess. Faults
are real: a worker process is SIGKILLed mid-request, and a driver process mid-run. The
double holds a request open on an Event until the test has done its kill, so nothing
waits on a timer.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ray = pytest.importorskip("ray", reason="the ray extra is not installed (pip install -e '.[ray]')")
pq = pytest.importorskip("pyarrow.parquet")
pa = pytest.importorskip("pyarrow")

from summarizer import _batch as batch  # noqa: E402
from summarizer._config import Settings  # noqa: E402
from summarizer._schemas import DocumentSummary, Failure, Record  # noqa: E402
from summarizer._sinks import JsonlSink, Sink  # noqa: E402
from summarizer._sinks_parquet import ParquetSink, records  # noqa: E402

from .conftest import ROOT, example_files  # noqa: E402
from .fakeserver import MODEL, Reply, Script, document_of, notes_for, serve  # noqa: E402

# Ray Data 2.60 warns about its own deprecated defaults (use_push_based_shuffle, use_polars)
# whenever it copies a DataContext, as every new Dataset does: nothing of ours sets them.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:ray.data.context")
WORKER = b"MapWorker(MapBatches(_Worker))"


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """One local cluster for the module; its GCS address lets subprocesses join it."""
    ray.init(num_cpus=2, include_dashboard=False, logging_level=logging.ERROR, log_to_driver=False)
    try:
        yield str(ray.get_runtime_context().gcs_address)
    finally:
        ray.shutdown()


def doc_text(i: int) -> str:
    return (
        f"DOC-{i} report.\nThe council approved {i + 2} new parks on March {i + 1}, 2026. "
        f"The parks cost ${i + 1}.5 million in total, and {i + 10}% of residents live nearby.\n"
    )


def make_docs(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (folder / f"doc{i}.txt").write_text(doc_text(i), encoding="utf-8")
    return folder


def llm(server_urls: list[str], **overrides: Any) -> Settings:
    return Settings.model_validate(
        {
            "engine": "llm",
            "base_url": ",".join(server_urls),
            "model": MODEL,
            "mode": "json_object",
            "cache": False,
            "backoff": 0.0,
            **overrides,
        }
    )


def run(
    inputs: list[str], settings: Settings, sink: Sink, executor: str = "ray", **kwargs: Any
) -> batch.Report:
    try:
        return asyncio.run(batch.run(inputs, settings, sink, executor=executor, **kwargs))
    finally:
        sink.close()


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def source_of(record: dict[str, Any]) -> str:
    return str(record.get("source") or record["metadata"]["source"])


def timeless(record: dict[str, Any]) -> dict[str, Any]:
    """A record without what measures time: stage timings and time spent on the server."""
    record = json.loads(json.dumps(record))
    if "metadata" in record:
        record["metadata"]["timings"] = {}
        if record["metadata"].get("usage"):
            record["metadata"]["usage"]["server_ms"] = 0.0
            record["metadata"]["usage"]["stages_ms"] = {}
    return record


def by_source(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    found = {source_of(r): timeless(r) for r in records}
    assert len(found) == len(records), "a document appears twice"
    return found


def descendants_named(name: bytes) -> list[int]:
    """PIDs of this process's descendants whose command line has `name`: the cluster's only."""
    mine = os.getpid()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if name not in (entry / "cmdline").read_bytes():
                continue
        except OSError:
            continue
        pid = int(entry.name)
        while pid > 1 and pid != mine:
            try:
                stat = (Path("/proc") / str(pid) / "stat").read_text()
            except OSError:
                break
            pid = int(stat.rsplit(")", 1)[1].split()[1])  # the parent's PID
        if pid == mine:
            found.append(int(entry.name))
    return found


def holding(document: str) -> tuple[Script, threading.Event, threading.Event]:
    """A script that holds the first request for `document` open until `release` is set."""
    arrived, release = threading.Event(), threading.Event()
    lock = threading.Lock()

    def script(request: dict[str, Any]) -> Reply:
        if document in document_of(request):
            with lock:
                first = not arrived.is_set()
                arrived.set()
            if first:
                release.wait(timeout=120)
        return Reply(content=notes_for(request))

    return script, arrived, release


# --- the same records ------------------------------------------------------------------------


def test_same_records_as_a_local_run_offline(cluster: str, tmp_path: Path) -> None:
    folder = make_docs(tmp_path / "in", 4)
    for example in example_files():
        (folder / example.name).write_bytes(example.read_bytes())
    (folder / "empty.txt").write_bytes(b"")  # a failure record, the same in both
    settings = Settings(engine="extractive", cache=False)
    events: list[tuple[str, str, int, int]] = []
    remote = run(
        [str(folder)],
        settings,
        JsonlSink(tmp_path / "ray.jsonl", resume=False),
        on_event=lambda *e: events.append(e),
    )
    run([str(folder)], settings, JsonlSink(tmp_path / "local.jsonl", resume=False), "local")
    count = len(list(folder.iterdir()))
    assert (remote.done, remote.failed) == (count - 1, 1)
    assert len(events) == count and events[-1][2] == count  # progress saw every outcome
    assert by_source(lines(tmp_path / "ray.jsonl")) == by_source(lines(tmp_path / "local.jsonl"))


def test_same_records_as_a_local_run_through_a_model(cluster: str, tmp_path: Path) -> None:
    folder = make_docs(tmp_path / "in", 6)
    with serve(lambda request: Reply(content=notes_for(request))) as server:
        settings = llm([server.base_url], concurrency=2)
        remote = run([str(folder)], settings, JsonlSink(tmp_path / "ray.jsonl", resume=False))
        run([str(folder)], settings, JsonlSink(tmp_path / "local.jsonl", resume=False), "local")
    assert (remote.done, remote.failed) == (6, 0)
    assert remote.prompt_tokens > 0  # usage counted from the workers' records
    assert by_source(lines(tmp_path / "ray.jsonl")) == by_source(lines(tmp_path / "local.jsonl"))


# --- a pool of endpoints ---------------------------------------------------------------------


def test_a_pool_of_endpoints_shares_the_work_under_one_limit_each(
    cluster: str, tmp_path: Path
) -> None:
    """Two actors with four documents each could send eight requests at once; the limit
    is two per endpoint for the whole cluster, and the double counts what it sees."""
    folder = make_docs(tmp_path / "in", 16)

    def slow(request: dict[str, Any]) -> Reply:
        return Reply(content=notes_for(request), delay=0.3)  # the server's latency, not a wait

    with serve(slow) as first, serve(slow) as second:
        settings = llm([first.base_url, second.base_url], concurrency=2, ray_actors=2, ray_batch=4)
        report = run([str(folder)], settings, JsonlSink(tmp_path / "out.jsonl", resume=False))
        seen = [first.stats, second.stats]
    assert (report.done, report.failed) == (16, 0)
    assert all(stats.requests > 0 for stats in seen), "both endpoints took requests"
    assert all(stats.max_in_flight <= 2 for stats in seen), [s.max_in_flight for s in seen]
    assert max(stats.max_in_flight for stats in seen) == 2, "the limit was reached, not idle"
    endpoints = {r["metadata"]["endpoint"]["base_url"] for r in lines(tmp_path / "out.jsonl")}
    assert endpoints == {first.base_url, second.base_url}


# --- faults ----------------------------------------------------------------------------------


def test_a_worker_killed_mid_document_is_retried_and_its_document_appears_once(
    cluster: str, tmp_path: Path
) -> None:
    """With one request slot, a slot the dead worker held and never gave back would stall
    the run: the restarted worker's registration returns it."""
    folder = make_docs(tmp_path / "in", 8)
    script, arrived, release = holding("DOC-3")
    killed: list[int] = []

    def kill_when_stuck() -> None:
        if arrived.wait(timeout=120):
            for pid in descendants_named(WORKER):
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
        release.set()

    with serve(script) as server:
        killer = threading.Thread(target=kill_when_stuck)
        killer.start()
        settings = llm([server.base_url], concurrency=1, ray_actors=2, ray_batch=2, timeout=60)
        sink = JsonlSink(tmp_path / "out.jsonl", resume=False)
        try:
            report = asyncio.run(
                asyncio.wait_for(batch.run([str(folder)], settings, sink, executor="ray"), 240)
            )
        finally:
            sink.close()
            release.set()
            killer.join()
        asked = [r for r in server.requests if "DOC-3" in document_of(r)]
    assert killed, "no worker was found to kill"
    assert len(asked) >= 2, "DOC-3 was asked again after its worker died"
    assert (report.done, report.failed) == (8, 0)
    records = by_source(lines(tmp_path / "out.jsonl"))
    assert sorted(Path(s).name for s in records) == [f"doc{i}.txt" for i in range(8)]


DRIVER = """
import asyncio, sys
from pathlib import Path
from summarizer import _batch as batch
from summarizer._config import Settings
from summarizer._sinks import JsonlSink
settings = Settings.model_validate_json(sys.argv[1])
sink = JsonlSink(Path(sys.argv[2]), resume=True)
try:
    asyncio.run(batch.run([sys.argv[3]], settings, sink, executor="ray"))
finally:
    sink.close()
"""


def test_a_driver_killed_mid_run_is_carried_on_by_resume(cluster: str, tmp_path: Path) -> None:
    folder = make_docs(tmp_path / "in", 8)
    out = tmp_path / "out.jsonl"
    script, arrived, release = holding("DOC-5")
    with serve(script) as server:
        settings = llm([server.base_url], concurrency=2, ray_address=cluster, ray_actors=2)
        args = [sys.executable, "-c", DRIVER, settings.model_dump_json(), str(out), str(folder)]
        driver = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            assert arrived.wait(timeout=180), "the driver never reached DOC-5"
        finally:
            driver.send_signal(signal.SIGKILL)
            driver.communicate(timeout=60)
            release.set()
        before = out.read_bytes().count(b"\n") if out.exists() else 0  # whole lines only
        assert before < 8
        report = run([str(folder)], settings, JsonlSink(out, resume=True))
    assert (report.skipped, report.done) == (before, 8 - before)
    records = by_source(lines(out))
    assert sorted(Path(s).name for s in records) == [f"doc{i}.txt" for i in range(8)]
    assert all(r["metadata"]["engine"] == "llm" for r in records.values())


# --- tables ----------------------------------------------------------------------------------


def write_tables(folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    parquet = folder / "corpus.parquet"
    table = pa.table({"body": [doc_text(i) for i in range(5)], "key": [f"a{i}" for i in range(5)]})
    pq.write_table(table, parquet, row_group_size=2)  # several row groups: order matters
    jsonl = folder / "more.jsonl"
    rows = [{"body": doc_text(10 + i), "key": f"b{i}"} for i in range(3)]
    rows.append({"body": "", "key": "blank"})  # an empty row: a failure record, not a crash
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return parquet, jsonl


def test_table_rows_are_documents_named_file_and_id(cluster: str, tmp_path: Path) -> None:
    parquet, jsonl = write_tables(tmp_path / "in")
    plain = make_docs(tmp_path / "plain", 1) / "doc0.txt"  # files and tables in one run
    settings = Settings(engine="extractive", cache=False, text_column="body", id_column="key")
    out = tmp_path / "out.jsonl"
    report = run([str(parquet), str(plain), str(jsonl)], settings, JsonlSink(out, resume=False))
    assert (report.done, report.failed) == (9, 1)
    found = by_source(lines(out))
    expected = {f"{parquet}#a{i}" for i in range(5)} | {f"{jsonl}#b{i}" for i in range(3)}
    assert set(found) == expected | {f"{jsonl}#blank", str(plain)}
    assert "approved 4 new parks" in found[f"{parquet}#a2"]["summary"]  # row a2 is DOC-2
    assert found[f"{jsonl}#blank"]["error"].startswith(f"{jsonl}#blank")


def test_table_rows_without_an_id_are_numbered_in_file_order(cluster: str, tmp_path: Path) -> None:
    parquet, _ = write_tables(tmp_path / "in")
    settings = Settings(engine="extractive", cache=False, text_column="body")
    out = tmp_path / "out.jsonl"
    run([str(parquet)], settings, JsonlSink(out, resume=False))
    found = by_source(lines(out))
    assert sorted(found) == [f"{parquet}#{i}" for i in range(5)]
    for i in range(5):
        assert f"approved {i + 2} new parks" in found[f"{parquet}#{i}"]["summary"]
    again = run([str(parquet)], settings, JsonlSink(out, resume=True))
    assert (again.skipped, again.done) == (5, 0)  # the same names on a second read


def test_parquet_output_holds_the_same_records_and_resumes(cluster: str, tmp_path: Path) -> None:
    folder = make_docs(tmp_path / "in", 5)
    (folder / "empty.txt").write_bytes(b"")
    settings = Settings(engine="extractive", cache=False)
    shards = tmp_path / "out"
    run([str(folder)], settings, ParquetSink(shards, resume=False))
    run([str(folder)], settings, JsonlSink(tmp_path / "out.jsonl", resume=False))
    stored: list[Record] = records(shards)
    as_json = [json.loads(r.model_dump_json()) for r in stored]
    assert by_source(as_json) == by_source(lines(tmp_path / "out.jsonl"))
    table = pq.read_table(next(shards.glob("part-*.parquet")))
    assert {"source", "sha256", "error", "summary", "facts", "metadata"} <= set(table.column_names)
    (folder / "empty.txt").write_text(doc_text(9), encoding="utf-8")
    again = run([str(folder)], settings, ParquetSink(shards, resume=True))
    assert (again.skipped, again.done, again.failed) == (5, 1, 0)
    final = records(shards)
    assert len(final) == 6 and not any(isinstance(r, Failure) for r in final)
    assert all(isinstance(r, DocumentSummary) for r in final)


# --- the command line (needs the --executor lines in cli.py) ---------------------------------


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "summarizer", "summarize", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


def test_cli_runs_a_folder_on_the_cluster_and_resumes(cluster: str, tmp_path: Path) -> None:
    folder = make_docs(tmp_path / "in", 4)
    out = tmp_path / "out.jsonl"
    common = ["--executor", "ray", "--ray-address", cluster, "--engine", "extractive"]
    first = cli(str(folder), "-o", str(out), *common, "--no-cache")
    assert first.returncode == 0, first.stderr
    assert sorted(Path(source_of(r)).name for r in lines(out)) == [f"doc{i}.txt" for i in range(4)]
    again = cli(str(folder), "-o", str(out), "--resume", *common, "--no-cache")
    assert again.returncode == 0, again.stderr
    assert len(lines(out)) == 4


def test_cli_writes_parquet_shards_from_a_table(cluster: str, tmp_path: Path) -> None:
    parquet, _ = write_tables(tmp_path / "in")
    shards = tmp_path / "shards"
    done = cli(
        str(parquet),
        "-o",
        f"{shards}/",
        "--format",
        "parquet",
        "--text-column",
        "body",
        "--id-column",
        "key",
        "--executor",
        "ray",
        "--ray-address",
        cluster,
        "--engine",
        "extractive",
        "--no-cache",
    )
    assert done.returncode == 0, done.stderr
    sources = sorted(
        r.source if isinstance(r, Failure) else r.metadata.source for r in records(shards)
    )
    assert sources == [f"{parquet}#a{i}" for i in range(5)]


def test_urls_are_fetched_by_the_workers_a_login_too(cluster: str, tmp_path: Path) -> None:
    from .pages import Page, serve

    text = doc_text(1).encode()
    pages = {"/a": Page(text, "text/plain"), "/p": Page(text, "text/plain", login="ana:pw9")}
    with serve(pages) as site:
        host = site.base.removeprefix("http://")
        urls = [f"{site.base}/a", f"http://ana:pw9@{host}/p", f"{site.base}/gone"]
        out = tmp_path / "out.jsonl"
        report = run(urls, Settings(engine="extractive", cache=False), JsonlSink(out, resume=False))
    assert (report.done, report.failed) == (2, 1)
    found = by_source(lines(out))
    assert set(found) == {urls[0], f"http://ana:***@{host}/p", urls[2]}
    assert found[urls[2]]["error"] == f"{urls[2]}: HTTP 404"
    assert "pw9" not in out.read_text()


# --- the limiter, in this process ------------------------------------------------------------


def test_the_limiter_takes_back_a_dead_incarnations_slots_and_waiters() -> None:
    from summarizer._executors.ray import _Limiter

    async def scenario() -> None:
        limiter = _Limiter(1)
        await limiter.register("actor-a", "a1")
        await limiter.register("actor-b", "b1")
        await limiter.acquire("a1")  # a1 holds the only slot, then its process dies
        dead_waiter = asyncio.create_task(limiter.acquire("a1"))
        waiter = asyncio.create_task(limiter.acquire("b1"))
        await asyncio.sleep(0)  # one turn of the loop (no timer): both are now waiting
        assert not waiter.done() and not dead_waiter.done()
        await limiter.register("actor-a", "a2")  # the restart: a1's slot and its waiter go
        await asyncio.wait_for(asyncio.gather(dead_waiter, waiter), 5)
        assert (limiter._free, limiter._held) == (0, {"b1": 1})  # b1 got it, a1's waiter not
        await limiter.release("a1")  # a late release from the dead one changes nothing
        assert limiter._free == 0
        await limiter.release("b1")
        assert (limiter._free, limiter._held) == (1, {"b1": 0})

    asyncio.run(scenario())
