"""Support: whether the sentences a claim cites say what the claim says, decided in code.

A small model that cites sentence numbers instead of copying quotes still paraphrases, and
a paraphrase can change a number's unit ("3.2亿元" for "3.2万吨"), flip a direction ("rose
3.2 percent" for "a 3.2 percent decrease") or lose a "not". Each rule here catches one of
those; `verdict` applies them with the lexical check of `_grounding.supports`.
The lexicons cover English and Chinese in both scripts (text is folded to simplified first).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from summarizer import _grounding as grounding
from summarizer._language import converter


class Verdict(StrEnum):
    SUPPORTED = "supported"
    NUMBERS = "numbers"  # a number, or its unit, is not in the source
    DIRECTION = "direction"  # the claim flips its source
    UNSUPPORTED = "unsupported"  # the source is about something else


# --- numbers with their units -------------------------------------------------------------

# Each unit, as written after a number, to its kind; magnitudes are kept apart from kinds so
# "3.2亿元" and "3.2亿" agree on the magnitude and only disagree when both name a kind.
_MAGNITUDES = {
    "万亿": "e12",
    "亿": "e8",
    "万": "e4",
    "千": "e3",  # not in 千米 or 千克: see _MAGNITUDE_RE
    "百万": "e6",
    "thousand": "e3",
    "million": "e6",
    "millions": "e6",
    "mn": "e6",
    "billion": "e9",
    "billions": "e9",
    "bn": "e9",
    "trillion": "e12",
}
_KINDS = {
    "%": "%",
    "percent": "%",
    "per cent": "%",
    "pct": "%",
    "‰": "‰",
    "个百分点": "pp",
    "百分点": "pp",
    "percentage point": "pp",
    "percentage points": "pp",
    "points": "pp",
}
_MEASURES = {  # each unit and the ways it is written; people-like counts are one unit
    "yuan": "元 元人民币 yuan rmb",
    "dollar": "美元 dollar dollars usd",
    "euro": "欧元 euro euros",
    "pound": "英镑 pound pounds",
    "km": "公里 千米 km kilometre kilometres kilometer kilometers",
    "mile": "英里 mile miles",
    "m": "米 metre metres meter meters",
    "m2": "平方米 sq.m square",
    "km2": "平方公里",
    "mu": "亩",
    "ha": "公顷 hectare hectares",
    "acre": "acre acres",
    "m3": "立方米 cubic",
    "l": "升 liter liters litre litres",
    "gallon": "gallon gallons",
    "t": "吨 tonne tonnes ton tons",
    "kg": "公斤 千克 kg kilogram kilograms",
    "jin": "斤",
    "person": "人 人次 名 位 people persons residents visitors workers students passengers",
    "household": "户 家庭 households families homes",
    "hour": "小时 hour hours",
    "minute": "分钟 minute minutes",
    "day": "天 日 day days",
    "month": "个月 month months",
    "year": "年 year years",
}
_MEASURE_OF = {word: kind for kind, words in _MEASURES.items() for word in words.split()}
_PREFIXES = {"$": "dollar", "€": "euro", "£": "pound", "¥": "yuan", "￥": "yuan", "人民币": "yuan"}
_PREFIX = re.compile(r"(\$|€|£|¥|￥|人民币)\s*$")  # US$, NT$ and HK$ end in $ too
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_APPROX = re.compile(r"\s*(?:余|多)?\s*")


def _unit_pattern(words: list[str]) -> re.Pattern[str]:
    ordered = sorted(words, key=len, reverse=True)
    parts = [re.escape(w) + (r"\b" if w[-1].isascii() and w[-1].isalpha() else "") for w in ordered]
    return re.compile("|".join(parts), re.I)


_MAGNITUDE_RE = re.compile(
    _unit_pattern(list(_MAGNITUDES)).pattern.replace("千", "千(?![米克瓦])"), re.I
)
_KIND_RE = _unit_pattern(list(_KINDS))
_MEASURE_RE = _unit_pattern(list(_MEASURE_OF))


@dataclass(frozen=True)
class Quantity:
    """A number as written, with what follows it: magnitude, kind (%, points) and measure."""

    value: str
    magnitude: str | None
    kind: str | None
    measure: str | None

    def agrees(self, source: Quantity) -> bool:
        """Same value and magnitude, same percent-ness, and the same measure where both say."""
        if (self.value, self.magnitude, self.kind) != (source.value, source.magnitude, source.kind):
            return False
        return self.measure is None or source.measure is None or self.measure == source.measure


def normal(text: str) -> str:
    """Width, case and script folded, so both scripts and full-width digits compare equal."""
    folded: str = converter("t2s").convert(unicodedata.normalize("NFKC", text))
    return folded.lower()


def quantities(text: str) -> list[Quantity]:
    text = normal(text)
    found = []
    for match in _NUMBER.finditer(text):
        value = _value(match.group())
        pos = _skip(text, match.end())
        magnitude = _take(_MAGNITUDE_RE, text, pos)
        if magnitude:
            pos = _skip(text, pos + len(magnitude))
        kind = _take(_KIND_RE, text, pos)
        measure = None if kind else _take(_MEASURE_RE, text, pos)
        unit = _MEASURE_OF.get(measure.lower()) if measure else None
        prefix = _PREFIX.search(text[max(0, match.start() - 4) : match.start()])
        if unit is None and prefix:
            unit = _PREFIXES[prefix.group(1)]
        found.append(
            Quantity(
                value,
                _MAGNITUDES[magnitude.lower()] if magnitude else None,
                _KINDS[kind.lower()] if kind else None,
                unit,
            )
        )
    return found


def _value(number: str) -> str:
    """1,500 and 1500, 3.20 and 3.2, 03 and 3 are the same value."""
    whole, _, decimals = number.replace(",", "").partition(".")
    decimals = decimals.rstrip("0")
    whole = whole.lstrip("0") or "0"
    return f"{whole}.{decimals}" if decimals else whole


def _skip(text: str, pos: int) -> int:
    match = _APPROX.match(text, pos)
    return match.end() if match else pos


def _take(pattern: re.Pattern[str], text: str, pos: int) -> str | None:
    match = pattern.match(text, pos)
    return match.group() if match else None


def numbers_supported(statement: str, source: str) -> bool:
    """Every number of the statement is in the source, with the same magnitude and unit."""
    said = quantities(statement)
    if not said:
        return True
    there = quantities(source)
    return all(any(q.agrees(s) for s in there) for q in said)


# --- direction and negation ---------------------------------------------------------------

_UP = re.compile(
    r"\b(?:increas(?:e|es|ed|ing)|ris(?:e|es|ing|en)|rose|gr[eo]w(?:s|n|th|ing)?|gain(?:s|ed)?"
    r"|climb(?:s|ed)?|jump(?:s|ed)?|surg(?:e|es|ed)|higher|more|expand(?:s|ed)?|up(?=\s+(?:by\s+)?\d))\b"
    r"|增加|增长|提高|上升|上涨|增多|回升|扩大|攀升|提升|增幅|涨幅|增至|升至|多了"
)
_DOWN = re.compile(
    r"\b(?:decreas(?:e|es|ed|ing)|declin(?:e|es|ed|ing)|fall(?:s|en|ing)?|fell|drop(?:s|ped|ping)?"
    r"|lower|fewer|less|reduc(?:e|es|ed|tion)|shr[ai]nk(?:s)?|plung(?:e|es|ed)|slump(?:s|ed)?"
    r"|down(?=\s+(?:by\s+)?\d))\b"
    r"|减少|下降|降低|回落|下滑|下跌|缩小|降幅|跌幅|降至|减至|降为|少了"
)
# Words that hold a negation character without negating anything.
_NOT_NEGATIONS = re.compile(
    r"不断|不仅|不少|不同|不过|不久|不但|不管|不论|不超过|不低于|不足|不得不|不良|不便|不再少|"
    r"未来|未成年|毫不|\bnot only\b|\bno\.\s*\d|\bno doubt\b|\bno later than\b"
    r"|\bno (?:more|fewer|less) than\b"
)
_NEGATION = re.compile(
    r"\b(?:not|never|no|none|neither|nor|without|cannot)\b|n't\b|没|未|不|并非|无法"
)
_CLAUSE = re.compile(r"[，,；;：:。.!?！？\n]+(?!\d)")


def directions(text: str) -> set[str]:
    folded = normal(text)
    out = set()
    if _UP.search(folded):
        out.add("up")
    if _DOWN.search(folded):
        out.add("down")
    return out


def negated(text: str) -> bool:
    return bool(_NEGATION.search(_NOT_NEGATIONS.sub(" ", normal(text))))


def _relevant(statement: str, source: str) -> str:
    """The clauses of the source the statement is about: those holding its numbers, else
    those sharing most of its words; the whole source when none shares anything."""
    clauses = [c for c in _CLAUSE.split(source) if c.strip()]
    values = {q.value for q in quantities(statement)}
    if values:
        holding = [c for c in clauses if values & {q.value for q in quantities(c)}]
        if holding:
            return "\n".join(holding)
    said = grounding.words(statement)
    scored = [(len(said & grounding.words(c)), c) for c in clauses]
    best = max((s for s, _ in scored), default=0)
    if best == 0:
        return source
    return "\n".join(c for s, c in scored if s == best)


def flips(statement: str, source: str) -> bool:
    """Whether the statement says the opposite of the clauses it is about."""
    about = _relevant(statement, source)
    said, there = directions(statement), directions(about)
    for way, opposite in (("up", "down"), ("down", "up")):
        if way in said and opposite in there and way not in there:
            return True
    return negated(statement) != negated(about)


def verdict(statement: str, source: str, *, same_language: bool = True) -> Verdict:
    """Numbers and units, then (same language only) words, then direction and negation.

    Words come before direction: a source about something else is no source the claim
    could flip, and a claim it does not support may still be supported by a neighbour.
    """
    if not numbers_supported(statement, source):
        return Verdict.NUMBERS
    if same_language and not grounding.supports(statement, source):
        return Verdict.UNSUPPORTED
    if flips(statement, source):
        return Verdict.DIRECTION
    return Verdict.SUPPORTED
