from __future__ import annotations

import re
import unicodedata

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
