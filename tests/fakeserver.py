"""A TEST DOUBLE: a scripted OpenAI-compatible server on loopback that injects faults.

It is not a model and its answers are not recordings: each test scripts what the server
does to each chat request (answer, fail with a status, stall, drop the connection, cut the
body), so the tests can show how the client recovers. Cassettes, by contrast, come only
from a real server.

The benchmarks run this same double in a process of their own (bench/fake_openai.py, with
their own script), so it lives here, beside the tests that would break if it changed, and
imports nothing from summarizer: a double built on the code under test shares its bugs.

It runs on asyncio and speaks just enough HTTP/1.1 for the clients used here (a request
line, headers, a Content-Length body, keep-alive): closing it wakes its loop at once, where
http.server's serve_forever took up to its poll interval (half a second) per test.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from http import HTTPStatus
from typing import Any

MODEL = "fake-model"
_REASONS = {status.value: status.phrase for status in HTTPStatus}


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
    tool_arguments: str | None = None  # answer with a call of the tool the request offered
    prompt_tokens: int = 10  # the usage reported, and added up in Stats
    completion_tokens: int = 5


Script = Callable[[dict[str, Any]], Reply]


@dataclass
class Stats:
    """For the benchmarks, which read them over HTTP: GET /stats, POST /stats/reset."""

    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    max_in_flight: int = 0
    first_request: float = 0.0  # time.monotonic(), with last_answer the busy span
    last_answer: float = 0.0
    last_body_crc32: int = 0  # of the last chat request's JSON: shows two clients sent the same


def chat_body(reply: Reply, request: dict[str, Any]) -> bytes:
    if reply.body is not None:
        return reply.body.encode("utf-8")
    message: dict[str, Any] = {"role": "assistant", "content": reply.content}
    if reply.tool_arguments is not None:
        tools = request.get("tools") or [{"function": {"name": "f"}}]
        function = {"name": tools[0]["function"]["name"], "arguments": reply.tool_arguments}
        message = {
            "role": "assistant",
            "content": None,
            "tool_calls": [{"id": "call_1", "type": "function", "function": function}],
        }
    choices = (
        []
        if reply.empty_choices
        else [{"index": 0, "message": message, "finish_reason": reply.finish_reason}]
    )
    usage = {
        "prompt_tokens": reply.prompt_tokens,
        "completion_tokens": reply.completion_tokens,
        "total_tokens": reply.prompt_tokens + reply.completion_tokens,
    }
    return json.dumps(
        {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": 0,
            "model": request.get("model", MODEL),
            "choices": choices,
            "usage": usage,
        },
        ensure_ascii=False,
    ).encode("utf-8")


def ollama_body(reply: Reply, request: dict[str, Any]) -> bytes:
    if reply.body is not None:
        return reply.body.encode("utf-8")
    done = "length" if reply.finish_reason == "length" else "stop"
    return json.dumps(
        {
            "model": request.get("model", MODEL),
            "message": {"role": "assistant", "content": reply.content},
            "done": True,
            "done_reason": done,
            "prompt_eval_count": reply.prompt_tokens,
            "eval_count": reply.completion_tokens,
        },
        ensure_ascii=False,
    ).encode("utf-8")


def _response(status: int, body: bytes, headers: dict[str, str] | None = None) -> bytes:
    lines = [
        f"HTTP/1.1 {status} {_REASONS.get(status, 'Unknown')}",
        "Content-Type: application/json",
        f"Content-Length: {len(body)}",
        *(f"{name}: {value}" for name, value in (headers or {}).items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class FakeServer:
    """Serves /v1/models and /v1/chat/completions; `requests` logs every chat request body.

    Scripts run on worker threads, so one may block (hold a request open) without stopping
    the others; everything else, the counts included, happens on the server's loop. A script
    that never blocks can run on the loop (`threads=False`), saving the benchmarks a thread
    hop per request (about 0.1 ms).
    """

    def __init__(
        self,
        script: Script,
        *,
        ollama: bool = False,
        tokenizer: bool = False,
        threads: bool = True,
        record: bool = True,
    ) -> None:
        self.script = script
        # ollama: also speak Ollama's native /api/version, /api/show and /api/chat;
        # tokenizer: pose as llama-cpp-python, /extras/tokenize at 1 token per 4 characters;
        # record: keep every request for the test to read (a benchmark sends too many).
        self.ollama = ollama
        self.tokenizer = tokenizer
        self.record = record
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.stats = Stats()
        self.port = 0
        self._in_flight = 0
        self._scripts = (
            ThreadPoolExecutor(max_workers=32, thread_name_prefix="fakeserver") if threads else None
        )
        self._connections: set[asyncio.Task[None]] = set()
        self._stopping: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    async def run(
        self, port: int = 0, *, ready: Callable[[], None] = lambda: None, backlog: int = 128
    ) -> None:
        """Serve on 127.0.0.1 until stop(); `ready` is called once the port is bound."""
        self._loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        listener = await asyncio.start_server(self._connection, "127.0.0.1", port, backlog=backlog)
        self.port = listener.sockets[0].getsockname()[1]
        ready()
        await self._stopping.wait()
        listener.close()
        for task in self._connections:
            task.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)
        await listener.wait_closed()
        if self._scripts is not None:
            self._scripts.shutdown(wait=False, cancel_futures=True)

    def stop(self) -> None:
        """From any thread; running scripts are not waited for."""
        if self._loop is not None and self._stopping is not None:
            self._loop.call_soon_threadsafe(self._stopping.set)

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        try:
            while await self._exchange(reader, writer):
                pass
        except (asyncio.IncompleteReadError, ConnectionError):
            pass  # the client went away: after a timeout, or between keep-alive requests
        finally:
            self._connections.discard(task)
            writer.close()

    async def _exchange(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        """One request and its answer; False when the connection is to be closed."""
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        method, target, _ = head[0].split(" ", 2)
        headers = {
            name.strip().lower(): value.strip()
            for name, value in (line.split(":", 1) for line in head[1:] if ":" in line)
        }
        if "chunked" in headers.get("transfer-encoding", ""):
            writer.write(_response(501, b'{"error": {"message": "no chunked bodies here"}}'))
            return False
        raw = await reader.readexactly(int(headers.get("content-length", "0")))
        path = target.split("?", 1)[0].rstrip("/")
        keep_alive = headers.get("connection", "").lower() != "close"
        if method == "POST" and (
            path == "/v1/chat/completions" or (self.ollama and path == "/api/chat")
        ):
            return await self._chat(json.loads(raw or b"{}"), headers, path, writer) and keep_alive
        writer.write(self._other(method, path, raw))
        await writer.drain()
        return keep_alive

    def _other(self, method: str, path: str, raw: bytes) -> bytes:
        if method == "GET" and path == "/v1/models":
            owner = "library" if self.ollama else "me" if self.tokenizer else "fake"
            models = {"object": "list", "data": [{"id": MODEL, "owned_by": owner}]}
            return _response(200, json.dumps(models).encode())
        if method == "GET" and path == "/stats":
            return _response(200, json.dumps(asdict(self.stats)).encode())
        if method == "POST" and path == "/stats/reset":
            self.stats = Stats()
            return _response(200, b"{}")
        if self.ollama and method == "GET" and path == "/api/version":
            return _response(200, b'{"version": "0.0.0-double"}')
        if self.ollama and method == "POST" and path == "/api/show":
            info = {"general.architecture": "qwen2", "qwen2.context_length": 32768}
            return _response(200, json.dumps({"model_info": info}).encode())
        if self.tokenizer and method == "POST" and path == "/extras/tokenize":
            text = str(json.loads(raw or b"{}").get("input", ""))
            return _response(200, json.dumps({"tokens": list(range(len(text) // 4))}).encode())
        return _response(404, b'{"error": {"message": "not found"}}')

    async def _chat(
        self,
        request: dict[str, Any],
        headers: dict[str, str],
        path: str,
        writer: asyncio.StreamWriter,
    ) -> bool:
        self.stats.requests += 1
        self.stats.last_body_crc32 = zlib.crc32(json.dumps(request, sort_keys=True).encode())
        self.stats.first_request = self.stats.first_request or time.monotonic()
        if self.record:
            self.headers.append(headers)
            self.requests.append(request)
        self._in_flight += 1
        self.stats.max_in_flight = max(self.stats.max_in_flight, self._in_flight)
        try:
            if self._scripts is None:
                reply = self.script(request)
            else:
                loop = asyncio.get_running_loop()
                reply = await loop.run_in_executor(self._scripts, self.script, request)
            if reply.delay:
                await asyncio.sleep(reply.delay)  # the fault itself: a server too slow to answer
        finally:
            self._in_flight -= 1
            self.stats.last_answer = time.monotonic()
        if reply.drop:
            return False
        self.stats.prompt_tokens += reply.prompt_tokens
        self.stats.completion_tokens += reply.completion_tokens
        body = ollama_body(reply, request) if path == "/api/chat" else chat_body(reply, request)
        if reply.cut:
            whole = _response(200, body)
            writer.write(whole[: len(whole) - len(body) // 2])
            await writer.drain()
            return False
        writer.write(_response(reply.status, body, reply.headers))
        await writer.drain()
        return True


def _run(server: FakeServer, started: Future[None]) -> None:
    try:
        asyncio.run(server.run(ready=lambda: started.set_result(None)))
    except BaseException as error:
        if started.done():
            raise
        started.set_exception(error)


@contextmanager
def serve(script: Script, *, ollama: bool = False, tokenizer: bool = False) -> Iterator[FakeServer]:
    """The double on a thread of its own, for one test."""
    server = FakeServer(script, ollama=ollama, tokenizer=tokenizer)
    started: Future[None] = Future()
    thread = threading.Thread(target=_run, args=(server, started), daemon=True)
    thread.start()
    started.result(timeout=30)
    try:
        yield server
    finally:
        server.stop()
        thread.join(timeout=30)


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


def user_text(request: dict[str, Any]) -> str:
    """The first user message: the prompt; later ones are re-asks."""
    messages = request.get("messages", [])
    return next((str(m.get("content")) for m in messages if m.get("role") == "user"), "")


def document_of(request: dict[str, Any]) -> str:
    """The text a prompt put between <document> tags (or <notes> tags)."""
    user = user_text(request)
    match = re.search(r"<(document|notes)>\n?(.*?)\n?</\1>", user, re.S)
    return match.group(2) if match else user


def numbered_lines(request: dict[str, Any]) -> dict[int, str]:
    """The `[n] sentence` (or, prompts v4, `n<TAB>sentence`) lines a citing prompt showed."""
    return {
        int(m.group(1) or m.group(2)): m.group(3)
        for m in re.finditer(r"^(?:\[(\d+)\] |(\d+)\t)(.*)$", document_of(request), re.M)
    }


def notes_for(request: dict[str, Any], first: Callable[[str], str] | None = None) -> str:
    """A well-formed answer quoting the first sentence of the document it was given.

    Notes for a chunk, a merge of notes, or the evidence a re-ask wants. `first` picks the
    sentence; by default, everything up to the first full stop.
    """
    text = document_of(request)
    numbered = list(numbered_lines(request).items())
    if numbered:
        return _cited_notes_for(request, numbered[0], numbered[-1])
    if "<notes>" in user_text(request) and re.search(r" \[\d+(, \d+)*\]$", text, re.M):
        return _cited_merge_for(text, user_text(request))
    quote = (
        first(text)
        if first is not None
        else re.split(r"(?<=[。.!?])", text.strip(), maxsplit=1)[0].strip()
    )
    user = user_text(request)
    if "<notes>" in user:
        return json.dumps(
            {
                "summary": "The parts together describe the report.",
                "key_points": ["One.", "Two.", "Three."],
            }
        )
    if "Statement:" in user:
        return json.dumps({"evidence": quote}, ensure_ascii=False)
    return json.dumps(
        {
            "summary": quote,
            "key_points": [quote],
            "facts": [{"statement": quote, "category": "number", "evidence": quote}],
            "entities": {"people": [], "organizations": [], "places": []},
        },
        ensure_ascii=False,
    )


def _cited_notes_for(request: dict[str, Any], first: tuple[int, str], last: tuple[int, str]) -> str:
    """Citing notes (prompts v2 on): the narrative cites the chunk's first sentence word for
    word, the fact its last (a fact never repeats a key point), as its number alone (v3) or
    with a category (v2), in the shape the prompt asks: claims as ["text", n] pairs from v4."""
    user = user_text(request)
    claim = _claims(user, first[1], [first[0]])
    notes: dict[str, Any] = {"summary": claim, "key_points": claim}
    number, sentence = last
    if "as [numbers]" in user:
        notes["facts"] = [number]
    elif '"statement"' in user:
        notes["facts"] = [{"sentences": [number], "statement": sentence, "category": "number"}]
    else:
        notes["facts"] = [{"sentences": [number], "category": "number"}]
    if '"entities"' in user:
        notes["entities"] = {"people": [], "organizations": [], "places": []}
    return json.dumps(notes, ensure_ascii=False)


def _cited_merge_for(notes: str, user: str) -> str:
    """A citing merge that keeps the first note line with its numbers."""
    line = next(x for x in notes.splitlines() if re.search(r" \[\d+(, \d+)*\]$", x))
    found = re.match(r"^(?:- )?(.*) \[(\d+(?:, \d+)*)\]$", line)
    assert found is not None
    claim = _claims(user, found.group(1), [int(n) for n in found.group(2).split(", ")])
    return json.dumps({"summary": claim, "key_points": claim}, ensure_ascii=False)


def _claims(user: str, text: str, numbers: list[int]) -> list[Any]:
    """One claim, as a ["text", n] pair where the prompt asks so (v4), else an object."""
    if '["text", number]' in user:
        return [[text, numbers[0]]]
    return [{"text": text, "sentences": numbers}]


def well_behaved(request: dict[str, Any]) -> Reply:
    return Reply(content=notes_for(request))


def endpoint_args(server: FakeServer) -> list[str]:
    """The CLI flags that point a run at the double, with the mode forced and no cache."""
    return ["--base-url", server.base_url, "--model", MODEL, "--mode", "json_object", "--no-cache"]
