"""Your own fields: the three forms of --schema read into one tree, refusals in one line, the
canonical form and its hash, and the models made from the tree (what the server is sent,
what a result holds)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

from summarizer import Settings
from summarizer._config import resolve as resolve_settings
from summarizer._custom import Field, SchemaError, digest, load, resolve, to_json_schema
from summarizer._custom_jsonschema import read
from summarizer._custom_syntax import parse
from summarizer._errors import ConfigError

TENDER = "buyer, amount float: total in yuan, deadline date"


def names(fields: tuple[Field, ...]) -> list[str]:
    return [f.name for f in fields]


# --- the inline form ----------------------------------------------------------------------


def test_inline_fields_with_types_and_descriptions() -> None:
    buyer, amount, deadline = parse(TENDER)
    assert (buyer.name, buyer.kind, buyer.description) == ("buyer", "str", "")
    assert (amount.kind, amount.description) == ("float", "total in yuan")
    assert deadline.kind == "date" and not deadline.many


def test_inline_lists_objects_and_enums() -> None:
    people, tags, status, contact, codes = parse(
        "people list[name, role: what they do], tags list, status enum[open|closed], "
        "contact {name, phone}, codes list[int]"
    )
    assert people.many and people.kind == "object" and names(people.fields) == ["name", "role"]
    assert people.fields[1].description == "what they do"
    assert (tags.many, tags.kind) == (True, "str")
    assert (status.kind, status.choices) == ("enum", ("open", "closed"))
    assert (
        contact.kind == "object" and not contact.many and names(contact.fields) == ["name", "phone"]
    )
    assert (codes.kind, codes.many) == ("int", True)


def test_one_field_per_line_lets_descriptions_hold_commas() -> None:
    fields = parse(
        textwrap.dedent(
            """
            buyer: the organisation, as the notice names it
            amount float: the total, in yuan

            people list[
              name
              role: their job, in their words
            ]
            """
        )
    )
    assert names(fields) == ["buyer", "amount", "people"]
    assert fields[0].description == "the organisation, as the notice names it"
    assert fields[2].fields[1].description == "their job, in their words"


def test_chinese_names_and_full_width_marks() -> None:
    fields = parse("采购人，预算金额 float：单位万元，截止时间 date")
    assert names(fields) == ["采购人", "预算金额", "截止时间"]
    assert fields[1].description == "单位万元" and fields[2].kind == "date"


def test_type_aliases_and_a_trailing_separator() -> None:
    fields = parse("a string, b integer, c number, d boolean, e text,")
    assert [f.kind for f in fields] == ["str", "int", "float", "bool", "str"]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            "buyer, amount flot",
            r"field 2 \('amount flot'\): unknown type 'flot' \(did you mean 'float'\?\)",
        ),
        ("buyer name", r"unknown type 'name' \(a name has no spaces"),
        ("3rd", r"a name starts with a letter"),
        ("a, a", r"field 'a' is given twice"),
        ("people list[name, name]", r"field 'people.name' is given twice"),
        ("x list[list[a]]", r"a list of lists is not supported"),
        ("x enum[]", r"enum\[\.\.\.\] lists no choices"),
        ("people list[name, role", r"'\]' missing"),
        ("a: see [note", r"'\]' missing"),
        ("a}", r"unbalanced '\}'"),
        (" , ", r"the schema has no fields"),
        ("x {}", r"x has no fields"),
        ("a {b {c {d}}}", r"nest deeper than 3 levels"),
        (", ".join(f"f{i}" for i in range(41)), r"41 fields; at most 40"),
    ],
)
def test_inline_errors_are_one_line_and_say_where(spec: str, message: str) -> None:
    with pytest.raises(SchemaError, match=message) as error:
        parse(spec)
    assert "\n" not in str(error.value) and str(error.value).startswith("schema: ")


# --- JSON Schema files --------------------------------------------------------------------

NESTED: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "招标公告",
    "type": "object",
    "properties": {
        "buyer": {"type": "string", "description": "采购人"},
        "budget": {"type": ["number", "null"], "description": "预算，万元"},
        "deadline": {"type": "string", "format": "date"},
        "method": {"enum": ["公开招标", "邀请招标"]},
        "lots": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "items": {"type": "array", "items": {"type": "string"}, "maxItems": 5},
                },
                "required": ["name"],
                "additionalProperties": False,
            },
        },
        "contact": {"$ref": "#/$defs/Contact", "description": "联系人"},
    },
    "required": ["buyer"],
    "$defs": {
        "Contact": {
            "type": "object",
            "properties": {"name": {"type": "string"}, "phone": {"type": "string"}},
        }
    },
}


def test_a_json_schema_file_with_nested_lists(tmp_path: Path) -> None:
    path = tmp_path / "tender.json"
    path.write_text(json.dumps(NESTED, ensure_ascii=False), encoding="utf-8")
    schema = load(str(path), tmp_path / "saved")
    assert schema.name == "tender" and schema.version == 0
    buyer, budget, deadline, method, lots, contact = schema.fields
    assert (buyer.description, budget.kind, deadline.kind) == ("采购人", "float", "date")
    assert (method.kind, method.choices) == ("enum", ("公开招标", "邀请招标"))
    assert lots.many and lots.kind == "object"
    assert lots.fields[1] == Field("items", "str", many=True)
    assert contact.kind == "object" and contact.description == "联系人"
    assert names(contact.fields) == ["name", "phone"]


@pytest.mark.parametrize(
    ("prop", "message"),
    [
        ({"allOf": [{"type": "string"}]}, r"a: 'allOf' is not supported"),
        (
            {"anyOf": [{"type": "string"}, {"type": "integer"}]},
            r"anyOf is supported only as one type or null",
        ),
        ({"type": ["string", "integer"]}, r"supported only as one type or null"),
        ({"type": "object", "additionalProperties": {"type": "integer"}}, r"a map"),
        ({"type": "object"}, r"an object needs properties"),
        ({"type": "array", "items": [{"type": "string"}]}, r"tuples are not supported"),
        (
            {"type": "array", "items": {"type": "array", "items": {"type": "string"}}},
            r"array of arrays",
        ),
        ({"enum": [1, 2]}, r"an enum must list strings"),
        ({"$ref": "other.json#/x"}, r"outside this document"),
        ({"$ref": "#/$defs/Nothing"}, r"points at nothing"),
        ({"type": "string", "const": "x"}, r"'const' is not supported"),
        ({"type": "null"}, r"type 'null' is not supported"),
    ],
)
def test_json_schema_refusals_name_the_property(prop: dict[str, Any], message: str) -> None:
    with pytest.raises(SchemaError, match=rf"^schema: f\.json: a: .*{message}|{message}"):
        read({"type": "object", "properties": {"a": prop}}, "f.json")


def test_a_recursive_ref_is_refused() -> None:
    document = {"$ref": "#/$defs/Node", "$defs": {"Node": {"$ref": "#/$defs/Node"}}}
    with pytest.raises(SchemaError, match="refers to itself"):
        read(document, "f.json")


def test_file_errors_are_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"type": "object",', encoding="utf-8")
    with pytest.raises(SchemaError, match=r"broken\.json: not JSON: .* at line 1"):
        load(str(broken), tmp_path)
    with pytest.raises(SchemaError, match=r"missing\.json: no such file"):
        load(str(tmp_path / "missing.json"), tmp_path)
    top = tmp_path / "list.json"
    top.write_text('{"type": "array", "items": {"type": "string"}}', encoding="utf-8")
    with pytest.raises(SchemaError, match="the top must be an object with properties"):
        load(str(top), tmp_path)


# --- Pydantic models ----------------------------------------------------------------------

MODELS = """
from __future__ import annotations

