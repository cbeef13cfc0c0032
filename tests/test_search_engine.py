"""The whoosh index: German queries, compounds ranked below words, filters, sort, increments."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.content import read_site
from generator.search import engine
from generator.search.query import parse
from generator.settings import load

FIXTURE = Path(__file__).parent / "fixtures" / "site"
PART_ONLY = """---
title: "Abwehrsystem in Polen getestet"
date: 2024-03-01T10:00:00+01:00
category: Ausland
tags: [Polen]
---
Warschau (dts Nachrichtenagentur) - Das System soll Kurzstreckenraketen abfangen.
"""


@pytest.fixture
def site_dir(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    conf = root / "pelicanconf.py"
    theme = (FIXTURE / "../../../theme").resolve()
    conf.write_text(conf.read_text("utf-8").replace('"../../../theme"', repr(str(theme))), "utf-8")
    (root / "content" / "2024" / "03" / "01").mkdir(parents=True)
    (root / "content" / "2024" / "03" / "01" / "abwehr.md").write_text(PART_ONLY, "utf-8")
    return root


def open_site(root: Path, tmp_path: Path):
    settings = load(root / "pelicanconf.py", {"BUILD_CACHE": str(tmp_path / "cache")})
    site = read_site(settings)
    return settings, site, engine.open_index(site, settings)


def titles(hits):
    return [h.title for h in hits]


def test_exact_word_ranks_above_compound_part(site_dir, tmp_path):
    _, _, ix = open_site(site_dir, tmp_path)
    hits = engine.search(ix, "Raketen")
    assert titles(hits) == ["USA: Russland soll nordkoreanische Raketen eingesetzt haben",
                            "Abwehrsystem in Polen getestet"]
    assert hits[0].score > hits[1].score


@pytest.mark.parametrize("query,title", [
    ("Verteidigung", "Bundestag beschließt Gesetz zur Luftverteidigung"),
    ("Aussenministerin", "Finnische Außenministerin ruft USA zu massivem Druck auf Moskau auf"),
    ("Borse", "DAX legt zu - Börse in Frankfurt optimistisch"),
    ("Grosse Hitze", "Große Hitze: Wetterdienst warnt vor 38 Grad"),
    ("Wetterd", "Große Hitze: Wetterdienst warnt vor 38 Grad"),
])
def test_german_spellings_compounds_and_prefixes(site_dir, tmp_path, query, title):
    _, _, ix = open_site(site_dir, tmp_path)
    assert title in titles(engine.search(ix, query))


def test_all_words_match_first_then_reports_with_some_and_stop_words_are_ignored(
        site_dir, tmp_path):
    _, _, ix = open_site(site_dir, tmp_path)
    assert [h.missing for h in engine.search(ix, "Russland USA ")] == [(), (), ()]
    found = engine.search(ix, "USA Raketen ")
    assert [bool(h.missing) for h in found] == [False, True, True, True]
    assert {h.missing for h in found[1:]} == {("usa",), ("rak",)}
    loose = engine.search(ix, "Russland Bundesliga ")
    assert {h.missing for h in loose} == {("russland",), ("bundesliga",)}
    assert engine.search(ix, '"Russland Bundesliga"') == []  # a phrase is never loosened
    excluded = engine.search(ix, "Russland Bundesliga -USA -Russland ")
    alone = engine.search(ix, "Bundesliga -USA -Russland ")
    assert [h.url for h in excluded] == [h.url for h in alone]
    assert engine.search(ix, "die und der") == []


def test_filters_and_newest_first(site_dir, tmp_path):
    _, _, ix = open_site(site_dir, tmp_path)
    every = engine.search(ix, "USA ")
    assert len(every) == 3
    newest = engine.search(ix, "USA ", sort="neueste")
    assert [h.date for h in newest] == sorted((h.date for h in every), reverse=True)
    assert {h.category for h in engine.search(ix, "Gewinne", kategorie="Börse")} == {"Börse"}
    assert engine.search(ix, "Gewinne", kategorie="Sport") == []
    ranged = engine.search(ix, "USA ", von=date(2024, 1, 5), bis=date(2025, 12, 31))
    assert [h.date for h in ranged] == ["2024-01-05"]


def test_index_follows_changes_incrementally(site_dir, tmp_path):
    settings, site, ix = open_site(site_dir, tmp_path)
    assert engine.search(ix, "Abwehrsystem")
    (site_dir / "content" / "2024" / "03" / "01" / "abwehr.md").unlink()
    bundesliga = next(site_dir.rglob("bundesliga.md"))
    bundesliga.write_text(bundesliga.read_text("utf-8").replace("unentschieden", "torlos"), "utf-8")
    site = read_site(settings)
    ix = engine.open_index(site, settings)
    assert engine.search(ix, "Abwehrsystem") == []
    assert engine.search(ix, "torlos ")
    with ix.searcher() as searcher:
        assert searcher.doc_count() == len(site.articles)


def test_meldungen_search_command(site_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(site_dir)
    result = CliRunner().invoke(cli, ["search", "Raketen", "--json", "--kategorie", "ausland"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output[result.output.index("{"):])
    assert data["total"] == 2
    assert data["results"][0]["url"].startswith("2024/01/04/")
    result = CliRunner().invoke(cli, ["search", "Raketen", "--von", "2024-13-01"])
    assert result.exit_code != 0


def test_phrases_need_the_words_together(site_dir, tmp_path):
    _, _, ix = open_site(site_dir, tmp_path)
    loose = titles(engine.search(ix, "nordkoreanische Raketen"))
    assert titles(engine.search(ix, '"nordkoreanische Raketen"')) == [
        "USA: Russland soll nordkoreanische Raketen eingesetzt haben"]
    assert engine.search(ix, '"Raketen nordkoreanische"') == []  # the order counts
    assert len(loose) >= 1
    # Stop words between the words are skipped, and the words compared as stems.
    assert titles(engine.search(ix, '"Wetterdienst warnt vor 38 Grad"')) == [
        "Große Hitze: Wetterdienst warnt vor 38 Grad"]
    assert engine.search(ix, '"nordkoreanischen Raketen"') == engine.search(
        ix, '"nordkoreanische Raketen"')


def test_a_minus_excludes_reports_with_the_word(site_dir, tmp_path):
    _, _, ix = open_site(site_dir, tmp_path)
    every = {h.url for h in engine.search(ix, "USA")}
    without = {h.url for h in engine.search(ix, "USA -Raketen")}
    assert without and without < every
    assert all("Raketen" not in h.title for h in engine.search(ix, "USA -Raketen"))


@pytest.mark.parametrize(("typed", "meant"), [("Bundestagg", "bundestag"),
                                              ("Wetterdeinst", "wetterdien"),
                                              ("Außenministerni", "aussenminist"),
                                              ("Bundesliag", "bundesliga")])
def test_a_misspelled_word_finds_what_was_meant(site_dir, tmp_path, typed, meant):
    _, _, ix = open_site(site_dir, tmp_path)
    hits, corrections = engine.query(ix, typed + " ")
    assert corrections == {parse(typed).words[0].stem: meant}
    right = engine.search(ix, meant + " ")
    assert {h.url for h in hits} == {h.url for h in right} != set()
    assert all(h.score < r.score for h, r in zip(hits, right, strict=True))  # ranked lower


def test_a_word_that_matches_is_not_corrected(site_dir, tmp_path):
    _, _, ix = open_site(site_dir, tmp_path)
    assert engine.query(ix, "Raketen ")[1] == {}
    assert engine.query(ix, "Haus ")[1] == {}  # too short to correct


@pytest.mark.parametrize(("text", "found"), [('"Raketen', True), ("-", False),
                                             ("der die das", False), ('""', False),
                                             ("-Raketen", False), ("- -", False),
                                             ('Raketen "', True),
                                             ('-"nordkoreanische Raketen"', True)])
def test_odd_queries_answer_without_an_error(site_dir, tmp_path, text, found):
    """An unclosed quote runs to the end, a minus alone or before a quote is ignored, and
    only stop words or only exclusions find nothing."""
    _, _, ix = open_site(site_dir, tmp_path)
    hits, _ = engine.query(ix, text)
    assert (hits != []) == found
