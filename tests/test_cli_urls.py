"""URLs as inputs through the CLI, against a loopback server of the test's own."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from summarizer.cli import main

from .pages import Page, closed_port, redirect, serve
from .test_documents import minimal_pdf

EN = "The council approved a $48.6 million budget on March 3, 2026, by a vote of 5 to 2.\n"
CAFE = (  # without its <meta>, the detector reads it as cp1250: "crčme brűlée"
    "<html><head><meta charset='windows-1252'><title>Café</title></head><body><p>The café on "
    "Rue Noël reopened on March 3, 2026. Its owner, José Müller, hired 12 staff and serves "
    "crème brûlée.</p></body></html>"
)
ZH = "村民说：现在寄快递方便多了。"  # so short in GBK that the detector takes it for Korean
ZH_PAGE = "<html><head><title>新公园</title></head><body><p>区里的新公园今年五月开放，有三十二张长椅。</p></body></html>"


def summarize(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(main, ["summarize", *args])


def as_json(result: Result) -> dict[str, Any]:
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_charset_only_in_the_meta_tag_is_read(runner: CliRunner) -> None:
    with serve({"/cafe": Page(CAFE.encode("cp1252"), "text/html")}) as site:
        data = as_json(summarize(runner, f"{site.base}/cafe", "-f", "json"))
    assert "crème brûlée" in json.dumps(data, ensure_ascii=False)
    assert data["title"] == "Café"
    assert data["metadata"]["document"]["encoding"] == "cp1252"
    assert data["metadata"]["document"]["format"] == "html"


def test_a_gbk_page_with_the_charset_in_the_header_is_read(runner: CliRunner) -> None:
    page = Page(ZH.encode("gbk"), "text/plain; charset=GBK")
    with serve({"/note": page}) as site:
        data = as_json(summarize(runner, f"{site.base}/note", "-f", "json"))
    assert ZH in json.dumps(data, ensure_ascii=False)
    assert data["metadata"]["document"]["encoding"] == "gb18030"
    assert data["metadata"]["document"]["format"] == "text"


def test_a_redirect_chain_records_the_url_given_and_the_final_one(runner: CliRunner) -> None:
    pages = {
        "/old": redirect("/moved"),
        "/moved": redirect("/news/park.php"),
        "/news/park.php": Page(ZH_PAGE.encode("gbk"), "text/html; charset=gbk"),
    }
    with serve(pages) as site:
        data = as_json(summarize(runner, f"{site.base}/old", "-f", "json"))
    assert data["title"] == "新公园" and "三十二张长椅" in data["summary"]
    metadata = data["metadata"]
    assert metadata["source"] == metadata["document"]["url"] == f"{site.base}/old"
    assert metadata["document"]["final_url"] == f"{site.base}/news/park.php"
    assert metadata["document"]["format"] == "html"


def test_a_pdf_served_as_html_is_read_as_a_pdf(runner: CliRunner) -> None:
    pdf = minimal_pdf(["The council approved a budget of 48.6 million dollars.", "It passed 5-2."])
    with serve({"/download?id=7": Page(pdf, "text/html; charset=utf-8")}) as site:
        data = as_json(summarize(runner, f"{site.base}/download?id=7", "-f", "json"))
    assert data["metadata"]["document"]["format"] == "pdf"
    assert "48.6 million dollars" in json.dumps(data["facts"])


def test_an_oversize_body_is_refused_before_it_is_read(runner: CliRunner) -> None:
    huge = Page(b"", "text/plain", headers={"Content-Length": str(10**9)})
    with serve({"/huge": huge}) as site:
        result = summarize(runner, f"{site.base}/huge")
    assert result.exit_code == 2
    assert result.stderr == (
        f"summarizer: error: {site.base}/huge: 953.7 MB; the input limit is 50.0 MB\n"
    )


def test_a_bad_url_exits_2_and_a_failed_fetch_exits_1(runner: CliRunner) -> None:
    refused = f"http://127.0.0.1:{closed_port()}/page"
    cases = [
        ("ftp://example.org/notes.txt", 2, "only http:// and https:// URLs are fetched"),
        ("http:///notes.txt", 2, "not a valid URL: no host"),
        (refused, 1, "cannot fetch: [Errno 111] Connection refused"),
    ]
    for url, code, reason in cases:
        result = summarize(runner, url)
        assert (result.exit_code, result.stdout) == (code, ""), url
        assert result.stderr == f"summarizer: error: {url}: {reason}\n"
    with serve({"/loop": redirect("/loop")}) as site:
        result = summarize(runner, f"{site.base}/loop")
    assert result.exit_code == 1
    assert result.stderr == f"summarizer: error: {site.base}/loop: more than 5 redirects\n"


def test_a_batch_of_urls_and_files_goes_on_past_a_404(runner: CliRunner, tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text(EN, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    with serve({"/park": Page(ZH_PAGE.encode(), "text/html; charset=utf-8")}) as site:
        park, gone = f"{site.base}/park", f"{site.base}/gone*?x=[1]"  # never a glob
        result = summarize(runner, park, gone, str(note), "-o", str(out), "-q")
    assert result.exit_code == 1, result.output
    assert result.stderr == f"summarizer: error: {gone}: HTTP 404\n"
    by_source = {r.get("source") or r["metadata"]["source"]: r for r in records(out)}
    assert set(by_source) == {park, gone, str(note)}
    assert by_source[gone] == {"source": gone, "error": f"{gone}: HTTP 404", "sha256": None}
    assert by_source[park]["metadata"]["document"]["final_url"] == park
    assert by_source[str(note)]["metadata"]["document"]["url"] is None


def test_resume_fetches_a_url_again_and_redoes_it_only_if_it_changed(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"
    pages = {"/park": Page(ZH_PAGE.encode(), "text/html; charset=utf-8")}
    with serve(pages) as site:
        url = f"{site.base}/park"
        assert summarize(runner, url, "-o", str(out), "-q").exit_code == 0
        first = out.read_bytes()
        assert summarize(runner, url, "-o", str(out), "--resume", "-q").exit_code == 0
        assert out.read_bytes() == first  # skipped: the same line, timings and all
        pages["/park"] = Page(ZH_PAGE.replace("五月", "六月").encode(), "text/html")
        assert summarize(runner, url, "-o", str(out), "--resume", "-q").exit_code == 0
        assert site.hits == ["/park"] * 3  # resuming a URL fetches it, to hash it
    [record] = records(out)
    assert "六月" in record["summary"] and record["metadata"]["source"] == url


def test_a_password_in_a_url_is_sent_but_never_shown(runner: CliRunner, tmp_path: Path) -> None:
    secret = "hunter2-s3cr3t"
    damaged = (ZH * 3 + EN).encode() + b"Lunch at the caf\xe9.\n"  # a warning names the URL
    pages = {
        "/private": Page(damaged, "text/plain", login=f"ana:{secret}"),
        f"/private?api_key={secret}x": Page(EN.encode(), "text/plain", login=f"ana:{secret}"),
    }
    with serve(pages) as site:
        host = site.base.removeprefix("http://")
        url = f"http://ana:{secret}@{host}/private"
        single = summarize(runner, url, "-f", "json")
        out = tmp_path / "out.jsonl"
        batch = summarize(
            runner,
            url,
            f"{url}?api_key={secret}x",
            f"http://ana:{secret}@{host}/gone",
            "-o",
            str(out),
        )
    data = as_json(single)
    shown = f"http://ana:***@{host}/private"
    assert single.stderr.startswith(f"summarizer: {shown}: 1 byte(s) were not UTF-8")
    assert data["metadata"]["source"] == data["metadata"]["document"]["url"] == shown
    assert batch.exit_code == 1
    assert f"summarizer: error: http://ana:***@{host}/gone: HTTP 404" in batch.stderr
    sources = {r.get("source") or r["metadata"]["source"] for r in records(out)}
    assert sources == {shown, f"{shown}?api_key=***", f"http://ana:***@{host}/gone"}
    for text in (single.stdout, single.stderr, batch.stdout, batch.stderr, out.read_text()):
        assert secret not in text
