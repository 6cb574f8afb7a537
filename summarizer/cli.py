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
from summarizer import _engines as engines
from summarizer import _executors as executors
from summarizer import _formats as formats
from summarizer import _prompts as prompts
from summarizer import _views as views
from summarizer._engines.base import Progress as ProgressHook
from summarizer._errors import ConfigError
from summarizer._eval.command import eval_command
from summarizer._exits import Group, redact, reports_errors, run, use_redactor
from summarizer._inputs import Item, expand, overwrites_input
from summarizer._output import is_regular_or_new, write_text
from summarizer._pipeline import summarize_source
from summarizer._schemas import DocumentSummary
from summarizer._session import Session, redactor
from summarizer._sinks import JsonlSink, Sink, StreamSink
from summarizer._tables import is_table

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
    help="Output format [default: rich, or from the -o suffix]; parquet: shards in -o DIR/.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    help="Write the result to this file instead of stdout (a folder for --format parquet).",
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
    "--extractive-facts",
    "extractive_facts",
    is_flag=True,
    default=None,
    help="With citing prompts (v2): a fact's statement is its cited sentence, verbatim.",
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
@click.option("--resume", is_flag=True, help="Skip documents already in the -o JSON Lines file.")
@click.option("--quiet", "-q", is_flag=True, help="No notices or progress on stderr.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@reports_errors
def summarize(
    paths: tuple[str, ...],
    fmt: str | None,
    output: Path | None,
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
    or Markdown). Several, or a directory, write one JSON line per document as each
    finishes, and --resume carries on a killed run without repeating a document.
    """
    if not paths:
        if sys.stdin.isatty():
            raise ConfigError("no input: name a file, a folder or - for stdin")
        paths = ("-",)
    settings = config.resolve(
        {**flags, "cache": False if no_cache else None, "prompts": prompt_pins or None}
    )
    use_redactor(redactor(settings))
    for pin in settings.prompts:
        prompts.load(pin)  # an unknown prompt or version fails before any work
    engine = engines.choose(settings)
    if engine == "llm" and not settings.model_configured:
        raise ConfigError("--engine llm needs a model: pass --model (and --base-url)")
    outputs = [output] if output is not None else []
    tables = [p for p in paths if is_table(p)]
    if tables and executor != "ray":
        raise ConfigError(f"{tables[0]}: tables (.parquet, .jsonl) are read on Ray: --executor ray")
    parquet = fmt == "parquet"
    if output is not None and output.is_dir() and not parquet:
        raise ConfigError(f"-o {output}: is a folder; only --format parquet writes into one")
    several = parquet or bool(tables) or len(paths) > 1
    several = several or any(Path(p).is_dir() for p in paths if p != "-")
    items = expand(paths, outputs=outputs) if several else None  # refused before any writing
    if not several and output is not None and paths[0] != "-" and _same_file(paths[0], output):
        raise ConfigError(overwrites_input(output, paths[0]))
    chosen = None if parquet else _chosen_format(fmt, output)
    if several or resume or (chosen is not None and chosen.line_oriented):
        items = items if items is not None else expand(paths, outputs=outputs)
        _batch(
            items,
            settings,
            chosen,
            output,
            resume=resume,
            quiet=quiet,
            executor=executor,
            parquet=parquet,
        )
    else:
        _one(paths[0], settings, chosen, output, quiet=quiet)
    if engine == "extractive" and not quiet:
        if settings.language:
            click.echo(
                "summarizer: --lang needs a model; the offline summary keeps the document's language",
                err=True,
            )
        click.echo(OFFLINE_NOTICE, err=True)


def _chosen_format(fmt: str | None, output: Path | None) -> formats.Format | None:
    if fmt is not None:
        return formats.get(fmt)
    if output is None or not is_regular_or_new(output):
        return None  # the terminal view, or whatever the pipe gets
    found = formats.for_path(output)
    if found is None and output.suffix:
        known = ", ".join(s for f in formats.FORMATS.values() for s in f.suffixes)
        raise ConfigError(
            f"{output}: cannot tell the format from {output.suffix!r} (known: {known}); pass --format"
        )
    return found


def _one(
    path: str,
    settings: config.Settings,
    fmt: formats.Format | None,
    output: Path | None,
    *,
    quiet: bool,
) -> None:
    async def work(progress: ProgressHook | None) -> DocumentSummary:
        async with Session(settings) as session:
            return await summarize_source(path, session, stdin=sys.stdin.buffer, progress=progress)

    shown = not quiet and sys.stderr.isatty()
    with views.chunk_progress(Console(stderr=True) if shown else None) as progress:
        result = run(work(progress))
    if result.metadata.document and result.metadata.document.replaced_bytes:
        click.echo(
            f"summarizer: {path}: {result.metadata.document.replaced_bytes} byte(s) were not "
            "UTF-8 and were replaced",
            err=True,
        )
    if output is None:
        chosen = fmt or formats.get("rich")
        if chosen.view is not None and sys.stdout.isatty():
            Console().print(chosen.view(result))
        else:
            click.echo(chosen.render(result), nl=False)
    else:
        write_text(output, (fmt or formats.get("rich")).render(result))


def _batch(
    items: list[Item],
    settings: config.Settings,
    fmt: formats.Format | None,
    output: Path | None,
    *,
    resume: bool,
    quiet: bool,
    executor: str = "local",
    parquet: bool = False,
) -> None:
    """Run a batch with a progress bar, then a table of what happened; exit 1 if any failed."""
    if fmt is not None and not fmt.line_oriented:
        raise ConfigError(f"several documents are written as JSON Lines, not --format {fmt.name}")
    if resume and not parquet and (output is None or not is_regular_or_new(output)):
        raise ConfigError("--resume needs -o FILE, the JSON Lines file to carry on")
    sink: Sink
    if parquet:
        if output is None:
            raise ConfigError("--format parquet needs -o DIR/, the folder for its shards")
        try:
            from summarizer._sinks_parquet import ParquetSink
        except ImportError as e:
            raise ConfigError(
                "--format parquet needs pyarrow: pip install 'summarizer[ray]'"
            ) from e
        sink = ParquetSink(output, resume=resume)
    elif output is None:
        sink = StreamSink(sys.stdout.buffer, "<stdout>")
    elif is_regular_or_new(output):
        sink = JsonlSink(output, resume=resume)
    else:  # a FIFO, a pipe, a terminal: written through, never replaced
        sink = StreamSink.open(output)
    if sink.rejected is not None:
        rejected = sink.rejected
        click.echo(
            f"summarizer: {rejected.lines} line(s) that are not records moved to {rejected.path}",
            err=True,
        )
    err = Console(stderr=True)
    bar = views.DocumentProgress(err)
    shown = not quiet and sys.stderr.isatty()
    stop = bar.progress.stop if shown else None  # stopping a bar never started prints a newline
    if stop is not None:
        bar.progress.start()
    try:
        outputs = [output] if output is not None else []
        work = batch.run(items, settings, sink, executor=executor, outputs=outputs, on_event=bar)
        report = run(work, cleanup=stop)
    finally:
        if stop is not None:
            stop()
        sink.close()
    for failure in report.failures:
        message = (
            failure.error
            if failure.error.startswith(failure.source)
            else f"{failure.source}: {failure.error}"
        )
        click.echo(f"summarizer: error: {' '.join(redact(message).split())}", err=True)
    if not quiet:
        err.print(views.report_table(report))
    if report.failed:
        sys.exit(1)


def _same_file(a: str, b: Path) -> bool:
    try:
        return b.exists() and Path(a).exists() and Path(a).samefile(b)
    except OSError:
        return False


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
@reports_errors
def schema(debug: bool = False) -> None:
    """Print the JSON Schema that every --format json result validates against."""
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
