"""The collector pause around cleaning and chunking: it must never leave the collector off."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from summarizer._collection import collection_paused


@pytest.fixture
def collector_restored() -> Iterator[None]:
    running = gc.isenabled()
    yield
    if running:
        gc.enable()
    else:
        gc.disable()


@pytest.mark.usefixtures("collector_restored")
def test_paused_inside_and_resumed_after() -> None:
    gc.enable()
    with collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_restored")
def test_resumed_after_an_error() -> None:
    gc.enable()
    with pytest.raises(RuntimeError), collection_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_restored")
def test_a_caller_that_turned_it_off_keeps_it_off() -> None:
    gc.disable()
    with collection_paused():
        pass
    assert not gc.isenabled()


@pytest.mark.usefixtures("collector_restored")
def test_nested_pauses_resume_only_at_the_outermost() -> None:
    gc.enable()
    with collection_paused():
        with collection_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_restored")
def test_clean_and_chunk_leave_the_collector_running() -> None:
    from summarizer._cleaning import clean
    from summarizer._packing import chunk_text
    from summarizer._sentences import VECTOR_MIN

    gc.enable()
    text = "The council approved a new budget. " * 700 + "\n\n青岚县新建电商服务站。" * 300
    cleaned = clean(text).text
    assert len(cleaned) > VECTOR_MIN  # the long path, which pauses the collector
    chunks = chunk_text(cleaned, budget=300, overlap=32)
    assert len(chunks) > 1
    assert gc.isenabled()
