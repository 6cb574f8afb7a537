"""What the CLI shows on stderr besides results: progress bars and the tables of a batch,
of `doctor` and of the prompts. Each is a rich renderable or a rich `Progress`, so tests
render them into a fixed-width console; nothing here prints by itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

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

from summarizer import _prompts as prompts
from summarizer._batch import Report
from summarizer._engines.base import Progress as ProgressHook
from summarizer._redaction import Redactor

if TYPE_CHECKING:  # doctor's checks import the model client, which a summary never needs
    from summarizer._doctor import Check

_MARKS = {True: "[green]ok[/]", False: "[red]FAIL[/]", None: "[yellow]warn[/]"}


@contextmanager
def chunk_progress(console: Console | None) -> Iterator[ProgressHook | None]:
    """A bar for a document of several chunks, on `console` (None: no bar at all)."""
    if console is None:
        yield None
        return
    progress = Progress(
        TextColumn("[bold]chunks"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
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
        if task is not None:  # stopping a bar never started prints a newline
            progress.stop()


class DocumentProgress:
    """The batch's bar: documents done of all, and what happened to the last one."""

    def __init__(self, console: Console) -> None:
        self.progress = Progress(
            TextColumn("[bold]documents"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[last]}"),
            console=console,
            transient=True,
        )
        self._task = self.progress.add_task("documents", total=None, last="")

    def __call__(self, kind: str, source: str, finished: int, total: int) -> None:
        name = source.rsplit("/", 1)[-1]
        self.progress.update(self._task, completed=finished, total=total, last=f"{kind}: {name}")


def report_table(report: Report) -> Table:
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
    return table


def doctor_table(checks: Iterable[Check], redact: Redactor) -> Table:
    table = Table("check", "", "result", "what to do", box=None, show_lines=False)
    for check in checks:
        table.add_row(check.name, _MARKS[check.ok], redact(check.detail), redact(check.fix))
    return table


def prompts_table() -> Table:
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
    return table
