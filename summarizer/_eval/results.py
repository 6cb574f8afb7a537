"""The eval's results as one typed record: every outcome scored, totalled and compared.

Built by a pure function of the outcomes, the references and the judge's verdicts, so the
report is the same for the same results, whoever renders it and however long runs took.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from summarizer._eval import entities as entities_
from summarizer._eval import judge, rouge
from summarizer._eval.claims import Claim, claims
from summarizer._eval.compare import Comparison, Rows, compare
from summarizer._eval.metrics import DocMetrics, compute, totals
from summarizer._eval.runner import Outcome
from summarizer._schemas import Entities


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RunInfo(_Record):
    label: str
    variant: str
    spec: str  # as given after NAME=, pins resolved to versions
    engine: str
    model: str | None
    prompts: list[str]  # name@vN#sha of each prompt the results record


class DocRow(_Record):
    run: str
    source: str
    metrics: DocMetrics | None
    error: str | None = None


class JudgeInfo(_Record):
    model: str
    prompt: str
    calls: int
    prompt_tokens: int
    completion_tokens: int
    cache_hits: int


class EvalResults(_Record):
    documents: list[str]
    runs: list[RunInfo]
    rows: list[DocRow]
    totals: dict[str, DocMetrics]
    comparisons: list[Comparison]
    references: int  # documents with a reference summary
    gold: int = 0  # documents with labelled names
    judge: JudgeInfo | None = None

    @property
    def failed(self) -> list[DocRow]:
        return [r for r in self.rows if r.error is not None]


@dataclass(frozen=True)
class Scored:
    outcome: Outcome
    claims: list[Claim]


def score(outcomes: list[Outcome]) -> list[Scored]:
    return [Scored(o, claims(o.result, o.doc) if o.result is not None else []) for o in outcomes]


def build(
    scored: list[Scored],
    references: dict[str, str] | None = None,
    verdicts: judge.Verdicts | None = None,
    gold: dict[str, Entities] | None = None,
) -> EvalResults:
    references = references or {}
    gold = gold or {}
    runs: dict[str, RunInfo] = {}
    rows: list[DocRow] = []
    for item in scored:
        outcome = item.outcome
        info = runs.setdefault(outcome.run.label, _info(outcome))
        if outcome.result is None:
            rows.append(
                DocRow(run=info.label, source=outcome.doc.source, metrics=None, error=outcome.error)
            )
            continue
        used = [p.label for p in outcome.result.metadata.prompts]
        info.prompts.extend(p for p in used if p not in info.prompts)
        metrics = compute(outcome.result, outcome.doc, item.claims)
        if (reference := references.get(outcome.doc.source)) is not None:
            metrics.rouge = rouge.score(reference, outcome.result.summary)
        if verdicts is not None:
            metrics.judge = judge.tally(item.claims, verdicts.answers)
        if (labelled := gold.get(outcome.doc.source)) is not None:
            metrics.entities = entities_.count(outcome.result.entities, labelled)
        rows.append(DocRow(run=info.label, source=outcome.doc.source, metrics=metrics))
    by_run: Rows = {}
    for row in rows:
        if row.metrics is not None:
            by_run.setdefault(row.run, {})[row.source] = row.metrics
    summed = {label: totals(list(by_run.get(label, {}).values())) for label in runs}
    return EvalResults(
        documents=list(dict.fromkeys(i.outcome.doc.source for i in scored)),
        runs=list(runs.values()),
        rows=rows,
        totals={label: total for label, total in summed.items() if total is not None},
        comparisons=compare(by_run, list(runs)),
        references=len(references),
        gold=len(gold),
        judge=_judge_info(verdicts) if verdicts is not None else None,
    )


def _info(outcome: Outcome) -> RunInfo:
    run = outcome.run
    return RunInfo(
        label=run.label,
        variant=run.variant.name,
        spec=run.variant.spec,
        engine=run.variant.engine,
        model=run.model,
        prompts=[],
    )


def _judge_info(verdicts: judge.Verdicts) -> JudgeInfo:
    usage = verdicts.usage
    return JudgeInfo(
        model=verdicts.model,
        prompt=verdicts.prompt.label,
        calls=usage.calls,
        prompt_tokens=usage.prompt_tokens,
        completion_tokens=usage.completion_tokens,
        cache_hits=usage.cached,
    )
