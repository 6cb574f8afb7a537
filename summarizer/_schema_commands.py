"""The CLI's part of your own fields: `summarizer schemas save|list|show`, the JSON Schema
`summarizer schema --for SPEC` prints, and the check `summarize --schema` makes before any
document is read (so a bad SPEC, or one without a model, fails once and not per document).
"""

from __future__ import annotations

import json

import click

from summarizer import _config as config
from summarizer import _custom as custom
from summarizer import _schema_store as store
from summarizer._errors import ConfigError
from summarizer._exits import reports_errors


def preflight(settings: config.Settings, engine: str) -> None:
    """Refuse `--schema` without a model, then a SPEC that does not read, in one line."""
    if settings.schema_spec is not None and engine != "llm":
        raise ConfigError(custom.NEEDS_MODEL)
    custom.resolve(settings)


def result_schema(spec: str) -> str:
    """The JSON Schema of a result whose `extraction` holds SPEC's fields."""
    from summarizer._custom_models import result_json_schema

    schema = custom.load(spec, config.resolve({}).schemas_path)
    return json.dumps(result_json_schema(schema), indent=2, ensure_ascii=False)


@click.group(name="schemas")
def schemas_group() -> None:
    """Saved schemas: your own fields kept by name, for --schema NAME."""


@schemas_group.command(name="save")
@click.argument("name")
@click.argument("spec")
@reports_errors
def save(name: str, spec: str, debug: bool = False) -> None:
    """Keep SPEC (a JSON Schema file, module:Class, a saved name or inline fields) as NAME.

    Other fields under a NAME already saved are its next version; the same fields again
    change nothing.
    """
    where = config.resolve({}).schemas_path
    saved, written = store.save(where, name, custom.load(spec, where), spec)
    label = f"{name}@v{saved.schema.version}"
    verb = "saved" if written else "unchanged, already saved as"
    click.echo(f"{verb} {label} ({saved.path}): {custom.describe(saved.schema)}")


@schemas_group.command(name="list")
@reports_errors
def list_saved(debug: bool = False) -> None:
    """The saved schemas: newest version, hash and fields of each."""
    where = config.resolve({}).schemas_path
    found = store.listed(where)
    if not found:
        click.echo(f"no saved schemas in {where} (summarizer schemas save NAME SPEC)", err=True)
        return
    for saved in found:
        schema = saved.schema
        label = f"{schema.name}@v{schema.version}"
        click.echo(f"{label:<24} {schema.sha256[:12]}  {custom.describe(schema)}")


@schemas_group.command(name="show")
@click.argument("ref")
@reports_errors
def show(ref: str, debug: bool = False) -> None:
    """Print a saved schema's fields as JSON Schema (NAME for the newest, NAME@vN)."""
    saved = store.read(config.resolve({}).schemas_path, ref)
    click.echo(f"# {saved.schema.ref.label}  (saved from: {saved.spec})", err=True)
    click.echo(json.dumps(custom.to_json_schema(saved.schema.fields), indent=2, ensure_ascii=False))
