"""Headless Chromium (Debian's package) driven by Playwright, and a local server for a site."""

from __future__ import annotations

import functools
import shutil
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def wait_true(page: Page, expression: str, timeout: float = 15) -> None:
    """Wait until ``expression`` is true in the page. Not ``wait_for_function``: Playwright
    polls a string with eval, which the pages' Content-Security-Policy forbids, so a first
    check that came early failed on the policy (a loaded machine) instead of waiting."""
    end = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < end, f"never true: {expression}"
        page.wait_for_timeout(50)


def run_axe(page: Page) -> dict:
    """axe-core's violations on the page as it is (open it with ``bypass_csp=True``: the
    CSP would refuse the injected script), and how many rules passed."""
    assert AXE.is_file(), "axe-core is missing: scripts/ensure-test-tools installs it (npm ci)"
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return {violations: r.violations.map(v => ({id: v.id, impact: v.impact,
                   nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)})),
                passes: r.passes.length};
    }""")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is needed: `make test` installs it"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True)
        yield browser
        browser.close()


def serve(folder: Path) -> tuple[ThreadingHTTPServer, str]:
    """Serve folder on 127.0.0.1 on a free port, in a daemon thread."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="session")
def fixture_url(built_fixture: Path) -> Iterator[str]:
    server, url = serve(built_fixture)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def sample_url(built_sample: Path) -> Iterator[str]:
    """The sample archive (content/) built once and served on 127.0.0.1."""
    server, url = serve(built_sample)
    yield url
    server.shutdown()
    server.server_close()
