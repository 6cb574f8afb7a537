"""Cache: model results on disk, so a second run on the same document makes no calls.

Keys hash everything that changes an answer (endpoint, model, mode, prompt hashes, schema
hash, parameters and the input text); values are JSON. SQLite keeps it one file, safe
across processes, and needs nothing installed.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, kind TEXT, value TEXT, created REAL)"
)


def key(**parts: Any) -> str:
    """A stable hash of the parts; their order and JSON formatting do not matter."""
    canonical = json.dumps(
        parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class Cache:
    """A key-value store of JSON values; `Cache(None)` is a cache that remembers nothing."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.hits = 0
        self._db: sqlite3.Connection | None = None
        # The Session calls from worker threads, so the event loop never waits on the disk;
        # one lock keeps those calls from overlapping on the one connection.
        self._lock = threading.Lock()
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(
                path, timeout=30, isolation_level=None, check_same_thread=False
            )
            self._db.execute("PRAGMA journal_mode=WAL")
            # Overwritten rows are zeroed, not left in free pages: nothing stale lingers.
            self._db.execute("PRAGMA secure_delete=ON")
            self._db.execute(_SCHEMA)

    @property
    def remembers(self) -> bool:
        """Whether a value put is kept: not for `Cache(None)`, nor once closed."""
        return self._db is not None

    def get(self, cache_key: str) -> Any | None:
        if self._db is None:
            return None
        with self._lock:
            row = self._db.execute(
                "SELECT value FROM entries WHERE key = ?", (cache_key,)
            ).fetchone()
        if row is None:
            return None
        self.hits += 1
        return json.loads(row[0])

    def put(self, cache_key: str, kind: str, value: Any) -> None:
        if self._db is None:
            return
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO entries (key, kind, value, created) VALUES (?, ?, ?, ?)",
                (cache_key, kind, json.dumps(value, ensure_ascii=False), time.time()),
            )

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
