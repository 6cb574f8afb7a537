"""ROUGE-1, ROUGE-2 and ROUGE-L against reference summaries, with rouge-score.

rouge-score's default tokenizer keeps only `[a-z0-9]` runs, so a Chinese summary has no
tokens at all and scores 0 against anything. `CjkTokenizer` makes every Han, kana or
hangul character a token (ROUGE at character level, the usual practice for Chinese) and
hands the rest to rouge-score's own tokenizer with its Porter stemmer, so English text is
tokenized exactly as `RougeScorer(use_stemmer=True)` would.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

from summarizer import _documents as documents
from summarizer._errors import ConfigError
from summarizer._eval.corpus import Doc
from summarizer._eval.metrics import RougeScores
from summarizer._scripts import HAN, HANGUL, KANA

TYPES = ("rouge1", "rouge2", "rougeL")
INSTALL = "pip install 'rouge-score>=0.1.2'"
_CJK_OR_REST = re.compile(f"([{HAN}{KANA}{HANGUL}])")


def _rouge_score() -> tuple[Any, Any]:
    try:
        from rouge_score import rouge_scorer, tokenizers  # type: ignore[import-untyped]
    except ImportError as e:
        raise ConfigError(f"--references needs rouge-score: {INSTALL}") from e
    return rouge_scorer, tokenizers


class CjkTokenizer:
    """rouge-score's `Tokenizer` interface: `tokenize(text) -> list[str]`."""

    def __init__(self) -> None:
        _, tokenizers = _rouge_score()
        self._words = tokenizers.DefaultTokenizer(use_stemmer=True)

    def tokenize(self, text: str) -> list[str]:
        tokens: list[str] = []
        for i, part in enumerate(_CJK_OR_REST.split(unicodedata.normalize("NFKC", text))):
            if i % 2:  # the captured separators: one CJK character each
                tokens.append(part)
            elif part.strip():
                tokens.extend(self._words.tokenize(part))
        return tokens


@lru_cache(maxsize=1)
def scorer() -> Any:
    rouge_scorer, _ = _rouge_score()
    return rouge_scorer.RougeScorer(list(TYPES), tokenizer=CjkTokenizer())


def score(reference: str, candidate: str) -> RougeScores:
    scores = scorer().score(reference, candidate)
    return RougeScores(**{t: round(scores[t].fmeasure, 4) for t in TYPES})


def references(folder: Path, docs: list[Doc]) -> dict[str, str]:
    """Each document's reference summary, by file stem: `ref/report.txt` for `docs/report.pdf`."""
    if not folder.is_dir():
        raise ConfigError(f"--references {folder}: not a folder")
    by_stem: dict[str, list[Path]] = {}
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        by_stem.setdefault(path.stem, []).append(path)
    stems = [d.stem for d in docs]
    if repeated := sorted({s for s in stems if stems.count(s) > 1}):
        raise ConfigError(f"--references: documents share a file stem: {', '.join(repeated)}")
    found: dict[str, str] = {}
    for doc in docs:
        paths = by_stem.get(doc.stem, [])
        if len(paths) > 1:
            names = ", ".join(p.name for p in paths)
            raise ConfigError(f"--references: several references for {doc.stem}: {names}")
        if paths:
            found[doc.source] = documents.load(paths[0]).text.strip()
    return found
