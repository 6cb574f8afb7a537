from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from summarizer._scripts import codepoints
from summarizer._sentences import Span, _split_lines, sentence_bounds, split_sentences


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
        "我们不知道……",
        "后来天晴了；",
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
]


@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=300))
def test_vectorised_sentences_match_the_line_by_line_reference(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert vectorised(text) == _split_lines(text)


def test_a_bang_before_astral_han_ends_a_sentence_on_both_paths() -> None:
    text = "Wow!𠀀好。Great!𰻞面。"
    assert sentences(text) == ["Wow!", "𠀀好。", "Great!", "𰻞面。"]
    assert vectorised(text) == _split_lines(text)
