"""The /suche/ page in a real browser: results as one types, highlighted words, filters and sort
in the URL, the back button, "Keine Treffer", and the header's search field landing there."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from conftest import serve
from helpers import make_settings, write_history
from playwright.sync_api import Browser, Page, expect

from generator import build
from generator.settings import load

pytestmark = pytest.mark.browser

RESULTS = "#suche-treffer li"


@pytest.fixture
def page(browser: Browser, fixture_url: str):
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(fixture_url + "/suche/")
    yield page
    assert errors == []
    page.close()


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def titles(page: Page) -> list[str]:
    return page.locator(f"{RESULTS} .teaser-title").all_text_contents()


def test_typing_shows_highlighted_results_and_puts_the_query_in_the_url(page: Page) -> None:
    page.locator("#suche-q").press_sequentially("Raketen", delay=20)
    expect(page.locator(RESULTS)).to_have_count(1)
    expect(page.locator("#suche-status")).to_have_text("1 Treffer")
    expect(page.locator(f"{RESULTS} .teaser-title mark")).to_have_text(["Raketen"])
    assert titles(page) == ["USA: Russland soll nordkoreanische Raketen eingesetzt haben"]
    expect(page).to_have_url(re.compile(r"/suche/\?q=Raketen$"))
    # The result links to the article.
    page.locator(f"{RESULTS} .teaser-title a").click()
    expect(page.locator("h1")).to_have_text(
        "USA: Russland soll nordkoreanische Raketen eingesetzt haben")


def test_umlaut_spellings_are_highlighted_as_typed_words(page: Page) -> None:
    page.locator("#suche-q").fill("Boerse")
    expect(page.locator(RESULTS)).to_have_count(2)
    marks = page.locator(f"{RESULTS} mark").all_text_contents()
    assert marks and set(marks) == {"Börse"}


def test_category_date_filters_and_sort_narrow_and_reorder(page: Page) -> None:
    page.locator("#suche-q").fill("Nachrichtenagentur")
    expect(page.locator(RESULTS)).to_have_count(8)
    page.locator("#suche-kategorie").select_option("Ausland")
    expect(page.locator(RESULTS)).to_have_count(3)
    assert set(page.locator(f"{RESULTS} .teaser-meta").all_text_contents()) <= {
        "4. Januar 2024 · Ausland", "5. Januar 2024 · Ausland", "3. Februar 2026 · Ausland"}
    assert query(page)["kategorie"] == ["Ausland"]
    page.locator("#suche-sort").select_option("neueste")
    expect(page.locator(f"{RESULTS} time").first).to_have_attribute("datetime", "2026-02-03")
    dates = [t.get_attribute("datetime") for t in page.locator(f"{RESULTS} time").all()]
    assert dates == ["2026-02-03", "2024-01-05", "2024-01-04"]
    assert query(page)["sort"] == ["neueste"]
    page.locator("#suche-kategorie").select_option("")
    page.locator("#suche-von").fill("2025-01-01")
    page.locator("#suche-von").dispatch_event("change")
    expect(page.locator(RESULTS)).to_have_count(4)
    dates = [t.get_attribute("datetime") for t in page.locator(f"{RESULTS} time").all()]
    assert dates == ["2026-02-04", "2026-02-03", "2025-07-14", "2025-03-01"]
    assert query(page)["von"] == ["2025-01-01"]


def test_back_button_restores_the_previous_search(page: Page) -> None:
    page.locator("#suche-q").fill("Nachrichtenagentur")
    expect(page.locator(RESULTS)).to_have_count(8)
    expect(page).to_have_url(re.compile(r"q=Nachrichtenagentur$"))
    page.locator("#suche-kategorie").select_option("Sport")
    expect(page.locator(RESULTS)).to_have_count(1)
    page.go_back()
    expect(page.locator(RESULTS)).to_have_count(8)
    expect(page.locator("#suche-kategorie")).to_have_value("")
    expect(page.locator("#suche-q")).to_have_value("Nachrichtenagentur")
    page.go_forward()
    expect(page.locator(RESULTS)).to_have_count(1)
    expect(page.locator("#suche-kategorie")).to_have_value("Sport")


def test_a_linked_search_opens_with_its_results(browser: Browser, fixture_url: str) -> None:
    page = browser.new_page()
    page.goto(fixture_url + "/suche/?q=USA&kategorie=Ausland&sort=neueste")
    expect(page.locator(RESULTS)).to_have_count(3)
    expect(page.locator("#suche-q")).to_have_value("USA")
    expect(page.locator("#suche-sort")).to_have_value("neueste")
    page.close()


def test_no_results_says_so_with_a_hint(page: Page) -> None:
    page.locator("#suche-q").fill("Xylophonquartett ")
    expect(page.locator("#suche-status")).to_contain_text("Keine Treffer für „Xylophonquartett")
    expect(page.locator("#suche-status")).to_contain_text("Tipp")
    expect(page.locator(RESULTS)).to_have_count(0)


def test_header_search_lands_on_the_search_page(browser: Browser, fixture_url: str) -> None:
    page = browser.new_page()
    page.goto(fixture_url + "/")
    page.locator("#kopf-suche").fill("Börse")
    page.locator("#kopf-suche").press("Enter")
    expect(page).to_have_url(re.compile(r"/suche/\?q=B%C3%B6rse$"))
    expect(page.locator("#suche-q")).to_have_value("Börse")
    expect(page.locator(RESULTS)).to_have_count(2)
    page.close()


def test_an_index_file_that_fails_to_load_is_said_so(browser: Browser, fixture_url: str) -> None:
    # What a reader sees whose page outlived a deploy: the shards it names are gone.
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.route(re.compile(r"/search/s/.*\.bin$"), lambda route: route.fulfill(status=404))
    page.goto(fixture_url + "/suche/")
    page.locator("#suche-q").fill("Raketen")
    expect(page.locator("#suche-status")).to_contain_text("nicht erreichbar")
    expect(page.locator(RESULTS)).to_have_count(0)
    assert errors == []
    page.close()


def test_a_page_open_across_a_deploy_searches_the_new_index(browser: Browser,
                                                             site_copy: Path) -> None:
    # The site is rebuilt on every push: a reader who opened /suche/ before it still searches.
    settings = load(site_copy / "pelicanconf.py")
    output = Path(settings.OUTPUT_PATH)
    build(settings)
    shards = set(output.glob("search/s/*.bin"))
    server, url = serve(output)
    page = browser.new_page()
    try:
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(url + "/suche/", wait_until="networkidle")  # the manifest is loaded
        article = site_copy / "content" / "2025" / "07" / "14" / "grosse-hitze.md"
        with article.open("a", encoding="utf-8") as text:
            text.write("\nDie Zeppelinwerft in Friedrichshafen gibt hitzefrei.\n")
        manifest = output / "search" / "manifest.json"
        stamp = manifest.stat().st_mtime_ns
        build(settings)
        assert shards - set(output.glob("search/s/*.bin")), "the deploy must drop a shard"
        # As a deploy within the same second leaves it: a revalidation by Last-Modified (whole
        # seconds) would answer "not modified" and hand back the old manifest.
        os.utime(manifest, ns=(stamp, stamp))
        page.locator("#suche-q").fill("Zeppelinwerft")
        expect(page.locator(RESULTS)).to_have_count(1)
        expect(page.locator(f"{RESULTS} .teaser-title")).to_have_text(
            "Große Hitze: Wetterdienst warnt vor 38 Grad")
        expect(page.locator("#suche-status")).to_have_text("1 Treffer")
        assert errors == []
    finally:
        page.close()
        server.shutdown()
        server.server_close()


def test_reports_of_1947_and_1949_show_their_days_in_any_zone(browser: Browser,
                                                               tmp_path: Path) -> None:
    """Results carry their Berlin day (1 June 1947 01:30 was UTC+3: 31 May in UTC); the
    reader's own zone, far west of Berlin here, changes no date shown."""
    write_history(tmp_path / "content")
    build(make_settings(tmp_path / "content", tmp_path / "output"))
    server, url = serve(tmp_path / "output")
    context = browser.new_context(timezone_id="Pacific/Honolulu", locale="de-DE")
    page = context.new_page()
    try:
        page.goto(url + "/suche/?q=Berlin&sort=neueste")
        expect(page.locator(RESULTS)).to_have_count(3)
        times = page.locator(f"{RESULTS} time")
        expect(times).to_have_text(["4. Januar 2024", "15. Januar 1949", "10. Januar 1947"])
        assert [times.nth(i).get_attribute("datetime") for i in range(3)] == [
            "2024-01-04", "1949-01-15", "1947-01-10"]
        page.goto(url + "/suche/?q=Kohlenf%C3%B6rderung&von=1947-06-01&bis=1947-06-01")
        expect(page.locator(f"{RESULTS} time")).to_have_text(["1. Juni 1947"])
        page.goto(url + "/suche/?q=Kohlenf%C3%B6rderung&bis=1947-05-31")
        expect(page.locator("#suche-status")).to_contain_text("Keine Treffer")
    finally:
        context.close()
        server.shutdown()
        server.server_close()
