"""Batch backends and what they share: Ray imported only when asked for, its absence one
line, and a pool of endpoints with one request limit each."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from summarizer._errors import ConfigError

from .conftest import EXAMPLES, ROOT


def python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT
    )


def test_a_local_batch_never_imports_ray() -> None:
    done = python(
        "import asyncio, sys\n"
        "from summarizer import _batch, _executors\n"
        "from summarizer._config import Settings\n"
        "from summarizer._sinks import StreamSink\n"
        "import io\n"
        "sink = StreamSink(io.BytesIO(), 'memory')\n"
        f"report = asyncio.run(_batch.run([{str(EXAMPLES)!r}], Settings(engine='extractive',"
        " cache=False), sink))\n"
        "assert report.done > 0, report\n"
        "assert 'ray' in _executors.names()\n"
        "print(sorted(m for m in sys.modules if m == 'ray' or m.startswith(('ray.', 'pyarrow'))))\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_without_the_extra_the_ray_executor_says_how_to_install_it() -> None:
    done = python(
        "import sys\n"
        "sys.modules['ray'] = None  # as if the ray extra were not installed\n"
        "from summarizer import _executors\n"
        "from summarizer._errors import ConfigError\n"
        "try:\n"
        "    _executors.get('ray')\n"
        "except ConfigError as e:\n"
        "    print(e)\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "--executor ray needs Ray: pip install 'summarizer[ray]'\n"


def test_a_pool_of_endpoints_is_a_comma_list_or_a_list() -> None:
    from summarizer._config import Settings, resolve

    urls = ("http://a:8000/v1", "http://b:8000/v1")
    assert Settings(base_url=" http://a:8000/v1 , http://b:8000/v1").base_urls == urls
    assert resolve({"base_url": urls}, environ={}).base_urls == urls  # a repeated flag
    assert resolve({"base_url": ()}, environ={}).base_url is None  # the flag not given
    assert Settings(base_url="http://a:8000/v1").base_urls == urls[:1]
    with pytest.raises(ConfigError, match="base_url"):
        Settings(base_url="http://a:8000/v1,ftp://b")


def test_a_local_run_spreads_documents_over_the_pool(tmp_path: Path) -> None:
    import asyncio

    from summarizer import _batch as batch
    from summarizer._config import Settings
    from summarizer._sinks import JsonlSink

    from .fakeserver import MODEL, Reply, notes_for, serve

    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(6):
        (folder / f"doc{i}.txt").write_text(f"DOC-{i} notes.\nThe council approved {i} parks.\n")
    with (
        serve(lambda r: Reply(content=notes_for(r))) as a,
        serve(lambda r: Reply(content=notes_for(r))) as b,
    ):
        settings = Settings(
            engine="llm",
            base_url=f"{a.base_url},{b.base_url}",
            model=MODEL,
            mode="json_object",
            cache=False,
            concurrency=1,
        )
        sink = JsonlSink(tmp_path / "out.jsonl", resume=False)
        try:
            report = asyncio.run(batch.run([str(folder)], settings, sink))
        finally:
            sink.close()
        asked = (a.stats.requests, b.stats.requests, a.stats.max_in_flight, b.stats.max_in_flight)
    assert report.done == 6
    assert asked[0] > 0 and asked[1] > 0, "both endpoints took documents"
    assert asked[2:] == (1, 1), "one request in flight per endpoint, as --concurrency says"
