"""Batch backends behind one protocol, found by name: a new one is one module plus one line."""

from __future__ import annotations

from importlib import import_module

from summarizer._errors import ConfigError
from summarizer._executors.base import Emit, Executor, Outcome, Skipped

_REGISTRY = {
    "local": "summarizer._executors.local:LocalExecutor",
    "ray": "summarizer._executors.ray:RayExecutor",
}


def names() -> list[str]:
    return list(_REGISTRY)


def get(name: str) -> Executor:
    if name not in _REGISTRY:
        raise ConfigError(f"unknown executor {name!r} (known: {', '.join(_REGISTRY)})")
    module, _, attribute = _REGISTRY[name].partition(":")
    executor: Executor = getattr(import_module(module), attribute)()
    return executor


__all__ = ["Emit", "Executor", "Outcome", "Skipped", "get", "names"]
