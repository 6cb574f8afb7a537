"""Loading: turn a path (or stdin) into decoded text before anything else looks at it.

Formats are sniffed from the bytes first and the file name second, so a PDF saved as
`.txt`, or HTML piped through stdin, still takes the right road. Encodings are detected
with charset-normalizer after the BOMs and strict UTF-8 have had their say, which keeps a
GB18030 or Big5 copy of a document equal to its UTF-8 original.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import io
import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO, Literal

from summarizer._errors import (
    BinaryDocument,
    DocumentNotFound,
    DocumentTooLarge,
    EmptyDocument,
    NotAFile,
    UnreadableDocument,
    UnsupportedFormat,
)

Format = Literal["text", "markdown", "html", "pdf"]

STDIN = "-"
MAX_BYTES = 50 * 1024 * 1024  # larger inputs are refused, not streamed: see the README
SUFFIXES: dict[str, Format] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
}

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_HTML_START = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<body|<\?xml[^>]*>\s*<html)", re.I)
# C0 controls other than tab, newline, vertical tab, form feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Document:
    """Decoded text of one input, with what loading learned about it.

    `text` is what offsets in the output ultimately refer to: for HTML and PDF it is the
    extracted text, not the markup.
    """

    source: str
    text: str
    format: Format
    encoding: str | None = None
    title: str | None = None
    meta: dict[str, str] = field(default_factory=dict)
    sha256: str = ""


def load(
    source: str | Path, *, stdin: BinaryIO | None = None, max_bytes: int = MAX_BYTES
) -> Document:
    """Read and decode one document; `-` reads standard input.

    Inputs over `max_bytes` are refused before they are read, so memory stays bounded.
    """
    name = str(source)
    if name == STDIN:
        stream = stdin if stdin is not None else sys.stdin.buffer
        try:
            data = stream.read(max_bytes + 1)
        except OSError as e:
            raise UnreadableDocument("<stdin>", f"cannot read: {e.strerror or e}") from e
        if len(data) > max_bytes:
            raise DocumentTooLarge("<stdin>", f"more than {_mb(max_bytes)}, the input limit")
        return parse(data, "<stdin>", suffix="")
    path = Path(source)
    try:
        path.stat()
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise UnreadableDocument(name, "symlink loop") from e
        if not path.is_symlink():
            raise DocumentNotFound(name, "no such file") from e
        raise DocumentNotFound(name, "broken symlink") from e
    if path.is_dir():
        raise NotAFile(name, "is a directory, not a file")
    if not path.is_file():
        raise NotAFile(name, "is not a regular file")
    try:
        size = path.stat().st_size
    except OSError as e:
        raise UnreadableDocument(name, f"cannot read: {e.strerror or e}") from e
    if size > max_bytes:
        raise DocumentTooLarge(name, f"file is {_mb(size)}; the input limit is {_mb(max_bytes)}")
    try:
        data = path.read_bytes()
    except PermissionError as e:
        raise UnreadableDocument(name, "permission denied") from e
    except OSError as e:
        raise UnreadableDocument(name, f"cannot read: {e.strerror or e}") from e
    return parse(data, name, suffix=path.suffix.lower())


def parse(data: bytes, source: str, *, suffix: str = "") -> Document:
    """Decode bytes already in memory; `suffix` is a hint, the bytes decide first."""
    if not data.strip():
        raise EmptyDocument(source, "file is empty" if not data else "file holds only whitespace")
    digest = hashlib.sha256(data).hexdigest()
    fmt = sniff(data, suffix)
    if fmt == "pdf":
        return replace(_load_pdf(data, source), sha256=digest)
    text, encoding = decode(data, source)
    if not text.strip():
        raise EmptyDocument(source, "file holds only whitespace")
    if fmt == "html":
        return replace(_load_html(text, source, encoding), sha256=digest)
    title = _markdown_title(text) if fmt == "markdown" else None
    return Document(source, text, fmt, encoding=encoding, title=title, sha256=digest)


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def sniff(data: bytes, suffix: str) -> Format:
    if data[:5] == b"%PDF-":
        return "pdf"
    if _HTML_START.match(data[:1024]):
        return "html"
    fmt = SUFFIXES.get(suffix, "text")
    return "text" if fmt == "pdf" else fmt


def decode(data: bytes, source: str) -> tuple[str, str]:
    """Return the text and the name of the encoding it was decoded from."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _check_text(data.decode(encoding), source), encoding.replace("-sig", "")
            except UnicodeDecodeError as e:
                raise BinaryDocument(source, f"bytes are not valid {encoding}") from e
    try:
        text = data.decode("utf-8")
        if _looks_like_text(text):
            return text, "utf-8"
    except UnicodeDecodeError:
        pass
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise BinaryDocument(source, "binary file: not text in any encoding we know")
    encoding = _widen(best.encoding)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as e:  # pragma: no cover - the detector said it decodes
        raise BinaryDocument(source, f"bytes are not valid {encoding}") from e
    return _check_text(text, source), encoding


def _widen(encoding: str) -> str:
    """Prefer the superset codec: GB2312 and GBK text is valid GB18030, Big5 is Big5-HKSCS."""
    return {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs"}.get(encoding, encoding)


def _looks_like_text(text: str) -> bool:
    sample = text[:65536]
    return "\x00" not in sample and len(_CONTROL.findall(sample)) <= len(sample) * 0.01


def _check_text(text: str, source: str) -> str:
    if not _looks_like_text(text):
        raise BinaryDocument(source, "binary file: control bytes where text should be")
    return text


def _markdown_title(text: str) -> str | None:
    match = re.search(r"^\s{0,3}#\s+(.+?)\s*#*\s*$", text, re.M)
    return match.group(1).strip() if match else None


def _load_html(html: str, source: str, encoding: str) -> Document:
    import trafilatura

    try:
        extracted = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            favor_precision=True,
        )
    except Exception as e:  # trafilatura raises a variety of parser errors
        raise UnreadableDocument(source, f"cannot parse HTML: {e}") from e
    if (
        not isinstance(extracted, trafilatura.settings.Document)
        or not (extracted.text or "").strip()
    ):
        raise EmptyDocument(source, "no main text found in the HTML page")
    meta = {
        key: str(value)
        for key in ("author", "date", "sitename", "hostname", "url")
        if (value := getattr(extracted, key, None))
    }
    text: str = extracted.text or ""
    return Document(source, text, "html", encoding=encoding, title=extracted.title, meta=meta)


def _load_pdf(data: bytes, source: str) -> Document:
    try:
        import pypdf
    except ImportError as e:
        raise UnsupportedFormat(
            source, "PDF input needs the pdf extra: pip install 'summarizer[pdf]'"
        ) from e
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UnreadableDocument(source, "PDF is encrypted")
        pages = [page.extract_text() or "" for page in reader.pages]
        title = reader.metadata.title if reader.metadata else None
    except UnreadableDocument:
        raise
    except Exception as e:  # pypdf raises many unrelated types on broken files
        raise UnreadableDocument(source, f"cannot read PDF: {e}") from e
    text = "\n\n".join(page.strip() for page in pages)
    if not text.strip():
        raise EmptyDocument(source, "PDF has no extractable text (scanned images?)")
    return Document(source, text, "pdf", title=title or None)
