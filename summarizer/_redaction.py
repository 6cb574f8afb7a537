"""Secrets out of everything we print or store: error lines, tracebacks, URLs, the cache.

Servers echo keys back in error bodies, `.env` files leave a `\\r` on them, and a base URL
may carry `user:password@`. Every path to stdout, stderr, files, the cache and cassettes
goes through one `Redactor` (or `safe_url`), whatever the key's length.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

MASK = "***"
PLACEHOLDER_KEY = "sk-no-key-required"  # sent when none is configured; not a secret


def safe_url(url: str) -> str:
    """The URL without its password (the user name stays: it is often needed to tell hosts)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    netloc = f"{parts.username}:{MASK}@{host}" if parts.username else f"{MASK}@{host}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def url_password(url: str | None) -> str | None:
    if not url:
        return None
    try:
        return urlsplit(url).password
    except ValueError:
        return None


class Redactor:
    """Blots out known secrets wherever they appear, longest first."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        found = {s.strip() for s in secrets if s and s.strip() and s.strip() != PLACEHOLDER_KEY}
        self._secrets = sorted(found, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        return text

    def __bool__(self) -> bool:
        return bool(self._secrets)
