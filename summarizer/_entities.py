"""Named entities without a model: candidates found by rules, kept when `_names` agrees.

Chinese people come after a title or before a speech verb (or before their title: 黄军书记);
organisations and places end in a type suffix, and their start is found by walking left to
a boundary, then cutting after the last verb, time word or count before the suffix
(指导白沙镇组建白沙商会 → 白沙商会, 西林镇桃源村 → 桃源村). A gazetteer's names are
candidates too (上海, 日本). English candidates are capitalised runs, cut after their last
type word (Oak Ridge School Board | Delays Vote), places a gazetteer lists, and people after
titles or around "said". Every candidate then goes through `_names.resolve` (checked,
located, short and full names merged), and a name mentioned only inside a longer one
(臺北市 in 臺北市政府社會局) is dropped. Deterministic, like the rest of the offline engine.
"""

from __future__ import annotations

import functools
import re

from summarizer import _gazetteers as gazetteers
from summarizer import _identity as identity
from summarizer import _kinds as kinds
from summarizer import _names as names
from summarizer._language import chinese_script
from summarizer._schemas import Entities
from summarizer._scripts import HAN, is_han


def extract_entities(text: str, zh: bool, *, language: str | None = None) -> Entities:
    """The schema's kinds of names (`Entities` fields); a kind these rules propose no
    candidates for comes out empty. `language`, the text's as `_language.detect` tells it,
    spares telling its script again."""
    language = language or (chinese_script(text) if zh else "en")
    proposed = _zh_candidates(text, language == "zh-Hant") if zh else _en_candidates(text)
    found = {
        kind: names.resolve(dict.fromkeys(proposed.get(kind, [])), kind, text, language).entities
        for kind in Entities.model_fields
    }
    persons = [kind for kind in found if kinds.KIND_RULES[kind].person]
    for kind in persons if not zh else []:  # a surname alone names someone once given in full
        found[kind] = [e for e in found[kind] if any(" " in f for f in e.forms)]
    people = {f for kind in persons for e in found[kind] for f in e.forms}
    people |= {f.split()[-1] for f in people}  # Lopez of Maria Lopez is no place
    found = {k: [e for e in es if k in persons or e.name not in people] for k, es in found.items()}
    return identity.as_entities(identity.standalone(found))


# --- Chinese -------------------------------------------------------------------------------------
# All rules read a simplified copy of the text (same length, so its offsets are the text's).

