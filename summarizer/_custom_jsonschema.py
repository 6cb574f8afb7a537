"""A JSON Schema file, or a Pydantic model's schema, read into fields: a subset, said aloud.

Read: an `object` with `properties` at the top; each property a `string`, `number`,
`integer`, `boolean`, an `enum` of strings, a nested `object` with `properties`, or an
`array` whose `items` is one of those (a list of objects too); `format: date` (or
`date-time`, of which the date is kept) makes a date; `description` is told to the model.
A property that may be null (`["string", "null"]`, `anyOf`/`oneOf` with `{"type": "null"}`,
as Pydantic writes `X | None`) is read as X: every field may be null in the result. Local
`$ref`s into `$defs` or `definitions` are followed (Pydantic writes nested models so).

Accepted and not enforced: `required` (any field may be null), `title`, `default`,
`examples`, `additionalProperties: false`, and the bounds (`minLength`, `maximum`,
`pattern`, `minItems`...). Refused, each with a one-line error naming where: anything else,
such as `allOf`, an `anyOf` of two real types, `not`, `if`, `const`, `patternProperties`,
`additionalProperties` as a schema (a map), tuple `items`/`prefixItems`, an array of arrays,
an object without properties, enums of non-strings, and `$ref`s outside the document.
"""

from __future__ import annotations

from typing import Any, Literal

from summarizer._custom import Field, Kind, SchemaError, checked

_TYPES: dict[str, Kind] = {
    "string": "str",
    "number": "float",
    "integer": "int",
    "boolean": "bool",
    "object": "object",
}
_STRUCTURE = {
    "type",
    "properties",
    "items",
    "enum",
    "format",
    "description",
    "$ref",
    "anyOf",
    "oneOf",
}
_IGNORED = {
    "$schema",
    "$id",
    "$comment",
    "$defs",
    "definitions",
    "title",
    "default",
    "examples",
    "required",
    "additionalProperties",  # only false, checked below
    "minLength",
    "maxLength",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
    "readOnly",
    "writeOnly",
    "deprecated",
    "contentMediaType",
}


def read(data: Any, source: str) -> tuple[Field, ...]:
    """The fields of a schema document; `source` names it in errors."""
    reader = _Reader(data, source)
    top = reader.resolve(data, "the schema")
    if not isinstance(top, dict) or _type_of(top, "the schema", source) != "object":
        raise SchemaError(f"{source}: the top must be an object with properties")
    return checked(reader.properties(top, ""), "")


class _Reader:
    def __init__(self, document: Any, source: str) -> None:
        self.document = document
        self.source = source

    def fail(self, where: str, problem: str) -> SchemaError:
        return SchemaError(f"{self.source}: {where}: {problem}")

    def resolve(self, node: Any, where: str, seen: tuple[str, ...] = ()) -> Any:
        """The node a local `$ref` points at (siblings such as a description kept)."""
        if not isinstance(node, dict) or "$ref" not in node:
            return node
        ref = node["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#/"):
            raise self.fail(where, f"$ref {ref!r} is outside this document (not supported)")
        if ref in seen:
            raise self.fail(
                where, f"$ref {ref!r} refers to itself (recursive schemas are not supported)"
            )
        target: Any = self.document
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, dict) or part not in target:
                raise self.fail(where, f"$ref {ref!r} points at nothing")
            target = target[part]
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        merged = {**target, **siblings} if isinstance(target, dict) else target
        return self.resolve(merged, where, (*seen, ref))

    def properties(self, node: dict[str, Any], where: str) -> list[Field]:
        self.keywords(node, where or "the schema")
        properties = node.get("properties")
        if not isinstance(properties, dict) or not properties:
            raise self.fail(
                where or "the schema", "an object needs properties (maps are not supported)"
            )
        return [
            self.field(name, prop, f"{where}.{name}" if where else name)
            for name, prop in properties.items()
        ]

    def keywords(self, node: dict[str, Any], where: str) -> None:
        unknown = sorted(set(node) - _STRUCTURE - _IGNORED)
        if unknown:
            raise self.fail(where, f"{unknown[0]!r} is not supported")
        extra = node.get("additionalProperties", False)
        if extra is not False and not (extra is True and "properties" not in node):
            raise self.fail(where, "additionalProperties other than false (a map) is not supported")

    def field(self, name: str, node: Any, where: str) -> Field:
        if not isinstance(name, str) or not name.strip():
            raise self.fail(where, "a field needs a name")
        node = self.nonnull(self.resolve(node, where), where)
        self.keywords(node, where)
        description = " ".join(str(node.get("description", "")).split())
        kind = _type_of(node, where, self.source)
        if kind == "array":
            items = node.get("items")
            if not isinstance(items, dict):
                raise self.fail(
                    where, "an array needs one schema as items (tuples are not supported)"
                )
            item = self.nonnull(self.resolve(items, f"{where}[]"), f"{where}[]")
            if _type_of(item, f"{where}[]", self.source) == "array":
                raise self.fail(where, "an array of arrays is not supported")
            about = description or " ".join(str(item.get("description", "")).split())
            one = self.single(name, item, f"{where}[]", about)
            return Field(one.name, one.kind, one.description, True, one.fields, one.choices)
        return self.single(name, node, where, description)

    def single(self, name: str, node: dict[str, Any], where: str, description: str) -> Field:
        self.keywords(node, where)
        kind = _type_of(node, where, self.source)
        if kind == "object":
            return Field(
                name, "object", description, fields=checked(self.properties(node, where), where)
            )
        if "enum" in node:
            choices = node["enum"]
            if (
                not isinstance(choices, list)
                or not choices
                or not all(isinstance(c, str) for c in choices)
            ):
                raise self.fail(where, "an enum must list strings")
            return Field(name, "enum", description, choices=tuple(dict.fromkeys(choices)))
        if kind == "str" and node.get("format") in ("date", "date-time"):
            return Field(name, "date", description)
        assert kind != "array"
        return Field(name, kind, description)

    def nonnull(self, node: Any, where: str) -> dict[str, Any]:
        """X for "X or null", however it is written."""
        if not isinstance(node, dict):
            raise self.fail(where, "a property must be a schema object")
        for key in ("anyOf", "oneOf"):
            if key in node:
                options = [self.resolve(o, where) for o in node[key]]
                real = [o for o in options if not (isinstance(o, dict) and o.get("type") == "null")]
                if len(real) != 1 or len(options) - len(real) > 1:
                    raise self.fail(where, f"{key} is supported only as one type or null")
                rest = {k: v for k, v in node.items() if k not in (key, "default")}
                return self.nonnull({**real[0], **rest}, where)
        kind = node.get("type")
        if isinstance(kind, list):
            real_types = [t for t in kind if t != "null"]
            if len(real_types) != 1:
                raise self.fail(where, f"type {kind!r} is supported only as one type or null")
            return {**node, "type": real_types[0]}
        return node


def _type_of(node: dict[str, Any], where: str, source: str) -> Kind | Literal["array"]:
    """The field's kind, "array", or a refusal; an enum without a type is a string."""
    kind = node.get("type")
    if kind is None and "enum" in node:
        return "str"
    if kind is None and "properties" in node:
        return "object"
    if kind == "array":
        return "array"
    if not isinstance(kind, str) or kind not in _TYPES:
        shown = "no type" if kind is None else f"type {kind!r}"
        raise SchemaError(
            f"{source}: {where}: {shown} is not supported (string, number, integer, boolean, object, array)"
        )
    return _TYPES[kind]
