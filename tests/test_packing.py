from __future__ import annotations

import itertools

import pytest

from summarizer import _packing as packing
from summarizer._packing import _measure_short, chunk_text
from summarizer._sentences import VECTOR_MIN, _split_lines, split_sentences
from summarizer._tokens import estimate_tokens

from .texts import LONG


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


# The vectorised packer must give exactly what the line-by-line reference gives: cassettes
# and cached results depend on chunk boundaries.
def test_long_texts_chunk_in_blocks_exactly_as_in_one_piece(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = (
        "\n".join([LONG, "Dr. J. Smith met the U.S. team. 第二段。", "3.5 km\n\n  x", ""]) * 40
    )[:60_000]
    assert len(text) > VECTOR_MIN
    assert split_sentences(text) == _split_lines(text)
    whole = chunk_text(text, budget=300, overlap=40)
    monkeypatch.setattr(packing, "_BLOCK", 2_000)
    assert chunk_text(text, budget=300, overlap=40) == whole
    # ...and both equal the pure-Python measurement of the same pieces.
    measured = packing._pack(text, *_measure_short(text, 300), 300, 40)
    assert measured == whole


def test_a_line_without_punctuation_is_packed_in_pieces_of_whole_numbers() -> None:
    text = "青岚县投入资金1.5亿元建成服务站32个覆盖率达92.5%" * 4000  # one line, no stops
    assert len(text) > VECTOR_MIN
    chunks = chunk_text(text, budget=500, overlap=40)
    assert len(chunks) > 1
    for chunk in chunks:
        assert chunk.text == text[chunk.start : chunk.end]
        assert estimate_tokens(chunk.text) <= chunk.tokens <= 500
        for cut in (chunk.start, chunk.end):
            assert not (text[cut - 1 : cut].isdigit() and text[cut : cut + 1] in "0123456789.%亿")
    assert chunks[0].start == 0 and chunks[-1].end == len(text)
    assert all(b.start <= a.end for a, b in itertools.pairwise(chunks))
    measured = packing._pack(text, *_measure_short(text, 500), 500, 40)
    assert measured == chunks


@pytest.mark.parametrize("text", ["x " + "-" * 99_999, "x, " + "a" * 99_997, "q " + "=-" * 50_001])
def test_a_run_too_long_for_a_sentence_is_priced_in_every_piece(text: str) -> None:
    """Pieces cut inside one run of letters or dashes once cost nothing after the first."""
    chunks = chunk_text(text, budget=300)
    assert len(chunks) > 100
    for chunk in chunks:
        assert chunk.tokens <= 300
        assert estimate_tokens(chunk.text) - chunk.tokens <= 2  # a piece's share, about


def test_a_single_line_chunks_in_blocks_exactly_as_in_one_piece(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Blocks of a text without newlines end after 。 before Han, or after "? " before a capital."""
    text = " ".join(
        [LONG.replace("\n", " "), "Is it done? Yes! The U.S. team met Dr. Smith. 第二段。再来一句"]
        * 30
    )
    assert "\n" not in text and len(text) > VECTOR_MIN
    whole = chunk_text(text, budget=300, overlap=40)
    monkeypatch.setattr(packing, "_BLOCK", 2_000)
    assert len(packing._BLOCK_EDGE.findall(text)) > len(text) // 2_000
    assert chunk_text(text, budget=300, overlap=40) == whole
    assert packing._pack(text, *_measure_short(text, 300), 300, 40) == whole
