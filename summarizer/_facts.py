"""Facts without a model: the clauses that carry money, percentages, dates or counts.

Their evidence is a span of the cleaned text by construction. `categorize` also gives the
model engine's facts their category from the evidence itself, not from the model's label.
A fact is a clause that states a measured quantity, a date or an event, so the numbers that
measure nothing do not make one: a list marker (`3、`), a reference mark (`[1]`), a time of
day, an anniversary (`70周年`), an identifier (`PM2.5`, `v2.0`, `Lot 2`), a phone number, a
street address. The unit decides the category: `100余块` counts pieces, `5块钱` is money;
`6,800 pounds of produce` is a weight, pounds are money only with sterling, £ or GBP, or a
word of paying beside them.
Facts come only from the prose of a sentence (`_prose`): never a dateline, a heading, a
citation or a spam title.
"""

from __future__ import annotations

import re
from functools import lru_cache

from summarizer._prose import (
    HAN_RUN,
    LIST_MARKER,
    is_candidate,
    is_citation,
    prose_start,
)
from summarizer._schemas import Fact, FactCategory
from summarizer._sentences import Span

_MAX_FACTS = 12
_NUM = r"\d+(?:[.,]\d+)*"
_ZH_CURRENCY = (
    r"元(?![素件组組旦宵])|美元|港元|港币|港幣|欧元|歐元|英镑|英鎊|日元|韩元|韓元|澳元|加元|卢布|盧布"
    r"|美金|人民币|人民幣|台币|台幣|[块塊](?:钱|錢)|[毛角](?:钱|錢)"
)
# The lookaheads of _MONEY, _DATE and _NOT_MEASURES name every branch's first character,
# so the engine skips to those rather than trying each branch at every position: the three
# took most of `categorize`'s time.
_MONEY = re.compile(
    r"(?=[\dUNHACSREG$€£¥￥新人])(?:"
    rf"(?:US|NT|HK|A|C|S|NZ)?[$€£¥￥]\s?{_NUM}(?:\s?(?:million|billion|thousand|[mb]n|k)\b)?"
    rf"|{_NUM}\s?(?:余|多|餘)?[万萬亿億千百]*\s?(?:{_ZH_CURRENCY})"
    rf"|(?:新臺幣|新台币|人民币|人民幣|RMB|USD|EUR|GBP|HKD|NTD)\s?{_NUM}"
    rf"|{_NUM}\s?(?:million|billion|thousand)?\s?(?:dollars|euros|yuan|yen|rupees|francs|pesos|rubles)\b"
    rf"|{_NUM}\s?(?:million|billion|thousand|[mb]n)?\s?(?:GBP|USD|EUR|HKD|RMB|CNY|JPY|NTD)\b)",
    re.I,
)
_POUNDS = re.compile(
    rf"{_NUM}\s?(?:million|billion|thousand|[mb]n|k)?\s?(?:pounds?|quid)\b(?:\s+of\s+(?P<noun>[a-z']+))?",
    re.I,
)
_STERLING = re.compile(r"£|\bGBP\b|\bsterling\b", re.I)
_MONEY_NOUNS = frozenset(
    "funding investment revenue revenues spending savings debt damages aid taxpayers' "
    "public grants compensation".split()
)
_PAYING = re.compile(
    r"\b(?:costs?|costing|paid|pays?|paying|price[ds]?|worth|raised?|donat\w*|fund\w*|budget\w*"
    r"|spen[dt]\w*|grants?|salar\w*|wages?|fees?|fined?|fines|awarded|compensation|loans?|tax\w*"
    r"|sold|bought|bonus\w*|earn\w*|profits?|revenues?|invest\w*|owed?|debts?)\b",
    re.I,
)
_WEIGHING = re.compile(r"\b(?:weigh\w*|heav(?:y|ier|iest)|lbs?)\b", re.I)
_PERCENT = re.compile(
    rf"{_NUM}\s?(?:%|％|percent\b|per cent\b|percentage points?\b|(?:个|個)?\s?百分(?:点|點))"
    r"|百分之[零一二三四五六七八九十百点點\d.]+"
)
MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_MONTH = rf"(?:{MONTHS}|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)"
# `9 May 2026`: capitalised, so that `only 5 may apply` keeps its count.
_CAPITAL_MONTH = (
    "(?-i:(?:January|February|March|April|May|June|July|August|September|October|November"
    "|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\\b)"
)
_DATE = re.compile(
    r"(?=[\dJFMASONDIBU])(?:"  # with re.I: the months, in, since, by, from, until, of
    rf"\d{{4}}\s?年(?:\s?\d{{1,2}}\s?月(?:\s?\d{{1,2}}\s?[日号號])?)?"
    rf"|\d{{1,2}}\s?月\s?\d{{1,2}}\s?[日号號]|\d{{1,2}}\s?月(?![\d个個])"
    rf"|\d{{4}}-\d{{1,2}}-\d{{1,2}}"
    rf"|\b{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,\s*\d{{4}})?\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_CAPITAL_MONTH}\.?(?:,?\s+\d{{4}}\b)?"
    rf"|\b(?:19|20)\d{{2}}[-–](?:19|20)?\d{{2}}\b"
    rf"|\b(?:in|since|by|from|until|of)\s+(?:19|20)\d{{2}}\b)",
    re.I,
)
# Numbers that measure nothing; removed before a clause is asked for a quantity.
_NOT_MEASURES = re.compile(
    r"(?=[\d(（\[［【〔上下晚凌中早傍第A-Za-z#邮郵])(?:"
    r"[(（]\d{1,2}[)）]|[\[［【〔]\d{1,3}[\]］】〕]"
    r"|\b\d{1,2}(?::\d{2})?\s?(?:a\.m\.|p\.m\.|am\b|pm\b)|\b\d{1,2}:\d{2}\b"
    r"|(?:上午|下午|晚上|凌晨|中午|早上|傍晚)?\d{1,2}\s?(?:时|時)(?:\d{1,2}分|半)?"
    r"|(?:上午|下午|晚上|凌晨|中午|早上|傍晚)\d{1,2}\s?(?:点|點)(?:\d{1,2}分|半)?"
    r"|\d+\s?(?:周年|週年)|第\s?\d+\s?[届屆版条條章节節款页頁]"
    r"|(?<![\d.])[A-Za-z]+-?\d+(?:\.\d+)*|\bNo\.\s?\d+|#\d+|\b\d+(?:st|nd|rd|th)\b"
    r"|\b(?:Pier|Lot|Route|Gate|Room|Phase|Building|Block|Unit|Platform|Terminal|Exit|Line|Ward"
    r"|Zone|Section|Chapter|Article|Item|Part|Level|Floor|Stage|Grade|Highway|Interstate)\s\d+[A-Z]?\b"
    r"|(?<!\d)(?:0\d{2,3}[-\s]?\d{7,8}|1[3-9]\d{9}|\(\d{3}\)\s?\d{3}-\d{4}|\d{3}-\d{3}-\d{4})(?!\d)"
    r"|(?:邮编|郵編|邮政编码|郵政編碼)[:：]?\s?\d{6}"
    r"|\b\d{1,5}\s+(?:[A-Z][a-z]+\s+){1,3}(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard"
    r"|Lane|Ln|Drive|Dr|Way|Place|Pl|Square|Sq)\b\.?)",
)
_QUANTITY = re.compile(
    rf"{_NUM}|[一二两兩三四五六七八九十百千万萬亿億]+(?:多|余|餘)?[个個名人家场場次项項条條篇万萬亿億]"
)
_EVENT = re.compile(
    r"召开|召開|举行|舉行|举办|舉辦|成立|启动|啟動|开幕|開幕|闭幕|閉幕|开班|開班|结业|結業|开放|開放"
    r"|签约|簽約|发布|發布|公布|通过|通過|上路|完工|竣工|投用|开工|開工|开通|開通|揭牌|挂牌|掛牌"
    r"|上线|上線|施行|生效|开业|開業|开馆|開館|印发|印發|审议|審議|表决|表決|组建|組建|揭晓|揭曉"
    r"|\b(?:approved|launched|held|opened|signed|announced|voted|began|passed|elected|reopen(?:s|ed)?"
    r"|will (?:open|close|start|begin|hold|reopen|take effect)|takes effect|opens?\s+on|closes?\s+on"
    r"|(?:is|are|was|were)\s+(?:set|scheduled)\s+for)\b",
    re.I,
)
# Chinese facts are clauses, cut at commas, semicolons and colons (not inside `3,500` or
# `9:30`); English clauses after a comma rarely stand alone ("which let the city..."), so
# English facts are whole sentences, cut only at semicolons and dashes. A line break ends
# a clause in both.
_ZH_CLAUSE_BREAK = re.compile(r"[，；：;\n]|(?<!\d),|,(?!\s?\d)|(?<!\d):|:(?!\d)")
_EN_CLAUSE_BREAK = re.compile(r";|\s[—–]\s|\n")
# A clause that only frames the next one: `在…结业式上`, `该工程自2025年3月启动以来`.
_FRAME = re.compile(
    r"^(?:在|于|於|自|从|從|当|當|截至|截止|随着|隨著).*"
    r"(?:上|中|时|時|前|后|後|里|裏|内|內|间|間|厅|廳|馆|館|室|场|場|村|镇|鎮|乡|鄉|会|會|现场|現場)$"
    r"|(?:以来|以來|期间|期間|之际|之際|之时|之時)$"
)
_EN_CONJUNCTION = re.compile(r"(?:and|but|or|while|whereas)\s+(?=\S)", re.I)
_CATEGORY_WEIGHT: dict[FactCategory, float] = {
    "money": 1.0,
    "percent": 0.9,
    "event": 0.8,
    "number": 0.6,
    "date": 0.4,
}


