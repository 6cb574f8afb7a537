"""Facts from citing answers: what the model picked, checked, and what the rules add."""

from __future__ import annotations

from summarizer._answers import MAX_NOTE_PICKS, TersePicks
from summarizer._engines import picks
from summarizer._engines.citations import Judge, Numbered
from summarizer._schemas import ClaimStats

TEXT = (
    "Harbour tender notice.\n"
    "The council invites bids for Marina Road.\n"
    "The contract is worth $1.2 million.\n"
    "Bids close on 28 March 2025.\n"
    "Late bids will not be considered.\n"
)


def judge() -> Judge:
    return Judge(Numbered.of(TEXT), same_language=True)


def test_the_rules_add_the_costed_and_dated_sentences_the_model_left_out() -> None:
    j, stats = judge(), ClaimStats()
    answer = TersePicks.model_validate(
        {"summary": [["Bids are invited.", 2]], "key_points": [["Bids close.", 4]], "facts": [5]}
    )
    chosen = picks.checked(j, answer, j.numbered.everything, stats)
    assert [f.statement for f in chosen] == ["Late bids will not be considered."]
    added = picks.missed(j, chosen, j.numbered.everything, stats)
    lines = TEXT.splitlines()
    assert [(f.statement, f.category) for f in added] == [(lines[2], "money"), (lines[3], "event")]
    assert all(TEXT[f.start : f.end] == f.evidence == f.statement for f in added)
    assert stats.supported == 3


def test_nothing_is_added_twice_outside_the_part_or_past_the_limit() -> None:
    j = judge()
    answer = TersePicks.model_validate(
        {"summary": [["x", 1]], "key_points": [["y", 1]], "facts": [3, 4]}
    )
    chosen = picks.checked(j, answer, j.numbered.everything, ClaimStats())
    assert [f.evidence for f in chosen] == TEXT.splitlines()[2:4]
    assert picks.missed(j, chosen, j.numbered.everything, ClaimStats()) == []  # covered
    assert picks.missed(j, [], range(1, 3), ClaimStats()) == []  # only sentences 1-2 shown
    late = TersePicks.model_validate(
        {"summary": [["x", 1]], "key_points": [["y", 1]], "facts": [5]}
    )
    [fact] = picks.checked(j, late, j.numbered.everything, ClaimStats())
    assert len(picks.missed(j, [fact], j.numbered.everything, ClaimStats())) == 2
    assert picks.missed(j, [fact] * MAX_NOTE_PICKS, j.numbered.everything, ClaimStats()) == []
