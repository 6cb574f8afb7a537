"""`summarizer eval`: metrics on hand-built results, the report, whole runs through the
offline engine and the scripted double (tests/fakeserver.py), and v1 against v2 replayed
from the cassettes other tests recorded from the real server."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rich.console import Console

from summarizer._config import Settings
from summarizer._eval import corpus, keypoints, report, rouge
from summarizer._eval.claims import claims
from summarizer._eval.command import eval_command
from summarizer._eval.metrics import DocMetrics, compute
from summarizer._eval.results import EvalResults, build, score
from summarizer._eval.runner import Outcome, settings_for
from summarizer._eval.variants import Run, Variant, parse, plan
from summarizer._schemas import (
    Citation,
    CleaningReport,
    DocumentSummary,
    Fact,
    GroundingStats,
    Metadata,
    SourceSpan,
    Usage,
)

from .conftest import CASSETTES, EXAMPLES, rendered
from .fakeserver import MODEL, FakeServer, Reply, serve, user_text, well_behaved

EN_TEXT = (
    "Riverton approved a $48.6 million budget on Tuesday.\n"
    "Mayor Alicia Romero said the plan adds 12 bus routes.\n"
    "The weather was mild and the meeting ran late.\n"
)
ZH = EXAMPLES / "zh_hans_county_news.txt"
EN = EXAMPLES / "en_city_budget.txt"


@pytest.fixture
def en_doc(tmp_path: Path) -> corpus.Doc:
    path = tmp_path / "riverton.txt"
    path.write_text(EN_TEXT, encoding="utf-8")
    return corpus.read(str(path))


def fact(doc: corpus.Doc, quote: str, statement: str) -> Fact:
    start = doc.cleaned.index(quote)
    return Fact(
        statement=statement, category="number", evidence=quote, start=start, end=start + len(quote)
    )


def span(doc: corpus.Doc, text: str) -> SourceSpan:
    start = doc.cleaned.index(text)
    return SourceSpan(start=start, end=start + len(text))


def result_for(
    doc: corpus.Doc,
    summary: str,
    key_points: list[str] | None = None,
    *,
    facts: list[Fact] | None = None,
    citations: list[Citation] | None = None,
    grounding: GroundingStats | None = None,
    usage: Usage | None = None,
    total_ms: float = 0.0,
) -> DocumentSummary:
    size = len(doc.cleaned)
    return DocumentSummary(
        title=None,
        language=doc.language,
        summary=summary,
        key_points=key_points or [],
        facts=facts or [],
        citations=citations or [],
        metadata=Metadata(
            source=doc.source,
            engine="llm",
            language=doc.language,
            cleaning=CleaningReport(chars_before=size, chars_after=size),
            chunks=1,
            timings={"total": total_ms},
            grounding=grounding,
            usage=usage,
        ),
    )


def metrics_of(result: DocumentSummary, doc: corpus.Doc) -> DocMetrics:
    return compute(result, doc, claims(result, doc))


# --- the documents ----------------------------------------------------------------------


def test_key_sentences_are_those_with_a_number_or_an_entity(en_doc: corpus.Doc) -> None:
    assert en_doc.language == "en"
    assert [en_doc.cleaned[a:b] for a, b in en_doc.sentences][2].startswith("The weather")
    assert en_doc.key_sentences == (0, 1)


# --- metrics, each of which can fail ----------------------------------------------------


def test_an_invented_number_lowers_number_fidelity(en_doc: corpus.Doc) -> None:
    faithful = metrics_of(result_for(en_doc, "A $48.6 million budget adds 12 routes."), en_doc)
    invented = metrics_of(result_for(en_doc, "A $48.6 million budget adds 15 routes."), en_doc)
    assert (faithful.numbers, faithful.numbers_in_source, faithful.number_fidelity) == (2, 2, 1.0)
    assert (invented.numbers_in_source, invented.number_fidelity) == (1, 0.5)
    assert invented.invented_numbers == ["15"]


def test_a_fact_statement_counts_for_number_fidelity(en_doc: corpus.Doc) -> None:
    wrong = fact(en_doc, "the plan adds 12 bus routes", "The plan adds 13 bus routes.")
    found = metrics_of(result_for(en_doc, "The council met.", facts=[wrong]), en_doc)
    assert found.invented_numbers == ["13"]
    assert found.facts.present == 1 and found.facts.supported == 0  # 13 is not in its evidence


def test_output_in_another_script_is_caught(tmp_path: Path) -> None:
    path = tmp_path / "zh.txt"
    path.write_text("青岚县今年投入资金2.3亿元，建成乡村电商服务站32个。\n", encoding="utf-8")
    doc = corpus.read(str(path))
    assert doc.language == "zh-Hans"
    same = metrics_of(result_for(doc, "青岚县投入资金2.3亿元建成服务站。"), doc)
    traditional = metrics_of(result_for(doc, "青嵐縣投入資金2.3億元建成服務站。"), doc)
    english = metrics_of(result_for(doc, "The county built 32 service stations."), doc)
    assert (same.in_source_script, traditional.in_source_script, english.in_source_script) == (
        1,
        0,
        0,
    )


def test_compression_is_output_over_cleaned_characters(en_doc: corpus.Doc) -> None:
    found = metrics_of(result_for(en_doc, "x" * 30, ["y" * 10]), en_doc)
    assert found.output_chars == 40 and found.cleaned_chars == len(en_doc.cleaned)
    assert found.compression == round(40 / len(en_doc.cleaned), 4)


def test_label_like_and_redundant_key_points_are_counted(en_doc: corpus.Doc) -> None:
    points = [
        "Riverton approved a $48.6 million budget on Tuesday.",
        "Riverton approved a $48.6 million budget on Tuesday!",  # a near-duplicate
        "Budget overview",  # under 4 words
        "Funding for buses and parks",  # no predicate
        "The plan adds 12 bus routes.",
    ]
    found = metrics_of(result_for(en_doc, "The council met.", points), en_doc)
    assert found.redundant_key_points == 1
    assert found.label_key_points == 2


@pytest.mark.parametrize(
    ("point", "label"),
    [
        ("Budget rises 4% next year", False),
        ("Council plans to expand Route 4", False),
        ("The council approved the budget", False),
        ("Mayor said the plan works", False),
        ("Parks receive $6.2 million", False),  # a plural verb (v3's eval counted it a label)
        ("Rising costs of housing downtown", True),
        ("Funding for schools and parks", True),
        ("经济发展", True),  # under 6 characters
        ("全县农产品网络零售额达4.86亿元", False),
    ],
)
def test_label_heuristic(point: str, label: bool) -> None:
    assert keypoints.is_label(point) is label


def test_near_duplicates_fold_width_and_case() -> None:
    assert keypoints.redundant(
        ["预算增加12.7%", "预算增加１２.７％", "Something else entirely"]
    ) == [1]
    assert keypoints.redundant(["One point here.", "Another, quite different point."]) == []


def test_citations_decide_key_point_and_summary_support(en_doc: corpus.Doc) -> None:
    points = ["Twelve bus routes are added by the plan", "The budget is $48.6 million"]
    citations = [
        Citation(
            kind="key_point",
            index=0,
            text=points[0],
            sentences=[2],
            spans=[span(en_doc, "Mayor Alicia Romero said the plan adds 12 bus routes.")],
        ),
        # a real sentence, but not about the point: cited, not supported
        Citation(
            kind="key_point",
            index=1,
            text=points[1],
            sentences=[3],
            spans=[span(en_doc, "The weather was mild and the meeting ran late.")],
        ),
        Citation(
            kind="summary",
            index=0,
            text="The council passed a budget of $48.6 million.",
            sentences=[1],
            spans=[span(en_doc, "Riverton approved a $48.6 million budget on Tuesday.")],
        ),
    ]
    summary = "The council passed a budget of $48.6 million. Unrelated words entirely here."
    cited = metrics_of(result_for(en_doc, summary, points, citations=citations), en_doc)
    assert cited.key_points.model_dump(exclude={"rate", "emitted"}) == {
        "present": 2,
        "dropped": 0,
        "cited": 2,
        "supported": 1,
    }
    assert (cited.summary_sentences.cited, cited.summary_sentences.supported) == (1, 1)
    uncited = metrics_of(result_for(en_doc, summary, points), en_doc)  # v1: no citations
    assert (uncited.key_points.cited, uncited.key_points.supported) == (0, 0)
    assert uncited.summary_sentences.supported == 0
    # the cited sentences count for coverage; uncited text covers nothing
    assert (cited.covered_sentences, uncited.covered_sentences) == (2, 0)


def test_a_verbatim_sentence_rests_on_where_it_is_found(en_doc: corpus.Doc) -> None:
    found = metrics_of(
        result_for(en_doc, "The weather was mild.", ["The plan adds 12 bus routes."]), en_doc
    )
    assert (found.key_points.cited, found.key_points.supported) == (0, 1)
    assert found.covered_sentences == 1  # the key point's sentence has a number


def test_dropped_claims_count_as_emitted(en_doc: corpus.Doc) -> None:
    kept = fact(en_doc, "the plan adds 12 bus routes", "The plan adds 12 bus routes.")
    grounding = GroundingStats(found=1, dropped=3)
    found = metrics_of(result_for(en_doc, "Met.", facts=[kept], grounding=grounding), en_doc)
    assert (found.facts.emitted, found.facts.supported, found.facts.rate) == (4, 1, 0.25)


def test_usage_and_wall_time_come_from_metadata(en_doc: corpus.Doc) -> None:
    usage = Usage(calls=3, reasks=1, prompt_tokens=900, completion_tokens=120, cached=2)
    found = metrics_of(result_for(en_doc, "Met.", usage=usage, total_ms=1234.5), en_doc)
    assert (found.calls, found.reasks, found.prompt_tokens, found.completion_tokens) == (
        3,
        1,
        900,
        120,
    )
    assert (found.cache_hits, found.wall_ms) == (2, 1234.5)


# --- variants ---------------------------------------------------------------------------


def test_variant_syntax() -> None:
    assert parse("v1=chunk_notes@v1,merge@v1") == Variant("v1", ("chunk_notes@v1", "merge@v1"))
    assert parse("default=") == parse("default") == Variant("default")
    assert parse("off=engine:extractive") == Variant("off", (), "extractive")
    runs = plan([parse("v1=merge@v1"), parse("off=engine:extractive")], ["a", "b"])
    assert [r.label for r in runs] == ["v1 · a", "v1 · b", "off"]
    picked = parse("v2x=chunk_notes@v2,merge@v2,facts:extractive")
    assert picked == Variant("v2x", ("chunk_notes@v2", "merge@v2"), extractive_facts=True)
    assert picked.spec == "chunk_notes@v2,merge@v2,facts:extractive"
    (run,) = plan([picked], ["a"])
    assert settings_for(run, Settings(extractive_facts=False)).extractive_facts
    own = parse("v2=chunk_notes@v2,merge@v2,facts:paraphrased")
    assert own.extractive_facts is False and own.spec == "chunk_notes@v2,merge@v2,facts:paraphrased"
    (run,) = plan([own], ["a"])
    assert not settings_for(run, Settings()).extractive_facts
    # without facts: the run takes the settings' own choice, the default extractive
    assert settings_for(runs[0], Settings()).extractive_facts
    assert not settings_for(runs[0], Settings(extractive_facts=False)).extractive_facts


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("v9=merge@v9", "has no v9"),
        ("x=engine:nope", "unknown engine"),
        ("x=engine:extractive,merge@v1", "takes no pins"),
        ("x=engine:extractive,facts:extractive", "takes no pins"),
        ("x=merge@v2,facts:extractive,facts:paraphrased", "facts: is given twice"),
        ("x=merge@v1,merge", "pinned twice"),
        ("bad name=", "the name must be"),
        ("needs=merge@v1", "needs a model"),
    ],
)
def test_bad_variants_are_usage_errors(spec: str, message: str) -> None:
    result = CliRunner().invoke(eval_command, [str(EN), "--variant", spec])
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    [line] = result.stderr.splitlines()  # one line, as every command of the CLI says it
    assert line.startswith("summarizer: error: ")


# --- the report -------------------------------------------------------------------------


def two_runs(en_doc: corpus.Doc) -> EvalResults:
    v1 = Run(Variant("v1", ("chunk_notes@v1", "merge@v1")), "m")
    v2 = Run(Variant("v2"), "m")
    usage = Usage(calls=2, prompt_tokens=400, completion_tokens=80)
    outcomes = [
        Outcome(
            v1,
            en_doc,
            result_for(
                en_doc,
                "A budget adds 15 routes.",
                ["Budget overview"],
                usage=usage,
                total_ms=2000.0,
            ),
        ),
        Outcome(
            v2,
            en_doc,
            result_for(
                en_doc,
                "A $48.6 million budget adds 12 bus routes.",
                ["The plan adds 12 bus routes."],
                usage=usage,
                total_ms=1500.0,
            ),
        ),
    ]
    return build(score(outcomes))


def test_the_table_side_by_side_at_a_fixed_width(en_doc: corpus.Doc, console: Console) -> None:
    console.print(report.table(two_runs(en_doc)))
    text = rendered(console)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 100
    assert lines[0].startswith("summarizer eval: 1 document(s), totals")

    def row(name: str, table: int = 0) -> list[str]:
        lines = text.split("paired by document")[table].splitlines()
        line = next(line for line in lines if re.match(f"[│┃] {name} ", line))
        return [cell.strip() for cell in re.split("[│┃]", line.strip("│┃"))]

    assert row("metric") == ["metric", "v1 · m", "v2 · m"]
    assert row("number fidelity")[1:] == ["0/1 (0%)", "2/2 (100%)"]
    assert row("label-like key points")[1:] == ["1", "0"]
    assert row("key points supported")[1:] == ["0/1 (0%)", "1/1 (100%)"]
    assert row("wall time")[1:] == ["2.00s", "1.50s"]
    assert row("calls")[1:] == ["2", "2"]
    assert not any("rouge" in line for line in lines)  # no references given
    # the paired comparison names the winner and by how much
    assert "paired by document, against v1 · m" in text
    assert row("metric", 1) == ["metric", "better", "run", "winner", "W–L–T", "mean Δ"]
    assert row("number fidelity", 1)[1:] == ["higher", "v2 · m", "v2 · m", "1–0–0", "+1.00"]
    assert row("wall time", 1)[1:] == ["lower", "v2 · m", "v2 · m", "1–0–0", "-500"]
    assert row("calls", 1)[1:] == ["lower", "v2 · m", "tie", "0–0–1", "+0.00"]


def test_comparison_records(en_doc: corpus.Doc) -> None:
    results = two_runs(en_doc)
    fidelity = next(c for c in results.comparisons if c.metric == "number fidelity")
    assert (fidelity.winner, fidelity.wins, fidelity.mean_delta) == ("v2 · m", 1, 1.0)
    wall = next(c for c in results.comparisons if c.metric == "wall time")
    assert (wall.better, wall.winner, wall.mean_delta) == ("lower", "v2 · m", -500.0)


def test_markdown_and_json_of_the_same_results(en_doc: corpus.Doc) -> None:
    results = two_runs(en_doc)
    markdown = report.to_markdown(results)
    assert "| number fidelity | 0/1 (0%) | 2/2 (100%) |" in markdown
    assert f"### {en_doc.source}" in markdown and "## Paired by document" in markdown
    again = EvalResults.model_validate_json(report.to_json(results))
    assert again.totals["v2 · m"].number_fidelity == 1.0
    assert again.rows[0].metrics is not None and again.rows[0].metrics.invented_numbers == ["15"]


# --- ROUGE ------------------------------------------------------------------------------

REFERENCE_ZH = "青岚县累计投入资金，建成乡村电商服务站。"
CANDIDATE_ZH = "青岚县投入资金，建成电商服务站。"


def test_rouge_is_character_level_for_chinese() -> None:
    rouge_scorer = pytest.importorskip("rouge_score.rouge_scorer")
    default = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    assert all(s.fmeasure == 0 for s in default.score(REFERENCE_ZH, CANDIDATE_ZH).values())
    assert rouge.CjkTokenizer().tokenize("青岚县32个") == ["青", "岚", "县", "32", "个"]
    scores = rouge.score(REFERENCE_ZH, CANDIDATE_ZH)
    assert 0.8 < scores.rouge1 < 1 and 0.6 < scores.rouge2 < scores.rouge1
    assert rouge.score(REFERENCE_ZH, "今天天气晴朗").rouge1 < 0.1


def test_rouge_on_english_is_rouge_scores_own() -> None:
    rouge_scorer = pytest.importorskip("rouge_score.rouge_scorer")
    reference = "The council approved a 12.7% budget increase on Tuesday."
    candidate = "On Tuesday the councils approved the budget increases."
    default = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    ours = rouge.score(reference, candidate)
    theirs = default.score(reference, candidate)
    assert ours.rouge1 == round(theirs["rouge1"].fmeasure, 4)
    assert ours.rougeL == round(theirs["rougeL"].fmeasure, 4)


# --- whole runs through the command -----------------------------------------------------


def invoke(*args: str) -> Any:
    result = CliRunner().invoke(eval_command, list(args))
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def test_offline_variant_writes_json_and_markdown(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke(
        str(ZH),
        str(EN),
        "--variant",
        "offline=engine:extractive",
        "-o",
        str(out),
        "--json",
        str(tmp_path / "e.json"),
        "--markdown",
        str(tmp_path / "e.md"),
    )
    assert "facts supported" in result.stdout and "offline" in result.stdout
    data = json.loads((out / "eval.json").read_text())
    assert data == json.loads((tmp_path / "e.json").read_text())
    assert data["documents"] == [str(ZH), str(EN)]
    total = data["totals"]["offline"]
    assert total["documents"] == 2 and total["calls"] == 0 and total["in_source_script"] == 2
    assert total["key_points"]["supported"] > 0  # verbatim sentences rest on where they are
    markdown = (out / "eval.md").read_text()
    assert markdown == (tmp_path / "e.md").read_text()
    assert markdown.startswith("# summarizer eval: 2 document(s)") and f"### {ZH}" in markdown


def test_references_add_rouge(tmp_path: Path) -> None:
    pytest.importorskip("rouge_score")
    refs = tmp_path / "refs"
    refs.mkdir()
    (refs / f"{ZH.stem}.txt").write_text(REFERENCE_ZH, encoding="utf-8")
    result = invoke(
        str(ZH),
        str(EN),
        "--variant",
        "off=engine:extractive",
        "--references",
        str(refs),
        "--json",
        str(tmp_path / "e.json"),
    )
    assert "rouge1" in result.stdout
    assert f"no reference for {EN}" in result.stderr
    rows = {
        r["source"]: r["metrics"] for r in json.loads((tmp_path / "e.json").read_text())["rows"]
    }
    assert rows[str(ZH)]["rouge"]["rouge1"] > 0 and rows[str(EN)]["rouge"] is None


def endpoint(server: FakeServer) -> list[str]:
    return ["--base-url", server.base_url, "--mode", "json_object"]


def test_a_rerun_is_served_from_the_cache(tmp_path: Path) -> None:
    args = [
        str(ZH),
        str(EN),
        "--model",
        MODEL,
        "--variant",
        "v1=chunk_notes@v1,merge@v1",
        "--variant",
        "same=merge@v1,chunk_notes@v1",
        "--variant",
        "offline=engine:extractive",
    ]
    with serve(well_behaved) as server:
        first = invoke(*args, *endpoint(server), "--json", str(tmp_path / "1.json"))
        asked = len(server.requests)
        invoke(*args, *endpoint(server), "--json", str(tmp_path / "2.json"))
        assert len(server.requests) == asked > 0
    assert "v1 · fake-model" in first.stdout
    one = json.loads((tmp_path / "1.json").read_text())["totals"]
    two = json.loads((tmp_path / "2.json").read_text())["totals"]
    assert one["v1 · fake-model"]["calls"] == asked
    # the same pins in another order are the same prompts: cached even in the first run
    assert one["same · fake-model"]["calls"] == 0 and one["same · fake-model"]["cache_hits"] > 0
    assert all(two[label]["calls"] == 0 for label in two)
    assert two["v1 · fake-model"]["cache_hits"] == one["same · fake-model"]["cache_hits"]
    assert set(two) == {"v1 · fake-model", "same · fake-model", "offline"}


def test_without_variants_the_default_prompts_run_and_are_named(tmp_path: Path) -> None:
    from summarizer._engines.requests import DEFAULT_NOTES

    with serve(well_behaved) as server:
        invoke(str(EN), "--model", MODEL, *endpoint(server), "--json", str(tmp_path / "e.json"))
    data = json.loads((tmp_path / "e.json").read_text())
    (run,) = data["runs"]
    assert (run["label"], run["spec"]) == (f"default · {MODEL}", "")
    assert run["prompts"][0].startswith(f"chunk_notes@v{DEFAULT_NOTES}#")


def test_a_failing_document_is_reported_and_exits_1(tmp_path: Path) -> None:
    def script(request: dict[str, Any]) -> Reply:
        if "青岚县" in user_text(request):
            return Reply(status=400, body='{"error": {"message": "no"}}')
        return well_behaved(request)

    with serve(script) as server:
        result = CliRunner().invoke(
            eval_command,
            [
                str(ZH),
                str(EN),
                "--model",
                MODEL,
                "--variant",
                "v1=chunk_notes@v1,merge@v1",
                *endpoint(server),
                "--json",
                str(tmp_path / "e.json"),
            ],
        )
    assert result.exit_code == 1, result.output
    assert f"failed: v1 · {MODEL}: {ZH}: " in " ".join(result.stdout.split())
    rows = json.loads((tmp_path / "e.json").read_text())["rows"]
    failed = [r for r in rows if r["error"]]
    assert [r["source"] for r in failed] == [str(ZH)] and failed[0]["metrics"] is None


def judging(verdict: bool) -> Any:
    def script(request: dict[str, Any]) -> Reply:
        if request["messages"][0]["content"].startswith("You check summaries"):
            return Reply(content=json.dumps({"supported": verdict}))
        return well_behaved(request)

    return script


@pytest.mark.parametrize("verdict", [True, False])
def test_the_judge_agrees_or_not_with_the_lexical_check(tmp_path: Path, verdict: bool) -> None:
    args = [
        str(EN),
        "--variant",
        "offline=engine:extractive",
        "--judge-model",
        MODEL,
        "--json",
        str(tmp_path / "e.json"),
    ]
    with serve(judging(verdict)) as server:
        result = invoke(*args, *endpoint(server))
        asked = len(server.requests)
        invoke(*args, *endpoint(server))
        assert len(server.requests) == asked  # the verdicts are cached too
    first = server.requests[0]
    assert "Claim: " in user_text(first) and "<document>\n" in user_text(first)
    assert first["model"] == MODEL
    data = json.loads((tmp_path / "e.json").read_text())
    tally = data["totals"]["offline"]["judge"]
    assert tally["judged"] > 0 and tally["failed"] == 0
    assert tally["lexical_supported"] == tally["judged"]  # the offline engine quotes its source
    assert tally["agreement"] == (1.0 if verdict else 0.0)
    assert data["judge"]["calls"] == 0 and data["judge"]["cache_hits"] == asked  # the rerun's
    assert "judge agreement" in result.stdout


def test_a_judged_claim_without_evidence_is_not_judged(en_doc: corpus.Doc) -> None:
    from summarizer._eval import judge

    found = claims(result_for(en_doc, "Nothing like the source at all."), en_doc)
    assert judge.judged(found) == []
    assert judge.tally(found, {}).judged == 0


def test_stdin_is_refused() -> None:
    result = CliRunner().invoke(eval_command, ["-"])
    assert result.exit_code == 2 and "not stdin" in result.stderr


# --- v1 against v2, replayed from the real server -------------------------------------------

RECORDED_URL, RECORDED_MODEL = "http://127.0.0.1:8080/v1", "qwen2.5-coder-1.5b-instruct"
V1_LABEL, V2_LABEL = f"v1 · {RECORDED_MODEL}", f"v2 · {RECORDED_MODEL}"


def recorded_eval(tmp_path: Path, paths: list[Path], *extra: str) -> dict[str, Any]:
    """`summarizer eval` of v1 against v2 on the real server's answers, as the cassettes of
    tests/test_pipeline_llm.py (v1) and tests/test_citations.py (v2) recorded them."""
    out = tmp_path / "eval.json"
    invoke(
        *map(str, paths),
        "--base-url",
        RECORDED_URL,
        "--model",
        RECORDED_MODEL,
        "--variant",
        "v1=chunk_notes@v1,merge@v1",
        "--variant",
        "v2=chunk_notes@v2,merge@v2,facts:paraphrased",  # as recorded
        "--json",
        str(out),
        *extra,
    )
    data: dict[str, Any] = json.loads(out.read_text())
    assert not [r for r in data["rows"] if r["error"]]
    return data


def check_v2_cites(total: dict[str, Any]) -> None:
    """What the v2 prompts promise, in the eval's own totals."""
    for kind in ("facts", "key_points", "summary_sentences"):
        counts = total[kind]
        assert counts["present"] > 0 and counts["cited"] == counts["present"], kind
    assert total["label_key_points"] == 0 and total["reasks"] == 0


