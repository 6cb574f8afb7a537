from __future__ import annotations

import re
import textwrap
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from summarizer._cleaning import Edit, apply_edits, clean, guess_title, has_prose

BODY = (
    "青岚县今年投入资金2.3亿元，建成32个服务站。\n"
    "服务站覆盖了东坪镇、西林镇、南岗乡、北川乡、石门乡等12个乡镇，服务半径不超过8公里。\n"
    "项目资金来源主要包括中央财政补助和县级配套。\n"
)


def kinds(text: str) -> dict[str, int]:
    return {step.kind: step.count for step in clean(text).report.steps}


def test_pinyin_after_each_character_is_removed() -> None:
    cleaned = clean("縣委統(tǒng)戰(zhàn)部今年在鄉(xiāng)鎮(zhèn)開展工作。")
    assert cleaned.text == "縣委統戰部今年在鄉鎮開展工作。"
    step = next(s for s in cleaned.report.steps if s.kind == "pinyin_artifacts")
    assert step.count == 4
    assert "(tǒng)" in step.samples


def test_real_parentheticals_survive() -> None:
    text = "社區(含里辦公處)的調查(2025年)顯示，行動應用程式(App)好用，本計畫（下稱本計畫）延續。"
    assert clean(text).text == text


SPAM_PIPES = "主站蜘蛛池模板: 星光影院 | 免费小说网 | 快乐彩票 | 云端导航 | 极速下载 | 高清壁纸 | 体育直播 | 星座运势"
SPAM_COMMAS = "好看电影,在线彩票,免费游戏,美女直播,体育比分,手游礼包,网赚项目,刷单兼职,在线算命,黄历查询,星座配对"


def test_link_farm_lines_go_at_head_foot_and_middle() -> None:
    text = f"{SPAM_PIPES}\n{BODY}{SPAM_COMMAS}\n最后一段正文，记录了本次会议的主要内容。\n{SPAM_PIPES.replace('|', '丨')}\n"
    cleaned = clean(text)
    assert "蜘蛛池" not in cleaned.text and "彩票" not in cleaned.text
    assert kinds(text)["link_farm"] == 3
    assert "东坪镇、西林镇、南岗乡、北川乡、石门乡等12个乡镇" in cleaned.text
    assert "最后一段正文" in cleaned.text


def test_english_link_farm_and_real_comma_list() -> None:
    spam = " | ".join(f"Free Offer {i}" for i in range(12))
    real = "The plan funds parks, libraries, bus routes, and street lighting."
    cleaned = clean(f"{spam}\n{real}\n")
    assert cleaned.text == real


def test_page_chrome_lines() -> None:
    chrome = [
        "编辑推荐",
        "往期推荐",
        "往 | 期 | 推 | 荐",
        "扫码关注我们",
        "分享到：微信 微博 QQ空间",
        "Share this: Facebook | Twitter | Email",
        "Subscribe to our newsletter",
        "返回顶部",
    ]
    text = BODY + "\n".join(chrome) + "\n"
    cleaned = clean(text)
    assert cleaned.text == BODY.strip()
    assert kinds(text)["page_chrome"] == len(chrome)


def test_breadcrumbs_and_pipe_joined_related_lines_go() -> None:
    chrome = [
        "首页 > 政务公开 > 通知公告",
        "当前位置：首页 > 新闻中心 > 正文",
        "首頁 › 市政新聞",
        "Home > Business > Tenders and Contracts",
        "You are here: Home / News",
        "Related notices: Library roof repairs | Harbour lighting | Mowing contract 2025",
        "相关公告：东坪镇道路维修 | 西林镇供水改造 | 南岗乡校舍修缮",
    ]
    text = chrome[0] + "\n" + BODY + "\n".join(chrome[1:]) + "\n"
    cleaned = clean(text)
    assert cleaned.text == BODY.strip()
    assert kinds(text)["page_chrome"] == len(chrome)


