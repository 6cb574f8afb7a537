from __future__ import annotations

import pytest

from summarizer._facts import categorize, extract_facts
from summarizer._sentences import Span, split_sentences


@pytest.mark.parametrize(
    ("clause", "category"),
    [
        ("全县累计投入资金2.3亿元", "money"),
        ("本計畫總經費新臺幣3,500萬元", "money"),
        ("approved a $48.6 million operating budget", "money"),
        ("覆盖率达92%", "percent"),
        ("a 12.7% increase over the current year", "percent"),
        ("比上年提高3个百分点", "percent"),
        ("推进会于2026年3月12日召开", "event"),
        ("The council approved the plan on March 3, 2026", "event"),
        ("The museum will open on Saturdays from 9 May 2026", "event"),
        ("A hearing is set for May 12 at the town hall", "event"),
        ("记者于2026年3月12日获悉", "date"),
        ("建成乡村电商服务站32个", "number"),
        ("logged 18,900 requests", "number"),
        ("没有任何数字的句子", None),
    ],
)
def test_categories(clause: str, category: str | None) -> None:
    assert categorize(clause) == category


@pytest.mark.parametrize(
    ("clause", "category"),
    [
        ("村民们用200余块青石板铺成步道", "number"),  # pieces
        ("搬运了30块木板", "number"),
        ("以前一碗面6块钱", "money"),
        ("门票只要20塊錢", "money"),
        ("每瓶水5毛钱", "money"),
        ("补助标准为每人每月300元", "money"),
        ("捐款12万美元", "money"),
        ("预算为500万人民币", "money"),
        ("共有3个元件损坏", "number"),
    ],
)
def test_chinese_units_decide_the_category(clause: str, category: str) -> None:
    assert categorize(clause) == category


@pytest.mark.parametrize(
    ("clause", "category"),
    [
        ("Volunteers picked 4,200 pounds of apples", "number"),
        ("The bridge can carry 40,000 pounds", "number"),
        ("The calf weighed 90 pounds at birth", "number"),
        ("The club raised 9,000 pounds sterling for the roof", "money"),
        ("The court fined him 500 pounds", "money"),
        ("Tickets cost 12 pounds each", "money"),
        ("The council spent £2.5 million and 300 pounds more on signs", "money"),
        ("It paid 80,000 GBP in fees", "money"),
        ("The trust gave 3 million pounds of funding", "money"),
    ],
)
def test_pounds_are_money_only_with_sterling_or_paying(clause: str, category: str) -> None:
    assert categorize(clause) == category


@pytest.mark.parametrize(
    "clause",
    [
        "3、坚持以服务为纽带",  # a list marker's number
        "（2）健全工作机制",
        "[3]见上文所述的有关内容",  # a reference mark
        "会议于下午3时开始",  # a time of day
        "doors open at 9 a.m. and close at noon",
        "庆祝建党100周年",  # an anniversary
        "PM2.5浓度监测点",  # an identifier
        "the office at 14 Elm Street",  # an address
        "on the 3rd floor",
        "resurfacing the road between Pier 4 and Gate 2",  # names of places
        "联系电话：0571-87654321",  # a phone number
        "咨询电话13912345678",
        "call (555) 123-4567 for details",
    ],
)
def test_numbers_that_measure_nothing_make_no_fact(clause: str) -> None:
    assert categorize(clause) is None


def facts_of(text: str) -> list[str]:
    sentences = split_sentences(text)
    return [f.evidence for f in extract_facts(text, sentences, [1.0] * len(sentences))]


def test_facts_are_short_clauses_in_chinese() -> None:
    text = "2026年3月12日上午，推进会在县行政中心召开。全县累计投入资金2.3亿元，建成服务站32个，覆盖率达92%。"
    assert facts_of(text) == [
        "2026年3月12日上午，推进会在县行政中心召开。",
        "全县累计投入资金2.3亿元",
        "建成服务站32个，覆盖率达92%。",
    ]


def test_reference_lists_list_markers_and_spam_give_no_facts() -> None:
    text = (
        "全市今年新建实践基地18个，覆盖率达到76%。\n"
        "4、坚持以活动为抓手，联谊会在6个乡镇建立服务站。\n"
        "[1]赵某某:《乡村治理研究》,某某出版社,2018年版,第12页。\n"
        "[2]钱某.县域统战工作探析[J].某某论丛,2019(03):21-25頁。\n"
        "某某论丛,2019(03):21-25頁。\n"
        "葡京娱乐城开户,2025最新成人视频,六合彩开奖直播,真人百家乐,免费看片大全,一夜情交友。\n"
    )
    assert facts_of(text) == [
        "全市今年新建实践基地18个",
        "覆盖率达到76%。",
        "联谊会在6个乡镇建立服务站。",
    ]


def test_a_heading_joined_to_its_sentence_is_not_part_of_a_fact() -> None:
    text = "3、坚持以学习为抓手\n今年以来，全县共举办专题培训班15期，培训会员900人次。"
    # A splitter that joins the lines must still give facts without the heading.
    facts = extract_facts(text, [Span(0, len(text))], [1.0])
    assert [f.evidence for f in facts] == ["全县共举办专题培训班15期", "培训会员900人次。"]
    assert all(text[f.start : f.end] == f.evidence for f in facts)


def test_a_frame_takes_the_clause_it_frames() -> None:
    text = "记者从会上获悉，该项目自2024年5月启动以来，全镇累计投入资金8600万元，新建道路12公里。"
    assert (
        facts_of(text)[0] == "记者从会上获悉，该项目自2024年5月启动以来，全镇累计投入资金8600万元"
    )


def test_a_date_that_opens_a_quotation_is_no_fact() -> None:
    text = (
        "6月8日,在全市青年人才培训班开班仪式上,学员们表示:“要把所学用到工作中去,立足岗位作贡献。”"
    )
    assert facts_of(text) == []


def test_english_facts_drop_the_conjunction_after_a_semicolon() -> None:
    text = "Schools receive $8.1 million, up from $7.4 million; and the pool program gets $900,000 to fix 14 pumps."
    assert facts_of(text) == [
        "Schools receive $8.1 million, up from $7.4 million",
        "the pool program gets $900,000 to fix 14 pumps.",
    ]


def test_a_dateline_is_not_part_of_a_fact() -> None:
    text = (
        "PARIS (AFP) - The board approved a $3.2 million library budget on Monday, officials said."
    )
    [evidence] = facts_of(text)
    assert evidence.startswith("The board approved")
