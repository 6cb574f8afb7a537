"""Normalization, the first step: line endings, invisible characters, odd spaces, full-width
letters and digits, and the control characters a terminal would obey.

It runs before every other step, so that they match one form of each character (a
full-width digit is a digit, a no-break space a space) and never see a control character.
"""

from __future__ import annotations

import re

from summarizer._cleaning.context import Context
from summarizer._cleaning.offsets import Edit
from summarizer._scripts import FULLWIDTH_ALNUM, FULLWIDTH_OFFSET

_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_ODD_SPACE = "\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_FULLWIDTH = FULLWIDTH_ALNUM + "％"
_NORMAL_FORMS = {  # what each character becomes
    **dict.fromkeys(_INVISIBLE, ""),
    **dict.fromkeys(_ODD_SPACE, " "),
    **{c: chr(ord(c) - FULLWIDTH_OFFSET) for c in _FULLWIDTH},
}
# Characters a terminal obeys or that reorder what it shows: C0 controls but tab and line
# feed (ESC starts escape sequences), DEL, C1 controls (CSI is one), the bidi embeddings,
# overrides and isolates ("Trojan Source"), and lone surrogates, which UTF-8 cannot write.
# The line breaks among them that str.splitlines knows (VT, FF, FS, GS, RS, NEL) become "\n",
# which is what lines and sentences took them for already; surrogates become U+FFFD; the
# rest go. Bidi marks (LRM, RLM, ALM) stay: right-to-left text needs them.
_CONTROL_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85"
_CONTROLS = "\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069"
_SURROGATES = "\ud800-\udfff"
CONTROL_KIND = "control_characters"
# One class scans fastest.
_NORMALIZE = re.compile(
    f"[\r{_INVISIBLE}{_ODD_SPACE}{_FULLWIDTH}{_CONTROL_BREAKS}{_CONTROLS}{_SURROGATES}]"
)
# An escape sequence goes whole, not only its ESC: CSI ("\x1b[31m", 8-bit "\x9b31m"), OSC
# ("\x1b]0;title\x07") and the two-character ones.
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b\n]{0,256}(?:\x07|\x1b\\)|\x1b[@-Z\\-_]"
)


def normalize(text: str, context: Context) -> list[Edit]:
    """Line endings, invisible characters, odd spaces, full-width letters and digits, and
    control characters (counted apart, as `control_characters`).

    Full-width punctuation stays: it is correct Chinese typography, and rewriting it would
    change quotes the model must copy verbatim.
    """
    kind = "normalization"
    edits = []
    done = 0  # the end of the last escape sequence, whose characters are already removed
    for m in _NORMALIZE.finditer(text):
        start = m.start()
        found = text[start]
        if start < done:
            continue
        if found == "\r":
            edits.append(Edit(start, start + 1 + text.startswith("\n", start + 1), "\n", kind))
        elif found in _NORMAL_FORMS:
            edits.append(Edit(start, start + 1, _NORMAL_FORMS[found], kind))
        elif found in "\x1b\x9b" and (sequence := _ESCAPE_SEQUENCE.match(text, start)):
            done = sequence.end()
            edits.append(Edit(start, done, "", CONTROL_KIND))
        else:
            edits.append(Edit(start, start + 1, _control_form(found), CONTROL_KIND))
    return edits


def _control_form(found: str) -> str:
    if found in _CONTROL_BREAKS:
        return "\n"
    return "\ufffd" if "\ud800" <= found <= "\udfff" else ""
