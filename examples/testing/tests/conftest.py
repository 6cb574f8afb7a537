from __future__ import annotations

import pytest

import summarizer


@pytest.fixture
def summarizer_settings() -> summarizer.Settings:
    """Pinned, not read from the machine: replay needs the endpoint and model it recorded."""
    return summarizer.Settings(
        base_url="http://127.0.0.1:8080/v1", model="qwen2.5-coder-1.5b-instruct", cache=False
    )
