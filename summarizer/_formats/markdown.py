"""The result as Markdown: headings, a facts table, entities and a provenance line."""

from __future__ import annotations

from summarizer._formats.base import Format
from summarizer._formats.panel import entity_groups
from summarizer._schemas import DocumentSummary


def to_markdown(summary: DocumentSummary) -> str:
    s = summary
    lines = [f"# {s.title or '(untitled)'}", "", s.summary, ""]
    if s.key_points:
        lines += ["## Key points", "", *(f"- {p}" for p in s.key_points), ""]
    if s.facts:
        lines += [
            "## Facts",
            "",
            "| # | Category | Statement | Evidence | Span |",
            "|---|---|---|---|---|",
        ]
        for i, f in enumerate(s.facts, 1):
            lines.append(
                f"| {i} | {f.category} | {_cell(f.statement)} | {_cell(f.evidence)} | {f.start}-{f.end} |"
            )
        lines.append("")
    entities = entity_groups(s)
    if entities:
        lines += [
            "## Entities",
            "",
            *(f"- **{label}:** {', '.join(names)}" for label, names in entities),
            "",
        ]
    m = s.metadata
    lines += [
        "---",
        f"*Source: {m.source} · language {s.language} · engine {m.engine} · {m.chunks} chunk(s)*",
        "",
    ]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


FORMAT = Format("markdown", (".md", ".markdown"), to_markdown, description="Markdown")
