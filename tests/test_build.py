"""End to end: the fixture site built through the whole pipeline, inspected file by file."""

from __future__ import annotations

import filecmp
import re
import shutil
import subprocess
import sys
from pathlib import Path

import feedparser
import html5lib
import pytest
from helpers import FIXTURE_SITE, ROOT, write_article
from sitecheck import broken_links

from generator import build
from generator.content import read_site
from generator.errors import ContentError
from generator.settings import load

ARTICLE = "2026/02/03/russland-weist-vorwuerfe-der-usa-zurueck/index.html"


def text_of(output: Path, path: str) -> str:
    return (output / path).read_text(encoding="utf-8")


def test_every_page_kind_is_written(built_fixture):
    for path in ["index.html", "404.html", ARTICLE, "kategorie/ausland/index.html",
                 "thema/usa/index.html", "2024/index.html", "2024/01/index.html",
                 "2024/01/04/index.html", "archiv/index.html", "kategorien/index.html",
                 "themen/index.html", "feeds/alle.atom.xml", "feeds/ausland.atom.xml",
                 "sitemap.xml", "weitere/thema/usa.json", "weitere/kategorie/ausland.json",
                 "theme/css/style.css", "theme/js/related.js"]:
        assert (built_fixture / path).is_file(), path


def test_every_internal_link_and_asset_resolves(built_fixture):
    assert broken_links(built_fixture) == []


def test_every_page_is_valid_html5(built_fixture):
    parser = html5lib.HTMLParser(strict=True)
    for page in sorted(built_fixture.rglob("*.html")):
        parser.parse(page.read_bytes())  # raises on the first parse error


def test_article_page_shows_its_parts_in_order(built_fixture):
    html = text_of(built_fixture, ARTICLE)
    markers = ['class="keywords"', "<h1>Russland weist Vorwürfe der USA zurück</h1>",
               "03.02.2026 - 10:23:00", '<div class="lead"><p>Moskau (dts Nachrichtenagentur)',
               "<p>Ein Sprecher nannte", "@ dts-nachrichtenagentur.de", "Weitere Meldungen"]
    positions = [html.index(m) for m in markers]
    assert positions == sorted(positions)
    assert html.count("<h1") == 1 and '<html lang="de">' in html
    related = html[html.index("Weitere Meldungen"):]
    # Only reports older than this one (RELATED_COUNT=3 in the fixture), newest first.
    assert re.findall(r'class="teaser-title"[^>]*>([^<]+)<', related) == [
        "Finnische Außenministerin ruft USA zu massivem Druck auf Moskau auf",
        "USA: Russland soll nordkoreanische Raketen eingesetzt haben",
    ]
    assert "(Ausland, <time" in related and "weiterlesen..." in related


def test_article_page_is_small(built_fixture):
    size = len((built_fixture / ARTICLE).read_bytes())
    size += len((built_fixture / "theme/css/style.css").read_bytes())
    assert size < 30_000


def test_resends_have_their_own_pages_and_listings_show_both(built_fixture):
    day = text_of(built_fixture, "2024/02/10/index.html")
    assert day.count("DAX legt zu - Börse in Frankfurt optimistisch</a>") == 2
    assert "2024/02/10/dax-legt-zu-boerse-in-frankfurt-optimistisch-1805/" in day


def test_date_pages_use_german_words_and_link_neighbours(built_fixture):
    month = text_of(built_fixture, "2024/01/index.html")
    assert "<h1>Januar 2024</h1>" in month and "Donnerstag, 4. Januar 2024" in month
    assert 'href="/2024/02/"' in month  # next month with articles
    year = text_of(built_fixture, "2025/index.html")
    assert "März 2025" in year and "Juli 2025" in year
    assert 'href="/2024/"' in year and 'href="/2026/"' in year


def test_counts_take_the_singular_for_one_and_the_plural_otherwise(built_fixture):
    counts = [(int(n.replace(".", "")), noun) for page in built_fixture.rglob("*.html")
              for n, noun in re.findall(r"\b(\d[\d.]*) (Meldungen|Meldung|Tagen|Tag)\b",
                                        page.read_text(encoding="utf-8"))]
    wrong = [(n, noun) for n, noun in counts if (n == 1) != (noun in ("Meldung", "Tag"))]
    assert wrong == []
    assert {(1, "Meldung"), (1, "Tag")} <= set(counts)
    assert any(noun == "Meldungen" for _, noun in counts)


def test_feeds_parse_and_sitemap_lists_every_article(built_fixture):
    feed = feedparser.parse(str(built_fixture / "feeds/alle.atom.xml"))
    assert not feed.bozo and len(feed.entries) == 8
    assert feed.entries[0].title == "Bundesliga: Spitzenspiel endet unentschieden"
    assert feed.feed.author == "dts-nachrichtenagentur.de"  # RFC 4287 4.1.1
    ausland = feedparser.parse(str(built_fixture / "feeds/ausland.atom.xml"))
    assert not ausland.bozo and len(ausland.entries) == 3
    sitemap = text_of(built_fixture, "sitemap.xml")
    for page in built_fixture.glob("20*/*/*/*/index.html"):
        url = page.parent.relative_to(built_fixture).as_posix()
        assert f"/{url}/</loc>" in sitemap