def test_lines_that_only_start_like_a_breadcrumb_stay() -> None:
    kept = [
        "首页显示，全县累计投入资金2.3亿元。",
        "Home prices rose 5% last year, more than wages did.",
        "More buses: the council added 12 routes | a plan the mayor backed.",
        "相关部门表示，服务站将每季度评估一次。",
    ]
    text = BODY + "\n".join(kept) + "\n"
    cleaned = clean(text)
    assert all(line in cleaned.text for line in kept)


def test_related_link_block_is_dropped_until_real_text() -> None:
    text = (
        BODY
        + "往期推荐\n春季农资储备充足 价格平稳\n东坪镇举办山货节\n\n结尾段落说明了下一步计划。\n"
    )
    cleaned = clean(text)
    assert "山货节" not in cleaned.text and "农资" not in cleaned.text
    assert cleaned.text.endswith("结尾段落说明了下一步计划。")


def test_credits_move_to_the_byline() -> None:
    text = (
        "电商服务站开到村口\n"
        "2026-03-12 09:15:22来源：青岚日报编辑：王一鸣\n"
        "记者 张晓 通讯员 刘畅\n" + BODY + "编辑/赵磊丨值班/孙婷\n责任编辑：陈静\n"
    )
    cleaned = clean(text)
    assert cleaned.text == "电商服务站开到村口\n" + BODY.strip()
    assert cleaned.byline.source == "青岚日报"
    assert cleaned.byline.date == "2026-03-12 09:15:22"
    assert cleaned.byline.authors == ["张晓", "刘畅"]
    assert cleaned.byline.editors == ["王一鸣", "赵磊", "陈静"]


def test_trailing_reporter_in_brackets() -> None:
    cleaned = clean("社區共餐計畫將擴大辦理，預計新增5處據點。（記者 林雅婷）\n")
    assert cleaned.text == "社區共餐計畫將擴大辦理，預計新增5處據點。"
    assert cleaned.byline.authors == ["林雅婷"]


def test_english_credits() -> None:
    text = "By Jane Doe, Staff Writer\nEditor: Mark Li\nSource: Riverton Herald\nThe council met on Tuesday.\n"
    cleaned = clean(text)
    assert cleaned.text == "The council met on Tuesday."
    assert cleaned.byline.authors == ["Jane Doe"]
    assert cleaned.byline.editors == ["Mark Li"]
    assert cleaned.byline.source == "Riverton Herald"


def test_the_word_source_in_a_sentence_stays() -> None:
    text = "来源：本报综合\n项目资金来源主要包括中央财政补助和县级配套。\nThe main source of revenue is property tax.\n"
    cleaned = clean(text)
    assert (
        cleaned.text
        == "项目资金来源主要包括中央财政补助和县级配套。\nThe main source of revenue is property tax."
    )


def test_repeated_paragraphs_are_dropped_once_seen() -> None:
    paragraph = "在供水方面，全县推进两座水厂扩建和14处集中供水点改造。"
    cleaned = clean(f"{paragraph}\n另一段内容说明了电商服务站的运营情况。\n{paragraph}\n")
    assert cleaned.text.count(paragraph) == 1
    assert kinds(f"{paragraph}\n{paragraph}\n")["repeats"] == 1


def test_full_width_letters_digits_and_spaces() -> None:
    cleaned = clean("２０２５年全县ＧＤＰ增长６.２％，\u3000成绩  显著。\t\n\n\n\n下一段。")
    assert cleaned.text == "2025年全县GDP增长6.2%， 成绩 显著。\n\n下一段。"


