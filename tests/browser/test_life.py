"""A report's life in a real browser: an earlier URL leads on to the report, a withdrawn
report's page says so and shows nothing of it, and a corrected report shows its corrections."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from conftest import serve
from helpers import FIXTURE_SITE, make_settings, write_article
from playwright.sync_api import Browser, expect

from generator import build

MOVED = "/2024/01/04/usa-russland-raketen-alt/"
TARGET = "/2024/01/04/usa-russland-soll-nordkoreanische-raketen-eingesetzt-haben/"
WITHDRAWN = "/2025/07/14/grosse-hitze-wetterdienst-warnt-vor-38-grad/"


@pytest.fixture(scope="module")
def life_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("life")
    content = root / "content"
    shutil.copytree(FIXTURE_SITE / "content", content)
    usa = content / "2024/01/04/usa-russland-raketen.md"
    usa.write_text(usa.read_text(encoding="utf-8").replace("---\n", f"""---
aliases: [{MOVED}]
corrections:
  - {{date: "05.01.2024 - 10:12", text: "Die Zahl der Raketen wurde berichtigt."}}
""", 1), encoding="utf-8")
    heat = content / "2025/07/14/grosse-hitze.md"
    heat.write_text(heat.read_text(encoding="utf-8").replace(
        "---\n", '---\nstatus: withdrawn\nwithdrawn_note: "Zurückgezogen."\n', 1),
        encoding="utf-8")
    write_article(content, "2025/07/15/danach.md", 'title: "Hitzewelle hält an"\n'
                  "date: 2025-07-15T08:30:00+02:00\ncategory: Vermischtes\ntags: [Wetter]")
    build(make_settings(content, root / "output", BUILD_NOW="2026-12-07T12:00:00+01:00"))
    server, url = serve(root / "output")
    yield url
    server.shutdown()
    server.server_close()


def test_an_earlier_url_leads_on_to_the_report(browser: Browser, life_url: str) -> None:
    page = browser.new_page()
    page.goto(life_url + MOVED)
    expect(page).to_have_url(life_url + TARGET)
    expect(page.locator("h1")).to_have_text(
        "USA: Russland soll nordkoreanische Raketen eingesetzt haben")
    # Without the refresh (a reader's browser may block it), the plain link leads there.
    html = page.request.get(life_url + MOVED).text()
    assert f'<a href="{TARGET}">' in html
    page.close()


def test_a_withdrawn_report_says_so_and_shows_nothing_of_it(browser: Browser,
                                                            life_url: str) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(life_url + WITHDRAWN)
    expect(page.locator("h1")).to_have_text("Meldung zurückgezogen")
    expect(page.locator(".withdrawn-note")).to_have_text("Zurückgezogen.")
    expect(page.locator(".dateline")).to_contain_text("14.07.2025 - 08:30:00")
    text = page.locator("main").inner_text()
    assert "Hitze" not in text and "Wetterdienst" not in text
    expect(page.locator("#weitere")).to_have_count(0)
    # The newer report's Weitere Meldungen, static and refreshed, no longer list it.
    page.goto(life_url + "/2025/07/15/hitzewelle-haelt-an/")
    expect(page.locator("aside.related")).to_have_attribute("data-refreshed", "true")
    assert "Große Hitze" not in page.locator("aside.related").inner_text()
    page.close()


def test_a_corrected_report_shows_its_correction_and_update(browser: Browser,
                                                            life_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(life_url + TARGET)
    expect(page.locator(".dateline .updated")).to_have_text("Aktualisiert: 05.01.2024 - 10:12")
    correction = page.locator(".corrections .correction")
    expect(correction).to_have_text(
        "Korrektur vom 05.01.2024, 10:12 Uhr: Die Zahl der Raketen wurde berichtigt.")
    body = page.locator(".body").bounding_box()
    box = correction.bounding_box()
    assert body and box and box["y"] > body["y"] + body["height"] - 1  # under the body
    page.close()
