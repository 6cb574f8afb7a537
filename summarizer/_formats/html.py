"""The result as one self-contained HTML page: the claims beside the text they rest on.

One file that fetches nothing: inline CSS, a little vanilla JS, and a Content-Security-
Policy that allows exactly those two (by hash), so a page built from a hostile document
runs nothing and requests nothing even if escaping ever missed something. Jinja escapes
every string from the document; control characters are shown as their Control Pictures
(one character for one, so offsets still hold); the only data the script reads is a JSON
blob whose `<`, `>`, `&` and `'` are \\u-escaped, so no text can close its <script>.

The spans index the *cleaned* text, which a `DocumentSummary` does not carry: `page()`
takes it, and the CLI and the batch sink hand it the pipeline's own (`Format.rendered`).
Only a caller without it (a result read back from JSON, a record shipped from a Ray
worker) goes through `render()`, which reads the source again and cleans it as the
pipeline did, and uses that only when the input's hash and the cleaned length match the
result's metadata; otherwise the page shows the claims and quotes alone.

`render_template()` is the machinery other pages (the eval report) are built with.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from summarizer._formats.base import Format
from summarizer._formats.panel import entity_groups
from summarizer._language import is_chinese
from summarizer._schemas import DocumentSummary, Failure, Record

Span = tuple[int, int]
_TEMPLATES = files("summarizer._formats") / "templates"
# C0 controls (but tab and newline), DEL and C1 as visible symbols: ESC shows as ␛, and an
# OSC sequence is just text; bidi embeddings, overrides and isolates, which would reorder
# what is shown, as U+FFFD. One character each, so the cleaned text's offsets still hold.
_PICTURES = {
    **{c: 0x2400 + c for c in range(0x20) if c not in (0x09, 0x0A)},
    0x7F: 0x2421,
    **{c: 0xFFFD for c in (*range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A))},
}


@dataclass(frozen=True)
class Claim:
    """Something the page lets you click: a fact, a cited key point or summary sentence."""

    id: str  # f0, k0, s0: safe in attributes and selectors
    kind: str
    text: str
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class Part:
    """A piece of the summary or a key point, and the claim it is, if it cites anything."""

    text: str
    claim: str | None = None


@dataclass(frozen=True)
class Piece:
    """A stretch of the cleaned text and the claims resting on all of it (none: unmarked)."""

    text: str
    claims: tuple[str, ...]


@dataclass(frozen=True)
class IndexEntry:
    """One row of a batch's index page: a record, and its page's file name if it has one."""

    record: Record
    href: str | None = None


def visible(text: str) -> str:
    return text.translate(_PICTURES)


def claims(summary: DocumentSummary) -> list[Claim]:
    """Facts always rest on a span; key points and summary sentences once an engine cites."""
    found = {
        f"f{i}": Claim(f"f{i}", "Fact", fact.statement, ((fact.start, fact.end),))
        for i, fact in enumerate(summary.facts)
    }
    for c in summary.citations:
        point = c.kind == "key_point"
        id_, kind = (f"k{c.index}", "Key point") if point else (f"s{c.index}", "Summary")
        spans = [(s.start, s.end) for s in c.spans]
        if id_ in found:
            spans += found[id_].spans
        if spans:
            found[id_] = Claim(id_, kind, c.text, _merged(spans))
    return list(found.values())


def _merged(spans: Sequence[Span]) -> tuple[Span, ...]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def pieces(text: str, found: Sequence[Claim]) -> list[Piece]:
    """The cleaned text cut wherever a span starts or ends, so overlapping spans both show."""
    n = len(text)
    cuts = sorted({0, n, *(min(max(p, 0), n) for c in found for span in c.spans for p in span)})
    return [
        Piece(text[a:b], tuple(c.id for c in found if any(s <= a and b <= e for s, e in c.spans)))
        for a, b in itertools.pairwise(cuts)
        if b > a
    ]


def _summary_parts(summary: DocumentSummary, cited: set[str]) -> list[Part]:
    """The summary, its cited sentences marked where their text is found in it, in order."""
    parts: list[Part] = []
    rest = summary.summary
    for c in sorted(summary.citations, key=lambda c: c.index):
        at = rest.find(c.text) if c.kind == "summary" and f"s{c.index}" in cited else -1
        if at < 0 or not c.text:
            continue
        parts += [Part(rest[:at]), Part(c.text, f"s{c.index}")]
        rest = rest[at + len(c.text) :]
    return [p for p in [*parts, Part(rest)] if p.text]


def page(summary: DocumentSummary, cleaned: str | None) -> str:
    """The page for one result; `cleaned` is the text its spans index, when known."""
    found = claims(summary) if cleaned is not None else claims(_without_citations(summary))
    ids = {c.id for c in found}
    m = summary.metadata
    return render_template(
        "page.html.j2",
        s=summary,
        summary_parts=_summary_parts(summary, ids),
        points=[
            Part(p, f"k{i}" if f"k{i}" in ids else None) for i, p in enumerate(summary.key_points)
        ],
        quoted=any(f.evidence != f.statement for f in summary.facts),
        entities=entity_groups(summary),
        separator="、" if is_chinese(summary.language) else ", ",
        pieces=None if cleaned is None else pieces(cleaned, found),
        removed=m.cleaning.chars_before - m.cleaning.chars_after,
        provenance=provenance(summary),
        claims={c.id: {"kind": c.kind, "text": visible(c.text)} for c in found},
        script=True,
    )


def _without_citations(summary: DocumentSummary) -> DocumentSummary:
    return summary.model_copy(update={"citations": []})


def provenance(summary: DocumentSummary) -> list[tuple[str, str]]:
    """The footer's rows: where the result came from, how it was made and what it cost."""
    m, d, e, u, g, b = (
        summary.metadata,
        summary.metadata.document,
        summary.metadata.endpoint,
        summary.metadata.usage,
        summary.metadata.grounding,
        summary.metadata.byline,
    )
    rows = [
        ("Source", m.source),
        ("Language", summary.language),
        ("Engine", m.engine),
        (
            "Document",
            f"{d.format}, {d.encoding or '?'}, {d.chars} chars, sha256 {d.sha256[:16]}"
            if d
            else "",
        ),
        ("Chunks", str(m.chunks)),
        ("Model", m.model or ""),
        (
            "Endpoint",
            f"{e.base_url} ({e.kind}, {e.context_window} tokens, {e.context_source})" if e else "",
        ),
        ("Mode", m.mode or ""),
        ("Prompts", ", ".join(p.label for p in m.prompts)),
        (
            "Usage",
            f"{u.calls} calls, {u.retries} retries, {u.reasks} re-asks, "
            f"{u.prompt_tokens} + {u.completion_tokens} tokens, {u.cached} cached"
            if u
            else "",
        ),
        (
            "Grounding",
            f"{g.found} found, {g.repaired} repaired, {g.dropped} dropped "
            f"({g.dropped_numbers} for a number, {g.dropped_injected} inside an injection)"
            if g
            else "",
        ),
        ("Timings", ", ".join(f"{k} {v:g} ms" for k, v in m.timings.items())),
        ("Byline", " · ".join(c for c in [b.source, b.date, *b.authors, *b.editors] if c)),
    ]
    return [(label, value) for label, value in rows if value]


