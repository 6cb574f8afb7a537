from __future__ import annotations

import pytest

from summarizer._prose import is_candidate, is_citation, is_spam, prose_start


def opener(sentence: str) -> str:
    return sentence[: prose_start(sentence)]


@pytest.mark.parametrize(
    ("sentence", "skipped"),
    [
        ("MAPLETON — The board met on Monday.", "MAPLETON — "),
        ("PARIS (AFP) - Prices fell 2% in May.", "PARIS (AFP) - "),
        ("BOSTON, April 9 (AP) — The Senate voted 61-39.", "BOSTON, April 9 (AP) — "),
        (
            "SAN DIEGO, Feb. 2, 2026 /PRNewswire/ -- Acme Inc. said.",
            "SAN DIEGO, Feb. 2, 2026 /PRNewswire/ -- ",
        ),
        ("FT. WORTH, Texas — The city said so.", "FT. WORTH, Texas — "),
        ("新华社杭州5月6日电（记者 周某）全省新增绿地800公顷。", "新华社杭州5月6日电（记者 周某）"),
        (
            "本报讯（记者 陈某 通讯员 林某）5月6日，全县召开大会。",
            "本报讯（记者 陈某 通讯员 林某）",
        ),
        (
            "某某日报网广州5月6日电 (记者 吴某)广州新增公园12个。",
            "某某日报网广州5月6日电 (记者 吴某)",
        ),
    ],
)
def test_datelines_are_skipped(sentence: str, skipped: str) -> None:
    assert opener(sentence) == skipped


@pytest.mark.parametrize(
    ("sentence", "skipped"),
    [
        ("3、堅持以服務為紐帶，全縣建成站點6個。", "3、"),
        ("（二）强化阵地建设，新建基地4个。", "（二）"),
        ("十二、加强队伍建设。", "十二、"),
        ("2. The second item costs $40.", "2. "),
        ("b) a lower-case item here.", "b) "),
        ("• Each site has a rain barrel.", "• "),
        ("①开展调研5次。", "①"),
    ],
)
def test_list_markers_are_skipped(sentence: str, skipped: str) -> None:
    assert opener(sentence) == skipped


@pytest.mark.parametrize(
    "sentence",
    [
        "NASA — the agency said it would wait.",  # no sentence after the dash
        "UN - Nations met today.",  # two capitals are no place
        "1.5亿元用于建设服务站。",  # a number, not a marker
        "2026年3月，全县召开大会。",
        "The council set aside $4.75 million to extend\nthe route east to the new housing.",
        "县里今年投入资金三千万元，用于修建道路和桥梁，改善全县三十多个村的出行条件\n受益群众超过两万人。",
        "县里今年投入资金三千万元用于修建道路\n和桥梁受益群众超过两万人。",  # `fold` width
    ],
)
def test_prose_is_left_whole(sentence: str) -> None:
    assert prose_start(sentence) == 0


@pytest.mark.parametrize(
    ("sentence", "skipped"),
    [
        ("二、堅持以活動為鏈接\n聯誼會在5個鄉鎮建立服務站。", "二、堅持以活動為鏈接\n"),
        ("加强组织建设\n全县新建基地18个。", "加强组织建设\n"),
        ("Harbor Point Garden Opens\nThe site adds 28 beds.", "Harbor Point Garden Opens\n"),
    ],
)
def test_heading_lines_joined_to_a_sentence_are_skipped(sentence: str, skipped: str) -> None:
    assert opener(sentence) == skipped


@pytest.mark.parametrize(
    "sentence",
    [
        "[4]赵某某:《乡村治理研究》,某某出版社,2018年版,第12页。",
        "[5]钱某.县域统战工作探析[J].某某论丛,2019(03):21-25頁。",
        "某某论丛,2019(03):21-25頁。",
        "[6]孙某:《谈谈新阶层》,《某某晚报》2022年6月7日第3版。",
        "Lee, K. et al. (2019) Urban transit. J. Cities 4, pp. 10-19.",
    ],
)
def test_reference_entries_are_citations(sentence: str) -> None:
    assert is_citation(sentence)
    assert not is_candidate(sentence, zh=not sentence.isascii(), measured=True)


@pytest.mark.parametrize(
    "sentence",
    [
        "2019年全县新建基地18个，覆盖率达76%。",
        "据《县志》记载，该桥建于1958年，全长120米。",
        "The report on page 3 says ridership rose 12% in 2025.",
        "某某出版社今年出版图书120种，销售额增长8%。",
    ],
)
def test_prose_with_numbers_is_no_citation(sentence: str) -> None:
    assert not is_citation(sentence)


def test_a_run_of_spam_titles_is_spam() -> None:
    titles = "葡京娱乐城开户,2025最新成人视频,六合彩开奖直播,真人百家乐,免费看片大全,一夜情交友。"
    assert is_spam(titles)
    assert not is_candidate(titles, zh=True)


@pytest.mark.parametrize(
    "sentence",
    [
        "县里开展义诊，送药下乡，发放资料，举办讲座，组织培训，慰问老人。",  # short clauses, no spam
        "警方今年查处赌场3处，抓获涉案人员40人，收缴赌资12万元。",  # news words for gambling
        "全市开展打击色情和赌博专项行动。",
        "本期六合彩头奖奖金达8000万港元，创下新高。",
    ],
)
def test_enumerations_and_reports_on_gambling_are_no_spam(sentence: str) -> None:
    assert not is_spam(sentence)
    assert is_candidate(sentence, zh=True)


def test_a_short_english_sentence_is_a_candidate_only_with_a_measure() -> None:
    assert is_candidate("The vote was 6-1.", zh=False, measured=True)
    assert not is_candidate("The vote was close.", zh=False, measured=False)
    assert not is_candidate("Transit is the winner", zh=False, measured=True)  # no stop
