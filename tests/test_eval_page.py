"""`summarizer eval --report`: the eval as one page, each document's claims side by side.

Runs go through the command, offline and against the scripted double (tests/fakeserver.py),
never a real model; one hostile document's text lands in every column, and the page is
read as markup and loaded once in a real browser (tests/browser.py).
"""

from __future__ import annotations

import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from click.testing import CliRunner
from markupsafe import escape

from summarizer import summarize
from summarizer._eval.command import eval_command

from .browser import browser, open_page
from .conftest import EXAMPLES
from .fakeserver import MODEL, serve
from .test_eval import endpoint, judging
from .test_html import HOSTILE, Tags

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

__all__ = ["browser"]  # the fixture, imported to be used here

EN = EXAMPLES / "en_city_budget.txt"
LABELS = ["offline", f"v1 · {MODEL}"]
PAGE_TAGS = set(
    "html head meta title style body header h1 h2 h3 h4 p section table thead tbody tr th td "
    "ul ol li span q details summary div footer".split()
)


def evaluate(tmp_path: Path, *extra: str) -> tuple[Path, Any]:
    """The offline engine and a model variant over a hostile note and the English example."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "hostile <script>\x1b]8;;x\x07.txt").write_text(HOSTILE, encoding="utf-8")
    shutil.copy(EN, docs / EN.name)
    report = tmp_path / "report.html"
    args = [str(docs), "--variant", "offline=engine:extractive", "--variant"]
    args += ["v1=chunk_notes@v1,merge@v1", "--model", MODEL, "--report", str(report), *extra]
    with serve(judging(True)) as server:
        result = CliRunner().invoke(eval_command, [*args, *endpoint(server)])
    assert result.exit_code == 0, (result.output, result.exception)
    return report, result


def columns(page: str) -> list[list[str]]:
    """Each document's column headings, in order."""
    sections = page.split('<section class="report document">')[1:]
    return [re.findall(r"<h3>(.*?)</h3>", s) for s in sections]


def rows(text: str) -> dict[str, list[str]]:
    """A table's rows by their first cell: Markdown's `| a | b |` or the page's <tr>."""
    found = {}
    for line in text.splitlines():
        if line.startswith("| ") and not line.startswith("| ---"):
            cells = [c.strip() for c in line.strip("|").split(" | ")]
            found[cells[0]] = cells[1:]
    for name, cells in re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', text):
        found.setdefault(name, re.findall(r"<td>(.*?)</td>", cells))
    return found


def test_each_documents_claims_stand_side_by_side_per_run(tmp_path: Path) -> None:
    report, _ = evaluate(tmp_path, "--judge-model", MODEL, "--markdown", str(tmp_path / "e.md"))
    page = report.read_text(encoding="utf-8")
    assert columns(page) == [LABELS, LABELS], "two documents, a column per run in each"
    totals = rows((tmp_path / "e.md").read_text(encoding="utf-8").split("## Paired")[0])
    shown = rows(page.split("<h2>Paired")[0])
    assert totals["facts supported"] == shown["facts supported"]
    assert totals["number fidelity"] == shown["number fidelity"] and "calls" in shown
    english = page.split(f'<h2 class="source-name">{tmp_path / "docs" / EN.name}</h2>')[1]
    offline, model = english.split('<div class="run" lang="en">')[1:3]
    expected = summarize(EN, engine="extractive", cache=False)
    for point in map(escape, expected.key_points):
        assert point in offline and point not in model
    assert "Riverton Council Approves $48." in model, "the double quotes up to a full stop"
    assert model.count('class="supported"') > 0 and "judge: supported" in model


def test_a_hostile_documents_text_is_shown_never_run(tmp_path: Path) -> None:
    report, _ = evaluate(tmp_path)
    page = report.read_text(encoding="utf-8")
    tags = Tags()
    tags.feed(page)
    assert {tag for tag, _ in tags.found} <= PAGE_TAGS, "no script, no element of the document's"
    attributes = {name for _, attrs in tags.found for name in attrs}
    assert not {a for a in attributes if a.startswith("on")}
    assert not attributes & {"src", "href", "style", "action", "formaction", "srcdoc"}
    assert "\x1b" not in page and "\x07" not in page
    assert "hostile &lt;script&gt;␛]8;;x␇.txt</h2>" in page, "a name's escape, shown"
    assert page.count("&lt;script&gt;window.") >= 4, "in both columns: summary, points, facts"
    assert "&lt;svg onload=window.pwned=5&gt;" in page and "&#34;javascript:window" in page
    csp = next(
        a["content"] for t, a in tags.found if a.get("http-equiv") == "Content-Security-Policy"
    )
    assert csp and "script-src 'none'" in csp and csp.startswith("default-src 'none';")


def test_a_report_that_is_also_an_input_is_refused(tmp_path: Path) -> None:
    doc = tmp_path / "note.txt"
    doc.write_text(EN.read_text(encoding="utf-8"), encoding="utf-8")
    args = [str(doc), "--variant", "offline=engine:extractive", "--report", str(doc)]
    result = CliRunner().invoke(eval_command, args)
    assert result.exit_code == 2 and "is also an input" in result.stderr, result.output
    assert doc.read_text(encoding="utf-8") == EN.read_text(encoding="utf-8")


def test_the_report_loads_running_and_requesting_nothing(
    browser: BrowserContext, tmp_path: Path
) -> None:
    with ThreadPoolExecutor(1) as thread:  # Playwright's own event loop runs on this one
        report, _ = thread.submit(evaluate, tmp_path).result()
    tab, watch = open_page(browser, None, report)
    assert tab.evaluate("typeof window.pwned") == "undefined"
    assert tab.locator("img, iframe, svg, a, script, meta[http-equiv=refresh]").count() == 0
    assert "<script>window.pwned=1</script>" in tab.inner_text("body")
    for side in tab.locator(".side").all():
        boxes = [run.bounding_box() for run in side.locator(".run").all()]
        assert len(boxes) == 2 and all(boxes)
        left, right = boxes
        assert left and right and left["y"] == right["y"] and left["x"] < right["x"]
    watch.assert_quiet()
    tab.close()
