"""Identity: which forms of a name name one entity, and where that entity is mentioned.

A text names one thing many ways: 淄川区委统战部 and later 区委统战部, Riverton City Council
and Riverton Council, Daniel Chen and Mr. Chen. Forms are merged into one `Entity` with all
their mentions, named by the longest form; and a name mentioned only inside a longer one
(臺北市 in 臺北市政府社會局) is part of it, not an entity of its own.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from summarizer._grounding import fold
from summarizer._kinds import KIND_RULES, KindRule, zh_suffix
from summarizer._schemas import Entities, SourceSpan
from summarizer._scripts import HAN_CHAR

# Words a longer form of the same English name adds: "Riverton (City) Council".
_QUALIFIERS = frozenset(
    """city county town township village state regional municipal borough community public
    national general memorial metropolitan area""".split()
)


@dataclass(frozen=True)
class Entity:
    """One named thing: the name kept for it, every form merged into it, its mentions."""

    name: str
    kind: str
    forms: tuple[str, ...]
    mentions: tuple[SourceSpan, ...]


def merge(
    found: Mapping[str, Sequence[SourceSpan]],
    kind: str,
    *,
    rules: Mapping[str, KindRule] = KIND_RULES,
) -> list[Entity]:
    """Forms of one entity merged: a form joins the one group holding a longer form it is a
    short name or a variant of (none, or two groups: it stays on its own). The longest form
    names the entity; the most mentioned come first, then document order."""
    rule = rules[kind]
    order = sorted(found, key=lambda n: (-len(fold(n).text), -len(found[n]), found[n][0].start))
    groups: list[list[str]] = []
    for form in order:
        homes = [g for g in groups if any(same(form, other, rule) for other in g)]
        if len(homes) == 1:
            homes[0].append(form)
        else:
            groups.append([form])
    entities = [
        Entity(g[0], kind, tuple(g), outermost([s for f in g for s in found[f]])) for g in groups
    ]
    return sorted(entities, key=lambda e: (-len(e.mentions), e.mentions[0].start))


def same(short: str, long: str, rule: KindRule) -> bool:
    """Whether `short` is another form of `long`.

    Chinese: the same after folding, or (organisations, places) a shorter tail with the
    same type suffix (区委统战部 of 淄川区委统战部), or the name without its suffix (上海 of
    上海市). English: the same words after case, possessives and plurals are folded; the
    last words (Chen of Daniel Chen; two or more for the rest: Parks Department of Riverton
    Parks Department); or the same first and last word, the longer adding only qualifiers
    (Riverton Council of Riverton City Council).
    """
    if HAN_CHAR.search(short) or HAN_CHAR.search(long):
        a, b = fold(short).text, fold(long).text
        if a == b:
            return True
        if rule.person or len(a) >= len(b):
            return False
        if b.endswith(a):
            return zh_suffix(a, rule) is not None and len(a) >= 3
        return b.startswith(a) and b[len(a) :] in rule.suffixes_zh and len(a) >= 2
    a_words, b_words = _word_keys(short), _word_keys(long)
    if a_words == b_words:
        return True
    if not a_words or len(a_words) >= len(b_words):
        return False
    if b_words[-len(a_words) :] == a_words and (rule.person or len(a_words) > 1):
        return True  # Chen of Daniel Chen; Parks Department of Riverton Parks Department
    if rule.person or a_words[0] != b_words[0] or a_words[-1] != b_words[-1]:
        return False
    extra = list(b_words)
    for word in a_words:
        if word not in extra:
            return False
        extra.remove(word)
    return all(w in _QUALIFIERS for w in extra)


def short_forms(name: str, kind: str, *, rules: Mapping[str, KindRule] = KIND_RULES) -> list[str]:
    """The shorter forms `same` would take for `name`, longest first: its tails (区委统战部,
    统战部 of 淄川区委统战部; Chen of Daniel Chen), the name less its suffix (上海 of 上海市),
    and an English name less its qualifiers (Riverton Council of Riverton City Council).

    So an entity named by its full name is found where the text uses a shorter one; each
    form still has to pass its kind's check and belong to this entity alone.
    """
    rule = rules[kind]
    if HAN_CHAR.search(name):
        if rule.person:
            return []
        forms = [name[i:] for i in range(1, len(name) - 2)]
        if (suffix := zh_suffix(name, rule)) is not None:
            forms.append(name[: -len(suffix)])
    else:
        words = name.split()
        least = 1 if rule.person else 2
        forms = [" ".join(words[i:]) for i in range(1, len(words) - least + 1)]
        plain = [w for w in words[1:-1] if w.lower() not in _QUALIFIERS]
        if not rule.person and len(words) > 2 and len(plain) < len(words) - 2:
            forms.append(" ".join([words[0], *plain, words[-1]]))
    return [f for f in dict.fromkeys(forms) if f and same(f, name, rule)]


def _word_keys(name: str) -> list[str]:
    keys = []
    for word in name.split():
        key = re.sub(r"['’]s$", "", word.lower()).strip(".,")
        keys.append(
            key[:-1] if len(key) > 3 and key.endswith("s") and not key.endswith("ss") else key
        )
    return keys


def outermost(spans: list[SourceSpan]) -> tuple[SourceSpan, ...]:
    """Spans in order, those inside another (区委统战部 inside 淄川区委统战部) dropped."""
    ordered = sorted({(s.start, s.end): s for s in spans}.values(), key=lambda s: (s.start, -s.end))
    kept: list[SourceSpan] = []
    for span in ordered:
        if not kept or span.end > kept[-1].end:
            kept.append(span)
    return tuple(kept)


def standalone(by_kind: Mapping[str, list[Entity]]) -> dict[str, list[Entity]]:
    """Entities mentioned somewhere on their own: 臺北市 only inside 臺北市政府社會局, or
    Riverton only inside Riverton City Council, is part of that name, not one of its own."""
    spans = sorted(
        (m.start, m.end, e.name) for es in by_kind.values() for e in es for m in e.mentions
    )
    starts = [a for a, _, _ in spans]
    longest = max((b - a for a, b, _ in spans), default=0)

    def inside(m: SourceSpan, name: str) -> bool:
        # only spans starting at most `longest` before the mention can hold it
        window = spans[bisect_left(starts, m.start - longest) : bisect_right(starts, m.start)]
        return any(m.end <= b and b - a > m.end - m.start for a, b, n in window if n != name)

    return {
        kind: [e for e in es if not all(inside(m, e.name) for m in e.mentions)]
        for kind, es in by_kind.items()
    }


def as_entities(by_kind: Mapping[str, list[Entity]], limit: int = 10) -> Entities:
    """The result schema's lists: names only, at most `limit` of each kind."""
    kinds = Entities.model_fields
    return Entities(**{k: [e.name for e in es][:limit] for k, es in by_kind.items() if k in kinds})
