"""Engines behind one protocol, found by name: a new engine is one module plus one line.

The registry names each engine's class by import path, so choosing the offline engine
never imports the model stack (openai, instructor) at all.
"""

from __future__ import annotations

from importlib import import_module

from summarizer._config import Settings
from summarizer._engines.base import Engine, EngineResult, ModelRun
from summarizer._errors import ConfigError

_REGISTRY = {
    "extractive": "summarizer._engines.extractive:ExtractiveEngine",
    "llm": "summarizer._engines.mapreduce:MapReduceEngine",
}


def names() -> list[str]:
    return list(_REGISTRY)


def choose(settings: Settings) -> str:
    """`auto` means the model engine when a model is configured, else the offline one."""
    if settings.engine == "auto":
        return "llm" if settings.model_configured else "extractive"
    if settings.engine not in _REGISTRY:
        known = ", ".join(["auto", *_REGISTRY])
        raise ConfigError(f"unknown engine {settings.engine!r} (known: {known})")
    return settings.engine


def get(name: str) -> Engine:
    module, _, attribute = _REGISTRY[name].partition(":")
    engine: Engine = getattr(import_module(module), attribute)()
    return engine


__all__ = ["Engine", "EngineResult", "ModelRun", "choose", "get", "names"]
