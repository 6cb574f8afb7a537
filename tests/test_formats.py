from __future__ import annotations

import functools
import io
import itertools
import json
import re

import hypothesis
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from uniseg.linebreak import line_break, line_break_units  # type: ignore[import-untyped]

from summarizer import DocumentSummary, summarize
from summarizer import _formats as formats
from summarizer._formats.json import to_json
from summarizer._formats.markdown import to_markdown
from summarizer._formats.panel import SummaryView, entity_groups, footer_line
from summarizer._formats.prose import break_lines, uax14, units

from .conftest import EXAMPLES, rendered


def result() -> DocumentSummary:
    return summarize(EXAMPLES / "zh_hans_county_news.txt")


def test_panel_shows_title_summary_points_facts_and_entities(console: Console) -> None:
    summary = result()
    console.print(SummaryView(summary))
    out = rendered(console)
    assert summary.title and summary.title in out
    assert "Key points" in out and out.count("•") == len(summary.key_points)
    assert "Facts" in out and "money" in out and "percent" in out
    assert "People:" in out and "李明远" in out
    assert "engine extractive" in out
    assert max(len(line) for line in out.splitlines()) <= 100


def test_markdown_has_sections_and_escapes_pipes() -> None:
    summary = result()
    md = to_markdown(summary)
    assert md.startswith(f"# {summary.title}\n")
    assert "## Key points" in md and "## Facts" in md
    assert md.count("\n- ") >= len(summary.key_points)
    row = next(line for line in md.splitlines() if line.startswith("| 1 |"))
    assert summary.facts[0].evidence in row


def test_json_round_trips_to_the_schema() -> None:
    summary = result()
    data = json.loads(to_json(summary))
    assert set(data) >= {
        "title",
        "language",
        "summary",
        "key_points",
        "facts",
        "entities",
        "metadata",
    }
    assert DocumentSummary.model_validate(data) == summary
    assert "青岚" in to_json(summary), "JSON keeps Chinese readable, not \\u-escaped"


def test_formats_are_found_by_name_and_suffix() -> None:
    assert formats.names() == ["rich", "json", "jsonl", "markdown", "html"]
    assert formats.for_path(EXAMPLES / "out.JSON") is formats.get("json")
    assert formats.for_path(EXAMPLES / "out.markdown") is formats.get("markdown")
    assert formats.for_path(EXAMPLES / "out.html") is formats.get("html")
    assert formats.for_path(EXAMPLES / "out.txt") is None
    assert [f.name for f in formats.FORMATS.values() if f.line_oriented] == ["jsonl"]


def test_only_a_format_that_shows_the_text_takes_it() -> None:
    summary = result()
    shows = [f.name for f in formats.FORMATS.values() if f.render_with_text is not None]
    assert shows == ["html"]
    for f in formats.FORMATS.values():
        if f.render_with_text is None:
            assert f.rendered(summary, "any text") == f.render(summary)
    html = formats.get("html")
    assert html.rendered(summary, None) == html.render(summary), "without it: read again"
    one = summary.facts[0]
    text = "x" * one.start + one.evidence  # a text handed in is the one whose spans are marked
    assert f"{one.evidence}</mark>" in html.rendered(
        summary.model_copy(update={"facts": [one]}), text
    )


def test_the_panel_as_text_is_what_a_terminal_would_show() -> None:
    summary = result()
    text = formats.get("rich").render(summary)
    assert summary.title and summary.title in text and "Key points" in text
    assert "\x1b[" not in text  # plain text for a file or a pipe: no colour codes


# --- the panel at every width ---------------------------------------------------------------

WIDTHS = (40, 60, 100, 160)
CLOSING = "，。、；：？！）」』”"
_FRAME = "│╭╮╰╯─━┃┏┓┗┛┡┩╇┳╈┃"


@functools.cache
def example(name: str) -> DocumentSummary:
    return summarize(EXAMPLES / name, engine="extractive", cache=False)


def panel_lines(summary: DocumentSummary, width: int) -> list[str]:
    console = Console(file=io.StringIO(), width=width, color_system=None)
    console.print(SummaryView(summary))
    return rendered(console).splitlines()


def flat(text: str) -> str:
    """Text with line breaks, spaces and box drawing taken out, so wrapped text compares."""
    return "".join(c for c in text if not c.isspace() and c not in _FRAME)


def claims(summary: DocumentSummary) -> list[str]:
    s = summary
    entities = [name for _, names in entity_groups(s) for name in names]
    facts = [t for f in s.facts for t in (f.statement, f.evidence)]
    return [s.title or "", s.summary, *s.key_points, *facts, *entities, footer_line(s)]


def text_runs(line: str) -> list[tuple[int, str]]:
    """The runs of text in a rendered line, each with the column it starts at: box drawing
    and two or more spaces separate them (a table's cells, a bullet from its point)."""
    line = line.replace("•", " ")
    pattern = rf"[^\s{_FRAME}]+(?: [^\s{_FRAME}]+)*"
    return [(cell_len(line[: m.start()]), m.group()) for m in re.finditer(pattern, line)]


