"""The cleaning report: per kind of edit, how many, how many characters went, and a few
samples, so a user can see that nothing real went missing.

Tallied block by block as `clean` applies each step's edits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from summarizer._cleaning.normalization import CONTROL_KIND
from summarizer._cleaning.offsets import Edit
from summarizer._schemas import CleaningReport, CleaningStep

_SAMPLE_CHARS = 60
_MAX_SAMPLES = 3


@dataclass
class Tally:
    """What one kind of edit has done so far."""

    count: int = 0
    removed: int = 0
    samples: list[str] = field(default_factory=list)


def tally(report: dict[str, Tally], text: str, edits: list[Edit]) -> None:
    """Count `edits` of a block, `text`, into `report`; samples in the order met."""
    if not edits:
        return
    starts, ends, replacements, kinds = zip(*edits, strict=True)
    kind = kinds[0]
    step = report.get(kind)
    if (
        step is not None
        and (len(step.samples) >= _MAX_SAMPLES or kind == "whitespace")
        and kinds.count(kind) == len(kinds)
    ):
        # one kind, its samples taken: only the sums (most blocks of a long text, in C)
        step.count += len(edits)
        step.removed += sum(ends) - sum(starts) - sum(map(len, replacements))
        return
    for edit in edits:
        step = report.get(edit.kind)
        if step is None:
            step = report[edit.kind] = Tally()
        step.count += 1
        step.removed += (edit.end - edit.start) - len(edit.replacement)
        if len(step.samples) < _MAX_SAMPLES and edit.kind != "whitespace":
            removed = text[edit.start : edit.end].strip()
            if edit.kind == CONTROL_KIND:  # the report is printed too: controls by code point
                removed = "".join(
                    c if c.isprintable() else f"U+{ord(c):04X} "
                    for c in text[edit.start : edit.end]
                ).strip()
            sample = removed if len(removed) <= _SAMPLE_CHARS else removed[:_SAMPLE_CHARS] + "…"
            if removed and sample not in step.samples:
                step.samples.append(sample)


def build_report(tallies: dict[str, Tally], chars_before: int, chars_after: int) -> CleaningReport:
    """The report users read; whitespace only when it removed something, as it touches
    nearly every page."""
    return CleaningReport(
        chars_before=chars_before,
        chars_after=chars_after,
        steps=[
            CleaningStep(kind=kind, count=t.count, chars_removed=t.removed, samples=t.samples)
            for kind, t in tallies.items()
            if kind != "whitespace" or t.removed
        ],
    )
