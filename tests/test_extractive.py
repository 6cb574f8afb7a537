from __future__ import annotations

import itertools

import pytest

from summarizer._cleaning import clean
from summarizer._documents import load
from summarizer._engines.extractive import summarize
from summarizer._entities import extract_entities
from summarizer._facts import categorize, extract_facts
from summarizer._language import detect
from summarizer._sentences import split_sentences

from .conftest import EXAMPLES


@pytest.mark.parametrize(
    ("clause", "category"),
    [
        ("全县累计投入资金2.3亿元", "money"),
        ("本計畫總經費新臺幣3,500萬元", "money"),
        ("approved a $48.6 million operating budget", "money"),
        ("覆盖率达92%", "percent"),
        ("a 12.7% increase over the current year", "percent"),
        ("推进会于2026年3月12日召开", "event"),
        ("The council approved the plan on March 3, 2026", "event"),
        ("记者于2026年3月12日获悉", "date"),
        ("建成乡村电商服务站32个", "number"),
        ("logged 18,900 requests", "number"),
        ("没有任何数字的句子", None),
    ],
)
def test_categories(clause: str, category: str | None) -> None:
    assert categorize(clause) == category


def example(name: str) -> tuple[str, str]:
    text = clean(load(EXAMPLES / name).text).text
    return text, detect(text)


@pytest.mark.parametrize(
    "name", ["zh_hans_county_news.txt", "zh_hant_taipei_report.txt", "en_city_budget.txt"]
)
def test_examples_get_a_summary_points_and_grounded_facts(name: str) -> None:
    text, language = example(name)
    result = summarize(text, language)
    assert 3 <= len(result.key_points) <= 7
    summary = result.summary
    assert all(summary[s.start : s.end] in text for s in split_sentences(summary))
    assert result.facts
    for fact in result.facts:
        assert text[fact.start : fact.end] == fact.evidence
    spans = sorted((f.start, f.end) for f in result.facts)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans)), "facts overlap"


def test_summary_sentences_keep_document_order() -> None:
    text, language = example("zh_hans_county_news.txt")
    result = summarize(text, language)
    positions = [text.index(s + "。") for s in result.summary.split("。") if s]
    assert positions == sorted(positions)


def test_deterministic() -> None:
    text, language = example("en_city_budget.txt")
    assert summarize(text, language) == summarize(text, language)


def test_facts_are_short_clauses_in_chinese() -> None:
    text = "2026年3月12日上午，推进会在县行政中心召开。全县累计投入资金2.3亿元，建成服务站32个，覆盖率达92%。"
    facts = extract_facts(text, split_sentences(text), [1.0, 1.0])
    evidence = [f.evidence for f in facts]
    assert evidence == [
        "2026年3月12日上午，推进会在县行政中心召开。",
        "全县累计投入资金2.3亿元",
        "建成服务站32个，覆盖率达92%。",
    ]


def test_chinese_entities() -> None:
    text = (
        "县长李明远表示，青岚县农业农村局将联合县商务局推进工作。"
        "记者在西林镇看到，茶农何秀英说，今年收入增加了。"
    )
    entities = extract_entities(text, zh=True)
    assert entities.people == ["李明远", "何秀英"]
    assert "青岚县农业农村局" in entities.organizations
    assert "县商务局" in entities.organizations
    assert "西林镇" in entities.places


def test_english_entities() -> None:
    text = (
        "Dr. Alicia Romero, who chairs the Riverton City Council, spoke first. "
        '"It works," said Robert Okafor. The bus will stop at Harbor Point in May.'
    )
    entities = extract_entities(text, zh=False)
    assert entities.people == ["Alicia Romero", "Robert Okafor"]
    assert entities.organizations == ["Riverton City Council"]
    assert entities.places == ["Harbor Point"]


# --- text without sentence punctuation -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("青岚县投入资金2.3亿元建成服务站32个覆盖率达92%全县农村电商" * 2000, "zh-Hans"),
        (" ".join(["the council approved a budget of 3.5 million for parks"] * 3000), "en"),
    ],
    ids=["chinese", "english"],
)
def test_without_stops_the_summary_is_bounded_and_key_points_are_sentences(
    text: str, language: str
) -> None:
    result = summarize(text, language)
    assert 0 < len(result.summary) <= 600
    assert len(split_sentences(result.summary)) <= 5
    assert 3 <= len(result.key_points) <= 7
    spans = {text[s.start : s.end] for s in split_sentences(text)}
    assert all(point in spans for point in result.key_points)


def test_key_points_are_whole_sentences_of_the_examples() -> None:
    for name in ("zh_hans_county_news.txt", "en_city_budget.txt"):
        text, language = example(name)
        spans = {text[s.start : s.end] for s in split_sentences(text)}
        assert all(point in spans for point in summarize(text, language).key_points)
