"""A TEST DOUBLE for the benchmarks: tests/fakeserver.py's loopback OpenAI-compatible server,
in a process of its own, with a script of its own. Never a model, never a recording.

It answers every chat request after a fixed latency, so client overhead, concurrency and
peer comparisons can be measured without a model's noise:

- a request that asks for JSON (response_format or tools) gets notes quoting the first
  sentence of the document it was sent, so grounding finds every quote;
- a plain-text request (as LangChain's summarize chain sends) gets a one-line summary;
- `--fixed` answers every request with the same small valid body, as fast as it can.

`GET /stats` returns request and prompt-token counts (tokens by summarizer's estimator,
the same ruler for every client), the most requests in flight at once and a CRC32 of the
last chat request's body; `POST /stats/reset` zeroes them.

    python3 bench/fake_openai.py --port 8765 --latency 0.2
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

# The repository, for tests.fakeserver (as bench/run does for summarizer).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from summarizer._sentences import split_sentences
from summarizer._tokens import TokenCosts, estimate_tokens
from tests.fakeserver import FakeServer, Reply, Script, document_of, notes_for


def _first_sentence(text: str) -> str:
    """The first sentence of 20 characters or more, as a careful model would quote it."""
    text = text[:4000]  # the first sentence is near the start; keep the double's own work small
    spans = split_sentences(text)
    sentence = next(
        (text[a:b] for a, b in spans if b - a >= 20),
        text[spans[0][0] : spans[0][1]] if spans else "",
    )
    return sentence.strip()


def answer(request: dict[str, Any]) -> str:
    if "response_format" not in request and "tools" not in request:
        return "Summary: " + _first_sentence(document_of(request))[:300]
    if "zq_probe_value" in json.dumps(request.get("response_format") or request.get("tools") or {}):
        return json.dumps({"zq_probe_value": 1})  # behave like a server that enforces schemas
    return notes_for(request, first=_first_sentence)


def _tokens(text: str) -> int:
    """summarizer's estimate, vectorised for long prompts so the double adds no latency of its own."""
    return TokenCosts(text).cost(0, len(text)) if len(text) > 2000 else estimate_tokens(text)


def bench_script(latency: float) -> Script:
    def script(request: dict[str, Any]) -> Reply:
        content = answer(request)
        tool = "tools" in request
        return Reply(
            content=None if tool else content,
            tool_arguments=content if tool else None,
            delay=latency,
            prompt_tokens=sum(_tokens(str(m.get("content", ""))) for m in request["messages"]),
            completion_tokens=estimate_tokens(content),
        )

    return script


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--latency", type=float, default=0.0, help="seconds before each chat answer"
    )
    parser.add_argument(
        "--fixed", action="store_true", help="answer every chat request with one fixed body"
    )
    args = parser.parse_args()
    fixed = Reply(content='{"value": 5}', delay=args.latency)
    script = (lambda _: fixed) if args.fixed else bench_script(args.latency)
    server = FakeServer(script, threads=False, record=False)  # the scripts never block

    def ready() -> None:
        print(f"ready on 127.0.0.1:{args.port}", flush=True)

    asyncio.run(server.run(args.port, ready=ready, backlog=1024))


if __name__ == "__main__":
    main()
