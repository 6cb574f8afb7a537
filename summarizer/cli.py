"""The command line: parse flags, call the library, render, and turn errors into one line.

Nothing below the CLI prints or exits; every failure the library knows about arrives here
as a `SummarizerError`, is printed as `summarizer: error: ...` on stderr, and sets the exit
code. Only `--debug` shows a traceback.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console

from summarizer import config, pipeline, render
from summarizer.errors import OutputError, SummarizerError
from summarizer.schemas import DocumentSummary

F = TypeVar("F", bound=Callable[..., Any])
FORMATS = ("rich", "json", "markdown")
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
@click.argument("path", type=click.Path(path_type=str, allow_dash=True))
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
    type=click.Choice(["auto", "extractive", "llm"]),
    default=None,
    help="Force an engine; auto uses a model when one is configured.",
)
@click.option("--chunk-tokens", type=int, default=None, help="Token budget per chunk.")
@click.option(
    "--chunk-overlap", type=int, default=None, help="Tokens shared by neighbouring chunks."
)
@click.option("--profile", default=None, help="A [profiles.NAME] table of the config file.")
@click.option("--quiet", "-q", is_flag=True, help="No notices on stderr.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@_reports_errors
def summarize(
    path: str,
    fmt: str | None,
    output: Path | None,
    engine: str | None,
    chunk_tokens: int | None,
    chunk_overlap: int | None,
    profile: str | None,
    quiet: bool,
    debug: bool,
) -> None:
    """Summarize PATH (a .txt, .md, .html or .pdf file, or - for stdin)."""
    settings = config.resolve(
        {
            "engine": engine,
            "chunk_tokens": chunk_tokens,
            "chunk_overlap": chunk_overlap,
            "profile": profile,
        }
    )
    if output is not None and path != "-" and _same_file(Path(path), output):
        raise OutputError(f"{output}: refusing to overwrite the input document")
    result = pipeline.summarize(path, settings)
    fmt = fmt or (_SUFFIX_FORMATS.get(output.suffix.lower(), "rich") if output else "rich")
    if output is None:
        _print(result, fmt)
    else:
        _write(output, _as_text(result, fmt))
    if result.metadata.notice and not quiet:
        click.echo(result.metadata.notice, err=True)


def _print(result: DocumentSummary, fmt: str) -> None:
    if fmt == "rich":
        Console().print(render.SummaryView(result))
    else:
        click.echo(_as_text(result, fmt), nl=fmt == "json")


def _as_text(result: DocumentSummary, fmt: str) -> str:
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
        os.replace(tmp, path)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write: {e.strerror or e}") from e
