"""Generated pages loaded in a real browser: Debian's chromium, driven by Playwright.

Needs /usr/bin/chromium and the playwright package (`.ci/run` installs both; `playwright
install` is never run, its download fails offline). Every request a page makes is
recorded and refused unless it is the page itself, or one of the pages it may open.
A test module uses the fixture by importing it: `from .browser import browser`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Dialog, Page, Request, Route

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@dataclass
class Watch:
    """What a page did: requests, console errors, dialogs."""

    url: str
    allowed: set[str] = field(default_factory=set)  # pages it may open besides its own
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def assert_quiet(self) -> None:
        assert self.errors == []
        assert self.dialogs == []
        assert set(self.requests) <= {self.url, *self.allowed}, "only our own pages may load"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    if not CHROMIUM.exists():
        pytest.skip("chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(CHROMIUM),
            headless=True,
            args=FLAGS,
        )
        yield context
        context.close()


def open_page(
    browser: BrowserContext,
    html: str | None,
    path: Path,
    width: int = 1280,
    *,
    allowed: Iterable[Path] = (),
) -> tuple[Page, Watch]:
    """Load the page at `path` (written first, when `html` is given), watching what it does."""
    if html is not None:
        path.write_text(html, encoding="utf-8")
    watch = Watch(path.as_uri(), {p.as_uri() for p in allowed})

    def route(route: Route, request: Request) -> None:
        if request.url in {watch.url, *watch.allowed} or request.url.startswith("data:"):
            route.continue_()
        else:
            route.abort()

    tab = browser.new_page()
    tab.set_viewport_size({"width": width, "height": 900})
    tab.route("**/*", route)
    tab.on("request", lambda r: watch.requests.append(r.url))
    tab.on("console", lambda m: watch.errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: watch.errors.append(str(e)))

    def dialog(d: Dialog) -> None:
        watch.dialogs.append(d.message)
        d.dismiss()

    tab.on("dialog", dialog)
    tab.goto(watch.url)
    return tab, watch
