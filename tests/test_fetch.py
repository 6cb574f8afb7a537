"""URLs as inputs, against a loopback server of the test's own (never the network)."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx2
import pytest

from summarizer._errors import (
    DocumentNotFound,
    DocumentTooLarge,
    FetchFailed,
    UnreadableDocument,
)
from summarizer._fetch import fetch, is_url, shown_url

PAGE = "<html><head><title>区里的新公园</title></head><body><p>新公园今年开放。</p></body></html>"
release = threading.Event()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = self.path
        if path.startswith("/hop/"):
            n = int(path.rsplit("/", 1)[1])
            self.send_response(302)
            self.send_header("Location", f"/hop/{n - 1}" if n > 1 else "/page.html")
            self.end_headers()
        elif path == "/to-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
        elif path == "/download":  # a PDF the server calls HTML
            self.send_response(200)
            self.send_header("Content-Type", "Text/HTML; charset=utf-8")
            self.send_header("Content-Length", "9")
            self.end_headers()
            self.wfile.write(b"%PDF-1.4\n")
        elif path == "/broken":
            self.send_response(500)
            self.end_headers()
        elif path == "/page.html":
            body = PAGE.encode("gbk")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=GBK")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif path == "/huge-declared":
            self.send_response(200)
            self.send_header("Content-Length", str(10**9))
            self.end_headers()
        elif path == "/huge-streamed":
            self.send_response(200)
            self.end_headers()  # no length: the body streams until the client stops reading
            try:
                for _ in range(1000):
                    self.wfile.write(b"x" * 4096)
            except OSError:
                pass
        elif path == "/stall":
            self.send_response(200)
            self.send_header("Content-Length", "10")
            self.end_headers()
            release.wait(timeout=10)
        else:
            self.send_response(404)
            self.end_headers()


@contextmanager
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.01})
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_is_url() -> None:
    assert is_url("https://example.org/a") and is_url("HTTP://x")
    assert is_url("ftp://x")  # a URL, refused by `fetch` with a reason, not "no such file"
    assert not is_url("notes.txt") and not is_url("-") and not is_url("C://notes.txt")
    assert not is_url("./http://x") and not is_url("http:notes")


def test_shown_urls_lose_passwords_and_secret_parameters() -> None:
    assert shown_url("https://ana:pw@h.example/a?q=1") == "https://ana:***@h.example/a?q=1"
    assert (
        shown_url("https://h/a?api_key=K1&keyword=parks&X-Amz-Signature=S&access_token=T#top")
        == "https://h/a?api_key=***&keyword=parks&X-Amz-Signature=***&access_token=***#top"
    )
    assert shown_url("https://h/a?token=&page=2") == "https://h/a?token=&page=2"
    assert shown_url("https://h/report.pdf") == "https://h/report.pdf"


def test_urls_no_server_could_help_with_are_refused_before_any_request() -> None:
    cases = {
        "ftp://h/notes.txt": "only http:// and https:// URLs are fetched",
        "file:///etc/passwd": "only http:// and https:// URLs are fetched",
        "http:///notes.txt": "not a valid URL: no host",
        "https://ana:pw@[::1/": "not a valid URL: Invalid port",
    }
    for url, reason in cases.items():
        with pytest.raises(UnreadableDocument, match=re.escape(reason)) as caught:
            fetch(url, max_bytes=1 << 20)
        assert caught.value.exit_code == 2 and not isinstance(caught.value, FetchFailed)
        assert ":pw@" not in str(caught.value)


def test_a_server_that_fails_is_a_fetch_failure_with_exit_1() -> None:
    with server() as base, pytest.raises(FetchFailed, match="cannot fetch: HTTP 500") as caught:
        fetch(f"{base}/broken", max_bytes=1 << 20)
    assert caught.value.exit_code == 1
    with pytest.raises(FetchFailed, match="Connection refused"):
        fetch(base, max_bytes=1 << 20)  # the server is gone: nothing listens on its port


def test_the_content_type_is_a_hint_beside_the_path() -> None:
    with server() as base:
        pdf = fetch(f"{base}/download", max_bytes=1 << 20)
        page = fetch(f"{base}/page.html", max_bytes=1 << 20)
    assert (pdf.suffix, pdf.charset, pdf.data) == (".html", "utf-8", b"%PDF-1.4\n")
    assert page.suffix == ".html" and page.url == f"{base}/page.html"


def test_redirects_are_followed_and_the_final_url_and_charset_recorded() -> None:
    with server() as base:
        fetched = fetch(f"{base}/hop/3", max_bytes=1 << 20)
    assert fetched.final_url == f"{base}/page.html"
    assert fetched.charset == "gbk" and fetched.suffix == ".html"
    assert fetched.data.decode("gbk") == PAGE


def test_too_many_redirects_and_non_http_targets_are_refused() -> None:
    with server() as base:
        with pytest.raises(FetchFailed, match="more than 5 redirects"):
            fetch(f"{base}/hop/9", max_bytes=1 << 20)
        with pytest.raises(UnreadableDocument, match="only http"):
            fetch(f"{base}/to-file", max_bytes=1 << 20)


def test_size_is_bounded_before_and_while_reading() -> None:
    with server() as base:
        with pytest.raises(DocumentTooLarge, match="input limit"):
            fetch(f"{base}/huge-declared", max_bytes=1 << 20)
        with pytest.raises(DocumentTooLarge, match="input limit"):
            fetch(f"{base}/huge-streamed", max_bytes=1 << 20)


def test_missing_pages_and_stalls_are_one_error_each() -> None:
    release.clear()
    with server() as base:
        with pytest.raises(DocumentNotFound, match="HTTP 404"):
            fetch(f"{base}/nothing", max_bytes=1 << 20)
        with pytest.raises(FetchFailed, match="timed out"):
            fetch(f"{base}/stall", max_bytes=1 << 20, timeout=httpx2.Timeout(0.2))
