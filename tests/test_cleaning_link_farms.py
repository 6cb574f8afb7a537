"""The shortcuts of the link-farm rules (summarizer/_cleaning/link_farms.py) against the
plain patterns they stand for: a page left on one line made those patterns slow."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from summarizer._cleaning.link_farms import _COMMA_CHARS, _PIPE_CHARS, _count, _parts

# Separators of both kinds, spaces of several kinds around them, and words.
LINE = (
    st.lists(
        st.sampled_from([*",，、;；|丨｜┃¦", " ", "  ", "\t", "\u3000", "\xa0", "电影", "ab", "7"]),
        max_size=40,
    )
    .map("".join)
    .map(str.strip)  # as `page_chrome` hands lines over
)


@given(LINE)
def test_parts_between_commas_are_those_the_plain_split_gives(line: str) -> None:
    plain = [p for p in re.split(r"\s*[,，、;；]\s*", line) if p]
    assert _parts(_COMMA_CHARS, line) == plain


@given(LINE)
def test_parts_between_pipes_are_those_the_plain_split_gives(line: str) -> None:
    plain = [p for p in re.split(r"\s*[|丨｜┃¦]\s*", line) if p]
    assert _parts(_PIPE_CHARS, line) == plain


@given(LINE)
def test_separators_are_counted_as_the_plain_pattern_finds_them(line: str) -> None:
    assert _count(line, ",，、;；") == len(_COMMA_CHARS.findall(line))
    assert _count(line, "|丨｜┃¦") == len(_PIPE_CHARS.findall(line))
