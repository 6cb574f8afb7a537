"""The HTML page and the batch index, read as markup and driven in a real browser.

The browser tests (tests/browser.py) need Debian's chromium at /usr/bin/chromium and the
playwright package; every request a page makes is recorded and refused unless it is the
page itself, or a page of the same batch that its index links to.
"""

from __future__ import annotations

import asyncio
import io
import re
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from summarizer import Citation, DocumentSummary, Failure, SourceSpan, summarize
from summarizer import _formats as formats
from summarizer._config import resolve
from summarizer._errors import ConfigError
from summarizer._formats import html as html_format
from summarizer._formats.html import IndexEntry, page, render_index, source_text, visible
from summarizer._pipeline import Summarized, summarize_source_with_text
from summarizer._session import Session
from summarizer._sinks import record_key
from summarizer._sinks_html import INDEX, RECORDS, HtmlDirectorySink, page_name
from summarizer.cli import main

from .browser import browser, open_page
from .conftest import EXAMPLES

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

__all__ = ["browser"]  # the fixture, imported to be used here

HOSTILE = (
    "<script>window.pwned=1</script> The council met on 3 March 2026 and approved 12 items. "
    '<img src=x onerror="window.pwned=2"> It spent $4.5 million on roads. '
    '<a href="javascript:window.pwned=3">click here</a> and <iframe src="http://127.0.0.1:9/"></iframe> '
    "</script><script>window.pwned=4</script> <svg onload=window.pwned=5> "
    "\x1b]8;;http://x\x07a terminal link\x1b]8;;\x07 <style>@import url(http://127.0.0.1:9/x.css)</style> "
    '<meta http-equiv="refresh" content="0;url=http://127.0.0.1:9/">'
)


def result(name: str) -> tuple[DocumentSummary, str]:
    summary = summarize(EXAMPLES / name, engine="extractive", cache=False)
    cleaned = source_text(summary)
    assert cleaned is not None
    return summary, cleaned


def with_citations(summary: DocumentSummary, cleaned: str) -> DocumentSummary:
    """The model engine will cite; the offline one does not yet, so cite by hand: key point
    0 rests on two facts' spans, summary sentence 0 on the first fact's."""
    f = summary.facts
    sentence = summary.summary.split("。")[0] + "。" if "。" in summary.summary else summary.summary
    cited = [
        Citation(
            kind="key_point",
            index=0,
            text=summary.key_points[0],
            spans=[
                SourceSpan(start=f[1].start, end=f[1].end),
                SourceSpan(start=f[4].start, end=f[4].end),
            ],
        ),
        Citation(
            kind="summary",
            index=0,
            text=sentence,
            spans=[SourceSpan(start=f[0].start, end=f[0].end)],
        ),
    ]
    return summary.model_copy(update={"citations": cited})


def hostile(tmp_path: Path) -> tuple[DocumentSummary, str]:
    """A document of script tags, handlers and escapes, its text in every field of the page."""
    path = tmp_path / "hostile <script>.txt"
    path.write_text(HOSTILE, encoding="utf-8")
    summary = summarize(path, engine="extractive", cache=False)
    cleaned = source_text(summary)
    assert cleaned is not None and "<script>" in cleaned
    m = summary.metadata
    step = m.cleaning.model_copy(
        update={
            "steps": [{"kind": "<b>x</b>", "count": 1, "chars_removed": 1, "samples": [HOSTILE]}]
        }
    )
    meta = m.model_copy(update={"cleaning": step, "model": HOSTILE, "mode": HOSTILE})
    summary = summary.model_copy(
        update={
            "title": HOSTILE,
            "key_points": [HOSTILE, *summary.key_points],
            "entities": summary.entities.model_copy(update={"people": [HOSTILE]}),
            "metadata": meta,
        }
    )
    return summary, cleaned


# --- the markup, without a browser ------------------------------------------------------


def test_html_is_chosen_by_name_and_suffix() -> None:
    assert formats.get("html").suffixes == (".html", ".htm")
    assert formats.for_path(Path("out.HTML")) is formats.get("html")


