from __future__ import annotations

import codecs
import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from summarizer import _documents as documents
from summarizer import _titles as titles
from summarizer._errors import (
    BinaryDocument,
    DocumentNotFound,
    EmptyDocument,
    NotAFile,
    UnreadableDocument,
    UnsupportedFormat,
)

from .pages import Page, closed_port, redirect, serve

ZH_HANS = (
    "青岚县今年投入资金2.3亿元，建成32个服务站，覆盖率达到92%。\n村民说：“现在寄快递方便多了。”\n"
)
ZH_HANT = "雲和區公所今年編列新臺幣3,500萬元，在18處社區設置共餐據點。\n長者滿意度達93.7%。\n"
EN = "The council approved a $48.6 million budget on March 3, 2026.\n"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (ZH_HANS, "utf-8"),
        (ZH_HANS, "gb18030"),
        (ZH_HANS, "gbk"),
        (ZH_HANT, "big5"),
        (ZH_HANS * 3, "utf-16"),
        (EN, "utf-8"),
    ],
)
def test_decodes_common_encodings(tmp_path: Path, text: str, encoding: str) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(text.encode(encoding))
    assert documents.load(path).text == text


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(codecs.BOM_UTF8 + ZH_HANS.encode("utf-8"))
    doc = documents.load(path)
    assert doc.text == ZH_HANS
    assert doc.encoding == "utf-8"


