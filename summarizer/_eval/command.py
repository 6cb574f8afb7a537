"""`summarizer eval DOCS... --variant NAME=SPEC ... [--model M ...]`: the click command.

It parses flags, runs the variants through the library, and turns every error into one
line: a usage, input or config error exits 2, a run where some document failed exits 1.
It imports nothing from `cli.py`, which adds it with `main.add_command(eval_command,
name="eval")`, so it can be invoked, and tested, on its own.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

import click
from rich.console import Console

from summarizer import _config as config
from summarizer._errors import ConfigError, SummarizerError
from summarizer._eval import entities as entities_
from summarizer._eval import judge, page, rouge
from summarizer._eval import variants as variants_
from summarizer._eval.corpus import read_all
from summarizer._eval.report import table, to_json, to_markdown
from summarizer._eval.results import EvalResults, Scored, build, score
from summarizer._eval.runner import Outcome, run_all
from summarizer._exits import fail, use_redactor
from summarizer._output import write_text
from summarizer._redaction import Redactor
from summarizer._session import redactor

VARIANT_HELP = (
    "NAME=SPEC, repeatable. SPEC: prompt pins (chunk_notes@v2,merge@v2), with "
    "facts:extractive or facts:paraphrased for facts as cited sentences or in the model's "
    "words, engine:extractive for the offline engine, or nothing for the default prompts. "
    "[default: default with a model, else offline=engine:extractive]"
)


# The flags that are settings, resolved as summarize resolves them.
_SETTINGS = (
    "base_url",
    "mode",
    "context_window",
    "chunk_tokens",
    "concurrency",
    "timeout",
    "profile",
)


@click.command("eval")
@click.argument("docs", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--variant", "specs", multiple=True, metavar="NAME=SPEC", help=VARIANT_HELP)
@click.option("--model", "-m", "models", multiple=True, help="A model to run; repeatable.")
@click.option("--base-url", default=None, help="The OpenAI-compatible endpoint.")
@click.option("--mode", type=click.Choice(get_args(config.ModeName)), default=None)
@click.option("--context-window", type=int, default=None)
@click.option("--chunk-tokens", type=int, default=None)
@click.option("--concurrency", type=int, default=None, help="Requests in flight at once.")
@click.option("--timeout", type=float, default=None, help="Seconds per model request.")
@click.option("--profile", default=None, help="A [profiles.NAME] table of the config file.")
@click.option(
    "--references",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="A folder of reference summaries, matched by file stem: adds ROUGE-1/2/L.",
)
@click.option(
    "--gold",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="A folder of labelled names (STEM.json: people, organizations, places), matched by "
    "file stem: adds entity precision and recall.",
)
@click.option("--judge-model", default=None, help="Ask this model whether each claim holds.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--markdown", "markdown_path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report as one HTML page: the tables, and each document's claims per run.",
)
@click.option(
    "--output-dir",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write eval.json and eval.md into this folder.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress lines on stderr.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def eval_command(debug: bool, **options: Any) -> None:
    """Compare prompt versions and models on DOCS (files, folders, globs).

    Every variant runs with every --model over the documents, through the cache (a rerun
    makes no model calls), and the reference-free metrics come out side by side;
    --report writes them as a page, with each document's claims per run.
    """
    redact = Redactor()
    try:
        base = config.resolve({k: options.pop(k) for k in _SETTINGS})
        redact = redactor(base)
        results = _evaluate(base, **options)
    except SummarizerError as e:
        use_redactor(redact)
        fail(str(e), e.exit_code, e if debug else None)
    if results.failed:
        sys.exit(1)


def _evaluate(
    base: config.Settings,
    *,
    docs: tuple[str, ...],
    specs: tuple[str, ...],
    models: tuple[str, ...],
    references: Path | None,
    gold: Path | None,
    judge_model: str | None,
    json_path: Path | None,
    markdown_path: Path | None,
    report_path: Path | None,
    output_dir: Path | None,
    quiet: bool,
) -> EvalResults:
    if "-" in docs:
        raise ConfigError("eval reads files and folders, not stdin")
    chosen = list(models) or ([base.model] if base.model else [])
    default = (
        variants_.Variant("default") if chosen else variants_.Variant("offline", (), "extractive")
    )
    runs = variants_.plan([variants_.parse(s) for s in specs] or [default], chosen)
    if references is not None:
        rouge.scorer()  # a missing rouge-score fails before any model is asked
    outputs = _outputs(json_path, markdown_path, output_dir)
    written = [p for p, _ in outputs] + ([report_path] if report_path is not None else [])
    evaluated = asyncio.run(
        _run(base, runs, list(docs), references, judge_model, written, quiet, gold)
    )
    results = evaluated.results
    Console().print(table(results))
    for path, render in outputs:
        write_text(path, render(results))
    if report_path is not None:
        write_text(report_path, page.render(results, evaluated.scored, evaluated.verdicts))
    return results


@dataclass(frozen=True)
class _Evaluated:
    """The results, and what the HTML report shows beside them: every claim, every verdict."""

    results: EvalResults
    scored: list[Scored]
    verdicts: judge.Verdicts | None


async def _run(
    base: config.Settings,
    runs: list[variants_.Run],
    inputs: list[str],
    references: Path | None,
    judge_model: str | None,
    outputs: list[Path],
    quiet: bool,
    gold: Path | None = None,
) -> _Evaluated:
    docs = await read_all(inputs, outputs=outputs)
    found = rouge.references(references, docs) if references is not None else None
    labels = entities_.gold(gold, docs) if gold is not None else None
    if found is not None and not quiet:
        for doc in docs:
            if doc.source not in found:
                click.echo(f"summarizer eval: no reference for {doc.source}", err=True)

    def progress(run: variants_.Run, done: list[Outcome]) -> None:
        if not quiet:
            ok = sum(1 for o in done if o.result is not None)
            calls = sum(
                o.result.metadata.usage.calls for o in done if o.result and o.result.metadata.usage
            )
            click.echo(
                f"summarizer eval: {run.label}: {ok}/{len(done)} documents, {calls} calls", err=True
            )

    scored = score(await run_all(runs, docs, base, on_run=progress))
    verdicts = None
    if judge_model is not None:
        settings = base.model_copy(update={"model": judge_model, "engine": "llm", "cache": True})
        pairs = [pair for item in scored for pair in judge.judged(item.claims)]
        verdicts = await judge.ask_all(settings, pairs)
    return _Evaluated(build(scored, found, verdicts, labels), scored, verdicts)


def _outputs(
    json_path: Path | None, markdown_path: Path | None, output_dir: Path | None
) -> list[tuple[Path, Callable[[EvalResults], str]]]:
    outputs: list[tuple[Path, Callable[[EvalResults], str]]] = []
    if output_dir is not None:
        try:
            output_dir.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise ConfigError(f"{output_dir}: cannot make the folder: {e.strerror or e}") from e
        outputs += [(output_dir / "eval.json", to_json), (output_dir / "eval.md", to_markdown)]
    if json_path is not None:
        outputs.append((json_path, to_json))
    if markdown_path is not None:
        outputs.append((markdown_path, to_markdown))
    return outputs
