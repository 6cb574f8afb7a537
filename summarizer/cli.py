"""The command line: parse flags, call the library, render, and turn errors into one line.

Nothing below the CLI prints or exits; every failure the library knows about arrives here
as a `SummarizerError`, is printed as `summarizer: error: ...` on stderr (secrets blotted
out), and sets the exit code: 2 for usage, input and config errors, 1 for a failed run.
Only `--debug` shows a traceback, redacted too.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, get_args

import click
from rich.console import Console

from summarizer import _batch as batch
from summarizer import _config as config
from summarizer import _destinations as destinations
from summarizer import _engines as engines
from summarizer import _executors as executors
from summarizer import _formats as formats
from summarizer import _prompts as prompts
from summarizer import _schema_commands as schema_commands
from summarizer import _views as views
from summarizer._engines.base import Progress as ProgressHook
from summarizer._errors import ConfigError
from summarizer._eval.command import eval_command
from summarizer._exits import Group, redact, reports_errors, run, use_redactor
from summarizer._inputs import Item
from summarizer._output import write_text
from summarizer._pipeline import Summarized, summarize_source_with_text
from summarizer._schemas import DocumentSummary
from summarizer._session import Session, redactor
from summarizer._sinks import Sink

F = TypeVar("F", bound=Callable[..., Any])
MODES = get_args(config.ModeName)
OFFLINE_NOTICE = (
    "Offline extractive engine (no model configured); point it at a model with "
    "--base-url and --model, or SUMMARIZER_BASE_URL and SUMMARIZER_MODEL."
)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="summarizer")
def main() -> None:
    """Structured, grounded summaries of messy documents."""


_MODEL_OPTIONS = [
    click.option(
        "--base-url",
        multiple=True,
        help="An OpenAI-compatible endpoint, e.g. http://localhost:11434/v1; several (repeated, "
        "or a comma list) make a pool.",
    ),
    click.option("--model", "-m", default=None, help="The model name the endpoint serves."),
    click.option(
        "--mode",
        type=click.Choice(MODES),
        default=None,
        help="Structured-output mode; auto probes once.",
    ),
    click.option(
        "--context-window", type=int, default=None, help="Tokens, when the server does not say."
    ),
    click.option("--profile", default=None, help="A [profiles.NAME] table of the config file."),
]


def _model_options(func: F) -> F:
    for option in reversed(_MODEL_OPTIONS):
        func = option(func)
    return func


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str, allow_dash=True))
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice([*formats.names(), "parquet"]),
    default=None,
    help="Output format [default: rich, or from the -o suffix]; parquet: shards in -o DIR/; "
    "html with -o DIR/: a page per document and index.html.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=str),
    help="Write the result to this file instead of stdout (a folder, DIR/, for --format html "
    "or parquet).",
)
@click.option(
    "--engine",
    type=click.Choice(["auto", *engines.names()]),
    default=None,
    help="Force an engine; auto uses a model when one is configured.",
)
@_model_options
@click.option(
    "--concurrency", type=int, default=None, help="Requests in flight at once [default: 4]."
)
@click.option(
    "--timeout", type=float, default=None, help="Seconds per model request [default: 300]."
)
@click.option(
    "--model-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Run a GGUF model in-process (needs the local extra).",
)
@click.option(
    "--lang",
    "language",
    default=None,
    help="Write the summary in this language (e.g. en, zh-Hant).",
)
@click.option(
    "--prompt", "prompt_pins", multiple=True, help="Pin a prompt version, NAME@vN; repeatable."
)
@click.option(
    "--extractive-facts/--paraphrased-facts",
    "extractive_facts",
    default=None,
    help="With citing prompts (v2): a fact's statement is its cited sentence, verbatim "
    "(the default), or the model's own words.",
)
@click.option(
    "--schema",
    "schema_spec",
    metavar="SPEC",
    default=None,
    help="Also fill your own fields: a JSON Schema file, module:Class, a saved name, or "
    "inline ('buyer, amount float: in yuan, deadline date'). Needs a model.",
)
@click.option(
    "--no-summary", "summary", flag_value=False, default=None, help="With --schema: fields only."
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache.")
@click.option(
    "--chunk-tokens",
    type=int,
    default=None,
    help="Token budget per chunk [default: what the context window leaves].",
)
@click.option(
    "--chunk-overlap", type=int, default=None, help="Tokens shared by neighbouring chunks."
)
@click.option(
    "--executor",
    type=click.Choice(executors.names()),
    default="local",
    help="Where documents run: local (this process) or ray (a cluster; the ray extra).",
)
@click.option(
    "--ray-address",
    default=None,
    help="The Ray cluster to join ('auto': the one running here) [default: start a local one].",
)
@click.option("--ray-actors", type=int, default=None, help="Ray workers [default: the CPUs].")
@click.option(
    "--text-column", default=None, help="The text column of .parquet/.jsonl inputs [default: text]."
)
@click.option(
    "--id-column", default=None, help="The column naming each row, FILE#ID [default: row index]."
)
@click.option(
    "--resume", is_flag=True, help="Skip documents already in the -o JSON Lines file or -o DIR/."
)
@click.option("--quiet", "-q", is_flag=True, help="No notices or progress on stderr.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@reports_errors
def summarize(
    paths: tuple[str, ...],
    fmt: str | None,
    output: str | None,
    resume: bool,
    quiet: bool,
    debug: bool,
    no_cache: bool,
    prompt_pins: tuple[str, ...],
    executor: str,
    **flags: Any,
) -> None:
    """Summarize PATHS: .txt, .md, .html or .pdf files, directories, globs, or - for stdin.

    With no PATHS and a pipe on stdin, stdin is read. One document prints a panel (or JSON,
    Markdown, or an HTML page). Several, or a directory, write one JSON line per document
    as each finishes (with --format html -o DIR/: a page each, and DIR/index.html), and
    --resume carries on a killed run without repeating a document.
    """
    if not paths:
        if sys.stdin.isatty():
            raise ConfigError("no input: name a file, a folder or - for stdin")
        paths = ("-",)
    settings = _settings(flags, no_cache=no_cache, prompt_pins=prompt_pins)
    destination = destinations.choose(paths, fmt, output, executor=executor, resume=resume)
    if destination.items is not None:
        _batch(
            destination.items, settings, destination, resume=resume, quiet=quiet, executor=executor
        )
    else:
        _one(paths[0], settings, destination.format, destination.output, quiet=quiet)
    if engines.choose(settings) == "extractive" and not quiet:
        if settings.language:
            click.echo(
                "summarizer: --lang needs a model; the offline summary keeps the document's language",
                err=True,
            )
        click.echo(OFFLINE_NOTICE, err=True)


def _settings(
    flags: dict[str, Any], *, no_cache: bool, prompt_pins: tuple[str, ...]
) -> config.Settings:
    """The run's settings, with every prompt pin loaded and the engine checked before any work."""
    settings = config.resolve(
        {**flags, "cache": False if no_cache else None, "prompts": prompt_pins or None}
    )
    use_redactor(redactor(settings))
    for pin in settings.prompts:
        prompts.load(pin)  # an unknown prompt or version fails before any work
    if engines.choose(settings) == "llm" and not settings.model_configured:
        raise ConfigError("--engine llm needs a model: pass --model (and --base-url)")
    schema_commands.preflight(settings, engines.choose(settings))
    return settings


