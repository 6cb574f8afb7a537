"""Every fault the scripted double (fakeserver.py) can inject, in the middle of a batch.

Faults hit only the requests for DOC-1; DOC-0 and DOC-2 must come through untouched.
A transient fault (first request only) must be recovered from; a persistent one must
either be recovered from or fail DOC-1 alone with a clear one-line error.
"""

from __future__ import annotations

import asyncio
import json
import threading
from pathlib import Path
from typing import Any

import pytest

from summarizer import _batch as batch
from summarizer._config import Settings
from summarizer._language import chinese_script
from summarizer._sinks import JsonlSink

from .fakeserver import MODEL, Reply, document_of, notes_for, serve, user_text


def fault(name: str, request: dict[str, Any]) -> Reply:
    notes = notes_for(request)
    return {
        "rate_limit": Reply(
            status=429, headers={"Retry-After": "0"}, body='{"error": {"message": "slow down"}}'
        ),
        "server_500": Reply(status=500, body='{"error": {"message": "boom"}}'),
        "server_502": Reply(status=502, body="<html>bad gateway</html>"),
        "server_503": Reply(status=503, body='{"error": {"message": "overloaded"}}'),
        "stall": Reply(content=notes, delay=1.0),
        "drop": Reply(drop=True),
        "cut_body": Reply(content=notes, cut=True),
        "malformed_json": Reply(content='{"summary": "unterminated'),
        "schema_invalid": Reply(content='{"summary": 5, "key_points": "none"}'),
        "prose_wrapped": Reply(
            content=f"Sure, here is the JSON you asked for:\n{notes}\nLet me know!"
        ),
        "think_block": Reply(
            content=f"<think>The user wants notes. Let me think.</think>\n{notes}"
        ),
        "length": Reply(content=notes[: len(notes) // 3], finish_reason="length"),
        "empty_choices": Reply(empty_choices=True),
    }[name]


# What a fault that never stops does to DOC-1: None means it is recovered from.
PERSISTENT = {
    "rate_limit": "HTTP 429",
    "server_500": "HTTP 500",
    "server_502": "HTTP 502",
    "server_503": "HTTP 503",
    "stall": "timed out",
    "drop": "cannot connect",
    "cut_body": "cannot connect",
    "malformed_json": "no valid TersePicks",  # the default notes' answer model
    "schema_invalid": "no valid TersePicks",
    "prose_wrapped": None,
    "think_block": None,
    "length": None,  # citing notes keep what a cut answer holds; a long answer fails nothing
    "empty_choices": "empty choices",
}


def docs(folder: Path) -> list[str]:
    folder.mkdir()
    for i in range(3):
        (folder / f"doc{i}.txt").write_text(
            f"DOC-{i} notes.\nThe council approved {i + 2} new parks in 2026, costing ${i + 1}.5 million.\n"
        )
    return [str(folder)]


def run(
    tmp_path: Path, script: Any, **overrides: Any
) -> tuple[batch.Report, dict[str, dict[str, Any]], int]:
    out = tmp_path / "out.jsonl"
    with serve(script) as server:
        settings = Settings.model_validate(
            {
                "base_url": server.base_url,
                "model": MODEL,
                "mode": "json_object",
                "cache": False,
                "backoff": 0.0,
                "max_retries": 2,
                "reasks": 1,
                "timeout": 0.3,
                "concurrency": 2,
                **overrides,
            }
        )
        sink = JsonlSink(out, resume=False)
        try:
            report = asyncio.run(batch.run(docs(tmp_path / "in"), settings, sink))
        finally:
            sink.close()
        calls = len(server.requests)
    records = {}
    for line in out.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        records[Path(record.get("source") or record["metadata"]["source"]).name] = record
    return report, records, calls


def faulty(name: str, *, times: int | None) -> Any:
    """Inject the fault into DOC-1's requests: the first `times` of them, or all."""
    count = 0
    lock = threading.Lock()

    def script(request: dict[str, Any]) -> Reply:
        nonlocal count
        if "DOC-1" in document_of(request):
            with lock:
                count += 1
                hit = times is None or count <= times
            if hit:
                return fault(name, request)
        return Reply(content=notes_for(request))

    return script


@pytest.mark.parametrize("name", sorted(PERSISTENT))
def test_transient_fault_is_recovered(tmp_path: Path, name: str) -> None:
    report, records, _ = run(tmp_path, faulty(name, times=1))
    assert (report.done, report.failed) == (3, 0), records.get("doc1.txt", {}).get("error")
    assert records["doc1.txt"]["facts"], "the recovered document is a full result"


@pytest.mark.parametrize("name", sorted(PERSISTENT))
def test_persistent_fault_fails_only_that_document(tmp_path: Path, name: str) -> None:
    report, records, _ = run(tmp_path, faulty(name, times=None))
    assert "error" not in records["doc0.txt"] and "error" not in records["doc2.txt"]
    expected = PERSISTENT[name]
    if expected is None:
        assert report.failed == 0 and "error" not in records["doc1.txt"]
    else:
        error = records["doc1.txt"]["error"]
        assert report.failed == 1
        assert (
            expected in error
            and "\n" not in error
            and error.startswith(str(tmp_path / "in" / "doc1.txt"))
        )


def test_retries_are_bounded(tmp_path: Path) -> None:
    _, _, calls = run(tmp_path, faulty("server_503", times=None))
    # DOC-0 and DOC-2: one call each; DOC-1: one try + two retries, and nothing more.
    assert calls == 2 + 3


def test_wrong_chinese_script_is_converted(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "hant.txt").write_text(
        "雲和區公所今年編列新臺幣3,500萬元，在18處社區設置共餐據點。\n", encoding="utf-8"
    )

    def simplified(request: dict[str, Any]) -> Reply:
        return Reply(
            content=json.dumps(
                {
                    "summary": "云和区公所编列经费。",
                    "key_points": ["设置共餐据点。"],
                    "facts": [
                        {
                            "statement": "编列新台币3,500万元",
                            "category": "money",
                            "evidence": "编列新台币3,500万元",
                        }
                    ],
                    "entities": {"people": [], "organizations": [], "places": []},
                },
                ensure_ascii=False,
            )
        )

    out = tmp_path / "out.jsonl"
    with serve(simplified) as server:
        settings = Settings(
            base_url=server.base_url,
            model=MODEL,
            mode="json_object",
            cache=False,
            backoff=0.0,
            prompts=("chunk_notes@v1",),  # quoting notes; the citing ones: test_cli.py
        )
        sink = JsonlSink(out, resume=False)
        asyncio.run(batch.run([str(folder)], settings, sink))
        sink.close()
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["summary"] == "雲和區公所編列經費。"
    assert chinese_script(record["summary"] + record["key_points"][0]) == "zh-Hant"
    assert record["facts"][0]["evidence"] == "編列新臺幣3,500萬元"


def test_an_answer_too_long_for_a_chunk_is_retried_on_its_halves(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    sentences = [f"Sentence {i} says the council approved {i + 2} parks in 2026." for i in range(6)]
    (folder / "long.txt").write_text(" ".join(sentences) + "\n")

    def script(request: dict[str, Any]) -> Reply:
        if len(document_of(request)) > 200:  # the whole chunk: never room enough to answer
            return Reply(content='{"summary": "cut', finish_reason="length")
        return Reply(content=notes_for(request))

    out = tmp_path / "out.jsonl"
    with serve(script) as server:
        settings = Settings(
            base_url=server.base_url, model=MODEL, mode="json_object", cache=False, backoff=0.0
        )
        sink = JsonlSink(out, resume=False)
        report = asyncio.run(batch.run([str(folder)], settings, sink))
        sink.close()
        sizes = [len(document_of(r)) for r in server.requests]
    record = json.loads(out.read_text(encoding="utf-8"))
    assert report.done == 1, record.get("error")
    assert sizes[0] > 200 and all(
        size <= 200 for size in sizes[2:]
    )  # whole, whole x2 budget, halves
    assert len(record["facts"]) >= 2 and all(
        f["evidence"] in (folder / "long.txt").read_text() for f in record["facts"]
    )


def test_a_quote_re_ask_that_never_validates_drops_its_fact_not_the_document(
    tmp_path: Path,
) -> None:
    """Seen on the real server: v1's quote re-ask on a 9 KB Chinese report got no valid
    answer twice, and the whole document failed with `no valid Quote`."""

    def script(request: dict[str, Any]) -> Reply:
        if "Statement:" in user_text(request):  # the re-ask for one fact's quote
            return Reply(content='{"quote": null}')
        notes = json.loads(notes_for(request))
        if "DOC-1" in document_of(request) and "facts" in notes:
            invented = {"statement": "The mayor resigned.", "category": "event"}
            notes["facts"].append({**invented, "evidence": "The mayor resigned on Friday."})
        return Reply(content=json.dumps(notes))

    report, records, _ = run(tmp_path, script, prompts=("chunk_notes@v1", "merge@v1"))
    assert (report.done, report.failed) == (3, 0), records.get("doc1.txt", {}).get("error")
    grounding = records["doc1.txt"]["metadata"]["grounding"]
    assert (grounding["found"], grounding["repaired"], grounding["dropped"]) == (1, 0, 1)
    statements = [f["statement"] for f in records["doc1.txt"]["facts"]]
    assert len(statements) == 1 and "mayor" not in statements[0]
