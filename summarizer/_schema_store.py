"""Saved schemas: a schema is data, kept under a name in the user config directory.

`summarizer schemas save NAME SPEC` writes `<schemas dir>/NAME/v<N>.json`: the fields in
their canonical JSON Schema, with the SPEC they came from. Saving other fields under a name
adds the next version; saving the same fields again changes nothing. `--schema NAME` uses
the newest version and `--schema NAME@vN` pins one, as prompts are pinned. The directory is
`Settings.schemas_path` (`SUMMARIZER_SCHEMAS_DIR`, else `schemas/` in the config directory).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from summarizer._custom import Schema, SchemaError, digest, to_json_schema

_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")
_REF = re.compile(r"^(?P<name>[a-z][a-z0-9_-]{0,63})(?:@v(?P<version>[0-9]{1,4}))?$")
_FILE = re.compile(r"^v([0-9]{1,4})\.json$")


@dataclass(frozen=True)
class Saved:
    """One saved version, as `schemas list` shows it."""

    schema: Schema
    spec: str
    path: Path


def is_ref(spec: str) -> bool:
    return _REF.match(spec) is not None


def versions(directory: Path, name: str) -> list[int]:
    folder = directory / name
    if not folder.is_dir():
        return []
    return sorted(int(m.group(1)) for p in folder.iterdir() if (m := _FILE.match(p.name)))


def exists(directory: Path, ref: str) -> bool:
    name, version = _parts(ref)
    found = versions(directory, name)
    return bool(found) and (version is None or version in found)


def load(directory: Path, ref: str) -> Schema:
    return read(directory, ref).schema


def read(directory: Path, ref: str) -> Saved:
    from summarizer._custom_jsonschema import read as fields_of

    name, version = _parts(ref)
    found = versions(directory, name)
    if not found:
        raise SchemaError(f"no saved schema {name!r} in {directory} (summarizer schemas list)")
    version = found[-1] if version is None else version
    if version not in found:
        listed = ", ".join(f"v{v}" for v in found)
        raise SchemaError(f"saved schema {name!r} has no v{version} (saved: {listed})")
    path = directory / name / f"v{version}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        spec, fields = str(data["spec"]), data["fields"]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as e:
        raise SchemaError(f"{path}: not a saved schema: {e}") from e
    return Saved(Schema(name, version, fields_of(fields, str(path))), spec, path)


def save(directory: Path, name: str, schema: Schema, spec: str) -> tuple[Saved, bool]:
    """The saved version holding these fields, and whether it was written just now."""
    if not _NAME.match(name):
        raise SchemaError(
            f"cannot save as {name!r}: a name is lower-case letters, digits, _ and -, "
            "starting with a letter"
        )
    found = versions(directory, name)
    if found:
        newest = read(directory, name)
        if newest.schema.sha256 == digest(schema.fields):
            return newest, False
    version = (found[-1] if found else 0) + 1
    saved = Schema(name, version, schema.fields)
    path = directory / name / f"v{version}.json"
    body = {"name": name, "version": version, "spec": spec, "fields": to_json_schema(schema.fields)}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_text(
            json.dumps(body, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        os.replace(temporary, path)
    except OSError as e:
        raise SchemaError(f"{path.parent}: cannot save the schema: {e.strerror or e}") from e
    return Saved(saved, spec, path), True


def listed(directory: Path) -> list[Saved]:
    """Every saved schema's newest version, by name."""
    if not directory.is_dir():
        return []
    names = sorted(
        p.name for p in directory.iterdir() if _NAME.match(p.name) and versions(directory, p.name)
    )
    return [read(directory, name) for name in names]


def _parts(ref: str) -> tuple[str, int | None]:
    match = _REF.match(ref)
    if match is None:
        raise SchemaError(f"not a saved schema's name: {ref!r} (NAME or NAME@vN)")
    version = match.group("version")
    return match.group("name"), int(version) if version else None
