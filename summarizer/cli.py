"""The command line: parse flags, call the library, render, and turn errors into one line.

Nothing below the CLI prints or exits; every failure the library knows about arrives here
as a `SummarizerError`, is printed as `summarizer: error: ...` on stderr (secrets blotted
out), and sets the exit code: 2 for usage, input and config errors, 1 for a failed run.
Only `--debug` shows a traceback, redacted too.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any, NoReturn, TypeVar, get_args

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from summarizer import _batch as batch
from summarizer import _config as config
from summarizer import _engines as engines
from summarizer import _formats as formats
from summarizer import _prompts as prompts
from summarizer._engines.base import Progress as ProgressHook
from summarizer._errors import ConfigError, OutputError, SummarizerError
from summarizer._output import is_regular_or_new, write_text
from summarizer._pipeline import summarize_source
from summarizer._redaction import Redactor
from summarizer._schemas import DocumentSummary
from summarizer._session import Session, redactor
from summarizer._sinks import JsonlSink, Sink, StdoutSink

F = TypeVar("F", bound=Callable[..., Any])
MODES = get_args(config.ModeName)
OFFLINE_NOTICE = (
    "Offline extractive engine (no model configured); point it at a model with "
    "--base-url and --model, or SUMMARIZER_BASE_URL and SUMMARIZER_MODEL."
)
_redact = Redactor()  # set once the settings are known, for errors raised after that


def _reports_errors(func: F) -> F:
    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = kwargs.get("debug", False)
        try:
            return func(*args, **kwargs)
        except BrokenPipeError:
            _quiet_broken_pipe()
        except SummarizerError as e:
            _fail(str(e), e.exit_code, e if debug else None)
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except Exception as e:  # a bug: still one line, the traceback behind --debug
            _fail(
                f"internal error: {type(e).__name__}: {e} (rerun with --debug for details)",
                1,
                e if debug else None,
            )

    return wrapper  # type: ignore[return-value]


def _fail(message: str, code: int, error: BaseException | None = None) -> NoReturn:
    if error is not None:
        click.echo(_redact("".join(traceback.format_exception(error))), err=True, nl=False)
    line = " ".join(_redact(message).split())  # one line, whatever the message held
    click.echo(f"summarizer: error: {line}", err=True)
    sys.exit(code)


def _quiet_broken_pipe() -> NoReturn:
    """The reader went away (`| head`): stop quietly, as Unix tools do."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())  # so the interpreter's last flush cannot fail
    sys.exit(141)


