from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from summarizer.cli import main

from .conftest import EXAMPLES

ZH = EXAMPLES / "zh_hans_county_news.txt"


def test_rich_panel_by_default(runner: CliRunner) -> None:
    result = runner.invoke(main, ["summarize", str(ZH)])
    assert result.exit_code == 0, result.output
    assert "青岚县" in result.stdout and "Key points" in result.stdout
    assert result.stderr.count("\n") == 1 and "--base-url" in result.stderr


def test_json_to_stdout_is_pure_json(runner: CliRunner) -> None:
    result = runner.invoke(main, ["summarize", str(ZH), "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["language"] == "zh-Hans" and data["metadata"]["engine"] == "extractive"


def test_quiet_silences_the_notice(runner: CliRunner) -> None:
    result = runner.invoke(main, ["summarize", str(ZH), "-q", "-f", "markdown"])
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.startswith("# ")


def test_stdin(runner: CliRunner) -> None:
    result = runner.invoke(main, ["summarize", "-", "-f", "json"], input=ZH.read_bytes())
    assert result.exit_code == 0
    assert json.loads(result.stdout)["metadata"]["source"] == "<stdin>"


def test_output_file_and_format_from_suffix(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    result = runner.invoke(main, ["summarize", str(ZH), "-o", str(out)])
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["title"]
    assert out.stat().st_mode & 0o644 == 0o644, "an ordinary, readable file"
    md = tmp_path / "result.md"
    assert runner.invoke(main, ["summarize", str(ZH), "-o", str(md)]).exit_code == 0
    assert md.read_text(encoding="utf-8").startswith("# ")


def test_refuses_to_overwrite_the_input(runner: CliRunner, tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_bytes(ZH.read_bytes())
    result = runner.invoke(main, ["summarize", str(doc), "-o", str(doc)])
    assert result.exit_code != 0
    assert "refusing to overwrite" in result.stderr
    assert doc.read_bytes() == ZH.read_bytes()


def test_unwritable_output_keeps_one_line(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        main, ["summarize", str(ZH), "-o", str(tmp_path / "missing" / "out.json")]
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("summarizer: error: ") and result.stderr.count("\n") == 1


def bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 4)
    chrome = tmp_path / "chrome.txt"
    chrome.write_text("编辑推荐\n扫码关注我们\n", encoding="utf-8")
    return {
        "missing": (tmp_path / "nope.txt", "no such file"),
        "empty": (empty, "file is empty"),
        "binary": (binary, "binary file"),
        "only chrome": (chrome, "nothing left"),
    }


@pytest.mark.parametrize("case", ["missing", "empty", "binary", "only chrome"])
def test_bad_input_is_one_line_exit_2(runner: CliRunner, tmp_path: Path, case: str) -> None:
    path, message = bad_inputs(tmp_path)[case]
    result = runner.invoke(main, ["summarize", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"summarizer: error: {path}: ")
    assert message in result.stderr


def test_python_dash_m_without_traceback(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "summarizer", "summarize", str(tmp_path / "nope.txt")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip() == f"summarizer: error: {tmp_path / 'nope.txt'}: no such file"


def test_prompts_list_and_show(runner: CliRunner) -> None:
    listed = runner.invoke(main, ["prompts", "list"])
    assert listed.exit_code == 0
    for name in ("chunk_notes", "merge", "fact_repair"):
        assert name in listed.stdout
    shown = runner.invoke(main, ["prompts", "show", "merge@v1"])
    assert shown.exit_code == 0 and shown.stdout.startswith("---\nname: merge\n")
    escape = runner.invoke(main, ["prompts", "show", "../../etc/passwd"])
    assert escape.exit_code == 2 and "not a prompt name" in escape.stderr


def test_llm_engine_through_an_endpoint(runner: CliRunner, tmp_path: Path) -> None:
    from .fakeserver import MODEL, endpoint_args, serve, well_behaved

    with serve(well_behaved) as server:
        args = ["summarize", str(ZH), "-f", "json", "--chunk-tokens", "700", *endpoint_args(server)]
        result = runner.invoke(main, args)  # in parts: the merge is a call too
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    meta = data["metadata"]
    assert (meta["engine"], meta["mode"], meta["model"]) == ("llm", "json_object", MODEL)
    assert "notice" not in meta and result.stderr == ""
    assert meta["usage"]["calls"] == len(server.requests) >= 2
    from summarizer._cleaning import clean
    from summarizer._documents import load

    cleaned = clean(load(ZH).text).text
    assert data["facts"] and all(
        cleaned[f["start"] : f["end"]] == f["evidence"] for f in data["facts"]
    )


def test_environment_selects_the_llm_engine(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from .fakeserver import MODEL, serve, well_behaved

    with serve(well_behaved) as server:
        monkeypatch.setenv("SUMMARIZER_BASE_URL", server.base_url)
        monkeypatch.setenv("SUMMARIZER_MODEL", MODEL)
        monkeypatch.setenv("SUMMARIZER_MODE", "json_object")
        result = runner.invoke(main, ["summarize", str(ZH), "-f", "json", "--no-cache"])
        forced = runner.invoke(main, ["summarize", str(ZH), "-f", "json", "--engine", "extractive"])
    assert json.loads(result.stdout)["metadata"]["engine"] == "llm"
    assert json.loads(forced.stdout)["metadata"]["engine"] == "extractive"


def test_wrong_chinese_script_is_converted_not_reasked(runner: CliRunner, tmp_path: Path) -> None:
    from .fakeserver import Reply, endpoint_args, serve

    doc = tmp_path / "hant.txt"
    doc.write_text(
        "雲和區公所今年編列新臺幣3,500萬元，在18處社區設置共餐據點。\n長者滿意度達93.7%。\n",
        encoding="utf-8",
    )
    simplified = json.dumps(  # the default prompts' answer, in the wrong script
        {
            "summary": [{"text": "云和区公所编列经费设置共餐据点。", "sentences": [1]}],
            "key_points": [{"text": "长者满意度达93.7%。", "sentences": [2]}],
            "facts": [1],
        },
        ensure_ascii=False,
    )
    with serve(lambda request: Reply(content=simplified)) as server:
        result = runner.invoke(main, ["summarize", str(doc), "-f", "json", *endpoint_args(server)])
        calls = len(server.requests)
    data = json.loads(result.stdout)
    assert data["language"] == "zh-Hant"
    assert data["summary"] == "雲和區公所編列經費設置共餐據點。"
    assert data["key_points"] == ["長者滿意度達93.7%。"]
    assert (
        data["facts"][0]["evidence"]
        == "雲和區公所今年編列新臺幣3,500萬元，在18處社區設置共餐據點。"
    )
    # Entities are put in the document's script like the rest, not left as the model wrote them.
    assert data["entities"]["organizations"] == ["雲和區公所"]
    assert calls == 1


def test_model_file_without_the_local_extra(runner: CliRunner, tmp_path: Path) -> None:
    # The extra is not part of dev (llama-cpp-python builds for minutes); either way, one line.
    gguf = tmp_path / "model.gguf"
    gguf.write_bytes(b"GGUF")
    result = runner.invoke(main, ["summarize", str(ZH), "--model-file", str(gguf), "--no-cache"])
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        assert result.exit_code == 2
        assert (
            result.stderr.strip()
            == "summarizer: error: --model-file needs the local extra: pip install 'summarizer[local]'"
        )
    else:
        assert result.exit_code != 0 and result.stderr.count("\n") == 1


def test_model_errors_are_one_line(runner: CliRunner, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("backoff = 0.0\nmax_retries = 1\n")
    result = runner.invoke(
        main,
        [
            "summarize",
            str(ZH),
            "--base-url",
            "http://127.0.0.1:9/v1",
            "--model",
            "m",
            "--mode",
            "json_object",
            "--no-cache",
        ],
        env={"SUMMARIZER_CONFIG": str(config)},
    )
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "connection refused by 127.0.0.1" in result.stderr


def test_doctor_on_a_healthy_endpoint(runner: CliRunner) -> None:
    from .fakeserver import MODEL, Reply, serve

    def script(request: dict[str, object]) -> Reply:
        return Reply(
            content='{"answer": 5}' if "2 + 3" in json.dumps(request) else '{"zq_probe_value": 1}'
        )

    with serve(script) as server:
        result = runner.invoke(main, ["doctor", "--base-url", server.base_url, "--model", MODEL])
    assert result.exit_code == 0, result.stdout
    for row in (
        "endpoint",
        "models",
        "structured output",
        "context window",
        "tokenizer",
        "smoke test",
    ):
        assert row in result.stdout
    assert "mode json_schema" in result.stdout and "answered 5" in result.stdout
    assert "FAIL" not in result.stdout


def test_doctor_reports_what_is_wrong(runner: CliRunner) -> None:
    down = runner.invoke(main, ["doctor", "--base-url", "http://127.0.0.1:9/v1", "--model", "m"])
    assert down.exit_code == 1
    assert "FAIL" in down.stdout and "is the server running" in down.stdout
    unset = runner.invoke(main, ["doctor"])
    assert unset.exit_code == 1 and "no model configured" in unset.stdout
