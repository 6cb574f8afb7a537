"""Your own fields: every form of `--schema SPEC` becomes one tree of typed fields.

    a saved name (NAME or NAME@vN)     kept by `summarizer schemas save` (`_schema_store`)
    a JSON Schema file (a path)        a subset, read by `_custom_jsonschema`
    a Pydantic model (module:Class)    imported; its JSON Schema read by the same reader
    inline fields                      'buyer, amount float: total in yuan, deadline date'
                                       (grammar in `_custom_syntax`)

SPEC is tried in that order: a saved name when one is saved under it, an existing file (or
anything ending in .json), `module:Class` (no spaces, the class capitalised), else inline
fields. Whatever the form, the tree is what is hashed, so the same fields written two ways
are one schema, and a changed field is another schema (a cache miss, a loud cassette).
Its canonical form is the JSON Schema `to_json_schema` writes, which reads back to itself.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from summarizer._errors import ConfigError
from summarizer._prompts import PromptRef

if TYPE_CHECKING:
    from summarizer._config import Settings

Kind = Literal["str", "int", "float", "bool", "date", "enum", "object"]
SCALARS: tuple[Kind, ...] = ("str", "int", "float", "bool", "date")
MAX_DEPTH = 3  # levels of fields: a list of objects holding a list of objects is the deepest
MAX_FIELDS = 40  # every field at every level: more than a small model can fill in one answer
NEEDS_MODEL = (
    "--schema needs a model: pass --model (and --base-url); the offline engine cannot fill "
    "your own fields, and none are made up"
)
_PYDANTIC = re.compile(r"^(?P<module>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*):(?P<cls>[A-Z]\w*)$")


class SchemaError(ConfigError):
    """A `--schema` that cannot be read or uses what is not supported: one line, exit 2."""

    def __init__(self, problem: str) -> None:
        super().__init__(f"schema: {problem}")


@dataclass(frozen=True)
class Field:
    """One field: a scalar, an enum, or an object of fields; `many` for a list of them."""

    name: str
    kind: Kind
    description: str = ""
    many: bool = False
    fields: tuple[Field, ...] = ()  # an object's
    choices: tuple[str, ...] = ()  # an enum's

    @property
    def leaf(self) -> bool:
        return self.kind != "object"


@dataclass(frozen=True)
class Schema:
    """A schema's fields and what the result records about it."""

    name: str  # a saved name, a file's stem, the model's class, or "inline"
    version: int  # a saved schema's version; 0 for one that is not saved
    fields: tuple[Field, ...]

    @property
    def sha256(self) -> str:
        return digest(self.fields)

    @property
    def ref(self) -> PromptRef:
        """Recorded in `metadata.prompts` and sent in the prompt header beside the prompts."""
        return PromptRef(name=f"schema:{self.name}", version=self.version, sha256=self.sha256)


def checked(fields: list[Field], where: str = "") -> tuple[Field, ...]:
    """The fields, refused when empty, repeated, too deep or too many."""
    if not fields:
        raise SchemaError(f"{where or 'the schema'} has no fields")
    seen: set[str] = set()
    for field in fields:
        if field.name in seen:
            raise SchemaError(f"field {_path(where, field.name)!r} is given twice")
        seen.add(field.name)
    tree = tuple(fields)
    if not where:
        if _depth(tree) > MAX_DEPTH:
            raise SchemaError(f"fields nest deeper than {MAX_DEPTH} levels")
        if _count(tree) > MAX_FIELDS:
            raise SchemaError(f"{_count(tree)} fields; at most {MAX_FIELDS} are filled at once")
    return tree


