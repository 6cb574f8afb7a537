"""Replays cassettes/test_digest/test_digest_quotes_the_note.yaml: no server needed."""

from __future__ import annotations

from pathlib import Path

from digest import digest

import summarizer

NOTE = Path(__file__).parent / "data" / "note.txt"


def test_digest_quotes_the_note(summarizer_client: summarizer.Summarizer) -> None:
    result = digest(NOTE, summarizer_client)
    assert result.headline and result.points
    text = " ".join(NOTE.read_text(encoding="utf-8").split())
    assert all(quote in text for quote in result.quotes), "quotes are the note's own words"
