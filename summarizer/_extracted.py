"""What `--schema` adds to a result: your own fields, each value with the sentences it rests on.

It sits beside the summary under `extraction`. The static types here fit every schema (a
field is a cited value, a list of them, an object of fields, or a list of objects);
`summarizer schema --for SPEC` prints the exact shape one schema gives (`_custom_models`).
The module builds only on pydantic and `_prompts`, so `_schemas` can import it without a
cycle; `ValueSpan` therefore repeats `SourceSpan`'s four offsets rather than importing it.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from typing_extensions import TypeAliasType

from summarizer._prompts import PromptRef


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ValueSpan(_Model):
    """A cited sentence: its span of the cleaned text, and the same span as loaded."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    source_start: int | None = Field(default=None, ge=0)
    source_end: int | None = Field(default=None, ge=0)


class CitedValue(_Model):
    """One value, and the sentences (numbered from 1 across the cleaned text) it was read from.

    `value` is null when the document does not say, or when what the model gave was not
    supported by the sentences it cited (counted in `extraction.grounding`).
    """

    value: str | int | float | bool | None = None
    sentences: list[int] = Field(default_factory=list)
    spans: list[ValueSpan] = Field(default_factory=list)


FieldValue = TypeAliasType(
    "FieldValue",
    "CitedValue | list[CitedValue] | dict[str, FieldValue] | list[dict[str, FieldValue]]",
)


class ExtractionStats(_Model):
    """What happened to the values the model gave: kept as cited, moved to a neighbouring
    sentence, or set to null for a reason; `nulled_fields` names where (`people[1].role`)."""

    values: int = Field(default=0, description="Non-null values the model gave.")
    kept: int = 0
    moved: int = Field(
        default=0,
        description="Kept, resting on other sentences than it cited: a neighbour of one, or "
        "(inside an object, citing none) those its sibling values cite.",
    )
    missing: int = Field(default=0, description="Left null by the model: the text did not say.")
    nulled: int = Field(default=0, description="Set to null: the sum of the reasons below.")
    nulled_numbers: int = Field(
        default=0, description="Its number or date is not in the cited text."
    )
    nulled_unsupported: int = Field(default=0, description="No lexical support in the cited text.")
    nulled_uncited: int = Field(default=0, description="No sentence of the part shown was cited.")
    nulled_injected: int = Field(default=0, description="It cited only an injection attempt.")
    nulled_invalid: int = Field(default=0, description="Not a value of the field's type.")
    duplicates: int = Field(default=0, description="List items merged with an equal one.")
    conflicts: int = Field(
        default=0, description="Single values another part gave differently; the first is kept."
    )
    nulled_fields: list[str] = Field(default_factory=list)


class Extraction(_Model):
    """Your own fields (`--schema`), filled from the document and checked against it."""

    spec: PromptRef = Field(description="The schema: its name, version (0: not saved) and hash.")
    fields: dict[str, FieldValue]
    grounding: ExtractionStats = Field(default_factory=ExtractionStats)
