"""Pydantic models made from a schema's fields: what the model fills, and what a result holds.

The answer model wraps every leaf as `{"value": ..., "sentences": [n]}`, so the model says
where each value comes from; its JSON Schema (sent to the server) is written here from the
fields, inline and bounded (`maxLength`, `maxItems`), every key required, so an enforcing
server holds a small model to the shape. Validation is lenient where small models slip (a
bare value for a wrapped one, one item for a list, a list too long): the values themselves
are converted and checked in code (`_engines/values.py`), where a failure is counted rather
than re-asked. Fields travel under attribute names `f0`, `f1`... with the field's own name as
alias, so any name works, a Chinese one or `model_config` alike.

The result model types each value by its field (`schema --for SPEC` prints its schema).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, create_model
from pydantic import Field as Describe

from summarizer._answers import MAX_CITED
from summarizer._custom import Field, Schema
from summarizer._extracted import ExtractionStats, ValueSpan
from summarizer._prompts import PromptRef

MAX_VALUE_CHARS = 200  # a value is a name, an amount, a date: not a paragraph
MAX_ITEMS = 8  # items per list field in one part's answer
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"


def attribute(index: int) -> str:
    return f"f{index}"


# --- what the model fills -----------------------------------------------------------------


def _as_leaf(value: Any) -> Any:
    """A bare value is a value with no sentences (its `[n]` markers may still cite)."""
    if isinstance(value, dict) and ("value" in value or "sentences" in value):
        return value
    return {"value": value, "sentences": []}


def _as_numbers(value: Any) -> Any:
    """`3`, `"3"` or `"[3, 4]"` for a list of sentence numbers; other items are left out."""
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, bool):
            continue
        if isinstance(item, int):
            out.append(item)
        elif isinstance(item, str):
            out += [int(d) for d in "".join(c if c.isdigit() else " " for c in item).split()]
    return out[:MAX_CITED]


def _as_items(value: Any) -> Any:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return items[:MAX_ITEMS]


class Leaf(BaseModel):
    """One value as the model gave it; `value` is checked in code, so anything validates."""

    model_config = ConfigDict(extra="ignore")

    value: Any = None
    sentences: Annotated[list[int], BeforeValidator(_as_numbers)] = Describe(default_factory=list)


_LeafField = Annotated[Leaf, BeforeValidator(_as_leaf)]


class Answer(BaseModel):
    """The base of every answer model: lenient, with its JSON Schema written from the fields."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    fields: ClassVar[tuple[Field, ...]] = ()

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return answer_schema(cls.fields)


@lru_cache(maxsize=32)
def answer_model(schema: Schema) -> type[Answer]:
    """Made once per schema: its JSON Schema is hashed into cache keys and requests."""
    return _answer_class("Extraction", schema.fields)


def _answer_class(name: str, fields: tuple[Field, ...]) -> type[Answer]:
    definitions: dict[str, Any] = {}
    for i, field in enumerate(fields):
        one: Any = _LeafField
        if field.kind == "object":
            one = _answer_class(f"{name}_{i}", field.fields)
        empty: Any = one if field.kind == "object" else Leaf
        if field.many:
            one = Annotated[list[one], BeforeValidator(_as_items)]
            empty = list
        definitions[attribute(i)] = (one, Describe(default_factory=empty, alias=field.name))
    model: type[Answer] = create_model(name, __base__=Answer, **definitions)
    model.fields = fields
    return model


def answer_schema(fields: tuple[Field, ...]) -> dict[str, Any]:
    """Inline, lean and bounded: no $defs, titles or defaults for a small model to read."""
    return {
        "type": "object",
        "properties": {f.name: _answer_property(f) for f in fields},
        "required": [f.name for f in fields],
    }


def _answer_property(field: Field) -> dict[str, Any]:
    one = answer_schema(field.fields) if field.kind == "object" else _leaf_schema(field)
    if field.many:
        one = {"type": "array", "items": one, "maxItems": MAX_ITEMS}
    if field.description:
        one = {"description": field.description, **one}
    return one


def _leaf_schema(field: Field) -> dict[str, Any]:
    kinds: dict[str, dict[str, Any]] = {
        "str": {"type": "string", "maxLength": MAX_VALUE_CHARS},
        "int": {"type": "integer"},
        "float": {"type": "number"},
        "bool": {"type": "boolean"},
        "date": {"type": "string", "maxLength": 40},
        "enum": {"type": "string", "enum": list(field.choices)},
    }
    value = kinds[field.kind]
    return {
        "type": "object",
        "properties": {
            "value": {"anyOf": [value, {"type": "null"}]},
            "sentences": {"type": "array", "items": {"type": "integer"}, "maxItems": MAX_CITED},
        },
        "required": ["value", "sentences"],
    }


# --- what a result holds ------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


@lru_cache(maxsize=32)
def result_model(schema: Schema) -> type[BaseModel]:
    """`extraction` for this schema: `spec`, the typed `fields`, and `grounding`."""
    fields = _result_class("Fields", schema.fields)
    return create_model(
        "Extraction",
        __base__=_Strict,
        spec=(PromptRef, ...),
        fields=(fields, ...),
        grounding=(ExtractionStats, Describe(default_factory=ExtractionStats)),
    )


def _result_class(name: str, fields: tuple[Field, ...]) -> type[BaseModel]:
    definitions: dict[str, Any] = {}
    for i, field in enumerate(fields):
        one: Any
        if field.kind == "object":
            one = _result_class(f"{name}_{field.name}", field.fields)
        else:
            one = _cited_class(f"{name}_{field.name}", field)
        if field.many:
            one = list[one]
        definitions[attribute(i)] = (
            one,
            Describe(alias=field.name, description=field.description or None),
        )
    return create_model(name, __base__=_Strict, **definitions)


def _cited_class(name: str, field: Field) -> type[BaseModel]:
    value: Any = {
        "str": str,
        "int": int,
        "float": float,
        "bool": bool,
        "date": Annotated[str, Describe(pattern=DATE_PATTERN)],
        "enum": Literal[field.choices] if field.choices else str,
    }[field.kind]
    return create_model(
        name,
        __base__=_Strict,
        value=(value | None, None),
        sentences=(list[int], Describe(default_factory=list)),
        spans=(list[ValueSpan], Describe(default_factory=list)),
    )


def result_json_schema(schema: Schema) -> dict[str, Any]:
    """The whole result's JSON Schema with `extraction` typed by this schema."""
    from summarizer._schemas import DocumentSummary

    extraction: Any = (result_model(schema) | None, None)  # a type made at run time
    whole = create_model("DocumentSummary", __base__=DocumentSummary, extraction=extraction)
    return whole.model_json_schema()
