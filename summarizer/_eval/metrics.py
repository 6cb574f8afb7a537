"""The reference-free metrics of one result, their totals, and how each one is read.

Counts are stored and rates derived from them, so a total's rate is the rate of its
summed counts (a long document weighs more than a short one), never a mean of rates;
ROUGE, which has no counts, is the mean over the documents that have a reference.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, computed_field

from summarizer._eval import entities as entities_
from summarizer._eval import keypoints
from summarizer._eval.claims import Claim, Kind
from summarizer._eval.corpus import Doc
from summarizer._grounding import numbers
from summarizer._language import detect
from summarizer._schemas import DocumentSummary


class _Record(BaseModel):
    # "ignore", not "forbid": the computed rates are written out, and come back in when a
    # report's JSON is read again.
    model_config = ConfigDict(extra="ignore")


def _share(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


class ClaimCounts(_Record):
    """Claims of one kind: in the output, or emitted by the model and dropped by grounding.

    `cited` and `supported` are of the claims in the output, by the eval's own lexical
    check, so every variant is measured the same way; a dropped claim counts as emitted and
    unsupported.
    """

    present: int = 0
    dropped: int = 0
    cited: int = 0
    supported: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def emitted(self) -> int:
        return self.present + self.dropped

    @computed_field  # type: ignore[prop-decorator]
    @property
    def rate(self) -> float | None:
        return _share(self.supported, self.emitted)

    def plus(self, other: ClaimCounts) -> ClaimCounts:
        return ClaimCounts(
            present=self.present + other.present,
            dropped=self.dropped + other.dropped,
            cited=self.cited + other.cited,
            supported=self.supported + other.supported,
        )


class RougeScores(_Record):
    """F-measures; in a total, the mean over `documents`."""

    documents: int = 1
    rouge1: float
    rouge2: float
    rougeL: float  # rouge-score's own name


class JudgeTally(_Record):
    """Claims with evidence: judged (and how the judge and the lexical check saw them), or
    failed (the judge gave no answer)."""

    judged: int = 0
    failed: int = 0
    agreed: int = 0
    judge_supported: int = 0
    lexical_supported: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def agreement(self) -> float | None:
        return _share(self.agreed, self.judged)


class DocMetrics(_Record):
    documents: int = 1
    facts: ClaimCounts
    key_points: ClaimCounts
    summary_sentences: ClaimCounts
    numbers: int
    numbers_in_source: int
    invented_numbers: list[str]
    in_source_script: int
    output_chars: int
    cleaned_chars: int
    redundant_key_points: int
    label_key_points: int
    key_sentences: int
    covered_sentences: int
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    reasks: int = 0
    cache_hits: int = 0
    wall_ms: float = 0.0
    rouge: RougeScores | None = None
    judge: JudgeTally | None = None
    entities: entities_.EntityCounts | None = None  # with labelled names (--gold)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def number_fidelity(self) -> float | None:
        return _share(self.numbers_in_source, self.numbers)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def compression(self) -> float | None:
        return _share(self.output_chars, self.cleaned_chars)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def coverage(self) -> float | None:
        return _share(self.covered_sentences, self.key_sentences)


def output_text(result: DocumentSummary) -> str:
    """What the variant wrote: the summary and key points (facts quote the source)."""
    return "\n".join([result.summary, *result.key_points])


def compute(result: DocumentSummary, doc: Doc, found: list[Claim]) -> DocMetrics:
    written = output_text(result)
    said = numbers("\n".join([written, *(f.statement for f in result.facts)]))
    invented = sorted(said - numbers(doc.cleaned))
    spans = [span for claim in found for span in claim.spans]
    covered = sum(
        1
        for i in doc.key_sentences
        if any(a < doc.sentences[i].end and doc.sentences[i].start < b for a, b in spans)
    )
    usage = result.metadata.usage
    return DocMetrics(
        facts=_counts(found, "fact", _dropped(result, "fact")),
        key_points=_counts(found, "key_point", _dropped(result, "key_point")),
        summary_sentences=_counts(found, "summary", _dropped(result, "summary")),
        numbers=len(said),
        numbers_in_source=len(said) - len(invented),
        invented_numbers=invented,
        in_source_script=int(detect(written) == doc.language),
        output_chars=len(result.summary) + sum(len(p) for p in result.key_points),
        cleaned_chars=len(doc.cleaned),
        redundant_key_points=len(keypoints.redundant(result.key_points)),
        label_key_points=sum(1 for p in result.key_points if keypoints.is_label(p)),
        key_sentences=len(doc.key_sentences),
        covered_sentences=covered,
        calls=usage.calls if usage else 0,
        prompt_tokens=usage.prompt_tokens if usage else 0,
        completion_tokens=usage.completion_tokens if usage else 0,
        reasks=usage.reasks if usage else 0,
        cache_hits=usage.cached if usage else 0,
        wall_ms=result.metadata.timings.get("total", 0.0),
    )


def _counts(found: list[Claim], kind: Kind, dropped: int) -> ClaimCounts:
    mine = [c for c in found if c.kind == kind]
    return ClaimCounts(
        present=len(mine),
        dropped=dropped,
        cited=sum(1 for c in mine if c.cited),
        supported=sum(1 for c in mine if c.supported),
    )


_PER_KIND = {"fact": "facts", "key_point": "key_points", "summary": "summary"}


def _dropped(result: DocumentSummary, kind: Kind) -> int:
    """Claims grounding dropped before the output: `metadata.grounding.dropped` for facts
    (v1 prompts), and each kind's own counts where citing prompts (v2) record them
    (`metadata.grounding.key_points.dropped`); read by name, as older results lack them."""
    grounding = result.metadata.grounding
    if grounding is None:
        return 0
    per_kind = getattr(grounding, _PER_KIND[kind], None)
    if per_kind is not None:
        return int(getattr(per_kind, "dropped", 0))
    return grounding.dropped if kind == "fact" else 0


def totals(rows: list[DocMetrics]) -> DocMetrics | None:
    if not rows:
        return None
    scored = [r.rouge for r in rows if r.rouge is not None]
    judged = [r.judge for r in rows if r.judge is not None]
    summed = {
        name: sum(getattr(r, name) for r in rows)
        for name, field in DocMetrics.model_fields.items()
        if field.annotation in (int, float)
    }
    return DocMetrics(
        **summed,
        facts=_sum_claims(r.facts for r in rows),
        key_points=_sum_claims(r.key_points for r in rows),
        summary_sentences=_sum_claims(r.summary_sentences for r in rows),
        invented_numbers=sorted({n for r in rows for n in r.invented_numbers}),
        rouge=_mean_rouge(scored) if scored else None,
        judge=JudgeTally(**{k: sum(getattr(j, k) for j in judged) for k in JudgeTally.model_fields})
        if judged
        else None,
        entities=entities_.total([r.entities for r in rows if r.entities is not None]),
    )


def _sum_claims(counts: Iterable[ClaimCounts]) -> ClaimCounts:
    total = ClaimCounts()
    for c in counts:
        total = total.plus(c)
    return total


def _mean_rouge(scores: list[RougeScores]) -> RougeScores:
    n = len(scores)
    return RougeScores(
        documents=n,
        rouge1=round(sum(s.rouge1 for s in scores) / n, 4),
        rouge2=round(sum(s.rouge2 for s in scores) / n, 4),
        rougeL=round(sum(s.rougeL for s in scores) / n, 4),
    )


# --- how each metric is read: the table's rows and the comparison's criteria -------------

Better = Literal["higher", "lower"]


@dataclass(frozen=True)
class Metric:
    name: str
    better: Better | None  # None: a fact about the run, not a score (compression, cache hits)
    value: Callable[[DocMetrics], float | None]
    show: Callable[[DocMetrics], str]


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _claims_row(name: str, get: Callable[[DocMetrics], ClaimCounts]) -> Metric:
    return Metric(
        name,
        "higher",
        lambda m: get(m).rate,
        lambda m: f"{get(m).supported}/{get(m).emitted} ({_pct(get(m).rate)})",
    )


def _count_row(name: str, better: Better | None, get: Callable[[DocMetrics], float]) -> Metric:
    return Metric(name, better, get, lambda m: f"{get(m):g}")


def _rouge_row(name: str) -> Metric:
    def get(m: DocMetrics) -> float | None:
        return getattr(m.rouge, name) if m.rouge is not None else None

    return Metric(name, "higher", get, lambda m: "—" if get(m) is None else f"{get(m):.3f}")


METRICS: list[Metric] = [
    _claims_row("facts supported", lambda m: m.facts),
    _claims_row("key points supported", lambda m: m.key_points),
    _claims_row("summary sentences supported", lambda m: m.summary_sentences),
    Metric(
        "number fidelity",
        "higher",
        lambda m: m.number_fidelity,
        lambda m: f"{m.numbers_in_source}/{m.numbers} ({_pct(m.number_fidelity)})",
    ),
    Metric(
        "source script",
        "higher",
        lambda m: m.in_source_script / m.documents,
        lambda m: f"{m.in_source_script}/{m.documents}",
    ),
    Metric("compression", None, lambda m: m.compression, lambda m: _pct(m.compression)),
    _count_row("redundant key points", "lower", lambda m: m.redundant_key_points),
    _count_row("label-like key points", "lower", lambda m: m.label_key_points),
    Metric(
        "coverage",
        "higher",
        lambda m: m.coverage,
        lambda m: f"{m.covered_sentences}/{m.key_sentences} ({_pct(m.coverage)})",
    ),
    _count_row("calls", "lower", lambda m: m.calls),
    _count_row("prompt tokens", "lower", lambda m: m.prompt_tokens),
    _count_row("completion tokens", "lower", lambda m: m.completion_tokens),
    _count_row("re-asks", "lower", lambda m: m.reasks),
    _count_row("cache hits", None, lambda m: m.cache_hits),
    Metric("wall time", "lower", lambda m: m.wall_ms, lambda m: f"{m.wall_ms / 1000:.2f}s"),
    _rouge_row("rouge1"),
    _rouge_row("rouge2"),
    _rouge_row("rougeL"),
    *(Metric(name, "higher", value, show) for name, value, show in entities_.ROWS),
    Metric(
        "judge agreement",
        None,
        lambda m: m.judge.agreement if m.judge else None,
        lambda m: (
            f"{m.judge.agreed}/{m.judge.judged} ({_pct(m.judge.agreement)})" if m.judge else "—"
        ),
    ),
]
