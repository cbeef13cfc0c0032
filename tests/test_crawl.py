"""A crawler over built sites (the fixture and the sample archive): every internal link, asset,
feed entry, sitemap URL, canonical and Open Graph address resolves to a file of the output;
every page is valid HTML5, every feed parses cleanly; a small SITEMAP_MAX_URLS gives an index.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import html5lib
import pytest
from helpers import FIXTURE_SITE
from sitecheck import broken_links

from generator import build
from generator.settings import load

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "http://127.0.0.1:8000"  # PREVIEW_URL: the absolute base while SITEURL is empty


@pytest.fixture(params=["fixture", "sample"])
def site(request: pytest.FixtureRequest, built_fixture: Path) -> Path:
    return built_fixture if request.param == "fixture" else request.getfixturevalue("built_sample")


def file_of(output: Path, url: str) -> Path:
    """The output file an absolute site URL names (``…/x/`` is ``x/index.html``)."""
    assert url.startswith(f"{BASE}/"), url
    path = url.removeprefix(f"{BASE}/").split("?")[0].split("#")[0]
    target = output / path
    return target / "index.html" if path.endswith("/") or not path else target


def indexed(output: Path) -> set[Path]:
    """The pages search engines are asked to index: not redirect pages (earlier URLs of
    moved reports) or withdrawn reports' pages, which say noindex."""
    return {p for p in output.rglob("index.html")
            if b'<meta name="robots" content="noindex">' not in p.read_bytes()}


def test_links_and_assets_resolve(site):
    assert broken_links(site) == []


def test_every_page_is_html5_without_errors(site):
    parser = html5lib.HTMLParser(strict=True)
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        parser.parse(page.read_bytes())  # strict: raises on the first parse error


def test_canonical_and_open_graph_addresses_resolve(site):
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    for page in sorted(site.rglob("index.html")):
        root = parser.parse(page.read_bytes())
        canonical = [link.get("href") for link in root.iter("link")
                     if link.get("rel") == "canonical"]
        refresh = [m.get("content") for m in root.iter("meta")
                   if m.get("http-equiv") == "refresh"]
        if refresh:  # a redirect page names the report it leads to, which must exist
            assert refresh == [f"0; url={canonical[0].removeprefix(BASE)}"], page
            assert file_of(site, canonical[0]).is_file() and file_of(site, canonical[0]) != page
            continue
        og_url = [m.get("content") for m in root.iter("meta") if m.get("property") == "og:url"]
        assert len(canonical) == 1 and og_url == [BASE + canonical[0]], page
        # Each page names itself, not a neighbour.
        assert file_of(site, og_url[0]) == page
        og = {m.get("property") for m in root.iter("meta") if m.get("property")}
        assert {"og:title", "og:type", "og:description", "og:site_name", "og:locale"} <= og


def test_feeds_parse_cleanly_and_their_entries_resolve(site):
    feeds = sorted((site / "feeds").glob("*.atom.xml"))
    assert len(feeds) == 8  # all, and one per category of the default settings
    entries = 0
    for path in feeds:
        feed = feedparser.parse(path.read_bytes())
        assert not feed.bozo, (path.name, feed.get("bozo_exception"))
        assert file_of(site, feed.feed.link).is_file()
        for entry in feed.entries:
            entries += 1
            assert file_of(site, entry.link).is_file(), entry.link
            assert entry.id == entry.link and entry.title and entry.updated
    assert entries > 8