@dataclass(frozen=True)
class _Row:
    name: str
    href: str | None
    error: str | None
    title: str = ""
    language: str = ""
    engine: str = ""
    points: int = 0
    facts: int = 0
    grounding: str = ""


def render_index(entries: Sequence[IndexEntry]) -> str:
    """A batch's index.html: one row per document, linking to its page."""
    rows = [_index_row(e) for e in entries]
    failed = sum(1 for r in rows if r.error is not None)
    return render_template(
        "index.html.j2", rows=rows, done=len(rows) - failed, failed=failed, script=False
    )


def _index_row(entry: IndexEntry) -> _Row:
    r = entry.record
    # A relative link whatever the name holds: ':' and '/' encoded, so never a scheme or a path.
    href = "./" + quote(entry.href, safe="") if entry.href else None
    if isinstance(r, Failure):
        return _Row(Path(r.source).name, href, r.error)
    g = r.metadata.grounding
    return _Row(
        Path(r.metadata.source).name,
        href,
        None,
        r.title or "(untitled)",
        r.language,
        r.metadata.engine,
        len(r.key_points),
        len(r.facts),
        f"{g.found} found, {g.dropped} dropped" if g else "",
    )


def source_text(summary: DocumentSummary) -> str | None:
    """The cleaned text the spans index, read and cleaned again; None unless it is the same."""
    from summarizer import _cleaning as cleaning
    from summarizer import _documents as documents
    from summarizer._errors import SummarizerError

    m = summary.metadata
    if m.document is None or not m.document.sha256 or m.source == documents.STDIN:
        return None
    try:
        document = documents.load(m.source)
    except SummarizerError:
        return None
    if document.sha256 != m.document.sha256:
        return None
    text = cleaning.clean(document.text, markdown=document.format == "markdown").text
    return text if len(text) == m.cleaning.chars_after else None


def render(summary: DocumentSummary) -> str:
    """The page without the pipeline's cleaned text at hand: the source is read again."""
    return page(summary, source_text(summary))


@cache
def _asset(name: str) -> str:
    return (_TEMPLATES / name).read_text(encoding="utf-8")


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def _csp(script: bool) -> str:
    """Nothing may load or run but our own style and script, named by their hashes."""
    scripts = _hash(_asset("page.js")) if script else "'none'"
    return (
        f"default-src 'none'; style-src {_hash(_asset('page.css'))}; script-src {scripts}; "
        "img-src 'none'; base-uri 'none'; form-action 'none'"
    )


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(_asset),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=lambda v: visible(v) if isinstance(v, str) and not isinstance(v, Markup) else v,
    )
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": True}
    return env


def render_template(template: str, *, script: bool, **context: Any) -> str:
    """A page from templates/, escaped, its CSP naming our style (and script, if it runs)."""
    assets = {"css": Markup(_asset("page.css")), "js": Markup(_asset("page.js"))}
    return _environment().get_template(template).render(csp=_csp(script), **assets, **context)


FORMAT = Format(
    "html",
    (".html", ".htm"),
    render,
    description="one self-contained page: the claims beside the cleaned text, spans marked",
    render_with_text=page,
)
