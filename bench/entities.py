"""Precision and recall of each engine's entities on the labelled set, per document and in all.

    python3 bench/entities.py                   # the offline engine
    python3 bench/entities.py --model qwen2.5-coder-1.5b-instruct \\
        --base-url http://127.0.0.1:8080/v1     # and the model engine
    python3 bench/entities.py --no-gazetteers   # the offline rules alone
    python3 bench/entities.py -v                # and each document's misses and extras

The labelled set is tests/data/entities/: NAME.txt (invented texts) with NAME.json beside it
(the true people, organisations and places); `summarizer eval --gold` reads the same files.
Each text goes through the whole pipeline (`summarize`), so the names are the result's.
The model engine's answers go through the result cache, so a second run makes no calls;
its names are scored three ways from the same answers: as the result holds them (the
model's names and the offline rules', checked by kind, located, in the document's
script), the model's names alone through the checks, and filtered the old way (kept when
`grounding.locate` finds them, put through OpenCC), which is what results held before.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer import Settings, summarize  # noqa: E402
from summarizer import _gazetteers as gazetteers  # noqa: E402
from summarizer import _grounding as grounding  # noqa: E402
from summarizer import _language as language  # noqa: E402
from summarizer._engines import merging  # noqa: E402
from summarizer._entity_mentions import located  # noqa: E402
from summarizer._eval.entities import count, load, total  # noqa: E402
from summarizer._schemas import Entities  # noqa: E402

LABELLED = ROOT / "tests" / "data" / "entities"
KINDS = tuple(Entities.model_fields)


@dataclass(frozen=True)
class Labelled:
    path: Path  # the text
    language: str
    gold: Entities


def labelled(folder: Path = LABELLED) -> list[Labelled]:
    found = []
    for path in sorted(folder.glob("*.json")):
        meta = json.loads(path.read_text(encoding="utf-8"))
        found.append(Labelled(path.with_suffix(".txt"), meta["language"], load(path)))
    return found


def offline(docs: list[Labelled]) -> list[Entities]:
    settings = Settings(engine="extractive", cache=False)
    return [summarize(d.path, settings).entities for d in docs]


@contextmanager
def recorded() -> Iterator[list[tuple[list[Any], str]]]:
    """The model's entity lists of each document, as `merge_entities` is handed them."""
    calls: list[tuple[list[Any], str]] = []
    original = merging.merge_entities

    def spy(found: Any, text: str, ruled: Any = None) -> merging.MergedEntities:
        calls.append((list(found), text))
        return original(found, text, ruled)

    merging.merge_entities = spy
    try:
        yield calls
    finally:
        merging.merge_entities = original


def located_only(found: list[Any], text: str) -> Entities:
    """What results held before the checks: every name the source contains, in OpenCC's
    script of the document (merging.merge_entities and in_script as they were)."""
    out: dict[str, list[str]] = {kind: [] for kind in KINDS}
    for entities in found:
        for kind in KINDS:
            for name in getattr(entities, kind):
                name = name.strip()
                if name and name not in out[kind] and grounding.locate(name, text) is not None:
                    out[kind].append(name)
    target = language.detect(text)
    if target in ("zh-Hans", "zh-Hant"):
        convert = language.converter("s2t" if target == "zh-Hant" else "t2s").convert
        out = {k: list(dict.fromkeys(convert(n) for n in names)) for k, names in out.items()}
    return Entities(**{k: v[:10] for k, v in out.items()})


def names_alone(found: list[Any], text: str) -> Entities:
    """The model's names through the checks without the offline rules' beside them."""
    ruled = merging._ruled
    merging._ruled = lambda text, lang: Entities()
    try:
        merged = merging.merge_entities(found, text)
    finally:
        merging._ruled = ruled
    return located(merged.entities, text, language.detect(text), merged.stats).entities


@dataclass(frozen=True)
class ModelEntities:
    shipped: list[Entities]  # the result's: the model's names and the rules', checked
    alone: list[Entities]  # the model's names checked, without the rules'
    before: list[Entities]  # the model's names located only, as results held them before


