"""What the user named: files, folders (walked for supported suffixes), globs and URLs, each
once.

Folders are walked without following symlinked folders, so a symlink loop cannot trap the
walk. A name that finds nothing (an empty folder, a glob with no match) is a usage error
before any work starts, and so is an input that is also the output, however it is reached:
named directly, through a link, or found by walking a folder. A URL is taken as it is:
never globbed, never a path, never the output; it is fetched when its document is loaded,
so a URL that fails is that document's failure record, not the batch's end.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from summarizer import _documents as documents
from summarizer import _fetch as fetching
from summarizer._errors import ConfigError, DocumentNotFound

_GLOB_CHARS = set("*?[")


@dataclass(frozen=True)
class Item:
    """One document to summarize, by the name the record will carry.

    A URL's `source` is shown without its secrets (`shown_url`), so the records, errors and
    progress that carry the name never hold a password; `url` keeps them for the fetch.
    """

    source: str
    url: str | None = field(default=None, repr=False)

    @classmethod
    def named(cls, source: str) -> Item:
        if not fetching.is_url(source):
            return cls(source)
        shown = fetching.shown_url(source)
        return cls(shown, url=None if shown == source else source)

    @property
    def location(self) -> str:
        """What loading reads: the URL with its credentials, else the source."""
        return self.url or self.source


def expand(inputs: Iterable[str | Item], *, outputs: Iterable[Path] = ()) -> list[Item]:
    """The documents the inputs name, each once, in a stable order.

    An `Item` is taken as it is: the CLI expands first, so that a refusal comes before the
    output file is opened, and hands the items on.
    """
    guarded = {ident: path for path in outputs if (ident := _identity(path)) is not None}
    items: list[Item] = []
    seen: set[str] = set()
    for raw in inputs:
        for item in [raw] if isinstance(raw, Item) else map(Item.named, _named(raw)):
            source = item.source
            local = source != documents.STDIN and not fetching.is_url(source)
            name = os.path.realpath(source) if local else source
            if name in seen:
                continue
            if local and (ident := _identity(Path(source))) in guarded:
                raise ConfigError(overwrites_input(guarded[ident], source))
            seen.add(name)
            items.append(item)
    return items


def overwrites_input(output: Path, source: str) -> str:
    """The one refusal for an output that is an input, whichever way it was reached."""
    same = "" if os.path.normpath(output) == os.path.normpath(source) else f" (it is {source})"
    return f"-o {output}: is also an input{same}; refusing to overwrite it, choose another -o"


def _named(raw: str) -> list[str]:
    path = Path(raw)
    if raw == documents.STDIN or fetching.is_url(raw):
        return [raw]
    if path.is_dir():
        found = _walk(path)
        if not found:
            kinds = ", ".join(sorted(documents.SUFFIXES))
            raise DocumentNotFound(raw, f"no supported documents ({kinds}) in this folder")
        return found
    if _GLOB_CHARS & set(raw) and not path.exists():
        matches = sorted(glob.glob(raw, recursive=True))
        if not matches:
            raise DocumentNotFound(raw, "no files match")
        return [f for m in matches for f in (_walk(Path(m)) if Path(m).is_dir() else [m])]
    return [raw]


def _walk(root: Path) -> list[str]:
    found = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs.sort()
        for name in sorted(files):
            if Path(name).suffix.lower() in documents.SUFFIXES:
                found.append(os.path.join(folder, name))
    return found


def _identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of what a path reaches, links followed; None if nothing is there."""
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino)
