"""What the model is asked to fill: the answer models whose JSON Schemas are sent to the server.

They sit apart from the result schema (`_schemas.py`) because they change with the prompts,
not with what users read; their schemas are hashed into every request's prompt header.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field, WithJsonSchema, model_validator

from summarizer._schemas import FactCategory

# --- what the model is asked to fill ------------------------------------------------------
# Small models overshoot list limits (a 1.5B model gave 6 key points against maxItems 5,
# three times running), so lists are trimmed in code before validation instead of spending
# a re-ask; the schema the server sees still states the limit.

MAX_NOTE_POINTS = 5
MAX_NOTE_FACTS = 6
MAX_NOTE_ENTITIES = 6
MAX_KEY_POINTS = 7
_CATEGORY_ALIASES = {
    "amount": "money",
    "currency": "money",
    "cost": "money",
    "budget": "money",
    "percentage": "percent",
    "rate": "percent",
    "ratio": "percent",
    "time": "date",
    "year": "date",
    "day": "date",
    "count": "number",
    "quantity": "number",
    "statistic": "number",
}


def _trimmed(limit: int) -> BeforeValidator:
    def trim(value: Any) -> Any:
        return value[:limit] if isinstance(value, list) else value

    return BeforeValidator(trim)


def _category(value: Any) -> Any:
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in ("number", "date", "money", "percent", "event"):
            return lowered
        return _CATEGORY_ALIASES.get(lowered, "event")
    return value


class NoteFact(BaseModel):
    # Evidence comes first: a model that copies the quote before writing the statement
    # pairs them far more reliably than one that writes a claim and then looks for support.
    evidence: str = Field(description="A sentence copied exactly from the document.")
    statement: str = Field(description="What that sentence states, as one short fact.")
    category: Annotated[FactCategory, BeforeValidator(_category)]


_Names = Annotated[list[str], _trimmed(MAX_NOTE_ENTITIES), Field(max_length=MAX_NOTE_ENTITIES)]


class NoteEntities(BaseModel):
    people: _Names
    organizations: _Names
    places: _Names


class ChunkNotes(BaseModel):
    """The map step's answer for one chunk."""

    summary: str
    key_points: Annotated[list[str], _trimmed(MAX_NOTE_POINTS), Field(max_length=MAX_NOTE_POINTS)]
    facts: Annotated[list[NoteFact], _trimmed(MAX_NOTE_FACTS), Field(max_length=MAX_NOTE_FACTS)]
    entities: NoteEntities


class MergedNotes(BaseModel):
    """The reduce step's answer: narrative only; facts are merged in code."""

    summary: str
    key_points: Annotated[list[str], _trimmed(MAX_KEY_POINTS), Field(max_length=MAX_KEY_POINTS)]


class Quote(BaseModel):
    """A grounding repair's answer: the evidence for one fact, or an empty string."""

    evidence: str


# --- citing answers (prompts v2): sentence numbers instead of quotes ------------------------
# Every list has maxItems and every string maxLength in the schema the server sees, so an
# enforcing server cannot let a small model run on; code keeps longer strings, trims lists.

MAX_SUMMARY_SENTENCES, MAX_MERGED_SENTENCES = 3, 4  # a chunk's, the merge's
MAX_CITED = 3  # sentence numbers per claim
MIN_NOTE_POINTS = MIN_NOTE_FACTS = 3  # asked for (minItems), never refused
MAX_CLAIM_CHARS, MAX_STATEMENT_CHARS, MAX_NAME_CHARS = 240, 200, 40


def _longest(chars: int) -> Any:
    return Field(json_schema_extra={"maxLength": chars})


def _at_most(limit: int, least: int = 0) -> tuple[Any, ...]:
    hint = Field(max_length=limit, json_schema_extra={"minItems": least} if least else None)
    return (_trimmed(limit), hint)


def _as_claims(value: Any) -> Any:
    """Each item as a claim (`as_claim`); a bare string is a list of one."""
    items = [value] if isinstance(value, str) else value
    if isinstance(items, list):
        return [as_claim(v) for v in items]
    return items


def as_claim(item: Any) -> Any:
    """A ["text", 5] pair (prompts v4) as a claim, and a bare string as one with no numbers
    but those written into it ("... [4]"); anything else as it came."""
    if isinstance(item, list) and item and isinstance(item[0], str):
        return {"text": item[0], "sentences": [n for n in item[1:] if isinstance(n, int)]}
    if isinstance(item, str):
        return {"text": item, "sentences": []}
    return item


_Cited = Annotated[list[int], *_at_most(MAX_CITED)]
_CitedNames = Annotated[
    list[Annotated[str, _longest(MAX_NAME_CHARS)]], *_at_most(MAX_NOTE_ENTITIES)
]
_Category = Annotated[FactCategory, BeforeValidator(_category)]


class CitedClaim(BaseModel):
    """A summary sentence or key point, and the numbers of the sentences it rests on."""

    text: Annotated[str, _longest(MAX_CLAIM_CHARS)]
    sentences: _Cited


_AsClaims = BeforeValidator(_as_claims)
_Summary = Annotated[list[CitedClaim], _AsClaims, *_at_most(MAX_SUMMARY_SENTENCES, 1)]
_Points = Annotated[list[CitedClaim], _AsClaims, *_at_most(MAX_NOTE_POINTS, MIN_NOTE_POINTS)]


class CitedFact(BaseModel):
    # Numbers first, as evidence came first in v1: pick the sentence, then say what it says.
    sentences: _Cited
    statement: Annotated[str, _longest(MAX_STATEMENT_CHARS)]
    category: _Category

    @model_validator(mode="before")
    @classmethod
    def _numbers_may_be_missing(cls, value: Any) -> Any:
        if isinstance(value, dict) and "sentences" not in value:
            return {**value, "sentences": []}
        return value


