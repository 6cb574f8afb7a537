"""`summarizer summarize` on any input: offline, through the CLI, in every format.

Inputs are random bytes, random Unicode (control characters, lone surrogates written with
`surrogatepass` or as `surrogateescape` bytes, bidi controls, emoji, CJK) and real sentences
mixed with that noise. Whatever comes in, the run ends with exit code 0, or 2 and one line
on stderr (a batch's failed document: 1 and a failure record), never a traceback, and
stdout carries no character a terminal would obey or reorder text by: C0 controls but tab
and line feed, DEL, C1 controls, and the bidi embeddings, overrides and isolates
(U+202A-U+202E, U+2066-U+2069). Bidi marks (U+200E, U+200F, U+061C) are allowed: they
change the direction of neutral neighbours only, and right-to-left text needs them.

The examples are derandomized and no database is kept, so a run is the same on every
machine. The module imports no internal module at the top, so it also runs against an older
version of the package put first on sys.path (pytest's `--import-mode=append`).
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarizer.cli import main

FORMATS = ("rich", "json", "markdown", "jsonl")
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
ENVIRONMENT = (
    "SUMMARIZER_BASE_URL",
    "SUMMARIZER_MODEL",
    "SUMMARIZER_API_KEY",
    "OPENAI_BASE_URL",
    "OPENAI_API_KEY",
    "SUMMARIZER_ENGINE",
    "SUMMARIZER_PROFILE",
)
PROPERTY = settings(
    max_examples=30,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

REAL = [
    "青岚县今年投入资金2.3亿元，建成32个农村电商服务站，覆盖率达92%。",
    "县长李明远表示，明年将新建输水管网120公里，惠及1,000余户居民。",
    "記者在西林鎮看到，茶農何秀英說，今年收入增加了三成。",
    "The council approved a $48.6 million budget on March 3, 2026.",
    "Dr. Alicia Romero said the No. 4 bus route will run every 15 minutes.",
    "Parks receive $6.2 million, up 12.7% from last year, officials said.",
    "市公交集团新增公交线路8条日均客流增长3.5%滨江新区新建城市书房12座",  # no punctuation
    "the library will open three branches and hire new staff for evening programs",
    "مرحبا بالعالم، هذه جملة عربية.",
    "Ünïcödé façade naïve café — “quoted” text…",
]
NOISE = [
    "\x1b[31m",
    "\x1b[2J\x1b[H",
    "\x1b]0;pwned\x07",
    "\x1b[6n",
    "\x9b31m",
    "\x00",
    "\x07",
    "\x08",
    "\x7f",
    "\x85",
    "\x0b",
    "\x0c",
    "\r",
    "\u202e",
    "\u202d",
    "\u2066",
    "\u2069",
    "\u200f",
    "\ufeff",
    "\u200b",
    "\ud800",
    "\udc80",
    "\udcff",
    "\ud83d\ude00",
    "👩\u200d💻",
    "🇨🇳",
    "e\u0301",
    "𠀀",
    "。",
    "，",
    "|",
    "<script>",
    " ",
    "\n",
    "\t",
]
CHARACTERS = st.one_of(
    st.characters(),  # any code point but surrogates
    st.characters(categories=["Cc", "Cf", "Cs", "Zl", "Zp"]),
    st.sampled_from(NOISE),
)


def unicode(max_size: int) -> st.SearchStrategy[str]:
    return st.lists(CHARACTERS, max_size=max_size).map("".join)


def encode(text: str, how: str) -> bytes:
    """`text` as a file would hold it, lone surrogates included."""
    if how == "surrogateescape":  # U+DC80-U+DCFF are bytes; other surrogates, as UTF-8 would
        return b"".join(
            bytes([ord(c) - 0xDC00])
            if "\udc80" <= c <= "\udcff"
            else c.encode("utf-8", "surrogatepass")
            for c in text
        )
    if how == "utf-16":
        return text.encode("utf-16", "surrogatepass")
    return text.encode("utf-8", "surrogatepass")


ENCODINGS = st.sampled_from(["surrogatepass", "surrogateescape", "utf-16"])
RANDOM_TEXT = st.builds(encode, unicode(600), ENCODINGS)
MIXED = st.builds(
    lambda parts, how: encode("".join(parts), how),
    st.lists(
        st.one_of(
            st.sampled_from(REAL),
            st.sampled_from(NOISE),
            unicode(12),
            st.sampled_from(["", " ", "\n", "\n\n", "\r\n"]),
        ),
        min_size=1,
        max_size=120,
    ),
    st.sampled_from(["surrogatepass", "surrogateescape"]),
)


@pytest.fixture(scope="module")
def environment(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str | None]:
    """No model and no user config from the machine running the tests."""
    config = tmp_path_factory.mktemp("config") / "no-config.toml"
    return {**dict.fromkeys(ENVIRONMENT), "SUMMARIZER_CONFIG": str(config)}


def run(data: bytes, fmt: str, environment: dict[str, str | None]) -> Result:
    runner = CliRunner()
    args = ["summarize", "-", "--no-cache", "--format", fmt]
    return runner.invoke(main, args, input=data, env=environment)


def check(result: Result, fmt: str) -> None:
    """What every run must satisfy, whatever it was given.

    jsonl is a batch of one: a failed document is a failure record on stdout, one error line
    on stderr before the batch's table, and exit code 1, as for any batch.
    """
    out, err = result.stdout, result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), err
    assert "Traceback" not in out + err
    assert UNSAFE.search(out) is None, unsafe(out)
    if fmt == "jsonl":
        assert result.exit_code in (0, 1), (result.exit_code, err)
        [line] = out.splitlines()
        record = json.loads(line)
        errors = [e for e in err.splitlines() if e.startswith("summarizer: error: ")]
        if result.exit_code == 1:
            assert set(record) == {"source", "error", "sha256"} and len(errors) == 1, err
            return
        assert not errors, err
    else:
        assert result.exit_code in (0, 2), (result.exit_code, err)
        if result.exit_code == 2:
            assert err.startswith("summarizer: error: ") and err.count("\n") == 1, err
            return
        record = json.loads(out) if fmt == "json" else {}
    for value in strings(record):  # clean text, not just escaped by JSON
        assert UNSAFE.search(value) is None, unsafe(value)


def unsafe(text: str) -> str:
    found = UNSAFE.search(text)
    assert found is not None
    return f"U+{ord(found.group()):04X} in {text[max(0, found.start() - 40) : found.end() + 40]!r}"


def strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


@PROPERTY
@given(st.binary(max_size=4096), st.sampled_from(FORMATS))
def test_random_bytes(environment: dict[str, str | None], data: bytes, fmt: str) -> None:
    check(run(data, fmt, environment), fmt)


@PROPERTY
@given(RANDOM_TEXT, st.sampled_from(FORMATS))
def test_random_unicode(environment: dict[str, str | None], data: bytes, fmt: str) -> None:
    check(run(data, fmt, environment), fmt)


@PROPERTY
@given(MIXED, st.sampled_from(FORMATS))
def test_real_text_mixed_with_noise(
    environment: dict[str, str | None], data: bytes, fmt: str
) -> None:
    result = run(data, fmt, environment)
    check(result, fmt)


def test_escape_sequences_in_the_text_never_reach_the_terminal(
    environment: dict[str, str | None],
) -> None:
    marked = [f"\x1b[31m{REAL[0]}\u202e\x9b2J\x1b[0m", *REAL[1:], f"\x1b]0;pwned\x07{REAL[3]}"]
    text = "\n".join(marked) + "\n"  # controls under 1% of the text, or it is binary
    for fmt in FORMATS:
        result = run(text.encode(), fmt, environment)
        assert result.exit_code == 0, result.stderr
        check(result, fmt)
        assert "青岚县" in result.stdout


def test_the_terminal_panel_passes_no_control_through() -> None:
    """Titles and a model's answers do not come from the cleaned text: the panel strips them."""
    import io

    from rich.console import Console

    from summarizer import summarize
    from summarizer._formats.panel import SummaryView

    examples = Path(__file__).resolve().parent.parent / "examples"
    result = summarize(examples / "en_short_note.md", engine="extractive", cache=False)
    payload = "\x1b[2J\x1b]0;pwned\x07\x9b6n\u202e\x00"
    result = result.model_copy(
        update={
            "title": f"Title{payload}",
            "summary": result.summary + payload,
            "key_points": [p + payload for p in result.key_points],
        }
    )
    for terminal in (True, False):
        console = Console(file=io.StringIO(), width=80, force_terminal=terminal)
        console.print(SummaryView(result))
        shown = console.file.getvalue()  # type: ignore[attr-defined]
        styles = re.sub(r"\x1b\[[0-9;]*m", "", shown)  # rich's own colours, on a terminal
        assert UNSAFE.search(styles) is None, unsafe(styles)
        assert "Title" in shown and "pwned" in shown  # the text stays, the controls go


