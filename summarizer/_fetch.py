"""Documents named by URL: fetched with bounds, so a hostile or broken server cannot hang or
flood a run.

Only http(s). Timeouts on connect and on each read, at most `MAX_REDIRECTS` redirects, and a
size limit checked against Content-Length before the body is read and again while it
streams. The charset comes from the headers (the body's own `<meta charset>` is read by the
decoder); the format is sniffed from the bytes, as for files, the Content-Type and the
path's suffix being hints. The final URL after redirects is recorded, so a result says
where its text really came from.

A URL is shown and stored only as `shown_url` gives it: no password, no key or token in
its query. A URL that is wrong in itself (another scheme, no host) is an input error
(exit 2); a server that cannot be reached or will not give the page is `FetchFailed`
(exit 1: it may work another time). A 404 is `DocumentNotFound`, as a missing file is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message
from urllib.parse import unquote

import httpx2

from summarizer._errors import DocumentNotFound, DocumentTooLarge, FetchFailed, UnreadableDocument
from summarizer._redaction import MASK, Redactor, safe_url, url_password

MAX_REDIRECTS = 5
TIMEOUT = httpx2.Timeout(30.0, connect=10.0)
SCHEMES = ("http", "https")
_USER_AGENT = "summarizer (+https://pypi.org/project/summarizer/)"
# Two letters or more before "://", so a Windows drive (C://) is still a path.
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+://")
# Query parameters whose values are credentials: api_key, access_token, X-Amz-Signature...
_SECRET_PARAM = re.compile(
    r"(?:key|token|secret|password|passwd|pwd|signature|sig|credential|auth)$", re.I
)
_PARAM = re.compile(r"(?P<name>[^&=#]+)=(?P<value>[^&#]+)")
# Content-Type hints, as suffixes `parse` knows; the bytes still decide (a PDF is a PDF).
_TYPES = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/markdown": ".md",
    "text/x-markdown": ".md",
    "application/pdf": ".pdf",
}


def is_url(source: str) -> bool:
    """Whether an input names a URL (of any scheme: `fetch` refuses the ones not http(s))."""
    return _URL.match(source) is not None


def shown_url(url: str) -> str:
    """The URL as it may be printed and stored: the password and secret parameters masked."""
    safe = safe_url(url)
    head, mark, query = safe.partition("?")
    if not mark:
        return safe
    return head + mark + _PARAM.sub(_masked, query)


def _masked(param: re.Match[str]) -> str:
    name = param.group("name")
    return f"{name}={MASK}" if _SECRET_PARAM.search(unquote(name)) else param.group(0)


def _secrets(url: str) -> Redactor:
    """What in `url` must not reach an error message: its password, its secret values."""
    query = url.partition("?")[2]
    values = [m.group("value") for m in _PARAM.finditer(query) if _masked(m) != m.group(0)]
    return Redactor([url_password(url), *values])


@dataclass(frozen=True)
class Fetched:
    data: bytes
    url: str  # as given, as `shown_url` shows it
    final_url: str  # after redirects, shown the same way
    charset: str | None
    suffix: str  # from the Content-Type, else the final URL's path: a hint only, the bytes decide


def fetch(url: str, *, max_bytes: int, timeout: httpx2.Timeout = TIMEOUT) -> Fetched:
    shown = shown_url(url)
    _check(url, shown)
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
            return _received(response, shown, max_bytes)
    except httpx2.TooManyRedirects as e:
        raise FetchFailed(shown, f"more than {MAX_REDIRECTS} redirects") from e
    except httpx2.TimeoutException as e:
        raise FetchFailed(shown, "cannot fetch: timed out") from e
    except httpx2.UnsupportedProtocol as e:
        raise FetchFailed(
            shown, "redirected away: only http:// and https:// URLs are fetched"
        ) from e
    except (httpx2.HTTPError, httpx2.InvalidURL) as e:
        raise FetchFailed(
            shown, f"cannot fetch: {_secrets(url)(str(e)) or type(e).__name__}"
        ) from e


def _check(url: str, shown: str) -> None:
    """Refuse a URL that no server could help with, before any request (exit 2)."""
    scheme = url.partition(":")[0].lower()
    if scheme not in SCHEMES:
        raise UnreadableDocument(shown, "only http:// and https:// URLs are fetched")
    try:
        host = httpx2.URL(url).host
    except httpx2.InvalidURL as e:
        raise UnreadableDocument(shown, f"not a valid URL: {_secrets(url)(str(e))}") from e
    if not host:
        raise UnreadableDocument(shown, "not a valid URL: no host")


def _received(response: httpx2.Response, shown: str, max_bytes: int) -> Fetched:
    status = response.status_code
    if status in (404, 410):
        raise DocumentNotFound(shown, f"HTTP {status}")
    if status >= 400:
        raise FetchFailed(shown, f"cannot fetch: HTTP {status}")
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise DocumentTooLarge(shown, f"{_mb(int(declared))}; the input limit is {_mb(max_bytes)}")
    data = _read_bounded(response, max_bytes, shown)
    content_type = response.headers.get("content-type", "")
    return Fetched(
        data=data,
        url=shown,
        final_url=shown_url(str(response.url)),
        charset=_charset(content_type),
        suffix=_TYPES.get(content_type.partition(";")[0].strip().lower())
        or _suffix(response.url.path),
    )


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
