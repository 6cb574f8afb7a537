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

from pydantic import BaseModel

from summarizer import _prompts as prompts
from summarizer._answers import (
    MAX_BRIEF_MERGED,
    MAX_CITED,
    MAX_KEY_POINTS,
    MAX_MERGED_SENTENCES,
    MAX_NOTE_ENTITIES,
    MAX_NOTE_FACTS,
    MAX_NOTE_POINTS,
    MIN_NOTE_FACTS,
    MIN_NOTE_POINTS,
    max_items,
)
from summarizer._errors import PromptError
from summarizer._llm.client import Request

CITING = 2  # the first version of chunk_notes and merge that cites sentence numbers
BRIEF = 3  # the first that asks for fewer, shorter claims and no names (`_answers.BriefPicks`)
# The first whose sentences are `n<TAB>text` lines, whose claims are ["text", n] pairs
# (`_answers.TersePicks`), and whose asks scale with the part (`claims_for`).
TERSE = 4
SENTENCES_PER_POINT = 5  # a 12-sentence notice bears 2 key points, a 25-sentence report 5
# The notes and merge used when neither is pinned: terse citing notes (v4). On the real
# server v3 beat quoting (v1) with more supported facts, 0.47x the completion tokens and
# 0.41x the time on 12 documents; v4 beat v3 again (README, "Choosing prompts and models").
DEFAULT_NOTES = 4

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
        """The pinned versions, else DEFAULT_NOTES (fact_repair: the newest).

        chunk_notes and merge go together: quoting notes (v1) cannot be merged by a citing
        merge (v2) or the other way round, so pinning one of the two pins the other to the
        same version when it has one.
        """
        pins = dict(prompts.parse_ref(ref) for ref in refs)
        directory = prompts.prompt_dir()
        if "chunk_notes" not in pins and "merge" not in pins:
            pins["chunk_notes"] = DEFAULT_NOTES
        for one, other in (("chunk_notes", "merge"), ("merge", "chunk_notes")):
            version = pins.get(one)
            if other not in pins and version in prompts.versions(other, directory):
                pins[other] = version
        chosen = cls(
            notes=_load("chunk_notes", pins.get("chunk_notes"), directory),
            merge=_load("merge", pins.get("merge"), directory),
            repair=_load("fact_repair", pins.get("fact_repair"), directory),
        )
        if (chosen.notes.meta.version >= CITING) != (chosen.merge.meta.version >= CITING):
            raise PromptError(
                f"{chosen.notes.ref.name}@v{chosen.notes.meta.version} and "
                f"{chosen.merge.ref.name}@v{chosen.merge.meta.version} do not go together: "
                f"from v{CITING} on, notes cite sentence numbers instead of quoting"
            )
        return chosen

    @property
    def cites(self) -> bool:
        """Notes that cite numbered sentences (v2 on) rather than quote evidence (v1)."""
        return self.notes.meta.version >= CITING

    @property
    def refs(self) -> list[prompts.PromptRef]:
        """The prompts a result used: citing notes never ask for a quote again."""
        if self.cites:
            return [self.notes.ref, self.merge.ref]
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


def _request(
    prompt: prompts.Prompt, max_tokens: int | None = None, target: str = "", **variables: Any
) -> Request:
    """`max_tokens`, when the window set it (`_budget.plan`), else the prompt file's own;
    an answer in `target` (a language tag) written in CJK characters is marked so."""
    p = prompt.parameters
    return Request(
        prompt.render(**variables),
        p.temperature,
        max_tokens or p.max_tokens,
        p.seed,
        [prompt.ref.label],
        cjk=target.split("-")[0] in _CJK_LANGUAGES,
    )


_CJK_LANGUAGES = ("zh", "ja", "ko")


def notes_request(
    prompt: prompts.Prompt,
    text: str,
    part: int,
    parts: int,
    title: str | None,
    target: str,
    max_tokens: int | None = None,
) -> Request:
    return _request(
        prompt,
        max_tokens,
        target,
        text=as_data(text),
        part=part,
        parts=parts,
        title=title,
        language_name=language_name(target),
        max_points=MAX_NOTE_POINTS,
        max_facts=MAX_NOTE_FACTS,
    )


def merge_request(
    prompt: prompts.Prompt, notes: list[Any], target: str, max_tokens: int | None = None
) -> Request:
    return _request(
        prompt,
        max_tokens,
        target,
        notes=notes,
        language_name=language_name(target),
        min_points=3,
        max_points=MAX_KEY_POINTS,
    )


def repair_request(prompt: prompts.Prompt, excerpt: str, statement: str) -> Request:
    return _request(prompt, text=as_data(excerpt), statement=statement)


def cited_notes_request(
    prompt: prompts.Prompt,
    numbered_text: str,
    part: int,
    parts: int,
    title: str | None,
    target: str,
    *,
    answer: type[BaseModel],
    extractive: bool,
    sentences: int,
    max_tokens: int | None = None,
) -> Request:
    """Notes on `sentences` numbered sentences, answered with their numbers as `answer`
    holds them, whose schema's list limits the prompt states (from v4, scaled down to what
    a short part bears: a 9-line notice asked for 3 key points got its lines copied back)."""
    max_summary = max_items(answer, "summary")
    min_points, max_points = MIN_NOTE_POINTS, max_items(answer, "key_points")
    if prompt.meta.version >= TERSE:
        max_summary, min_points, max_points = claims_for(sentences, max_summary, max_points)
    return _request(
        prompt,
        max_tokens,
        target,
        text=as_data(numbered_text),
        part=part,
        parts=parts,
        title=title,
        language_name=language_name(target),
        min_summary=1,
        max_summary=max_summary,
        min_points=min_points,
        max_points=max_points,
        min_facts=MIN_NOTE_FACTS,
        max_facts=max_items(answer, "facts"),
        max_cited=MAX_CITED,
        max_names=MAX_NOTE_ENTITIES,
        extractive=extractive,
    )


def claims_for(sentences: int, max_summary: int, max_points: int) -> tuple[int, int, int]:
    """How many summary sentences (at most) and key points (at least, at most) a part of
    `sentences` sentences is asked for."""
    points = max(1, min(max_points, sentences // SENTENCES_PER_POINT))
    return (1 if points < 3 else max_summary), max(1, points - 1), points


def cited_merge_request(
    prompt: prompts.Prompt, notes: list[Any], target: str, max_tokens: int | None = None
) -> Request:
    """`notes` have `summary` and `key_points`, each claim with `text` and `sentences`."""
    brief = prompt.meta.version >= BRIEF
    return _request(
        prompt,
        max_tokens,
        target,
        notes=notes,
        language_name=language_name(target),
        min_points=3,
        max_points=MAX_NOTE_POINTS if brief else MAX_KEY_POINTS,
        max_summary=MAX_BRIEF_MERGED if brief else MAX_MERGED_SENTENCES,
        max_cited=MAX_CITED,
    )
