"""One value of your own fields, converted to its type and checked against what it cites.

A value is not a claim: it is a name, an amount, a date. So it is checked as what it is:

    text     every number in it is in the cited sentences (with its unit), and the value
             is there (width, case, punctuation and script folded) or most of its words are
    number   some number of the cited sentences equals it, as written or times its
             magnitude (350万元 is 3500000, "1.2 million" is 1200000)
    date     some date of the cited sentences is it (2025年5月20日, 20 May 2025, 2025-05-20)
    bool     (and enum) a judgement, not a quote: only that it cites a real sentence of the
             part shown, not an injected one

A value the cited sentences do not support is tried against their neighbours within two
sentences (small models cite one off), else set to null and counted by its reason; so is a
value that is not of its field's type, or that cites nothing the model was shown. Inside an
object, a value that cites nothing rests on what its sibling values cite (small models cite
once per object), checked the same way.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from summarizer import _grounding as grounding
from summarizer import _support as support
from summarizer._custom import Field
from summarizer._engines.citations import Numbered, neighbours, parts

LEXICAL_SHARE = 0.5  # of a text value's words (Han bigrams) found in the cited sentences
Scalar = str | int | float | bool


class Outcome(StrEnum):
    KEPT = "kept"
    MOVED = "moved"
    MISSING = "missing"  # the model left it null
    NUMBERS = "numbers"
    UNSUPPORTED = "unsupported"
    UNCITED = "uncited"
    INJECTED = "injected"
    INVALID = "invalid"


@dataclass(frozen=True)
class Checked:
    """A value that passed, with the sentences that support it; or why there is none."""

    outcome: Outcome
    value: Scalar | None = None
    sentences: tuple[int, ...] = ()


def check(
    field: Field,
    raw: object,
    cited: Sequence[int],
    numbered: Numbered,
    allowed: range,
    around: Sequence[int] = (),
) -> Checked:
    """The value of a leaf as the model gave it, converted and checked.

    `around`: for a value inside an object, the sentences its sibling values cite; a value
    that cites none rests on those (small models cite once per object), checked the same
    and counted as moved.
    """
    if isinstance(raw, str):
        raw, written = parts(raw, [])
        cited = [*cited, *written]
    if raw is None or (isinstance(raw, str) and raw.strip().lower() in _NULLS):
        return Checked(Outcome.MISSING)
    value = convert(field, raw)
    if value is None:
        return Checked(Outcome.INVALID)
    numbers = [n for n in dict.fromkeys(cited) if n in allowed]
    borrowed = not numbers
    if borrowed:
        numbers = [n for n in dict.fromkeys(around) if n in allowed]
    if not numbers:
        return Checked(Outcome.UNCITED)
    clean = [n for n in numbers if n not in numbered.injected]
    if not clean:
        return Checked(Outcome.INJECTED)
    first = _verdict(field, value, numbered.source(sorted(clean)))
    if first is Outcome.KEPT:
        outcome = Outcome.MOVED if borrowed else Outcome.KEPT
        return Checked(outcome, value, _narrowest(field, value, sorted(clean), numbered))
    for candidate in neighbours(clean, allowed, numbered.injected):
        if _verdict(field, value, numbered.source(candidate)) is Outcome.KEPT:
            return Checked(Outcome.MOVED, value, tuple(candidate))
    return Checked(first)


_NULLS = {
    "",
    "null",
    "none",
    "n/a",
    "na",
    "unknown",
    "not stated",
    "not given",
    "无",
    "未提及",
    "不详",
    "未知",
}


def _verdict(field: Field, value: Scalar, source: str) -> Outcome:
    if field.kind in ("bool", "enum"):
        return Outcome.KEPT
    if field.kind in ("int", "float"):
        assert isinstance(value, int | float)
        return Outcome.KEPT if _number_in(value, source) else Outcome.NUMBERS
    if field.kind == "date":
        assert isinstance(value, str)
        return Outcome.KEPT if any(d.startswith(value) for d in dates(source)) else Outcome.NUMBERS
    text = str(value)
    if not support.numbers_supported(text, source):
        return Outcome.NUMBERS
    return Outcome.KEPT if _text_in(text, source) else Outcome.UNSUPPORTED


def _narrowest(
    field: Field, value: Scalar, cited: list[int], numbered: Numbered
) -> tuple[int, ...]:
    """The cited sentences that support the value each alone, else all of them together."""
    alone = [n for n in cited if _verdict(field, value, numbered.source([n])) is Outcome.KEPT]
    return tuple(alone or cited)


# --- text ---------------------------------------------------------------------------------


def _text_in(value: str, source: str) -> bool:
    folded = grounding.fold(value).text
    if folded and folded in grounding.fold(source).text:
        return True
    said = grounding.words(value)
    return bool(said) and len(said & grounding.words(source)) / len(said) >= LEXICAL_SHARE


# --- conversion ---------------------------------------------------------------------------


def convert(field: Field, raw: object) -> Scalar | None:
    """The value as its field's type, or None when it is not one."""
    if isinstance(raw, dict | list):
        return None
    if field.kind == "str":
        text = " ".join(str(raw).split())
        return text or None
    if field.kind == "enum":
        wanted = str(raw).strip().lower()
        return next((c for c in field.choices if c.lower() == wanted), None)
    if field.kind == "bool":
        return _boolean(raw)
    if field.kind == "date":
        found = dates(str(raw))
        return found[0] if found else None
    number = _number(raw)
    if number is None:
        return None
    if field.kind == "int":
        return int(number) if float(number).is_integer() else None
    return float(number)


