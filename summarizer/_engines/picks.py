"""Facts from a citing answer (prompts v2 on): the sentences the model picked or the facts it
stated, each checked against its sentences; and from v4, the sentences it left out that
state an amount, a percentage, a date or a count.

Apart from `citing.py`, which orders the stages, because facts are checked one way whatever
the narrative does: a fact is the typed record a user feeds to other tools.
"""

from __future__ import annotations

from collections.abc import Sequence

from summarizer import _facts as facts_rules
from summarizer._answers import MAX_NOTE_PICKS, ChosenFact, CitingNotes
from summarizer._engines.citations import Judge, states_something
from summarizer._schemas import ClaimStats, Fact, FactCategory


def checked(judge: Judge, answer: CitingNotes, allowed: range, stats: ClaimStats) -> list[Fact]:
    """The answer's facts that its cited sentences support, each with its exact evidence."""
    facts = []
    for note in answer.facts:
        if isinstance(note, int):  # v3 extractive: the number alone, the category from code
            note = ChosenFact(sentences=[note], category="event")
        statement = getattr(note, "statement", None)
        if statement is None:  # extractive: the sentence is the statement
            claim = judge.pick(note.sentences, allowed, stats)
            numbers = claim.sentences if claim else ()
        else:
            claim = judge.claim(statement, note.sentences, allowed, stats)
            numbers = judge.narrowest(claim) if claim else ()
        if claim is None:
            continue
        category = facts_rules.categorize(claim.text) or note.category
        facts.append(_fact(judge, claim.text, numbers, category))
    return facts


def missed(judge: Judge, facts: list[Fact], allowed: range, stats: ClaimStats) -> list[Fact]:
    """From v4, extractive facts the model did not pick: the part's sentences that state an
    amount, a percentage, a date or a count (`_facts.categorize`), in order, up to the
    answer's own limit. Qwen2.5-1.5B picked the sentences its key points used and left the
    rest: 4 of a tender notice's 9 dated or costed sentences."""
    room = MAX_NOTE_PICKS - len(facts)
    taken = [(f.start, f.end) for f in facts]
    added: list[Fact] = []
    for n in allowed:
        if len(added) >= room:
            break
        span = judge.numbered.spans[n - 1]
        sentence = judge.numbered.text[span.start : span.end]
        covered = any(a <= span.start and span.end <= b for a, b in taken)
        if covered or n in judge.numbered.injected:
            continue
        category = facts_rules.categorize(sentence)
        if category is None or not states_something(sentence):
            continue
        stats.supported += 1
        added.append(_fact(judge, sentence, (n,), category))
    return added


def _fact(judge: Judge, statement: str, numbers: Sequence[int], category: FactCategory) -> Fact:
    """A fact whose evidence is the exact span of its sentences."""
    start, end = judge.numbered.cover(numbers)
    evidence = judge.numbered.text[start:end]
    return Fact(statement=statement, category=category, evidence=evidence, start=start, end=end)
