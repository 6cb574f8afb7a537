"""What the model does not write: facts and entities merged across chunks, in code.

Overlapping chunks repeat facts, and a model names the same place twice; both are merged
here. The model's names, with the offline rules' beside them, go through the same checks
as the rules' candidates (`_names.resolve`): each must be a name of its kind, occur in the
source, and is kept in the document's script, its full and short forms merged; what is
turned away is counted.
The narrative is then put in the target Chinese script with OpenCC rather than re-asked.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from dataclasses import dataclass, replace

from summarizer import _grounding as grounding
from summarizer import _identity as identity
from summarizer import _language as language
from summarizer import _names as names
from summarizer._answers import CitedEntities, NoteEntities
from summarizer._engines.base import EngineResult
from summarizer._entities import extract_entities
from summarizer._kinds import KIND_RULES
from summarizer._schemas import Entities, EntityStats, Fact

MAX_ENTITIES = 10
_LEVELS = frozenset("省市县区镇乡村州旗")  # the last character of a place before another
_LIST_MARKS = re.compile(r"[、，,;；]|\s+(?:and|&)\s+|[和及与與]")


@dataclass(frozen=True)
class MergedEntities:
    """The names that held, and what happened to the rest of the model's."""

    entities: Entities
    stats: EntityStats


def merge_facts(facts: list[Fact]) -> list[Fact]:
    """One fact per evidence span, in document order."""
    seen: set[str] = set()
    merged = []
    for fact in sorted(facts, key=lambda f: (f.start, f.end)):
        norm = grounding.fold(fact.evidence).text
        if norm in seen:
            continue
        seen.add(norm)
        merged.append(fact)
    return merged


@dataclass(frozen=True)
class NameWork:
    """One document's entity work, in worker threads beside its last request: the only one,
    or the merge. Done after the last answer, it held every result of a batch up (8
    documents at once: +0.36 s); started with the first of several map requests, its turns
    at the GIL held up the answers of the documents behind (the peer bench: +25 ms)."""

    text: str
    language: str
    ruled: asyncio.Future[Entities]

    @classmethod
    def start(cls, text: str, language: str) -> NameWork:
        """`language` is the text's, as `_language.detect` told it."""
        ruled = asyncio.to_thread(_ruled, text, language)
        return cls(text, language, asyncio.ensure_future(ruled))

    def merge(
        self, found: list[NoteEntities] | list[CitedEntities]
    ) -> asyncio.Task[MergedEntities]:
        async def merged() -> MergedEntities:
            ruled = await self.ruled
            return await asyncio.to_thread(merge_entities, found, self.text, ruled, self.language)

        return asyncio.ensure_future(merged())


def merge_entities(
    found: list[NoteEntities] | list[CitedEntities],
    text: str,
    ruled: Entities | None = None,
    lang: str | None = None,
) -> MergedEntities:
    """Names the model reported in any chunk, and the offline rules' (`_ruled`), each
    checked once for its kind; `stats` counts what became of the model's.

    `text` is the cleaned document: its script decides the names' (`_names.to_script`), so
    a Simplified character in a Traditional result is fixed, not passed on. A name the text
    mentions only inside a longer one (臺北市 in 臺北市政府社會局) is part of that one.
    `lang` is the text's language, detected when not given.
    """
    lang = lang or language.detect(text)
    proposed, retyped = _proposed(found, text, lang)
    ruled = ruled if ruled is not None else _ruled(text, lang)
    proposed = {k: list(dict.fromkeys([*ns, *getattr(ruled, k)])) for k, ns in proposed.items()}
    rejected: Counter[str] = Counter()
    by_kind = {}
    for kind, candidates in proposed.items():
        resolution = names.resolve(candidates, kind, text, lang)
        rejected.update(resolution.rejected)
        by_kind[kind] = resolution.entities
    kept = identity.standalone(by_kind)
    rejected["inside_another"] += sum(len(by_kind[k]) - len(kept[k]) for k in kept)
    dropped = rejected.pop("not_in_source", 0)
    stats = EntityStats(
        kept=sum(min(len(es), MAX_ENTITIES) for es in kept.values()),
        dropped_not_in_source=dropped,
        rejected=dict(sorted((k, n) for k, n in rejected.items() if n)),
        retyped=retyped,
    )
    return MergedEntities(identity.as_entities(kept, MAX_ENTITIES), stats)


