"""Names: whether a string is a name of a kind, and where the text mentions it.

Facts are checked against the source in code; so are names, here, whoever proposed them (a
model's entity lists, the offline rules' candidates). A person is a name's shape: 2–4 Han
characters from a surname, or capitalised words that are not common ones. An organisation
or a place ends in a type suffix (局, 商会, 镇; Council, County) or is listed by a gazetteer.
Nothing starts with a verb, ends with punctuation, holds a list mark or a quote, or runs on
as a topic phrase. Each rejection names its reason, so rejections can be counted.

A name is checked in the document's Chinese script, located (`_mentions`, so width and
script variants are found), and merged with its other forms: a short name (区委统战部) with
its full one (淄川区委统战部), "Riverton Council" with "Riverton City Council", "Chen" with
"Daniel Chen". The rules of each kind are data (`KIND_RULES`), so a schema with another
kind adds a `KindRule` rather than code.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from summarizer import _gazetteers as gazetteers
from summarizer import _kinds as kinds
from summarizer._identity import Entity, merge
from summarizer._kinds import KIND_RULES, KindRule
from summarizer._language import chinese_script, converter
from summarizer._mentions import mentions
from summarizer._schemas import SourceSpan
from summarizer._scripts import HAN, HAN_CHAR, is_han

_CAP_WORD = re.compile(r"(?:[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*|[A-Z]\.|(?:Mc|Mac|O')[A-Z][a-z]+)$")
_EN_LEADING_TITLES = re.compile(rf"^(?:(?:[A-Z][a-z]+[ \t]+)?(?:{kinds.EN_TITLE})\.?[ \t]+)+")
_LEADING_ARTICLE = re.compile(r"^(?:The|the|A|An)\s+")
_ABBREVIATION_END = re.compile(r"\b(?:Inc|Ltd|Co|Corp|Jr|Sr|St|Bros|Mt|Ft)\.$")
_QUOTES = frozenset('"“”„‟「」『』《》〈〉«»')


@dataclass(frozen=True)
class Verdict:
    """A proposed name as the document would write it, and why it is not one, if it is not."""

    name: str
    reason: str | None = None


@dataclass(frozen=True)
class Resolution:
    """The names of one kind that held, and how many were turned away, by reason."""

    entities: list[Entity]
    rejected: Counter[str]


def simplified(text: str) -> str:
    """`text` in simplified script, character for character (offsets stay valid)."""
    convert = converter("t2s").convert
    out = convert(text)
    if len(out) != len(text):  # a phrase conversion changed the length: go char by char
        out = "".join(convert(ch) or ch for ch in text)
    return str(out)


def to_script(name: str, language: str, text: str = "") -> str:
    """`name` in the document's Chinese script (OpenCC); other languages unchanged.

    With the document given, a character is changed only where the document does not write
    it as it is: 农會 becomes 農會 beside 農業, while 里 stays 里 (OpenCC would make it 裏)
    and 群 stays 群 (羣).
    """
    if language not in ("zh-Hans", "zh-Hant"):
        return name
    convert = converter("s2t" if language == "zh-Hant" else "t2s").convert
    whole = str(convert(name))
    if not text:
        return whole if language == "zh-Hant" else simplified(name)
    # Phrase by phrase where OpenCC keeps the length (头发 → 頭髮, not 頭發), else by character.
    others = whole if len(whole) == len(name) else [str(convert(ch)) for ch in name]
    present = _characters(text)
    out = []
    for ch, other in zip(name, others, strict=True):
        keep = len(other) != 1 or (ch in present and other not in present)
        out.append(ch if keep else other)
    return "".join(out)


@lru_cache(maxsize=8)
def _characters(text: str) -> frozenset[str]:
    return frozenset(text)


def person_part(name: str) -> str:
    """The name in a person's mention that carries a title: 记者 林雅婷 → 林雅婷, 黄军书记 →
    黄军, Mayor Alicia Romero → Alicia Romero."""
    if HAN_CHAR.search(name):
        squashed = re.sub(r"\s+", "", name)
        simple = simplified(squashed)
        titles = "|".join(kinds.ZH_TITLES)
        match = re.fullmatch(rf"(?:.*(?:{titles}))?(.+?)(?:{titles})?", simple)
        return squashed[match.start(1) : match.end(1)] if match else squashed
    return _EN_LEADING_TITLES.sub("", name)


def judge(
    name: str,
    kind: str,
    language: str,
    *,
    text: str = "",
    rules: Mapping[str, KindRule] = KIND_RULES,
) -> Verdict:
    """Why `name` is not a `kind` in this document, if it is not; the name as it would be
    written either way.

    A title is dropped from a person (记者 林雅婷), a leading "The" from the rest; the name is
    put in the document's Chinese script and checked after that, so a simplified character
    in a traditional result is fixed rather than passed on.
    """
    cleaned = _squash(name)
    cleaned = person_part(cleaned) if rules[kind].person else _LEADING_ARTICLE.sub("", cleaned)
    cleaned = to_script(cleaned, language, text)
    return Verdict(cleaned, check(cleaned, kind, text=text, rules=rules))


def check(
    name: str, kind: str, *, text: str = "", rules: Mapping[str, KindRule] = KIND_RULES
) -> str | None:
    """Why `name`, exactly as given, is not a name of `kind`, or None when it is.

    `text` (the document) lets an English check see words it also writes in lower case, the
    mark of a common word capitalised at the start of a sentence or in a headline.
    """
    rule = rules[kind]
    reason = _common(name)
    if reason is not None:
        return reason
    if HAN_CHAR.search(name):
        if rule.person:
            return _zh_person(name, rules)
        return _zh_named(simplified(name), rule, _traditional_suffix(name, rule, text))
    return _en_person(name, text, rules) if rule.person else _en_named(name, rule, text, rules)


def _squash(name: str) -> str:
    """Whitespace collapsed, and dropped next to Han characters (嵐溪區 新聯會)."""
    spaced = " ".join(name.split())
    return re.sub(f"(?<=[{HAN}]) | (?=[{HAN}])", "", spaced)


def _common(name: str) -> str | None:
    if not name.strip():
        return "empty"
    if "\n" in name or len(name) > 60:
        return "too_long"
    if "、" in name:
        return "enumeration"
    if any(ch in _QUOTES for ch in name) or re.search(
        r"(?<![A-Za-z])['‘’]|['‘’](?![A-Za-z])", name
    ):
        return "quote"
    if _is_punctuation(name[0]) or (
        _is_punctuation(name[-1]) and not _ABBREVIATION_END.search(name)
    ):
        return "punctuation"
    return None


def _is_punctuation(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PS" or ch.isspace()


def _traditional_suffix(name: str, rule: KindRule, text: str) -> str | None:
    """The suffix only a Traditional document writes that `name` ends in as written (松鶴里;
    社區裡 is "in the community"), when the document is in Traditional script."""
    suffix = next((s for s in rule.suffixes_hant if name.endswith(s)), None)
    return suffix if suffix is not None and text and _traditional(text) else None


@lru_cache(maxsize=8)
def _traditional(text: str) -> bool:
    return chinese_script(text) == "zh-Hant"


def _zh_named(simple: str, rule: KindRule, traditional: str | None = None) -> str | None:
    """An organisation's or a place's name, in simplified script; `traditional`, a suffix
    of the name as a Traditional document writes it (`_traditional_suffix`).

    A listed name passes the verb and determiner checks (新建区, 本溪市), not the others.
    """
    if any(ch in kinds.ZH_PARTICLES for ch in simple) or re.search("不(?!动产)", simple):
        return "particle"
    if simple in rule.common_zh or any(simple.endswith(g) for g in rule.generic_zh):
        return "common_noun"
    listed = rule.listed is not None and rule.listed(simple)
    if not listed:
        reason = _zh_opening(simple, rule)
        if reason is not None:
            return reason
    suffix = kinds.zh_suffix(simple, rule) or traditional
    if suffix is None or listed:
        return None if listed else ("topic_phrase" if len(simple) > 12 else "no_suffix")
    if len(simple) < {**rule.suffixes_hant, **rule.suffixes_zh}[suffix]:
        return "too_short"
    if suffix in rule.qualified_zh and not _qualified(simple[: -len(suffix)], rule):
        return "unqualified"
    return None


def _zh_opening(simple: str, rule: KindRule) -> str | None:
    for verb in kinds.ZH_VERBS:
        if simple.startswith(verb):
            if rule.office_verbs and simple[len(verb) :] in rule.suffixes_zh:
                return None
            return "verb_initial"
    if simple[0] in kinds.ZH_FIRST or re.match(
        f"(?:{'|'.join(kinds.ZH_LINKS)})[省市县区镇乡村]", simple
    ):
        return "verb_initial"
    if kinds.ZH_GENERIC_START.match(simple) or _determined(simple, rule):
        return "generic"
    return None


def _qualified(stem: str, rule: KindRule) -> bool:
    """Whether a place, an administrative level or an owning organisation names whose
    facility this is (县人民医院, 北川乡卫生院, 枫溪大学城市治理研究院), unlike 电商服务站
    or 党群服务中心."""
    owners = [
        s for s in rule.suffixes_zh if s not in rule.qualified_zh and (len(s) > 1 or s in "局厅署")
    ]
    if any(owner in stem for owner in owners):
        return True
    for word in kinds.COMMON_PLACE_WORDS:
        stem = stem.replace(word, "")
    if any(ch in kinds.ADMIN_CHARS for ch in stem):
        return True
    return any(
        gazetteers.is_place(stem[i : i + n]) for n in (2, 3) for i in range(len(stem) - n + 1)
    )


def _determined(simple: str, rule: KindRule) -> bool:
    """A determiner before nothing but suffixes: 全县, 各乡镇, 本市, 至此全县, 该校."""
    singles = "".join(s for s in rule.suffixes_zh if len(s) == 1)
    return bool(singles) and re.search(f"[{kinds.ZH_DETERMINERS}][{singles}]+$", simple) is not None


def _zh_person(name: str, rules: Mapping[str, KindRule]) -> str | None:
    if person_part(name) != name:
        return "title"
    simple = simplified(name)
    if "·" in simple or "•" in simple:  # 阿不都·热合曼: a transliterated name, parts of Han
        parts = re.split("[·•]", simple)
        ok = all(parts) and all(is_han(ch) for p in parts for ch in p)
        return None if ok else "not_han"
    if not all(is_han(ch) for ch in simple):
        return "not_han"
    if not 2 <= len(simple) <= 4:
        return "length"
    if simple[:2] not in kinds.COMPOUND_SURNAMES and simple[0] not in kinds.SURNAMES:
        return "no_surname"
    if any(ch in kinds.ZH_NOT_IN_NAME for ch in simple[1:]):
        return "not_name_char"
    others = (r for r in rules.values() if not r.person)
    if any(kinds.zh_suffix(simple, r) is not None for r in others):
        return "kind_suffix"
    return None


def _en_person(name: str, text: str, rules: Mapping[str, KindRule]) -> str | None:
    if person_part(name) != name:
        return "title"
    words = name.split()
    if len(words) > 4:
        return "length"
    for word in words:
        if word in kinds.PARTICLES:
            continue
        if not _CAP_WORD.match(word):
            return "lowercase" if word[0].islower() else "shape"
    keys = [w.lower() for w in words]
    if any(k in kinds.STOPWORDS for k in keys):
        return "common_word"
    typed: set[str] = set()
    for rule in rules.values():
        typed |= rule.suffixes_en | rule.heads_en | rule.prefixes_en
    if any(k.rstrip(".") in typed - kinds.SURNAME_WORDS for k in keys):
        return "kind_suffix"
    if text and _lowercase_in(keys[0], text):
        return "common_word"
    return None


def _en_named(name: str, rule: KindRule, text: str, rules: Mapping[str, KindRule]) -> str | None:
    words = name.split()
    tail = " ".join(words[-2:]).lower()
    if any(tail in r.compounds_en for r in rules.values() if r is not rule):
        return "kind_suffix"  # Lakeside Water District is an organisation, not a place
    if any(not (w[0].isupper() or w[0].isdigit() or w in kinds.CONNECTORS) for w in words):
        return "lowercase"
    if words[0] in kinds.CONNECTORS or words[-1] in kinds.CONNECTORS:
        return "lowercase"
    if words[0].lower() in kinds.STOPWORDS:
        return "common_word"
    typed = kinds.en_typed(words, rule)
    if not typed and not (rule.listed is not None and rule.listed(name)):
        return "no_suffix"
    if typed and len(words) < 2:
        return "too_short"
    if text and _lowercase_in(name.lower(), text):
        return "common_phrase"
    return None


def _lowercase_in(phrase: str, text: str) -> bool:
    """Whether `text` writes `phrase` in lower case somewhere (a common word, not a name)."""
    pattern = r"(?<![\w-])" + r"\s+".join(map(re.escape, phrase.split())) + r"(?![\w-])"
    return re.search(pattern, text) is not None


# --- one entity, many forms --------------------------------------------------------------------


def resolve(
    names: Iterable[str],
    kind: str,
    text: str,
    language: str,
    *,
    rules: Mapping[str, KindRule] = KIND_RULES,
) -> Resolution:
    """The `kind` names among `names` that pass the checks and occur in `text`, merged.

    A Chinese name is kept as the document writes it, in the document's script (`to_script`),
    whatever script it was proposed in.
    """
    rejected: Counter[str] = Counter()
    found: dict[str, list[SourceSpan]] = {}
    for proposed in names:
        verdict = judge(proposed, kind, language, text=text, rules=rules)
        if verdict.reason is not None:
            rejected[verdict.reason] += 1
            continue
        spans = mentions(verdict.name, text)
        if not spans:
            rejected["not_in_source"] += 1
            continue
        written = (
            _squash(text[spans[0].start : spans[0].end]) if HAN_CHAR.search(verdict.name) else ""
        )
        found.setdefault(to_script(written, language, text) if written else verdict.name, spans)
    return Resolution(merge(found, kind, rules=rules), rejected)
