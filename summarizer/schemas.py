"""The output schema every engine fills, offline or model-backed.

Offsets (`start`, `end`) index the cleaned text, so `cleaned[start:end] == evidence` holds
for every fact; `source_start`/`source_end` trace the same span back to the document text
as loaded (for HTML and PDF, the extracted text), through the cleaning offset map.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

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


class Metadata(BaseModel):
    """Provenance of a result; later engines add their own keys (mode, prompts, usage)."""

    model_config = ConfigDict(extra="allow")

    source: str
    engine: str
    language: str
    cleaning: CleaningReport
    chunks: int = Field(ge=0)
    timings: dict[str, float] = Field(default_factory=dict, description="Milliseconds per stage.")
    document: DocumentInfo | None = None
    byline: Byline = Field(default_factory=Byline)
    notice: str | None = None


class DocumentSummary(_Model):
    title: str | None
    language: str
    summary: str
    key_points: list[str]
    facts: list[Fact]
    entities: Entities = Field(default_factory=Entities)
    metadata: Metadata

    def to_json(self, **kwargs: Any) -> str:
        return self.model_dump_json(indent=2, **kwargs)