class Tags(HTMLParser):
    """Every element a browser would build from the markup, with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


OUR_TAGS = set(
    "html head meta title style body header h1 h2 p main section span ol li table thead tbody "
    "tr th td dl dt dd div mark details summary ul b q footer script".split()
)


def test_the_page_is_self_contained_and_escapes_everything(tmp_path: Path) -> None:
    summary, cleaned = hostile(tmp_path)
    html = page(summary, cleaned)
    tags = Tags()
    tags.feed(html)
    assert {tag for tag, _ in tags.found} <= OUR_TAGS
    assert [tag for tag, _ in tags.found].count("script") == 2, "the JSON blob and our script"
    attributes = {name for _, attrs in tags.found for name in attrs}
    assert not {a for a in attributes if a.startswith("on")}
    assert not attributes & {"src", "href", "style", "action", "formaction", "srcdoc"}
    assert "\x1b" not in html and "\x07" not in html and "␛]8;;http://x␇" in html
    blob = re.search(r'<script type="application/json" id="claims-data">(.*?)</script>', html, re.S)
    assert blob and not set("<>&") & set(blob.group(1)), "document text cannot close the script"
    csp = next(
        a["content"] for t, a in tags.found if a.get("http-equiv") == "Content-Security-Policy"
    )
    assert csp and csp.startswith("default-src 'none';") and "unsafe" not in csp


def test_without_the_cleaned_text_the_page_still_shows_the_claims() -> None:
    summary, _ = result("zh_hans_county_news.txt")
    html = page(summary, None)
    assert "<mark" not in html and "not part of this result" in html
    assert all(f.statement in html for f in summary.facts)


def test_source_text_is_refused_when_the_file_changed(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text(
        "The city spent $4.5 million on roads in 2025. It was a record.", encoding="utf-8"
    )
    summary = summarize(path, engine="extractive", cache=False)
    assert source_text(summary) is not None
    path.write_text(
        "The city spent $9.9 million on roads in 2025. It was a record.", encoding="utf-8"
    )
    assert source_text(summary) is None, "another text: its offsets would mark the wrong words"


def test_the_pipeline_hands_on_the_text_its_spans_index(tmp_path: Path) -> None:
    async def both(source: str | Path, stdin: io.BytesIO | None = None) -> Summarized:
        async with Session(resolve({"engine": "extractive", "cache": False})) as session:
            return await summarize_source_with_text(source, session, stdin=stdin)

    found = asyncio.run(both(EXAMPLES / "zh_hans_county_news.txt"))
    assert found.cleaned == source_text(found.summary), "the text cleaning the source gives"
    assert all(found.cleaned[f.start : f.end] == f.evidence for f in found.summary.facts)
    piped = asyncio.run(both("-", io.BytesIO(HOSTILE.encode("utf-8"))))
    assert source_text(piped.summary) is None, "stdin cannot be read again"
    html = formats.get("html").rendered(piped.summary, piped.cleaned)
    assert html.count("<mark") == len(piped.summary.facts) > 0
    assert (
        formats.get("json").rendered(piped.summary, piped.cleaned) == piped.summary.to_json() + "\n"
    )


def test_the_directory_sink_writes_a_page_per_document_and_an_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    sink = HtmlDirectorySink(out)
    summary, cleaned = result("en_city_budget.txt")
    monkeypatch.setattr(html_format, "source_text", lambda summary: None)  # no second reading
    sink.write(summary, cleaned)
    sink.write(Failure(source="docs/broken <b>.pdf", error="<script>alert(1)</script> unreadable"))
    assert sink.rejected is None
    sink.close()
    index = (out / INDEX).read_text(encoding="utf-8")
    name = page_name(summary.metadata.source)
    assert f'href="./{name}"' in index and (out / name).is_file()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in index and "<script" not in index
    assert sorted(p.name for p in out.iterdir()) == sorted([INDEX, RECORDS, name])
    marks = (out / name).read_text(encoding="utf-8").count("<mark")
    assert marks == len(summary.facts), "the spans marked in the text it was handed"


def test_a_record_without_its_text_has_its_source_read_again(tmp_path: Path) -> None:
    sink = HtmlDirectorySink(tmp_path / "site")
    summary, _ = result("en_city_budget.txt")
    sink.write(summary)  # as a record from a Ray worker arrives
    sink.close()
    shown = (tmp_path / "site" / page_name(summary.metadata.source)).read_text(encoding="utf-8")
    assert shown == page(summary, source_text(summary)) and "<mark" in shown


def test_the_folder_resumes_like_a_json_lines_file(tmp_path: Path) -> None:
    out = tmp_path / "site"
    first, cleaned = result("en_city_budget.txt")
    sink = HtmlDirectorySink(out)
    sink.write(first, cleaned)
    sink.write(Failure(source="late.txt", error="late.txt: file is empty", sha256="00"))
    sink.close()
    with pytest.raises(ConfigError, match=r"already holds 2 record\(s\): pass --resume"):
        HtmlDirectorySink(out)
    again = HtmlDirectorySink(out, resume=True)
    assert again.done() == {record_key(first)}, "a failure is tried again"
    second, text = result("zh_hans_county_news.txt")
    again.write(second, text)
    again.write(Failure(source="late.txt", error="late.txt: still empty", sha256="00"))
    again.close()
    index = (out / INDEX).read_text(encoding="utf-8")
    assert index.count("<tr>") == 1 + 3, "the header, both summaries, the newest failure"
    assert "still empty" in index and "file is empty" not in index
    assert len((out / RECORDS).read_text(encoding="utf-8").splitlines()) == 3, "compacted"


def test_page_names_are_one_per_source_and_never_a_scheme() -> None:
    assert page_name("a/report.txt") != page_name("b/report.txt")
    assert page_name("青岚/县新闻.txt").startswith("县新闻-")
    index = render_index([IndexEntry(Failure(source="x", error="e"), "javascript:alert(1)")])
    assert 'href="./javascript%3Aalert%281%29"' in index


# --- in a browser -----------------------------------------------------------------------


def marked(tab: Page, claim: str, selector: str = "mark") -> str:
    text: str = tab.eval_on_selector_all(
        f'{selector}[data-claims~="{claim}"]', "els => els.map(e => e.textContent).join('')"
    )
    return text


@pytest.mark.parametrize("name", ["zh_hans_county_news.txt", "en_city_budget.txt"])
def test_each_claim_marks_exactly_its_evidence(
    browser: BrowserContext, tmp_path: Path, name: str
) -> None:
    summary, cleaned = result(name)
    summary = with_citations(summary, cleaned)
    tab, watch = open_page(browser, page(summary, cleaned), tmp_path / "page.html")
    for i, fact in enumerate(summary.facts):
        assert marked(tab, f"f{i}") == visible(fact.evidence)
    for c in summary.citations:
        claim = f"k{c.index}" if c.kind == "key_point" else f"s{c.index}"
        spans = sorted((s.start, s.end) for s in c.spans)
        assert marked(tab, claim) == "".join(visible(cleaned[a:b]) for a, b in spans)
    text = tab.inner_text("#text")
    assert text.replace("\n", "") == visible(cleaned).replace("\n", ""), "the whole cleaned text"
    watch.assert_quiet()
    tab.close()


def test_clicking_a_claim_marks_and_shows_its_spans(
    browser: BrowserContext, tmp_path: Path
) -> None:
    summary, cleaned = result("zh_hans_county_news.txt")
    summary = with_citations(summary, cleaned)
    tab, watch = open_page(browser, page(summary, cleaned), tmp_path / "page.html")
    assert tab.locator("mark.active").count() == 0
    tab.click('li[data-claim="k0"]')
    assert marked(tab, "k0", "mark.active") == marked(tab, "k0")
    assert tab.locator("mark.active").count() == tab.locator('mark[data-claims~="k0"]').count()
    tab.wait_for_function(
        """() => { const r = document.querySelector("mark.active").getBoundingClientRect();
                   return r.top >= 0 && r.bottom <= window.innerHeight; }"""
    )
    last = len(summary.facts) - 1
    tab.click(f'tr[data-claim="f{last}"]')
    assert tab.locator("mark.active").all_inner_texts() == [summary.facts[last].evidence]
    assert tab.locator(".claim.active").count() == 1
    watch.assert_quiet()
    tab.close()


def test_hovering_a_span_lists_the_claims_resting_on_it(
    browser: BrowserContext, tmp_path: Path
) -> None:
    summary, cleaned = result("zh_hans_county_news.txt")
    summary = with_citations(summary, cleaned)
    tab, watch = open_page(browser, page(summary, cleaned), tmp_path / "page.html")
    assert tab.locator("#tip").is_hidden()
    tab.hover('mark[data-claims~="f1"][data-claims~="k0"]')
    tip = tab.locator("#tip")
    assert tip.is_visible()
    assert tip.inner_text().splitlines() == [
        f"Fact: {summary.facts[1].statement}",
        f"Key point: {summary.key_points[0]}",
    ]
    assert tab.locator('.claim.related[data-claim="k0"]').count() == 1
    tab.mouse.move(0, 0)
    assert tip.is_hidden()
    watch.assert_quiet()
    tab.close()


def test_a_hostile_document_runs_and_requests_nothing(
    browser: BrowserContext, tmp_path: Path
) -> None:
    summary, cleaned = hostile(tmp_path)
    tab, watch = open_page(browser, page(summary, cleaned), tmp_path / "page.html")
    for target in ("#text", "h1", ".points li"):
        tab.locator(target).first.click()
    assert tab.evaluate("typeof window.pwned") == "undefined"
    assert tab.locator("img, iframe, svg, a, meta[http-equiv=refresh], body style").count() == 0
    assert "<script>window.pwned=1</script>" in tab.inner_text("#text")
    assert tab.locator("h1").inner_text().startswith("<script>window.pwned=1</script>")
    watch.assert_quiet()
    tab.close()


def test_the_page_fits_a_phone(browser: BrowserContext, tmp_path: Path) -> None:
    summary, cleaned = result("zh_hans_county_news.txt")
    tab, watch = open_page(browser, page(summary, cleaned), tmp_path / "page.html", width=375)
    assert tab.evaluate("document.documentElement.scrollWidth") <= 375
    claims, source = tab.locator(".claims").bounding_box(), tab.locator(".source").bounding_box()
    assert claims and source and source["y"] > claims["y"], "one column: the text under the claims"
    watch.assert_quiet()
    tab.close()


def test_the_cleaning_report_opens_to_its_samples(browser: BrowserContext, tmp_path: Path) -> None:
    summary, cleaned = result("zh_hans_county_news.txt")
    tab, watch = open_page(browser, page(summary, cleaned), tmp_path / "page.html")
    sample = summary.metadata.cleaning.steps[1].samples[0]
    assert not tab.get_by_text(sample).is_visible()
    tab.click(".report summary")
    assert tab.get_by_text(sample).is_visible()
    assert "Engine" in tab.inner_text("footer") and "extractive" in tab.inner_text("footer")
    watch.assert_quiet()
    tab.close()


def test_the_index_links_open_each_page(
    browser: BrowserContext, tmp_path: Path, runner: CliRunner
) -> None:
    """Through the CLI: a folder of pages from a batch with one failure, each link followed."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("zh_hans_county_news.txt", "en_city_budget.txt"):
        (folder / name).write_bytes((EXAMPLES / name).read_bytes())
    (folder / "broken <img src=x onerror=alert(1)>.txt").write_bytes(b"")
    site = tmp_path / "site"
    args = ["summarize", str(folder), "--format", "html", "-o", f"{site}/"]
    with ThreadPoolExecutor(1) as thread:  # Playwright's own event loop runs on this one
        done = thread.submit(runner.invoke, main, args).result()
    assert done.exit_code == 1, (done.output, done.exception)  # the empty one failed
    pages = sorted(site.glob("*-*.html"))
    assert len(pages) == 2
    tab, watch = open_page(browser, None, site / INDEX, allowed=pages)
    assert tab.locator("tbody tr").count() == 3
    assert "failed: " in tab.inner_text("tbody") and tab.locator("img").count() == 0
    titles = {}
    for i in range(2):
        link = tab.locator("tbody a").nth(i)
        shown = link.inner_text()
        link.click()
        tab.wait_for_load_state()
        assert tab.url in {p.as_uri() for p in pages}
        titles[shown] = tab.locator("h1").inner_text()
        assert tab.locator("#text mark").count() > 0, "the page marks its spans"
        tab.go_back()
    assert titles["en_city_budget.txt"].startswith("Riverton")
    assert titles["zh_hans_county_news.txt"].startswith("青岚县")
    watch.assert_quiet()
    tab.close()
