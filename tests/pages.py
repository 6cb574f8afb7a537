"""A loopback web server of the tests' own, serving scripted pages, for URL inputs.

Each test names its pages by path (query included); any other path is a 404. The server
runs on threads in the test's process and is shut down as the `with` block ends.
"""

from __future__ import annotations

import base64
import contextlib
import socket
import threading
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Page:
    body: bytes = b""
    content_type: str | None = "text/html"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)  # Content-Length, if set, is sent as is
    login: str | None = None  # "user:password" the page wants as Basic auth, else a 401


def redirect(to: str) -> Page:
    return Page(status=302, content_type=None, headers={"Location": to})


@dataclass
class Site:
    base: str
    pages: MutableMapping[str, Page]
    hits: list[str]  # the paths asked for, in order


@contextmanager
def serve(pages: MutableMapping[str, Page]) -> Iterator[Site]:
    """`pages` may be changed while serving: a test edits a page between two runs."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            hits.append(self.path)
            page = pages.get(self.path, Page(b"not here", "text/plain", status=404))
            if page.login is not None and self.headers.get("Authorization") != _basic(page.login):
                page = Page(b"who are you?", "text/plain", status=401)
            self.send_response(page.status)
            if page.content_type is not None:
                self.send_header("Content-Type", page.content_type)
            headers = {"Content-Length": str(len(page.body)), **page.headers}
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            with contextlib.suppress(OSError):  # the client stopped reading: a size limit
                self.wfile.write(page.body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.01})
    thread.start()
    try:
        yield Site(f"http://127.0.0.1:{httpd.server_address[1]}", pages, hits)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def closed_port() -> int:
    """A loopback port nothing listens on: a connection to it is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _basic(login: str) -> str:
    return "Basic " + base64.b64encode(login.encode()).decode()