import datetime
import enum

from pydantic import BaseModel, Field


class Method(enum.Enum):
    OPEN = "open"
    INVITED = "invited"


class Person(BaseModel):
    name: str
    role: str | None = Field(default=None, description="their job")


class Tender(BaseModel):
    buyer: str = Field(description="who buys")
    amount: float | None = None
    deadline: datetime.date
    method: Method
    people: list[Person] = []


class Mapping(BaseModel):
    counts: dict[str, int]


NOT_A_MODEL = 3
"""


@pytest.fixture
def models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A module of the user's own, in the working directory as `python -m` finds one."""
    name = f"tender_models_{tmp_path.name.replace('-', '_')}"
    (tmp_path / f"{name}.py").write_text(MODELS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return name


def test_a_pydantic_model_from_the_working_directory(models: str, tmp_path: Path) -> None:
    schema = load(f"{models}:Tender", tmp_path / "saved")
    assert schema.name == "Tender"
    buyer, amount, deadline, method, people = schema.fields
    assert (buyer.description, amount.kind, deadline.kind) == ("who buys", "float", "date")
    assert (method.kind, method.choices) == ("enum", ("open", "invited"))
    assert people.many and people.fields[1] == Field("role", "str", "their job")


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("no_such_module_here:Tender", r"cannot import module 'no_such_module_here'"),
        ("{models}:Missing", r"module '.*' has no 'Missing'"),
        ("{models}:NOT_A_MODEL", r"'NOT_A_MODEL' is not a Pydantic model"),
        ("pathlib:Path", r"'Path' is not a Pydantic model"),
        ("{models}:Mapping", r"counts: additionalProperties other than false \(a map\)"),
    ],
)
def test_pydantic_errors_are_one_line(
    models: str, tmp_path: Path, target: str, message: str
) -> None:
    with pytest.raises(SchemaError, match=message) as error:
        load(target.format(models=models), tmp_path)
    assert "\n" not in str(error.value)


