"""Garbage collection paused for the bulk text work: cleaning and chunking a long document.

Cleaning a 100 MB page makes millions of short-lived edits, and the collector, triggered by
their numbers, walked every live object over and over: a tenth of the time, for garbage the
work leaves none of (its objects hold no cycles, so reference counting frees them all).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collection_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block, and resume it after only if it ran before
    (a caller that turned it off keeps it off; nested and concurrent uses are harmless)."""
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()
