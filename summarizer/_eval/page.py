"""The eval as one self-contained HTML page (`summarizer eval --report report.html`).

The same tables as the terminal's (totals, the paired comparison), then each document
with its metrics and, side by side, one column per run: the summary's sentences, the key
points and the facts, each marked as the eval's lexical check found it (and the judge,
when one was asked), a fact with the evidence it quotes. It is built with the single
result page's machinery (`_formats/html.py`): everything from a document is escaped,
control characters are shown as symbols, the stylesheet is inline and the
Content-Security-Policy allows that stylesheet alone, so the page runs no script and
loads nothing, whatever the documents held.
"""

from __future__ import annotations

from dataclasses import dataclass

from summarizer._eval.claims import Claim, Kind
from summarizer._eval.judge import Verdicts
from summarizer._eval.report import _cell, _delta, _failure, _shown
from summarizer._eval.results import EvalResults, Scored
from summarizer._formats.html import render_template


@dataclass(frozen=True)
class Line:
    """One claim of a run's output, with what each check made of it."""

    text: str
    supported: bool  # the eval's lexical check: its evidence is about it, its numbers hold
    cited: bool  # the output gave the evidence; otherwise it was found by search
    evidence: str
    judge: bool | None = None  # the judge's verdict, when a judge was asked and answered


@dataclass(frozen=True)
class Column:
    """One run's output for one document, or the error that stopped it."""

    run: str
    error: str | None = None
    summary: tuple[Line, ...] = ()
    key_points: tuple[Line, ...] = ()
    facts: tuple[Line, ...] = ()


@dataclass(frozen=True)
class Document:
    source: str
    language: str
    metrics: list[tuple[str, list[str]]]  # a metric's name, and its cell for every run
    columns: list[Column]


def render(results: EvalResults, scored: list[Scored], verdicts: Verdicts | None = None) -> str:
    """The page; `scored` holds the claims the results were computed from."""
    labels = [r.label for r in results.runs]
    shown = _shown(results)
    return render_template(
        "eval.html.j2",
        script=False,
        results=results,
        labels=labels,
        totals=[(m.name, [_cell(results.totals.get(x), m) for x in labels]) for m in shown],
        comparisons=[
            (c, _delta(c.mean_delta))
            for c in results.comparisons
            if c.metric in {m.name for m in shown}
        ],
        documents=documents(results, scored, verdicts),
        failures=[(r.run, _failure(r.source, r.error)) for r in results.failed],
    )


def documents(
    results: EvalResults, scored: list[Scored], verdicts: Verdicts | None
) -> list[Document]:
    """Each document with its metrics per run and, per run, its claims in the order given."""
    labels = [r.label for r in results.runs]
    shown = _shown(results)
    answers = verdicts.answers if verdicts is not None else {}
    found: list[Document] = []
    for source in results.documents:
        mine = {r.run: r.metrics for r in results.rows if r.source == source}
        items = {i.outcome.run.label: i for i in scored if i.outcome.doc.source == source}
        language = next((i.outcome.doc.language for i in items.values()), "")
        found.append(
            Document(
                source,
                language,
                [(m.name, [_cell(mine.get(x), m) for x in labels]) for m in shown],
                [_column(label, items.get(label), answers) for label in labels],
            )
        )
    return found


def _column(label: str, item: Scored | None, answers: dict[tuple[str, str], bool | None]) -> Column:
    if item is None:
        return Column(label, "not run on this document")
    if item.outcome.result is None:
        return Column(label, _failure(item.outcome.doc.source, item.outcome.error))

    def lines(kind: Kind) -> tuple[Line, ...]:
        return tuple(_line(c, answers) for c in item.claims if c.kind == kind)

    return Column(label, None, lines("summary"), lines("key_point"), lines("fact"))


def _line(claim: Claim, answers: dict[tuple[str, str], bool | None]) -> Line:
    verdict = answers.get((claim.text, claim.evidence)) if claim.evidence else None
    return Line(claim.text, claim.supported, claim.cited, claim.evidence, verdict)
