"""Language and script: decided once on the cleaned text, used by every later stage.

Chinese is told apart by script, simplified (`zh-Hans`) or traditional (`zh-Hant`), by
counting the characters OpenCC would change in each direction. English is recognised by
its function words; only other text pays for loading a statistical identifier.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from summarizer._scripts import HAN_CHAR, HANGUL, KANA

_KANA = re.compile(f"[{KANA}]")
_HANGUL = re.compile(f"[{HANGUL}]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_ENGLISH = frozenset(
    "the of and to in a is that for on with as was by at it are from be this have has an "
    "which or were will not its their said they been but more than".split()
)
_SAMPLE = 20000


@lru_cache(maxsize=4)
def converter(config: str) -> Any:
    """An OpenCC converter; configs are `t2s`, `s2t` and friends."""
    import opencc

    return opencc.OpenCC(config)


def detect(text: str) -> str:
    """A BCP 47-style tag: `zh-Hans`, `zh-Hant`, `en`, another code, or `und`."""
    sample = text[:_SAMPLE]
    han = len(HAN_CHAR.findall(sample))
    kana = len(_KANA.findall(sample))
    hangul = len(_HANGUL.findall(sample))
    words = _LATIN_WORD.findall(sample)
    letters = sum(len(w) for w in words)
    if kana > 0.1 * (han + kana):
        return "ja"
    if hangul > han and hangul > letters / 3:
        return "ko"
    if han and han >= letters / 3:
        return chinese_script(sample)
    if not words:
        return "und"
    english = sum(1 for w in words if w.lower() in _ENGLISH)
    if english >= max(1, 0.08 * len(words)):
        return "en"
    return _identify(sample)


_SCRIPT_SAMPLE = 2000  # Han characters; the script is settled long before, and OpenCC is slow


def chinese_script(text: str) -> str:
    """`zh-Hant` when more characters are traditional-only than simplified-only."""
    han = "".join(HAN_CHAR.findall(text[: _SCRIPT_SAMPLE * 4]))[:_SCRIPT_SAMPLE]
    to_simplified = converter("t2s").convert(han)
    to_traditional = converter("s2t").convert(han)
    traditional = sum(1 for a, b in zip(han, to_simplified, strict=False) if a != b)
    simplified = sum(1 for a, b in zip(han, to_traditional, strict=False) if a != b)
    return "zh-Hant" if traditional > simplified else "zh-Hans"


def is_chinese(language: str) -> bool:
    return language.startswith("zh")


def _identify(sample: str) -> str:
    try:
        import py3langid
    except ImportError:  # pragma: no cover - a core dependency, but keep going without it
        return "und"
    code, _score = py3langid.classify(sample)
    return str(code)
