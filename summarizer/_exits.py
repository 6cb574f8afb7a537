"""How the CLI leaves: one redacted error line and an exit code, whatever went wrong.

2 for usage, input and config errors, 1 for a failed run, 130 for Ctrl-C, 141 when the
reader of stdout went away (`| head`), quietly. Only `--debug` shows a traceback, redacted.
Ctrl-C and a broken pipe leave at once, without waiting for worker threads.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Coroutine
from functools import wraps
from typing import Any, NoReturn, TypeVar

import click
from rich.console import Console

from summarizer._errors import SummarizerError
from summarizer._redaction import Redactor
from summarizer._sinks import settle

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")
_redact = Redactor()  # set once the settings are known, for errors raised after that


def use_redactor(redactor: Redactor) -> None:
    global _redact
    _redact = redactor


def redact(text: str) -> str:
    return _redact(text)


def reports_errors(func: F) -> F:
    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = kwargs.get("debug", False)
        try:
            return func(*args, **kwargs)
        except BrokenPipeError:
            _quiet_broken_pipe()
        except SummarizerError as e:
            fail(str(e), e.exit_code, e if debug else None)
        except KeyboardInterrupt:
            fail("interrupted", 130)
        except Exception as e:  # a bug: still one line, the traceback behind --debug
            fail(
                f"internal error: {type(e).__name__}: {e} (rerun with --debug for details)",
                1,
                e if debug else None,
            )

    return wrapper  # type: ignore[return-value]


def fail(message: str, code: int, error: BaseException | None = None) -> NoReturn:
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


def run(work: Coroutine[Any, Any, T], *, cleanup: Callable[[], None] | None = None) -> T:
    """`asyncio.run`, except that Ctrl-C, or a reader gone from stdout, leaves at once.

    `asyncio.run` returns only once the worker threads of `asyncio.to_thread` are done, and
    cleaning a large document holds one for seconds. An interrupted run has nothing left to
    wait for: every record written is a whole line (one being written is let finish), so
    Ctrl-C says "interrupted" and exits 130 right away, and a broken pipe exits 141 quietly.
    `cleanup` (stopping a progress bar) runs first.
    """

    async def guarded() -> T:
        try:
            return await work
        except BrokenPipeError:
            _leave(141, None, cleanup)

    def interrupted(signum: int, frame: object) -> None:
        _leave(130, "interrupted", cleanup)

    if threading.current_thread() is not threading.main_thread():
        return asyncio.run(guarded())  # signals reach only the main thread
    previous = signal.signal(signal.SIGINT, interrupted)
    try:
        return asyncio.run(guarded())
    finally:
        signal.signal(signal.SIGINT, previous)


def _leave(code: int, message: str | None, cleanup: Callable[[], None] | None) -> NoReturn:
    settle()  # a record being written is finished, and no other starts
    try:
        if cleanup is not None:
            cleanup()
        Console(stderr=True).show_cursor(True)  # a progress bar hides it; only on a terminal
        if message is not None:
            click.echo(f"summarizer: error: {message}", err=True)
        sys.stderr.flush()
    except OSError:
        pass  # stderr gone too: the exit code still says it
    os._exit(code)


class Group(click.Group):
    """Usage errors as one line, exit 2, like every other error."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            return super().main(*args, **kwargs)
        except click.UsageError as e:
            where = f"{e.ctx.command_path}: " if e.ctx else ""
            fail(f"{where}{e.format_message()}", 2)
        except click.exceptions.Exit as e:
            sys.exit(e.exit_code)
        except click.Abort:
            fail("interrupted", 130)
        except click.ClickException as e:
            fail(e.format_message(), e.exit_code)
