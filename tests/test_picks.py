"""Facts from citing answers: what the model picked, checked, and what the rules add."""

from __future__ import annotations

from summarizer._answers import MAX_NOTE_PICKS, TersePicks
from summarizer._engines import picks
from summarizer._schemas import ClaimStats

from .test_citations import TEXT, judge  # the water report, with an injected line (5)

LINES = TEXT.splitlines()


def answer(*facts: int) -> TersePicks:
    return TersePicks.model_validate(
        {"summary": [["Rates hold.", 6]], "key_points": [["Mains replaced.", 3]], "facts": facts}
    )


def test_the_rules_add_the_quantified_sentences_the_model_left_out_but_no_injected_one() -> None:
    j, stats = judge(), ClaimStats()
    chosen = picks.checked(j, answer(6), j.numbered.everything, stats)
    assert [f.statement for f in chosen] == [LINES[5]]
    added = picks.missed(j, chosen, j.numbered.everything, stats)
    assert [(f.statement, f.category) for f in added] == [
        (LINES[1], "percent"),
        (LINES[2], "number"),
        (LINES[3], "percent"),
    ]  # not line 5's "$9 million": it sits in an instruction-like passage
    assert all(TEXT[f.start : f.end] == f.evidence == f.statement for f in added)
    assert stats.supported == 4


def test_nothing_is_added_twice_outside_the_part_or_past_the_limit() -> None:
    j = judge()
    chosen = picks.checked(j, answer(2, 3), j.numbered.everything, ClaimStats())
    assert [f.evidence for f in chosen] == LINES[1:3]
    assert picks.missed(j, chosen, range(1, 4), ClaimStats()) == []  # 1 is a heading
    assert len(picks.missed(j, chosen, j.numbered.everything, ClaimStats())) == 2
    [late] = picks.checked(j, answer(6), j.numbered.everything, ClaimStats())
    assert picks.missed(j, [late] * MAX_NOTE_PICKS, j.numbered.everything, ClaimStats()) == []
