"""Secrets out of everything we print or store: error lines, tracebacks, URLs, the cache.

Servers echo keys back in error bodies, `.env` files leave a `\\r` on them, and a base URL
may carry `user:password@`. Every path to stdout, stderr, files, the cache and cassettes
goes through one `Redactor` (or `safe_url`), whatever the key's length.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit, urlunsplit

MASK = "***"
PLACEHOLDER_KEY = "sk-no-key-required"  # sent when none is configured; not a secret


# scheme://userinfo@ of a URL urlsplit refuses (an unclosed IPv6 bracket): still masked
_USERINFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)([^/?#]*)@")


def safe_url(url: str) -> str:
    """The URL without its password (the user name stays: it is often needed to tell hosts)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return _USERINFO.sub(rf"\1{MASK}@", url)
    if parts.password is None:
        return url
    user = f"{parts.username}:" if parts.username else ""
    host = parts.netloc.rpartition("@")[2]  # as written: IPv6 brackets, a port even if bad
    return urlunsplit(parts._replace(netloc=f"{user}{MASK}@{host}"))


def url_password(url: str | None) -> str | None:
    if not url:
        return None
    try:
        return urlsplit(url).password
    except ValueError:
        found = _USERINFO.match(url)
        password = found.group(2).partition(":")[2] if found else ""
        return password or None


class Redactor:
    """Blots out known secrets wherever they appear, longest first."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        found = {s.strip() for s in secrets if s and s.strip() and s.strip() != PLACEHOLDER_KEY}
        found |= {unquote(s) for s in found}  # a URL's password is sent (and echoed) decoded
        self._secrets = sorted(found, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        return text

    def __bool__(self) -> bool:
        return bool(self._secrets)