@pytest.mark.cassette
@pytest.mark.vcr(
    str(CASSETTES / "test_pipeline_llm" / "test_english_document.yaml"),
    str(CASSETTES / "test_pipeline_llm" / "test_traditional_document_stays_traditional.yaml"),
    str(CASSETTES / "test_citations" / "test_english[v2].yaml"),
    str(CASSETTES / "test_citations" / "test_traditional[v2].yaml"),
    record_mode="none",
)
def test_v1_against_v2_on_english_and_traditional_documents_replayed(tmp_path: Path) -> None:
    en, hant = EXAMPLES / "en_city_budget.txt", EXAMPLES / "zh_hant_taipei_report.txt"
    data = recorded_eval(tmp_path, [en, hant])
    v1, v2 = data["totals"][V1_LABEL], data["totals"][V2_LABEL]
    assert v1["documents"] == v2["documents"] == 2 and v1["in_source_script"] == 2
    assert v1["calls"] > 0 and v2["calls"] > 0 and v1["cache_hits"] == v2["cache_hits"] == 0
    check_v2_cites(v2)
    runs = {r["label"]: r["prompts"] for r in data["runs"]}
    assert [p.split("#")[0] for p in runs[V2_LABEL]] == ["chunk_notes@v2", "merge@v2"]
    wins = {(c["metric"], c["winner"]) for c in data["comparisons"]}
    assert ("summary sentences supported", V2_LABEL) in wins


@pytest.mark.cassette
@pytest.mark.vcr(
    str(CASSETTES / "test_pipeline_llm" / "test_chinese_multi_chunk_document.yaml"),
    str(CASSETTES / "test_citations" / "test_chinese_multi_chunk[v2].yaml"),
    record_mode="none",
)
def test_v1_against_v2_on_a_chinese_document_in_chunks_replayed(tmp_path: Path) -> None:
    data = recorded_eval(tmp_path, [EXAMPLES / "zh_hans_county_news.txt"], "--chunk-tokens", "1000")
    v1, v2 = data["totals"][V1_LABEL], data["totals"][V2_LABEL]
    assert v1["in_source_script"] == v2["in_source_script"] == 1
    assert v1["calls"] > v2["calls"] > 2  # notes on two chunks or more, then a merge
    check_v2_cites(v2)