class _Group(click.Group):
    """Usage errors as one line, exit 2, like every other error."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            return super().main(*args, **kwargs)
        except click.UsageError as e:
            where = f"{e.ctx.command_path}: " if e.ctx else ""
            _fail(f"{where}{e.format_message()}", 2)
        except click.exceptions.Exit as e:
            sys.exit(e.exit_code)
        except click.Abort:
            _fail("interrupted", 130)
        except click.ClickException as e:
            _fail(e.format_message(), e.exit_code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="summarizer")
def main() -> None:
    """Structured, grounded summaries of messy documents."""


_MODEL_OPTIONS = [
    click.option(
        "--base-url",
        default=None,
        help="An OpenAI-compatible endpoint, e.g. http://localhost:11434/v1.",
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
    type=click.Choice(formats.names()),
    default=None,
    help="Output format [default: rich, or from the -o suffix].",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the result to this file instead of stdout.",
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
@click.option("--resume", is_flag=True, help="Skip documents already in the -o JSON Lines file.")
@click.option("--quiet", "-q", is_flag=True, help="No notices or progress on stderr.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@_reports_errors
def summarize(
    paths: tuple[str, ...],
    fmt: str | None,
    output: Path | None,
    resume: bool,
    quiet: bool,
    debug: bool,
    no_cache: bool,
    prompt_pins: tuple[str, ...],
    **flags: Any,
) -> None:
    """Summarize PATHS: .txt, .md, .html or .pdf files, directories, globs, or - for stdin.

    With no PATHS and a pipe on stdin, stdin is read. One document prints a panel (or JSON,
    or Markdown). Several, or a directory, write one JSON line per document as each
    finishes, and --resume carries on a killed run without repeating a document.
    """
    global _redact
    if not paths:
        if sys.stdin.isatty():
            raise ConfigError("no input: name a file, a folder or - for stdin")
        paths = ("-",)
    settings = config.resolve(
        {**flags, "cache": False if no_cache else None, "prompts": prompt_pins or None}
    )
    _redact = redactor(settings)
    for pin in settings.prompts:
        prompts.load(pin)  # an unknown prompt or version fails before any work
    engine = engines.choose(settings)
    if engine == "llm" and not settings.model_configured:
        raise ConfigError("--engine llm needs a model: pass --model (and --base-url)")
    if (
        output is not None
        and len(paths) == 1
        and paths[0] != "-"
        and _same_file(Path(paths[0]), output)
    ):
        raise OutputError(f"{output}: refusing to overwrite the input document")
    chosen = _chosen_format(fmt, output)
    several = len(paths) > 1 or any(Path(p).is_dir() for p in paths if p != "-")
    if several or resume or (chosen is not None and chosen.line_oriented):
        _batch(paths, settings, chosen, output, resume=resume, quiet=quiet)
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
    async def run(progress: ProgressHook | None) -> DocumentSummary:
        async with Session(settings) as session:
            return await summarize_source(path, session, stdin=sys.stdin.buffer, progress=progress)

    with _progress(quiet) as progress:
        result = asyncio.run(run(progress))
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


@contextmanager
def _progress(quiet: bool) -> Iterator[ProgressHook | None]:
    """A progress bar on stderr for documents of several chunks; silent unless a TTY."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    progress = Progress(
        TextColumn("[bold]chunks"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task: TaskID | None = None

    def update(done: int, total: int) -> None:
        nonlocal task
        if total < 2:
            return
        if task is None:
            progress.start()
            task = progress.add_task("chunks", total=total)
        progress.update(task, completed=done)

    try:
        yield update
    finally:
        progress.stop()


def _batch(
    paths: tuple[str, ...],
    settings: config.Settings,
    fmt: formats.Format | None,
    output: Path | None,
    *,
    resume: bool,
    quiet: bool,
) -> None:
    """Run a batch with a progress bar, then a table of what happened; exit 1 if any failed."""
    if fmt is not None and not fmt.line_oriented:
        raise ConfigError(f"several documents are written as JSON Lines, not --format {fmt.name}")
    if resume and (output is None or not is_regular_or_new(output)):
        raise ConfigError("--resume needs -o FILE, the JSON Lines file to carry on")
    sink: Sink
    sink = (
        JsonlSink(output, resume=resume)
        if output is not None and is_regular_or_new(output)
        else StdoutSink()
    )
    if sink.rejected is not None:
        rejected = sink.rejected
        click.echo(
            f"summarizer: {rejected.lines} line(s) that are not records moved to {rejected.path}",
            err=True,
        )
    err = Console(stderr=True)
    progress = Progress(
        TextColumn("[bold]documents"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[last]}"),
        console=err,
        transient=True,
    )
    task = progress.add_task("documents", total=None, last="")

    def on_event(kind: str, source: str, finished: int, total: int) -> None:
        progress.update(task, completed=finished, total=total, last=f"{kind}: {Path(source).name}")

    if not quiet and sys.stderr.isatty():
        progress.start()
    try:
        outputs = [output] if output is not None else []
        report = asyncio.run(batch.run(paths, settings, sink, outputs=outputs, on_event=on_event))
    finally:
        progress.stop()
        sink.close()
    for failure in report.failures:
        message = (
            failure.error
            if failure.error.startswith(failure.source)
            else f"{failure.source}: {failure.error}"
        )
        click.echo(f"summarizer: error: {' '.join(_redact(message).split())}", err=True)
    if not quiet:
        table = Table(
            "done", "failed", "skipped", "prompt tokens", "completion tokens", "time", box=None
        )
        table.add_row(
            str(report.done),
            str(report.failed),
            str(report.skipped),
            str(report.prompt_tokens),
            str(report.completion_tokens),
            f"{report.seconds:.1f}s",
        )
        err.print(table)
    if report.failed:
        sys.exit(1)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return b.exists() and a.exists() and a.samefile(b)
    except OSError:
        return False


@main.command()
@_model_options
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@_reports_errors
def doctor(debug: bool, **flags: Any) -> None:
    """Check the model endpoint: reachable, models, mode, context window, a smoke test."""
    global _redact
    from summarizer._doctor import diagnose

    settings = config.resolve({**flags, "timeout": 60.0})
    _redact = redactor(settings)
    checks = asyncio.run(diagnose(settings))
    table = Table("check", "", "result", "what to do", box=None, show_lines=False)
    marks = {True: "[green]ok[/]", False: "[red]FAIL[/]", None: "[yellow]warn[/]"}
    for check in checks:
        table.add_row(check.name, marks[check.ok], _redact(check.detail), _redact(check.fix))
    Console().print(table)
    if any(check.ok is False for check in checks):
        sys.exit(1)


@main.command()
@_reports_errors
def schema(debug: bool = False) -> None:
    """Print the JSON Schema that every --format json result validates against."""
    click.echo(json.dumps(DocumentSummary.model_json_schema(), indent=2, ensure_ascii=False))


@main.group(name="prompts")
def prompts_group() -> None:
    """The versioned prompt files."""


@prompts_group.command(name="list")
@_reports_errors
def prompts_list(debug: bool = False) -> None:
    """List prompts, their versions and hashes."""
    table = Table("name", "versions", "newest", "sha256", "description", box=None)
    for name in prompts.names():
        newest = prompts.load(name)
        table.add_row(
            name,
            ", ".join(f"v{v}" for v in prompts.versions(name)),
            f"v{newest.meta.version}",
            newest.sha256[:12],
            newest.meta.description,
        )
    Console().print(table)


@prompts_group.command(name="show")
@click.argument("ref")
@_reports_errors
def prompts_show(ref: str, debug: bool = False) -> None:
    """Print a prompt file: NAME for the newest version, NAME@vN for another."""
    prompt = prompts.load(ref)
    click.echo(f"# {prompt.ref.label}  ({prompt.path.name})", err=True)
    click.echo(prompt.path.read_text(encoding="utf-8"), nl=False)