# The engine asks for a sentence's category when it ranks it and again when it takes facts.
@lru_cache(maxsize=4096)
def categorize(clause: str) -> FactCategory | None:
    """The category a clause's quantity gives it, or None when it carries none."""
    if _is_money(clause):
        return "money"
    if _PERCENT.search(clause):
        return "percent"
    has_date = bool(_DATE.search(clause))
    if has_date and _EVENT.search(clause):
        return "event"
    if _QUANTITY.search(_NOT_MEASURES.sub(" ", _DATE.sub(" ", _unmarked(clause)))):
        return "number"
    return "date" if has_date else None


def _unmarked(clause: str) -> str:
    stripped = clause.lstrip()
    found = LIST_MARKER.match(stripped)
    return stripped[found.end() :] if found else stripped


def is_measured(sentence: str) -> bool:
    """Whether a sentence states an amount, a share or a count, not only a date."""
    return categorize(sentence) in ("money", "percent", "number")


def _is_money(clause: str) -> bool:
    if _MONEY.search(clause):
        return True
    for found in _POUNDS.finditer(clause):
        if _STERLING.search(clause):
            return True
        noun = found.group("noun")
        if noun is not None:
            if noun.lower() in _MONEY_NOUNS:
                return True
        elif _PAYING.search(clause) and not _WEIGHING.search(clause):
            return True
    return False