_TITLES = "|".join(kinds.ZH_TITLES)
_SPEECH = (
    "表示|说|指出|介绍|认为|称|强调|坦言|透露|告诉|提到|呼吁|坦承|回忆|建议|希望|谈到|解释|补充|承诺|"
    "宣布|说明|回应|表态|证实|否认|感叹|笑称|直言|发言|致辞|要求|提出|主持|出席|带队|调研"
)
_AFTER_NAME = rf"(?={_SPEECH}|[在正也还就等和与的被曾已将对向今]|[，,。：:、；\s）)”」]|$)"
_SURNAME = f"[{kinds.SURNAMES}]"
_TITLE_FIRST = "".join(sorted({t[0] for t in kinds.ZH_TITLES}))
_ZH_PERSON = re.compile(  # the lookahead first: re tries the titles' alternation less often
    rf"(?=[{_TITLE_FIRST}])(?:{_TITLES})[ \t\u3000]*({_SURNAME}[{HAN}]{{1,2}}?){_AFTER_NAME}"
    rf"|(?:^|(?<=[，,。：:、；\s（(“「]))({_SURNAME}[{HAN}]{{1,2}}?)(?:{_TITLES})(?={_SPEECH}|[，,。：:\s])",
    re.M,
)
# What a suffix's last character may not be followed by, since it then begins another word:
# 部长, 会员, 社会, 所以, 办理, 县城, 镇办, 乡村.
_ORG_NOT_BEFORE = {
    "局": "长面势限级", "委": "员托屈婉派长", "部": "长门分属队署落位级", "办": "理法事公学好结成妥实",
    "会": "长员议谈面计务场诊见商上同签聚", "院": "长士子落线", "校": "长园友风舍际外内区",
    "学": "生童期年习会院者科术历位区",
    "所": "长以有在得属", "厅": "长", "署": "长名", "站": "长点台", "社": "长会交保科区团员福工",
    "馆": "长藏员", "处": "长理于在置",
}  # fmt: skip
_PLACE_NOT_BEFORE = (
    "生委长级场民政府直属内外域里情城干办党镇乡区县市际间别分块位划面值集容庄落寨道中村"
)
_BOUNDARY = frozenset(
    "在于到赴向从与及是由的对为据将把被给让请等、了并也就还又而但或即若虽因已含以"
)
_AND = "和"  # a boundary too, except before a suffix: 云和区, 云和县
# Linking words that end one name and begin the next only after a name's suffix:
# 县商务局联合县人社局, 县教育局和县城投公司 (but 云和区, 联合医院); or before a level: 将联合县商务局.
_LINKS = re.compile(
    f"(?<=[局委部办会院校所厅署站社馆处司团心学行省市县区镇乡村州旗])(?:{'|'.join(kinds.ZH_LINKS)}|和|同)"
    f"|(?:{'|'.join(kinds.ZH_LINKS)})(?=[省市县区镇乡村])"
)
_TIME_WORDS = """去年 今年 明年 前年 全年 上年 日前 近日 目前 当前 此前 近年 上午 下午 昨日 今日 明日 昨天 今天
明天 近期 年底 年初 同时 此外 其中 至此 以来 期间 按时 及时 平均 新增 累计 合计 总计 共计""".split()
_MEASURES = "个家所座名处条项批位届次"
_AFTER_DIGITS = _MEASURES + "年月日号岁"
# 快递进村, 从省城回乡: one character does it before a place.
_PLACE_VERBS = re.compile("[进到去往赴至返回入驻住]")
_VERB = re.compile("|".join(sorted(kinds.ZH_VERBS, key=len, reverse=True)))
_OTHER_CUT = re.compile(
    "|".join(_TIME_WORDS) + f"|[一二三四五六七八九十百千万两几数多]+[{_MEASURES}]"
)
_INNER_PLACE = re.compile("[省市县区镇乡村州旗]")


def _suffix_pattern(suffixes: list[str], not_before: dict[str, str] | str) -> re.Pattern[str]:
    def one(suffix: str) -> str:
        chars = not_before if isinstance(not_before, str) else not_before.get(suffix[-1], "长")
        return f"{suffix}(?![{chars}])"

    return re.compile("|".join(one(s) for s in sorted(suffixes, key=len, reverse=True)))


_ORG_SUFFIX = _suffix_pattern(list(kinds.KIND_RULES["organizations"].suffixes_zh), _ORG_NOT_BEFORE)
_PLACE_SUFFIX = _suffix_pattern(list(kinds.KIND_RULES["places"].suffixes_zh), _PLACE_NOT_BEFORE)
_ORG_LIMIT, _PLACE_LIMIT = 14, 8
# 里 as a Traditional text writes a neighbourhood (松鶴里, 松鶴里里長), not 里長, 里民 or 里程.
_TRADITIONAL_PLACE_SUFFIX = re.compile("里(?![長长民辦办程數数鄰邻])")


def _zh_candidates(text: str, traditional: bool) -> dict[str, list[str]]:
    simple = names.simplified(text)
    people = [m.span(1) if m.group(1) else m.span(2) for m in _ZH_PERSON.finditer(simple)]
    orgs = [_named_before(simple, m, _ORG_LIMIT) for m in _last_suffixes(_ORG_SUFFIX, simple)]
    suffixes = [*_last_suffixes(_PLACE_SUFFIX, simple)]
    suffixes += [*_TRADITIONAL_PLACE_SUFFIX.finditer(text)] if traditional else []
    places = [_named_before(simple, m, _PLACE_LIMIT, place=True) for m in suffixes]
    found: dict[str, list[tuple[int, int] | None]] = {
        "people": [*people],
        "organizations": orgs,
        "places": [*places, *_listed(simple)],
    }
    return {kind: [text[s[0] : s[1]] for s in spans if s] for kind, spans in found.items()}


