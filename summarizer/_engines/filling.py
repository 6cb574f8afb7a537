"""Your own fields, filled: each part's answer checked value by value, then the parts merged.

    per part: walk the schema and the answer together; every leaf is converted and checked
    (values.py) and kept with its sentences, or null and counted with its path
    -> across parts: a single value is the first part's that has one (a different one later
    is counted as a conflict); a list is every part's items in document order, an item equal
    to an earlier one merged into it (text folded, numbers and dates as values; objects are
    equal when the leaves both have agree and at least one does, and merge field by field)
    -> the result: values with the spans of their sentences in the cleaned and loaded text

Typed records (`Cited`, `Filled`) carry the values between these steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from summarizer import _grounding as grounding
from summarizer._custom import Field, Schema
from summarizer._custom_models import attribute, result_model
from summarizer._engines import values
from summarizer._engines.citations import Numbered, parts
from summarizer._extracted import Extraction, ExtractionStats, ValueSpan

if TYPE_CHECKING:
    from summarizer._cleaning import CleanedText
    from summarizer._custom_models import Leaf


@dataclass(frozen=True)
class Cited:
    """A value that passed its check, and the sentences that support it."""

    value: values.Scalar
    sentences: tuple[int, ...]


@dataclass
class Filled:
    """One object's fields, by name in the schema's order."""

    slots: dict[str, Slot] = field(default_factory=dict)


Slot = Cited | Filled | None | list[Cited | Filled]  # a list holds one or the other


@dataclass
class Part:
    """Where one part's values are checked: the sentences it showed, and the counts."""

    numbered: Numbered
    allowed: range
    stats: ExtractionStats
    label: str  # appended to paths in `nulled_fields` when the document has several parts

    def fill(
        self,
        fields: tuple[Field, ...],
        answer: BaseModel,
        where: str = "",
        around: tuple[int, ...] = (),
    ) -> Filled:
        """An object's fields (the top level's when `where` is empty). Inside an object, a
        value citing nothing rests on what its siblings cite, or else on what the object's
        own siblings do (`around`); top-level fields stand alone."""
        if where:
            around = _cited(fields, answer) or around
        filled = Filled()
        for i, one in enumerate(fields):
            raw = getattr(answer, attribute(i))
            path = f"{where}.{one.name}" if where else one.name
            if one.many:
                items = [self._one(one, x, f"{path}[{j}]", around) for j, x in enumerate(raw)]
                filled.slots[one.name] = [x for x in items if x is not None and _any(x)]
            else:
                filled.slots[one.name] = self._one(one, raw, path, around)
        return filled

    def _one(
        self, one: Field, raw: Any, path: str, around: tuple[int, ...]
    ) -> Cited | Filled | None:
        if one.kind == "object":
            return self.fill(one.fields, raw, path, around)
        leaf: Leaf = raw
        checked = values.check(one, leaf.value, leaf.sentences, self.numbered, self.allowed, around)
        self._count(checked.outcome, path)
        if checked.value is None:
            return None
        return Cited(checked.value, checked.sentences)

    def _count(self, outcome: values.Outcome, path: str) -> None:
        stats = self.stats
        if outcome is values.Outcome.MISSING:
            stats.missing += 1
            return
        stats.values += 1
        if outcome in (values.Outcome.KEPT, values.Outcome.MOVED):
            name = outcome.value
        else:
            stats.nulled += 1
            stats.nulled_fields.append(path + self.label)
            name = f"nulled_{outcome.value}"
        setattr(stats, name, getattr(stats, name) + 1)


def _cited(fields: tuple[Field, ...], answer: BaseModel) -> tuple[int, ...]:
    """The sentences an object's own single values cite, numbers written in them too."""
    found: list[int] = []
    for i, one in enumerate(fields):
        if one.leaf and not one.many:
            leaf: Leaf = getattr(answer, attribute(i))
            written = parts(leaf.value, [])[1] if isinstance(leaf.value, str) else []
            found += [*leaf.sentences, *written]
    return tuple(dict.fromkeys(found))


def _any(slot: Cited | Filled) -> bool:
    """An item worth keeping: a value, or an object with any value in it."""
    if isinstance(slot, Cited):
        return True
    return any((_any(s) if isinstance(s, Cited | Filled) else bool(s)) for s in slot.slots.values())


# --- across parts -------------------------------------------------------------------------