def _proposed(
    found: list[NoteEntities] | list[CitedEntities], text: str, lang: str
) -> tuple[dict[str, list[str]], int]:
    """The model's names by kind, each once, as the names they hold (`_parts`); and a name
    its own kind's check turns away that exactly one other kind's suffix or gazetteer names
    moved there (青岚县 given as an organisation, Riverton Council as a person). Nothing is
    moved into a person: a shape is no type."""
    typed = [k for k in Entities.model_fields if not KIND_RULES[k].person]
    out: dict[str, list[str]] = {kind: [] for kind in Entities.model_fields}
    moved = 0
    for kind in out:
        for name in dict.fromkeys(n.strip() for e in found for n in getattr(e, kind, [])):
            for part in _parts(name, kind, text, lang):
                home = kind
                if not _fits(part, kind, text, lang):
                    fits = [k for k in typed if k != kind and _fits(part, k, text, lang)]
                    home = fits[0] if len(fits) == 1 else kind
                out[home].append(part)
                moved += home != kind
    return {kind: list(dict.fromkeys(ns)) for kind, ns in out.items()}, moved


def _ruled(text: str, lang: str) -> Entities:
    """The offline rules' names, beside the model's: a small model lists a few names per
    chunk and shortens others (新联会 for 苍岭县新联会, Transit Agency for Riverton Transit
    Agency); the rules find the rest at no cost, and the short forms merge into them."""
    if lang in ("zh-Hans", "zh-Hant", "en"):
        return extract_entities(text, lang != "en", language=lang)
    return Entities()


def _fits(name: str, kind: str, text: str, lang: str) -> bool:
    return names.judge(name, kind, lang, text=text).reason is None


def _parts(name: str, kind: str, text: str, lang: str) -> list[str]:
    """The names a proposed name holds: the items of an enumeration that is no name itself
    (东坪镇、南岗乡、北川乡; Ft. Wayne and Springfield), and the places of a Chinese run of
    places (南岗乡石桥村: 南岗乡, 石桥村)."""
    items = [name]
    if not _fits(name, kind, text, lang):
        split = [item.strip() for item in _LIST_MARKS.split(name)]
        items = split if len(split) > 1 and all(split) else items
    if KIND_RULES[kind].person:
        return items
    return [place for item in items for place in _places_of(item, text, lang)]


def _places_of(name: str, text: str, lang: str) -> list[str]:
    """A Chinese run of places as its places (浙江省宁波市), each a place by the checks;
    anything else as it is."""
    simple = names.simplified(name)
    for i in range(2, len(name) - 1):
        if simple[i - 1] in _LEVELS and _fits(name[:i], "places", text, lang):
            rest = _places_of(name[i:], text, lang)
            if all(_fits(p, "places", text, lang) for p in rest):
                return [name[:i], *rest]
    return [name]


def in_script(result: EngineResult, target: str, text: str = "") -> EngineResult:
    """What the model wrote in the target Chinese script; entities stay as the source has them.

    Always, not only when the script as a whole is wrong: a small model mixes in the odd
    character of the other script. With `text`, the document already in the target script,
    a character the document itself writes is left alone (松竹里 stays 松竹里, where OpenCC
    alone would write 松竹裏): only characters the document writes the other way change.
    """
    if target not in ("zh-Hans", "zh-Hant"):
        return result

    def convert(written: str) -> str:
        return names.to_script(written, target, text)

    return replace(
        result,
        summary=convert(result.summary),
        key_points=[convert(p) for p in result.key_points],
        facts=[f.model_copy(update={"statement": convert(f.statement)}) for f in result.facts],
        citations=[c.model_copy(update={"text": convert(c.text)}) for c in result.citations],
    )