def test_offsets_trace_back_to_the_original() -> None:
    original = (
        f"{SPAM_PIPES}\n  縣委統(tǒng)戰(zhàn)部投入２０２６年度資金3,500萬元。\n"
        "编辑推荐\n記者了解到，共餐據點增加到18處。（吳卉）\n"
    )
    cleaned = clean(original)
    for match in re.finditer(r"[^。\n]+。", cleaned.text):
        start, end = cleaned.to_original(match.start(), match.end())
        source = re.sub(r"\([a-zǎàáāōǒòóēěèéīǐìíūǔùú]+\)", "", original[start:end])
        assert unicodedata.normalize("NFKC", source) == unicodedata.normalize("NFKC", match.group())


@given(st.text(min_size=1, max_size=200), st.data())
def test_apply_edits_maps_every_kept_character(text: str, data: st.DataObject) -> None:
    cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=10, unique=True)))
    edits = [Edit(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False)]
    new, offset_map = apply_edits(text, edits)
    for i, ch in enumerate(new):
        assert text[offset_map.to_old(i)] == ch


def test_guess_title() -> None:
    assert guess_title("电商服务站开到村口\n正文。") == "电商服务站开到村口"
    assert guess_title("今年,县委统战部坚持服务大局。\n") is None


# Some steps look for their patterns only where they can start (a literal character the
# regex engine skips ahead to); each must find exactly what the plain pattern finds.
SPACY = st.lists(
    st.sampled_from(
        ["a", "中", " ", "  ", "\t", "\f", "\v", "\n", "\n\n", "\u3000", "。", "(", "）"]
    ),
    max_size=80,
).map("".join)


@given(SPACY)
def test_inner_spaces_found_only_at_run_starts_are_all_there_are(text: str) -> None:
    from summarizer._cleaning import _INNER_SPACE, _inner_spaces

    assert [m.span() for m in _inner_spaces(text)] == [
        m.span() for m in _INNER_SPACE.finditer(text)
    ]


@given(SPACY)
def test_line_edges_trimmed_as_line_by_line(text: str) -> None:
    from summarizer._cleaning import Context, whitespace

    expected = set()
    pos = 0
    for line in text.split("\n"):
        lead = len(line) - len(line.lstrip(" \t\f\v"))
        if lead:
            expected.add((pos, pos + lead))
        trail = len(line) - len(line.rstrip(" \t\f\v"))
        if trail and lead < len(line):
            expected.add((pos + len(line) - trail, pos + len(line)))
        pos += len(line) + 1
    found = {(e.start, e.end) for e in whitespace(text, Context()) if e.replacement == ""}
    leading = len(text) - len(text.lstrip())
    trailing = len(text.rstrip())
    found -= {(0, leading), (trailing, len(text))}  # whole-text edges, asserted below
    expected -= {(0, leading), (trailing, len(text))}
    assert found == expected


def test_pinyin_and_trailing_credits_with_both_bracket_kinds() -> None:
    text = "縣委統（tǒng）戰(zhàn)部開會。（記者 林雅婷）\n全文完。(吴卉)\n這是(2025年)的事。\n"
    cleaned = clean(text)
    assert cleaned.text == "縣委統戰部開會。\n全文完。\n這是(2025年)的事。"
    assert cleaned.byline.authors == ["林雅婷", "吴卉"]


