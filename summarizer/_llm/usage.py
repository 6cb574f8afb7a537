"""The one place usage is counted.

Documents of a batch share an endpoint, so every amount goes both to the endpoint's running
total and to the usage of the document whose task is making the call (a context variable),
and each result records only its own cost.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from summarizer._schemas import Usage

_current: ContextVar[Usage | None] = ContextVar("summarizer_document_usage", default=None)


class Meter:
    def __init__(self) -> None:
        self.total = Usage()

    def add(self, **amounts: float) -> None:
        scoped = _current.get()
        for name, amount in amounts.items():
            setattr(self.total, name, getattr(self.total, name) + amount)
            if scoped is not None:
                setattr(scoped, name, getattr(scoped, name) + amount)

    def response(self, completion: Any) -> None:
        """A chat completion came back: one call and the tokens the server reported."""
        usage = getattr(completion, "usage", None)
        self.add(
            calls=1,
            prompt_tokens=getattr(usage, "prompt_tokens", 0) or 0,
            completion_tokens=getattr(usage, "completion_tokens", 0) or 0,
        )

    @contextmanager
    def scope(self) -> Iterator[Usage]:
        """Count this task's calls apart from the others sharing the endpoint."""
        usage = Usage()
        token = _current.set(usage)
        try:
            yield usage
        finally:
            _current.reset(token)