# --- one tree, one hash -------------------------------------------------------------------


def test_the_three_forms_are_one_tree_and_one_hash(models: str, tmp_path: Path) -> None:
    inline = load(
        "buyer: who buys, amount float, deadline date, method enum[open|invited], "
        "people list[name, role: their job]",
        tmp_path,
    )
    from_model = load(f"{models}:Tender", tmp_path)
    path = tmp_path / "tender.json"
    path.write_text(json.dumps(to_json_schema(inline.fields)), encoding="utf-8")
    from_file = load(str(path), tmp_path)
    assert inline.fields == from_model.fields == from_file.fields
    assert inline.sha256 == from_model.sha256 == from_file.sha256
    assert inline.ref.label.startswith("schema:inline@v0#")
    assert from_model.ref.name == "schema:Tender"


def test_the_canonical_form_reads_back_to_itself() -> None:
    fields = parse(
        "a, b int: n, c list[d date, e enum[x|y]], f {g bool, h list[float]}, i list[enum[p|q]]"
    )
    assert read(to_json_schema(fields), "canonical") == fields


def test_the_hash_follows_fields_not_spelling() -> None:
    assert digest(parse("buyer,amount float: total in yuan,deadline date")) == digest(parse(TENDER))
    assert digest(parse("amount float: total in yuan, buyer, deadline date")) != digest(
        parse(TENDER)
    )
    assert digest(parse("buyer, amount float: total in RMB, deadline date")) != digest(
        parse(TENDER)
    )


def test_settings_name_the_schema_and_no_summary_needs_one(tmp_path: Path) -> None:
    assert resolve(Settings(schemas_dir=tmp_path)) is None
    schema = resolve(Settings(schema_spec=TENDER, schemas_dir=tmp_path))
    assert schema is not None and names(schema.fields) == ["buyer", "amount", "deadline"]
    with pytest.raises(ConfigError, match="--no-summary needs --schema"):
        resolve(Settings(summary=False, schemas_dir=tmp_path))


def test_the_schemas_directory_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUMMARIZER_SCHEMAS_DIR", str(tmp_path / "mine"))
    assert resolve_settings().schemas_path == tmp_path / "mine"