def model(docs: list[Labelled], settings: Settings) -> ModelEntities:
    """The model engine's entities three ways, from the same answers."""
    out = ModelEntities([], [], [])
    for i, doc in enumerate(docs, 1):
        print(f"model engine: {doc.path.name} ({i}/{len(docs)})", file=sys.stderr, flush=True)
        with recorded() as calls:
            out.shipped.append(summarize(doc.path, settings).entities)
        ((found, text),) = calls
        out.alone.append(names_alone(found, text))
        out.before.append(located_only(found, text))
    return out


def scored(docs: list[Labelled], found: list[Entities]) -> dict[str, Any]:
    """Totals (micro-averaged) and each document's precision and recall."""
    counts = [count(got, doc.gold) for got, doc in zip(found, docs, strict=True)]
    summed = total(counts)
    assert summed is not None, "the labelled set is empty"
    return {
        "precision": summed.precision,
        "recall": summed.recall,
        "correct": summed.correct,
        "predicted": summed.predicted,
        "wanted": summed.wanted,
        "documents": {
            d.path.stem: [c.precision, c.recall] for d, c in zip(docs, counts, strict=True)
        },
    }


def run(settings: Settings | None = None, folder: Path = LABELLED) -> dict[str, Any]:
    """The bench/run section: the offline engine always, the model engine given settings."""
    docs = labelled(folder)
    out: dict[str, Any] = {"documents": len(docs), "offline": scored(docs, offline(docs))}
    out["entity_precision_offline"] = out["offline"]["precision"]
    out["entity_recall_offline"] = out["offline"]["recall"]
    if settings is not None:
        found = model(docs, settings)
        out["model"] = {"model": settings.model, **scored(docs, found.shipped)}
        out["model_names_alone"] = scored(docs, found.alone)
        out["model_located_only"] = scored(docs, found.before)
        out["entity_precision_model"] = out["model"]["precision"]
        out["entity_recall_model"] = out["model"]["recall"]
        out["entity_precision_model_alone"] = out["model_names_alone"]["precision"]
        out["entity_recall_model_alone"] = out["model_names_alone"]["recall"]
    return out


def _differences(got: Entities, truth: Entities) -> None:
    for kind in KINDS:
        wanted = {grounding.fold(n).text: n for n in getattr(truth, kind)}
        guessed = {grounding.fold(n).text: n for n in getattr(got, kind)}
        missed = [n for k, n in wanted.items() if k not in guessed]
        extra = [n for k, n in guessed.items() if k not in wanted]
        if missed or extra:
            print(f"    {kind}: missed {missed} extra {extra}")


def _table(name: str, docs: list[Labelled], found: list[Entities], verbose: bool) -> None:
    result = scored(docs, found)
    print(f"{name}")
    for doc, got in zip(docs, found, strict=True):
        precision, recall = result["documents"][doc.path.stem]
        print(f"  {doc.path.stem:28} precision {precision or 0:.3f}  recall {recall or 0:.3f}")
        if verbose:
            _differences(got, doc.gold)
    print(f"  {'all ' + str(len(docs)) + ' documents':28} ", end="")
    print(f"precision {result['precision']:.3f}  recall {result['recall']:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-gazetteers", action="store_true", help="the rules alone")
    parser.add_argument("-v", "--verbose", action="store_true", help="list misses and extras")
    parser.add_argument("--model", help="also the model engine, with this model")
    parser.add_argument("--base-url", default="http://127.0.0.1:8080/v1")
    parser.add_argument("--cache-dir", type=Path, help="the result cache [default: the user's]")
    parser.add_argument("folder", nargs="?", type=Path, default=LABELLED)
    args = parser.parse_args()
    if args.no_gazetteers:
        gazetteers.chinese_places = lambda: frozenset()  # type: ignore[assignment]
        gazetteers.english_places = lambda: frozenset()  # type: ignore[assignment]
    docs = labelled(args.folder)
    _table("offline engine", docs, offline(docs), args.verbose)
    if args.model:
        settings = Settings(
            base_url=args.base_url,
            model=args.model,
            cache_dir=args.cache_dir,
            concurrency=1,
            timeout=1800.0,
        )
        found = model(docs, settings)
        _table(f"model engine ({args.model}): the result", docs, found.shipped, args.verbose)
        _table("  the model's names alone, checked", docs, found.alone, args.verbose)
        _table("  the model's names located only (before)", docs, found.before, args.verbose)


if __name__ == "__main__":
    main()
