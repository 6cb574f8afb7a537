"""Every error the library raises descends from one root, so callers can catch one thing.

    SummarizerError
    ├── DocumentError              a document can't be read or has nothing to summarize
    │   ├── DocumentNotFound
    │   ├── NotAFile               a directory or other non-regular path
    │   ├── UnreadableDocument     permissions, I/O errors, broken PDFs
    │   │   └── FetchFailed        a URL's server unreachable or refusing (exit 1)
    │   ├── BinaryDocument         bytes that are not text in any encoding we know
    │   ├── EmptyDocument          empty, or empty once cleaning removed the noise
    │   ├── DocumentTooLarge       over the input size limit, refused before reading
    │   └── UnsupportedFormat      a format that needs an optional extra
    ├── ConfigError                bad settings, flags, profiles or config files
    │   └── PromptError            a prompt file that is missing, malformed, or out of bounds
    ├── ModelError                 the model endpoint could not give a usable answer
    │   ├── EndpointError          unreachable, timing out, or failing after every retry
│   │                          (with .url, and .status_code when it answered)
    │   ├── ContextOverflow        a request that cannot fit the context window (never sent)
    │   ├── OutputTruncated        the answer hit max_tokens even with a larger budget
    │   └── InvalidOutput          schema-invalid after the bounded re-asks
    └── OutputError                the result could not be written where asked

Third-party exceptions are wrapped where they cross into the library (`raise ... from e`),
so the CLI can print one line for any of them and exit without a traceback.
"""

from __future__ import annotations


class SummarizerError(Exception):
    """Root of every error the library raises on purpose."""

    exit_code = 1


class DocumentError(SummarizerError):
    """A document failed to load; the message names the document and the problem."""

    exit_code = 2

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


class DocumentNotFound(DocumentError):
    pass


class NotAFile(DocumentError):
    pass


class UnreadableDocument(DocumentError):
    pass


class FetchFailed(UnreadableDocument):
    """A URL that could not be fetched: a failed run (exit 1) that may work another time,
    unlike a URL that is wrong in itself or a page over the size limit (exit 2)."""

    exit_code = 1


class BinaryDocument(DocumentError):
    pass


class EmptyDocument(DocumentError):
    pass


class DocumentTooLarge(DocumentError):
    pass


class UnsupportedFormat(DocumentError):
    pass


class ConfigError(SummarizerError):
    exit_code = 2


class PromptError(ConfigError):
    pass


class ModelError(SummarizerError):
    exit_code = 1


class EndpointError(ModelError):
    """The endpoint failed; `status_code` is the HTTP status when it answered at all."""

    def __init__(self, message: str, *, url: str | None = None, status_code: int | None = None):
        super().__init__(message)
        self.url = url
        self.status_code = status_code


class ContextOverflow(ModelError):
    pass


class OutputTruncated(ModelError):
    pass


class InvalidOutput(ModelError):
    pass


class OutputError(SummarizerError):
    exit_code = 1
