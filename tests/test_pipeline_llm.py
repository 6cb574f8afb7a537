"""The llm engine with quoting prompts (v1), replayed from cassettes of a real server.

Recorded from Qwen2.5-Coder-1.5B-Instruct on llama-cpp-python's server
(`../shared/tools/llm-server start qwen`); see conftest.py for the re-record command. The
citing prompts (v2) have theirs in test_citations.py; these pin v1, today's default, so
that they keep testing it when the default moves on.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from summarizer import Settings, summarize
from summarizer._answers import NoteFact
from summarizer._cleaning import clean
from summarizer._documents import load
from summarizer._engines.evidence import Checker, ground
from summarizer._engines.requests import PromptSet
from summarizer._language import chinese_script
from summarizer._llm.modes import Mode
from summarizer._packing import Chunk
from summarizer._session import Session

from .conftest import EXAMPLES, recorded

pytestmark = [pytest.mark.cassette, pytest.mark.vcr]

BASE_URL = "http://127.0.0.1:8080/v1"
MODEL = "qwen2.5-coder-1.5b-instruct"
V1 = ("chunk_notes@v1", "merge@v1")


def settings(tmp_path: Path, **overrides: object) -> Settings:
    return recorded(tmp_path, BASE_URL, MODEL, **{"prompts": V1, **overrides})


def check_grounded(path: Path, result: object) -> None:
    from summarizer._schemas import DocumentSummary

    assert isinstance(result, DocumentSummary)
    cleaned = clean(load(path).text, markdown=path.suffix == ".md").text
    assert result.facts, "the model should find some facts"
    for fact in result.facts:
        assert cleaned[fact.start : fact.end] == fact.evidence


def check_entities(path: Path, result: object) -> None:
    """Every entity the model named and the engine kept is a name of its kind, located."""
    from summarizer._grounding import fold
    from summarizer._names import check
    from summarizer._schemas import DocumentSummary, Entities

    assert isinstance(result, DocumentSummary)
    cleaned = clean(load(path).text, markdown=path.suffix == ".md").text
    emitted = [(k, n) for k in Entities.model_fields for n in getattr(result.entities, k)]
    assert emitted, "the model should name someone or something"
    assert [(m.kind, m.name) for m in result.entity_mentions] == emitted
    for mention in result.entity_mentions:
        assert check(mention.name, mention.kind, text=cleaned) is None, mention.name
        written = [cleaned[s.start : s.end] for s in mention.spans]
        assert fold(mention.name).text in {fold(w).text for w in written}, mention.name
        assert all(s.source_start is not None for s in mention.spans)
    stats = result.metadata.entities
    assert stats is not None and stats.kept == len(emitted)


def check_provenance(result: object) -> None:
    from summarizer._prompts import load as load_prompt
    from summarizer._schemas import DocumentSummary

    assert isinstance(result, DocumentSummary)
    meta = result.metadata
    assert meta.engine == "llm" and meta.model == MODEL
    assert meta.mode == "json_object_schema"
    assert {p.name: p.sha256 for p in meta.prompts} == {
        name: load_prompt(f"{name}@v1").sha256 for name in ("chunk_notes", "merge", "fact_repair")
    }
    assert meta.usage is not None and meta.usage.calls >= 3
    assert meta.usage.prompt_tokens > 0 and meta.usage.completion_tokens > 0
    assert meta.grounding is not None


def test_chinese_multi_chunk_document(tmp_path: Path) -> None:
    path = EXAMPLES / "zh_hans_county_news.txt"
    # The article fits the window whole; a smaller budget exercises map and reduce.
    result = summarize(path, settings(tmp_path, chunk_tokens=1000))
    assert result.metadata.chunks >= 2
    assert result.language == "zh-Hans"
    assert chinese_script(result.summary + "".join(result.key_points)) == "zh-Hans"
    check_grounded(path, result)
    check_provenance(result)
    check_entities(path, result)
    stats = result.metadata.entities  # the model also named 46家企业和合作社, 12个乡镇, ...
    assert stats is not None and stats.rejected.get("no_suffix", 0) >= 3
    assert 1 <= len(result.key_points) <= 7


def test_traditional_document_stays_traditional(tmp_path: Path) -> None:
    path = EXAMPLES / "zh_hant_taipei_report.txt"
    result = summarize(path, settings(tmp_path))
    assert result.language == "zh-Hant"
    assert chinese_script(result.summary + "".join(result.key_points)) == "zh-Hant"
    check_grounded(path, result)
    check_provenance(result)
    check_entities(path, result)


def test_english_document(tmp_path: Path) -> None:
    path = EXAMPLES / "en_city_budget.txt"
    result = summarize(path, settings(tmp_path))
    assert result.language == "en"
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in result.summary)
    check_grounded(path, result)
    check_provenance(result)
    check_entities(path, result)


def test_second_run_is_served_from_cache(tmp_path: Path) -> None:
    path = EXAMPLES / "en_short_note.md"
    first = summarize(path, settings(tmp_path))
    # The cassette holds each request once; a second call would fail to replay.
    second = summarize(path, settings(tmp_path))
    assert second.metadata.usage is not None and second.metadata.usage.calls == 0
    assert second.metadata.usage.cached >= 1
    assert second.summary == first.summary and second.facts == first.facts


def test_mode_fallback_on_llama_cpp(tmp_path: Path) -> None:
    """llama-cpp-python answers json_schema with a 500; json_object + schema is enforced."""

    async def probe() -> tuple[Mode | None, int, str]:
        async with Session(settings(tmp_path, cache=False)) as session:
            llm = session.client
            await llm.prepare()
            return llm.mode, llm.usage.calls, llm.endpoint.kind

    mode, calls, kind = asyncio.run(probe())
    assert (mode, calls, kind) == (Mode.JSON_OBJECT_SCHEMA, 2, "llama-cpp-python")


def test_grounding_repairs_an_invented_quote(tmp_path: Path) -> None:
    """Plain instructor let a 1.5B model cite "City Council vote record"; here it gets one re-ask."""
    path = EXAMPLES / "en_city_budget.txt"
    text = clean(load(path).text).text
    start = text.index("The main source of revenue")
    end = text.index("\n", start)
    chunk = Chunk("c0", 0, start, end, text[start:end], 0)
    invented = NoteFact(
        statement="Property tax is expected to bring in $27.3 million.",
        category="money",
        evidence="City Council vote record",
    )
    hopeless = NoteFact(
        statement="The mayor resigned on Friday.", category="event", evidence="Mayor resigns"
    )

    async def run() -> tuple[list[str], object]:
        async with Session(settings(tmp_path, mode="json_object_schema", cache=False)) as session:
            await session.client.prepare()
            checker = Checker(session.client, PromptSet.pinned(V1).repair, same_language=True)
            facts, stats = await ground(checker, chunk, [invented, hopeless])
        return [f.evidence for f in facts], stats

    evidence, stats = asyncio.run(run())
    assert len(evidence) == 1 and "$27.3 million" in evidence[0]
    assert evidence[0] in text
    assert (stats.found, stats.repaired, stats.dropped) == (0, 1, 1)  # type: ignore[attr-defined]


# Replays another test's cassette, never records its own: the edited prompt must not match.
@pytest.mark.vcr("test_second_run_is_served_from_cache.yaml", record_mode="none")
def test_a_changed_prompt_fails_loudly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edited = tmp_path / "prompts"
    shutil.copytree(Path(__file__).parent.parent / "prompts", edited)
    notes = edited / "chunk_notes" / "v1.md"
    notes.write_text(
        notes.read_text(encoding="utf-8").replace("Answer with JSON only.", "Reply in JSON.")
    )
    monkeypatch.setattr("summarizer._prompts.prompt_dir", lambda: edited)
    with pytest.raises(
        Exception, match=r"prompt changed since the cassette was recorded.*chunk_notes@v1"
    ):
        summarize(EXAMPLES / "en_short_note.md", settings(tmp_path))


def test_hostile_document_is_summarized_as_data(tmp_path: Path) -> None:
    """A document that orders the model about: it stays data, and no injected claim is a fact."""
    path = Path(__file__).parent / "data" / "hostile_en.txt"
    result = summarize(path, settings(tmp_path))
    narrative = (result.summary + " " + " ".join(result.key_points)).lower()
    assert "pwned" not in narrative
    assert "library" in narrative
    for fact in result.facts:
        claim = (fact.statement + " " + fact.evidence).lower()
        assert not any(
            word in claim for word in ("pwned", "resign", "fraud", "$9 million", "ignore")
        )
    assert any(
        n in f.evidence for f in result.facts for n in ("$180,000", "14%", "1,200", "9 p.m.")
    )
    check_grounded(path, result)