class ChosenFact(BaseModel):
    """An extractive fact: the model only picks the sentence; its text is the statement."""

    sentences: _Cited
    category: _Category


class CitedEntities(BaseModel):
    people: _CitedNames
    organizations: _CitedNames
    places: _CitedNames


class ChunkNotesV2(BaseModel):
    """The map step's answer for one chunk of numbered sentences."""

    summary: _Summary
    key_points: _Points
    facts: Annotated[list[CitedFact], *_at_most(MAX_NOTE_FACTS, MIN_NOTE_FACTS)]
    entities: CitedEntities


class ChunkPicksV2(BaseModel):
    """ChunkNotesV2 with extractive facts: sentences and categories only."""

    summary: _Summary
    key_points: _Points
    facts: Annotated[list[ChosenFact], *_at_most(MAX_NOTE_FACTS, MIN_NOTE_FACTS)]
    entities: CitedEntities


# --- brief citing answers (prompts v3): fewer tokens for the same checked claims -----------
# On 12 documents v2's answers held up to 18 entity names (the rules alone find them as
# well), three summary sentences that the key points often repeated, and 12-token facts.

MAX_BRIEF_SUMMARY, MAX_BRIEF_MERGED = 2, 3  # a chunk's, the merge's (asked, not enforced)
MAX_NOTE_PICKS = 12  # a bare sentence number costs about 2 tokens, so more facts are asked

_BriefSummary = Annotated[list[CitedClaim], _AsClaims, *_at_most(MAX_BRIEF_SUMMARY, 1)]
_Picks = Annotated[list[int], *_at_most(MAX_NOTE_PICKS, MIN_NOTE_FACTS)]


class BriefNotes(BaseModel):
    """The v3 map step's answer with facts in the model's words; no names (found in code)."""

    summary: _BriefSummary
    key_points: _Points
    facts: Annotated[list[CitedFact], *_at_most(MAX_NOTE_FACTS, MIN_NOTE_FACTS)]


class BriefPicks(BaseModel):
    """The v3 map step's answer with extractive facts: each fact is a sentence number."""

    summary: _BriefSummary
    key_points: _Points
    facts: _Picks


# --- terse citing answers (prompts v4): each claim a pair, its text and one number ------
# `{"text": "...", "sentences": [5]}` costs the model 12 tokens around a claim on Qwen2.5's
# tokenizer, `["...", 5]` costs 5. One number a claim: a claim that needs the next sentence
# too finds it among the neighbours (`citations.neighbours`). A string ending in "[5]" would
# cost 4, but Qwen2.5-1.5B left the numbers off, and held to them by a grammar pattern
# (which drops maxLength) it ran on for 1,536 tokens.


_PAIR = {
    "type": "array",
    "prefixItems": [{"type": "string", "maxLength": MAX_CLAIM_CHARS}, {"type": "integer"}],
    "items": False,
    "minItems": 2,
    "maxItems": 2,
}


def _pairs(limit: int) -> WithJsonSchema:
    """The schema the server sees, in place of the claims' own: 1 to `limit` pairs."""
    return WithJsonSchema({"type": "array", "items": _PAIR, "minItems": 1, "maxItems": limit})


_TerseSummary = Annotated[
    list[CitedClaim], _AsClaims, *_at_most(MAX_BRIEF_SUMMARY), _pairs(MAX_BRIEF_SUMMARY)
]
_TerseMergedSummary = Annotated[
    list[CitedClaim], _AsClaims, *_at_most(MAX_BRIEF_MERGED), _pairs(MAX_BRIEF_MERGED)
]
_TersePoints = Annotated[
    list[CitedClaim], _AsClaims, *_at_most(MAX_NOTE_POINTS), _pairs(MAX_NOTE_POINTS)
]


class TerseNotes(BaseModel):
    """The v4 map step's answer with facts in the model's words."""

    summary: _TerseSummary
    key_points: _TersePoints
    facts: Annotated[list[CitedFact], *_at_most(MAX_NOTE_FACTS, 1)]


class TersePicks(BaseModel):
    """The v4 map step's answer with extractive facts: each fact is a sentence number."""

    summary: _TerseSummary
    key_points: _TersePoints
    facts: Annotated[list[int], *_at_most(MAX_NOTE_PICKS, 1)]


class TerseMerged(BaseModel):
    """The v4 reduce step's answer: cited pairs; facts are merged in code."""

    summary: _TerseMergedSummary
    key_points: _TersePoints


class MergedNotesV2(BaseModel):
    """The reduce step's answer: cited narrative only; facts are merged in code."""

    summary: Annotated[list[CitedClaim], _AsClaims, *_at_most(MAX_MERGED_SENTENCES)]
    key_points: Annotated[list[CitedClaim], _AsClaims, *_at_most(MAX_KEY_POINTS)]


# Every citing notes answer, whichever prompt version asked for it.
CitingNotes = ChunkNotesV2 | ChunkPicksV2 | BriefNotes | BriefPicks | TerseNotes | TersePicks


def max_items(model: type[BaseModel], name: str) -> int:
    """The maxItems a list field states in the schema the server sees: what a prompt asks
    for is then what its answer model holds the model to."""
    limits = (getattr(m, "max_length", None) for m in model.model_fields[name].metadata)
    return int(next(limit for limit in limits if limit is not None))


@lru_cache(maxsize=64)
def json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """A model's JSON schema, built once: pydantic rebuilds it on every call otherwise.

    Callers must not change the dict they get.
    """
    return model.model_json_schema()
