"""The output schema every engine fills, offline or model-backed.

Offsets (`start`, `end`) index the cleaned text, so `cleaned[start:end] == evidence` holds
for every fact; `source_start`/`source_end` trace the same span back to the document text
as loaded (for HTML and PDF, the extracted text), through the cleaning offset map.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from summarizer._prompts import PromptRef

FactCategory = Literal["number", "date", "money", "percent", "event"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Fact(_Model):
    statement: str
    category: FactCategory
    evidence: str = Field(description="A verbatim span of the cleaned text.")
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    source_start: int | None = Field(default=None, ge=0)
    source_end: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _span_matches_evidence(self) -> Fact:
        if self.end - self.start != len(self.evidence):
            raise ValueError("end - start must equal len(evidence)")
        return self


class SourceSpan(_Model):
    """A span of the cleaned text (`start`, `end`) and the same span in the loaded document."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    source_start: int | None = Field(default=None, ge=0)
    source_end: int | None = Field(default=None, ge=0)


class Citation(_Model):
    """What a key point or a summary sentence rests on: sentences of the cleaned text.

    `index` is the key point's position in `key_points`, or the summary sentence's position
    in the summary; `sentences` are the document-wide sentence numbers the model cited.
    """

    kind: Literal["key_point", "summary"]
    index: int = Field(ge=0)
    text: str
    sentences: list[int] = Field(default_factory=list)
    spans: list[SourceSpan] = Field(default_factory=list)


class Entities(_Model):
    people: list[str] = Field(default_factory=list)
    organizations: list[str] = Field(default_factory=list)
    places: list[str] = Field(default_factory=list)


class CleaningStep(_Model):
    """One kind of noise that cleaning removed or rewrote."""

    kind: str
    count: int = Field(ge=0, description="How many places the step touched.")
    chars_removed: int = Field(description="Net characters removed (negative if it added).")
    samples: list[str] = Field(default_factory=list)


class CleaningReport(_Model):
    chars_before: int
    chars_after: int
    steps: list[CleaningStep] = Field(default_factory=list)


class Byline(_Model):
    """Credits found in the page chrome, kept out of the summary but not thrown away."""

    source: str | None = None
    date: str | None = None
    authors: list[str] = Field(default_factory=list)
    editors: list[str] = Field(default_factory=list)


class DocumentInfo(_Model):
    format: str
    encoding: str | None = None
    chars: int
    sha256: str = Field(default="", description="Of the input bytes; --resume matches on it.")
    replaced_bytes: int = Field(
        default=0, ge=0, description="Invalid UTF-8 bytes read as U+FFFD (a damaged UTF-8 file)."
    )


class ClaimStats(_Model):
    """One kind of citing claim (v2 on): supported as cited, `moved` to a neighbour, or dropped
    (number or unit, direction or "not", unrelated, only an injection, no sentence shown)."""

    supported: int = 0
    moved: int = 0
    dropped: int = 0
    dropped_numbers: int = 0
    dropped_direction: int = 0
    dropped_unsupported: int = 0
    dropped_injected: int = 0
    dropped_uncited: int = 0


class GroundingStats(_Model):
    """What happened to the model's facts: located as quoted, repaired by a re-ask, or dropped.

    Citing (v2): `found` counts supported facts, duplicates too; `repaired` stays 0; kinds set.
    """

    found: int = 0
    repaired: int = 0
    dropped: int = 0
    dropped_numbers: int = Field(default=0, description="Dropped: a number not in the evidence.")
    dropped_injected: int = Field(
        default=0, description="Dropped: evidence inside an injection attempt."
    )
    facts: ClaimStats | None = None
    key_points: ClaimStats | None = None
    summary: ClaimStats | None = None

    def add(self, other: GroundingStats) -> None:
        """Another chunk's fact counts added to these (per-kind counts are per document)."""
        for name in ("found", "repaired", "dropped", "dropped_numbers", "dropped_injected"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


class Usage(_Model):
    """What the model cost: recorded as `metadata.usage`."""

    calls: int = 0
    retries: int = 0
    reasks: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached: int = 0
    reasoning_stripped: int = 0
    server_ms: float = Field(default=0.0, description="Wall time waiting on the endpoint, summed.")
    stages_ms: dict[str, float] = Field(default_factory=dict)


class EndpointMeta(_Model):
    """The endpoint a model-backed result came from (credentials never recorded)."""

    base_url: str
    kind: str
    context_window: int
    context_source: str


SCHEMA_VERSION = "3"


class Metadata(_Model):
    """Provenance of a result."""

    schema_version: str = Field(default=SCHEMA_VERSION, description="Of this result schema.")
    source: str
    engine: str
    language: str
    cleaning: CleaningReport
    chunks: int = Field(ge=0)
    timings: dict[str, float] = Field(default_factory=dict, description="Milliseconds per stage.")
    document: DocumentInfo | None = None
    byline: Byline = Field(default_factory=Byline)
    # Set by a model-backed engine.
    model: str | None = None
    endpoint: EndpointMeta | None = None
    mode: str | None = None
    prompts: list[PromptRef] = Field(default_factory=list)
    usage: Usage | None = None
    grounding: GroundingStats | None = None


class DocumentSummary(_Model):
    title: str | None
    language: str
    summary: str
    key_points: list[str]
    facts: list[Fact]
    entities: Entities = Field(default_factory=Entities)
    citations: list[Citation] = Field(
        default_factory=list,
        description="Source spans of key points and summary sentences, where an engine cites.",
    )
    metadata: Metadata

    def to_json(self, **kwargs: Any) -> str:
        return self.model_dump_json(indent=2, **kwargs)


class Failure(_Model):
    """A batch's record for a document that could not be summarized."""

    source: str
    error: str
    sha256: str | None = None


Record = DocumentSummary | Failure


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
    """A bare string is a claim with no numbers but those written into it ("... [4]")."""
    items = [value] if isinstance(value, str) else value
    if isinstance(items, list):
        return [{"text": v, "sentences": []} if isinstance(v, str) else v for v in items]
    return items


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


class MergedNotesV2(BaseModel):
    """The reduce step's answer: cited narrative only; facts are merged in code."""

    summary: Annotated[list[CitedClaim], _AsClaims, *_at_most(MAX_MERGED_SENTENCES)]
    key_points: Annotated[list[CitedClaim], _AsClaims, *_at_most(MAX_KEY_POINTS)]


@lru_cache(maxsize=64)
def json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """A model's JSON schema, built once: pydantic rebuilds it on every call otherwise.

    Callers must not change the dict they get.
    """
    return model.model_json_schema()
