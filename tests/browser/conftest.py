"""Browser fixtures: build the sites into tmp dirs, serve them on localhost, drive Debian's chromium."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from juesuan.site import build_site

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "data" / "site" / "datapackages"
REAL = ROOT / "datapackages"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--disable-dev-shm-usage", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
SCREENSHOTS = ROOT / "build" / "screenshots"


def _has_reports(d: Path) -> bool:
    return d.is_dir() and any(p.name != "catalog" and (p / "datapackage.json").is_file() for p in d.iterdir())


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class Served:
    """A site built for, and served under, a sub-path (/juesuan/) of localhost, like GitHub Pages.

    The port is bound before the build so site_url (which instant navigation checks against
    the sitemap) names the real origin.
    """

    def __init__(self, tmp: Path, packages: Path, sub: str = "juesuan"):
        www = tmp / "www"
        www.mkdir()
        self.packages = packages
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(www)))
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/{sub}/"
        self.site = www / sub
        self.timings = build_site(packages, self.site, echo=lambda s: None, site_url=self.url, cache_dir=tmp / "cache")
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is missing: run `make test` (installs it) or apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def main_site(tmp_path_factory):
    """The site of the real datapackages/ when present, else of the fixture's two plain reports."""
    tmp = tmp_path_factory.mktemp("browser")
    if _has_reports(REAL):
        packages = REAL
    else:
        packages = tmp / "packages"
        for d in FIXTURE.iterdir():
            if d.name != "hostile-2023":
                shutil.copytree(d, packages / d.name)
    served = Served(tmp, packages)
    yield served
    served.close()


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    served = Served(tmp, FIXTURE)
    yield served
    served.close()


class Watch:
    """Records console errors, page errors, dialogs and every request that leaves localhost."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.dialogs: list[str] = []

    def attach(self, context) -> None:
        def route(r):
            host = urlsplit(r.request.url).hostname
            if r.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
                r.continue_()
            else:
                self.outside.append(r.request.url)
                r.abort()

        context.route("**/*", route)

    def page(self, context, **kw):
        page = context.new_page(**kw)
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

        def dialog(d):
            self.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", dialog)
        return page

    def check(self) -> None:
        assert not self.outside, f"requests left localhost: {self.outside[:5]}"
        assert not self.errors, f"console errors: {self.errors[:5]}"
        assert not self.dialogs, f"dialogs opened: {self.dialogs[:5]}"


@pytest.fixture
def watch(browser):
    w = Watch()
    contexts = []

    def new(**kw):
        ctx = browser.new_context(**kw)
        w.attach(ctx)
        contexts.append(ctx)
        return ctx

    w.new_context = new
    yield w
    for c in contexts:
        c.close()
    w.check()
