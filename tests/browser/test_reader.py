"""The reader's side in headless Chromium: the Content-Security-Policy holds with nothing
blocked, axe-core finds no accessibility violation, dark mode and print change the page, and
hostile headlines stay text in the search results and the refreshed Weitere Meldungen.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import run_axe, serve
from helpers import ROOT
from playwright.sync_api import Browser, Page, expect

from generator import build
from generator.settings import load

ARTICLE = "/2026/02/03/russland-weist-vorwuerfe-der-usa-zurueck/"
PAGES = {"home": "/", "article": ARTICLE, "category": "/kategorie/ausland/",
         "day": "/2024/02/10/", "search": "/suche/?q=russland"}

# Records CSP violations before any page script runs (an init script is not subject to CSP).
_LISTEN = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def watched(browser: Browser, **options: object) -> tuple[Page, list[str]]:
    """A page whose console errors, page errors, failed requests and dialogs are collected."""
    page = browser.new_page(**options)
    trouble: list[str] = []
    page.add_init_script(_LISTEN)
    page.on("console", lambda m: trouble.append(f"console {m.type}: {m.text}")
            if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: trouble.append(f"pageerror: {e}"))
    # A request cut off by the next navigation (the favicon, typically) is aborted, not failed.
    page.on("requestfailed", lambda r: trouble.append(f"request failed: {r.url} {r.failure}")
            if r.failure != "net::ERR_ABORTED" else None)
    page.on("response", lambda r: trouble.append(f"HTTP {r.status}: {r.url}")
            if r.status >= 400 else None)

    def dialog(d) -> None:
        trouble.append(f"dialog: {d.message}")
        d.dismiss()

    page.on("dialog", dialog)
    return page, trouble


def settle(page: Page, name: str) -> None:
    """Wait for the scripts' visible work: the refreshed block, or the search results."""
    if name == "article":
        expect(page.locator("aside.related")).to_have_attribute("data-refreshed", "true")
    if name == "search":
        expect(page.locator("#suche-treffer li").first).to_be_visible()
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("name", list(PAGES))
def test_pages_load_under_the_csp_with_nothing_blocked(browser: Browser, fixture_url: str,
                                                       name: str) -> None:
    page, trouble = watched(browser)
    page.goto(fixture_url + PAGES[name])
    settle(page, name)
    policy = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy
    assert page.evaluate("window.__csp") == []
    assert trouble == []
    page.close()


def test_the_csp_blocks_an_inline_script(browser: Browser, fixture_url: str) -> None:
    """The check above can fail: inline code is refused and reported."""
    page, _ = watched(browser)
    page.goto(fixture_url + "/")
    page.evaluate("""() => { const s = document.createElement('script');
                             s.textContent = 'window.__ran = true'; document.body.append(s); }""")
    page.wait_for_function("window.__csp.length > 0")
    assert page.evaluate("window.__ran === undefined")
    assert any("script-src" in v for v in page.evaluate("window.__csp"))
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_violations(browser: Browser, fixture_url: str, name: str,
                                 scheme: str) -> None:
    # The CSP would refuse the injected axe script: this test is about the page, not the CSP.
    page = browser.new_page(bypass_csp=True, color_scheme=scheme)
    page.goto(fixture_url + PAGES[name])
    settle(page, name)
    result = run_axe(page)
    assert result["passes"] > 10  # axe really ran
    assert result["violations"] == []
    page.close()


def background(page: Page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def test_dark_mode_follows_the_system_setting(browser: Browser, fixture_url: str) -> None:
    page = browser.new_page()
    colours = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.goto(fixture_url + ARTICLE)
        colours[scheme] = (background(page),
                           page.evaluate("getComputedStyle(document.body).color"))
    light_bg, dark_bg = (sum(map(int, colours[s][0][4:-1].split(","))) for s in ("light", "dark"))
    assert light_bg > 600 and dark_bg < 150  # light page, dark page
    assert colours["light"][1] != colours["dark"][1]
    page.close()


def test_print_hides_navigation_and_prints_black_on_white(browser: Browser,
                                                          fixture_url: str) -> None:
    page = browser.new_page(color_scheme="dark")
    page.goto(fixture_url + ARTICLE)
    nav = page.locator("nav[aria-label=Hauptnavigation]")
    assert nav.is_visible() and page.locator("aside.related").is_visible()
    page.emulate_media(media="print")
    assert not nav.is_visible() and not page.locator("aside.related").is_visible()
    assert not page.locator(".site-footer").is_visible()
    assert page.locator("article.report h1").is_visible()
    assert background(page) == "rgb(255, 255, 255)"
    assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
    page.close()


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    output = tmp_path_factory.mktemp("hostile-browser") / "output"
    build(load(ROOT / "tests/fixtures/hostile/pelicanconf.py", {"OUTPUT_PATH": str(output)}))
    server, url = serve(output)
    yield url, output
    server.shutdown()
    server.server_close()


def test_hostile_pages_run_nothing_in_a_browser(browser: Browser,
                                                hostile_site: tuple[str, Path]) -> None:
    hostile_url, output = hostile_site
    page, trouble = watched(browser)
    pages = sorted(p.relative_to(output).as_posix() for p in output.rglob("index.html"))
    assert len(pages) > 15
    for path in pages:
        refresh = re.search(rb'http-equiv="refresh" content="0; url=([^"]+)"',
                            (output / path).read_bytes())
        if refresh:  # an alias's redirect page: it goes on to its report at once
            page.goto(f"{hostile_url}/{path.removesuffix('index.html')}", wait_until="commit")
            page.wait_for_url(hostile_url + refresh.group(1).decode())
            page.wait_for_load_state()
            continue
        page.goto(f"{hostile_url}/{path.removesuffix('index.html')}")
        if page.locator("aside.related").count():
            expect(page.locator("aside.related")).to_have_attribute("data-refreshed", "true")
    # Search results are built from the index's texts: they must stay text too.
    page.goto(hostile_url + "/suche/?q=script")
    results = page.locator("#suche-treffer .teaser-title")
    expect(results.first).to_be_visible()
    titles = results.all_text_contents()
    assert any('</title><script>alert("t1")</script>' in t for t in titles), titles
    assert page.locator("#suche-treffer script, #suche-treffer img").count() == 0
    assert page.evaluate("window.__csp") == []
    assert trouble == []
    page.close()
