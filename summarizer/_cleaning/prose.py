"""What the cleaned text offers the pipeline: a title, and whether it has prose at all.

Asked after cleaning, on the cleaned text: a page with nothing left but noise is refused
rather than summarized, and a headline-like first line is the title when the document
carries none.
"""

from __future__ import annotations

import re

from summarizer._cleaning.context import is_latin
from summarizer._scripts import HAN


def guess_title(cleaned: str) -> str | None:
    """The first line, when it reads like a headline rather than a paragraph."""
    first = cleaned.split("\n", 1)[0].strip()
    limit = 150 if is_latin(first) else 64
    if not first or len(first) > limit or first[-1] in "。！？.!?；;：:，,":
        return None
    return first


# Pieces of a line that navigation and link lists separate: "Home | About | Contact".
_PIECE = re.compile(r"[^\n|｜¦•·/>»›]+")
_SCRIPT_CHAR = re.compile(f"[{HAN}\u3041-\u3096\u30a1-\u30fa]")  # Han and kana: no spaces
_WORD = re.compile(r"[^\W\d_]+")  # a run of letters: no digits, punctuation, symbols, emoji
PROSE_WORDS = 4


def has_prose(text: str) -> bool:
    """Whether any line, or piece of a line between list separators, reads like a sentence.

    That takes PROSE_WORDS words, a Han or kana character counting as half a word (Chinese
    words average under two characters): "The council approved it." and "明天上午九点开会"
    pass; punctuation, emoji and numbers have no words, and a menu's pieces have one to
    three ("Home | About us | Contact", "首页 | 关于我们"). The pipeline refuses a text
    without prose rather than summarize its noise.
    """
    for match in _PIECE.finditer(text):
        piece = match.group()
        chars = len(_SCRIPT_CHAR.findall(piece))
        words = len(_WORD.findall(_SCRIPT_CHAR.sub(" ", piece) if chars else piece))
        if words + chars / 2 >= PROSE_WORDS:
            return True
    return False
