"""The command line: parse flags, call the library, render, and turn errors into one line.

Nothing below the CLI prints or exits; every failure the library knows about arrives here
as a `SummarizerError`, is printed as `summarizer: error: ...` on stderr, and sets the exit
code. Only `--debug` shows a traceback.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar, get_args

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
from summarizer import _pipeline as pipeline
from summarizer import _prompts as prompts
from summarizer import _render as render
from summarizer._errors import ConfigError, OutputError, SummarizerError
from summarizer._schemas import DocumentSummary

F = TypeVar("F", bound=Callable[..., Any])
FORMATS = ("rich", "json", "markdown", "jsonl")
MODES = get_args(config.ModeName)
ENGINES = get_args(config.Engine)
_SUFFIX_FORMATS = {".json": "json", ".md": "markdown", ".markdown": "markdown"}


def _reports_errors(func: F) -> F:
    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = kwargs.get("debug", False)
        try:
            return func(*args, **kwargs)
        except SummarizerError as e:
            if debug:
                raise
            _fail(str(e), e.exit_code)
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except Exception as e:  # a bug: still one line, the traceback behind --debug
            if debug:
                raise
            _fail(f"internal error: {type(e).__name__}: {e} (rerun with --debug for details)", 1)

    return wrapper  # type: ignore[return-value]


def _fail(message: str, code: int) -> None:
    click.echo(f"summarizer: error: {message}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="summarizer")
def main() -> None:
    """Structured, grounded summaries of messy documents."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str, allow_dash=True))
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(FORMATS),
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
    type=click.Choice(ENGINES),
    default=None,
    help="Force an engine; auto uses a model when one is configured.",
)
@click.option(
    "--base-url",
    default=None,
    help="An OpenAI-compatible endpoint, e.g. http://localhost:11434/v1.",
)
@click.option("--model", "-m", default=None, help="The model name the endpoint serves.")
@click.option(
    "--mode",
    type=click.Choice(MODES),
    default=None,
    help="Structured-output mode; auto probes the endpoint once and caches the answer.",
)
@click.option(
    "--context-window", type=int, default=None, help="Tokens, when the server does not say."
)
@click.option(
    "--concurrency", type=int, default=None, help="Chunks in flight at once [default: 4]."
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
    help="Token budget per chunk [default: what the context window leaves; 1500 offline].",
)
@click.option(
    "--chunk-overlap", type=int, default=None, help="Tokens shared by neighbouring chunks."
)
@click.option("--profile", default=None, help="A [profiles.NAME] table of the config file.")
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

    One document prints a panel (or JSON, or Markdown). Several, or a directory, write one
    JSON line per document as each finishes (--format jsonl), and --resume carries on a
    killed run without repeating a document.
    """
    for pin in prompt_pins:
        prompts.parse_ref(pin)
    settings = config.resolve(
        {**flags, "cache": False if no_cache else None, "prompts": prompt_pins or None}
    )
    if fmt is None and output is not None and output.suffix.lower() == ".jsonl":
        fmt = "jsonl"
    several = len(paths) > 1 or any(Path(p).is_dir() for p in paths if p != "-")
    if fmt == "jsonl" or resume or several:
        if fmt not in (None, "jsonl"):
            raise ConfigError(f"several documents are written as JSON Lines, not --format {fmt}")
        if resume and output is None:
            raise ConfigError("--resume needs -o FILE, the JSON Lines file to carry on")
        _batch(paths, settings, output, resume=resume, quiet=quiet)
        return
    path = paths[0]
    if output is not None and path != "-" and _same_file(Path(path), output):
        raise OutputError(f"{output}: refusing to overwrite the input document")
    with _progress(quiet) as on_progress:
        result = pipeline.summarize(path, settings, on_progress=on_progress)
    fmt = fmt or (_SUFFIX_FORMATS.get(output.suffix.lower(), "rich") if output else "rich")
    if output is None:
        _print(result, fmt)
    else:
        _write(output, _as_text(result, fmt))
    if result.metadata.notice and not quiet:
        click.echo(result.metadata.notice, err=True)


@contextmanager
def _progress(quiet: bool) -> Iterator[pipeline.Progress | None]:
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


@main.command()
@click.option("--base-url", default=None, help="The endpoint to check [default: as configured].")
@click.option("--model", "-m", default=None, help="The model to check [default: as configured].")
@click.option("--mode", type=click.Choice(MODES), default=None, help="Check this mode only.")
@click.option(
    "--context-window", type=int, default=None, help="Tokens, when the server does not say."
)
@click.option("--profile", default=None, help="A [profiles.NAME] table of the config file.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@_reports_errors
def doctor(debug: bool, **flags: Any) -> None:
    """Check the model endpoint: reachable, models, mode, context window, a smoke test."""
    from summarizer._llm import diagnose

    settings = config.resolve({**flags, "timeout": 60.0})
    checks = asyncio.run(diagnose(settings))
    table = Table("check", "", "result", "what to do", box=None, show_lines=False)
    marks = {True: "[green]ok[/]", False: "[red]FAIL[/]", None: "[yellow]warn[/]"}
    for check in checks:
        table.add_row(check.name, marks[check.ok], check.detail, check.fix)
    Console().print(table)
    if any(check.ok is False for check in checks):
        sys.exit(1)


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


def _batch(
    paths: tuple[str, ...],
    settings: config.Settings,
    output: Path | None,
    *,
    resume: bool,
    quiet: bool,
) -> None:
    """Run a batch with a progress bar, then a table of what happened; exit 1 if any failed."""
    sink = batch.JsonlSink(output)
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
    show = not quiet and sys.stderr.isatty()

    def on_event(kind: str, source: str, finished: int, total: int) -> None:
        progress.update(task, completed=finished, total=total, last=f"{kind}: {Path(source).name}")

    if show:
        progress.start()
    try:
        report = asyncio.run(batch.run(paths, settings, sink, resume=resume, on_event=on_event))
    finally:
        progress.stop()
        sink.close()
    for source, error in report.failures:
        click.echo(
            f"summarizer: error: {error}"
            if error.startswith(source)
            else f"summarizer: error: {source}: {error}",
            err=True,
        )
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


def _print(result: DocumentSummary, fmt: str) -> None:
    if fmt == "rich":
        Console().print(render.SummaryView(result))
    else:
        click.echo(_as_text(result, fmt), nl=fmt == "json")


def _as_text(result: DocumentSummary, fmt: str) -> str:
    if fmt == "jsonl":
        return result.model_dump_json() + "\n"
    if fmt == "json":
        return render.to_json(result) + "\n"
    if fmt == "markdown":
        return render.to_markdown(result)
    console = Console(record=True, width=100, file=open(os.devnull, "w"))  # noqa: SIM115
    console.print(render.SummaryView(result))
    console.file.close()
    return console.export_text()


def _same_file(a: Path, b: Path) -> bool:
    try:
        return b.exists() and a.exists() and a.samefile(b)
    except OSError:
        return False


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write(path: Path, text: str) -> None:
    """Write through a temporary file and rename, so a failed write leaves the old file."""
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    except OSError as e:
        raise OutputError(f"{path}: cannot write: {e.strerror or e}") from e
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a result file is an ordinary file
        os.replace(tmp, path)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write: {e.strerror or e}") from e
