"""`summarizer eval`: prompt versions and models compared on one set of documents.

variants.py  what `--variant NAME=SPEC` means, and the runs (variant x model) it makes
corpus.py    the documents as eval sees them: cleaned text, sentences, the ones worth citing
runner.py    every run over every document, through the cache
claims.py    a result's claims (facts, key points, summary sentences) and their evidence
keypoints.py near-duplicate and label-like key points
metrics.py   the reference-free metrics of one result, and their totals
rouge.py     ROUGE against reference summaries, character-level for CJK (rouge-score)
entities.py  entity precision and recall against labelled names (--gold)
judge.py     a model's verdict on each claim, beside the lexical check
compare.py   the paired per-document comparison of each run with the first
report.py    the report as a rich table, JSON and Markdown
page.py      the report as one HTML page, each document's claims side by side per run
command.py   the click command
"""
