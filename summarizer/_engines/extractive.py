"""The offline engine: summary, key points, facts and entities without a model.

It runs when no model is configured, so the main job works on a fresh machine with no
network. Sentences are ranked by centrality in a similarity graph (TextRank) over
character bigrams for Chinese and content words for English, with a prior that favours
early sentences, as news puts its lede first. Sentences are ranked from where their prose
starts (`_prose`: no dateline, list marker or heading line), and citations and spam titles
are never ranked. Facts (`_facts`) and entities (`_entities`) come from rules. Everything
is deterministic: same text, same result.
"""

from __future__ import annotations

import asyncio
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from summarizer._engines.base import EngineResult, Progress
from summarizer._entities import extract_entities
from summarizer._facts import categorize, extract_facts
from summarizer._language import is_chinese
from summarizer._prose import HAN_RUN, is_candidate, is_prose, prose_start
from summarizer._schemas import Entities, Fact, FactCategory
from summarizer._sentences import Span, split_sentences

if TYPE_CHECKING:
    from summarizer._cleaning import CleanedText
    from summarizer._session import Session

_MAX_GRAPH = 400  # sentences; beyond this, centrality against the centroid is used instead
# The summary takes the best sentences while they fit a target length: at most three, and
# 600 characters at most, since a sentence is at most MAX_SENTENCE (400) characters and the
# first is always taken. Without sentence punctuation it was once the whole document.
_SUMMARY_SENTENCES = 3
_SUMMARY_CHARS = {"zh": 220, "en": 600}


@dataclass(frozen=True)
class Extract:
    summary: str
    key_points: list[str]
    facts: list[Fact]
    entities: Entities


def summarize(text: str, language: str) -> Extract:
    """Summarize cleaned text; `language` is a tag from `summarizer._language.detect`.

    Sentences are ranked by centrality, the lede favoured, times `_weight`: sentences that
    report something measured, dated or decided come first. Key points are the sentences
    the summary left, except that a vote's tally always leads them, even when the summary
    has it too: it is the outcome of the story, and key points are read on their own.
    """
    zh = is_chinese(language)
    sentences = _prose_spans(text, split_sentences(text))
    bodies = [text[s.start : s.end] for s in sentences]
    categories = [categorize(body) for body in bodies]
    features = [_features(body, zh) for body in bodies]
    centrality = _rank(features)
    weights = [_weight(body, c) for body, c in zip(bodies, categories, strict=True)]
    scores = [score * w for score, w in zip(centrality, weights, strict=True)]
    candidates = _candidates(bodies, categories, zh)
    ranked = sorted(candidates, key=lambda i: (-scores[i], i))
    summary_ids = _pick_summary(text, sentences, ranked, zh)
    tallies = [bool(_TALLY.search(body)) for body in bodies]
    reporting = sorted(candidates, key=lambda i: (-tallies[i], weights[i] == 1, -scores[i], i))
    rest = [i for i in reporting if tallies[i] or i not in summary_ids]
    pool = rest if len(rest) >= 3 else reporting
    point_ids = _pick_points(pool, features, max(3, min(7, round(len(candidates) / 4))))
    return Extract(
        summary=_join(
            [text[sentences[i].start : sentences[i].end] for i in sorted(summary_ids)], zh
        ),
        key_points=[text[sentences[i].start : sentences[i].end] for i in sorted(point_ids)],
        facts=extract_facts(text, sentences, scores),
        entities=extract_entities(text, zh, language=language),
    )


def _candidates(bodies: list[str], categories: list[FactCategory | None], zh: bool) -> list[int]:
    """The sentences worth ranking; with fewer than three, any prose but the title."""
    found = [
        i for i, body in enumerate(bodies) if is_candidate(body, zh, categories[i] in _MEASURED)
    ]
    if len(found) >= 3:
        return found
    return [i for i, body in enumerate(bodies) if (i > 0 or len(bodies) == 1) and is_prose(body)]


def _prose_spans(text: str, sentences: list[Span]) -> list[Span]:
    """The sentences without the datelines, list markers and heading lines they open with."""
    spans = [Span(s.start + prose_start(text[s.start : s.end]), s.end) for s in sentences]
    return [s for s in spans if s.end > s.start]


# --- ranking -----------------------------------------------------------------------------

