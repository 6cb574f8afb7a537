from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from summarizer._scripts import codepoints
from summarizer._sentences import (
    MAX_SENTENCE,
    Span,
    _split_lines,
    sentence_bounds,
    split_sentences,
)


def sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


def vectorised(text: str) -> list[Span]:
    """The long-text path's spans, whatever the length of `text`."""
    starts, ends = sentence_bounds(text, codepoints(text))
    return list(map(Span, starts.tolist(), ends.tolist()))


def test_chinese_sentence_ends_keep_closing_quotes() -> None:
    text = "他说：“今天下雨了。”然后走了！她问：「明天呢？」我们不知道……后来天晴了；大家都很高兴。"
    assert sentences(text) == [
        "他说：“今天下雨了。”",
        "然后走了！",
        "她问：「明天呢？」",
        "我们不知道……后来天晴了；",  # a mid-line …… leaves the sentence open
        "大家都很高兴。",
    ]


def test_english_abbreviations_and_decimals() -> None:
    text = (
        "Dr. Alicia Romero met Mr. Chen at 9 a.m. on Monday. The U.S. Senate approved "
        "approx. 3.5 km of track, i.e. the No. 4 route. Costs rose 12.7% to $1.25 million! "
        "Was it worth it? J. Smith thinks so."
    )
    assert sentences(text) == [
        "Dr. Alicia Romero met Mr. Chen at 9 a.m. on Monday.",
        "The U.S. Senate approved approx. 3.5 km of track, i.e. the No. 4 route.",
        "Costs rose 12.7% to $1.25 million!",
        "Was it worth it?",
        "J. Smith thinks so.",
    ]


def test_sentence_ending_in_an_abbreviation_that_can_end() -> None:
    assert sentences("He moved to the U.S. The move was hard.") == [
        "He moved to the U.S.",
        "The move was hard.",
    ]


def test_lines_are_boundaries() -> None:
    assert sentences("思想引领凝共识\n今年举办培训班100多个班次。") == [
        "思想引领凝共识",
        "今年举办培训班100多个班次。",
    ]


def test_abbreviations_initials_and_times() -> None:
    assert sentences("See p. 55 and pp. 60-62. Mr. Lee agreed.") == [
        "See p. 55 and pp. 60-62.",
        "Mr. Lee agreed.",
    ]
    assert sentences("We met you and I. Did Albert I. Jones come? He did.") == [
        "We met you and I.",
        "Did Albert I. Jones come?",
        "He did.",
    ]
    assert sentences("At 7 a.m. Dr. Ruiz opened the clinic. It closed at 9 P.M. Mr. Ng left.") == [
        "At 7 a.m. Dr. Ruiz opened the clinic.",
        "It closed at 9 P.M.",
        "Mr. Ng left.",
    ]
    assert sentences("They moved to the U.S. How did it go? The U.S. Army helped.") == [
        "They moved to the U.S.",
        "How did it go?",
        "The U.S. Army helped.",
    ]


def test_list_items_run_into_one_line_are_split_before_their_markers() -> None:
    assert sentences("1.) Plant trees 2.) Fix roads. 3.) Open parks") == [
        "1.) Plant trees",
        "2.) Fix roads.",
        "3.) Open parks",
    ]
    assert sentences("• Parks • Libraries • Buses") == ["• Parks", "• Libraries", "• Buses"]
    assert sentences("1. 加强组织领导。2. 完善工作机制。") == [
        "1. 加强组织领导。",
        "2. 完善工作机制。",
    ]
    # A number that does not count on from a marker at the paragraph's start is no marker.
    assert sentences("The vote was 5. The motion failed 2. Then we left.") == [
        "The vote was 5.",
        "The motion failed 2.",
        "Then we left.",
    ]


def test_ellipses_and_stops_without_a_space() -> None:
    assert sentences("Wait ... what? Fine.... Next one . . . . Done. . . . So") == [
        "Wait ... what?",
        "Fine....",
        "Next one . . . .",  # an ellipsis, then the full stop
        "Done.",  # the full stop, then an ellipsis that opens the next sentence
        ". . . So",
    ]
    assert sentences("It rose.Then it fell.Mail Jo.Doe@example.com. Thanks") == [
        "It rose.",
        "Then it fell.",
        "Mail Jo.Doe@example.com.",  # not "Jo." and "Doe@…": an address
        "Thanks",
    ]


def test_a_quotation_stays_in_one_sentence() -> None:
    text = (
        '"People want safer streets. This budget does that," said Dr. Romero. '
        '"We will see." She left. He said "fine." and sat down.'
    )
    assert sentences(text) == [
        '"People want safer streets. This budget does that," said Dr. Romero.',
        '"We will see."',
        "She left.",
        'He said "fine." and sat down.',
    ]
    assert sentences("“今年的目标已经完成。明年我们继续努力。”他说完离开了。") == [
        "“今年的目标已经完成。明年我们继续努力。”",
        "他说完离开了。",
    ]


def test_titles_and_asides_keep_their_stops() -> None:
    assert sentences("他们在看《你好！再见？》，很受欢迎。他说（笑）。") == [
        "他们在看《你好！再见？》，很受欢迎。",
        "他说（笑）。",
    ]
    assert sentences("He left. (He was tired.) Then he slept (or tried to.) at last.") == [
        "He left.",
        "(He was tired.)",
        "Then he slept (or tried to.) at last.",
    ]


