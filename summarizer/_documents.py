"""Loading: turn a path, a URL (or stdin) into decoded text before anything else looks at it.

Formats are sniffed from the bytes first and the file name second, so a PDF saved as
`.txt`, or HTML piped through stdin, still takes the right road, and a Word file or an
image is refused by name instead of being "summarized" as text. Encodings are detected
with charset-normalizer after the BOMs and UTF-8 have had their say, which keeps a
GB18030 or Big5 copy of a document equal to its UTF-8 original. A page fetched by URL
(`_fetch`) takes the same road, its server's charset tried before the detector.
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
from typing import BinaryIO, Literal, NamedTuple

from summarizer import _fetch as fetching
from summarizer._errors import (
    BinaryDocument,
    DocumentNotFound,
    DocumentTooLarge,
    EmptyDocument,
    NotAFile,
    UnreadableDocument,
    UnsupportedFormat,
)
from summarizer._titles import pdf_title

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

_BOMS: tuple[tuple[bytes, str], ...] = (  # UTF-8's is `decode`'s own case
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_HTML_START = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<body|<\?xml[^>]*>\s*<html)", re.I)
# C0 controls other than tab, newline, vertical tab, form feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")

# UTF-8 with at most this many bad bytes (the larger of the two) is read as UTF-8, the bad
# bytes replaced. A stray Latin-1 word or a download cut inside a character is 1-3 bytes,
# a few pasted ones a handful; 0.1% lets a long file carry scattered damage. Text in
# another encoding is far above: the Chinese examples in GB18030 have 57-59% of their bytes
# invalid as UTF-8, a Latin-1 French or German paragraph 7-11%. It must also hold at least
# as many valid multi-byte characters as bad bytes, so a Latin-1 English text with one
# "café" and nothing else non-ASCII is left to the detector, which reads it right.
MIN_REPLACED_BYTES = 8
REPLACED_BYTES_PER = 1000
_ESCAPED = re.compile("[\udc80-\udcff]")  # a bad byte, as the surrogateescape handler keeps it
_ASCII = bytes(range(128))

SUPPORTED = ".txt, .md, .html and .pdf"
# Magic numbers of formats we do not read. Each pattern is long or specific enough that no
# text starts with it: the two- and three-byte magics general detectors match (filetype
# and puremagic take "BMW sales rose" for a bitmap and "MZ Wallace" for an executable)
# are pinned here by the binary fields that follow them.
_MAGIC: tuple[tuple[re.Pattern[bytes], str], ...] = tuple(
    (re.compile(pattern, re.S), kind)
    for pattern, kind in (
        (rb"PK(?:\x03\x04|\x05\x06|\x07\x08)", "a zip archive"),
        (rb"\x1f\x8b\x08", "a gzip archive"),
        (rb"BZh[1-9](?:1AY&SY|\x17rE8P\x90)", "a bzip2 archive"),
        (rb"\xfd7zXZ\x00", "an xz archive"),
        (rb"\x28\xb5\x2f\xfd", "a zstd archive"),
        (rb"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
        (rb"Rar!\x1a\x07", "a RAR archive"),
        (rb"\x89PNG\r\n\x1a\n", "a PNG image"),
        (rb"\xff\xd8\xff", "a JPEG image"),
        (rb"GIF8[79]a.[\x00-\x1f].[\x00-\x1f]", "a GIF image"),  # width, height < 8192
        (rb"RIFF.{4}WEBP", "a WebP image"),
        (rb"RIFF.{4}(?:WAVE|AVI )", "a WAV or AVI media file"),
        (rb"BM.{4}\x00\x00\x00\x00", "a BMP image"),
        (rb"II\x2a\x00|MM\x00\x2a", "a TIFF image"),
        (rb"\x00\x00\x01\x00[\x01-\x40]\x00", "an icon image"),
        (rb"ID3[\x02-\x04]\x00|\xff[\xf2\xf3\xfa\xfb]", "an MP3 audio file"),
        (rb"fLaC[\x00\x80]", "a FLAC audio file"),
        (rb"OggS\x00", "an Ogg media file"),
        (rb"\x00\x00\x00.ftyp", "an MP4/QuickTime media file"),
        (rb"\x1a\x45\xdf\xa3", "a Matroska/WebM media file"),
        (rb"\x7fELF", "an ELF executable"),
        (rb"MZ.[\x00\x01]", "a Windows executable"),  # bytes in the last page: < 512
        # then the CPU type, whose middle bytes are zero: "\xce\xfa\xed\xfe" alone is GBK text
        (rb"\xfe\xed\xfa[\xce\xcf][\x00\x01]\x00\x00", "a Mach-O executable"),
        (rb"[\xce\xcf]\xfa\xed\xfe.\x00\x00[\x00\x01]", "a Mach-O executable"),
        (rb"\xca\xfe\xba\xbe\x00", "a Mach-O executable or Java class"),
        (rb"\x00asm", "a WebAssembly module"),
        (rb"SQLite format 3\x00", "an SQLite database"),
        (rb"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office file"),
    )
)
# What a zip holds, from the names of its members (stored uncompressed in the zip).
_ZIP_KINDS = (
    ("word/", "a Word document (zip)"),
    ("xl/", "an Excel workbook (zip)"),
    ("ppt/", "a PowerPoint deck (zip)"),
)
_ZIP_MIMETYPES = (
    (b"application/epub+zip", "an EPUB book (zip)"),
    (b"application/vnd.oasis.opendocument", "an OpenDocument file (zip)"),
)


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
    replaced_bytes: int = 0  # invalid UTF-8 bytes read as U+FFFD: see `decode`
    url: str | None = None  # a fetched page's URL as given, and after redirects
    final_url: str | None = None


class Decoded(NamedTuple):
    text: str
    encoding: str
    replaced_bytes: int = 0


def load(
    source: str | Path, *, stdin: BinaryIO | None = None, max_bytes: int = MAX_BYTES
) -> Document:
    """Read and decode one document; `-` reads standard input, a URL is fetched.

    Inputs over `max_bytes` are refused before they are read, so memory stays bounded.
    """
    name = str(source)
    if fetching.is_url(name):
        fetched = fetching.fetch(name, max_bytes=max_bytes)
        page = parse(fetched.data, fetched.url, suffix=fetched.suffix, charset=fetched.charset)
        return replace(page, url=fetched.url, final_url=fetched.final_url)
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


def parse(data: bytes, source: str, *, suffix: str = "", charset: str | None = None) -> Document:
    """Decode bytes already in memory; `suffix` and `charset` (a server's) are hints, the
    bytes decide first."""
    if not data.strip():
        raise EmptyDocument(source, "file is empty" if not data else "file holds only whitespace")
    digest = hashlib.sha256(data).hexdigest()
    fmt = sniff(data, suffix)
    if fmt == "pdf":
        return replace(_load_pdf(data, source), sha256=digest)
    if kind := unsupported_kind(data):
        raise UnsupportedFormat(source, f"binary file, {kind}; summarizer reads {SUPPORTED}")
    text, encoding, replaced = decode(data, source, charset)
    if not text.strip():
        raise EmptyDocument(source, "file holds only whitespace")
    if fmt == "html":
        html = _load_html(text, source, encoding)
        return replace(html, sha256=digest, replaced_bytes=replaced)
    title = _markdown_title(text) if fmt == "markdown" else None
    return Document(
        source, text, fmt, encoding=encoding, title=title, sha256=digest, replaced_bytes=replaced
    )


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def sniff(data: bytes, suffix: str) -> Format:
    if data[:5] == b"%PDF-":
        return "pdf"
    if _HTML_START.match(data[:1024]):
        return "html"
    fmt = SUFFIXES.get(suffix, "text")
    return "text" if fmt == "pdf" else fmt


def unsupported_kind(data: bytes) -> str | None:
    """What a file of a format we do not read is, by its magic number; None for the rest."""
    kind = next((kind for magic, kind in _MAGIC if magic.match(data)), None)
    if kind != "a zip archive":
        return kind
    for mimetype, zipped in _ZIP_MIMETYPES:  # stored first, uncompressed, by the standards
        if data.find(mimetype, 30, 30 + 64) >= 0:
            return zipped
    names = _zip_names(data)
    return next(
        (zipped for prefix, zipped in _ZIP_KINDS if any(n.startswith(prefix) for n in names)), kind
    )


def _zip_names(data: bytes) -> list[str]:
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):  # a cut or odd zip is still a zip
        return []


def decode(data: bytes, source: str, declared: str | None = None) -> Decoded:
    """The text, the encoding it was decoded from, and how many bad bytes were replaced.

    A `declared` charset (a server's) is believed when the bytes are not plain UTF-8 and
    decode in it cleanly: a short GBK page is where the detector guesses worst, and a
    server's ISO-8859-1 default on a UTF-8 page is wrong.
    """
    if data.startswith(codecs.BOM_UTF8):
        utf8 = _utf8(data[len(codecs.BOM_UTF8) :])
        if utf8 is None:
            raise BinaryDocument(source, "bytes are not valid utf-8")
        return utf8._replace(text=_check_text(utf8.text, source))
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(_check_text(data.decode(encoding), source), encoding)
            except UnicodeDecodeError as e:
                raise BinaryDocument(source, f"bytes are not valid {encoding}") from e
    utf8 = _utf8(data)
    if utf8 is not None and not utf8.replaced_bytes and _looks_like_text(utf8.text):
        return utf8
    if declared is not None and (as_declared := _as_declared(data, declared)) is not None:
        return as_declared
    if utf8 is not None and _looks_like_text(utf8.text):
        return utf8
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise BinaryDocument(source, "binary file: not text in any encoding we know")
    encoding = _widen(best.encoding)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as e:  # pragma: no cover - the detector said it decodes
        raise BinaryDocument(source, f"bytes are not valid {encoding}") from e
    return Decoded(_check_text(text, source), encoding)


def _utf8(data: bytes) -> Decoded | None:
    """UTF-8, or UTF-8 with a few bad bytes (see MIN_REPLACED_BYTES) replaced by U+FFFD.

    A download cut inside a character, or one Latin-1 "café" pasted into a UTF-8 article,
    used to make the whole file binary or mojibake in a single-byte code page.
    """
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    limit = max(MIN_REPLACED_BYTES, len(data) // REPLACED_BYTES_PER)
    escaped = data.decode("utf-8", "surrogateescape")  # one lone surrogate per bad byte
    bad = 0
    for _ in _ESCAPED.finditer(escaped):
        bad += 1
        if bad > limit:
            return None
    ascii_bytes = len(data) - len(data.translate(None, _ASCII))  # translate drops ASCII
    multibyte = len(escaped) - ascii_bytes - bad  # the valid non-ASCII characters
    if multibyte < bad:
        return None
    return Decoded(data.decode("utf-8", "replace"), "utf-8", bad)


def _as_declared(data: bytes, charset: str) -> Decoded | None:
    try:
        encoding = _widen(codecs.lookup(charset).name)
        text = data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return None
    return Decoded(text, encoding) if _looks_like_text(text) else None


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
    return Document(source, text, "pdf", title=pdf_title(title, text, source))
