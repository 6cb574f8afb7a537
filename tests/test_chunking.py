from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from summarizer._chunking import chunk_text, estimate_tokens, split_sentences

DATA = Path(__file__).parent / "data"


def sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


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


LONG = (
    "青岚县今年投入资金2.3亿元，建成32个服务站。服务站覆盖12个乡镇，服务半径不超过8公里。"
    "The council approved a $48.6 million budget. Parks receive $6.2 million, up from $5.1 million. "
) * 30


@pytest.mark.parametrize(("budget", "overlap"), [(60, 0), (120, 20), (400, 60)])
def test_chunks_fit_the_budget_and_cover_the_text(budget: int, overlap: int) -> None:
    chunks = chunk_text(LONG, budget=budget, overlap=overlap)
    assert len(chunks) > 1
    for chunk in chunks:
        assert chunk.text == LONG[chunk.start : chunk.end]
        assert estimate_tokens(chunk.text) <= chunk.tokens <= budget
    covered = {i for c in chunks for i in range(c.start, c.end)}
    for s in split_sentences(LONG):
        assert set(range(s.start, s.end)) <= covered
    assert [c.id for c in chunks] == [f"c{i}" for i in range(len(chunks))]


def test_overlap_shares_trailing_sentences() -> None:
    chunks = chunk_text(LONG, budget=120, overlap=40)
    assert all(b.start < a.end for a, b in itertools.pairwise(chunks))
    no_overlap = chunk_text(LONG, budget=120, overlap=0)
    assert all(b.start >= a.end for a, b in itertools.pairwise(no_overlap))


def test_an_overlong_sentence_is_cut_between_clauses_not_numbers() -> None:
    sentence = "，".join(f"第{i}项投入资金1,234.5万元" for i in range(60)) + "。"
    chunks = chunk_text(sentence, budget=50)
    assert len(chunks) > 1
    for chunk in chunks:
        assert chunk.tokens <= 50
        for cut in (chunk.start, chunk.end):
            assert not (sentence[cut - 1 : cut].isdigit() and sentence[cut : cut + 1].isdigit())
    assert chunks[0].text.startswith("第0项") and chunks[1].text.startswith("第")


def test_estimate_never_undercounts_the_calibration_tokenizers() -> None:
    """Samples and their real counts come from bench/calibrate_tokens.py against llama.cpp."""
    samples = {s["id"]: s["text"] for s in json.loads((DATA / "token_samples.json").read_text())}
    calibration = json.loads((DATA / "token_calibration.json").read_text())
    counts = calibration["tokenizers"]["qwen2.5-coder-1.5b"]
    ratios = []
    for sample_id, real in counts.items():
        estimate = estimate_tokens(samples[sample_id])
        assert estimate >= real, (sample_id, estimate, real)
        ratios.append(estimate / real)
    ratios.sort()
    assert ratios[len(ratios) // 2] < 1.5, "estimate should not be wildly pessimistic"


def test_vectorised_costs_equal_the_estimate_for_every_sentence() -> None:
    from summarizer._chunking import TokenCosts

    text = (
        LONG + "\n\n  Ｆｕｌｌ ｗｉｄｔｈ 😀 and emoji, a—dash; “quotes”…\t\t1,234.5%!!!\n"
    ) * 12
    costs = TokenCosts(text)
    for s in split_sentences(text):
        assert costs.cost(s.start, s.end) == estimate_tokens(text[s.start : s.end])


# The vectorised splitter and packer must give exactly what the line-by-line reference gives:
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
    from summarizer._chunking import Span, _codepoints, _sentence_bounds, _split_lines

    text = "".join(pieces)
    starts, ends = _sentence_bounds(text, _codepoints(text))
    assert list(map(Span, starts.tolist(), ends.tolist())) == _split_lines(text)


def test_long_texts_chunk_in_blocks_exactly_as_in_one_piece(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from summarizer import _chunking as chunking
    from summarizer._chunking import _measure_short, _split_lines

    text = (
        "\n".join([LONG, "Dr. J. Smith met the U.S. team. 第二段。", "3.5 km\n\n  x", ""]) * 40
    )[:60_000]
    assert len(text) > chunking._VECTOR_MIN
    assert split_sentences(text) == _split_lines(text)
    whole = chunk_text(text, budget=300, overlap=40)
    monkeypatch.setattr(chunking, "_BLOCK", 2_000)
    assert chunk_text(text, budget=300, overlap=40) == whole
    # ...and both equal the pure-Python measurement of the same pieces.
    measured = chunking._pack(text, *_measure_short(text, 300), 300, 40)
    assert measured == whole
