"""The requests the map-reduce engine sends, rendered from versioned prompt files.

A document's text goes between `<document>` tags that it cannot close (its own tags are
defused), and each request carries its prompts' labels as a header, so a cassette recorded
with another prompt fails with a message that names it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from summarizer import _prompts as prompts
from summarizer._llm import Request
from summarizer._schemas import MAX_KEY_POINTS, MAX_NOTE_FACTS, MAX_NOTE_POINTS

LANGUAGE_NAMES = {
    "zh-Hans": "Simplified Chinese (简体中文)",
    "zh-Hant": "Traditional Chinese (繁體中文)",
    "en": "English",
    "ja": "Japanese",
    "ko": "Korean",
    "fr": "French",
    "de": "German",
    "es": "Spanish",
}
_OUR_TAGS = re.compile(r"<(/?)(document|notes)>", re.I)


@dataclass(frozen=True)
class PromptSet:
    """The prompts one document's run uses, each pinned or the newest."""

    notes: prompts.Prompt
    merge: prompts.Prompt
    repair: prompts.Prompt

    @classmethod
    def pinned(cls, refs: tuple[str, ...]) -> PromptSet:
        pins = dict(prompts.parse_ref(ref) for ref in refs)
        directory = prompts.prompt_dir()
        return cls(
            notes=_load("chunk_notes", pins.get("chunk_notes"), directory),
            merge=_load("merge", pins.get("merge"), directory),
            repair=_load("fact_repair", pins.get("fact_repair"), directory),
        )

    @property
    def refs(self) -> list[prompts.PromptRef]:
        return [self.notes.ref, self.merge.ref, self.repair.ref]


@lru_cache(maxsize=64)
def _load(name: str, version: int | None, directory: Path) -> prompts.Prompt:
    """Once per process: finding the file costs milliseconds, and a batch asks per document."""
    return prompts.load(name if version is None else f"{name}@v{version}", directory)


def language_name(tag: str) -> str:
    return LANGUAGE_NAMES.get(tag, tag)


def as_data(text: str) -> str:
    """The text with our delimiters defused, so a document cannot close its own <document>."""
    return _OUR_TAGS.sub(r"<\1\2_>", text)


def _request(prompt: prompts.Prompt, **variables: Any) -> Request:
    p = prompt.parameters
    return Request(
        prompt.render(**variables), p.temperature, p.max_tokens, p.seed, [prompt.ref.label]
    )


def notes_request(
    prompt: prompts.Prompt, text: str, part: int, parts: int, title: str | None, target: str
) -> Request:
    return _request(
        prompt,
        text=as_data(text),
        part=part,
        parts=parts,
        title=title,
        language_name=language_name(target),
        max_points=MAX_NOTE_POINTS,
        max_facts=MAX_NOTE_FACTS,
    )


def merge_request(prompt: prompts.Prompt, notes: list[Any], target: str) -> Request:
    return _request(
        prompt,
        notes=notes,
        language_name=language_name(target),
        min_points=3,
        max_points=MAX_KEY_POINTS,
    )


def repair_request(prompt: prompts.Prompt, excerpt: str, statement: str) -> Request:
    return _request(prompt, text=as_data(excerpt), statement=statement)