def _continues(simple: str, i: int) -> bool:
    """Whether the name may reach back over `simple[i]`."""
    ch = simple[i]
    if not is_han(ch) or ch in _BOUNDARY:
        return False
    return ch != _AND or simple[i + 1] in "省市县区镇乡村州旗"


def _last_suffixes(pattern: re.Pattern[str], simple: str) -> list[re.Match[str]]:
    """Suffix matches, leaving out one another suffix directly follows (社 of 社会局)."""
    found = list(pattern.finditer(simple))
    starts = {m.start() for m in found}
    return [m for m in found if m.end() not in starts]


def _named_before(
    simple: str, suffix: re.Match[str], limit: int, *, place: bool = False
) -> tuple[int, int] | None:
    """The span of the name ending in `suffix`: left to a boundary (at most `limit`
    characters), then cut after the last verb, link, time word or count before the suffix.
    A cut that leaves the suffix alone leaves no name, except after a verb in an
    organisation's (组织部, 建设局: the office of that work)."""
    end, at = suffix.end(), suffix.start()
    start = at
    while start > 0 and end - start < limit and _continues(simple, start - 1):
        start -= 1
    bounded = start == 0 or end - start < limit
    if start > 0 and simple[start - 1].isdigit() and simple[start] in _AFTER_DIGITS:
        start += 1  # 12家乡镇卫生院, 2025年青岚县: a count or a date, then the noun
    cuts = [(m.end(), m.start(), True) for m in _VERB.finditer(simple, start, at)]
    others = [_LINKS, _OTHER_CUT, *([_PLACE_VERBS] if place else [])]
    cuts += [(m.end(), m.start(), False) for p in others for m in p.finditer(simple, start, at)]
    if not cuts and not bounded:
        return None  # no start in sight: without word segmentation, better no name
    if cuts:
        cut, verb_start, verb = max(cuts)
        if cut < at:
            start = cut
        elif verb and not place:
            start = verb_start
        else:
            return None
    if place:  # 西林镇桃源村, 浙江省宁波市, 日本静冈县: the last place of a run
        inner = [m.end() for m in _INNER_PLACE.finditer(simple, start, at - 2)]
        places = gazetteers.chinese_places()  # `simple` is simplified: no converting again
        listed = [start + n for n in (2, 3, 4) if simple[start : start + n] in places]
        start = max([start, *inner, *(i for i in listed if i <= at - 2)])
    return (start, end) if end - start >= 2 else None


def _listed(simple: str) -> list[tuple[int, int]]:
    """Gazetteer names (上海, 日本) that start after a boundary, a verb or punctuation."""
    places = gazetteers.chinese_places()
    if not places:
        return []
    first = _first_chars(places)
    verb_ends = {m.end() for m in _VERB.finditer(simple)}
    starts = {m.start() for m in _free_starts(places).finditer(simple)}
    starts.update(i for i in verb_ends if i < len(simple) and simple[i] in first)
    found = []
    for i in sorted(starts):
        for size in (4, 3, 2):
            if simple[i : i + size] in places:
                found.append((i, i + size))
                break
    return found


@functools.cache
def _first_chars(places: frozenset[str]) -> frozenset[str]:
    return frozenset(name[0] for name in places)


@functools.cache
def _free_starts(places: frozenset[str]) -> re.Pattern[str]:
    """A place's first character where no Han character but a boundary comes before it:
    a regex, since a loop over every character cost 16 ms a 40 KB document."""
    firsts = "".join(sorted(_first_chars(places)))
    boundary = "".join(sorted(_BOUNDARY))
    return re.compile(f"(?:(?<![{HAN}])|(?<=[{re.escape(boundary)}]))[{re.escape(firsts)}]")


