"""Measure real tokenizer counts for the token-estimator calibration samples.

Why this exists: exact token counting usually means ``tiktoken`` (or a Hugging Face
tokenizer), and ``tiktoken`` downloads its BPE encodings at run time -- not
something we can rely on offline or in CI. So the project estimates token counts
with a download-free heuristic instead, and this script supplies the ground truth
that heuristic is calibrated against: it sends every text in
``tests/data/token_samples.json`` to a running llama.cpp server
(llama-cpp-python's ``POST /extras/tokenize``) and records how many tokens that
model's real tokenizer produces, under a label, in
``tests/data/token_calibration.json``. Other labels already in the file are kept.

Re-run (with the servers from ``../shared/tools/llm-server`` answering)::

    python3 bench/calibrate_tokens.py --base-url http://127.0.0.1:8080 --name qwen2.5-coder-1.5b
    python3 bench/calibrate_tokens.py --base-url http://127.0.0.1:8081 --name smollm2-135m

Stdlib only. The server tokenizes with ``add_bos=True, special=True``; any tokens it
returns for the empty string (a BOS, for models that add one) are subtracted, so
the counts are content tokens only. Neither Qwen2.5 nor SmolLM2 adds a BOS.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.request
from pathlib import Path
from typing import TypedDict

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SAMPLES = REPO_ROOT / "tests" / "data" / "token_samples.json"
DEFAULT_OUTPUT = REPO_ROOT / "tests" / "data" / "token_calibration.json"
MEASURED_WITH = (
    "python3 bench/calibrate_tokens.py --base-url <llama.cpp server root> --name <tokenizer label>"
    " (llama-cpp-python server, POST /extras/tokenize)"
)


class Sample(TypedDict):
    id: str
    kind: str
    text: str


def load_samples(path: Path) -> list[Sample]:
    samples: list[Sample] = json.loads(path.read_text(encoding="utf-8"))
    ids = [s["id"] for s in samples]
    if len(ids) != len(set(ids)):
        raise ValueError(f"duplicate sample ids in {path}")
    return samples


def count_tokens(base_url: str, text: str, timeout: float = 60.0) -> int:
    """Number of tokens llama-cpp-python's ``/extras/tokenize`` returns for ``text``.

    The endpoint takes ``{"input": text}`` and answers ``{"tokens": [int, ...]}``.
    """
    body = json.dumps({"input": text}).encode("utf-8")
    request = urllib.request.Request(
        base_url.rstrip("/") + "/extras/tokenize",
        data=body,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        payload = json.load(response)
    tokens = payload["tokens"]
    if not isinstance(tokens, list):
        raise ValueError(f"unexpected /extras/tokenize response: {payload!r}")
    return len(tokens)


def update_calibration(path: Path, name: str, counts: dict[str, int]) -> None:
    data: dict[str, object] = {}
    if path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
    tokenizers = data.get("tokenizers")
    if not isinstance(tokenizers, dict):
        tokenizers = {}
    tokenizers[name] = counts
    data["tokenizers"] = dict(sorted(tokenizers.items()))
    data["measured_with"] = MEASURED_WITH
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True, help="server root, e.g. http://127.0.0.1:8080")
    parser.add_argument("--name", required=True, help="tokenizer label, e.g. qwen2.5-coder-1.5b")
    parser.add_argument("--samples", type=Path, default=DEFAULT_SAMPLES)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)

    samples = load_samples(args.samples)
    overhead = count_tokens(args.base_url, "")  # BOS, if the model adds one
    counts = {s["id"]: count_tokens(args.base_url, s["text"]) - overhead for s in samples}
    update_calibration(args.output, args.name, counts)
    print(f"{args.name}: {len(counts)} samples, {sum(counts.values())} tokens -> {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
