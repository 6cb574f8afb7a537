"""The eval's results for people and programs: a rich table, JSON and Markdown.

The table shows the totals side by side, one column per run, and the paired comparison
of each run with the first; JSON holds everything, per document too; Markdown is the
same as the table plus one table per document, for a pull request or a notebook.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Column, Table
from rich.text import Text

from summarizer._eval.metrics import METRICS, DocMetrics, Metric
from summarizer._eval.results import EvalResults


def _shown(results: EvalResults) -> list[Metric]:
    """The rows that say something: ROUGE only with references, agreement only with a judge."""
    skip = set()
    if not results.references:
        skip |= {"rouge1", "rouge2", "rougeL"}
    if results.judge is None:
        skip.add("judge agreement")
    if not results.gold:
        skip |= {"entity precision", "entity recall"}
    return [m for m in METRICS if m.name not in skip]


def _cell(metrics: DocMetrics | None, metric: Metric) -> str:
    return metric.show(metrics) if metrics is not None else "failed"


def _delta(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:+,.0f}" if abs(value) >= 100 else f"{value:+.2f}"


def _failure(source: str, error: str | None) -> str:
    """The error, naming its document once (document errors already start with it)."""
    error = error or ""
    return error if error.startswith(source) else f"{source}: {error}"


def table(results: EvalResults) -> RenderableType:
    labels = [r.label for r in results.runs]
    totals = Table(
        Column("metric", no_wrap=True),
        *labels,
        title=f"summarizer eval: {len(results.documents)} document(s), totals",
        title_justify="left",
    )
    for metric in _shown(results):
        totals.add_row(metric.name, *(_cell(results.totals.get(label), metric) for label in labels))
    parts: list[RenderableType] = [totals]
    if results.comparisons:
        paired = Table(
            Column("metric", no_wrap=True),
            "better",
            Column("run", no_wrap=True),
            Column("winner", no_wrap=True),
            "W–L–T",
            "mean Δ",
            title=f"paired by document, against {results.comparisons[0].baseline}",
            title_justify="left",
        )
        shown = {m.name for m in _shown(results)}
        for c in (c for c in results.comparisons if c.metric in shown):
            paired.add_row(
                c.metric,
                c.better,
                c.challenger,
                c.winner or "tie",
                f"{c.wins}–{c.losses}–{c.ties}",
                _delta(c.mean_delta),
            )
        parts.append(paired)
    for row in results.failed:
        parts.append(Text(f"failed: {row.run}: {_failure(row.source, row.error)}", style="red"))
    if results.judge is not None:
        j = results.judge
        parts.append(
            Text(
                f"judge {j.model} ({j.prompt}): {j.calls} calls, {j.prompt_tokens}+"
                f"{j.completion_tokens} tokens, {j.cache_hits} cache hits"
            )
        )
    return Group(*parts)


def to_json(results: EvalResults) -> str:
    return results.model_dump_json(indent=2) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(_md(h) for h in header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def to_markdown(results: EvalResults) -> str:
    labels = [r.label for r in results.runs]
    shown = _shown(results)
    lines = [f"# summarizer eval: {len(results.documents)} document(s)", ""]
    lines += _md_table(
        ["run", "variant", "model", "prompts used"],
        [
            [r.label, r.spec or "default prompts", r.model or "—", ", ".join(r.prompts) or "—"]
            for r in results.runs
        ],
    )
    lines += ["## Totals", ""]
    lines += _md_table(
        ["metric", *labels],
        [[m.name, *(_cell(results.totals.get(x), m) for x in labels)] for m in shown],
    )
    if results.comparisons:
        lines += [f"## Paired by document, against {results.comparisons[0].baseline}", ""]
        names = {m.name for m in shown}
        lines += _md_table(
            ["metric", "better", "challenger", "wins", "losses", "ties", "mean Δ", "winner"],
            [
                [
                    c.metric,
                    c.better,
                    c.challenger,
                    str(c.wins),
                    str(c.losses),
                    str(c.ties),
                    _delta(c.mean_delta),
                    c.winner or "tie",
                ]
                for c in results.comparisons
                if c.metric in names
            ],
        )
    lines += ["## Per document", ""]
    for source in results.documents:
        mine = {r.run: r.metrics for r in results.rows if r.source == source}
        lines += [f"### {source}", ""]
        lines += _md_table(
            ["metric", *labels], [[m.name, *(_cell(mine.get(x), m) for x in labels)] for m in shown]
        )
    if results.failed:
        lines += ["## Failures", ""]
        lines += _md_table(
            ["run", "document", "error"], [[r.run, r.source, r.error or ""] for r in results.failed]
        )
    return "\n".join(lines)