def test_sitemap_urls_resolve_and_robots_points_at_it(site):
    root = ET.fromstring((site / "sitemap.xml").read_bytes())
    assert root.tag == f"{SITEMAP}urlset"
    urls = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    assert {file_of(site, url) for url in urls} == indexed(site)  # every page, nothing else
    robots = (site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert f"Sitemap: {BASE}/sitemap.xml" in robots and "User-agent: *" in robots
    assert "Disallow: /" not in robots  # the archive itself stays crawlable


def test_json_files_parse_and_their_links_resolve(site):
    for path in sorted((site / "weitere").rglob("*.json")):
        for entry in json.loads(path.read_text(encoding="utf-8"))["entries"]:
            assert (site / entry["u"] / "index.html").is_file(), (path, entry["u"])


def test_a_small_sitemap_limit_makes_an_index_of_parts(tmp_path):
    """Past the limit: reports by month (in parts where a month holds more), the other pages
    apart, each part with at most the limit, every page listed once."""
    output = tmp_path / "output"
    build(load(FIXTURE_SITE / "pelicanconf.py", {"OUTPUT_PATH": str(output),
                                                 "SITEMAP_MAX_URLS": 3}))
    index = ET.fromstring((output / "sitemap.xml").read_bytes())
    assert index.tag == f"{SITEMAP}sitemapindex"
    parts = [(e.findtext(f"{SITEMAP}loc"), e.findtext(f"{SITEMAP}lastmod"))
             for e in index.iter(f"{SITEMAP}sitemap")]
    names = [loc.removeprefix(f"{BASE}/") for loc, _ in parts]
    assert len(names) > 2 and any(n.startswith("sitemap-seiten-") for n in names)
    listed = []
    for (loc, lastmod), name in zip(parts, names, strict=True):
        urlset = ET.fromstring(file_of(output, loc).read_bytes())
        assert urlset.tag == f"{SITEMAP}urlset"
        rows = [(e.findtext(f"{SITEMAP}loc"), e.findtext(f"{SITEMAP}lastmod"))
                for e in urlset.iter(f"{SITEMAP}url")]
        assert 1 <= len(rows) <= 3
        month = re.fullmatch(r"sitemap-(\d{4})-(\d{2})(?:-\d+)?\.xml", name)
        if month:  # reports of that month, each with its last change; the part's is the latest
            assert all(url.startswith(f"{BASE}/{month[1]}/{month[2]}/") for url, _ in rows)
            assert all(stamp for _, stamp in rows) and lastmod == max(s for _, s in rows)
        listed += [url for url, _ in rows]
    assert len(listed) == len(set(listed)) and {file_of(output, u) for u in listed} == indexed(
        output)


def test_the_404_page_helps_the_reader(site):
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    root = parser.parse((site / "404.html").read_bytes())
    assert [m.get("content") for m in root.iter("meta") if m.get("name") == "robots"] == [
        "noindex"]
    main = next(root.iter("main"))
    links = {a.get("href") for a in main.iter("a")}
    # Site-relative links: the page works at whatever depth the host serves it.
    assert {"/", "/kategorien/", "/themen/", "/archiv/"} <= links
    # No list of newest reports: the page stays the same when articles are added.
    assert not [li for li in main.iter("li") if li.get("class") == "teaser"]
    forms = [f.get("action") for f in root.iter("form")]
    assert "/suche/" in forms  # the header's search field is there too


def test_a_changed_report_rewrites_only_its_months_sitemap_and_the_index(site_copy):
    settings = load(site_copy / "pelicanconf.py", {"SITEMAP_MAX_URLS": 3})
    build(settings)
    output = site_copy / "output"

    def sitemaps() -> dict[str, int]:
        return {p.name: p.stat().st_mtime_ns for p in output.glob("sitemap*.xml")}

    before = sitemaps()
    report = site_copy / "content" / "2024" / "01" / "04" / "usa-russland-raketen.md"
    text = report.read_text(encoding="utf-8")
    report.write_text(text.replace("category:", "modified: 2024-01-10T09:00:00+01:00\n"
                                   "category:", 1), encoding="utf-8")
    build(settings)
    after = sitemaps()
    assert after.keys() == before.keys()
    assert sorted(name for name in after if after[name] != before[name]) == [
        "sitemap-2024-01.xml", "sitemap.xml"]
    month = (output / "sitemap-2024-01.xml").read_text(encoding="utf-8")
    assert "<lastmod>2024-01-10T09:00:00+01:00</lastmod>" in month
