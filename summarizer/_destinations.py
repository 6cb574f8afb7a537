"""Where a run's results go, chosen from -o and --format before any work starts.

One document goes to the terminal, a pipe or a file in a format (named, or told by the
file's suffix). A batch (several inputs, a folder, tables, `--resume`, or a line-oriented
format) goes to a sink: JSON Lines in a file or a stream, Parquet shards in a folder, or
with `--format html` a folder of pages (`-o DIR/`: an existing folder, or a name that ends
in `/`, made if missing). Every refusal (a folder where a file is meant, an input that is
also the output) is made here, before the first document is read or any output touched.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

from summarizer import _formats as formats
from summarizer._errors import ConfigError
from summarizer._inputs import Item, expand, overwrites_input
from summarizer._output import is_regular_or_new
from summarizer._sinks import JsonlSink, Sink, StreamSink
from summarizer._sinks_html import HtmlDirectorySink
from summarizer._tables import is_table

Folder = Literal["html", "parquet"]


@dataclass(frozen=True)
class Destination:
    """Where a run's results go, decided (and any refusal made) before any work or write."""

    format: formats.Format | None  # None: the terminal view, or whatever the pipe gets
    output: Path | None
    folder: Folder | None = None  # a sink that writes into the folder -o names
    items: list[Item] | None = None  # a batch's documents; None: one document


def choose(
    paths: tuple[str, ...], fmt: str | None, output: str | None, *, executor: str, resume: bool
) -> Destination:
    """What -o and --format ask for, given the inputs; every refusal comes from here."""
    target = Path(output) if output is not None else None
    outputs = [target] if target is not None else []
    several = _several(paths, executor)
    folder = _folder(fmt, output, several=several)
    items = expand(paths, outputs=outputs) if several or folder else None  # before any write
    if items is None and target is not None and paths[0] != "-" and _same_file(paths[0], target):
        raise ConfigError(overwrites_input(target, paths[0]))
    if folder == "html" and items is not None and target is not None:
        items = _outside(items, target)
    chosen = None if folder == "parquet" else _format(fmt, target)
    if items is None and (resume or (chosen is not None and chosen.line_oriented)):
        items = expand(paths, outputs=outputs)
    return Destination(chosen, target, folder, items)


def _several(paths: tuple[str, ...], executor: str) -> bool:
    """Whether the inputs make a batch: several names, a folder, or tables (read on Ray)."""
    tables = [p for p in paths if is_table(p)]
    if tables and executor != "ray":
        raise ConfigError(f"{tables[0]}: tables (.parquet, .jsonl) are read on Ray: --executor ray")
    return bool(tables) or len(paths) > 1 or any(Path(p).is_dir() for p in paths if p != "-")


def _folder(fmt: str | None, output: str | None, *, several: bool) -> Folder | None:
    """The folder sink -o asks for: Parquet shards, or HTML pages for a batch or for -o DIR/."""
    named = output is not None and (output.endswith(("/", os.sep)) or Path(output).is_dir())
    if fmt == "parquet":
        if output is None:
            raise ConfigError("--format parquet needs -o DIR/, the folder for its shards")
        return "parquet"
    if fmt == "html" and (several or named):
        if output is None:
            raise ConfigError(
                "several documents as --format html need -o DIR/, the folder for their pages"
            )
        page = Path(output).suffix.lower() in formats.get("html").suffixes
        if not named and (page or Path(output).exists()):
            raise ConfigError(f"-o {output}: several documents make several pages: -o DIR/")
        return "html"
    if named:
        raise ConfigError(f"-o {output}: is a folder; only --format html or parquet write into one")
    return None


def _outside(items: list[Item], folder: Path) -> list[Item]:
    """The inputs but the pages of an earlier run: a folder of pages is never read as input."""
    root = Path(os.path.realpath(folder))
    kept = [
        i
        for i in items
        if i.source == "-" or not Path(os.path.realpath(i.source)).is_relative_to(root)
    ]
    if not kept:
        raise ConfigError(f"-o {folder}: every input is inside it; choose another folder")
    return kept


def _format(fmt: str | None, output: Path | None) -> formats.Format | None:
    """The format named, or the one the -o file's suffix tells; None for a stream or none."""
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


def open_sink(destination: Destination, *, resume: bool, stdout: BinaryIO) -> Sink:
    """Where a batch's records go, opened before any work, so a refusal has touched nothing."""
    fmt, output = destination.format, destination.output
    if destination.folder == "parquet" and output is not None:
        try:
            from summarizer._sinks_parquet import ParquetSink
        except ImportError as e:
            raise ConfigError(
                "--format parquet needs pyarrow: pip install 'summarizer[ray]'"
            ) from e
        return ParquetSink(output, resume=resume)
    if destination.folder == "html" and output is not None:
        return HtmlDirectorySink(output, resume=resume)
    if fmt is not None and not fmt.line_oriented:
        raise ConfigError(
            f"several documents are written as JSON Lines, or as pages with --format html "
            f"-o DIR/; not as --format {fmt.name}"
        )
    if resume and (output is None or not is_regular_or_new(output)):
        raise ConfigError("--resume needs -o FILE, the JSON Lines file to carry on, or -o DIR/")
    if output is None:
        return StreamSink(stdout, "<stdout>")
    if is_regular_or_new(output):
        return JsonlSink(output, resume=resume)
    return StreamSink.open(output)  # a FIFO, a pipe, a terminal: written through, never replaced


def _same_file(a: str, b: Path) -> bool:
    """Whether the one input is the -o file itself (a link to it, too): refused, never written."""
    try:
        return b.exists() and Path(a).exists() and Path(a).samefile(b)
    except OSError:
        return False
