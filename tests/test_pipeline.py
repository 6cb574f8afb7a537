from __future__ import annotations

import re
from pathlib import Path

import pytest

from summarizer import summarize
from summarizer._cleaning import clean
from summarizer._documents import load
from summarizer._errors import EmptyDocument

from .conftest import EXAMPLES, example_files, seed_files

NOISE = [
    "蜘蛛池",
    "友情链接",
    "彩票",
    "编辑推荐",
    "編輯推薦",
    "往期推荐",
    "扫码关注",
    "分享到",
    "Share this",
    "Sponsored links",
    "Subscribe",
    "责任编辑",
    "責任編輯",
    "值班",
    "Related articles",
    "Casino",
]
PINYIN = re.compile(r"[\u4e00-\u9fff]\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")


@pytest.mark.parametrize("path", example_files() + seed_files(), ids=lambda p: p.name)
def test_every_document_summarizes_clean_and_grounded(path: Path) -> None:
    result = summarize(path)
    output = result.model_dump_json(exclude={"metadata"})  # metadata.cleaning lists the noise
    assert not [n for n in NOISE if n in output]
    assert not PINYIN.search(output)
    cleaned = clean(load(path).text, markdown=path.suffix == ".md").text
    for fact in result.facts:
        assert cleaned[fact.start : fact.end] == fact.evidence
    assert result.metadata.engine == "extractive"
    assert result.metadata.chunks >= 1
    assert result.language == result.metadata.language


def test_facts_trace_to_the_original_document() -> None:
    path = EXAMPLES / "zh_hant_taipei_report.txt"
    original = load(path).text
    for fact in summarize(path).facts:
        assert fact.source_start is not None and fact.source_end is not None
        traced = PINYIN.sub(lambda m: m.group()[0], original[fact.source_start : fact.source_end])
        assert traced == fact.evidence


def comparable(path: Path) -> dict[str, object]:
    data = summarize(path).model_dump()
    data["metadata"].pop("timings")
    data["metadata"].pop("source")
    data["metadata"]["document"].pop("encoding")
    data["metadata"]["document"].pop("sha256")
    return data


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("zh_hans_county_news.txt", "gb18030"),
        ("zh_hant_taipei_report.txt", "big5"),
        ("zh_hant_taipei_report.txt", "utf-16"),
        ("en_city_budget.txt", "utf-16"),
    ],
)
def test_other_encodings_give_the_same_result(tmp_path: Path, name: str, encoding: str) -> None:
    # Big5 has no tone-marked pinyin, so both copies drop the converter artifacts first.
    text = PINYIN.sub(lambda m: m.group()[0], (EXAMPLES / name).read_text(encoding="utf-8"))
    utf8 = tmp_path / "utf8" / name
    other = tmp_path / encoding / name
    for path, codec in ((utf8, "utf-8"), (other, encoding)):
        path.parent.mkdir()
        path.write_bytes(text.encode(codec))
    assert comparable(other) == comparable(utf8)


def test_byline_goes_to_metadata_not_summary() -> None:
    result = summarize(EXAMPLES / "zh_hans_county_news.txt")
    assert result.metadata.byline.source == "青岚日报"
    assert "王一鸣" in result.metadata.byline.editors
    assert "王一鸣" not in result.summary


def test_html_metadata_fills_the_byline() -> None:
    result = summarize(EXAMPLES / "zh_news_page.html")
    assert result.title and "图书馆" in result.title
    assert result.metadata.document is not None and result.metadata.document.format == "html"


def test_nothing_left_after_cleaning(tmp_path: Path) -> None:
    path = tmp_path / "chrome.txt"
    path.write_text("编辑推荐\n往期推荐\n扫码关注我们\n", encoding="utf-8")
    with pytest.raises(EmptyDocument, match="nothing left"):
        summarize(path)


def test_the_library_returns_no_notice_and_prints_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The offline notice is the CLI's to print (test_cli); the library only returns data."""
    result = summarize(EXAMPLES / "en_short_note.md")
    assert result.metadata.engine == "extractive" and "notice" not in result.metadata.model_dump()
    assert capsys.readouterr() == ("", "")
