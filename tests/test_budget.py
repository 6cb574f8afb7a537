"""How a window is split between prompt, text and answer."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from summarizer import DocumentSummary, Settings, summarize
from summarizer._budget import MIN_ANSWER_TOKENS, MIN_CHUNK_TOKENS, plan
from summarizer._errors import ContextOverflow
from summarizer._tokens import estimate_tokens

from .conftest import EXAMPLES
from .fakeserver import MODEL, Reply, serve, user_text, well_behaved


def test_a_roomy_window_gives_the_prompt_its_answer_budget() -> None:
    budget = plan(4096, 741, 1536)
    assert budget.answer == 1536
    assert budget.chunk == 4096 - 741 - 1536 - 64  # as before the window decided: no change


def test_a_small_window_shrinks_the_answer_before_the_text() -> None:
    budget = plan(2048, 741, 1536)
    assert MIN_ANSWER_TOKENS <= budget.answer < 1536
    assert budget.chunk >= 600, "a short note still fits one chunk"
    assert 741 + budget.answer + budget.chunk + 64 <= 2048


def test_chunk_tokens_asks_for_less_never_more() -> None:
    assert plan(4096, 741, 1536, wanted_chunk=300).chunk == 300
    assert plan(4096, 741, 1536, wanted_chunk=99_999).chunk == 1755


def test_a_window_too_small_names_the_smallest_that_works() -> None:
    smallest = 741 + 64 + MIN_ANSWER_TOKENS + MIN_CHUNK_TOKENS
    with pytest.raises(ContextOverflow, match=f"at least {smallest} tokens"):
        plan(1024, 741, 1536)
    assert plan(smallest, 741, 1536).chunk == MIN_CHUNK_TOKENS


def test_chunk_tokens_leaves_the_answer_what_small_chunks_do_not_need() -> None:
    assert plan(2048, 741, 1536).answer < 1536 - 741  # the answer gave up room to text
    budget = plan(2048, 741, 1536, wanted_chunk=300)
    assert budget.chunk == 300 and budget.answer == 2048 - 741 - 64 - 300


# --- through the engine, against the scripted double (tests/fakeserver.py, not a model) ---


def run_on_window(window: int, path: Path) -> tuple[DocumentSummary, list[dict[str, Any]]]:
    """`path` summarized by the v1 (quoting) engine in json_schema mode on a `window`."""
    with serve(well_behaved) as server:
        settings = Settings(
            base_url=server.base_url, model=MODEL, mode="json_schema", context_window=window
        )
        result = summarize(path, settings.model_copy(update={"cache": False}))
    return result, server.requests


def prompt_tokens(request: dict[str, Any]) -> int:
    """As the client counts a json_schema request: the schema is the server's, not prompt."""
    return sum(estimate_tokens(m["content"]) + 8 for m in request["messages"])


def kinds(requests: list[dict[str, Any]]) -> list[str]:
    return ["merge" if "<notes>" in user_text(r) else "notes" for r in requests]


def long_page() -> str:
    towns = ("Riverton", "Harbor Point", "Millbrook", "Cedar Falls", "Oakdale", "Pinehurst")
    lines = ["# Regional housing report", ""]
    for year in range(1940, 2026):
        town = towns[year % len(towns)]
        lines.append(
            f"In {year} the town of {town} finished {year % 97 + 40} new homes, and its "
            f"council spent ${year % 13 + 2}.{year % 10} million on roads, parks and schools."
        )
    return "\n\n".join(lines) + "\n"


def test_a_2048_window_reads_a_short_note_in_one_call() -> None:
    result, requests = run_on_window(2048, EXAMPLES / "en_short_note.md")
    assert result.metadata.chunks == 1
    assert kinds(requests) == ["notes"], "one call for the notes, no merge"
    (request,) = requests
    assert MIN_ANSWER_TOKENS <= request["max_tokens"] < 1536  # the prompt file's 1536 gave way
    assert prompt_tokens(request) + request["max_tokens"] <= 2048
    assert result.facts


def test_a_2048_window_reads_a_long_page_in_several_chunks(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(long_page(), encoding="utf-8")
    small, requests = run_on_window(2048, page)
    roomy, _ = run_on_window(8192, page)
    assert small.metadata.chunks >= 3 > roomy.metadata.chunks
    assert kinds(requests).count("notes") == small.metadata.chunks
    assert "merge" in kinds(requests)
    for request in requests:
        assert prompt_tokens(request) + request["max_tokens"] <= 2048


def test_a_window_too_small_for_any_request_is_one_error_naming_one_that_works() -> None:
    with serve(well_behaved) as server:
        settings = Settings(
            base_url=server.base_url, model=MODEL, mode="json_schema", context_window=512
        )
        with pytest.raises(ContextOverflow, match=r"at least (\d+) tokens") as caught:
            summarize(EXAMPLES / "en_short_note.md", settings.model_copy(update={"cache": False}))
        assert server.requests == [], "nothing is sent"
    message = str(caught.value)
    assert "\n" not in message and "(512 tokens)" in message
    smallest = int(re.search(r"at least (\d+) tokens", message).group(1))  # type: ignore[union-attr]
    result, requests = run_on_window(smallest, EXAMPLES / "en_short_note.md")
    assert result.summary and all(prompt_tokens(r) + r["max_tokens"] <= smallest for r in requests)


def cut_merges(request: dict[str, Any]) -> Reply:
    """Notes as asked; every merge runs to max_tokens, whatever the room."""
    if "<notes>" in user_text(request):
        return Reply(content='{"summary": "The parts', finish_reason="length")
    return well_behaved(request)


@pytest.mark.parametrize("pins", [("chunk_notes@v1",), ()], ids=["quoting", "default"])
def test_a_merge_cut_even_with_room_to_finish_keeps_the_parts_own_narrative(
    tmp_path: Path, pins: tuple[str, ...]
) -> None:
    page = tmp_path / "page.md"
    page.write_text(long_page(), encoding="utf-8")
    with serve(cut_merges) as server:
        settings = Settings(
            base_url=server.base_url,
            model=MODEL,
            mode="json_schema",
            context_window=2048,
            prompts=pins,
        )
        result = summarize(page, settings.model_copy(update={"cache": False}))
    merges = [r for r in server.requests if "<notes>" in user_text(r)]
    assert result.metadata.chunks >= 3 and len(merges) == 2, "asked, and once more with room"
    assert merges[1]["max_tokens"] > merges[0]["max_tokens"]
    assert result.summary.startswith("Regional housing report")
    if not pins:  # citing: the parts' first sentences, each checked against what it cites
        assert len(result.citations) >= 2 and result.summary.count(".") >= 2
        # Each part's key point (its first sentence, as the double writes it) is kept: as a
        # key point, or as the fact it repeats word for word, which stays in its place.
        firsts = {s.rstrip(".") for s in result.summary.split(". ")}
        kept = {k.rstrip(".") for k in result.key_points}
        kept |= {f.statement.rstrip(".") for f in result.facts}
        assert len(firsts) >= 3 and firsts <= kept and result.key_points
    else:  # quoting: every part's summary, joined
        assert "In 2014" in result.summary
        assert len(result.key_points) >= 2
