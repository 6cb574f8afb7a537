"""The shortcuts of the `repeats` step (summarizer/_cleaning/copies.py) against the plain
definitions they stand for: each must decide exactly what the slow way decides."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from summarizer._cleaning.copies import _FOLD, _fold, _Folds, _which_is_cut, _words

# Spaces of every kind str.split knows, controls and marks that are not spaces, and text.
SPACES_AND_MORE = st.text(
    st.sampled_from(
        list(
            " \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u1680\u2000\u2028\u2029\u202f\u3000\u200e\x00aZ中。,_ß"
        )
    ),
    max_size=40,
)


@given(SPACES_AND_MORE)
def test_words_are_the_line_without_any_space(line: str) -> None:
    assert _words(line) == "".join(line.split())


@given(st.one_of(st.text(max_size=80), st.text(st.characters(max_codepoint=127), max_size=80)))
def test_folding_drops_what_is_no_letter_or_digit_and_case(text: str) -> None:
    assert _fold(text) == _FOLD.sub("", text).casefold()


@given(st.text(max_size=80), st.integers(0, 80))
def test_a_folded_head_begins_the_folded_whole(text: str, cut: int) -> None:
    """What `_Folds.apart` rests on: folding goes character by character."""
    head = _fold(text[:cut])
    assert _fold(text).startswith(head)


PARAGRAPH = "近年来，青岚县以服务站为支点推进农村电商发展，三年间建成服务站32个。The council approved 14 stops."
# The paragraph cut short, a character changed somewhere, maybe something added: lines
# that part from it early, late, or not at all.
LINE = st.builds(
    lambda end, at, change, extra: PARAGRAPH[:at] + change + PARAGRAPH[at + 1 : end] + extra,
    st.integers(15, len(PARAGRAPH)),
    st.integers(0, len(PARAGRAPH)),
    st.sampled_from(["", "x", "5", "，", " "]),
    st.sampled_from(["", "……", " 运营", "5", ", and more"]),
)


@given(LINE, LINE, st.booleans())
def test_lines_told_apart_by_their_heads_are_no_cut_copies(
    first: str, second: str, labelled: bool
) -> None:
    """Whenever the folded heads part too early, comparing the whole lines finds no cut
    copy either; so skipping those pairs changes nothing."""
    label = "摘要：" if labelled else ""
    full = f"{label}{first}\n{second}\n"
    earlier = (0, len(label) + len(first) + 1, len(label))
    later = (earlier[1], len(full), earlier[1])
    folds = _Folds(full)
    if folds.apart(earlier, folds.head(later[2], later[1])):
        assert _which_is_cut(full, earlier, later, _Folds(full)) is None


def test_a_cut_copy_is_still_found() -> None:
    """The shortcut does not hide the copies it is there to find."""
    full = f"摘要：{PARAGRAPH[:40]}\n{PARAGRAPH}\n"
    earlier = (0, 3 + 40 + 1, 3)
    later = (earlier[1], len(full), earlier[1])
    folds = _Folds(full)
    assert not folds.apart(earlier, folds.head(later[2], later[1]))
    assert _which_is_cut(full, earlier, later, folds) == 0