# Whole lines, so paragraphs repeat and related-link lists run across block edges.
NOISY_LINES = [
    "青岚县今年投入资金2.3亿元，建成32个服务站。",
    "The council approved a $48.6 million budget for parks and libraries.",
    "縣委統(tǒng)戰(zhàn)部今年在鄉(xiāng)鎮開展工作。（記者 林雅婷）",
    "服务站覆盖12个乡镇，服务半径不超过8公里。(吴卉)",
    "",
    "   ",
    "\t缩进的段落，内容足够长，不会被当作短行。",
    "  The  spaces   inside  ",
    "１２月\u3000数据\u200b",
    "编辑推荐",
    "相关阅读",
    "短标题一",
    "Short headline",
    "责任编辑：王明",
    "来源：新华社 2025-01-02",
    "分享到：微信 微博",
    "a,b,c,d,e,f,g,h,i,j,k",
    "| a | b | c | d | e | f |",
    "主站蜘蛛池模板: x",
    "**bold** [link](http://x)",
    "# head",
    "line\r",
    "星河影视大全,快乐棋牌中心,午夜剧场在线,极速彩票开奖,云端小说阅读,青青手游盒子",
    "2024-05-17 08:31:06林雨桐",
    "西岭经济 2024年5期",
    "摘要:青岚县今年投入资金2.3亿元，建成",
    "摘 要：",
    "参考文献",
    "[1]周某某:《县域电商服务体系研究》,2021(03):41-47頁。",
    "The board voted on Monday to extend the number 9 bus line to the new",
    "hospital campus, adding 14 stops and about 6.5 km of route to the line.",
    "青岚县今年新建农村电商服务站12个，培训农村电商从业人员",
    "1500余人次，带动农产品网络零售额增长18.5%，县里还将加大投入力度",
]
NOISY = st.lists(st.sampled_from(NOISY_LINES), max_size=60).map("\n".join)


@given(NOISY, st.sampled_from([5, 40, 300]), st.booleans())
def test_cleaning_in_blocks_gives_what_one_piece_gives(
    text: str, block: int, markdown: bool
) -> None:
    import summarizer._cleaning as cleaning

    whole = clean(text, markdown=markdown)
    saved = cleaning._BLOCK_CHARS
    cleaning._BLOCK_CHARS = block
    try:
        blocks = clean(text, markdown=markdown)
    finally:
        cleaning._BLOCK_CHARS = saved
    assert blocks.text == whole.text
    assert blocks.report == whole.report
    assert blocks.byline == whole.byline
    for start in range(0, len(whole.text) + 1, 7):
        assert blocks.to_original(start, start + 3) == whole.to_original(start, start + 3)


@given(st.text(min_size=1, max_size=100), st.data())
def test_many_positions_map_back_as_each_one_does(text: str, data: st.DataObject) -> None:
    cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=10, unique=True)))
    longer = data.draw(st.lists(st.text(max_size=6), min_size=len(cuts), max_size=len(cuts)))
    edits = [Edit(a, b, r) for a, b, r in zip(cuts[::2], cuts[1::2], longer, strict=False)]
    new, offset_map = apply_edits(text, edits)
    positions = list(range(-2, len(new) + 3))
    many = offset_map.to_old_many(np.array(positions, dtype=np.int64)).tolist()
    assert many == [offset_map.to_old(p) for p in positions]


@given(
    st.lists(
        st.sampled_from(
            [
                "青岚县",
                "da(dà)",
                "  ",
                "\n",
                "\n\n\n",
                "ａｂ１",
                "ﬁne",
                "5㎞",
                "Home | News | About\n",
                "x.",
            ]
        ),
        max_size=40,
    ),
    st.lists(st.tuples(st.integers(0, 300), st.integers(-3, 40)), max_size=30),
)
def test_many_spans_trace_as_each_one_does(pieces: list[str], spans: list[tuple[int, int]]) -> None:
    cleaned = clean("".join(pieces))
    asked = [(start, start + width) for start, width in spans]  # empty and reversed ones too
    assert cleaned.to_original_many(asked) == [cleaned.to_original(a, b) for a, b in asked]


# --- is there anything worth summarizing ----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "!!! ??? ... --- *** ,,, ;;; ::: ### @@@\n" * 20,
        "😀😃😄😁 🎉🎉🎉 👍👍 ❤️❤️ 🔥🔥🔥 ★☆ ©®™\n" * 20,
        "1 2 3 4 5 6 7 8 9 10\n2025-03-04 3.14% 48,600,000\n" * 20,
        "Home | About | Contact",
        "Home\nAbout us\nContact\nPrivacy policy\n",
        "Home > News > World > Asia",
        "Home / Blog / Terms of service",
        "首页 | 关于我们 | 联系我们 | 新闻中心",
        "首页 · 新闻 · 体育 · 财经",
        "https://example.com/news/2026/03/story-title\n",
    ],
)
def test_noise_is_not_prose(text: str) -> None:
    assert not has_prose(text)


