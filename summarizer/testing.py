"""Record your tests' model calls once, replay them offline after: a pytest plugin.

pytest loads it through the package's `pytest11` entry point (the `testing` extra brings
vcrpy); do not also pass `-p summarizer.testing`, which would register it twice. In a test::

    def test_digest(summarizer_client):  # a Summarizer wired to this test's cassette
        assert summarizer_client.summarize("tests/data/note.txt").facts

    @pytest.mark.summarizer_cassette("note")  # name the cassette; any client is recorded
    def test_direct():
        summarizer.summarize("tests/data/note.txt", base_url=URL, model=MODEL)

`pytest --summarizer-record` runs each such test against the real endpoint and writes its
cassette afresh, `cassettes/<module>/<test>.yaml` beside the test file; every other run
replays it (record mode none) and fails on any request the cassette does not hold. A
request matches on method, URL and query, its body compared as JSON (so a changed schema
or parameter shows as a diff) and the `X-Summarizer-Prompt` header, so an edited prompt
fails with a message naming it. Cassettes are UTF-8 YAML (Chinese stays readable), with
the Authorization and api-key headers dropped and a base URL's password starred out.

The `summarizer_client` fixture takes its settings from `summarizer_settings`: the
environment and config file as the CLI reads them, with `summarizer_base_url` and
`summarizer_model` from the ini file winning (pin them: replay needs the host, port and
model it recorded), the result cache off (a cached answer would record nothing) and, when
replaying, no backoff between retries. Override the fixture to choose otherwise.

The same matchers, serializer and scrubbers serve summarizer's own cassette tests.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import yaml

if TYPE_CHECKING:
    from summarizer import Settings, Summarizer

PROMPT_HEADER = "X-Summarizer-Prompt"  # as summarizer._llm.client sends it (not imported: slow)
RECORD_FLAG = "--summarizer-record"
MARKER = "summarizer_cassette"
FILTERED_HEADERS = [
    "authorization",
    "api-key",
    "x-api-key",
    "openai-organization",
    "openai-project",
    "cookie",
    "set-cookie",
    "user-agent",
    "x-stainless-os",
    "x-stainless-arch",
    "x-stainless-runtime-version",
    "x-stainless-package-version",
    "x-stainless-runtime",
    "x-stainless-lang",
]
FILTERED_QUERY = ["api-key", "api_key", "key"]
MATCH_ON = ["method", "scheme", "host", "port", "path", "query", "prompt", "json_body"]
Matcher = Callable[[Any, Any], None]
_HOME_PATH = re.compile(r"/(?:root|home/[^/\s\"']+)/")
_UNSAFE_NAME = re.compile(r"[^\w.\[\]-]+")


class Utf8Yaml:
    """vcrpy's YAML, written as readable UTF-8 instead of escapes."""

    @staticmethod
    def deserialize(text: str) -> Any:
        from vcr.serializers import yamlserializer

        return yamlserializer.deserialize(text)

    @staticmethod
    def serialize(data: Any) -> str:
        from vcr.serializers import yamlserializer

        dumper = yamlserializer._CassetteDumper
        return str(yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1000))


def _header(request: Any, name: str) -> str | None:
    for key, value in request.headers.items():
        if key.lower() == name.lower():
            return str(value[0] if isinstance(value, list) else value)
    return None


def make_prompt_matcher(rerecord: str) -> Matcher:
    """A matcher for the prompt header whose failure names the prompt and how to re-record."""

    def prompt_matcher(request: Any, recorded: Any) -> None:
        now, then = _header(request, PROMPT_HEADER), _header(recorded, PROMPT_HEADER)
        if now != then:
            raise AssertionError(
                f"prompt changed since the cassette was recorded: cassette has {then!r}, "
                f"this request has {now!r}; re-record: {rerecord}"
            )

    return prompt_matcher


def _body_lines(request: Any) -> list[str]:
    body = request.body or b""
    text = body.decode("utf-8") if isinstance(body, bytes) else str(body)
    try:
        return json.dumps(
            json.loads(text), indent=2, sort_keys=True, ensure_ascii=False
        ).splitlines()
    except ValueError:
        return text.splitlines()


def json_body_matcher(request: Any, recorded: Any) -> None:
    """Bodies compared as JSON; a mismatch shows a readable diff (schema, parameters, text)."""
    now, then = _body_lines(request), _body_lines(recorded)
    if now != then:
        diff = difflib.unified_diff(then, now, "cassette", "request", n=1, lineterm="")
        raise AssertionError("request body differs:\n" + "\n".join(list(diff)[:40]))


def scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    """Server tracebacks in error bodies name the recording machine's paths: keep them out."""
    body = response.get("body", {}).get("string")
    if isinstance(body, bytes):  # keep the type vcrpy gave: replay expects bytes back
        response["body"]["string"] = _HOME_PATH.sub("~/", body.decode("utf-8", "replace")).encode(
            "utf-8"
        )
    elif isinstance(body, str):
        response["body"]["string"] = _HOME_PATH.sub("~/", body)
    return response


def scrub_request(request: Any) -> Any:
    """vcrpy records the whole URI, so a base URL's `user:password@` would be in the cassette.

    It also runs on each request before matching, so a URI without a password is left as is.
    """
    parts = urlsplit(request.uri)
    if parts.password is not None:
        user = f"{parts.username}:" if parts.username else ""
        host = parts.netloc.rsplit("@", 1)[1]
        request.uri = urlunsplit(parts._replace(netloc=f"{user}***@{host}"))
    return request


def recorder(*, record: bool, rerecord: str = f"pytest {RECORD_FLAG}") -> Any:
    """A vcrpy VCR with summarizer's matching and scrubbing; record mode none unless `record`.

    Recording writes a cassette that does not exist yet (the plugin removes the old one
    first): "once", in vcrpy's words.
    """
    import vcr

    recording = vcr.VCR(
        serializer="summarizer_yaml",
        record_mode="once" if record else "none",
        match_on=MATCH_ON,
        filter_headers=FILTERED_HEADERS,
        filter_query_parameters=FILTERED_QUERY,
        before_record_request=scrub_request,
        before_record_response=scrub_response,
        decode_compressed_response=True,
    )
    recording.register_serializer("summarizer_yaml", Utf8Yaml)
    recording.register_matcher("prompt", make_prompt_matcher(rerecord))
    recording.register_matcher("json_body", json_body_matcher)
    return recording


def cassette_path(item: pytest.Item) -> Path:
    """`<test folder>/cassettes/<module>/<test>.yaml`, or the marker's name for the file."""
    marker = item.get_closest_marker(MARKER)
    name = str(marker.args[0]) if marker and marker.args else item.nodeid.split("::", 1)[-1]
    name = _UNSAFE_NAME.sub("-", name.replace("::", ".")).strip("-.") or "cassette"
    return item.path.parent / "cassettes" / item.path.stem / f"{name}.yaml"


# --- the plugin -------------------------------------------------------------------------

_CASSETTE = pytest.StashKey[Path]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("summarizer", "summarizer cassettes")
    group.addoption(
        RECORD_FLAG,
        action="store_true",
        help="record each summarizer cassette afresh against the real endpoint (default: replay)",
    )
    parser.addini("summarizer_base_url", "the endpoint summarizer_client uses", default="")
    parser.addini("summarizer_model", "the model summarizer_client uses", default="")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(name): record and replay this test's model calls in cassettes/<module>/NAME.yaml",
    )


@pytest.fixture
def summarizer_cassette(request: pytest.FixtureRequest) -> Iterator[Any]:
    """This test's cassette, in use for the whole test: every HTTP request goes through it."""
    path = cassette_path(request.node)
    record = bool(request.config.getoption(RECORD_FLAG))
    if record:
        path.unlink(missing_ok=True)
    request.node.stash[_CASSETTE] = path
    with recorder(record=record).use_cassette(str(path)) as cassette:
        yield cassette


@pytest.fixture(autouse=True)
def _summarizer_marked(request: pytest.FixtureRequest) -> None:
    """A test with the marker gets its cassette without asking for the fixture."""
    if request.node.get_closest_marker(MARKER) is not None:
        request.getfixturevalue("summarizer_cassette")


@pytest.fixture
def summarizer_settings(request: pytest.FixtureRequest) -> Settings:
    from summarizer import resolve

    config = request.config
    flags: dict[str, Any] = {
        "base_url": config.getini("summarizer_base_url") or None,
        "model": config.getini("summarizer_model") or None,
        "cache": False,
    }
    if not config.getoption(RECORD_FLAG):
        flags["backoff"] = 0.0
    return resolve(flags)


@pytest.fixture
def summarizer_client(
    summarizer_cassette: Any, summarizer_settings: Settings
) -> Iterator[Summarizer]:
    from summarizer import Summarizer

    with Summarizer(summarizer_settings) as client:
        yield client


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A failed test that replayed a cassette says which, and how to record it again."""
    report = yield
    path = item.stash.get(_CASSETTE, None)
    if report.failed and path is not None and not item.config.getoption(RECORD_FLAG):
        state = "replayed" if path.exists() else "missing: never recorded"
        report.sections.append(
            ("summarizer cassette", f"{path} ({state}); record it with pytest {RECORD_FLAG}")
        )
    return report
