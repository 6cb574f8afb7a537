"""Precision and recall of the offline entities on the labelled set, per document and in all.

    python3 bench/entities.py                   # with the gazetteers that are installed
    python3 bench/entities.py --no-gazetteers   # the rules alone
    python3 bench/entities.py -v                # and each document's misses and extras

The labelled set is tests/data/entities/*.json (invented texts, each with its true people,
organisations and places); `summarizer._names.score` compares names after folding width,
case and script. tests/test_entities.py asserts the goal (precision >= 0.9, recall >= 0.6).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from summarizer import _gazetteers as gazetteers
from summarizer._entities import extract_entities
from summarizer._grounding import fold
from summarizer._names import score
from summarizer._schemas import Entities

LABELLED = Path(__file__).resolve().parent.parent / "tests" / "data" / "entities"
KINDS = ("people", "organizations", "places")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-gazetteers", action="store_true", help="the rules alone")
    parser.add_argument("-v", "--verbose", action="store_true", help="list misses and extras")
    parser.add_argument("folder", nargs="?", type=Path, default=LABELLED)
    args = parser.parse_args()
    if args.no_gazetteers:
        gazetteers.chinese_places = lambda: frozenset()  # type: ignore[assignment]
        gazetteers.english_places = lambda: frozenset()  # type: ignore[assignment]
    found, gold = [], []
    for path in sorted(args.folder.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        truth = Entities(**{k: doc[k] for k in KINDS})
        got = extract_entities(doc["text"], doc["language"].startswith("zh"))
        precision, recall = score([got], [truth])
        print(f"{path.stem:28} precision {precision:.3f}  recall {recall:.3f}")
        if args.verbose:
            _differences(got, truth)
        found.append(got)
        gold.append(truth)
    precision, recall = score(found, gold)
    print(
        f"{'all ' + str(len(gold)) + ' documents':28} precision {precision:.3f}  recall {recall:.3f}"
    )


def _differences(got: Entities, truth: Entities) -> None:
    for kind in KINDS:
        wanted = {fold(n).text: n for n in getattr(truth, kind)}
        guessed = {fold(n).text: n for n in getattr(got, kind)}
        missed = [n for k, n in wanted.items() if k not in guessed]
        extra = [n for k, n in guessed.items() if k not in wanted]
        if missed or extra:
            print(f"    {kind}: missed {missed} extra {extra}")


if __name__ == "__main__":
    main()
