from __future__ import annotations

import json
from pathlib import Path

from summarizer._sentences import split_sentences
from summarizer._tokens import TokenCosts, estimate_tokens

from .texts import LONG

DATA = Path(__file__).parent / "data"


def test_estimate_never_undercounts_the_calibration_tokenizers() -> None:
    """Samples and their real counts come from bench/calibrate_tokens.py against llama.cpp."""
    samples = {s["id"]: s["text"] for s in json.loads((DATA / "token_samples.json").read_text())}
    calibration = json.loads((DATA / "token_calibration.json").read_text())
    counts = calibration["tokenizers"]["qwen2.5-coder-1.5b"]
    ratios = []
    for sample_id, real in counts.items():
        estimate = estimate_tokens(samples[sample_id])
        assert estimate >= real, (sample_id, estimate, real)
        ratios.append(estimate / real)
    ratios.sort()
    assert ratios[len(ratios) // 2] < 1.5, "estimate should not be wildly pessimistic"


def test_vectorised_costs_equal_the_estimate_for_every_sentence() -> None:
    text = (
        LONG + "\n\n  Ｆｕｌｌ ｗｉｄｔｈ 😀 and emoji, a—dash; “quotes”…\t\t1,234.5%!!!\n"
    ) * 12
    costs = TokenCosts(text)
    for s in split_sentences(text):
        assert costs.cost(s.start, s.end) == estimate_tokens(text[s.start : s.end])


def test_han_costs_the_same_in_every_plane_and_both_paths_agree() -> None:
    han = ["中", "㐀", "﨑", "𠀀", "𰻞"]  # BMP, Extension A, compatibility, Extensions B and G
    assert len({estimate_tokens(ch * 50) for ch in han}) == 1
    assert estimate_tokens("😀" * 50) > estimate_tokens("𠀀" * 50)  # other astral costs more
    text = ("".join(han) + " 😀 𝐀 word。\n") * 300
    costs = TokenCosts(text)
    for s in split_sentences(text):
        assert costs.cost(s.start, s.end) == estimate_tokens(text[s.start : s.end])
