"""The models made from a schema's fields: what the server is sent (bounded, every leaf
wrapped with its sentences, read leniently) and what a result holds (typed by field)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from summarizer._custom import Schema
from summarizer._custom_models import (
    MAX_ITEMS,
    MAX_VALUE_CHARS,
    answer_model,
    result_json_schema,
    result_model,
)
from summarizer._custom_syntax import parse

# --- what the server is sent, and what a result holds -------------------------------------


def test_the_answer_schema_wraps_every_leaf_with_bounds() -> None:
    schema = Schema("inline", 0, parse("buyer, people list[name], status enum[open|closed]"))
    sent = answer_model(schema).model_json_schema()
    assert "$defs" not in json.dumps(sent)
    assert sent["required"] == ["buyer", "people", "status"]
    buyer = sent["properties"]["buyer"]
    assert buyer["required"] == ["value", "sentences"]
    assert buyer["properties"]["value"]["anyOf"][0] == {
        "type": "string",
        "maxLength": MAX_VALUE_CHARS,
    }
    assert buyer["properties"]["sentences"]["maxItems"] == 3
    people = sent["properties"]["people"]
    assert people["maxItems"] == MAX_ITEMS and people["items"]["required"] == ["name"]
    status = sent["properties"]["status"]["properties"]["value"]["anyOf"][0]
    assert status == {"type": "string", "enum": ["open", "closed"]}


def test_answers_small_models_write_are_read_leniently() -> None:
    schema = Schema("inline", 0, parse("buyer, people list[name], n int"))
    answer = answer_model(schema).model_validate(
        {"buyer": "Riverton [2]", "people": {"name": {"value": "Jane", "sentences": "4, 5"}}}
    )
    assert (answer.f0.value, answer.f0.sentences) == ("Riverton [2]", [])  # type: ignore[attr-defined]
    [person] = answer.f1  # type: ignore[attr-defined]
    assert (person.f0.value, person.f0.sentences) == ("Jane", [4, 5])
    assert answer.f2.value is None  # type: ignore[attr-defined]  # missing: null, not a re-ask
    many = answer_model(schema).model_validate({"people": [{"name": "x"}] * 20})
    assert len(many.f1) == MAX_ITEMS  # type: ignore[attr-defined]


def test_the_result_schema_types_each_field() -> None:
    schema = Schema(
        "inline", 0, parse("buyer, amount float, deadline date, s enum[a|b], p list[n]")
    )
    model = result_model(schema)
    good = {
        "spec": schema.ref.model_dump(),
        "fields": {
            "buyer": {"value": "R", "sentences": [1], "spans": [{"start": 0, "end": 3}]},
            "amount": {"value": 3.5},
            "deadline": {"value": "2025-05"},
            "s": {"value": "a"},
            "p": [{"n": {"value": "x"}}],
        },
    }
    model.model_validate(good)
    printed = result_json_schema(schema)
    extraction = printed["properties"]["extraction"]
    assert extraction["anyOf"][1] == {"type": "null"}
    for bad in (
        {"deadline": {"value": "20 May"}},
        {"s": {"value": "c"}},
        {"amount": {"value": "x"}},
    ):
        wrong = {**good, "fields": {**good["fields"], **bad}}
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(_result_with(wrong), printed)
    jsonschema.validate(_result_with(good), printed)


def _result_with(extraction: dict[str, Any]) -> dict[str, Any]:
    """The smallest whole result holding `extraction`, for validation against a schema."""
    from summarizer._schemas import CleaningReport, DocumentSummary, Metadata

    metadata = Metadata(
        source="x",
        engine="llm",
        language="en",
        cleaning=CleaningReport(chars_before=1, chars_after=1),
        chunks=1,
    )
    summary = DocumentSummary(
        title=None, language="en", summary="", key_points=[], facts=[], metadata=metadata
    )
    return {**summary.model_dump(mode="json"), "extraction": extraction}


def test_a_result_with_fields_round_trips_through_parquet(tmp_path: Path) -> None:
    """Parquet has one schema for every run, so the fields (shaped by --schema) are JSON text."""
    pytest.importorskip("pyarrow")
    from summarizer._extracted import Extraction
    from summarizer._schemas import DocumentSummary
    from summarizer._sinks_parquet import ParquetSink, records

    schema = Schema("inline", 0, parse("buyer, people list[name]"))
    extraction = {
        "spec": schema.ref.model_dump(),
        "fields": {
            "buyer": {"value": "R", "sentences": [2], "spans": [{"start": 4, "end": 9}]},
            "people": [{"name": {"value": "Jane"}}],
        },
    }
    whole = _result_with(extraction)
    whole["metadata"]["document"] = {"format": "text", "chars": 1, "sha256": "ab" * 32}
    summary = DocumentSummary.model_validate(whole)
    sink = ParquetSink(tmp_path / "out", resume=False)
    sink.write(summary)
    sink.close()
    [back] = records(tmp_path / "out")
    assert isinstance(back, DocumentSummary) and isinstance(back.extraction, Extraction)
    assert back.extraction == summary.extraction
