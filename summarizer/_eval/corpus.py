"""The documents as eval sees them: the cleaned text the offsets of every result refer to.

Each document is loaded and cleaned once, the way the pipeline does, so a fact's
`start`/`end` and a citation's spans index `Doc.cleaned` for every variant alike. The
sentences worth citing (those with a number or a named entity) are found by the offline
rules, never by a variant, so coverage has one denominator for all of them.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from summarizer import _cleaning as cleaning
from summarizer import _documents as documents
from summarizer import _language as language
from summarizer._entities import extract_entities
from summarizer._grounding import numbers
from summarizer._inputs import expand
from summarizer._schemas import Entities
from summarizer._sentences import Span, split_sentences


@dataclass(frozen=True)
class Doc:
    source: str
    cleaned: str
    language: str
    sentences: tuple[Span, ...]
    key_sentences: tuple[int, ...]  # indices into `sentences`: a number or an entity in each

    @property
    def stem(self) -> str:
        return Path(self.source).stem


def read(source: str) -> Doc:
    document = documents.load(source)
    cleaned = cleaning.clean(document.text, markdown=document.format == "markdown").text
    lang = language.detect(cleaned)
    sentences = tuple(split_sentences(cleaned))
    entities = extract_entities(cleaned, language.is_chinese(lang))
    names = [n for kind in Entities.model_fields for n in getattr(entities, kind) if n]
    key = tuple(
        i
        for i, (start, end) in enumerate(sentences)
        if numbers(cleaned[start:end]) or any(n in cleaned[start:end] for n in names)
    )
    return Doc(source, cleaned, lang, sentences, key)


async def read_all(inputs: list[str], *, outputs: list[Path] | None = None) -> list[Doc]:
    """Files, folders and globs, each document once; one that cannot be read stops eval.

    An input that is also one of the `outputs` is refused, however it is reached.
    """
    items = expand(inputs, outputs=outputs or [])
    return list(await asyncio.gather(*(asyncio.to_thread(read, i.source) for i in items)))