def _one(
    path: str,
    settings: config.Settings,
    fmt: formats.Format | None,
    output: Path | None,
    *,
    quiet: bool,
) -> None:
    async def work(progress: ProgressHook | None) -> Summarized:
        async with Session(settings) as session:
            return await summarize_source_with_text(
                path, session, stdin=sys.stdin.buffer, progress=progress
            )

    shown = not quiet and sys.stderr.isatty()
    with views.chunk_progress(Console(stderr=True) if shown else None) as progress:
        found = run(work(progress))
    result = found.summary
    if result.metadata.document and result.metadata.document.replaced_bytes:
        click.echo(
            f"summarizer: {result.metadata.source}: {result.metadata.document.replaced_bytes} "
            "byte(s) were not UTF-8 and were replaced",  # the source as shown: no URL password
            err=True,
        )
    chosen = fmt or formats.get("rich")
    if output is not None:
        write_text(output, chosen.rendered(result, found.cleaned))
    elif chosen.view is not None and sys.stdout.isatty():
        Console().print(chosen.view(result))
    else:
        click.echo(chosen.rendered(result, found.cleaned), nl=False)


def _batch(
    items: list[Item],
    settings: config.Settings,
    destination: destinations.Destination,
    *,
    resume: bool,
    quiet: bool,
    executor: str = "local",
) -> None:
    """Run a batch with a progress bar, then a table of what happened; exit 1 if any failed."""
    sink = destinations.open_sink(destination, resume=resume, stdout=sys.stdout.buffer)
    if sink.rejected is not None:
        rejected = sink.rejected
        click.echo(
            f"summarizer: {rejected.lines} line(s) that are not records moved to {rejected.path}",
            err=True,
        )
    report = _run_batch(items, settings, sink, destination.output, executor=executor, quiet=quiet)
    for failure in report.failures:
        message = (
            failure.error
            if failure.error.startswith(failure.source)
            else f"{failure.source}: {failure.error}"
        )
        click.echo(f"summarizer: error: {' '.join(redact(message).split())}", err=True)
    if not quiet:
        Console(stderr=True).print(views.report_table(report))
    if report.failed:
        sys.exit(1)


