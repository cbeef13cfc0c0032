"""The news sitemap (Google News format): the last 48 hours before the build's clock, at most
1,000 reports, newest first, and named in robots.txt."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from helpers import FIXTURE_SITE, make_settings

from generator import build, sitemap
from generator.content import read_site

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def rows(data: bytes) -> list[dict[str, str]]:
    found = []
    for url in ET.fromstring(data).iter(f"{SM}url"):
        news = url.find(f"{NEWS}news")
        found.append({"loc": url.findtext(f"{SM}loc"),
                      "name": news.findtext(f"{NEWS}publication/{NEWS}name"),
                      "language": news.findtext(f"{NEWS}publication/{NEWS}language"),
                      "date": news.findtext(f"{NEWS}publication_date"),
                      "title": news.findtext(f"{NEWS}title")})
    return found


def test_the_news_sitemap_holds_the_last_48_hours(tmp_path: Path):
    out = tmp_path / "out"
    build(make_settings(FIXTURE_SITE / "content", out, BUILD_NOW="2026-02-05T10:00:00+01:00",
                        SITENAME="Meldungen & Co", SITEURL="https://example.org"))
    assert rows((out / "news-sitemap.xml").read_bytes()) == [
        {"loc": "https://example.org/2026/02/04/bundesliga-spitzenspiel-endet-unentschieden/",
         "name": "Meldungen & Co", "language": "de", "date": "2026-02-04T21:15:00+01:00",
         "title": "Bundesliga: Spitzenspiel endet unentschieden"},
        {"loc": "https://example.org/2026/02/03/russland-weist-vorwuerfe-der-usa-zurueck/",
         "name": "Meldungen & Co", "language": "de", "date": "2026-02-03T10:23:00+01:00",
         "title": "Russland weist Vorwürfe der USA zurück"}]
    robots = (out / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://example.org/news-sitemap.xml" in robots.splitlines()


def test_an_old_archive_has_an_empty_news_sitemap(tmp_path: Path):
    out = tmp_path / "out"
    build(make_settings(FIXTURE_SITE / "content", out, BUILD_NOW="2026-12-07T10:00:00+01:00"))
    assert rows((out / "news-sitemap.xml").read_bytes()) == []


def test_at_most_a_thousand_reports(tmp_path: Path):
    settings = make_settings(FIXTURE_SITE / "content", tmp_path / "o",
                             BUILD_NOW="2026-02-05T10:00:00+01:00")
    site = read_site(settings)
    newest = site.articles[-1]
    # 1,200 reports a minute apart in the last 20 hours (plain values, no build needed).
    many = [replace(newest, url=f"x/{i}/", date=newest.date - timedelta(minutes=i))
            for i in range(1200)][::-1]
    site.articles, site._shown = many, None
    (_, data), = sitemap.news(site, settings)
    found = rows(data)
    assert len(found) == sitemap.NEWS_MAX
    assert [r["loc"] for r in found[:2]] == ["http://127.0.0.1:8000/x/0/",
                                             "http://127.0.0.1:8000/x/1/"]