@pytest.mark.parametrize(
    "text",
    [
        "Meeting moved to 3pm. Bring the budget draft.",
        "The council approved it.",
        "明天上午九点开会。",
        "青岚县今年投入资金2.3亿元，建成32个服务站。",
        "Home | About | Contact\nThe garden opens 140 plots this year.",
        "東京都は来年度の予算を発表した。",
    ],
)
def test_short_real_text_is_prose(text: str) -> None:
    assert has_prose(text)


def test_every_example_and_seed_is_prose() -> None:
    from .conftest import example_files, seed_files

    for path in [*example_files(), *seed_files()]:
        if path.suffix in (".txt", ".md"):
            assert has_prose(clean(path.read_text(encoding="utf-8")).text), path


# --- control characters ---------------------------------------------------------------------

CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def test_controls_and_bidi_overrides_are_removed_and_counted() -> None:
    text = (
        "\x1b[31m青岚县今年投入资金2.3亿元\x1b[0m，建成32个服务站。\x07\n"
        "The council\u202e approved\u2066 it\u2069.\x00\x7f\x9b2J Page one\x0cPage two\x85end\n"
        "\x1b]0;pwned\x07ok\ud800\n"
    )
    cleaned = clean(text)
    assert CONTROLS.search(cleaned.text) is None
    assert cleaned.text == (
        "青岚县今年投入资金2.3亿元，建成32个服务站。\n"
        "The council approved it. Page one\nPage two\nend\nok\ufffd"
    )
    [step] = [s for s in cleaned.report.steps if s.kind == "control_characters"]
    assert step.count == 13
    assert step.samples == ["U+001B [31m", "U+001B [0m", "U+0007"]
    assert all(CONTROLS.search(sample) is None for sample in step.samples)
    start = cleaned.text.index("approved")
    assert text[slice(*cleaned.to_original(start, start + 8))] == "approved"


def test_bidi_marks_and_text_without_controls_are_untouched() -> None:
    text = "שלום\u200f world\u200e. تمام\u061c.\n"
    cleaned = clean(text)
    assert cleaned.text == text.strip()
    assert not any(s.kind == "control_characters" for s in cleaned.report.steps)


# --- title lists, bylines, cut copies, reference lists, hard-wrapped text ---------------------

TITLES = "星河影视大全 快乐棋牌中心 午夜剧场在线 极速彩票开奖 云端小说阅读 青青手游盒子 全网高清电影 同城交友平台".split()
HEADLINE = "青岚县电商服务站开到村口"


@pytest.mark.parametrize("separator", [",", "，", "、", " ", "  ", ", "])
def test_a_head_line_of_titles_goes_whatever_joins_them(separator: str) -> None:
    text = f"{separator.join(TITLES)}\n{HEADLINE}\n{BODY}{' | '.join(TITLES)}\n"
    cleaned = clean(text)
    assert cleaned.text == f"{HEADLINE}\n{BODY.strip()}"
    assert kinds(text)["link_farm"] == 2
    assert guess_title(cleaned.text) == HEADLINE


def test_a_head_line_of_english_titles_goes() -> None:
    titles = "Free Movies HD, Best Casino Bonus, Cheap Flights Now, Crypto Signals Daily, "
    titles += "Online Slots Free, Watch Football Live, Lottery Results Live, Dating Near You"
    cleaned = clean(f"{titles}\nThe council approved the budget on Tuesday.\n")
    assert cleaned.text == "The council approved the budget on Tuesday."


