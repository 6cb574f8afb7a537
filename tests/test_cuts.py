"""Cuts: a sentence with no end of its own, cut into pieces of at most MAX_SENTENCE.

Every piece must be whole tokens and graphemes, and both sentence paths must cut alike.
"""

from __future__ import annotations

import itertools
import random
import re

from hypothesis import given
from hypothesis import strategies as st

from summarizer._scripts import codepoints
from summarizer._sentences import MAX_SENTENCE, Span, _split_lines, sentence_bounds


def vectorised(text: str) -> list[Span]:
    starts, ends = sentence_bounds(text, codepoints(text))
    return list(map(Span, starts.tolist(), ends.tolist()))


def check_pieces(text: str) -> list[Span]:
    """The spans of `text` on both paths, checked for what every span must be."""
    spans = _split_lines(text)
    assert vectorised(text) == spans
    for span in spans:
        assert 0 < span.end - span.start <= MAX_SENTENCE
        piece = text[span.start : span.end]
        assert piece == piece.strip()
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))
    kept = "".join(text[s.start : s.end] for s in spans)
    assert "".join(kept.split()) == "".join(text.split()), "every character but spaces is kept"
    return spans


def test_a_long_sentence_without_an_end_is_cut_after_its_clause_marks() -> None:
    clause = "青岚县投入资金2.3亿元建成服务站32个，"
    text = clause * 80
    spans = check_pieces(text)
    assert len(spans) > 1
    assert all(text[s.end - 1] == "，" for s in spans[:-1])


def test_unpunctuated_chinese_is_cut_at_a_fixed_width_that_keeps_numbers_whole() -> None:
    text = "青岚县投入资金1.5亿元建成服务站32个覆盖率达92.5%" * 300
    spans = check_pieces(text)
    assert len(spans) >= len(text) // MAX_SENTENCE
    numbers = [m.span() for m in re.finditer(r"\d+(?:[.,]\d+)*(?:%|亿元)?", text)]
    for cut in [s.start for s in spans[1:]]:
        assert not any(a < cut < b for a, b in numbers), text[cut - 4 : cut + 4]


def test_words_without_stops_are_cut_between_words() -> None:
    text = " ".join(["the", "council", "approved", "3.5", "km", "of", "track"] * 400)
    spans = check_pieces(text)
    assert len(spans) > 1
    for span in spans:
        assert text[span.start - 1 : span.start] in ("", " ")
        assert text[span.end : span.end + 1] in ("", " ")


def test_a_token_longer_than_the_limit_is_cut_but_never_inside_a_surrogate_pair() -> None:
    pair = "\ud83d\ude00"  # one emoji as UTF-16 code units, as `surrogatepass` decodes it
    text = "7" * 1001 + " " + pair * 300
    spans = _split_lines(text)
    assert all(s.end - s.start <= MAX_SENTENCE for s in spans)
    assert "".join(text[s.start : s.end] for s in spans) == text.replace(" ", "")
    assert all(not "\udc00" <= text[s.start] <= "\udfff" for s in spans)


# Tokens a cut must never split, at most 16 characters each (longer ones may be cut).
TOKENS = [
    "3.5",
    "1,000",
    "1,234,567.89",
    "1.5亿元",
    "3.5%",
    "12％",
    "$1.25",
    "U.S",
    "don't",
    "e-mail",
    "naïve",
    "nai\u0308ve",
    "Ωmega",
    "council",
    "👩\u200d💻",
    "👍🏽",
    "🇨🇳",
    "❤\ufe0f",
    "\u1100\u1161\u11a8",
    "!!!",
    "中",
    "青岚县",
    "𠀀",
]
SEPARATORS = {
    "spaces": [" ", "  ", "\t"],
    "clause marks": ["，", "、", "；", ", ", "; "],
    "han": ["的", "中文"],
}


@given(
    st.sampled_from(sorted(SEPARATORS)),
    st.lists(st.sampled_from(TOKENS), min_size=1, max_size=700),
    st.randoms(use_true_random=False),
)
def test_cuts_keep_numbers_words_and_graphemes_whole(
    style: str, tokens: list[str], rng: random.Random
) -> None:
    separators = SEPARATORS[style]
    text = ""
    inside: set[int] = set()  # positions a cut must not fall on
    for token in tokens:
        if text:
            text += rng.choice(separators)
        inside.update(range(len(text) + 1, len(text) + len(token)))
        text += token
    for span in check_pieces(text):
        assert span.start not in inside and span.end not in inside, text[
            span.end - 8 : span.end + 8
        ]