_TRUE = {"true", "yes", "y", "1", "是", "有", "对", "是的"}
_FALSE = {"false", "no", "n", "0", "否", "无", "没有", "不是"}


def _boolean(raw: object) -> bool | None:
    if isinstance(raw, bool):
        return raw
    word = str(raw).strip().lower()
    return True if word in _TRUE else False if word in _FALSE else None


def _number(raw: object) -> float | None:
    """A number the model wrote, as a number or as text with separators and magnitude."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return float(raw) if math.isfinite(raw) else None
    found = support.quantities(str(raw))
    if len(found) != 1:
        return None
    return _scaled(found[0])[-1]


def _scaled(quantity: support.Quantity) -> tuple[float, ...]:
    """The number as written, then times its magnitude when it has one."""
    value = float(quantity.value)
    if quantity.magnitude is None:
        return (value,)
    return value, value * 10 ** int(quantity.magnitude[1:])


def _number_in(value: float, source: str) -> bool:
    return any(
        math.isclose(value, candidate, rel_tol=1e-9, abs_tol=1e-9)
        for q in support.quantities(source)
        for candidate in _scaled(q)
    )


# --- dates --------------------------------------------------------------------------------

_MONTHS = {
    name: n
    for n, names in enumerate(
        (
            "jan january",
            "feb february",
            "mar march",
            "apr april",
            "may",
            "jun june",
            "jul july",
            "aug august",
            "sep sept september",
            "oct october",
            "nov november",
            "dec december",
        ),
        1,
    )
    for name in names.split()
}
_MONTH = r"(?P<month_name>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE = re.compile(
    r"(?P<y1>\d{4})\s*[年./-]\s*(?P<m1>\d{1,2})(?:\s*[月./-]\s*(?P<d1>\d{1,2})(?!\d))?"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH.replace('month_name', 'mn2')},?\s+(?P<y2>\d{{4}})"
    rf"|{_MONTH.replace('month_name', 'mn3')}\s+(?:(?P<d3>\d{{1,2}})(?:st|nd|rd|th)?,?\s+)?(?P<y3>\d{{4}})"
    r"|(?P<y4>\d{4})\s*年",
    re.I,
)


def dates(text: str) -> list[str]:
    """Every date the text writes, as YYYY-MM-DD (or YYYY-MM, YYYY when that is all it says)."""
    found = []
    for m in _DATE.finditer(unicodedata.normalize("NFKC", text)):
        year = m.group("y1") or m.group("y2") or m.group("y3") or m.group("y4")
        name = m.group("mn2") or m.group("mn3")
        month = int(m.group("m1")) if m.group("m1") else _MONTHS[name.lower()] if name else None
        day_text = m.group("d1") or m.group("d2") or m.group("d3")
        day = int(day_text) if day_text else None
        if (month is not None and not 1 <= month <= 12) or (day is not None and not 1 <= day <= 31):
            continue
        pieces = (
            [year] + ([f"{month:02d}"] if month else []) + ([f"{day:02d}"] if month and day else [])
        )
        found.append("-".join(pieces))
    return found
