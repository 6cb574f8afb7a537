"""Writing a result where the user said, without destroying what is there.

A regular file (or a new path) is written through a temporary file and renamed, so a
failed write leaves the old file whole. Anything else (a FIFO, a terminal, a pipe such as
`/proc/self/fd/1`, a character device) is written through as it is: renaming over it would
replace the device or FIFO itself, as root for the whole machine. A symlink is followed and
its target written, never replaced by a file. Paths are looked at with `stat`, which follows
`/proc/self/fd/N` to the pipe itself, where `realpath` would give a name that is not there.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from summarizer._errors import OutputError


def write_text(path: Path, text: str) -> None:
    mode = _mode(path)
    if mode is not None and stat.S_ISDIR(mode):
        raise OutputError(f"{path}: is a directory")
    if mode is None or stat.S_ISREG(mode):
        _replace(real_path(path), text, shown=path)
    else:
        _write_through(path, text, shown=path)


def is_regular_or_new(path: Path) -> bool:
    """Whether `path` is an output *file* (and so can be checked, appended to, resumed)."""
    try:
        mode = _mode(path)
    except OutputError:
        return False
    return mode is None or stat.S_ISREG(mode)


def real_path(path: Path) -> Path:
    """The file a regular (or new) output path names, links followed: what a rename replaces."""
    return Path(os.path.realpath(path))


def _mode(path: Path) -> int | None:
    """What the path reaches, links followed; None when nothing is there yet."""
    try:
        return os.stat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as e:
        raise OutputError(f"{path}: cannot write: {e.strerror or e}") from e


def _write_through(target: Path, text: str, *, shown: Path) -> None:
    try:
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(text)
    except BrokenPipeError:
        raise
    except OSError as e:
        raise OutputError(f"{shown}: cannot write: {e.strerror or e}") from e


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _replace(target: Path, text: str, *, shown: Path) -> None:
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as e:
        raise OutputError(f"{shown}: cannot write: {e.strerror or e}") from e
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a result is an ordinary file
        os.replace(tmp, target)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{shown}: cannot write: {e.strerror or e}") from e
