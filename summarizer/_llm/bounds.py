"""The bounds json_schema mode sends: every string and list capped, the whole fitted to max_tokens.

An enforcing server (vLLM's grammar) keeps a model inside the schema, but a small one fills
every field to its limit: SmolLM2-135M wrote 853 tokens of notes for a 235-token note and
was cut at max_tokens, and the halves of a cut chunk were cut again. So the schema sent in
json_schema mode gives each open string a `maxLength` and each open list a `maxItems`, and
when even the longest answer those allow would not fit `max_tokens`, lists are shortened
and then strings, until it does: a model that rambles gets a short, valid answer instead of
a truncation. The answer models themselves are not changed (json_object_schema sends them
as they are, and the cassettes recorded with it match on that), and code still trims lists.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from summarizer._answers import json_schema

# Where an answer model left a string or list open: a sentence copied or a summary of two
# fits MAX_STRING_CHARS, a point or a name in a list MAX_ITEM_CHARS.
MAX_STRING_CHARS, MAX_ITEM_CHARS, MAX_LIST_ITEMS = 300, 160, 8
MIN_STRING_CHARS = 24  # shorter than this, a quote or a point says nothing
FILL = 0.85  # of max_tokens the longest allowed answer may take: whitespace, the estimate
_SLOT_TOKENS = 4  # quotes, a separator and the whitespace a grammar lets a model put around it
# Lists are shortened step by step, and at each step strings by one factor, as long as it
# keeps at least this share of them: (list cap, least share); the last step takes any.
_STEPS: tuple[tuple[int | None, float], ...] = (
    (None, 0.35),
    (5, 0.5),
    (4, 0.5),
    (3, 0.5),
    (2, 0.35),
    (1, 0.0),
)


@lru_cache(maxsize=256)
def fitted(model: type[BaseModel], max_tokens: int, per_char: float) -> dict[str, Any]:
    """`model`'s schema, bounded, whose longest answer fits `max_tokens` at `per_char`
    tokens a character. Callers must not change the dict they get."""
    base = copy.deepcopy(json_schema(model))
    _open_bounds(base, MAX_STRING_CHARS)
    target = max_tokens * FILL
    schema = base
    for cap, least in _STEPS:
        schema = copy.deepcopy(base)
        if cap is not None:
            _cap_lists(schema, cap)
        factor = _string_factor(schema, target, per_char)
        if factor >= least:
            break
    _scale_strings(schema, min(1.0, factor))
    return schema


def _open_bounds(node: Any, chars: int) -> None:
    """A bound for every string and list that has none (strings in lists: MAX_ITEM_CHARS)."""
    if isinstance(node, list):
        for item in node:
            _open_bounds(item, chars)
        return
    if not isinstance(node, dict):
        return
    kind = node.get("type")
    if kind == "string" and not {"maxLength", "enum", "const", "format"} & node.keys():
        node["maxLength"] = chars
    if kind == "array":
        node.setdefault("maxItems", MAX_LIST_ITEMS)
        _open_bounds(node.get("items"), MAX_ITEM_CHARS)
    for name, value in node.items():
        if name != "items" or kind != "array":
            _open_bounds(value, MAX_STRING_CHARS if name in ("properties", "$defs") else chars)


def _worst(schema: dict[str, Any], per_char: float) -> float:
    fixed, chars = _cost(schema, schema.get("$defs", {}))
    return fixed + chars * per_char


def _cost(node: Any, defs: dict[str, Any]) -> tuple[float, float]:
    """Tokens of the longest answer `node` allows: (fixed, characters of free text)."""
    if not isinstance(node, dict):
        return _SLOT_TOKENS, 0.0
    if "$ref" in node:
        return _cost(defs.get(str(node["$ref"]).rsplit("/", 1)[-1], {}), defs)
    options = node.get("anyOf") or node.get("oneOf")
    if options:
        return max((_cost(o, defs) for o in options), key=lambda c: c[0] + c[1])
    kind = node.get("type")
    if kind == "object":
        fixed, chars = 2.0, 0.0
        for name, value in node.get("properties", {}).items():
            f, c = _cost(value, defs)
            fixed, chars = fixed + f + len(name) / 3 + _SLOT_TOKENS, chars + c
        return fixed, chars
    if kind == "array":
        f, c = _cost(node.get("items", {}), defs)
        n = int(node.get("maxItems", MAX_LIST_ITEMS))
        return 2 + n * (f + 1), n * c
    if kind == "string" and "maxLength" in node:
        return _SLOT_TOKENS, float(node["maxLength"])
    return _SLOT_TOKENS + 2, 0.0  # numbers, booleans, enums: a few tokens


def _nodes(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, list):
        for item in node:
            yield from _nodes(item)


def _cap_lists(schema: dict[str, Any], cap: int) -> None:
    for node in _nodes(schema):
        if node.get("type") == "array":
            least = int(node.get("minItems", 0))
            node["maxItems"] = min(int(node["maxItems"]), max(cap, least, 1))


def _string_factor(schema: dict[str, Any], target: float, per_char: float) -> float:
    """By how much every string must shrink for the longest answer to fit `target`."""
    fixed, chars = _cost(schema, schema.get("$defs", {}))
    if chars <= 0 or fixed + chars * per_char <= target:
        return 1.0
    return max(0.0, (target - fixed) / (chars * per_char))


def _scale_strings(schema: dict[str, Any], factor: float) -> None:
    """Every string's bound times `factor`, but not below MIN_STRING_CHARS."""
    if factor >= 1.0:
        return
    for node in _nodes(schema):
        if node.get("type") == "string" and "maxLength" in node:
            length = int(node["maxLength"])
            node["maxLength"] = max(min(length, MIN_STRING_CHARS), int(length * factor))
