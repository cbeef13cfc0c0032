"""The search page on the sample archive as a new reader tries it: a misspelled name and the
"Meinten Sie" link, excerpts that show why a report matched, a phrase and an exclusion
narrowing the list, reports with some of the words after those with all, hit counts per
category, axe-core clean, and a slow phone network."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from conftest import run_axe
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

RESULTS = "#suche-treffer li"


@pytest.fixture
def page(browser: Browser, sample_url: str) -> Iterator[Page]:
    page = browser.new_page(bypass_csp=True)  # for axe-core's injected script
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(sample_url + "/suche/")
    yield page
    assert errors == []
    page.close()


def search(page: Page, text: str) -> None:
    """Type a query and wait until the list shows its results."""
    page.locator("#suche-q").fill(text)
    expect(page.locator("#suche-treffer")).to_have_attribute("data-q", text)


def titles(page: Page) -> list[str]:
    return page.locator(f"{RESULTS} .teaser-title").all_text_contents()


def test_a_misspelled_name_offers_the_right_one_and_follows_it(page: Page) -> None:
    page.locator("#suche-q").press_sequentially("Selenski", delay=20)
    hint = page.locator("#suche-vorschlag")
    expect(hint).to_have_text("Meinten Sie: Selenskyj?")
    expect(page.locator(RESULTS).first).to_be_visible()  # shown though "Selenski" finds nothing
    assert run_axe(page)["violations"] == []
    hint.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/suche/\?q=Selenskyj$"))
    expect(page.locator("#suche-q")).to_have_value("Selenskyj")
    expect(hint).to_be_hidden()
    count = page.locator(RESULTS).count()
    assert count >= 3
    # Every excerpt marks the name, found in the report's text though no teaser names it.
    excerpts = page.locator(f"{RESULTS} .search-excerpt")
    for i in range(count):
        expect(excerpts.nth(i).locator("mark").first).to_have_text("Selenskyj")


def test_excerpts_say_why_a_report_matched(page: Page) -> None:
    search(page, "Raketen")
    putin = page.locator(RESULTS).filter(has_text="Putin und Kim unterzeichnen")
    expect(putin.locator(".search-excerpt mark")).to_have_text(["Raketen"])
    expect(putin.locator(".search-excerpt")).to_contain_text("Munition und Raketen")


def test_a_phrase_and_an_exclusion_narrow_the_list(page: Page) -> None:
    search(page, "nordkoreanische Raketen")
    loose = set(titles(page))
    search(page, '"nordkoreanische Raketen"')
    expect(page.locator(RESULTS)).to_have_count(1)
    assert titles(page) == ["USA: Russland soll nordkoreanische Raketen eingesetzt haben"]
    assert len(loose) > 1 and set(titles(page)) < loose
    expect(page).to_have_url(re.compile(r"q=%22nordkoreanische\+Raketen%22$"))

    search(page, "Raketen")
    every = set(titles(page))
    search(page, "Raketen -Iran")
    without = set(titles(page))
    assert without and without < every
    assert not any("Iran" in t for t in without)


def test_reports_with_some_of_the_words_follow_and_say_what_they_lack(page: Page) -> None:
    search(page, "Atomanlagen Iran")
    expect(page.locator("#suche-status")).to_have_text(
        re.compile(r"^1 Treffer, dazu [1-9]\d* mit einem Teil der Wörter$"))
    results = page.locator(RESULTS)
    expect(results.first.locator(".teaser-title")).to_have_text(
        "USA bombardieren iranische Atomanlagen")
    expect(results.first.locator(".teaser-missing")).to_have_count(0)
    expect(results.nth(1).locator(".teaser-missing")).to_have_text("Es fehlt: Atomanlagen")
    assert run_axe(page)["violations"] == []
    search(page, '"Atomanlagen Iran"')  # a phrase is never loosened
    expect(page.locator(".teaser-missing")).to_have_count(0)


def test_odd_queries_get_an_answer(page: Page) -> None:
    for text in ['"Raketen', "-", "der die das", "-Iran"]:
        search(page, text)
        expect(page.locator("#suche-status")).not_to_be_empty()
    expect(page.locator("#suche-status")).to_contain_text("nur sehr häufige Wörter")


def test_the_category_filter_counts_the_hits(page: Page) -> None:
    search(page, "Bundestag")
    status = page.locator("#suche-status")
    total = int(status.inner_text().split()[0])
    options = page.locator("#suche-kategorie option").all_text_contents()
    assert options[0] == f"alle ({total})"
    counted = {m[1]: int(m[2]) for o in options[1:] if (m := re.match(r"(.+) \((\d+)\)$", o))}
    assert len(counted) == len(options) - 1 and sum(counted.values()) == total
    page.locator("#suche-kategorie").select_option("Politik")
    expect(page.locator(RESULTS)).to_have_count(min(10, counted["Politik"]))


def test_a_misspelled_query_on_a_slow_phone_network(browser: Browser, sample_url: str) -> None:
    """Each request waits 400 ms (a poor mobile network): the manifest comes with the page,
    and the answer, excerpts and correction included, in three rounds after it."""
    page = browser.new_page()
    manifests: list[str] = []
    page.on("request", lambda r: manifests.append(r.url) if "manifest.json" in r.url else None)
    page.goto(sample_url + "/suche/")
    page.wait_for_load_state("networkidle")
    assert len(manifests) == 1  # the preload is the one the script uses
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 400,
                                                  "downloadThroughput": 200_000,
                                                  "uploadThroughput": 100_000})
    # A request's round: one more than the highest round of those answered before it began.
    rounds: dict[object, int] = {}
    answered: list[tuple[float, int]] = []

    def began(request) -> None:
        if "/search/" in request.url:
            now = time.monotonic()
            rounds[request] = 1 + max((r for t, r in answered if t <= now), default=0)

    def ended(request) -> None:
        if request in rounds:
            answered.append((time.monotonic(), rounds[request]))

    page.on("request", began)
    page.on("requestfinished", ended)
    page.locator("#suche-q").fill("Bundestagg")
    expect(page.locator("#suche-vorschlag")).to_have_text("Meinten Sie: Bundestag?",
                                                          timeout=20_000)
    expect(page.locator(f"{RESULTS} .search-excerpt mark").first).to_be_visible()
    assert rounds and len(answered) == len(rounds)
    assert max(rounds.values()) <= 3, sorted((r, q.url) for q, r in rounds.items())
    page.close()
