from __future__ import annotations

import pytest
from pydantic import ValidationError

from summarizer._schemas import Fact


def test_fact_span_must_match_evidence_length() -> None:
    Fact(statement="s", category="number", evidence="32个", start=10, end=13)
    with pytest.raises(ValidationError, match="end - start"):
        Fact(statement="s", category="number", evidence="32个", start=10, end=20)


def test_fact_category_is_closed() -> None:
    with pytest.raises(ValidationError):
        Fact(statement="s", category="rumour", evidence="x", start=0, end=1)  # type: ignore[arg-type]
