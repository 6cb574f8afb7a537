"""Output formats, found by name or by a file's suffix: a new one is one module plus one line.

The CLI's `--format` choices and every sink's choice of format come from this registry.
"""

from __future__ import annotations

from pathlib import Path

from summarizer._errors import ConfigError
from summarizer._formats import html, json, markdown, panel
from summarizer._formats.base import Format

FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        panel.FORMAT,
        json.FORMAT,
        json.LINES,
        markdown.FORMAT,
        html.FORMAT,
    )
}


def names() -> list[str]:
    return list(FORMATS)


def get(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise ConfigError(f"unknown format {name!r} (known: {', '.join(FORMATS)})") from None


def for_path(path: Path) -> Format | None:
    """The format a file's suffix asks for, if any does."""
    suffix = path.suffix.lower()
    return next((f for f in FORMATS.values() if suffix in f.suffixes), None)


__all__ = ["FORMATS", "Format", "for_path", "get", "names"]
