"""The inline form of `--schema`: fields written the way one would say them.

    buyer, amount float: total in yuan, deadline date
    people list[name, role: what they do], status enum[open|closed], contact {name, phone}

Grammar (one level of fields; the same grammar again inside `list[...]` and `{...}`)::

    fields      := field { SEP field }
    SEP         := a newline when this level holds one outside brackets, else "," or "，"
    field       := NAME [ TYPE ] [ ":" DESCRIPTION ]          (":" or "：")
    NAME        := letters (any script), digits and "_", not starting with a digit
    TYPE        := SCALAR                                     one value
                 | "list"                                     a list of text
                 | "list[" SCALAR "]" | "list[enum[...]]"     a list of values
                 | "list[" fields "]"                         a list of objects
                 | "{" fields "}"                             one object
                 | "enum[" CHOICE { "|" CHOICE } "]"          one of these words ("," works too)
    SCALAR      := str | int | float | bool | date            (also string, text, integer,
                                                               number, boolean); default str
    DESCRIPTION := the rest of the field, told to the model

Write one field per line when descriptions need commas: a newline then separates fields
and commas stay in the description. Brackets in a description must balance, and inside
`list[...]` or `{...}` a description cannot hold them at all. Blank lines and a trailing
separator are ignored; everything else that does not parse is refused with the field it
is in, in one line.
"""

from __future__ import annotations

import difflib
import re

from summarizer._custom import SCALARS, Field, Kind, SchemaError, checked

_NAME = re.compile(r"^[^\W\d]\w*", re.U)
_ALIASES: dict[str, Kind] = {
    **{k: k for k in SCALARS},
    "string": "str",
    "text": "str",
    "integer": "int",
    "number": "float",
    "decimal": "float",
    "boolean": "bool",
}
_OPEN, _CLOSE = "[{", "]}"
_TYPES = "str, int, float, bool, date, list, list[...], {...}, enum[a|b]"


def parse(text: str) -> tuple[Field, ...]:
    _balanced(text)
    return checked(_fields(text, ""), "")


def _fields(text: str, where: str) -> list[Field]:
    return [_field(part, n, where) for n, part in enumerate(_split(text), 1)]


def _split(text: str) -> list[str]:
    """The fields of one level: split at its separators, outside any brackets."""
    separators = "\n" if "\n" in _outside(text) else ",，"
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in text:
        depth += (ch in _OPEN) - (ch in _CLOSE)
        if depth == 0 and ch in separators:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def _outside(text: str) -> str:
    """The characters of `text` that are not inside brackets."""
    depth, kept = 0, []
    for ch in text:
        depth += ch in _OPEN
        if depth == 0:
            kept.append(ch)
        depth -= ch in _CLOSE
    return "".join(kept)


def _balanced(text: str) -> None:
    stack: list[str] = []
    for ch in text:
        if ch in _OPEN:
            stack.append(_CLOSE[_OPEN.index(ch)])
        elif ch in _CLOSE and (not stack or stack.pop() != ch):
            raise SchemaError(f"unbalanced {ch!r} in {text.strip()!r}")
    if stack:
        raise SchemaError(f"{stack[-1]!r} missing in {text.strip()!r}")


def _field(part: str, n: int, where: str) -> Field:
    head, description = _head_and_description(part)
    match = _NAME.match(head)
    label = f"field {n} ({part!r})" + (f" of {where}" if where else "")
    if match is None:
        raise SchemaError(f"{label}: a name starts with a letter or _ and has no spaces")
    name = match.group()
    path = f"{where}.{name}" if where else name
    kind, many, fields, choices = _type(head[match.end() :].strip(), path, label)
    return Field(name, kind, description, many, fields, choices)


def _head_and_description(part: str) -> tuple[str, str]:
    """Split at the first colon outside brackets."""
    depth = 0
    for i, ch in enumerate(part):
        depth += (ch in _OPEN) - (ch in _CLOSE)
        if depth == 0 and ch in ":：":
            return part[:i].strip(), " ".join(part[i + 1 :].split())
    return part.strip(), ""


def _type(
    spec: str, path: str, label: str
) -> tuple[Kind, bool, tuple[Field, ...], tuple[str, ...]]:
    """(kind, many, fields, choices) of a type expression."""
    lowered = spec.lower()
    if not spec or lowered in _ALIASES:
        return (_ALIASES[lowered] if spec else "str"), False, (), ()
    if lowered == "list":
        return "str", True, (), ()
    if lowered.startswith("enum[") and spec.endswith("]"):
        return "enum", False, (), _choices(spec[5:-1], label)
    if spec.startswith("{") and spec.endswith("}"):
        return "object", False, checked(_fields(spec[1:-1], path), path), ()
    if lowered.startswith("list[") and spec.endswith("]"):
        inner = spec[5:-1].strip()
        if inner.lower() in _ALIASES:
            return _ALIASES[inner.lower()], True, (), ()
        if inner.lower().startswith("enum["):
            kind, _, _, choices = _type(inner, path, label)
            return kind, True, (), choices
        if inner.lower().startswith("list"):
            raise SchemaError(f"{label}: a list of lists is not supported")
        return "object", True, checked(_fields(inner, path), path), ()
    close = difflib.get_close_matches(lowered, [*_ALIASES, "list", "enum"], n=1, cutoff=0.75)
    if close:
        hint = f" (did you mean {close[0]!r}?)"
    else:
        hint = " (a name has no spaces: write it with _)" if _NAME.fullmatch(spec) else ""
    raise SchemaError(f"{label}: unknown type {spec!r}{hint}; types: {_TYPES}")


def _choices(text: str, label: str) -> tuple[str, ...]:
    choices = tuple(dict.fromkeys(c.strip() for c in re.split(r"[|,，]", text) if c.strip()))
    if not choices:
        raise SchemaError(f"{label}: enum[...] lists no choices")
    return choices
