"""The shortcuts of the `reflow` step (summarizer/_cleaning/wrapping.py) against the plain
definitions they stand for: each must measure and find exactly what the slow way does."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from summarizer._cleaning.wrapping import (
    _ABBREVIATION,
    _COLUMN_GAP,
    _TITLE,
    _WIDE,
    _WRAP_CAP,
    _abbreviated,
    _alike,
    _table_row,
    _titled,
    _width,
)

# Narrow and wide characters, full-width punctuation, the quotes a Chinese font sets wide,
# and the spaces that make a column gap.
MIXED = st.lists(
    st.sampled_from([*"ab Z9.,-\t", *"中文，。“”—…·ａ１", "\u3000", "  ", "   "]), max_size=260
).map("".join)


@given(MIXED)
def test_width_counts_wide_characters_twice(line: str) -> None:
    measured = line[: _WRAP_CAP + 1].rstrip()
    assert _width(line) == len(measured) + len(_WIDE.findall(measured))


@given(MIXED, MIXED)
def test_table_rows_are_found_as_the_plain_pattern_finds_them(line: str, upcoming: str) -> None:
    tail = max(0, len(line) - _WRAP_CAP)
    plain = bool(_COLUMN_GAP.search(line, tail) or _COLUMN_GAP.search(upcoming, 0, _WRAP_CAP))
    assert _table_row(line, upcoming) == plain


WORDS = st.lists(
    st.sampled_from(["Dr.", "No.", "Prof.", "approx.", "e.g.", "U.S.", "Mr", "xNo.", "word."]),
    min_size=1,
    max_size=6,
).map(" ".join)


@given(WORDS)
def test_titles_and_abbreviations_are_looked_for_at_the_line_end_only(line: str) -> None:
    assert _titled(line) == bool(_TITLE.search(line))
    assert _abbreviated(line) == bool(_ABBREVIATION.search(line))


@given(st.lists(st.sampled_from(["", "a" * 8, "中" * 6, "ab " * 5, "中a" * 9]), max_size=12))
def test_three_lines_alike_are_counted_as_all_would_be(lines: list[str]) -> None:
    for width in (0, 8, 12, 15, 27):
        everyone = sum(abs(_width(other) - width) <= 4 for other in lines)
        assert _alike(lines, width) == (everyone >= 3)
