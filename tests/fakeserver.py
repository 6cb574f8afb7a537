"""A TEST DOUBLE: a scripted OpenAI-compatible server on loopback that injects faults.

It is not a model and its answers are not recordings: each test scripts what the server
does to each chat request (answer, fail with a status, stall, drop the connection, cut the
body), so the tests can show how the client recovers. Cassettes, by contrast, come only
from a real server.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MODEL = "fake-model"


@dataclass
class Reply:
    """What the double does with one chat request."""

    content: str | None = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None  # a raw body, for error statuses or malformed answers
    delay: float = 0.0  # seconds before answering: past the client's timeout, a stall
    drop: bool = False  # close the connection without answering
    cut: bool = False  # promise the whole body, send half, close
    finish_reason: str = "stop"
    empty_choices: bool = False
    tool_arguments: str | None = None


Script = Callable[[dict[str, Any]], Reply]


def chat_body(reply: Reply) -> bytes:
    if reply.body is not None:
        return reply.body.encode("utf-8")
    message: dict[str, Any] = {"role": "assistant", "content": reply.content}
    if reply.tool_arguments is not None:
        message = {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "f", "arguments": reply.tool_arguments},
                }
            ],
        }
    choices = (
        []
        if reply.empty_choices
        else [{"index": 0, "message": message, "finish_reason": reply.finish_reason}]
    )
    return json.dumps(
        {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": 0,
            "model": MODEL,
            "choices": choices,
            "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
        },
        ensure_ascii=False,
    ).encode("utf-8")


def ollama_body(reply: Reply) -> bytes:
    if reply.body is not None:
        return reply.body.encode("utf-8")
    done = "length" if reply.finish_reason == "length" else "stop"
    return json.dumps(
        {
            "model": MODEL,
            "message": {"role": "assistant", "content": reply.content},
            "done": True,
            "done_reason": done,
            "prompt_eval_count": 10,
            "eval_count": 5,
        },
        ensure_ascii=False,
    ).encode("utf-8")


class FakeServer:
    """Serves /v1/models and /v1/chat/completions; `requests` logs every chat request body."""

    def __init__(self, script: Script, *, ollama: bool = False, tokenizer: bool = False) -> None:
        self.script = script
        self.ollama = ollama  # also speak Ollama's native /api/version, /api/show and /api/chat
        self.tokenizer = (
            tokenizer  # pose as llama-cpp-python: /extras/tokenize, 1 token per 4 chars
        )
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _send(
                self, status: int, body: bytes, headers: dict[str, str] | None = None
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                if self.path.rstrip("/") == "/v1/models":
                    owner = "library" if server.ollama else "me" if server.tokenizer else "fake"
                    models = {"object": "list", "data": [{"id": MODEL, "owned_by": owner}]}
                    self._send(200, json.dumps(models).encode())
                elif server.ollama and self.path == "/api/version":
                    self._send(200, b'{"version": "0.0.0-double"}')
                else:
                    self._send(404, b'{"error": "not found"}')

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                request = json.loads(self.rfile.read(length) or b"{}")
                if server.tokenizer and self.path == "/extras/tokenize":
                    tokens = list(range(len(str(request.get("input", ""))) // 4))
                    self._send(200, json.dumps({"tokens": tokens}).encode())
                    return
                if server.ollama and self.path == "/api/show":
                    info = {"general.architecture": "qwen2", "qwen2.context_length": 32768}
                    self._send(200, json.dumps({"model_info": info}).encode())
                    return
                native = server.ollama and self.path == "/api/chat"
                if self.path.rstrip("/") != "/v1/chat/completions" and not native:
                    self._send(404, b'{"error": "not found"}')
                    return
                server.headers.append({k.lower(): v for k, v in self.headers.items()})
                server.requests.append(request)
                reply = server.script(request)
                if reply.delay:
                    time.sleep(reply.delay)  # the fault itself: a server too slow to answer
                if reply.drop:
                    self.connection.shutdown(socket.SHUT_RDWR)
                    self.close_connection = True
                    return
                body = ollama_body(reply) if native else chat_body(reply)
                if reply.cut:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.connection.shutdown(socket.SHUT_RDWR)
                    self.close_connection = True
                    return
                self._send(reply.status, body, reply.headers)

        return Handler


@contextmanager
def serve(script: Script, *, ollama: bool = False, tokenizer: bool = False) -> Iterator[FakeServer]:
    server = FakeServer(script, ollama=ollama, tokenizer=tokenizer)
    server.thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()


def sequence(*replies: Reply, then: Script | None = None) -> Script:
    """Answer with each reply in turn, then with `then` (or the last reply) for ever."""
    queue = list(replies)
    lock = threading.Lock()

    def script(request: dict[str, Any]) -> Reply:
        with lock:
            if queue:
                return queue.pop(0)
        if then is not None:
            return then(request)
        return replies[-1]

    return script


def document_of(request: dict[str, Any]) -> str:
    """The text a prompt put between <document> tags (or <notes> tags)."""
    user = next((m["content"] for m in request["messages"] if m["role"] == "user"), "")
    match = re.search(r"<(document|notes)>\n?(.*?)\n?</\1>", user, re.S)
    return match.group(2) if match else user


def notes_for(request: dict[str, Any]) -> str:
    """A well-formed notes answer quoting the first sentence of the document it was given."""
    text = document_of(request)
    first = re.split(r"(?<=[。.!?])", text.strip(), maxsplit=1)[0].strip()
    user = next((m["content"] for m in request["messages"] if m["role"] == "user"), "")
    if "<notes>" in user:
        return json.dumps({"summary": "Merged summary.", "key_points": ["One.", "Two.", "Three."]})
    if "Statement:" in user:
        return json.dumps({"evidence": first})
    return json.dumps(
        {
            "summary": first,
            "key_points": [first],
            "facts": [{"statement": first, "category": "number", "evidence": first}],
            "entities": {"people": [], "organizations": [], "places": []},
        },
        ensure_ascii=False,
    )


def well_behaved(request: dict[str, Any]) -> Reply:
    return Reply(content=notes_for(request))


def endpoint_args(server: FakeServer) -> list[str]:
    """The CLI flags that point a run at the double, with the mode forced and no cache."""
    return ["--base-url", server.base_url, "--model", MODEL, "--mode", "json_object", "--no-cache"]
