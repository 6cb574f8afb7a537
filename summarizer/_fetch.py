"""Documents named by URL: fetched with bounds, so a hostile or broken server cannot hang or
flood a run.

Only http(s). Timeouts on connect and on each read, at most `MAX_REDIRECTS` redirects, and a
size limit checked against Content-Length before the body is read and again while it
streams. The charset comes from the headers (the body's own `<meta charset>` is read by the
decoder); the format is sniffed from the bytes, as for files. The final URL after redirects
is recorded, so a result says where its text really came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import Message

import httpx2

from summarizer._errors import DocumentNotFound, DocumentTooLarge, UnreadableDocument
from summarizer._redaction import safe_url

MAX_REDIRECTS = 5
TIMEOUT = httpx2.Timeout(30.0, connect=10.0)
_USER_AGENT = "summarizer (+https://pypi.org/project/summarizer/)"


def is_url(source: str) -> bool:
    head = source[:8].lower()
    return head.startswith(("http://", "https://"))


@dataclass(frozen=True)
class Fetched:
    data: bytes
    final_url: str
    charset: str | None
    suffix: str  # from the final URL's path, a hint only: the bytes decide


def fetch(url: str, *, max_bytes: int, timeout: httpx2.Timeout = TIMEOUT) -> Fetched:
    shown = safe_url(url)
    try:
        with (
            httpx2.Client(
                follow_redirects=True,
                max_redirects=MAX_REDIRECTS,
                timeout=timeout,
                headers={"User-Agent": _USER_AGENT},
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code == 404 or response.status_code == 410:
                raise DocumentNotFound(shown, f"HTTP {response.status_code}")
            if response.status_code >= 400:
                raise UnreadableDocument(shown, f"cannot fetch: HTTP {response.status_code}")
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise DocumentTooLarge(
                    shown, f"{_mb(int(declared))}; the input limit is {_mb(max_bytes)}"
                )
            data = _read_bounded(response, max_bytes, shown)
            final = str(response.url)
            return Fetched(
                data=data,
                final_url=safe_url(final),
                charset=_charset(response.headers.get("content-type", "")),
                suffix=_suffix(response.url.path),
            )
    except httpx2.TooManyRedirects as e:
        raise UnreadableDocument(shown, f"more than {MAX_REDIRECTS} redirects") from e
    except httpx2.TimeoutException as e:
        raise UnreadableDocument(shown, "cannot fetch: timed out") from e
    except httpx2.UnsupportedProtocol as e:
        raise UnreadableDocument(shown, "only http:// and https:// URLs are fetched") from e
    except httpx2.HTTPError as e:
        raise UnreadableDocument(shown, f"cannot fetch: {e}") from e


def _read_bounded(response: httpx2.Response, max_bytes: int, shown: str) -> bytes:
    parts: list[bytes] = []
    size = 0
    for part in response.iter_bytes():
        size += len(part)
        if size > max_bytes:
            raise DocumentTooLarge(shown, f"more than {_mb(max_bytes)}, the input limit")
        parts.append(part)
    return b"".join(parts)


def _charset(content_type: str) -> str | None:
    message = Message()
    message["content-type"] = content_type
    charset = message.get_param("charset")
    return charset.strip().lower() if isinstance(charset, str) and charset.strip() else None


def _suffix(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"
