"""Entity precision and recall in `summarizer eval` (`--gold`), and the scoring behind it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from summarizer._errors import ConfigError
from summarizer._eval import entities
from summarizer._eval.command import eval_command
from summarizer._eval.corpus import Doc
from summarizer._schemas import Entities

LABELLED = Path(__file__).parent / "data" / "entities"


def test_counts_are_micro_averaged_after_folding() -> None:
    gold = [Entities(people=["黃志遠"], places=["臺北市", "大安區"]), Entities(places=["Ohio"])]
    found = [Entities(people=["黄志远"], places=["臺北市", "文山區"]), Entities(people=["Ohio"])]
    one, two = (entities.count(g, w) for g, w in zip(found, gold, strict=True))
    assert (one.correct, one.predicted, one.wanted) == (2, 3, 3)
    assert (two.correct, two.predicted, two.wanted) == (0, 1, 1)  # the wrong kind is wrong
    summed = entities.total([one, two])
    assert summed is not None and summed.documents == 2
    assert (summed.precision, summed.recall) == (0.5, 0.5)
    assert entities.score(found, gold) == (0.5, 0.5)


def test_nothing_predicted_or_wanted_has_no_rate_but_scores_one() -> None:
    empty = entities.count(Entities(), Entities())
    assert (empty.precision, empty.recall) == (None, None)
    assert entities.total([]) is None
    assert entities.score([Entities()], [Entities()]) == (1.0, 1.0)
    with pytest.raises(ValueError, match="1 results for 2"):
        entities.score([Entities()], [Entities(), Entities()])


def test_a_labelled_file_holds_name_lists_by_kind(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"text": "ignored", "people": ["Ann Lee"]}), encoding="utf-8")
    assert entities.load(path) == Entities(people=["Ann Lee"])
    for bad in ("[1, 2]", '{"people": "Ann Lee"}', "not json"):
        path.write_text(bad, encoding="utf-8")
        with pytest.raises(ConfigError, match=r"--gold .*a\.json"):
            entities.load(path)


def doc(source: str) -> Doc:
    return Doc(source, "text", "en", (), ())


def test_gold_is_matched_by_file_stem(tmp_path: Path) -> None:
    (tmp_path / "report.json").write_text('{"places": ["Ohio"]}', encoding="utf-8")
    found = entities.gold(tmp_path, [doc("docs/report.txt"), doc("docs/other.txt")])
    assert found == {"docs/report.txt": Entities(places=["Ohio"])}
    with pytest.raises(ConfigError, match="share a file stem: report"):
        entities.gold(tmp_path, [doc("a/report.txt"), doc("b/report.md")])
    with pytest.raises(ConfigError, match="not a folder"):
        entities.gold(tmp_path / "missing", [])


def test_eval_scores_the_labelled_set_offline(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for stem in ("en_11_council_budget", "zh_hant_07_elderly"):
        shutil.copy(LABELLED / f"{stem}.txt", docs)
    out = tmp_path / "eval.json"
    args = [str(docs), "--gold", str(LABELLED), "--json", str(out), "-q"]
    result = CliRunner().invoke(eval_command, args)
    assert result.exit_code == 0, result.output
    assert "entity precision" in result.output and "entity recall" in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["gold"] == 2
    total = data["totals"]["offline"]["entities"]
    assert total["documents"] == 2 and total["wanted"] == 12 + 11
    assert total["precision"] >= 0.9 and total["recall"] >= 0.6
    rows = {Path(r["source"]).stem: r["metrics"]["entities"] for r in data["rows"]}
    assert rows["en_11_council_budget"]["correct"] == 12  # all of them, in the right kinds


def test_without_gold_there_are_no_entity_rows(tmp_path: Path) -> None:
    shutil.copy(LABELLED / "en_11_council_budget.txt", tmp_path)
    result = CliRunner().invoke(eval_command, [str(tmp_path), "-q"])
    assert result.exit_code == 0, result.output
    assert "entity precision" not in result.output
