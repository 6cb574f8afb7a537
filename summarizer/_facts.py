"""Facts without a model: the clauses that carry money, percentages, dates or counts.

Their evidence is a span of the cleaned text by construction. `categorize` also gives the
model engine's facts their category from the evidence itself, not from the model's label.
"""

from __future__ import annotations

import re

from summarizer._schemas import Fact, FactCategory
from summarizer._scripts import HAN
from summarizer._sentences import Span

_MAX_FACTS = 12
HAN_RUN = re.compile(f"[{HAN}]+")
_NUM = r"\d+(?:[.,]\d+)*"
_MONEY = re.compile(
    rf"(?:US|NT|HK|A|C)?[$€£¥￥]\s?{_NUM}(?:\s?(?:million|billion|thousand|[mb]n|k)\b)?"
    rf"|{_NUM}\s?(?:余|多)?[万萬亿億千百]*\s?(?:元|美元|港元|欧元|歐元|英镑|英鎊|日元|块)"
    rf"|(?:新臺幣|新台币|人民币|人民幣|RMB|USD|EUR|GBP)\s?{_NUM}"
    rf"|{_NUM}\s?(?:million|billion)?\s?(?:dollars|euros|pounds|yuan)\b",
    re.I,
)
_PERCENT = re.compile(
    rf"{_NUM}\s?(?:%|％|percent\b|per cent\b)|百分之[零一二三四五六七八九十百点點\d.]+"
)
MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_DATE = re.compile(
    rf"\d{{4}}\s?年(?:\s?\d{{1,2}}\s?月(?:\s?\d{{1,2}}\s?[日号號])?)?"
    rf"|\d{{1,2}}\s?月\s?\d{{1,2}}\s?[日号號]|\d{{1,2}}\s?月(?![\d个個])"
    rf"|\d{{4}}-\d{{1,2}}-\d{{1,2}}"
    rf"|\b(?:{MONTHS}|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,\s*\d{{4}})?\b"
    rf"|\b(?:in|since|by|from|until|of)\s+(?:19|20)\d{{2}}\b",
    re.I,
)
_QUANTITY = re.compile(
    rf"{_NUM}|[一二两兩三四五六七八九十百千万萬亿億]+(?:多|余|餘)?[个個名人家场場次项項条條篇万萬亿億]"
)
_EVENT = re.compile(
    r"召开|召開|举行|舉行|举办|舉辦|成立|启动|啟動|开幕|開幕|开班|開班|开放|開放|签约|簽約|发布|發布|公布|通过|通過|上路|完工|竣工|投用"
    r"|\b(?:approved|launched|held|opened|signed|announced|voted|began|will open|takes effect|passed)\b",
    re.I,
)
# Chinese facts are clauses; English clauses after a comma rarely stand alone ("which let
# the city..."), so English facts are whole sentences, cut only at semicolons and dashes.
_ZH_CLAUSE_BREAK = re.compile(r"[，；：;]|(?<!\d),|,(?!\s?\d)")
_EN_CLAUSE_BREAK = re.compile(r";|\s[—–]\s")
_CATEGORY_WEIGHT: dict[FactCategory, float] = {
    "money": 1.0,
    "percent": 0.9,
    "event": 0.8,
    "number": 0.6,
    "date": 0.4,
}


def categorize(clause: str) -> FactCategory | None:
    """The category a clause's quantity gives it, or None when it carries none."""
    if _MONEY.search(clause):
        return "money"
    if _PERCENT.search(clause):
        return "percent"
    has_date = bool(_DATE.search(clause))
    if has_date and _EVENT.search(clause):
        return "event"
    without_dates = _DATE.sub("", clause)
    if _QUANTITY.search(without_dates):
        return "number"
    return "date" if has_date else None


def extract_facts(text: str, sentences: list[Span], scores: list[float]) -> list[Fact]:
    found: list[tuple[float, Fact]] = []
    seen: set[str] = set()
    for index, sentence in enumerate(sentences):
        body = text[sentence.start : sentence.end]
        zh = bool(HAN_RUN.search(body))
        if not is_candidate(body, zh):
            continue
        for start, end in _fact_windows(body, zh=zh):
            evidence = body[start:end]
            category = categorize(evidence)
            if category is None or evidence in seen:
                continue
            seen.add(evidence)
            s, e = sentence.start + start, sentence.start + end
            fact = Fact(statement=evidence, category=category, evidence=evidence, start=s, end=e)
            found.append((scores[index] * (1 + _CATEGORY_WEIGHT[category]), fact))
    best = sorted(found, key=lambda pair: (-pair[0], pair[1].start))[:_MAX_FACTS]
    return sorted((fact for _, fact in best), key=lambda f: f.start)


def _fact_windows(sentence: str, *, zh: bool) -> list[tuple[int, int]]:
    """Clause spans that carry a quantity, widened until they say enough on their own.

    A clause already inside the previous window adds nothing, so no two facts overlap.
    """
    breaks = (_ZH_CLAUSE_BREAK if zh else _EN_CLAUSE_BREAK).finditer(sentence)
    bounds = [0, *(m.end() for m in breaks), len(sentence)]
    clauses = [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1)]
    windows: list[tuple[int, int]] = []
    covered = 0
    for i, (start, end) in enumerate(clauses):
        if end <= covered or not re.search(r"\d|百分之", sentence[start:end]):
            continue
        j, k = i, i
        while j > 0 and clauses[j - 1][0] >= covered and _too_short(sentence[clauses[j][0] : end]):
            j -= 1
        while k + 1 < len(clauses) and _too_short(sentence[clauses[j][0] : clauses[k][1]]):
            k += 1
        start, end = clauses[j][0], clauses[k][1]
        text = sentence[start:end]
        lead = len(text) - len(text.lstrip())
        trail = len(text.rstrip(" ，,；;：:、"))
        if trail > lead:
            windows.append((start + lead, start + trail))
            covered = end
    return windows


def _too_short(clause: str) -> bool:
    """Whether a clause needs its neighbour to make sense; a bare date always does."""
    rest = _DATE.sub("", clause).strip()
    if HAN_RUN.search(clause):
        return len(rest) < 10
    return len(rest.split()) < 6


# --- entities ----------------------------------------------------------------------------


def is_candidate(sentence: str, zh: bool) -> bool:
    """A whole sentence worth ranking: it ends like one and is long enough."""
    if sentence[-1:] not in "。！？!?.…”」』\"'":
        return False
    if zh:
        return sum(len(run) for run in HAN_RUN.findall(sentence)) >= 12
    return len(sentence.split()) >= 6
