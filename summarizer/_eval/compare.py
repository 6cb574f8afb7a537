"""The paired comparison: each run against the first, document by document, per metric.

Pairing by document keeps one hard document from deciding a comparison of totals: a run
wins a metric on a document when its value is better there, and wins the metric when it
wins more documents than it loses. "By how much" is the mean per-document difference
(challenger minus baseline), in the metric's own unit (a rate, a count, milliseconds).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from summarizer._eval.metrics import METRICS, Better, DocMetrics, Metric

Rows = dict[str, dict[str, DocMetrics]]  # run label -> document source -> metrics


class Comparison(BaseModel):
    model_config = ConfigDict(extra="forbid")

    metric: str
    better: Better
    baseline: str
    challenger: str
    documents: int  # paired: both runs have a value for them
    wins: int  # documents where the challenger is better
    losses: int
    ties: int
    mean_delta: float | None
    winner: str | None  # a run label; None for a tie


def compare(rows: Rows, labels: list[str]) -> list[Comparison]:
    if len(labels) < 2:
        return []
    baseline = labels[0]
    return [
        _one(rows, baseline, challenger, metric, metric.better)
        for challenger in labels[1:]
        for metric in METRICS
        if metric.better is not None
    ]


def _one(
    rows: Rows,
    baseline: str,
    challenger: str,
    metric: Metric,
    better: Better,
) -> Comparison:
    deltas: list[float] = []
    for source, base in rows.get(baseline, {}).items():
        other = rows.get(challenger, {}).get(source)
        a, b = metric.value(base), metric.value(other) if other is not None else None
        if a is not None and b is not None:
            deltas.append(b - a)
    sign = 1 if better == "higher" else -1
    wins = sum(1 for d in deltas if sign * d > 0)
    losses = sum(1 for d in deltas if sign * d < 0)
    return Comparison(
        metric=metric.name,
        better=better,
        baseline=baseline,
        challenger=challenger,
        documents=len(deltas),
        wins=wins,
        losses=losses,
        ties=len(deltas) - wins - losses,
        mean_delta=round(sum(deltas) / len(deltas), 4) if deltas else None,
        winner=challenger if wins > losses else baseline if losses > wins else None,
    )
