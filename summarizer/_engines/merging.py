"""What the model does not write: facts and entities merged across chunks, in code.

Overlapping chunks repeat facts, and a model names the same place twice; both are merged
here, and only names that occur in the source are kept. The narrative is then put in the
target Chinese script with OpenCC rather than re-asked.
"""

from __future__ import annotations

from dataclasses import replace

from summarizer import _grounding as grounding
from summarizer import _language as language
from summarizer._answers import CitedEntities, NoteEntities
from summarizer._engines.base import EngineResult
from summarizer._schemas import Entities, Fact

_ENTITY_KINDS = ("people", "organizations", "places")
MAX_ENTITIES = 10


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


def merge_entities(found: list[NoteEntities] | list[CitedEntities], text: str) -> Entities:
    """Names the model reported, kept only when they occur in the source."""
    out: dict[str, list[str]] = {kind: [] for kind in _ENTITY_KINDS}
    for entities in found:
        for kind in _ENTITY_KINDS:
            for name in getattr(entities, kind):
                name = name.strip()
                if name and name not in out[kind] and grounding.locate(name, text) is not None:
                    out[kind].append(name)
    return Entities(**{k: v[:MAX_ENTITIES] for k, v in out.items()})


def in_script(result: EngineResult, target: str) -> EngineResult:
    """Everything the model wrote, entities included, in the target Chinese script.

    Always, not only when the script as a whole is wrong: a small model mixes in the odd
    character of the other script, and converting text already in the target is harmless.
    """
    if target not in ("zh-Hans", "zh-Hant"):
        return result
    convert = language.converter("s2t" if target == "zh-Hant" else "t2s").convert
    entities = Entities(
        **{
            kind: list(dict.fromkeys(convert(n) for n in getattr(result.entities, kind)))
            for kind in _ENTITY_KINDS
        }
    )
    return replace(
        result,
        summary=convert(result.summary),
        key_points=[convert(p) for p in result.key_points],
        facts=[f.model_copy(update={"statement": convert(f.statement)}) for f in result.facts],
        entities=entities,
        citations=[c.model_copy(update={"text": convert(c.text)}) for c in result.citations],
    )