# --- text without sentence punctuation ----------------------------------------------------


def words_without_stops(size: int, seed: int = 5) -> str:
    rng = random.Random(seed)
    words = "the council approved new budget for parks library buses roads staff".split()
    words += ["3.5", "1,000", "48.6", "12.7%", "March", "Tuesday", "residents", "officials"]
    text = " ".join(rng.choice(words) for _ in range(size // 5))
    return text[:size].rstrip()


def unpunctuated_chinese(size: int, seed: int = 5) -> str:
    rng = random.Random(seed)
    parts = [
        "青岚县",
        "投入资金",
        "2.3亿元",
        "建成",
        "服务站",
        "32个",
        "覆盖率达",
        "92%",
        "全县",
        "农村电商",
    ]
    text = "".join(rng.choice(parts) for _ in range(size // 3))
    return text[:size]


def summarize_json(data: bytes, environment: dict[str, str | None]) -> dict[str, Any]:
    result = run(data, "json", environment)
    assert result.exit_code == 0, result.stderr
    value: dict[str, Any] = json.loads(result.stdout)
    return value


@pytest.mark.parametrize(
    "text",
    [words_without_stops(280_000), unpunctuated_chinese(100_000)],
    ids=["280 KB of words", "300 KB of Chinese"],
)
def test_text_without_stops_gets_a_bounded_summary_and_whole_key_points(
    environment: dict[str, str | None], text: str
) -> None:
    result = summarize_json(text.encode(), environment)
    assert 0 < len(result["summary"]) <= 600
    assert 3 <= len(result["key_points"]) <= 7
    for point in result["key_points"]:
        assert point in text and not point.endswith("…"), point
        assert len(point) <= 600


def test_key_points_are_whole_sentences(environment: dict[str, str | None]) -> None:
    """Sentences of 230 characters and more, which key points once cut with "…"."""
    topics = ["buses", "parks", "libraries", "roads", "schools"]
    text = " ".join(
        f"The council approved the {topic} plan after a long debate that ran past midnight, "
        f"with residents from district {i} asking about {topic}, fares, opening hours and "
        f"repairs, and the mayor promising a second hearing on {topic} before any of the "
        f"{i + 2} million dollars is spent next year."
        for i, topic in enumerate(topics)
    )
    result = summarize_json(text.encode(), environment)
    assert len(result["key_points"]) >= 3
    for point in result["key_points"]:
        assert len(point) > 230 and point in text and point.endswith("year."), point


def test_a_long_unpunctuated_line_is_summarized_in_bounded_time(
    environment: dict[str, str | None], tmp_path: Path
) -> None:
    """2.6 MB of Chinese on one line, without punctuation: it once took 107 s, now about 3."""
    path = tmp_path / "transcript.txt"
    path.write_text(unpunctuated_chinese(900_000), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ENVIRONMENT}
    env["SUMMARIZER_CONFIG"] = str(environment["SUMMARIZER_CONFIG"])
    done = subprocess.run(
        [sys.executable, "-m", "summarizer", "summarize", str(path), "-f", "json", "--no-cache"],
        capture_output=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["summary"]) <= 600