def merge(fields: tuple[Field, ...], parts: list[Filled], stats: ExtractionStats) -> Filled:
    merged = Filled()
    for one in fields:
        got = [p.slots.get(one.name) for p in parts]
        if one.many:
            items = [item for g in got if isinstance(g, list) for item in g]
            merged.slots[one.name] = _distinct(one, items, stats)
        elif one.kind == "object":
            merged.slots[one.name] = merge(
                one.fields, [g for g in got if isinstance(g, Filled)], stats
            )
        else:
            present = [g for g in got if isinstance(g, Cited)]
            stats.conflicts += len({_key(c) for c in present}) - 1 if present else 0
            merged.slots[one.name] = present[0] if present else None
    return merged


def _distinct(one: Field, items: list[Any], stats: ExtractionStats) -> list[Any]:
    kept: list[Any] = []
    for item in items:
        for i, earlier in enumerate(kept):
            if _same(one, earlier, item):
                kept[i] = (
                    _combined(one.fields, earlier, item, stats) if one.kind == "object" else earlier
                )
                stats.duplicates += 1
                break
        else:
            kept.append(item)
    return kept


def _key(cited: Cited) -> object:
    value = cited.value
    if isinstance(value, str):
        return grounding.fold(value).text or value
    return float(value) if not isinstance(value, bool) else value


def _same(one: Field, a: Cited | Filled, b: Cited | Filled) -> bool:
    if isinstance(a, Cited) and isinstance(b, Cited):
        return _key(a) == _key(b)
    assert isinstance(a, Filled) and isinstance(b, Filled)
    pairs = [
        (x, y)
        for f in one.fields
        if f.leaf and not f.many
        for x, y in [(a.slots.get(f.name), b.slots.get(f.name))]
        if isinstance(x, Cited) and isinstance(y, Cited)
    ]
    return bool(pairs) and all(_key(x) == _key(y) for x, y in pairs)


def _combined(fields: tuple[Field, ...], a: Filled, b: Filled, stats: ExtractionStats) -> Filled:
    """`a`, with what only `b` has filled in."""
    out = Filled()
    for one in fields:
        x, y = a.slots.get(one.name), b.slots.get(one.name)
        if one.many:
            both = [*(x if isinstance(x, list) else []), *(y if isinstance(y, list) else [])]
            out.slots[one.name] = _distinct(one, both, stats)
        elif isinstance(x, Filled) and isinstance(y, Filled):
            out.slots[one.name] = _combined(one.fields, x, y, stats)
        else:
            out.slots[one.name] = x if x is not None else y
    return out


# --- the result ---------------------------------------------------------------------------


def result(
    schema: Schema, filled: Filled, numbered: Numbered, cleaned: CleanedText, stats: ExtractionStats
) -> Extraction:
    """The extraction as the result holds it, validated by the schema's own result model first
    (so it is exactly what `schema --for` says)."""
    data = {
        "spec": schema.ref,
        "fields": _data(schema.fields, filled, numbered, cleaned),
        "grounding": stats,
    }
    typed = result_model(schema).model_validate(data)
    return Extraction.model_validate(typed.model_dump(by_alias=True))


def _data(
    fields: tuple[Field, ...], filled: Filled, numbered: Numbered, cleaned: CleanedText
) -> dict[str, Any]:
    def one(f: Field, slot: Any) -> Any:
        if f.kind == "object":
            return _data(
                f.fields, slot if isinstance(slot, Filled) else Filled(), numbered, cleaned
            )
        if not isinstance(slot, Cited):
            return {"value": None, "sentences": [], "spans": []}
        return {
            "value": slot.value,
            "sentences": list(slot.sentences),
            "spans": [_span(n, numbered, cleaned) for n in slot.sentences],
        }

    out: dict[str, Any] = {}
    for f in fields:
        slot = filled.slots.get(f.name)
        out[f.name] = (
            [one(f, item) for item in slot]
            if f.many and isinstance(slot, list)
            else ([] if f.many else one(f, slot))
        )
    return out


def _span(n: int, numbered: Numbered, cleaned: CleanedText) -> ValueSpan:
    sentence = numbered.spans[n - 1]
    start, end = cleaned.to_original(sentence.start, sentence.end)
    return ValueSpan(start=sentence.start, end=sentence.end, source_start=start, source_end=end)