def test_same_content_gives_byte_identical_output(tmp_path):
    outputs = []
    for name in ("one", "two"):
        output = tmp_path / name
        build(load(FIXTURE_SITE / "pelicanconf.py", {"OUTPUT_PATH": str(output)}))
        outputs.append(output)
    comparison = filecmp.dircmp(outputs[0], outputs[1])
    assert_same_tree(comparison)


def assert_same_tree(comparison: filecmp.dircmp) -> None:
    assert not comparison.left_only and not comparison.right_only
    _, mismatch, errors = filecmp.cmpfiles(comparison.left, comparison.right,
                                           comparison.common_files, shallow=False)
    assert mismatch == [] and errors == []
    for sub in comparison.subdirs.values():
        assert_same_tree(sub)


def test_failed_build_leaves_previous_output_untouched(site_copy):
    settings = load(site_copy / "pelicanconf.py")
    build(settings)
    output = Path(settings.OUTPUT_PATH)
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    write_article(site_copy / "content", "kaputt.md", 'title: "x"\ndate: morgen\ncategory: Sport')
    with pytest.raises(ContentError, match=r"kaputt.md:3: 'date': invalid date"):
        build(settings)
    after = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    assert after == before
    assert not list(output.parent.glob(".output.*"))


def test_pelican_command_builds_the_same_site(site_copy, tmp_path):
    pelican = Path(sys.executable).with_name("pelican")
    result = subprocess.run([str(pelican), "content", "-s", "pelicanconf.py", "-o",
                             str(tmp_path / "via-pelican")], cwd=site_copy, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    build(load(site_copy / "pelicanconf.py", {"OUTPUT_PATH": str(tmp_path / "via-build")}))
    assert_same_tree(filecmp.dircmp(tmp_path / "via-pelican", tmp_path / "via-build"))


def test_pelican_command_fails_with_the_problem_list(site_copy):
    write_article(site_copy / "content", "kaputt.md", 'title: "x"\ndate: 2024-01-01\n'
                                                       "category: Ausand")
    pelican = Path(sys.executable).with_name("pelican")
    result = subprocess.run([str(pelican), "content", "-s", "pelicanconf.py"], cwd=site_copy,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    # Named as from the working folder, like meldungen check (the log wraps after "category").
    assert "content/kaputt.md:4: unknown category" in result.stdout + result.stderr
    shutil.rmtree(site_copy / "output", ignore_errors=True)


def test_sample_archive_builds_with_every_link_resolving(built_sample):
    """The shipped content/ folder, built as README's first command builds it."""
    output = built_sample
    assert broken_links(output) == []
    html5 = html5lib.HTMLParser(strict=True)
    site = read_site(load(ROOT / "pelicanconf.py"))
    assert len(site.articles) >= 60
    for article in site.shown:  # a withdrawn report's page has no Weitere Meldungen
        html = (output / article.url / "index.html").read_text(encoding="utf-8")
        html5.parse(html)
        block = html[html.index('id="weitere"'):]
        has_older_mate = any(
            other.date < article.date and other.headline_key != article.headline_key
            and (other.category == article.category or set(other.tags) & set(article.tags))
            for other in site.shown)
        # Empty only where nothing older shares a topic; then it links the topic pages.
        assert ('<li class="teaser' in block) == has_older_mate, article.url
        if not has_older_mate:
            assert 'class="related-empty"' in block


def test_a_month_page_shows_each_days_newest_headlines_and_links_to_all(tmp_path):
    content = tmp_path / "content"
    for n in range(13):
        write_article(content, f"2025/05/06/m{n:02d}.md",
                      f'title: "Meldung um {8 + n} Uhr"\ndate: 2025-05-06T{8 + n:02d}:00:00+02:00'
                      "\ncategory: Inland")
    write_article(content, "2025/05/07/einzeln.md",
                  'title: "Einzige Meldung"\ndate: 2025-05-07T09:00:00+02:00\ncategory: Inland')
    output = tmp_path / "output"
    build(load(FIXTURE_SITE / "pelicanconf.py", {"PATH": str(content),
                                                 "OUTPUT_PATH": str(output)}))
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    month = parser.parse((output / "2025" / "05" / "index.html").read_bytes())
    sections = month.findall(".//main//section")
    busy, quiet = ([a.text for a in s.findall(".//ul[@class='headlines']/li/a")]
                   for s in sections)
    assert busy == [f"Meldung um {h} Uhr" for h in range(11, 21)]  # the newest ten
    more = sections[0].find(".//p[@class='more']/a")
    assert more.get("href").endswith("/2025/05/06/") and more.text == \
        "alle 13 Meldungen vom 06.05."
    assert quiet == ["Einzige Meldung"] and sections[1].find(".//p[@class='more']") is None
    day = (output / "2025" / "05" / "06" / "index.html").read_text(encoding="utf-8")
    assert all(f"Meldung um {h} Uhr" in day for h in range(8, 21))
