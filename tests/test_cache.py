from __future__ import annotations

from pathlib import Path

from summarizer._cache import Cache, key


def test_key_is_stable_and_sensitive() -> None:
    assert key(a=1, b=[1, "二"]) == key(b=[1, "二"], a=1)
    assert key(a=1, b=[1, "二"]) != key(a=1, b=[1, "三"])


def test_round_trip_across_instances(tmp_path: Path) -> None:
    path = tmp_path / "c" / "cache.sqlite3"
    first = Cache(path)
    first.put("k", "notes", {"summary": "总结"})
    first.close()
    second = Cache(path)
    assert second.get("k") == {"summary": "总结"}
    assert second.get("missing") is None
    assert second.hits == 1


def test_disabled_cache_remembers_nothing() -> None:
    cache = Cache(None)
    cache.put("k", "notes", 1)
    assert cache.get("k") is None


def test_a_cache_remembers_until_it_is_closed(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache.sqlite3")
    assert cache.remembers
    cache.close()
    assert not cache.remembers
    assert not Cache(None).remembers