@pytest.mark.parametrize(
    "line",
    [
        "全县建成东坪、西林、南岗、北川、石门、桃源和青石七个服务站。",  # a sentence
        "主打产品包括高山云雾茶, 土蜂蜜, 笋干, 山核桃, 手工红薯粉和腊肉",  # ...without its stop
        "高山云雾茶, 土蜂蜜, 笋干, 山核桃, 手工红薯粉, 腊肉",  # product names: short
        "张晓、刘畅、王一鸣、赵磊、孙婷、陈静",  # people
        "东坪镇、西林镇、南岗乡、北川乡、石门乡、桃源村",  # places
        "坚持规划引领、加强资金保障、推动人才下沉、完善冷链物流、培育区域品牌、健全运营机制",
        "网上代购代销、快递收发、农产品分拣包装、便民缴费、信息发布、技能培训等服务",
        "关键词：农村电商，服务站建设，冷链物流，品牌培育，人才培训，供水工程",
        "2021年 2022年 2023年 2024年 2025年 2026年",  # a table's head
        "Parks, Libraries, Transit, Police, Fire, Streets, and Water departments all",
    ],
)
def test_lists_that_are_not_title_lists_stay(line: str) -> None:
    assert clean(f"{line}\n{BODY}").text == f"{line}\n{BODY.strip()}"


def test_a_hard_wrapped_list_in_a_paragraph_stays() -> None:
    lines = [
        "今年以来，县里围绕农村电商补短板，重点推进以下工作：",
        "网点建设、冷链物流、快递进村、品牌培育、人才培训、运营评估",
        "县商务局表示，下一步将持续完善服务体系，年底前实现全覆盖。",
    ]
    assert clean("\n".join(lines)).text.count("冷链物流") == 1


def test_dated_name_and_journal_lines_go_to_the_byline() -> None:
    text = f"{HEADLINE}\n2024-05-17 08:31:06林雨桐\n西岭经济 2024年5期\n{BODY}"
    cleaned = clean(text)
    assert cleaned.text == f"{HEADLINE}\n{BODY.strip()}"
    assert cleaned.byline.date == "2024-05-17 08:31:06"
    assert cleaned.byline.authors == ["林雨桐"]
    assert cleaned.byline.source == "西岭经济 2024年5期"
    assert kinds(text)["credits"] == 2


def test_journal_line_in_book_title_marks_and_two_authors() -> None:
    cleaned = clean(f"2024-05-17 08:31:06 林雨桐 周启航\n《西岭经济》2024年第5期\n{BODY}")
    assert cleaned.text == BODY.strip()
    assert cleaned.byline.authors == ["林雨桐", "周启航"]
    assert cleaned.byline.source == "西岭经济 2024年第5期"


def test_a_date_with_a_weekday_is_not_an_author() -> None:
    cleaned = clean(f"2024-05-17 08:31:06星期五\n{BODY}")
    assert cleaned.byline.authors == []
    assert "星期五" in cleaned.text


FULL = (
    "近年来，青岚县以服务站为支点推进农村电商发展，三年间建成服务站32个，"
    "带动农产品网络零售额增长近两倍。本文梳理其做法，并讨论站点运营中的难题。"
)


@pytest.mark.parametrize(
    "abstract",
    [
        f"摘要:{FULL[:40]}",
        f"摘 要：{FULL[:40]}……",
        f"【摘要】{FULL[:52]}",
        f"摘要:{FULL[:38]}运营",  # cut, and retouched where it was cut
        f"摘要：\n{FULL[:40]}",  # the label alone on its line
        f"摘要：{FULL}",  # the whole paragraph
    ],
)
def test_an_abstract_cut_from_the_first_paragraph_goes_with_its_label(abstract: str) -> None:
    text = f"{HEADLINE}\n{abstract}\n关键词：电商；服务站\n\n{FULL}\n"
    cleaned = clean(text)
    assert cleaned.text == f"{HEADLINE}\n关键词：电商；服务站\n\n{FULL}"
    assert cleaned.text.count(FULL[:20]) == 1
    step = next(s for s in cleaned.report.steps if s.kind == "repeats")
    assert step.samples[0].startswith(("摘", "【"))


