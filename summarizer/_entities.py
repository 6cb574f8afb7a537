"""Named entities without a model: people, organisations and places found by rules.

Chinese names come from a surname list after a title or before a speech verb, organisations
and places from their suffixes; English ones from capitalised runs after titles and
prepositions. Deterministic, like the rest of the offline engine.
"""

from __future__ import annotations

import re
from collections import Counter

from summarizer._facts import MONTHS
from summarizer._schemas import Entities
from summarizer._scripts import HAN, is_han

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
    f"""{MONTHS} monday tuesday wednesday thursday friday saturday sunday the a this that city hall
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
