"""A result's entities as its schema promises them: each a name of its kind, each located.

Whichever engine named them (the offline rules, a model), the pipeline holds its names to
this once more before they are emitted: each is checked for its kind (`_names`), located
in the cleaned text with its short forms' mentions too (Daniel Chen's "Mr. Chen",
淄川区委统战部's 区委统战部), and one mentioned only inside another name is dropped. What
fails is counted with what the engine counted itself, so nothing is dropped silently.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace

from summarizer._identity import Entity, outermost, same, short_forms, standalone
from summarizer._kinds import KIND_RULES
from summarizer._mentions import mentions
from summarizer._names import check, resolve
from summarizer._schemas import Entities, EntityMention, EntityStats, SourceSpan


@dataclass(frozen=True)
class Located:
    """A result's entities as its schema promises them: names, their mentions, the counts."""

    entities: Entities
    mentions: list[EntityMention]
    stats: EntityStats


def located(
    entities: Entities,
    text: str,
    language: str,
    counted: EntityStats | None = None,
    *,
    limit: int = 10,
) -> Located:
    """Every name an engine emits, checked for its kind again and located in `text`.

    Run on every engine's result, so no engine can emit a name that is not one or that the
    text does not hold: such a name is dropped and counted with what the engine counted
    itself (`counted`). The kinds are the fields of `Entities`.
    """
    rejected = Counter(counted.rejected if counted else {})
    dropped = counted.dropped_not_in_source if counted else 0
    by_kind: dict[str, list[Entity]] = {}
    for kind in Entities.model_fields:
        resolution = resolve(getattr(entities, kind), kind, text, language)
        dropped += resolution.rejected.pop("not_in_source", 0)
        rejected.update(resolution.rejected)
        by_kind[kind] = resolution.entities[:limit]
    every = {
        k: [replace(e, mentions=_all_mentions(e, by_kind, text)) for e in es]
        for k, es in by_kind.items()
    }
    alone = standalone(every)
    rejected["inside_another"] += sum(len(every[k]) - len(es) for k, es in alone.items())
    mentions = [
        EntityMention(kind=kind, name=e.name, spans=list(e.mentions))
        for kind, es in alone.items()
        for e in es
    ]
    stats = EntityStats(
        kept=len(mentions),
        dropped_not_in_source=dropped,
        rejected=dict(sorted((k, n) for k, n in rejected.items() if n)),
        retyped=counted.retyped if counted else 0,
    )
    kept = {kind: [e.name for e in es] for kind, es in alone.items()}
    return Located(Entities(**kept), mentions, stats)


def _all_mentions(
    entity: Entity, by_kind: Mapping[str, list[Entity]], text: str
) -> tuple[SourceSpan, ...]:
    """The entity's mentions and those of its short forms (Mr. Chen, 区委统战部), where a
    short form is a name of its kind and no other entity's."""
    others = [(KIND_RULES[k], e.name) for k, es in by_kind.items() for e in es if e != entity]
    spans = list(entity.mentions)
    for form in short_forms(entity.name, entity.kind):
        if check(form, entity.kind, text=text) is None and not any(
            same(form, name, r) for r, name in others
        ):
            spans += mentions(form, text)
    return outermost(spans)