_EN_STOP = frozenset(
    "a an the and or but if of to in on at by for with from as is are was were be been "
    "being it its this that these those he she they we you i his her their our your them "
    "him us has have had do does did not no so than then there here which who whom what "
    "when where will would can could should may might must also into over after before "
    "about more most said says per up out new one two".split()
)
_WORD = re.compile(r"[a-z][a-z'-]+|\d+(?:[.,]\d+)*")


def _features(sentence: str, zh: bool) -> Counter[str]:
    if zh:
        grams: Counter[str] = Counter()
        for run in HAN_RUN.findall(sentence):
            grams.update(run[i : i + 2] for i in range(len(run) - 1))
        grams.update(_WORD.findall(sentence.lower()))
        return grams
    words = [w.rstrip("s") if len(w) > 4 else w for w in _WORD.findall(sentence.lower())]
    return Counter(w for w in words if w not in _EN_STOP)


# What a story reports: an amount, a share or a count, an event, a decision, a vote and its
# tally. Centrality alone favours the sentences that share the most words with the rest (a
# quotation, a sentence that lists every programme), and a budget story's key points lost
# its vote counts and amounts to them, so these lift a sentence's score. An event counts
# too: a news lede often states one with a date and no amount.
_OUTCOME = re.compile(
    r"\b(?:votes?|voted|approved|passed|rejected|failed|adopted|defeated|unanimous(?:ly)?"
    r"|rose|fell|increased|decreased|grew|dropped)\b"
    r"|通过|通過|否决|否決|批准|表决|表決|当选|當選|增长|增長|下降|提高|减少|減少|增加|达到|達到|突破",
    re.I,
)
# `The vote was 5-2.`, `failed 3-4`, `passed 52 to 48`, `以5票赞成`: a decision's count.
_TALLY = re.compile(
    r"\b(?:votes?|voted|passed|failed|approved|rejected|defeated|adopted)\b[^.;]{0,40}?"
    r"\b\d{1,3}\s?(?:[-–]|to)\s?\d{1,3}\b(?![-–.]\d)|\d+\s?票(?:赞成|贊成|反对|反對|弃权|棄權)",
    re.I,
)
_MEASURED_WEIGHT = 0.5
_OUTCOME_WEIGHT = 0.3
_TALLY_WEIGHT = 1.0
_MEASURED: frozenset[FactCategory | None] = frozenset(("money", "percent", "number"))


def _weight(sentence: str, category: FactCategory | None) -> float:
    """1 for a sentence that reports nothing measured or decided, more for one that does."""
    reported = _MEASURED_WEIGHT * (category in _MEASURED or category == "event")
    outcome = _OUTCOME_WEIGHT * bool(_OUTCOME.search(sentence))
    return 1 + reported + outcome + _TALLY_WEIGHT * bool(_TALLY.search(sentence))


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


def _pick_summary(text: str, sentences: list[Span], ranked: list[int], zh: bool) -> set[int]:
    target = _SUMMARY_CHARS["zh" if zh else "en"]
    joiner = 0 if zh else 1  # `_join`'s space
    chosen: set[int] = set()
    length = 0
    for i in ranked[:_SUMMARY_SENTENCES]:
        size = sentences[i].end - sentences[i].start + (joiner if chosen else 0)
        if chosen and length + size > target:
            break
        chosen.add(i)
        length += size
    return chosen


def _pick_points(pool: list[int], features: list[Counter[str]], k: int) -> list[int]:
    """The best sentences unlike those already picked; at least three, alike or not.

    The pool puts the sentences that report something measured or decided first.
    """
    chosen: list[int] = []
    for i in pool:
        if len(chosen) == k:
            break
        if all(_overlap(features[i], features[j]) < 0.5 for j in chosen):
            chosen.append(i)
    for i in pool:
        if len(chosen) >= min(3, k):
            break
        if i not in chosen:
            chosen.append(i)
    return chosen


def _overlap(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    shared = sum((a & b).values())
    return shared / min(sum(a.values()), sum(b.values()))


def _join(parts: list[str], zh: bool) -> str:
    return ("" if zh else " ").join(parts)


class ExtractiveEngine:
    name = "extractive"

    async def run(
        self,
        cleaned: CleanedText,
        language: str,
        title: str | None,
        session: Session,
        progress: Progress | None = None,
    ) -> EngineResult:
        result = await asyncio.to_thread(summarize, cleaned.text, language)
        return EngineResult(
            summary=result.summary,
            key_points=result.key_points,
            facts=result.facts,
            entities=result.entities,
            chunks=1,
        )
