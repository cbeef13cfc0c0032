"""Dates of the whole archive, from 1947: historic Berlin offsets (in 1947 a summer time of
UTC+3 for some weeks, "Hochsommerzeit") everywhere a date is shown, stored or searched."""

from __future__ import annotations

import calendar
import json
import re
import subprocess
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from helpers import ROOT, make_settings, write_history

from generator import build, dates
from generator.content import read_site
from generator.frontmatter import parse_date
from generator.search import engine

BERLIN = ZoneInfo("Europe/Berlin")
SUMMER = "1947/06/01/kohlenfoerderung-im-ruhrgebiet-steigt/"
"""01:30 on 1 June 1947 in Berlin (UTC+3): still 31 May in UTC, and at +1 or +2 too."""
WINTER = "1949/01/15/luftbruecke-rekord-an-fluegen/"
"""23:45 on 15 January 1949 (UTC+1): already 16 January at +2 or +3."""
FROST = "1947/01/10/strenger-frost-in-berlin/"
TODAY = "2024/01/04/eine-meldung-von-heute/"


def test_berlin_offsets_of_the_post_war_years_are_the_time_zone_databases():
    at = [parse_date(text, BERLIN) for text in (
        "1947-06-01T01:30:00", "10.01.1947 - 08:15:00", "1947-04-07T12:00:00",
        "1949-01-15T23:45:00", "1947-05-31T22:30:00Z")]
    assert [a.isoformat() for a in at] == [
        "1947-06-01T01:30:00+03:00", "1947-01-10T08:15:00+01:00", "1947-04-07T12:00:00+02:00",
        "1949-01-15T23:45:00+01:00", "1947-06-01T01:30:00+03:00"]
    # Before 1970 the epoch seconds are negative; 22:30 UTC on the day before.
    assert at[0] == at[4] and at[0].timestamp() == calendar.timegm((1947, 5, 31, 22, 30, 0))
    assert dates.full(at[0]) == "01.06.1947 - 01:30:00"
    assert dates.short(at[3]) == "15.01.1949 - 23:45"
    assert dates.day_long(1947, 6, 1) == "Sonntag, 1. Juni 1947"
    assert dates.day_long(1949, 1, 15) == "Samstag, 15. Januar 1949"


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> tuple[Path, object]:
    root = tmp_path_factory.mktemp("history")
    write_history(root / "content")
    settings = make_settings(root / "content", root / "output", SITEURL="https://example.org")
    assert build(settings).articles == 4
    return root / "output", settings


def text(output: Path, path: str) -> str:
    return (output / path).read_text(encoding="utf-8")


def test_article_pages_show_the_date_in_berlin_time_of_then(history):
    output, _ = history
    summer = text(output, SUMMER + "index.html")
    assert ('<p class="dateline"><time datetime="1947-06-01T01:30:00+03:00">'
            "01.06.1947 - 01:30:00</time>") in summer
    assert '"datePublished":"1947-06-01T01:30:00+03:00"' in summer
    assert 'content="1947-06-01T01:30:00+03:00"' in summer  # article:published_time
    winter = text(output, WINTER + "index.html")
    assert ('<time datetime="1949-01-15T23:45:00+01:00">15.01.1949 - 23:45:00</time>'
            in winter)


def test_date_archive_pages_span_the_years_with_none_for_an_empty_one(history):
    output, _ = history
    years = sorted(p.name for p in output.iterdir() if re.fullmatch(r"\d{4}", p.name))
    assert years == ["1947", "1949", "2024"]
    assert sorted(p.name for p in (output / "1947").iterdir()) == ["01", "06", "index.html"]
    day = text(output, "1947/06/01/index.html")
    assert "<h1>Meldungen vom Sonntag, 1. Juni 1947" in day and SUMMER in day
    assert not (output / "1947/05/31").exists()
    assert "<h1>Meldungen 1947" in text(output, "1947/index.html")
    month = text(output, "1949/01/index.html")
    assert "<h1>Januar 1949" in month and WINTER in month
    assert "Samstag, 15. Januar 1949" in text(output, "1949/01/15/index.html")
    overview = text(output, "archiv/index.html")
    links = re.findall(r'href="https://example.org/(\d{4})/"', overview)
    assert sorted(set(links)) == ["1947", "1949", "2024"]


def test_feeds_and_sitemap_carry_the_offsets_of_then(history):
    output, _ = history
    feed = text(output, "feeds/alle.atom.xml")
    entry = feed[feed.index(SUMMER) - 400:feed.index(SUMMER) + 400]
    assert "<published>1947-06-01T01:30:00+03:00</published>" in feed
    assert "1947-06-01T01:30:00+03:00" in entry
    assert "<published>1949-01-15T23:45:00+01:00</published>" in feed
    lastmods = dict(re.findall(r"<loc>https://example.org/([^<]*)</loc>\s*<lastmod>([^<]*)",
                               text(output, "sitemap.xml")))
    assert lastmods[SUMMER] == "1947-06-01T01:30:00+03:00"
    assert lastmods[WINTER] == "1949-01-15T23:45:00+01:00"
    assert lastmods[FROST] == "1947-01-10T08:15:00+01:00"


def test_the_whoosh_engine_filters_and_sorts_across_the_years(history):
    _, settings = history
    site = read_site(settings)
    index = engine.open_index(site, settings)
    hits = engine.search(index, "Berlin", None, date(1947, 1, 1), date(1949, 12, 31), "neueste")
    assert [h.url for h in hits] == [WINTER, FROST]
    summer = engine.search(index, "Kohlenförderung", None, date(1947, 6, 1), date(1947, 6, 1),
                           "relevanz")
    assert [h.url for h in summer] == [SUMMER]
    assert engine.search(index, "Kohlenförderung", None, date(1947, 5, 31), date(1947, 5, 31),
                         "relevanz") == []


def node(output: Path, *args: str) -> dict:
    done = subprocess.run(["node", str(ROOT / "theme/static/js/search-cli.mjs"), str(output),
                           *args], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_the_browser_engine_under_node_finds_and_dates_reports_of_1947(history):
    output, _ = history
    found = node(output, "Berlin", "--sort", "neueste")["results"]
    assert [(r["url"], r["date"]) for r in found] == [
        (TODAY, "2024-01-04"), (WINTER, "1949-01-15"), (FROST, "1947-01-10")]
    summer = node(output, "Kohlenförderung", "--von", "1947-06-01", "--bis", "1947-06-01")
    assert [(r["url"], r["date"]) for r in summer["results"]] == [(SUMMER, "1947-06-01")]
    assert node(output, "Kohlenförderung", "--bis", "1947-05-31")["results"] == []
    assert node(output, "Berlin", "--von", "1948-01-01", "--bis", "1949-01-15")["total"] == 1


def test_a_report_of_1947_keeps_its_day_whatever_the_machines_zone(history, monkeypatch):
    """The build's dates come from the settings' zone, never the machine's (time.localtime)."""
    output, settings = history
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    import time

    time.tzset()
    try:
        again = output.parent / "output-la"
        build(make_settings(settings.PATH, again, SITEURL="https://example.org"))
        assert text(again, SUMMER + "index.html") == text(output, SUMMER + "index.html")
        assert text(again, "sitemap.xml") == text(output, "sitemap.xml")
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
