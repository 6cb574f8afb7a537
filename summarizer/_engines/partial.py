"""What an answer cut off at max_tokens still holds: its complete notes, kept.

A 1.5B model once ran an 8.9 KB article's notes past max_tokens and the document failed
with nothing. A cut answer is JSON that stops mid-way; jiter reads it in partial mode
(strings still open are left out), and each list keeps the items that validate, except the
one the cut fell in, which may have lost a number or a field.
"""

from __future__ import annotations

from typing import Any, TypeVar

import jiter
from pydantic import BaseModel, ValidationError

from summarizer._answers import as_claim
from summarizer._errors import OutputTruncated

T = TypeVar("T", bound=BaseModel)


def cut_answer(error: OutputTruncated) -> str | None:
    """The text of the cut answer behind `error`, the longest attempt first.

    The client asks once more with room to finish before it gives up, so the error may
    come from the second attempt or (when there was no room) wrap the first.
    """
    from instructor.core import IncompleteOutputException

    seen: set[int] = set()
    pending: list[BaseException] = [error]
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, IncompleteOutputException):
            text = _content(current.last_completion)
            if text:
                return text
        pending += [e for e in (current.__cause__, current.__context__) if e is not None]
    return None


def _content(completion: Any) -> str | None:
    try:
        message = completion.choices[0].message
    except (AttributeError, IndexError, TypeError):
        return None
    if isinstance(message.content, str) and message.content.strip():
        return str(message.content)
    calls = getattr(message, "tool_calls", None) or []
    for call in calls:
        arguments = getattr(getattr(call, "function", None), "arguments", None)
        if isinstance(arguments, str) and arguments.strip():
            return arguments
    return None


def salvage(text: str, model: type[T]) -> T | None:
    """The complete part of a cut JSON answer as `model`, or None when nothing is usable.

    Lists keep their whole items; a missing list is empty; a missing object is made of
    empty lists. None when no list item survives.
    """
    start = text.find("{")
    if start < 0:
        return None
    try:
        data = jiter.from_json(text[start:].encode("utf-8"), partial_mode="on")
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    cut_in = next(reversed(data), None)  # the field being written when the answer stopped
    kept: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        value = data.get(name)
        item = _item_model(field.annotation)
        if item is not None:
            items = value if isinstance(value, list) else []
            if name == cut_in and items and isinstance(items[-1], dict | list):
                items = items[:-1]  # a ["text", 1] pair (v4) may have lost the 2 of 12, too
            kept[name] = [x for x in map(as_claim, items) if _valid(item, x)]
        elif isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel):
            kept[name] = value if _valid(field.annotation, value) else _empty(field.annotation)
        elif getattr(field.annotation, "__origin__", None) is list:  # bare numbers (v3 facts)
            items = value if isinstance(value, list) else []
            kept[name] = items[:-1] if name == cut_in else items  # "[3, 1" may be 12 cut
        else:
            kept[name] = value
    if not any(isinstance(v, list) and v for v in kept.values()):
        return None
    try:
        return model.model_validate(kept)
    except ValidationError:
        return None


def _item_model(annotation: Any) -> type[BaseModel] | None:
    """`X` for a `list[X]` field whose items are models."""
    args = getattr(annotation, "__args__", ())
    if getattr(annotation, "__origin__", None) is list and args:
        inner = args[0]
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return inner
    return None


def _valid(model: type[BaseModel], value: Any) -> bool:
    try:
        model.model_validate(value)
    except ValidationError:
        return False
    return True


def _empty(model: type[BaseModel]) -> dict[str, Any]:
    return {name: [] for name in model.model_fields}