def test_an_english_abstract_cut_short_goes() -> None:
    full = "The Riverton transit board voted to extend the number 9 bus line to the hospital."
    cleaned = clean(f"Abstract: {full[:50]}...\n\n{full}\n")
    assert cleaned.text == full


def test_a_line_that_says_another_number_is_not_a_cut_copy() -> None:
    text = f"{FULL[:36].replace('32', '35')}\n{FULL}\n"
    assert clean(text).text == text.strip()


def test_a_kept_abstract_loses_only_its_label() -> None:
    abstract = "本文讨论县域供水工程建成之后的运营管护问题，并提出三条建议。"
    cleaned = clean(f"摘要：{abstract}\n{FULL}\n")
    assert cleaned.text == f"{abstract}\n{FULL}"
    assert kinds(f"摘要：{abstract}\n{FULL}\n")["labels"] == 1


def test_a_reference_list_goes_and_the_text_after_it_stays() -> None:
    text = (
        f"{FULL}\n参考文献\n[1]周某某:《县域电商服务体系研究》,《农村经济》\n2021(03):41-47頁。\n"
        "[2]Smith J. Rural water supply[J]. Water Policy, 2019, 21(4): 12-19.\n\n"
        "References:\n1. Doe, A. (2020). County budgets. Riverton Press.\n\n"
        "（作者单位：青岚县委党校）\n"
    )
    cleaned = clean(text)
    assert cleaned.text == f"{FULL}\n\n（作者单位：青岚县委党校）"
    step = next(s for s in cleaned.report.steps if s.kind == "references")
    assert step.count == 6
    assert step.samples[:2] == ["参考文献", "[1]周某某:《县域电商服务体系研究》,《农村经济》"]


def test_the_word_references_in_prose_starts_no_reference_list() -> None:
    text = "References to the 2019 plan were removed.\nThe council met in 2020 to review it.\n"
    assert clean(text).text == text.strip()


EN_PARAGRAPH = (
    "The Riverton transit board voted on Monday to extend the number 9 bus line to the new "
    "hospital campus, adding 14 stops and about 6.5 km of route. Riders said buses that come "
    "on time matter more than new routes, and the board promised a review of late departures, "
    "which affect approx. 3,200 riders a day. Board chair Dr. Lena Ortiz said the county would "
    "pay for the maintenance of the new shelters for the first five years of the agreement."
)
ZH_PARAGRAPH = (
    "青岚县今年新建农村电商服务站12个，培训农村电商从业人员1500余人次，带动农产品网络零售额"
    "增长18.5%。县商务局表示，下一步将完善冷链物流和快递进村体系，力争在年底前实现行政村服务"
    "全覆盖，并对连续两个季度订单量偏低的站点开展运营评估和整改，确保站点建得起、留得住。"
)


def wrap_columns(paragraph: str, columns: int) -> str:
    """Lines of `columns` columns, a Han character or full-width mark taking two: how a PDF
    of Chinese text breaks its lines."""
    lines, line, width = [], "", 0
    for char in paragraph:
        wide = 2 if re.match(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef“”]", char) else 1
        if width + wide > columns:
            lines.append(line)
            line, width = "", 0
        line, width = line + char, width + wide
    return "\n".join([*lines, line])


