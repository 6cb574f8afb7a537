"""Corpus inputs in tables: Parquet or JSON Lines files, one document per row.

Read with Ray Data's readers, so a table may sit on any filesystem Ray reads (local,
S3, GCS, HDFS...). A row's record is named `FILE#ID`, with ID from `--id-column`, or else
the row's index in its file. Indices need the rows in file order, which Ray Data keeps only
when asked (`preserve_order`, set on the table's own dataset), so each table is read into
the object store first (which spills to disk), then named and cut into small blocks.

Only the Ray executor reads tables; Ray is imported when a table is read, not before.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, cast

from summarizer._errors import ConfigError

if TYPE_CHECKING:
    import pyarrow as pa  # type: ignore[import-untyped]
    from ray.data import Dataset

SUFFIXES = {".parquet": "parquet", ".pq": "parquet", ".jsonl": "json", ".ndjson": "json"}
COLUMNS = ("source", "text", "kind")  # what every work row carries: kind is "file" or "row"
# Reading is light next to summarizing, and the actor pool holds most of the CPUs: a read
# task asking for a whole CPU would wait for ever on a small cluster.
_CPUS = 0.25


def is_table(source: str) -> bool:
    """Named by its suffix, as documents are; the CLI asks before it knows if Ray is there."""
    return _suffix(source) in SUFFIXES


def rows(source: str, text_column: str, id_column: str | None, per_block: int) -> Dataset:
    """The table's rows as work rows (`source` FILE#ID, `text`), `per_block` rows a block.

    Small blocks are what spreads the work: an actor takes a block at a time, and a table
    read as one block would otherwise go to one actor.
    """
    import ray

    wanted = [text_column] if id_column is None else [text_column, id_column]
    read = _read(source).select_columns(wanted)
    read.context.execution_options.preserve_order = True  # this dataset's copy of the context
    blocks = read.to_arrow_refs()
    count = ray.remote(num_cpus=_CPUS)(_count)
    cut = ray.remote(num_cpus=_CPUS)(_cut)
    counts: list[int] = ray.get([count.remote(block) for block in blocks])
    named = []
    start = 0
    for block, rows_in_block in zip(blocks, counts, strict=True):
        for offset in range(0, rows_in_block, per_block):
            piece = (start + offset, offset, min(per_block, rows_in_block - offset))
            named.append(cut.remote(block, source, piece, text_column, id_column))
        start += rows_in_block
    return ray.data.from_arrow_refs(cast(Any, named))  # Ray's two ObjectRef types disagree


def _suffix(source: str) -> str:
    return PurePosixPath(source.split("?", 1)[0]).suffix.lower()


def _read(source: str) -> Dataset:
    import ray

    try:
        if SUFFIXES[_suffix(source)] == "parquet":
            return ray.data.read_parquet(source, num_cpus=_CPUS)
        return ray.data.read_json(source, lines=True, num_cpus=_CPUS)
    except (OSError, ValueError) as e:  # a missing file, or a filesystem Ray cannot reach
        raise ConfigError(f"{source}: cannot read the table: {_first_line(e)}") from e


def _count(block: pa.Table) -> int:
    return int(block.num_rows)


def _cut(
    block: pa.Table,
    source: str,
    piece: tuple[int, int, int],
    text_column: str,
    id_column: str | None,
) -> pa.Table:
    """Rows `offset` to `offset + length` of the block, whose first row is the file's `index`."""
    import pyarrow as pa

    index, offset, length = piece
    rows = block.slice(offset, length)
    if id_column is None:
        names = [f"{source}#{index + i}" for i in range(length)]
    else:
        names = [f"{source}#{ident}" for ident in rows.column(id_column).to_pylist()]
    texts = rows.column(text_column).cast(pa.string()).fill_null("")
    kinds = pa.array(["row"] * length, pa.string())
    return pa.table([pa.array(names, pa.string()), texts, kinds], names=list(COLUMNS))


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
