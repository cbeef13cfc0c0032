"""Withdrawn reports (``status: withdrawn``): a page that says so and nothing else of them,
anywhere on the site, the search index included; and only the pages that listed them change."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from helpers import FIXTURE_SITE, make_settings, write_article
from test_incremental import differences
from test_search_export import all_postings

from generator import build
from generator.content import read_site
from generator.search import engine
from generator.search.analysis import index_terms

NOW = "2026-12-07T12:00:00+01:00"
# A report whose every part could be the problem: headline, teaser, body, tags.
FRONT = """title: "Bürgermeister Quastenberg soll Fördergelder veruntreut haben"
date: 2025-07-15T09:00:00+02:00
category: Vermischtes
tags: [Wetter, Quastenberg-Affäre]
summary: "Schwere Vorwürfe gegen Bürgermeister Quastenberg aus Zwiebelhausen."
"""
BODY = ("Zwiebelhausen (dts Nachrichtenagentur) - Gegen Bürgermeister Quastenberg wird ermittelt."
        "\n\nEr soll Fördergelder für den Hochwasserschutz veruntreut haben, heißt es aus "
        "Ermittlerkreisen.\n")
WORDS = ["Quastenberg", "Zwiebelhausen", "veruntreut", "Ermittlerkreisen", "Fördergelder",
         "Hochwasserschutz", "Bürgermeister"]
URL = "2025/07/15/buergermeister-quastenberg-soll-foerdergelder-veruntreut-haben/"
NEWER = """title: "Hitzewelle hält an"
date: 2025-07-16T09:00:00+02:00
category: Vermischtes
tags: [Wetter]
"""


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE / "content", content)
    write_article(content, "2025/07/quastenberg.md", FRONT, BODY)
    write_article(content, "2025/07/hitze.md", NEWER, "Offenbach (dts) - Es bleibt heiß.\n")
    return content


def settings_for(content: Path, output: Path):
    return make_settings(content, output, BUILD_NOW=NOW, RELATED_COUNT=3, PAGE_SIZE=2)


def withdraw(content: Path, note: str | None = None) -> None:
    path = content / "2025/07/quastenberg.md"
    extra = "status: withdrawn\n" + (f'withdrawn_note: "{note}"\n' if note else "")
    path.write_text(path.read_text(encoding="utf-8").replace("---\n", "---\n" + extra, 1),
                    encoding="utf-8")


def snapshot(output: Path) -> dict[str, bytes]:
    return {p.relative_to(output).as_posix(): p.read_bytes()
            for p in sorted(output.rglob("*")) if p.is_file()}


def traces(output: Path) -> list[tuple[str, str]]:
    """(file, word) for every distinctive word of the report left in any output file; its
    URL (which stays, cited elsewhere) is taken out first."""
    found = []
    for path, data in snapshot(output).items():
        text = data.decode("utf-8", "replace").replace(URL, "")
        found += [(path, w) for w in WORDS if w.casefold() in text.casefold()]
    return found


def test_a_withdrawal_leaves_no_trace_of_the_text(archive: Path, tmp_path: Path):
    settings = settings_for(archive, tmp_path / "out")
    build(settings)
    before = snapshot(tmp_path / "out")
    assert traces(tmp_path / "out")  # the words are there to be found while it is published
    newer = "2025/07/16/hitzewelle-haelt-an/index.html"
    assert URL in before[newer].decode()  # listed in its Weitere Meldungen
    withdraw(archive)
    report = build(settings)
    assert not report.full
    out = tmp_path / "out"
    assert traces(out) == []
    page = (out / URL / "index.html").read_text(encoding="utf-8")
    assert "Diese Meldung wurde zurückgezogen." in page
    assert "15.07.2025 - 09:00:00" in page and '<meta name="robots" content="noindex">' in page
    assert "Weitere Meldungen" not in page and "related.js" not in page
    for name in ("sitemap.xml", "news-sitemap.xml", "feeds/alle.atom.xml"):
        assert URL not in (out / name).read_text(encoding="utf-8"), name
    # The term shards are deflated: their terms are decoded and looked at.
    terms = {t for w in WORDS for t in index_terms(w, True)}
    categories = len(settings.CATEGORIES)
    assert terms & set(all_postings(before, categories))
    assert not terms & set(all_postings(snapshot(out), categories))
    assert f"/{URL} /{URL} 410!" in (out / "_redirects").read_text(encoding="utf-8")
    assert f'"/{URL}" 1;' in (out / "nginx-redirects.conf").read_text(encoding="utf-8")
    assert not (out / "thema/quastenberg-affaere").exists()
    # Only pages that listed it changed, and none of the other article pages.
    after = snapshot(out)
    changed = sorted(p for p in after if before.get(p) != after[p])
    article_pages = [p for p in changed if re.match(r"\d{4}/\d\d/\d\d/[^/]+/index.html", p)]
    assert sorted(article_pages) == sorted([f"{URL}index.html", newer])
    # Of the other pages, those that listed it, and those that show its topics' sizes (the
    # home page, the year, its topics' front pages) or named what is gone: a withdrawn report
    # keeps its place in the numbered listing pages, so that none after it moves.
    listed = {p for p, data in before.items() if p.endswith(".html") and URL.encode() in data}
    counts = {"index.html", "2025/index.html", "kategorie/vermischtes/index.html",
              "thema/wetter/index.html",
              "themen/index.html",  # its tag of its own is gone
              "2025/07/14/index.html", "2025/07/16/index.html"}  # and its day: they link it
    assert {p for p in changed if p.endswith(".html")} <= listed | counts
    # The search index keeps the document's place: nothing renumbered, few files rewritten.
    manifest = json.loads(after["search/manifest.json"])
    assert manifest["n"] == json.loads(before["search/manifest.json"])["n"]
    search = [p for p in changed if p.startswith("search/")]
    assert len(search) <= 8, search
    # whoosh, which `meldungen search` uses, forgets it too.
    site = read_site(settings)
    ix = engine.open_index(site, settings)
    assert engine.search(ix, "Quastenberg") == []
    # The same as a clean build, byte for byte, also after a build that keeps its page.
    build(settings_for(archive, tmp_path / "clean"))
    assert differences(out, tmp_path / "clean") == []
    other = archive / "2024/01/05/finnland.md"
    other.write_text(other.read_text(encoding="utf-8") + "\nNachtrag.\n", encoding="utf-8")
    build(settings)
    assert URL not in (out / "sitemap.xml").read_text(encoding="utf-8")
    shutil.rmtree(tmp_path / "clean")
    build(settings_for(archive, tmp_path / "clean"))
    assert differences(out, tmp_path / "clean") == []


def test_a_withdrawn_page_shows_its_note(archive: Path, tmp_path: Path):
    withdraw(archive, note="Zurückgezogen auf Anordnung des Landgerichts Hamburg.")
    build(settings_for(archive, tmp_path / "out"))
    page = (tmp_path / "out" / URL / "index.html").read_text(encoding="utf-8")
    assert "Zurückgezogen auf Anordnung des Landgerichts Hamburg." in page
    assert traces(tmp_path / "out") == []


def test_un_withdrawing_brings_everything_back(archive: Path, tmp_path: Path):
    settings = settings_for(archive, tmp_path / "out")
    build(settings)
    first = snapshot(tmp_path / "out")
    original = (archive / "2025/07/quastenberg.md").read_bytes()
    withdraw(archive)
    build(settings)
    (archive / "2025/07/quastenberg.md").write_bytes(original)
    build(settings)
    assert snapshot(tmp_path / "out") == first


def test_a_withdrawn_report_keeps_its_place_in_numbered_listings(tmp_path: Path):
    """The numbered pages after it do not shift: only the page that listed it changes (and
    the front page, which shows the count)."""
    content = tmp_path / "content"
    for day in range(1, 10):
        write_article(content, f"s{day}.md", f'title: "Spieltag {day}"\n'
                      f"date: 2025-03-{day:02d}T18:00:00+01:00\ncategory: Sport",
                      f"Berlin (dts) - Bericht vom Spieltag {day}.\n")
    settings = make_settings(content, tmp_path / "out", BUILD_NOW=NOW, PAGE_SIZE=2)
    build(settings)
    before = snapshot(tmp_path / "out")
    path = content / "s2.md"
    path.write_text(path.read_text(encoding="utf-8").replace("---\n", "---\nstatus: withdrawn\n",
                                                             1), encoding="utf-8")
    build(settings)
    after = snapshot(tmp_path / "out")
    listings = sorted(p for p in after if p.startswith("kategorie/sport/")
                      and before.get(p) != after[p])
    assert listings == ["kategorie/sport/index.html", "kategorie/sport/seite/1/index.html"]
    first = after["kategorie/sport/seite/1/index.html"].decode()
    assert "Spieltag 1" in first and "Spieltag 2" not in first and "Spieltag 3" not in first
    build(make_settings(content, tmp_path / "clean", BUILD_NOW=NOW, PAGE_SIZE=2))
    assert differences(tmp_path / "out", tmp_path / "clean") == []
