"""One value checked on its own: converted to its field's type, dates found in text, and
the prompt's listing of the fields."""

from __future__ import annotations

import pytest

from summarizer._custom import Field
from summarizer._custom_syntax import parse
from summarizer._engines import values
from summarizer._engines.extractor import listing

# --- conversions and dates ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("投标截止时间为2025年5月20日17时，开标于2025.6.3进行。", ["2025-05-20", "2025-06-03"]),
        ("Bids close on 20 May 2025; opening is May 23, 2025.", ["2025-05-20", "2025-05-23"]),
        ("The 2025-26 budget, approved in March 2026.", ["2026-03"]),
        ("２０２５年１２月", ["2025-12"]),
    ],
)
def test_dates_in_text(text: str, found: list[str]) -> None:
    assert values.dates(text) == found


@pytest.mark.parametrize(
    ("kind", "raw", "value"),
    [
        ("int", "350万元", 3500000),
        ("int", 3.5, None),
        ("float", "1.2 million", 1200000.0),
        ("float", "3 or 4", None),
        ("bool", "是", True),
        ("bool", "maybe", None),
        ("date", "2025年5月20日", "2025-05-20"),
        ("date", "soon", None),
        ("enum", "OPEN", "open"),
        ("str", {"nested": 1}, None),
    ],
)
def test_values_are_converted_to_their_type(kind: str, raw: object, value: object) -> None:
    field = Field("x", kind, choices=("open", "closed"))  # type: ignore[arg-type]
    assert values.convert(field, raw) == value


def test_the_prompt_lists_kinds_choices_and_nesting() -> None:
    text = listing(parse("s enum[a|b]: pick one, tags list[int], c {n}"))
    assert text.splitlines() == [
        '- "s" (one of "a", "b"): pick one',
        '- "tags" (a list of up to 8, each a whole number)',
        '- "c" (an object)',
        '  - "n" (text, copied as the document writes it)',
    ]