def test_a_quote_that_does_not_close_or_is_too_long_holds_no_stops() -> None:
    unclosed = "他说：“我们明天出发。大家都表示同意。"
    assert sentences(unclosed) == ["他说：“我们明天出发。", "大家都表示同意。"]
    long_quote = "“" + "这是一个很长的句子。" * 50 + "”"
    spans = split_sentences(long_quote)
    assert len(spans) == 50
    assert all(s.end - s.start <= MAX_SENTENCE for s in spans)


def test_semicolons_join_enumerated_phrases_but_not_clauses() -> None:
    assert sentences("重点有三：一是稳就业；二是保民生；三是促发展。下一步继续推进。") == [
        "重点有三：一是稳就业；二是保民生；三是促发展。",
        "下一步继续推进。",
    ]
    assert sentences("一是改造管网，分两年实施；二是新开线路30条。") == [
        "一是改造管网，分两年实施；",
        "二是新开线路30条。",
    ]
    assert sentences("后来天晴了；大家都很高兴。") == ["后来天晴了；", "大家都很高兴。"]


def test_hard_wrapped_lines_join_and_headings_do_not() -> None:
    wrapped = "今年一季度，全市规模以上工业增加值同比增\n长6.2%，增速比去年同期提高1.5个百分点。"
    assert sentences(wrapped) == [wrapped]
    assert sentences("全县共有12个乡镇，\n常住人口约35万人。") == [
        "全县共有12个乡镇，\n常住人口约35万人。"
    ]
    assert sentences("一、总体情况\n今年以来，全县经济运行总体平稳。") == [
        "一、总体情况",
        "今年以来，全县经济运行总体平稳。",
    ]
    assert sentences("The council met\non Tuesday. It voted.") == [
        "The council met\non Tuesday.",
        "It voted.",
    ]
    assert sentences("contact\nevents\nNews") == ["contact", "events", "News"]
    assert sentences("现将有关事项通知如下：\n1. 加强领导。") == [
        "现将有关事项通知如下：",
        "1. 加强领导。",
    ]


NUMBER = st.one_of(
    st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False).map(str),
    st.integers(1000, 10**9).map(lambda n: f"{n:,}"),
)


@given(
    st.lists(
        st.tuples(st.sampled_from(["增长", "rose to ", "达到", "was "]), NUMBER),
        min_size=1,
        max_size=8,
    ),
    st.sampled_from(["。", ". ", "！", "; "]),
)
def test_never_splits_inside_a_number(parts: list[tuple[str, str]], end: str) -> None:
    text = "".join(f"{word}{number}{end}" for word, number in parts)
    spans = split_sentences(text)
    numbers = [(m.start(), m.end()) for m in re.finditer(r"\d[\d,.]*\d|\d", text)]
    for span in spans:
        for a, b in numbers:
            assert not (a < span.start < b) and not (a < span.end < b)


# The vectorised splitter must give exactly what the line-by-line reference gives:
# cassettes and cached results depend on chunk boundaries.
PIECES = [
    "Dr.",
    "Mr.",
    "U.S.",
    "e.g.",
    "a.m.",
    "etc.",
    "Inc.",
    "J.",
    "approx.",
    "No.",
    "St.",
    "The",
    "the",
    "However",
    "million.",
    "école.",
    "Ωmega.",
    "x" * 30 + ".",
    "3.5",
    "1,234",
    "中文",
    "青岚县。",
    "“引号。”",
    "！",
    "？",
    "!",
    "?",
    "……",
    "；",
    "」",
    ")",
    '"',
    "'",
    " ",
    "  ",
    " " * 12,
    "\t",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x85",
    "\u2028",
    "\u3000",
    "\xa0",
    "１２",
    "😀",
    "𠀀",
    # Sentences past MAX_SENTENCE, and what their cuts must keep whole.
    "汉" * 250,
    "word " * 50,
    "x" * 150,
    "，",
    ",",
    "、",
    "1,234.5亿元",
    "3.5%",
    "$1.25",
    "👩\u200d💻",
    "🇨🇳",
    "e\u0301",
    "\u1100\u1161\u11a8",
    # What the rules look at: quotes and brackets, list markers, ellipses, glued stops,
    # enumerations, attributions, and lines that may be hard-wrapped.
    "“",
    "”",
    "「",
    "」",
    "《",
    "》",
    "（",
    "）",
    "(",
    "【",
    "】",
    "『",
    "』",
    "〈",
    "〉",
    "1.",
    "2.",
    "1.)",
    "2)",
    "a.",
    "b.",
    "10.",
    "•",
    "⁃",
    "...",
    "....",
    ". . .",
    " . . . .",
    ".",
    "?!",
    "Yahoo!",
    "world.Today",
    "jo.doe@example.com.",
    "I.",
    "Albert",
    "P.M.",
    "N°.",
    "p.",
    "How",
    "said.",
    "。",
    "：",
    "二是",
    "第二，",
    "其次",
    "これは",
    "の",
    "汉" * 20,
]


@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=300))
def test_vectorised_sentences_match_the_line_by_line_reference(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert vectorised(text) == _split_lines(text)


def test_a_bang_before_astral_han_ends_a_sentence_on_both_paths() -> None:
    text = "Wow!𠀀好。Great!𰻞面。"
    assert sentences(text) == ["Wow!", "𠀀好。", "Great!", "𰻞面。"]
    assert vectorised(text) == _split_lines(text)
