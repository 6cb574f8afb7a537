"""How a window is split between prompt, text and answer."""

from __future__ import annotations

import pytest

from summarizer._budget import MIN_ANSWER_TOKENS, MIN_CHUNK_TOKENS, plan
from summarizer._errors import ContextOverflow


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
