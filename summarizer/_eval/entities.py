"""Entity precision and recall against labelled names (`summarizer eval --gold FOLDER`).

A labelled document is a JSON file named by the document's file stem, as a reference
summary is: `gold/report.json` for `docs/report.txt`, holding the true names under the
result schema's kinds (`{"people": [...], "organizations": [...], "places": [...]}`; other
keys, such as the text itself, are ignored). Names are compared after grounding's folding
(width, case, script, punctuation), and a name under the wrong kind counts as wrong. Counts
are kept and rates derived from them, so a total is micro-averaged over its documents.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, ValidationError, computed_field

from summarizer._errors import ConfigError
from summarizer._eval.corpus import Doc
from summarizer._grounding import fold
from summarizer._schemas import Entities


class EntityCounts(BaseModel):
    """Names a result gave (`predicted`), the labelled ones (`wanted`), and those in both."""

    # "ignore": the computed rates are written out, and come back in when JSON is read again.
    model_config = ConfigDict(extra="ignore")

    documents: int = 1
    correct: int = 0
    predicted: int = 0
    wanted: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def precision(self) -> float | None:
        return round(self.correct / self.predicted, 4) if self.predicted else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def recall(self) -> float | None:
        return round(self.correct / self.wanted, 4) if self.wanted else None

    def plus(self, other: EntityCounts) -> EntityCounts:
        return EntityCounts(
            documents=self.documents + other.documents,
            correct=self.correct + other.correct,
            predicted=self.predicted + other.predicted,
            wanted=self.wanted + other.wanted,
        )


def count(got: Entities, want: Entities) -> EntityCounts:
    """One document's counts, kind by kind (the kinds are the schema's fields)."""
    correct = predicted = wanted = 0
    for kind in Entities.model_fields:
        g = {fold(n).text for n in getattr(got, kind)}
        w = {fold(n).text for n in getattr(want, kind)}
        correct, predicted, wanted = correct + len(g & w), predicted + len(g), wanted + len(w)
    return EntityCounts(correct=correct, predicted=predicted, wanted=wanted)


def total(counts: Sequence[EntityCounts]) -> EntityCounts | None:
    if not counts:
        return None
    summed = counts[0]
    for c in counts[1:]:
        summed = summed.plus(c)
    return summed


def score(predicted: Sequence[Entities], gold: Sequence[Entities]) -> tuple[float, float]:
    """Micro-averaged precision and recall; 1.0 where nothing was predicted (or wanted)."""
    if len(predicted) != len(gold):
        raise ValueError(f"{len(predicted)} results for {len(gold)} labelled documents")
    summed = total([count(got, want) for got, want in zip(predicted, gold, strict=True)])
    if summed is None:
        return (1.0, 1.0)
    precision, recall = summed.precision, summed.recall
    return (1.0 if precision is None else precision, 1.0 if recall is None else recall)


def load(path: Path) -> Entities:
    """One labelled file's names; a file that is not one is a usage error naming it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Entities.model_validate({k: data.get(k, []) for k in Entities.model_fields})
    except (OSError, ValueError, AttributeError, ValidationError) as e:
        kinds = ", ".join(Entities.model_fields)
        raise ConfigError(f"--gold {path}: not a JSON object of name lists ({kinds}): {e}") from e


def gold(folder: Path, docs: list[Doc]) -> dict[str, Entities]:
    """Each document's labelled names, by file stem; documents without one are left out."""
    if not folder.is_dir():
        raise ConfigError(f"--gold {folder}: not a folder")
    stems = [d.stem for d in docs]
    if repeated := sorted({s for s in stems if stems.count(s) > 1}):
        raise ConfigError(f"--gold: documents share a file stem: {', '.join(repeated)}")
    found: dict[str, Entities] = {}
    for doc in docs:
        path = folder / f"{doc.stem}.json"
        if path.is_file():
            found[doc.source] = load(path)
    return found


# --- the report's rows -----------------------------------------------------------------------


class Scored(Protocol):
    """A document's (or a total's) metrics: counts where labelled names were given."""

    @property
    def entities(self) -> EntityCounts | None: ...


def _row(
    rate: Literal["precision", "recall"], whole: Literal["predicted", "wanted"]
) -> tuple[str, Callable[[Scored], float | None], Callable[[Scored], str]]:
    def value(m: Scored) -> float | None:
        return getattr(m.entities, rate) if m.entities is not None else None

    def show(m: Scored) -> str:
        if m.entities is None or (share := value(m)) is None:
            return "—"
        return f"{m.entities.correct}/{getattr(m.entities, whole)} ({share:.0%})"

    return f"entity {rate}", value, show


# (name, value, shown) of each row; `metrics.METRICS` makes them rows, "higher" is better.
ROWS = [_row("precision", "predicted"), _row("recall", "wanted")]