@pytest.mark.parametrize(
    "wrapped",
    [
        textwrap.fill(EN_PARAGRAPH, 72),  # a PDF's or `fmt`'s lines, ragged
        textwrap.fill(EN_PARAGRAPH, 50),
        "\n".join(EN_PARAGRAPH[i : i + 72] for i in range(0, len(EN_PARAGRAPH), 72)),  # fold -w
        "\n".join(EN_PARAGRAPH[i : i + 60] for i in range(0, len(EN_PARAGRAPH), 60)),
    ],
)
def test_hard_wrapped_english_is_one_paragraph_again(wrapped: str) -> None:
    cleaned = clean(wrapped)
    # Each line a whole sentence or more: a break after a full stop may stay, as the
    # line after it may start a paragraph.
    assert cleaned.text.replace(".\n", ". ") == EN_PARAGRAPH
    start = cleaned.text.index("buses that come")
    end = cleaned.text.index(".", start) + 1
    source = wrapped[slice(*cleaned.to_original(start, end))]
    assert source.replace("\n", " ") == cleaned.text[start:end] or (
        source.replace("\n", "") == cleaned.text[start:end]
    )


@pytest.mark.parametrize("columns", [48, 60, 72])
def test_hard_wrapped_chinese_is_one_paragraph_again(columns: int) -> None:
    heading = "一、电商服务站建设情况"
    wrapped = f"{HEADLINE}\n{heading}\n{wrap_columns(ZH_PARAGRAPH, columns)}\n"
    cleaned = clean(wrapped)
    assert cleaned.text == f"{HEADLINE}\n{heading}\n{ZH_PARAGRAPH}"
    for match in re.finditer(r"[^。\n]+。", cleaned.text):
        source = wrapped[slice(*cleaned.to_original(match.start(), match.end()))]
        assert source.replace("\n", "") == match.group()


def test_a_word_hyphenated_at_the_line_end_is_whole_again() -> None:
    wrapped = (
        "The council set aside money for the deferred mainte-\n"
        "nance of parks, and for a service-request app that lets residents\n"
        "report potholes, which the city expects to handle within a week.\n"
    )
    cleaned = clean(wrapped)
    assert "deferred maintenance of parks" in cleaned.text
    assert "\n" not in cleaned.text


@pytest.mark.parametrize(
    "text",
    [
        "Budget overview\nthe council approved a budget of $48.6 million on Tuesday night.",
        "Results from 2025\nGardeners reported harvesting about 6,800 pounds of produce.",
        "What the plan funds:\n- parks and trails for the whole city\n- libraries open on Sundays",
        "1. parks and trails for the whole city, across all districts\n2. libraries on Sundays",
        "青岚县：电商服务站开到村口\n2026年3月12日，青岚县农村电商与农村供水工程推进会在县行政中心召开。",
        "主要做法\n（一）完善站点布局，按照每个乡镇两到三个站点的标准推进建设\n（二）强化人才培训",
        "项目    2024年    2025年\n电商服务站    20    32\n农村供水管网    150    186",
        "全县今年的主要目标已经全部完成。\n下一步，县里将继续推进供水工程建设和服务站运营。",
    ],
)
def test_headings_list_items_tables_and_sentences_keep_their_breaks(text: str) -> None:
    assert clean(text).text.count("\n") == text.count("\n")


def test_county_news_look_alikes_survive() -> None:
    from .conftest import EXAMPLES

    cleaned = clean((EXAMPLES / "zh_hans_county_news.txt").read_text(encoding="utf-8")).text
    assert "东坪镇、西林镇、南岗乡、北川乡、石门乡等12个乡镇" in cleaned
    assert "高山云雾茶, 土蜂蜜, 笋干, 山核桃和手工红薯粉" in cleaned
    assert cleaned.startswith("青岚县：电商服务站开到村口")


def test_the_first_fact_is_no_title_of_a_link_farm(tmp_path: Path) -> None:
    import summarizer

    path = tmp_path / "page.txt"
    path.write_text(
        f"{'，'.join(TITLES)}\n{HEADLINE}\n{BODY}{' | '.join(TITLES)}\n", encoding="utf-8"
    )
    result = summarizer.summarize(path, engine="extractive")
    assert result.title == HEADLINE
    assert result.facts and not any(t in f.evidence for f in result.facts for t in TITLES)
