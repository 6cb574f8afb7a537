from __future__ import annotations

import re
import string

import pytest

from summarizer._scripts import (
    FULLWIDTH_ALNUM,
    FULLWIDTH_OFFSET,
    HAN_CHAR,
    HAN_RANGES,
    HANGUL,
    KANA,
    SPACE_CODES,
    codepoints,
    in_ranges,
    is_han,
)

HAN_SAMPLES = {
    "中": "CJK Unified Ideographs",
    "㐀": "Extension A, first",
    "䶿": "Extension A, last",
    "﨑": "a unified ideograph in the Compatibility block",
    "𠀀": "Extension B, first (astral)",
    "𪚥": "Extension B",
    "𫝀": "Extension D",
    "丽": "Compatibility Ideographs Supplement",
    "𰻞": "Extension G (plane 3)",
}
NOT_HAN = ["あ", "カ", "ー", "한", "１", "Ａ", "。", "，", "\u3000", "䷀", "a", "😀", "𝐀"]


@pytest.mark.parametrize("ch", HAN_SAMPLES)
def test_han_covers_extension_a_the_astral_extensions_and_compatibility(ch: str) -> None:
    assert is_han(ch), HAN_SAMPLES[ch]


@pytest.mark.parametrize("ch", NOT_HAN)
def test_kana_hangul_full_width_and_punctuation_are_not_han(ch: str) -> None:
    assert not is_han(ch)


def test_kana_and_hangul_are_told_apart() -> None:
    kana, hangul = re.compile(f"[{KANA}]"), re.compile(f"[{HANGUL}]")
    assert kana.fullmatch("あ") and kana.fullmatch("カ") and not kana.fullmatch("한")
    assert hangul.fullmatch("한") and not hangul.fullmatch("あ") and not hangul.fullmatch("中")


def test_the_regex_and_the_numpy_path_agree_at_every_range_edge() -> None:
    edges = sorted({c for lo, hi in HAN_RANGES for c in (lo - 1, lo, hi, hi + 1)})
    text = "".join(map(chr, edges))
    assert in_ranges(codepoints(text), HAN_RANGES).tolist() == [is_han(ch) for ch in text]
    assert [is_han(chr(c)) for c in edges] == [
        any(lo <= c <= hi for lo, hi in HAN_RANGES) for c in edges
    ]


def test_full_width_letters_and_digits_map_to_ascii() -> None:
    ascii_twins = "".join(chr(ord(c) - FULLWIDTH_OFFSET) for c in FULLWIDTH_ALNUM)
    assert ascii_twins == string.digits + string.ascii_uppercase + string.ascii_lowercase
    assert not HAN_CHAR.search(FULLWIDTH_ALNUM)


def test_space_codes_are_what_str_isspace_accepts() -> None:
    assert list(SPACE_CODES) == [c for c in range(0x110000) if chr(c).isspace()]