def test_utf16_without_bom_is_not_mistaken_for_binary(tmp_path: Path) -> None:
    path = tmp_path / "u16.txt"
    path.write_bytes((EN * 20).encode("utf-16-le"))
    assert documents.load(path).text == EN * 20


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DocumentNotFound, match="no such file"):
        documents.load(tmp_path / "nope.txt")


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(NotAFile, match="is a directory"):
        documents.load(tmp_path)


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root in CI, where chmod 000 does not stop reads; fail the read itself.
    path = tmp_path / "secret.txt"
    path.write_text(EN)

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(UnreadableDocument, match="permission denied"):
        documents.load(path)


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 8,  # no magic number: formats we know are refused by name below
        b"\x00\x01\x02\x03\xff\xfe" * 500,
    ],
)
def test_binary_file(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(data)
    with pytest.raises(BinaryDocument):
        documents.load(path)


@pytest.mark.parametrize("data", [b"", b"   \n\t\n  "])
def test_empty_file(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(data)
    with pytest.raises(EmptyDocument, match="empty"):
        documents.load(path)


def test_stdin_is_read_and_sniffed() -> None:
    html = "<!DOCTYPE html><html><head><title>标题</title></head><body><article><p>" + ZH_HANS * 3
    doc = documents.load("-", stdin=io.BytesIO(html.encode("utf-8")))
    assert doc.source == "<stdin>"
    assert doc.format == "html"


HTML_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>云溪市图书馆新馆开放_云溪新闻网</title></head>
<body>
<nav><a href="/">首页</a> | <a href="/news">新闻</a> | <a href="/sports">体育</a></nav>
<div class="share">分享到：微信 微博</div>
<article>
<h1>云溪市图书馆新馆开放</h1>
<p>记者从云溪市文化局获悉，新馆将于4月23日正式对外开放，总投资4.6亿元，建筑面积5.2万平方米。</p>
<p>新馆阅览座位由原来的1200个增至2800个，增长133.3%，设计藏书容量达到300万册。</p>
<p>馆长孙嘉禾说，新馆每周开放时间将从63小时延长至84小时，方便更多市民到馆阅读。</p>
</article>
<aside><h3>相关阅读</h3><ul><li><a href="/a">老城区道路改造启动</a></li></ul></aside>
<footer>Copyright © 2026 云溪新闻网 版权所有</footer>
</body></html>
"""


def test_html_main_text_without_chrome(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(HTML_PAGE, encoding="utf-8")
    doc = documents.load(path)
    assert doc.format == "html"
    assert doc.title is not None and "云溪市图书馆新馆开放" in doc.title
    assert "总投资4.6亿元" in doc.text
    for chrome in ("首页", "分享到", "相关阅读", "版权所有", "老城区道路改造启动"):
        assert chrome not in doc.text


def test_html_in_gb18030_with_meta_charset(tmp_path: Path) -> None:
    path = tmp_path / "page.htm"
    path.write_bytes(HTML_PAGE.replace("utf-8", "gb18030").encode("gb18030"))
    assert "总投资4.6亿元" in documents.load(path).text


def minimal_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with Helvetica text, written by hand so tests need no PDF writer."""
    stream = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({line}) '" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out


def test_pdf_text_is_extracted(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(
        minimal_pdf(["The council approved a budget of 48.6 million dollars.", "It passed 5-2."])
    )
    doc = documents.load(path)
    assert doc.format == "pdf"
    assert "48.6 million dollars" in doc.text


def test_pdf_is_sniffed_whatever_the_suffix(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(minimal_pdf(["Sniffed by its magic bytes."]))
    assert documents.load(path).format == "pdf"


def test_broken_pdf(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n" + b"garbage " * 50)
    with pytest.raises((UnreadableDocument, EmptyDocument)):
        documents.load(path)


def test_markdown_title(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text("# Garden notes\n\nThe garden opens 140 plots this year.\n")
    assert documents.load(path).title == "Garden notes"


# --- UTF-8 with a few broken bytes --------------------------------------------------------


def test_a_stray_latin1_byte_in_utf8_is_replaced_not_mojibake(tmp_path: Path) -> None:
    path = tmp_path / "stray.txt"
    path.write_bytes((ZH_HANS * 5).encode() + b"The caf\xe9 on Main Street opened.\n" + EN.encode())
    doc = documents.load(path)
    assert doc.encoding == "utf-8"
    assert doc.text == ZH_HANS * 5 + "The caf\ufffd on Main Street opened.\n" + EN
    assert doc.replaced_bytes == 1


def test_utf8_cut_inside_a_character_is_read(tmp_path: Path) -> None:
    data = (ZH_HANS * 5).encode() + "村民说现在方便多了".encode()
    path = tmp_path / "truncated.txt"
    path.write_bytes(data[:-2])  # a download cut one byte into the last character
    doc = documents.load(path)
    assert doc.text == ZH_HANS * 5 + "村民说现在方便多\ufffd"
    assert doc.replaced_bytes == 1


def test_utf8_with_a_bom_and_a_broken_byte(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(codecs.BOM_UTF8 + (ZH_HANS * 3).encode() + b"\xff" + EN.encode())
    doc = documents.load(path)
    assert doc.text == ZH_HANS * 3 + "\ufffd" + EN and doc.replaced_bytes == 1


def test_clean_utf8_replaces_nothing(tmp_path: Path) -> None:
    path = tmp_path / "clean.txt"
    path.write_bytes(ZH_HANS.encode())
    assert documents.load(path).replaced_bytes == 0


def test_replacement_stops_at_the_threshold(tmp_path: Path) -> None:
    body = (ZH_HANS * 40).encode()  # 4.4 KB: the floor of 8 bytes is the limit
    limit = max(documents.MIN_REPLACED_BYTES, len(body) // documents.REPLACED_BYTES_PER)
    at_limit = tmp_path / "at.txt"
    at_limit.write_bytes(body + b"\xe9" * limit)
    assert documents.load(at_limit).replaced_bytes == limit
    over = tmp_path / "over.txt"
    over.write_bytes(body + b"\xe9" * (limit + 1))
    try:
        doc = documents.load(over)
    except BinaryDocument:
        return
    assert doc.replaced_bytes == 0  # whatever the detector makes of it, not lenient UTF-8


def test_a_latin1_text_is_not_taken_for_broken_utf8(tmp_path: Path) -> None:
    # No valid multi-byte character, so nothing says UTF-8: the detector reads it whole.
    path = tmp_path / "latin1.txt"
    path.write_bytes(b"The caf\xe9 on Main Street opened on Monday, the owner said.\n" * 3)
    doc = documents.load(path)
    assert "caf\xe9" in doc.text and doc.replaced_bytes == 0


@pytest.mark.parametrize("encoding", ["gb18030", "big5"])
def test_legacy_chinese_with_ascii_is_not_taken_for_broken_utf8(
    tmp_path: Path, encoding: str
) -> None:
    text = (ZH_HANT if encoding == "big5" else ZH_HANS) + EN * 10
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode(encoding))
    doc = documents.load(path)
    assert doc.text == text and doc.replaced_bytes == 0


# --- formats we do not read ---------------------------------------------------------------


def zip_with(*names: str, mimetype: str | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as archive:
        if mimetype is not None:
            archive.writestr("mimetype", mimetype)
        for name in names:
            archive.writestr(name, "<x>The council approved a budget of 48.6 million.</x>" * 5)
    return buf.getvalue()


def gzipped(data: bytes) -> bytes:
    import gzip

    return gzip.compress(data)


def bzipped(data: bytes) -> bytes:
    import bz2

    return bz2.compress(data)


def xzipped(data: bytes) -> bytes:
    import lzma

    return lzma.compress(data)


def sqlite_file(tmp_path: Path) -> bytes:
    import sqlite3

    path = tmp_path / "db.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("create table notes (body text)")
        db.execute("insert into notes values ('The council approved a budget.')")
    db.close()
    return path.read_bytes()


PAD = bytes(range(256)) * 4
FORMATS = {
    "docx": (zip_with("[Content_Types].xml", "word/document.xml"), "a Word document (zip)"),
    "xlsx": (zip_with("[Content_Types].xml", "xl/workbook.xml"), "an Excel workbook (zip)"),
    "pptx": (zip_with("[Content_Types].xml", "ppt/presentation.xml"), "a PowerPoint deck (zip)"),
    "epub": (zip_with("OEBPS/ch1.xhtml", mimetype="application/epub+zip"), "an EPUB book (zip)"),
    "odt": (
        zip_with("content.xml", mimetype="application/vnd.oasis.opendocument.text"),
        "an OpenDocument file (zip)",
    ),
    "zip": (zip_with("notes.txt"), "a zip archive"),
    "gz": (gzipped(EN.encode() * 50), "a gzip archive"),
    "bz2": (bzipped(EN.encode() * 50), "a bzip2 archive"),
    "xz": (xzipped(EN.encode() * 50), "an xz archive"),
    "7z": (b"7z\xbc\xaf\x27\x1c\x00\x04" + PAD, "a 7-Zip archive"),
    "rar": (b"Rar!\x1a\x07\x01\x00" + PAD, "a RAR archive"),
    "png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + PAD, "a PNG image"),
    "jpeg": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + PAD, "a JPEG image"),
    "gif": (b"GIF89a\x40\x01\xf0\x00\xf7\x00\x00" + PAD, "a GIF image"),
    "webp": (b"RIFF\x24\x10\x00\x00WEBPVP8 " + PAD, "a WebP image"),
    "bmp": (b"BM\x36\x10\x0e\x00\x00\x00\x00\x00\x36\x00" + PAD, "a BMP image"),
    "mp3": (b"ID3\x04\x00\x00\x00\x00\x01\x00" + PAD, "an MP3 audio file"),
    "mp4": (b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00" + PAD, "an MP4/QuickTime media file"),
    "ogg": (b"OggS\x00\x02\x00\x00" + PAD, "an Ogg media file"),
    "elf": (b"\x7fELF\x02\x01\x01\x00" + b"\x00\x01\x02\x03\xff\xfe" * 500, "an ELF executable"),
    "exe": (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + PAD, "a Windows executable"),
    "macho": (b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + PAD, "a Mach-O executable"),
    "sqlite": (b"", "an SQLite database"),  # filled in by the test: sqlite writes it
    "doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00" + PAD, "an old Microsoft Office file"),
}


@pytest.mark.parametrize("kind", sorted(FORMATS))
def test_formats_we_do_not_read_are_refused_by_their_bytes(tmp_path: Path, kind: str) -> None:
    data, name = FORMATS[kind]
    if kind == "sqlite":
        data = sqlite_file(tmp_path)
    path = tmp_path / "report.txt"  # the suffix does not matter: the bytes decide
    path.write_bytes(data)
    with pytest.raises(UnsupportedFormat) as raised:
        documents.load(path)
    assert raised.value.problem == (
        f"binary file, {name}; summarizer reads .txt, .md, .html and .pdf"
    )


@pytest.mark.parametrize(
    "start",
    [
        "BMW sales rose 4% in March.",  # BMP's two-byte magic, which filetype/puremagic take
        "MZ Wallace opened a store.",  # a Windows executable's MZ
        "ID3 tags describe MP3 files.",
        "GIF89a is a format from 1989.",
        "RIFF WAVE files hold audio.",
        "OggS is the Ogg page marker.",
        "PK is a common abbreviation.",
        "BZh is how bzip2 files start.",
    ],
)
def test_text_that_starts_like_a_magic_number_is_still_text(tmp_path: Path, start: str) -> None:
    path = tmp_path / "note.txt"
    path.write_text(start + "\n" + EN, encoding="utf-8")
    assert documents.load(path).text == start + "\n" + EN


def pdf_with_title(lines: list[str], title: str | None) -> bytes:
    """`minimal_pdf` with a metadata title, written by pypdf as PDF writers write one."""
    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(minimal_pdf(lines))))
    if title is not None:
        writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF_LINES = [
    "Riverton Transit Plan 2026",
    "The transit board voted on Monday to extend the number 9 bus line.",
    "It passed 5-2.",
]


@pytest.mark.parametrize(
    "title", ["test", "Untitled", "Microsoft Word - transit_plan.docx", "transit.pdf", "", None]
)
def test_a_pdf_without_a_real_title_takes_its_first_heading(
    tmp_path: Path, title: str | None
) -> None:
    path = tmp_path / "transit.pdf"
    path.write_bytes(pdf_with_title(PDF_LINES, title))
    assert documents.load(path).title == "Riverton Transit Plan 2026"


def test_a_pdf_keeps_a_real_metadata_title(tmp_path: Path) -> None:
    path = tmp_path / "transit.pdf"
    path.write_bytes(pdf_with_title(PDF_LINES, "Transit Plan, Board Edition"))
    assert documents.load(path).title == "Transit Plan, Board Edition"


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (
            "1\n青岚县2025年农村供水工作报告\n一、基本情况\n全县农村供水工程……",
            "青岚县2025年农村供水工作报告",
        ),
        ("2026-03-12\nRiverton Budget Notes\n\nThe council met.", "Riverton Budget Notes"),
        # the first line of a hard-wrapped paragraph is no heading, nor is a sentence
        (
            "The council approved a $48.6 million budget on Tuesday after a long\n"
            "meeting that began at 6 p.m. and ran past 11, with two votes against it.",
            None,
        ),
        ("The council approved the budget.\nIt passed 5-2.", None),
    ],
)
def test_pdf_title_from_the_text(text: str, title: str | None) -> None:
    assert titles.pdf_title("test", text, "report.pdf") == title


# --- a server's charset, and documents named by URL ------------------------------------------

NOTE_ZH = "村民说：现在寄快递方便多了。"  # in GBK, too short for the detector: it says cp949


@pytest.mark.parametrize(
    ("data", "declared", "text", "encoding"),
    [
        (NOTE_ZH.encode("gbk"), "GBK", NOTE_ZH, "gb18030"),
        ("村民說：現在寄快遞方便多了。".encode("big5"), "big5", "寄快遞", "big5hkscs"),
        (NOTE_ZH.encode(), "iso-8859-1", NOTE_ZH, "utf-8"),  # a server's default, wrong
        (b"caf\xe9 " * 3 + ZH_HANS.encode(), "utf-8", "caf\ufffd", "utf-8"),  # damaged, kept
        (NOTE_ZH.encode("gbk"), "no-such-charset", "", "cp949"),  # an unknown name: detected
        (NOTE_ZH.encode("gbk"), "utf-16", "", "cp949"),  # no text in what it declares
    ],
)
def test_a_declared_charset_is_believed_only_where_it_fits(
    data: bytes, declared: str, text: str, encoding: str
) -> None:
    decoded = documents.decode(data, "page", declared)
    assert decoded.encoding == encoding and text in decoded.text


def test_a_url_is_fetched_then_decoded_as_a_file_is() -> None:
    pages = {
        "/a": redirect("/b.md"),
        "/b.md": Page(("# 寄快递\n\n" + NOTE_ZH).encode("gbk"), "text/plain; charset=gbk"),
    }
    with serve(pages) as site:
        doc = documents.load(f"{site.base}/a")
    assert (doc.format, doc.encoding, doc.title) == ("markdown", "gb18030", "寄快递")
    assert doc.source == doc.url == f"{site.base}/a" and doc.final_url == f"{site.base}/b.md"
    assert doc.sha256 == hashlib.sha256(pages["/b.md"].body).hexdigest()


def test_a_url_that_is_a_folder_name_is_still_a_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    host = f"127.0.0.1:{closed_port()}"
    (tmp_path / "http:" / host).mkdir(parents=True)  # what the URL reads as a path
    with pytest.raises(UnreadableDocument, match="cannot fetch") as caught:
        documents.load(f"http://{host}/")
    assert caught.value.exit_code == 1
