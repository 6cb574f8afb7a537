"""Peer baseline: summarize a folder of documents with LangChain's map-reduce chain.

The benchmark runs this beside our summarizer against the same loopback fake server
(`bench/fake_openai.py`) to compare client-side cost side by side. It is the documented,
idiomatic LangChain path, with nothing tuned:

- each `*.txt` in `--docs` is split with `RecursiveCharacterTextSplitter` (default
  separators) into LangChain `Document`s;
- `load_summarize_chain(llm, chain_type="map_reduce")` with its default prompts ("Write a
  concise summary of the following: ...") summarizes each file: one map call per chunk, then
  one reduce call over the map answers (no collapse step: no collapse prompt is given);
- `ChatOpenAI(base_url=--base-url, model=--model, api_key="sk-bench", max_retries=0,
  temperature=0)`.

LangChain must not be installed into the project's Python (langchain-openai pulls a newer
openai than the project pins), so this script runs in its own venv:

    python3 -m venv bench/.venv-langchain
    bench/.venv-langchain/bin/pip install langchain-classic langchain-openai langchain-text-splitters
    bench/.venv-langchain/bin/python bench/peer_langchain.py \\
        --base-url http://127.0.0.1:8765/v1 --docs DIR --concurrency 32

It prints one JSON line to stdout and nothing else:
`{"documents", "wall_s", "summaries", "langchain_versions", "mode", "concurrency",
"chunks", "errors"}`. `wall_s` runs from reading the documents to the last result
(the same span summarizer's timing covers); `summaries` counts non-empty final summaries;
`chunks` is the number of map inputs (map calls = chunks, plus one reduce call per
document). Failures are counted in `errors` (the first one is described on stderr).

Chunk size. bench/run passes RecursiveCharacterTextSplitter's own defaults, 4000 characters
with 200 of overlap: LangChain as its users run it. (summarizer sizes its chunks to the
model's context window instead, 6000-odd tokens at 8192.) The script's fallback defaults,
2400 and 100 characters, mirror a 1500-token chunk at ~1.6 characters per token, for
comparisons at equal chunk sizes.

Concurrency, read from the installed sources (langchain-classic 1.0, langchain-core 1.x):
`MapReduceDocumentsChain` sends all map prompts of one document in one
`LLMChain.apply` / `aapply` call, i.e. `BaseChatModel.generate` / `agenerate`. The sync
`generate` loops over the prompts one at a time; the async `agenerate` runs them all at
once with `asyncio.gather`, with no limit. So:

- `--mode async` (default, LangChain's parallel path): `chain.abatch(inputs,
  config={"max_concurrency": N})` holds at most N documents in flight, and each of those
  fires all its chunks at once, so requests are capped by the HTTP client instead:
  ChatOpenAI's `http_async_client` is the openai SDK's own client with a connection pool of
  N (`max_connections=N`); on HTTP/1.1 a connection carries one request at a time, so at
  most N requests are in flight and the rest wait in the pool, in order.
- `--mode thread`: `chain.batch(inputs, config={"max_concurrency": N})`, LangChain's
  thread pool of N workers, one document per worker, whose map calls run one after another:
  at most N requests in flight by construction, but a document's chunks never overlap.

Token counting: the reduce step measures its prompt with `llm.get_num_tokens` (to decide on
a collapse) and ChatOpenAI counts with tiktoken, which downloads its encoding at run time
and fails offline. `custom_get_token_ids`, ChatOpenAI's documented hook, replaces it with a
download-free count (one per CJK character, Latin word, digit or other symbol) close to
our estimator; it only feeds that check against `token_max` (3000), never a request.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

import openai
from langchain_classic.chains.summarize import load_summarize_chain
from langchain_core.documents import Document
from langchain_openai import ChatOpenAI
from langchain_text_splitters import RecursiveCharacterTextSplitter
from peer_versions import versions

PACKAGES = (
    "langchain-classic",
    "langchain-core",
    "langchain-openai",
    "langchain-text-splitters",
    "openai",
)
_TOKEN = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]|[A-Za-z]+|\d|\S"
)


def token_ids(text: str) -> list[int]:
    """A download-free stand-in for tiktoken: one id per CJK character, word, digit or symbol."""
    return [0] * len(_TOKEN.findall(text))


def load_inputs(folder: Path, chunk_chars: int, overlap_chars: int) -> list[dict[str, Any]]:
    splitter = RecursiveCharacterTextSplitter(chunk_size=chunk_chars, chunk_overlap=overlap_chars)
    inputs = []
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        docs: list[Document] = splitter.create_documents([text], metadatas=[{"source": path.name}])
        inputs.append({"input_documents": docs})
    return inputs


def build_llm(base_url: str, model: str, concurrency: int) -> ChatOpenAI:
    # The SDK's own Limits type (httpx for openai<3, httpx2 for openai>=3), so the pool
    # object always matches the HTTP library the installed SDK uses.
    limits = type(openai.DEFAULT_CONNECTION_LIMITS)(
        max_connections=concurrency, max_keepalive_connections=concurrency
    )
    return ChatOpenAI(
        base_url=base_url,
        model=model,
        api_key="sk-bench",
        max_retries=0,
        temperature=0,
        http_client=openai.DefaultHttpxClient(limits=limits),
        http_async_client=openai.DefaultAsyncHttpxClient(limits=limits),
        custom_get_token_ids=token_ids,
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--base-url",
        required=True,
        help="OpenAI-compatible base URL, e.g. http://127.0.0.1:8765/v1",
    )
    parser.add_argument("--docs", required=True, type=Path, help="folder of UTF-8 *.txt documents")
    parser.add_argument(
        "--concurrency", type=int, default=32, help="most requests in flight at once"
    )
    parser.add_argument(
        "--chunk-chars", type=int, default=2400, help="splitter chunk size, in characters"
    )
    parser.add_argument(
        "--overlap-chars", type=int, default=100, help="splitter chunk overlap, in characters"
    )
    parser.add_argument("--model", default="fake")
    parser.add_argument(
        "--mode", choices=("async", "thread"), default="async", help="LangChain's abatch or batch"
    )
    args = parser.parse_args()
    if args.concurrency < 1:
        parser.error("--concurrency must be at least 1")
    if not args.docs.is_dir():
        parser.error(f"--docs {args.docs} is not a folder")

    # The clock covers reading and splitting too, as summarizer's own wall time covers
    # loading, cleaning and chunking: the same span of work on both sides.
    start = time.perf_counter()
    inputs = load_inputs(args.docs, args.chunk_chars, args.overlap_chars)
    chain = load_summarize_chain(
        build_llm(args.base_url, args.model, args.concurrency), chain_type="map_reduce"
    )
    config: dict[str, Any] = {"max_concurrency": args.concurrency}

    if args.mode == "async":
        results = asyncio.run(chain.abatch(inputs, config=config, return_exceptions=True))
    else:
        results = chain.batch(inputs, config=config, return_exceptions=True)
    wall = time.perf_counter() - start

    errors = [r for r in results if isinstance(r, BaseException)]
    if errors:
        print(
            f"peer_langchain: {len(errors)} document(s) failed; first: {errors[0]!r}",
            file=sys.stderr,
        )
    summaries = sum(
        1 for r in results if isinstance(r, dict) and str(r.get("output_text", "")).strip()
    )
    report = {
        "documents": len(inputs),
        "wall_s": round(wall, 4),
        "summaries": summaries,
        "langchain_versions": versions(PACKAGES),
        "mode": args.mode,
        "concurrency": args.concurrency,
        "chunks": sum(len(i["input_documents"]) for i in inputs),
        "errors": len(errors),
    }
    print(json.dumps(report))
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
