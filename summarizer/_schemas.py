"""The output schema every engine fills, offline or model-backed.

Offsets (`start`, `end`) index the cleaned text, so `cleaned[start:end] == evidence` holds
for every fact; `source_start`/`source_end` trace the same span back to the document text
as loaded (for HTML and PDF, the extracted text), through the cleaning offset map.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from summarizer._extracted import Extraction
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
    """Names by kind; each field is a kind the engines find (its rules: `_kinds.KIND_RULES`)."""

    people: list[str] = Field(default_factory=list)
    organizations: list[str] = Field(default_factory=list)
    places: list[str] = Field(default_factory=list)


class EntityMention(_Model):
    """Where the cleaned text names one entity of `entities`: every form of it, as written."""

    kind: str
    name: str
    spans: list[SourceSpan] = Field(min_length=1)


class EntityStats(_Model):
    """What became of the names an engine proposed (a model's, each once; the offline engine
    checks its candidates as it finds them): `kept` as entities, dropped for no mention in
    the cleaned text, or rejected by their kind's check, by reason (verb_initial, no_suffix,
    topic_phrase, punctuation, inside_another, ...). `retyped`: kept under another kind than
    proposed, which its suffix or a gazetteer names (青岚县 given as an organisation)."""

    kept: int = 0
    dropped_not_in_source: int = 0
    rejected: dict[str, int] = Field(default_factory=dict)
    retyped: int = 0


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
    url: str | None = Field(default=None, description="A fetched page's URL, secrets masked.")
    final_url: str | None = Field(default=None, description="The same page's URL after redirects.")


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


SCHEMA_VERSION = "4"


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
    entities: EntityStats | None = None


class DocumentSummary(_Model):
    title: str | None
    language: str
    summary: str
    key_points: list[str]
    facts: list[Fact]
    entities: Entities = Field(default_factory=Entities)
    entity_mentions: list[EntityMention] = Field(
        default_factory=list, description="Every entity's mentions in the cleaned text."
    )
    citations: list[Citation] = Field(
        default_factory=list,
        description="Source spans of key points and summary sentences, where an engine cites.",
    )
    metadata: Metadata
    extraction: Extraction | None = Field(default=None, description="Your own fields: --schema.")

    def to_json(self, **kwargs: Any) -> str:
        return self.model_dump_json(indent=2, **kwargs)


class Failure(_Model):
    """A batch's record for a document that could not be summarized."""

    source: str
    error: str
    sha256: str | None = None


Record = DocumentSummary | Failure
