"""The offline engine: summary, key points, facts and entities without a model.

It runs when no model is configured, so the main job works on a fresh machine with no
network. Sentences are ranked by centrality in a similarity graph (TextRank) over
character bigrams for Chinese and content words for English, with a prior that favours
early sentences, as news puts its lede first. Facts are the clauses that carry money,
percentages, dates or counts; their evidence is a span of the cleaned text by
construction. Everything is deterministic: same text, same result.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from summarizer._language import is_chinese
from summarizer._schemas import Entities, Fact, FactCategory
from summarizer._scripts import HAN, is_han
from summarizer._sentences import Span, split_sentences

_MAX_GRAPH = 400  # sentences; beyond this, centrality against the centroid is used instead
_MAX_FACTS = 12
_KEY_POINT_CHARS = {"zh": 90, "en": 220}


@dataclass(frozen=True)
class Extract:
    summary: str
    key_points: list[str]
    facts: list[Fact]
    entities: Entities


def summarize(text: str, language: str) -> Extract:
    """Summarize cleaned text; `language` is a tag from `summarizer._language.detect`."""
    zh = is_chinese(language)
    sentences = split_sentences(text)
    features = [_features(text[s.start : s.end], zh) for s in sentences]
    scores = _rank(features)
    candidates = [i for i, s in enumerate(sentences) if _is_candidate(text[s.start : s.end], zh)]
    if len(candidates) < 3:
        candidates = [i for i, s in enumerate(sentences) if i > 0 or len(sentences) == 1]
    ranked = sorted(candidates, key=lambda i: (-scores[i], i))
    summary_ids = _pick_summary(text, sentences, ranked, zh)
    rest = [i for i in ranked if i not in summary_ids]
    pool = rest if len(rest) >= 3 else ranked
    point_ids = _pick_points(pool, features, max(3, min(7, round(len(candidates) / 5))))
    return Extract(
        summary=_join(
            [text[sentences[i].start : sentences[i].end] for i in sorted(summary_ids)], zh
        ),
        key_points=[
            _shorten(text[sentences[i].start : sentences[i].end], zh) for i in sorted(point_ids)
        ],
        facts=extract_facts(text, sentences, scores),
        entities=extract_entities(text, zh),
    )


# --- ranking -----------------------------------------------------------------------------

_EN_STOP = frozenset(
    "a an the and or but if of to in on at by for with from as is are was were be been "
    "being it its this that these those he she they we you i his her their our your them "
    "him us has have had do does did not no so than then there here which who whom what "
    "when where will would can could should may might must also into over after before "
    "about more most said says per up out new one two".split()
)
_WORD = re.compile(r"[a-z][a-z'-]+|\d+(?:[.,]\d+)*")
_HAN_RUN = re.compile(f"[{HAN}]+")


def _features(sentence: str, zh: bool) -> Counter[str]:
    if zh:
        grams: Counter[str] = Counter()
        for run in _HAN_RUN.findall(sentence):
            grams.update(run[i : i + 2] for i in range(len(run) - 1))
        grams.update(_WORD.findall(sentence.lower()))
        return grams
    words = [w.rstrip("s") if len(w) > 4 else w for w in _WORD.findall(sentence.lower())]
    return Counter(w for w in words if w not in _EN_STOP)


def _rank(features: list[Counter[str]]) -> list[float]:
    n = len(features)
    if n == 0:
        return []
    df: Counter[str] = Counter()
    for f in features:
        df.update(f.keys())
    vectors = []
    for f in features:
        vec = {t: (1 + math.log(c)) * math.log(1 + n / df[t]) for t, c in f.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors.append({t: v / norm for t, v in vec.items()})
    prior = [1 / math.sqrt(1 + i) for i in range(n)]
    total = sum(prior)
    prior = [p / total for p in prior]
    if n > _MAX_GRAPH:
        centroid: defaultdict[str, float] = defaultdict(float)
        for vec in vectors:
            for t, v in vec.items():
                centroid[t] += v
        sims = [sum(v * centroid[t] for t, v in vec.items()) for vec in vectors]
        top = max(sims) or 1.0
        return [0.8 * s / top + 0.2 * p / prior[0] for s, p in zip(sims, prior, strict=True)]
    postings: defaultdict[str, list[tuple[int, float]]] = defaultdict(list)
    for i, vec in enumerate(vectors):
        for t, v in vec.items():
            postings[t].append((i, v))
    weights: list[defaultdict[int, float]] = [defaultdict(float) for _ in range(n)]
    for plist in postings.values():
        for a, va in plist:
            for b, vb in plist:
                if a != b:
                    weights[a][b] += va * vb
    out_sum = [sum(w.values()) for w in weights]
    score = prior[:]
    for _ in range(40):
        new = [0.15 * p for p in prior]
        for a in range(n):
            if out_sum[a] == 0:
                for b in range(n):
                    new[b] += 0.85 * score[a] * prior[b]
                continue
            share = 0.85 * score[a] / out_sum[a]
            for b, w in weights[a].items():
                new[b] += share * w
        score = new
    return score


def _is_candidate(sentence: str, zh: bool) -> bool:
    if sentence[-1:] not in "。！？!?.…”」』\"'":
        return False
    if zh:
        return sum(len(run) for run in _HAN_RUN.findall(sentence)) >= 12
    return len(sentence.split()) >= 6


def _pick_summary(text: str, sentences: list[Span], ranked: list[int], zh: bool) -> set[int]:
    target = 220 if zh else 600
    chosen: set[int] = set()
    length = 0
    for i in ranked[:3]:
        size = sentences[i].end - sentences[i].start
        if chosen and length + size > target:
            break
        chosen.add(i)
        length += size
    return chosen


def _pick_points(pool: list[int], features: list[Counter[str]], k: int) -> list[int]:
    chosen: list[int] = []
    for i in pool:
        if len(chosen) == k:
            break
        if all(_overlap(features[i], features[j]) < 0.5 for j in chosen):
            chosen.append(i)
    return chosen


def _overlap(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    shared = sum((a & b).values())
    return shared / min(sum(a.values()), sum(b.values()))


def _join(parts: list[str], zh: bool) -> str:
    return ("" if zh else " ").join(parts)


def _shorten(sentence: str, zh: bool) -> str:
    limit = _KEY_POINT_CHARS["zh" if zh else "en"]
    if len(sentence) <= limit:
        return sentence
    cut = max(sentence.rfind(c, 0, limit) for c in ("，", ",", "；", ";", "、"))
    if cut < limit // 2:
        cut = sentence.rfind(" ", 0, limit) if not zh else limit
    return sentence[:cut].rstrip(" ，,；;、") + "…"


# --- facts -------------------------------------------------------------------------------

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
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_DATE = re.compile(
    rf"\d{{4}}\s?年(?:\s?\d{{1,2}}\s?月(?:\s?\d{{1,2}}\s?[日号號])?)?"
    rf"|\d{{1,2}}\s?月\s?\d{{1,2}}\s?[日号號]|\d{{1,2}}\s?月(?![\d个個])"
    rf"|\d{{4}}-\d{{1,2}}-\d{{1,2}}"
    rf"|\b(?:{_MONTHS}|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,\s*\d{{4}})?\b"
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
        zh = bool(_HAN_RUN.search(body))
        if not _is_candidate(body, zh):
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
    if _HAN_RUN.search(clause):
        return len(rest) < 10
    return len(rest.split()) < 6


# --- entities ----------------------------------------------------------------------------

_SURNAMES = (
    "王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何高林罗羅郑鄭梁谢謝宋唐许許韩韓冯馮邓鄧曹彭曾肖"
    "田董袁潘于蒋蔣蔡余杜叶葉程苏蘇魏吕呂丁任沈姚卢盧姜崔钟鍾谭譚陆陸汪范金石廖贾賈夏韦韋付方白邹鄒孟熊"
    "秦邱江尹薛闫閻段雷侯龙龍史陶黎贺賀顾顧毛郝龚龔邵万萬钱錢严嚴覃武戴莫孔向汤湯常温溫康施文牛樊葛邢安"
    "齐齊易乔喬伍庞龐颜顏倪庄莊聂聶章鲁魯岳翟殷詹申欧歐耿关關兰蘭焦俞左柳甘祝包宁寧尚符舒阮柯纪紀梅童凌"
    "毕畢单單季裴霍涂成苗谷盛曲翁冉骆駱蓝藍路游辛靳管柴蒙鲍鮑华華喻祁蒲房滕屈饶饒解牟艾尤阳陽时時穆农農司"
    "卓古吉缪繆简簡车車项項连連芦蘆麦麥褚娄婁窦竇戚岑景党黨宫宮费費卜冷晏席卫衛米柏宗瞿桂全佟应應臧闵閔"
)
_TITLES = (
    "县长|縣長|市长|市長|区长|區長|副区长|副區長|镇长|鎮長|乡长|鄉長|村长|村長|书记|書記|主席|局长|局長|部长|部長|"
    "馆长|館長|会长|會長|团长|團長|监事长|監事長|校长|校長|院长|院長|主任|经理|經理|董事长|董事長|教授|委员|委員|"
    "代表|站长|站長|里长|里長|理事长|理事長|队长|隊長|厅长|廳長|处长|處長|科长|科長|秘书长|秘書長|"
    "茶农|茶農|农民|農民|村民|居民|市民|教师|教師|医生|醫生|志工|志愿者|志願者|长者|長者|阿嬤|阿公|记者|記者"
)
_SPEECH = r"(?=表示|说|說|指出|介绍|介紹|认为|認為|称|稱|强调|強調|坦言|透露|告诉|告訴|提到|呼吁|呼籲|被|等|[，,。：:、\s）)])"
_ZH_PERSON = re.compile(rf"(?:{_TITLES})([{_SURNAMES}][{HAN}]{{1,2}}?){_SPEECH}")
_ZH_ORG_SUFFIX = re.compile(
    "(?:委员会|委員會|联谊会|聯誼會|联合会|聯合會|协会|協會|商会|商會|基金会|基金會|研究院|图书馆|圖書館|党校|黨校|"
    "大学|大學|学院|學院|医院|醫院|银行|銀行|公司|集团|集團|公所|统战部|統戰部|宣传部|宣傳部|组织部|組織部|"
    "农村局|農村局|旅游局|旅遊局|社会局|社會局|[^\\W\\d_局]{2}局|新联会|新聯會|新阶联|新階聯|合作社)(?![门門长長分])"
)
_ZH_PLACE_SUFFIX = re.compile(
    r"(?:省|市|县|縣|区|區|镇|鎮|乡|鄉|村|州)(?![委长長级級场場民政直属屬内內])"
)
_NOT_PLACE_ZH = re.compile(
    r"上市$|(?:农|農|乡|鄉|山|城|县|縣|区|區|进|進)村$|[返回下园園工强強山城郊][乡鄉县縣区區镇鎮]$|^[农農]"
)
_BOUNDARY_CHARS = set("在于於到赴向从從和与與及同是由的对對为為经經据據将將把被给給让讓请請等合、")
# Characters that start verb phrases or counts, not names: "建成乡", "充分发挥联谊会".
_BAD_FIRST = re.compile(
    "^[年月日个個其全该該本各每这這那此使让讓引帮幫助推建进進返回处處目配充第今去争爭一二三四五六七八九十两兩]"
)
_ADMIN_FIRST = re.compile("^[乡鄉村镇鎮]")
_NOT_ORG = re.compile(r"大局$|格局$|局面|布局$|全局$|结局$|結局$|当局$|當局$|新局$|开局$|開局$")


def extract_entities(text: str, zh: bool) -> Entities:
    return _zh_entities(text) if zh else _en_entities(text)


def _zh_entities(text: str) -> Entities:
    people = Counter(m.group(1) for m in _ZH_PERSON.finditer(text))
    orgs: Counter[str] = Counter()
    for m in _ZH_ORG_SUFFIX.finditer(text):
        name = _extend_left(text, m.start(), m.end(), limit=12)
        bad = _NOT_ORG.search(name) or _BAD_FIRST.match(name) or _ADMIN_FIRST.match(name)
        if len(name) > len(m.group()) and len(name) >= 3 and not bad:
            orgs[name] += 1
    places: Counter[str] = Counter()
    for m in _ZH_PLACE_SUFFIX.finditer(text):
        name = _extend_left(text, m.start(), m.end(), limit=5)
        bad = _NOT_PLACE_ZH.search(name) or _BAD_FIRST.match(name) or _ADMIN_FIRST.match(name)
        if 3 <= len(name) <= 5 and not bad and not re.match("^[省市县縣区區]", name):
            places[name] += 1
    return Entities(people=_top(people), organizations=_top(orgs), places=_top(places))


def _extend_left(text: str, start: int, end: int, *, limit: int) -> str:
    """The name ending at `end`, or "" when no clear left boundary is within `limit`.

    Without word segmentation a name's start is unknowable in general; demanding a
    boundary (punctuation or a preposition-like character) trades recall for precision.
    """
    begin = start
    while begin > 0 and end - begin < limit:
        ch = text[begin - 1]
        if not is_han(ch) or ch in _BOUNDARY_CHARS:
            return text[begin:end]
        begin -= 1
    return text[begin:end] if begin == 0 else ""


_EN_TITLE = (
    r"(?:Dr|Mr|Mrs|Ms|Prof|Mayor|Councilmember|Councilwoman|Councilman|Council Member|Senator|Sen|"
    r"Rep|Gov|Governor|President|Director|Chief|Commissioner|Judge|Manager|Chair|Chairwoman|Chairman|Superintendent)"
)
_CAP = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
_SP = r"[ \t]+"
_EN_PERSON = re.compile(
    rf"\b{_EN_TITLE}\.?{_SP}((?:{_CAP}{_SP})?{_CAP})\b"
    rf"|\b({_CAP}{_SP}{_CAP}),?{_SP}(?:said|says|told|added|explained|noted)\b"
    rf"|\b(?:said|says){_SP}({_CAP}{_SP}{_CAP})\b"
)
_EN_ORG = re.compile(
    rf"\b((?:{_CAP}{_SP})(?:(?:of|and|for|the|on){_SP}|{_CAP}{_SP})*?"
    r"(?:Council|Department|Agency|Committee|Commission|Authority|Board|University|College|Institute|"
    r"Association|Bank|Company|Corporation|Inc|Corp|Group|Foundation|Ministry|Office|Bureau|Herald|Times|"
    r"Pantry|Library|Hospital|School|District|Club|Union|Society))\b"
)
_EN_PLACE = re.compile(rf"\b(?:in|at|from|near|to){_SP}((?:{_CAP}{_SP})?[A-Z][a-z]{{2,}})\b(?!\.)")
_NOT_PLACE = frozenset(
    f"""{_MONTHS} monday tuesday wednesday thursday friday saturday sunday the a this that city hall
    council department english chinese""".split()
)
_EN_LEADING_NOISE = re.compile(r"^(?:The|A|An|This|That|Our|Its|Their|His|Her)\s+")


def _en_entities(text: str) -> Entities:
    people: Counter[str] = Counter()
    for m in _EN_PERSON.finditer(text):
        people[next(g for g in m.groups() if g)] += 1
    orgs = Counter(_EN_LEADING_NOISE.sub("", m.group(1)) for m in _EN_ORG.finditer(text))
    places: Counter[str] = Counter()
    for m in _EN_PLACE.finditer(text):
        name = m.group(1)
        words = name.lower().split()
        if any(w in _NOT_PLACE for w in words) or any(name in o for o in orgs):
            continue
        if name in people or any(name in p for p in people):
            continue
        places[name] += 1
    return Entities(people=_top(people), organizations=_top(orgs), places=_top(places))


def _top(counter: Counter[str], limit: int = 10) -> list[str]:
    # Counter.most_common keeps first-seen order among equal counts.
    names = [name for name, _ in counter.most_common()]
    kept = [n for n in names if not any(n != other and n in other for other in names)]
    return kept[:limit]
