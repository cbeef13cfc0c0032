"""An article page in a real browser: its parts in order, and Weitere Meldungen refreshed."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

OLDEST_USA = "/2024/01/04/usa-russland-soll-nordkoreanische-raketen-eingesetzt-haben/"


ARTICLE = "/2026/02/03/russland-weist-vorwuerfe-der-usa-zurueck/"


def test_visible_parts_are_in_order_and_related_news_below_on_a_phone(
        browser: Browser, fixture_url: str) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(fixture_url + ARTICLE)
    selectors = [".keywords", "h1", ".dateline", ".lead", ".body", ".source", "#weitere"]
    tops = []
    for selector in selectors:
        box = page.locator(selector).first.bounding_box()
        assert box is not None and box["height"] > 0, selector
        tops.append(box["y"])
    assert tops == sorted(tops)
    expect(page.locator(".keywords")).to_have_text("Russland, USA")
    expect(page.locator(".dateline time")).to_have_text("03.02.2026 - 10:23:00")
    expect(page.locator(".source")).to_have_text("@ dts-nachrichtenagentur.de")
    page.close()


def test_related_news_stand_beside_the_report_on_a_wide_screen(
        browser: Browser, fixture_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(fixture_url + ARTICLE)
    report = page.locator("article.report").bounding_box()
    related = page.locator("aside.related").bounding_box()
    assert report and related
    assert related["x"] >= report["x"] + report["width"]  # a second column, to the right
    assert abs(related["y"] - report["y"]) < 20  # starting level with the report
    assert report["width"] >= 600 and related["width"] >= 280  # neither squeezed
    assert related["x"] + related["width"] <= 1280
    page.close()


def test_related_block_is_refreshed_with_newer_reports(browser: Browser, fixture_url: str) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Without script: the static block of the oldest USA report has nothing older to show.
    static = browser.new_page(java_script_enabled=False)
    static.goto(fixture_url + OLDEST_USA)
    expect(static.locator(".related .teaser")).to_have_count(0)
    static.close()
    page.goto(fixture_url + OLDEST_USA)
    expect(page.locator("aside.related")).to_have_attribute("data-refreshed", "true")
    titles = page.locator(".related .teaser-title").all_text_contents()
    assert titles == ["Russland weist Vorwürfe der USA zurück",
                      "Finnische Außenministerin ruft USA zu massivem Druck auf Moskau auf"]
    meta = page.locator(".related .teaser-meta").first.text_content()
    assert meta == "(Ausland, 03.02.2026 - 10:23) weiterlesen..."
    page.locator(".related .teaser-title").first.click()
    expect(page.locator("h1")).to_have_text("Russland weist Vorwürfe der USA zurück")
    assert errors == []
    page.close()