def _path(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


def _depth(fields: tuple[Field, ...]) -> int:
    return 1 + max((_depth(f.fields) for f in fields if f.fields), default=0)


def _count(fields: tuple[Field, ...]) -> int:
    return sum(1 + _count(f.fields) for f in fields)


# --- the canonical form -------------------------------------------------------------------


def to_json_schema(fields: tuple[Field, ...]) -> dict[str, Any]:
    """The fields as a JSON Schema object (the subset `_custom_jsonschema` reads back)."""
    return {
        "type": "object",
        "properties": {f.name: _property(f) for f in fields},
        "required": [f.name for f in fields],
    }


def _property(field: Field) -> dict[str, Any]:
    one: dict[str, Any]
    if field.kind == "object":
        one = to_json_schema(field.fields)
    elif field.kind == "enum":
        one = {"type": "string", "enum": list(field.choices)}
    elif field.kind == "date":
        one = {"type": "string", "format": "date"}
    else:
        one = {"type": _JSON_TYPES[field.kind]}
    if field.many:
        one = {"type": "array", "items": one}
    if field.description:
        one = {**one, "description": field.description}
    return one


_JSON_TYPES = {"str": "string", "int": "integer", "float": "number", "bool": "boolean"}


def digest(fields: tuple[Field, ...]) -> str:
    """Of the canonical form, field order kept: the order is the order the prompt asks in."""
    canonical = json.dumps(to_json_schema(fields), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --- reading a SPEC -----------------------------------------------------------------------


def resolve(settings: Settings) -> Schema | None:
    """The settings' schema, or None without `--schema`; `--no-summary` needs one."""
    if settings.schema_spec is None:
        if not settings.summary:
            raise ConfigError("--no-summary needs --schema: without it there is nothing to write")
        return None
    return load(settings.schema_spec, settings.schemas_path)


def load(spec: str, saved: Path) -> Schema:
    """Read afresh each time (a batch asks per document): a file or a save may have changed
    meanwhile, and reading costs microseconds; a module is imported once by Python."""
    from summarizer import _schema_store as store

    spec = spec.strip()
    if not spec:
        raise SchemaError("--schema is empty")
    if store.is_ref(spec) and (store.exists(saved, spec) or "@" in spec):
        return store.load(saved, spec)
    path = Path(spec).expanduser()
    if path.is_file() or spec.lower().endswith(".json"):
        return _from_file(path)
    if _PYDANTIC.match(spec):
        return _from_model(spec)
    from summarizer._custom_syntax import parse

    return Schema("inline", 0, parse(spec))


def _from_file(path: Path) -> Schema:
    from summarizer._custom_jsonschema import read

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise SchemaError(f"{path}: no such file") from e
    except (OSError, UnicodeDecodeError) as e:
        raise SchemaError(f"{path}: cannot read: {e}") from e
    except json.JSONDecodeError as e:
        raise SchemaError(f"{path}: not JSON: {e.msg} at line {e.lineno}") from e
    return Schema(path.stem, 0, read(data, str(path)))


def _from_model(spec: str) -> Schema:
    """`module:Class`, imported with the working directory on the path, as `python -m` has."""
    from pydantic import BaseModel

    from summarizer._custom_jsonschema import read

    module_name, _, class_name = spec.partition(":")
    here = os.getcwd()
    added = here not in sys.path
    if added:
        sys.path.insert(0, here)
    try:
        module = importlib.import_module(module_name)
    except ImportError as e:
        raise SchemaError(f"{spec}: cannot import module {module_name!r} ({e})") from e
    except Exception as e:  # the user's module failed while importing
        raise SchemaError(
            f"{spec}: importing {module_name!r} failed: {type(e).__name__}: {e}"
        ) from e
    finally:
        if added:
            sys.path.remove(here)
    model = getattr(module, class_name, None)
    if model is None:
        raise SchemaError(f"{spec}: module {module_name!r} has no {class_name!r}")
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        raise SchemaError(f"{spec}: {class_name!r} is not a Pydantic model")
    try:
        data = model.model_json_schema()
    except Exception as e:  # pydantic cannot make a schema of it (an arbitrary type)
        raise SchemaError(f"{spec}: no JSON Schema for it: {type(e).__name__}: {e}") from e
    return Schema(class_name, 0, read(data, spec))


def describe(schema: Schema) -> str:
    """One line: how `schemas list` shows a schema's fields."""
    return ", ".join(_brief(f) for f in schema.fields)


def _brief(field: Field) -> str:
    if field.kind == "object":
        inner = "{" + ", ".join(_brief(f) for f in field.fields) + "}"
    elif field.kind == "enum":
        inner = "enum[" + "|".join(field.choices) + "]"
    else:
        inner = field.kind
    return f"{field.name} {'list[' + inner + ']' if field.many else inner}"
