"""Photos in a real browser, on the sample archive: the right file for the screen, AVIF
where the browser takes it, thumbnails only when near, nothing that jumps, axe-core clean."""

from __future__ import annotations

import pytest
from conftest import run_axe, wait_true
from playwright.sync_api import Browser

HOCHWASSER = "/2024/06/01/hochwasserlage-in-sueddeutschland-spitzt-sich-zu/"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3,
         "is_mobile": True, "has_touch": True}
WIDE = {"viewport": {"width": 1280, "height": 800}, "device_scale_factor": 1}

# Layout shifts as the browser counts them (CLS), from the first paint on.
_SHIFTS = """
window.__shift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shift += entry.value;
}).observe({type: 'layout-shift', buffered: true});
"""


def lead_photo(browser: Browser, url: str, options: dict) -> dict:
    page = browser.new_page(**options)
    page.add_init_script(_SHIFTS)
    page.goto(url + HOCHWASSER, wait_until="networkidle")
    result = page.evaluate("""() => {
        const img = document.querySelector('figure.lead-photo img');
        return {src: img.currentSrc, shown: img.clientWidth,
                complete: img.complete, shift: window.__shift,
                top: img.getBoundingClientRect().top};
    }""")
    page.close()
    return result


@pytest.mark.browser
def test_a_phone_loads_a_sharp_avif_no_wider_than_it_needs(browser: Browser, sample_url: str):
    photo = lead_photo(browser, sample_url, PHONE)
    assert photo["complete"] and photo["src"].endswith(".avif")
    # 358 CSS pixels at 3 device pixels each: the 1200-pixel file, not the 1600 one.
    assert photo["shown"] == 358 and photo["src"].endswith("-1200.avif")
    assert photo["shift"] == 0


@pytest.mark.browser
def test_a_wide_screen_loads_the_width_of_its_column(browser: Browser, sample_url: str):
    photo = lead_photo(browser, sample_url, WIDE)
    assert photo["src"].endswith("-800.avif")  # for a 736-pixel column
    assert photo["shown"] == 736 and photo["shift"] == 0


@pytest.mark.browser
def test_webp_where_avif_is_refused(browser: Browser, sample_url: str):
    page = browser.new_page(**WIDE)
    page.goto(sample_url + HOCHWASSER)
    # A browser without AVIF skips that <source>; taking it away is the same to the <picture>.
    page.evaluate("document.querySelectorAll(\"source[type='image/avif']\")"
                  ".forEach((s) => s.remove())")
    wait_true(page, "document.querySelector('figure.lead-photo img').currentSrc"
                    ".endsWith('.webp')")
    page.close()


@pytest.mark.browser
def test_thumbnails_load_only_when_the_reader_comes_near(browser: Browser, sample_url: str):
    page = browser.new_page(**PHONE)
    page.add_init_script(_SHIFTS)
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url) if "/bilder/" in r.url else None)
    page.goto(sample_url + "/", wait_until="networkidle")
    thumbs = page.locator(".teaser-photo img")
    total = thumbs.count()
    assert total >= 5
    assert all(thumbs.nth(i).get_attribute("loading") == "lazy" for i in range(total))
    loaded_first = page.evaluate("""() => [...document.querySelectorAll('.teaser-photo img')]
                                     .filter((img) => img.currentSrc).length""")
    assert 0 < loaded_first < total  # the ones near the top only
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    wait_true(page, """[...document.querySelectorAll('.teaser-photo img')]
                       .slice(-1).every((img) => img.complete && img.currentSrc)""")
    assert all(url.endswith(".avif") for url in requested)
    assert page.evaluate("window.__shift") == 0
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/", HOCHWASSER, "/kategorie/boerse/"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_with_photos_have_no_axe_violations(browser: Browser, sample_url: str, path: str,
                                                  scheme: str):
    page = browser.new_page(bypass_csp=True, color_scheme=scheme, **PHONE)
    page.goto(sample_url + path, wait_until="networkidle")
    result = run_axe(page)
    assert result["passes"] > 10 and result["violations"] == []
    page.close()


@pytest.mark.browser
def test_search_results_and_refreshed_related_news_show_thumbnails(browser: Browser,
                                                                  sample_url: str):
    page = browser.new_page(**WIDE)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(sample_url + "/suche/?q=DAX")
    first = page.locator("#suche-treffer li").first
    first.locator(".teaser-photo img").wait_for()
    assert first.get_attribute("class") == "teaser has-photo"
    wait_true(page, "document.querySelector('#suche-treffer .teaser-photo img')"
                    ".currentSrc.endsWith('-160.avif')")
    page.goto(sample_url + HOCHWASSER)
    page.wait_for_selector("aside.related[data-refreshed=true]")
    thumbs = page.locator("aside.related .teaser-photo img")
    assert thumbs.count() >= 1
    assert all(thumbs.nth(i).get_attribute("loading") == "lazy" for i in range(thumbs.count()))
    assert errors == []
    page.close()
