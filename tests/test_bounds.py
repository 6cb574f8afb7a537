"""The schema json_schema mode sends: bounded, and fitted to max_tokens (scripted double)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest

from summarizer._answers import MAX_NOTE_POINTS, ChunkNotes, json_schema
from summarizer._config import Settings
from summarizer._llm.bounds import MAX_ITEM_CHARS, MAX_LIST_ITEMS, MAX_STRING_CHARS
from summarizer._llm.client import Request
from summarizer._session import Session
from summarizer._tokens import estimate_tokens

from .fakeserver import MODEL, Reply, notes_for, sequence, serve


def walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item)


def sent_schema(mode: str, max_tokens: int = 8192, content: str = "notes?") -> dict[str, Any]:
    """The response_format a ChunkNotes request carries in `mode`."""
    notes = notes_for({"messages": [{"role": "user", "content": "<document>A. B.</document>"}]})
    with serve(sequence(Reply(content=notes))) as server:
        settings = Settings(base_url=server.base_url, model=MODEL, mode=mode, context_window=32768)

        async def run() -> None:
            async with Session(settings.model_copy(update={"cache": False})) as session:
                request = Request([{"role": "user", "content": content}], max_tokens=max_tokens)
                await session.client.ask(request, ChunkNotes)

        asyncio.run(run())
    rf: dict[str, Any] = server.requests[0]["response_format"]
    return rf


def test_json_schema_mode_bounds_every_string_and_list() -> None:
    schema = sent_schema("json_schema")["json_schema"]["schema"]  # on a roomy budget
    nodes = list(walk(schema))
    strings = [n for n in nodes if n.get("type") == "string" and "enum" not in n]
    arrays = [n for n in nodes if n.get("type") == "array"]
    assert len(strings) == 7 and all(0 < n["maxLength"] <= MAX_STRING_CHARS for n in strings)
    assert len(arrays) == 5 and all(n["maxItems"] <= MAX_LIST_ITEMS for n in arrays)
    points = schema["properties"]["key_points"]
    assert points["maxItems"] == MAX_NOTE_POINTS  # the model's own limit wins over the default
    assert points["items"]["maxLength"] == MAX_ITEM_CHARS
    assert json_schema(ChunkNotes) == ChunkNotes.model_json_schema(), "the model's is untouched"


def test_json_object_schema_mode_sends_the_models_schema_unchanged() -> None:
    # llama-cpp-python's recorded requests carry exactly this: the cassettes match on it.
    assert sent_schema("json_object_schema")["schema"] == ChunkNotes.model_json_schema()
    small = sent_schema("json_object_schema", max_tokens=300)
    assert small["schema"] == ChunkNotes.model_json_schema()


def longest(node: Any, defs: dict[str, Any], char: str) -> Any:
    """The longest answer a bounded schema allows: every list full, every string at its bound."""
    if "$ref" in node:
        return longest(defs[node["$ref"].rsplit("/", 1)[-1]], defs, char)
    if "enum" in node:
        return max(node["enum"], key=len)
    if node.get("type") == "object":
        return {k: longest(v, defs, char) for k, v in node["properties"].items()}
    if node.get("type") == "array":
        return [longest(node["items"], defs, char) for _ in range(node["maxItems"])]
    return (char * node["maxLength"])[: node["maxLength"]]


@pytest.mark.parametrize(
    ("max_tokens", "document", "char", "tokens_per_char"),
    [
        (1536, "The council met. " * 40, "word ", 0.3),
        (674, "The council met. " * 40, "word ", 0.3),
        (674, "县政府周二公布了预算。" * 40, "字", 1.12),  # the estimate's own cost
    ],
    ids=["roomy-en", "tight-en", "tight-zh"],
)
def test_the_longest_answer_a_json_schema_allows_fits_max_tokens(
    max_tokens: int, document: str, char: str, tokens_per_char: float
) -> None:
    schema = sent_schema("json_schema", max_tokens, document)["json_schema"]["schema"]
    answer = json.dumps(longest(schema, schema.get("$defs", {}), char), ensure_ascii=False)
    chars = sum(len(v) for v in walk_strings(json.loads(answer)))
    syntax = estimate_tokens(answer) - estimate_tokens("".join(walk_strings(json.loads(answer))))
    assert chars * tokens_per_char + syntax <= max_tokens
    assert schema["properties"]["facts"]["maxItems"] >= 1


def walk_strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from walk_strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk_strings(item)
