"""A user's code: what a newsletter shows for a document, a headline and quoted facts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import summarizer


@dataclass(frozen=True)
class Digest:
    headline: str
    points: list[str]
    quotes: list[str]  # verbatim from the document, so a reader can check them


def digest(path: str | Path, client: summarizer.Summarizer) -> Digest:
    result = client.summarize(path)
    headline = result.key_points[0] if result.key_points else result.summary
    return Digest(headline, result.key_points[:3], [fact.evidence for fact in result.facts])