def columns(lines: list[str]) -> list[str]:
    """What each column of the panel says, read down it: a wrapped cell reads whole."""
    down: dict[int, list[str]] = {}
    for line in lines:
        for column, run in text_runs(line):
            down.setdefault(column, []).append(run)
    return [flat("".join(runs)) for runs in down.values()]


SPAN_OR_INDEX = re.compile(r"\d+(?:-\d+)?")  # a row number or a span, not a wrapped claim


@pytest.mark.parametrize("name", ["zh_hans_county_news.txt", "en_city_budget.txt"])
@pytest.mark.parametrize("width", WIDTHS)
def test_the_panel_shows_every_claim_whole_at_any_width(name: str, width: int) -> None:
    summary = example(name)
    lines = panel_lines(summary, width)
    assert max(cell_len(line) for line in lines) <= width
    shown = "\n".join(columns(lines))
    for claim in claims(summary):
        assert flat(claim) in shown, f"cut or missing at {width} columns: {claim!r}"
    assert shown.count("…") <= sum(c.count("…") for c in claims(summary)), "rich cut something"


@pytest.mark.parametrize("name", ["zh_hans_county_news.txt", "en_city_budget.txt"])
@pytest.mark.parametrize("width", WIDTHS)
def test_no_line_starts_with_closing_punctuation_or_splits_a_number(name: str, width: int) -> None:
    lines = panel_lines(example(name), width)
    for above, below in itertools.pairwise(lines):
        ends = {column: run for column, run in text_runs(above)}
        for column, run in text_runs(below):
            assert run[0] not in CLOSING, f"{run!r} starts a line at {width} columns"
            before = ends.get(column, "")
            if run[0].isdigit() and before[-1:].isdigit():
                assert SPAN_OR_INDEX.fullmatch(run) and SPAN_OR_INDEX.fullmatch(before), (
                    f"a number split at {width} columns: {before!r} / {run!r}"
                )


def test_evidence_equal_to_its_statement_gets_no_column() -> None:
    summary = example("zh_hans_county_news.txt")
    assert all(f.evidence == f.statement for f in summary.facts)  # the offline engine's facts
    header = next(line for line in panel_lines(summary, 100) if "Statement" in line)
    assert "Evidence" not in header and "= statement" not in "\n".join(panel_lines(summary, 100))


def test_evidence_that_differs_is_shown_beside_or_under_its_statement() -> None:
    base = example("zh_hans_county_news.txt")
    fact = base.facts[2].model_copy(update={"statement": "县里投入2.3亿元"})
    summary = base.model_copy(update={"facts": [fact]})
    wide = panel_lines(summary, 100)
    assert "Evidence" in next(line for line in wide if "Statement" in line)
    for width in (40, 100):
        shown = "\n".join(columns(panel_lines(summary, width)))
        assert flat("县里投入2.3亿元") in shown and flat(f"“{fact.evidence}”") in shown


def test_a_long_title_moves_into_the_panel_instead_of_being_cut() -> None:
    summary = example("zh_hans_county_news.txt")
    lines = panel_lines(summary, 40)
    assert summary.title and flat(summary.title) in flat("\n".join(lines[:4]))
    assert set(lines[0]) <= set("╭─╮"), "no title left in the border to be cut"


_CJK = st.sampled_from("青岚县农村电商服务站供水工程")
_PIECES = st.one_of(
    _CJK,
    st.from_regex(r"[0-9]{1,6}(\.[0-9]{1,2})?%?", fullmatch=True),
    st.sampled_from([*CLOSING, "（", "「", "“", " ", "abc ", "Qinglan "]),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=40).map("".join), st.integers(4, 30))
@hypothesis.example("青0 0", 4)  # two numbers: the break at their space splits neither
@hypothesis.example("青120", 4)
def test_break_lines_keeps_numbers_whole_and_punctuation_attached(text: str, width: int) -> None:
    width = max([width, *(cell_len(text[a:b].rstrip()) for a, b in units(text))])  # no folding
    spans = break_lines(text, width)
    lines = [text[a:b] for a, b in spans]
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(cell_len(line) <= width for line in lines)
    for above, below in itertools.pairwise(lines):
        if below:
            assert below[0] not in CLOSING, (above, below)
    for (_, end), (start, _) in itertools.pairwise(spans):
        if start == end:  # no space between the lines: a break inside a word or number
            assert not (text[end - 1 : end].isdigit() and text[start : start + 1].isdigit()), text


@settings(max_examples=60, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=30).map("".join))
def test_the_shortcuts_give_uniseg_s_units(text: str) -> None:
    """Asking uniseg only between sure breaks gives what it says for the whole paragraph."""
    classes = [line_break(c).value for c in text]
    assert [text[a:b] for a, b in uax14(text, classes)] == list(line_break_units(text))