# --- English -------------------------------------------------------------------------------------

_CAP = r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*"
_RUN = re.compile(
    rf"(?:(?:St|Ft|Mt)\.[ \t]+)?{_CAP}(?:[ \t]+(?:(?:of|for|the|de|du|la|van|von)[ \t]+)*(?:(?:St|Ft|Mt)\.[ \t]+)?{_CAP})*"
)
_EN_PERSON = re.compile(
    rf"\b(?:{kinds.EN_TITLE})\.?[ \t]+((?:[A-Z]\.[ \t]+)?{_CAP}(?:[ \t]+{_CAP})?)\b"
    rf"|\b({_CAP}(?:[ \t]+{_CAP})?),?[ \t]+(?:said|says|told|added|explained|noted|argued|asked|wrote|warned|agreed)\b"
    rf"|\b(?:said|says|according[ \t]+to)[ \t]+({_CAP}[ \t]+{_CAP})\b"
    rf"|\b({_CAP}[ \t]+{_CAP})(?:,[ \t]+who\b|[ \t]+of[ \t]+the\b)"
)
_DATELINE = re.compile(r"^([A-Z]{3,}(?:[ \t]+[A-Z]{3,})*)[ \t]*(?:—|–|-{1,2})[ \t]", re.M)


def _en_candidates(text: str) -> dict[str, list[str]]:
    people = [next(g for g in m.groups() if g) for m in _EN_PERSON.finditer(text)]
    orgs: list[str] = []
    places = [m.group(1).title() for m in _DATELINE.finditer(text)]
    org_rule, place_rule = kinds.KIND_RULES["organizations"], kinds.KIND_RULES["places"]
    heads = org_rule.heads_en | place_rule.heads_en | org_rule.suffixes_en | place_rule.suffixes_en
    for run in _RUN.finditer(text):
        for words in _segments(run.group().split(), heads):
            orgs += _typed(words, org_rule)
            places += _typed(words, place_rule)
            places += _listed_prefix(words)
    return {"people": people, "organizations": orgs, "places": places}


def _segments(words: list[str], heads: frozenset[str]) -> list[list[str]]:
    """A run split at each "of" that no type word heads ("Jamal Reed | of the Toronto
    Transit Riders Association"), leading stop words and connectors dropped."""
    segments: list[list[str]] = [[]]
    for i, word in enumerate(words):
        if word == "of" and (i == 0 or words[i - 1].lower() not in heads):
            segments.append([])
        else:
            segments[-1].append(word)
    out = []
    for segment in segments:
        while segment and (segment[0].lower() in kinds.STOPWORDS or segment[0].islower()):
            segment = segment[1:]
        if segment:
            out.append(segment)
    return out


def _typed(words: list[str], rule: kinds.KindRule) -> list[str]:
    """The name a run's last type word of this kind closes: "Oak Ridge School Board" of
    "Oak Ridge School Board Delays Vote"; through an "of" after it (Department of Health)."""
    found = []
    if len(words) > 1 and words[0].lower() in rule.prefixes_en:
        found.append(" ".join(words[:2]))
    typed = [
        i for i in range(1, len(words)) if words[i] != "of" and kinds.en_typed(words[: i + 1], rule)
    ]
    headed = [
        i for i, w in enumerate(words[:-1]) if w.lower() in rule.heads_en and words[i + 1] == "of"
    ]
    if headed:  # Ohio Department of Education: through the "of" phrase
        found.append(" ".join(words))
    elif typed:
        found.append(" ".join(words[: typed[-1] + 1]))
    return found


def _listed_prefix(words: list[str]) -> list[str]:
    """The longest start of a run that a gazetteer lists (Ontario of "Ontario Approves")."""
    for size in (3, 2, 1):
        name = " ".join(words[:size])
        if len(words) >= size and gazetteers.is_place(name):
            return [name]
    return []
