"""The installed versions of a peer's packages, for the peer scripts' reports (each runs in
its own venv, with this folder on its path)."""

from __future__ import annotations

from importlib import metadata


def versions(packages: list[str] | tuple[str, ...]) -> dict[str, str]:
    found = {}
    for name in packages:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "absent"
    return found
