"""A result's claims, each with the evidence it rests on, and the lexical check of it.

Three kinds: facts (their evidence span), key points and summary sentences (the spans of
their citations, filled by citation-based prompts; none with v1). A key point or summary
sentence without a citation that is itself a verbatim sentence of the source (the
extractive engine's) rests on where it was found. A citation counts through its spans,
offsets in the cleaned text; bare sentence numbers are not resolved here, as how they are
numbered is the prompt's business.

A claim is supported when its evidence is about it (enough shared words or bigrams) and
holds every number it states: the same checks grounding applies to facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from summarizer._eval.corpus import Doc
from summarizer._grounding import locate, numbers_supported, supports
from summarizer._schemas import DocumentSummary
from summarizer._sentences import split_sentences

Kind = Literal["fact", "key_point", "summary"]
KINDS: tuple[Kind, ...] = ("fact", "key_point", "summary")


@dataclass(frozen=True)
class Claim:
    kind: Kind
    index: int
    text: str
    spans: tuple[tuple[int, int], ...]  # evidence, in the cleaned text
    cited: bool  # the output gave the evidence (a quote, a citation), not found by search
    evidence: str
    supported: bool


def summary_sentences(summary: str) -> list[str]:
    return [t for a, b in split_sentences(summary) if (t := summary[a:b].strip())]


def claims(result: DocumentSummary, doc: Doc) -> list[Claim]:
    found = [
        _claim(doc, "fact", i, f.statement, [(f.start, f.end)], cited=True)
        for i, f in enumerate(result.facts)
    ]
    cited: dict[tuple[str, int], list[tuple[int, int]]] = {}
    for citation in result.citations:
        spans = cited.setdefault((citation.kind, citation.index), [])
        spans.extend((s.start, s.end) for s in citation.spans if s.end > s.start)
    said: list[tuple[Kind, list[str]]] = [
        ("key_point", result.key_points),
        ("summary", summary_sentences(result.summary)),
    ]
    for kind, texts in said:
        for i, text in enumerate(texts):
            spans = cited.get((kind, i), [])
            if spans:
                found.append(_claim(doc, kind, i, text, spans, cited=True))
                continue
            where = locate(text, doc.cleaned)
            found.append(_claim(doc, kind, i, text, [where] if where else [], cited=False))
    return found


def _claim(
    doc: Doc, kind: Kind, index: int, text: str, spans: list[tuple[int, int]], *, cited: bool
) -> Claim:
    inside = [(max(0, a), min(len(doc.cleaned), b)) for a, b in spans]
    evidence = "\n".join(doc.cleaned[a:b] for a, b in inside if b > a)
    supported = bool(evidence) and supports(text, evidence) and numbers_supported(text, evidence)
    return Claim(kind, index, text, tuple(inside), cited and bool(evidence), evidence, supported)