def extract_facts(text: str, sentences: list[Span], scores: list[float]) -> list[Fact]:
    found: list[tuple[float, Fact]] = []
    seen: set[str] = set()
    for index, sentence in enumerate(sentences):
        offset = sentence.start + prose_start(text[sentence.start : sentence.end])
        body = text[offset : sentence.end]
        zh = bool(HAN_RUN.search(body))
        if not body or not is_candidate(body, zh, measured=is_measured(body)):
            continue
        for start, end in _fact_windows(body, zh=zh):
            evidence = body[start:end]
            category = categorize(evidence)
            if category is None or evidence in seen or is_citation(evidence):
                continue
            seen.add(evidence)
            s, e = offset + start, offset + end
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
        while k + 1 < len(clauses) and _incomplete(sentence, clauses[j][0], clauses[k]):
            k += 1
        start, end = clauses[j][0], clauses[k][1]
        if sentence[:end].rstrip()[-1:] in ":：":
            continue  # `学员表示:`, `提出了主要目标：`: what follows is the fact, or a quote
        if (trimmed := _trim(sentence, start, end)) is not None:
            windows.append(trimmed)
            covered = end
    return windows


def _incomplete(sentence: str, start: int, last: tuple[int, int]) -> bool:
    """Whether a window needs the next clause: too short, or its last clause a frame."""
    if _too_short(sentence[start : last[1]]):
        return True
    return bool(_FRAME.search(sentence[last[0] : last[1]].strip().rstrip(" ，,；;：:、")))


def _trim(sentence: str, start: int, end: int) -> tuple[int, int] | None:
    """The window without the spaces, clause marks, list marker or `and` at its edges."""
    text = sentence[start:end]
    lead = len(text) - len(text.lstrip())
    for opener in (LIST_MARKER, _EN_CONJUNCTION):
        if found := opener.match(text, lead):
            lead = found.end()
    trail = len(text.rstrip(" \n，,；;：:、"))
    return (start + lead, start + trail) if trail > lead else None


def _too_short(clause: str) -> bool:
    """Whether a clause needs its neighbour to make sense; a bare date always does."""
    rest = _DATE.sub("", clause).strip()
    if HAN_RUN.search(clause):
        return len(rest) < 10
    return len(rest.split()) < 6
