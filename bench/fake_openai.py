"""A loopback fake OpenAI-compatible server for benchmarks (a test double, not a model).

It answers every chat request after a fixed latency, so client overhead, concurrency and
peer comparisons can be measured without a model's noise:

- a request that asks for JSON (response_format or tools) gets notes quoting the first
  sentence of the document it was sent, so grounding finds every quote;
- a plain-text request (as LangChain's summarize chain sends) gets a one-line summary;
- `--fixed` answers every request with the same small valid body, as fast as it can.

`GET /stats` returns request and prompt-token counts (tokens by summarizer's estimator,
the same ruler for every client); `POST /stats/reset` zeroes them.

    python3 bench/fake_openai.py --port 8765 --latency 0.2
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import time
import zlib
from typing import Any

from summarizer._chunking import TokenCosts, estimate_tokens, split_sentences

STATS: dict[str, float] = {
    "requests": 0,
    "prompt_tokens": 0,
    "completion_tokens": 0,
    "max_in_flight": 0,
    "first_request": 0.0,
    "last_answer": 0.0,  # time.monotonic(), for the busy span
    "last_body_crc32": 0,  # of the last chat request's JSON body: shows two clients sent the same
}
_in_flight = 0
FIXED = json.dumps(
    {
        "id": "chatcmpl-fixed",
        "object": "chat.completion",
        "created": 0,
        "model": "fake",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": '{"value": 5}'},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }
).encode()


def _document(text: str) -> str:
    match = re.search(r"<(document|notes)>\n?(.*?)\n?</\1>", text, re.S)
    return match.group(2) if match else text


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
    messages = request.get("messages", [])
    user = "\n".join(str(m.get("content", "")) for m in messages if m.get("role") == "user")
    wants_json = "response_format" in request or "tools" in request
    if not wants_json:
        return "Summary: " + _first_sentence(_document(user))[:300]
    if "zq_probe_value" in json.dumps(request.get("response_format") or request.get("tools") or {}):
        return json.dumps({"zq_probe_value": 1})  # behave like a server that enforces schemas
    if "<notes>" in user:
        return json.dumps(
            {
                "summary": "The parts together describe the report.",
                "key_points": ["One.", "Two.", "Three."],
            }
        )
    if "Statement:" in user:
        return json.dumps({"evidence": _first_sentence(_document(user))}, ensure_ascii=False)
    first = _first_sentence(_document(user))
    return json.dumps(
        {
            "summary": first,
            "key_points": [first],
            "facts": [{"evidence": first, "statement": first, "category": "number"}],
            "entities": {"people": [], "organizations": [], "places": []},
        },
        ensure_ascii=False,
    )


def _tokens(text: str) -> int:
    """summarizer's estimate, vectorised for long prompts so the double adds no latency of its own."""
    return TokenCosts(text).cost(0, len(text)) if len(text) > 2000 else estimate_tokens(text)


def chat_response(request: dict[str, Any]) -> bytes:
    content = answer(request)
    prompt = sum(_tokens(str(m.get("content", ""))) for m in request.get("messages", []))
    completion = estimate_tokens(content)
    STATS["prompt_tokens"] += prompt
    STATS["completion_tokens"] += completion
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if "tools" in request:
        name = request["tools"][0]["function"]["name"]
        message = {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": name, "arguments": content},
                }
            ],
        }
    return json.dumps(
        {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": 0,
            "model": request.get("model", "fake"),
            "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
            "usage": {
                "prompt_tokens": prompt,
                "completion_tokens": completion,
                "total_tokens": prompt + completion,
            },
        },
        ensure_ascii=False,
    ).encode()


async def handle(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, latency: float, fixed: bool
) -> None:
    global _in_flight
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, path, _ = lines[0].split(" ", 2)
            headers = {
                k.strip().lower(): v.strip()
                for k, v in (line.split(":", 1) for line in lines[1:] if ":" in line)
            }
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            status, payload = 200, b"{}"
            if path.startswith("/v1/models"):
                payload = json.dumps(
                    {"object": "list", "data": [{"id": "fake", "owned_by": "bench"}]}
                ).encode()
            elif path.startswith("/stats/reset"):
                STATS.update({k: 0 for k in STATS})
            elif path.startswith("/stats"):
                payload = json.dumps(STATS).encode()
            elif path.startswith("/v1/chat/completions") and method == "POST":
                STATS["requests"] += 1
                canonical = json.dumps(json.loads(body or b"{}"), sort_keys=True)
                STATS["last_body_crc32"] = zlib.crc32(canonical.encode())
                STATS["first_request"] = STATS["first_request"] or time.monotonic()
                _in_flight += 1
                STATS["max_in_flight"] = max(STATS["max_in_flight"], _in_flight)
                try:
                    if latency:
                        await asyncio.sleep(latency)
                    payload = FIXED if fixed else chat_response(json.loads(body or b"{}"))
                finally:
                    _in_flight -= 1
                    STATS["last_answer"] = time.monotonic()
            else:
                status, payload = 404, b'{"error": {"message": "not found"}}'
            writer.write(
                f"HTTP/1.1 {status} OK\r\nContent-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n".encode()
                + payload
            )
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def main() -> None:
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
    server = await asyncio.start_server(
        lambda r, w: handle(r, w, args.latency, args.fixed), "127.0.0.1", args.port, backlog=1024
    )
    print(f"ready on 127.0.0.1:{args.port}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