def _run_batch(
    items: list[Item],
    settings: config.Settings,
    sink: Sink,
    output: Path | None,
    *,
    executor: str,
    quiet: bool,
) -> batch.Report:
    """The batch under a progress bar (on a terminal, unless --quiet); the sink closed after."""
    bar = views.DocumentProgress(Console(stderr=True))
    shown = not quiet and sys.stderr.isatty()
    stop = bar.progress.stop if shown else None  # stopping a bar never started prints a newline
    if stop is not None:
        bar.progress.start()
    try:
        outputs = [output] if output is not None else []
        work = batch.run(items, settings, sink, executor=executor, outputs=outputs, on_event=bar)
        return run(work, cleanup=stop)
    finally:
        if stop is not None:
            stop()
        sink.close()


@main.command()
@_model_options
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@reports_errors
def doctor(debug: bool, **flags: Any) -> None:
    """Check the model endpoint: reachable, models, mode, context window, a smoke test."""
    from summarizer._doctor import diagnose

    settings = config.resolve({**flags, "timeout": 60.0})
    secrets = redactor(settings)
    use_redactor(secrets)
    checks = run(diagnose(settings))
    Console().print(views.doctor_table(checks, secrets))
    if any(check.ok is False for check in checks):
        sys.exit(1)


@main.command()
@click.option("--for", "spec", metavar="SPEC", default=None, help="With --schema SPEC's fields.")
@reports_errors
def schema(spec: str | None = None, debug: bool = False) -> None:
    """Print the JSON Schema that every --format json result validates against."""
    if spec is not None:
        click.echo(schema_commands.result_schema(spec))
        return
    click.echo(json.dumps(DocumentSummary.model_json_schema(), indent=2, ensure_ascii=False))


@main.group(name="prompts")
def prompts_group() -> None:
    """The versioned prompt files."""


@prompts_group.command(name="list")
@reports_errors
def prompts_list(debug: bool = False) -> None:
    """List prompts, their versions and hashes."""
    Console().print(views.prompts_table())


@prompts_group.command(name="show")
@click.argument("ref")
@reports_errors
def prompts_show(ref: str, debug: bool = False) -> None:
    """Print a prompt file: NAME for the newest version, NAME@vN for another."""
    prompt = prompts.load(ref)
    click.echo(f"# {prompt.ref.label}  ({prompt.path.name})", err=True)
    click.echo(prompt.path.read_text(encoding="utf-8"), nl=False)


main.add_command(eval_command, name="eval")
main.add_command(schema_commands.schemas_group, name="schemas")
