"""Getting the JSON out of what a model wrote: reasoning blocks and chatter around it."""

from __future__ import annotations

import json
import re

_THINK = re.compile(r"(?s)<think>.*?</think>\s*|^.*?</think>\s*")
_FENCED = re.compile(r"```(?:json)?\s*(\{.*\})\s*```", re.S)


def strip_reasoning(text: str) -> str:
    """Drop a `<think>` preamble and any prose around the JSON object."""
    text = _THINK.sub("", text).strip()
    if text.startswith(("{", "[")):
        return text
    fenced = _FENCED.search(text)
    if fenced:
        return fenced.group(1)
    start, end = text.find("{"), text.rfind("}")
    if 0 <= start < end:
        candidate = text[start : end + 1]
        try:
            json.loads(candidate)
        except ValueError:
            return text
        return candidate
    return text
