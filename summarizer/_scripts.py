"""Scripts: which characters are Han, kana, hangul or full-width, defined once.

Cleaning, language detection, sentence splitting, token estimates, grounding and the
extractive engine all ask whether a character is Han; spelled out in each module the ranges
drifted apart, so each answered differently for the same character. The ranges live here as
(first, last) code points, from which the regex fragments are built, and numpy paths read
the same tuples. The helpers at the end serve the numpy paths, which classify millions of
characters at once through tables indexed by code point.
"""

from __future__ import annotations

import re
from typing import Any

Ranges = tuple[tuple[int, int], ...]

HAN_RANGES: Ranges = (
    (0x3400, 0x4DBF),  # CJK Unified Ideographs Extension A
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xF900, 0xFAFF),  # CJK Compatibility Ideographs
    # The Supplementary and Tertiary Ideographic Planes, whole: Extensions B to J and the
    # Compatibility Ideographs Supplement. Unicode keeps both planes for ideographs, so
    # extensions added later are already in.
    (0x20000, 0x3FFFF),
)
KANA_RANGES: Ranges = ((0x3040, 0x30FF),)  # Hiragana and Katakana
HANGUL_RANGES: Ranges = ((0xAC00, 0xD7AF),)  # Hangul Syllables
# Full-width digits and Latin letters: each is its ASCII twin plus 0xFEE0.
FULLWIDTH_ALNUM_RANGES: Ranges = ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
FULLWIDTH_OFFSET = 0xFEE0
# What str.isspace accepts (and so `\s`): the characters every numpy path treats as spaces.
SPACE_CODES = (
    *range(9, 14),
    *range(28, 33),
    0x85,
    0xA0,
    0x1680,
    *range(0x2000, 0x200B),
    0x2028,
    0x2029,
    0x202F,
    0x205F,
    0x3000,
)


def char_class(ranges: Ranges) -> str:
    """The body of a regex character class, for `f"[{...}]"`."""
    return "".join(
        f"\\U{lo:08x}-\\U{hi:08x}" if hi > 0xFFFF else f"\\u{lo:04x}-\\u{hi:04x}"
        for lo, hi in ranges
    )


HAN = char_class(HAN_RANGES)
KANA = char_class(KANA_RANGES)
HANGUL = char_class(HANGUL_RANGES)
FULLWIDTH_ALNUM = "".join(chr(c) for lo, hi in FULLWIDTH_ALNUM_RANGES for c in range(lo, hi + 1))
HAN_CHAR = re.compile(f"[{HAN}]")


def is_han(ch: str) -> bool:
    return HAN_CHAR.match(ch) is not None


# --- code points, for numpy -------------------------------------------------------------


def codepoints(text: str) -> Any:
    """The code points of `text`; 16 bits each when it has none outside the BMP (the norm)."""
    import numpy as np

    utf16 = text.encode("utf-16-le")
    if len(utf16) == 2 * len(text):
        return np.frombuffer(utf16, dtype="<u2")
    return np.frombuffer(text.encode("utf-32-le"), dtype="<u4")


def bmp(cp: Any) -> Any:
    """Indexes into 0x10000-entry tables; anything beyond the BMP reads the last entry."""
    import numpy as np

    return cp if cp.dtype.itemsize == 2 else np.minimum(cp, 0xFFFF)


def in_ranges(cp: Any, ranges: Ranges) -> Any:
    """Which of the code points `cp` fall in `ranges`: for the few beyond the BMP's tables."""
    import numpy as np

    found = np.zeros(len(cp), dtype=bool)
    for lo, hi in ranges:
        found |= (cp >= lo) & (cp <= hi)
    return found


def runs(pos: Any) -> tuple[Any, Any]:
    """Starts and ends of the runs of consecutive positions in the sorted array `pos`."""
    import numpy as np

    if not len(pos):
        return pos, pos
    breaks = np.flatnonzero(np.diff(pos) != 1)
    return np.concatenate((pos[:1], pos[breaks + 1])), np.concatenate((pos[breaks], pos[-1:])) + 1
