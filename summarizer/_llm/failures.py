"""What can go wrong talking to an endpoint, which of it is worth retrying, and our names for it.

Transport and HTTP failures cross into the library in exactly one place, `map_errors()`,
which turns them into `EndpointError` (with `url` and `status_code`) with secrets blotted
out. `transient()` is the retry policy's one question: is this failure worth another try?
"""

from __future__ import annotations

import errno
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import httpx2
import openai

from summarizer._errors import EndpointError, ModelError
from summarizer._redaction import Redactor, safe_url


class Rejected(Exception):
    """The endpoint refused this request shape (a 4xx, or llama-cpp-python's 500): probing."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class StatusError(Exception):
    """An HTTP error from an endpoint reached without the openai client (Ollama's native API)."""

    def __init__(self, status_code: int, body: str, headers: Any) -> None:
        super().__init__(f"HTTP {status_code}: {body}")
        self.status_code = status_code
        self.headers = headers


class EmptyAnswer(Exception):
    """A 200 whose body has no usable choice: a server glitch, retried like a 5xx."""


def transient(error: BaseException, *, probing: bool = False) -> bool:
    """Whether another attempt may succeed: 429, 5xx, timeouts, dropped connections.

    A refused connection is not retried: nothing listens there, and waiting through the
    backoff only delays the one-line error. While probing, a 500 means "shape refused".
    """
    if isinstance(error, openai.APIConnectionError):
        return _network_cause(error) and not refused(error)
    if isinstance(error, openai.RateLimitError | EmptyAnswer):
        return True
    if isinstance(error, StatusError):
        return error.status_code == 429 or error.status_code >= 500
    if isinstance(error, openai.InternalServerError):
        return not (probing and error.status_code == 500)
    if isinstance(error, httpx2.TransportError):
        return not refused(error)
    return False


def refused(error: BaseException) -> bool:
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ConnectionRefusedError) or (
            isinstance(seen, OSError) and seen.errno == errno.ECONNREFUSED
        ):
            return True
        if "connection refused" in str(seen).lower():
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _network_cause(error: BaseException) -> bool:
    """Whether a "connection error" came from the network (openai wraps anything)."""
    cause = error.__cause__
    return cause is None or isinstance(cause, httpx2.TransportError | OSError | TimeoutError)


def retry_after(error: BaseException | None) -> float | None:
    """Seconds the server asked us to wait, from Retry-After(-ms), if it said."""
    headers = None
    if isinstance(error, openai.APIStatusError):
        headers = error.response.headers
    elif isinstance(error, StatusError):
        headers = error.headers
    if headers is None:
        return None
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            return max(0.0, float(value) * scale)
        except ValueError:
            continue
    return None


def first_line(error: BaseException, redact: Callable[[str], str] | None = None) -> str:
    """Redacted before it is cut: a key cut in two would get past the redactor half-known."""
    text = str(error) if redact is None else redact(str(error))
    lines = text.strip().splitlines()
    return lines[0][:300] if lines else type(error).__name__


@contextmanager
def map_errors(base_url: str, timeout: float, redact: Redactor) -> Iterator[None]:
    """Turn transport and HTTP failures into `EndpointError`, naming the endpoint."""
    url = safe_url(base_url)
    host = urlsplit(base_url).hostname or url

    def fail(message: str, status: int | None = None) -> EndpointError:
        return EndpointError(redact(f"{url}: {message}"), url=url, status_code=status)

    try:
        yield
    except openai.APIStatusError as e:
        raise fail(f"HTTP {e.status_code}: {first_line(e, redact)}", e.status_code) from e
    except openai.APITimeoutError as e:
        raise fail(f"timed out after {timeout:g}s") from e
    except (openai.APIConnectionError, httpx2.HTTPError) as e:
        cause = e.__cause__ or e
        if isinstance(e, openai.APIConnectionError) and not _network_cause(e):
            raise fail(str(cause)) from e  # e.g. a cassette that has no such request: all of it
        if refused(e):
            raise fail(f"connection refused by {host}: is the server running?") from e
        raise fail(f"cannot connect to {host}: {first_line(cause, redact)}") from e
    except openai.OpenAIError as e:
        raise fail(first_line(e, redact)) from e
    except StatusError as e:
        raise fail(first_line(e, redact), e.status_code) from e
    except EmptyAnswer as e:
        raise fail(str(e)) from e
    except ModelError as e:
        if redact:
            raise type(e)(redact(str(e))) from e
        raise
