"""Peer baseline: the facts of a few documents, extracted with LangExtract.

bench/run runs this beside our summarizer, against the same OpenAI-compatible server and
the same documents, asking for the same facts our chunk_notes prompts ask for (a number,
amount, percentage, date or event; a sentence copied from the document; a short statement;
a category). It is LangExtract's documented path for an OpenAI-compatible endpoint, with
nothing tuned:

- `lx.extract(text, prompt_description=..., examples=[one worked example], config=
  ModelConfig(model_id=--model, provider="openai", provider_kwargs={"base_url", "api_key",
  "temperature": 0.0, "max_workers": --concurrency, "max_output_tokens": --max-tokens}))`;
- `fence_output` and `use_schema_constraints` left unset, as LangExtract's README says for
  the OpenAI provider: the schema is derived from the example and sent as a `json_schema`
  response format, and the answer is parsed as raw JSON;
- LangExtract's own chunking (`max_char_buffer` 1000 characters) and one extraction pass;
  its `UnicodeTokenizer` for a document with CJK text (the default `RegexTokenizer` takes a
  run of Han characters for one word), the default tokenizer otherwise.

Read from the installed sources (langextract 1.7): a model id matching none of the OpenAI
patterns (`^gpt-4`, ...) is routed by pattern, and `qwen...` goes to the Ollama provider,
hence the explicit `provider="openai"`; with `config=` the `max_workers` of `lx.extract`
does not reach the provider (it keeps its own default of 10 threads), hence
`max_workers` in `provider_kwargs` as well.

Like bench/peer_langchain.py this runs in its own venv (bench/run makes it):

    python3 -m venv bench/.venv-langextract
    bench/.venv-langextract/bin/pip install 'langextract[openai]'
    bench/.venv-langextract/bin/python bench/peer_langextract.py \\
        --base-url http://127.0.0.1:8080/v1 --model NAME DOC [DOC ...]

It prints one JSON line to stdout and nothing else: `{"documents": {NAME: {"wall_s",
"facts": [{"quote", "statement", "category", "aligned"}], "error"}}, "wall_s",
"langextract_versions", "settings"}`. A document's `wall_s` runs from reading the file to
its result; `quote` is LangExtract's `extraction_text` (what it claims the document says),
`statement` the example's `statement` attribute. The counting (is the quote verbatim, does
it hold the statement's numbers) is bench/run's, the same function for both sides.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import langextract as lx
from langextract import providers
from langextract.core import tokenizer as lx_tokenizer
from langextract.factory import ModelConfig
from peer_versions import versions

PACKAGES = ("langextract", "openai")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")

PROMPT = """\
Extract the facts of the document that state a number, amount, percentage, date or event.
For each fact, the extraction text is one sentence copied character for character from the \
document; never rephrase it. Give two attributes: "statement", what that sentence says in a \
few words, in the language of the document, where every number must appear in the sentence; \
and "category", one of money, percent, date, number, event.
Extract at most 8 facts, in the order they appear."""

# A made-up notice, not one of the benchmark's documents.
EXAMPLE_TEXT = (
    "Northfield Water Board: Pipe Renewal Programme\n"
    "The board approved a budget of $3.4 million for pipe renewal on 14 May 2024. "
    "The budget is 8% higher than last year's. "
    "Crews will replace 12 km of water mains in the old town. "
    "The board chair, Ana Costa, will open the first site on 3 June 2024."
)
EXAMPLE_FACTS = [
    (
        "The board approved a budget of $3.4 million for pipe renewal on 14 May 2024.",
        "Budget of $3.4 million approved on 14 May 2024",
        "money",
    ),
    ("The budget is 8% higher than last year's.", "Budget up 8% on last year", "percent"),
    (
        "Crews will replace 12 km of water mains in the old town.",
        "12 km of mains replaced",
        "number",
    ),
    (
        "The board chair, Ana Costa, will open the first site on 3 June 2024.",
        "First site opens on 3 June 2024",
        "event",
    ),
]


def examples() -> list[Any]:
    return [
        lx.data.ExampleData(
            text=EXAMPLE_TEXT,
            extractions=[
                lx.data.Extraction(
                    extraction_class="fact",
                    extraction_text=quote,
                    attributes={"statement": statement, "category": category},
                )
                for quote, statement, category in EXAMPLE_FACTS
            ],
        )
    ]


def extract_one(
    path: Path, config: ModelConfig, shots: list[Any], constrained: bool
) -> dict[str, Any]:
    started = time.perf_counter()
    text = path.read_text(encoding="utf-8")
    tokenizer = lx_tokenizer.UnicodeTokenizer() if _CJK.search(text) else None
    try:
        with warnings.catch_warnings():
            # "With 'config', schema constraints are still applied via examples": expected.
            warnings.simplefilter("ignore", UserWarning)
            result = lx.extract(
                text,
                prompt_description=PROMPT,
                examples=shots,
                config=config,
                show_progress=False,
                tokenizer=tokenizer,
                use_schema_constraints=constrained,
            )
    except Exception as error:  # a failed document is reported, not fatal to the others
        print(f"peer_langextract: {path.name}: {error!r}", file=sys.stderr)
        return {
            "wall_s": round(time.perf_counter() - started, 4),
            "facts": [],
            "error": repr(error),
        }
    facts = []
    for extraction in result.extractions or []:
        attributes = extraction.attributes or {}
        facts.append(
            {
                "quote": extraction.extraction_text or "",
                "statement": str(attributes.get("statement") or extraction.extraction_text or ""),
                "category": str(attributes.get("category") or ""),
                "aligned": extraction.char_interval is not None
                and extraction.char_interval.start_pos is not None,
            }
        )
    return {"wall_s": round(time.perf_counter() - started, 4), "facts": facts, "error": None}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base-url", required=True, help="OpenAI-compatible base URL")
    parser.add_argument("--model", default="fake")
    parser.add_argument("--concurrency", type=int, default=1, help="LangExtract's max_workers")
    parser.add_argument(
        "--max-tokens", type=int, default=1536, help="max_output_tokens per request"
    )
    parser.add_argument(
        "--no-schema-constraints",
        action="store_true",
        help="use_schema_constraints=False: JSON-object mode, for servers that reject json_schema",
    )
    parser.add_argument("docs", nargs="+", type=Path, help="UTF-8 text files")
    args = parser.parse_args()
    if args.concurrency < 1:
        parser.error("--concurrency must be at least 1")
    config = ModelConfig(
        model_id=args.model,
        provider="openai",
        provider_kwargs={
            "base_url": args.base_url,
            "api_key": "sk-bench",
            "temperature": 0.0,
            "max_workers": args.concurrency,
            "max_output_tokens": args.max_tokens,
        },
    )
    shots = examples()
    # Imports the provider does lazily on its first call (the openai SDK, the registry): a
    # one-time cost of the process, kept off the clock as bench/run's own imports are.
    import openai  # noqa: F401

    providers.load_builtins_once()
    providers.load_plugins_once()
    start = time.perf_counter()
    constrained = not args.no_schema_constraints
    documents = {path.name: extract_one(path, config, shots, constrained) for path in args.docs}
    report = {
        "documents": documents,
        "wall_s": round(time.perf_counter() - start, 4),
        "langextract_versions": versions(PACKAGES),
        "settings": {
            "model": args.model,
            "max_workers": args.concurrency,
            "max_output_tokens": args.max_tokens,
            "temperature": 0.0,
            "use_schema_constraints": constrained,
        },
    }
    print(json.dumps(report, ensure_ascii=False))
    return 0 if not any(d["error"] for d in documents.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
