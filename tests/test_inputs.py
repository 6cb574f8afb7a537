"""What the inputs name, where URLs are concerned: passed through, shown without secrets."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer._errors import ConfigError
from summarizer._inputs import Item, expand


def test_urls_are_items_as_given_never_globbed_or_resolved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "http:" / "h").mkdir(parents=True)
    (tmp_path / "http:" / "h" / "a.txt").write_text("a folder the URL also reads as")
    (tmp_path / "note.txt").write_text("a note")
    urls = [
        "http://h/",
        "http://h/*.txt",
        "http://h/*.txt?page=[2]",
        "https://h/a/../b",
        "ftp://h/x",
    ]
    items = expand([*urls, "note.txt", "http://h/"])
    assert items == [*map(Item, urls), Item("note.txt")]  # once each, in order
    assert all(item.url is None and item.location == item.source for item in items)


def test_a_url_is_never_taken_for_the_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "http:" / "h" / "out.jsonl"
    out.parent.mkdir(parents=True)
    out.write_text("")
    assert expand(["http://h/out.jsonl"], outputs=[out]) == [Item("http://h/out.jsonl")]
    with pytest.raises(ConfigError, match="is also an input"):
        expand(["http:/h/out.jsonl"], outputs=[out])  # a path, one slash: the output itself


def test_a_url_with_secrets_is_shown_without_them_and_fetched_with_them() -> None:
    raw = "https://ana:pw@h.example/feed?api_key=K&page=2"
    # another login shows as the same name, which the record and --resume key on: once
    [item] = expand([raw, "https://ana:other@h.example/feed?api_key=K2&page=2"])
    assert item.source == "https://ana:***@h.example/feed?api_key=***&page=2"
    assert item.url == item.location == raw
    assert "pw" not in repr(item) and "K&" not in repr(item)
    assert expand([item]) == [item]  # expanded items are taken as they are, secrets kept
