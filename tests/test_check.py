"""``meldungen check`` without the CLI: what it finds, where it says it is, and how fast."""

from __future__ import annotations

import shutil

import pytest
from helpers import FIXTURE_SITE, make_settings, write_article, write_photo

from generator.check import links, run

GOOD = 'title: "Neue Meldung"\ndate: 2026-03-01T10:00:00+01:00\ncategory: Ausland\ntags: [USA]'


@pytest.fixture
def site(site_copy):
    return site_copy


def check(site, *paths, **extra):
    settings = make_settings(site / "content", site / "output", **extra)
    return run(settings, [site / p for p in paths], cwd=site)


def messages(result):
    return [(p.path, p.line, p.message) for p in result.problems]


def test_the_fixture_site_is_clean():
    result = run(make_settings(FIXTURE_SITE / "content", FIXTURE_SITE / "output"),
                 cwd=FIXTURE_SITE)
    assert result.problems == []
    assert result.checked == 8


def test_header_problems_with_their_lines(site):
    write_article(site / "content", "neu/a.md", 'title: "A"\ndate: 2026-02-30T10:00:00\n'
                  "category: Ausand\ntags: [USA]")
    write_article(site / "content", "neu/b.md", "date: 2026-02-01T10:00:00\ncategory: Sport")
    found = messages(check(site))
    assert [(path, line) for path, line, _ in found] == [
        ("content/neu/a.md", 3), ("content/neu/a.md", 4), ("content/neu/b.md", 1)]
    assert "invalid date" in found[0][2]
    assert found[1][2] == "unknown category 'Ausand' (did you mean 'Ausland'?)"
    assert "'title' is missing" in found[2][2]


def test_every_problem_of_a_file_each_with_its_line(site):
    # No date, a misspelled category, a tag the archive spells otherwise, and no text.
    write_article(site / "content", "neu.md", 'title: "Neu"\ncategory: Ausand\n'
                  "tags: [russland, CON]", "")
    assert messages(check(site, "content/neu.md")) == [
        ("content/neu.md", 1, "'date' is missing or empty"),
        ("content/neu.md", 3, "unknown category 'Ausand' (did you mean 'Ausland'?)"),
        ("content/neu.md", 4, "tag 'CON' gives the URL part 'con', a device name Windows "
                              "reserves; rename the tag"),
        ("content/neu.md", 4, "tag 'russland' is spelled 'Russland' in 3 other articles; use "
                              "that spelling"),
        ("content/neu.md", 5, "no text: a report needs at least a lead paragraph"),
    ]


def test_links_of_a_file_with_problems_are_checked_where_they_can_be(site):
    # Without a date the page has no URL: site-absolute links are checked, relative ones not.
    write_article(site / "content", "neu.md", 'title: "Neu"\ncategory: Ausland',
                  "Lead mit [kaputt](/2099/) und [relativ](../x/).\n")
    assert [line for _, line, _ in messages(check(site, "content/neu.md"))] == [1, 5]
    assert "broken internal link /2099/" in messages(check(site, "content/neu.md"))[1][2]


def test_a_report_needs_a_lead(site):
    write_article(site / "content", "leer.md", GOOD, "\n\n")
    write_article(site / "content", "kommentar.md", GOOD, "\n<!-- später -->\n\nZweiter.\n")
    write_article(site / "content", "platzhalter.md", GOOD.replace("Neue", "Andere"),
                  "\nOrt (dts Nachrichtenagentur) - [[Vorspann hier schreiben]]\n")
    assert messages(check(site, "content/leer.md", "content/kommentar.md",
                          "content/platzhalter.md")) == [
        ("content/kommentar.md", 8, "the first paragraph, the lead, has no text"),
        ("content/leer.md", 7, "no text: a report needs at least a lead paragraph"),
        ("content/platzhalter.md", 8, "the lead is still the placeholder "
                                      "[[Vorspann hier schreiben]]: write the lead"),
    ]


def test_tag_spelled_differently_from_the_archive(site):
    write_article(site / "content", "neu.md", GOOD.replace("[USA]", "[russland, Bundestag]"))
    found = messages(check(site, "content/neu.md"))
    # Three fixture articles spell it "Russland"; "Bundestag" matches the archive.
    assert found == [("content/neu.md", 5, "tag 'russland' is spelled 'Russland' in 3 other "
                      "articles; use that spelling")]


def test_the_commoner_spelling_is_not_blamed(site):
    write_article(site / "content", "neu.md", GOOD.replace("[USA]", "[russland]"))
    # Checking everything: only the one odd spelling is reported, not the three usual ones.
    found = messages(check(site))
    assert [(p, line) for p, line, _ in found] == [("content/neu.md", 5)]


def test_two_spellings_within_one_article(site):
    write_article(site / "content", "neu.md", GOOD.replace("[USA]", "[USA, usa]"))
    found = messages(check(site, "content/neu.md"))
    assert found == [("content/neu.md", 5, "tags 'USA' and 'usa' are the same topic; keep one")]


def test_duplicate_url_reported_on_the_checked_file(site):
    # The fixture's bundestag.md has no slug line; this one claims its URL with one.
    write_article(site / "content", "neu.md",
                  'title: "Anders"\ndate: 2025-03-01T15:00:00+01:00\ncategory: Politik\n'
                  "slug: bundestag-beschliesst-gesetz-zur-luftverteidigung")
    only_new = messages(check(site, "content/neu.md"))
    assert only_new == [("content/neu.md", 5, "URL /2025/03/01/bundestag-beschliesst-gesetz-zur-"
                         "luftverteidigung/ is also claimed by content/2025/03/01/bundestag.md")]
    everything = messages(check(site))
    assert [(p, line) for p, line, _ in everything] == [("content/2025/03/01/bundestag.md", 2)]
    assert "would move to /2025/03/01/bundestag-beschliesst-gesetz-zur-luftverteidigung-1200/" \
        in everything[0][2]


def test_two_slug_lines_claiming_one_url(site):
    front = 'title: "{}"\ndate: 2025-03-01T1{}:00:00+01:00\ncategory: Politik\nslug: gleich'
    write_article(site / "content", "x.md", front.format("X", 1))
    write_article(site / "content", "y.md", front.format("Y", 2))
    found = messages(check(site, "content/x.md"))
    assert found == [("content/x.md", 5, "URL /2025/03/01/gleich/ is also claimed by content/y.md")]


def test_resends_without_slug_lines_are_fine(site):
    # dax.md and dax-2.md in the fixture: same headline, same day, no slug lines.
    assert check(site, "content/2024/02/10").problems == []


BODY_LINKS = """Lead mit [Kategorie](/kategorie/ausland/) und [Thema](/thema/russland/).

Zweiter Absatz
mit [Jahr](/2024/) und [Seite 1](/kategorie/ausland/seite/1/) und
[kaputt](/2024/01/04/usa-russland-soll-nordkoreanische-rakete-eingesetzt-haben/).

<p><a href="/kategorie/nirgends/">roh</a></p>

[relativ](../../../../2024/01/05/finnische-aussenministerin-ruft-usa-zu-massivem-druck-auf-moskau-auf/)
[relativ kaputt](../../x/) [extern](https://example.org/x/) [anker](#oben)
[Feed](/feeds/alle.atom.xml) [CSS](/theme/css/style.css) [ohne Slash](/archiv)
[Bild](/theme/nope.png) [kodiert](/thema/%62oerse/)
"""


def test_broken_internal_links_with_their_lines(site):
    write_article(site / "content", "neu.md", GOOD, BODY_LINKS)
    # With two articles a page, Ausland (three in the fixture, plus this one) has a page 1.
    found = messages(check(site, "content/neu.md", PAGE_SIZE=2))
    assert [(line, message.split(":")[0]) for _, line, message in found] == [
        (11, "broken internal link "
             "/2024/01/04/usa-russland-soll-nordkoreanische-rakete-eingesetzt-haben/"),
        (13, "broken internal link /kategorie/nirgends/"),
        (16, "broken internal link ../../x/"),
        (18, "broken internal link /theme/nope.png"),
    ]
    assert found[0][2].endswith("(did you mean "
                                "/2024/01/04/usa-russland-soll-nordkoreanische-raketen-eingesetzt-"
                                "haben/?)")
    assert found[2][2].startswith("broken internal link ../../x/: the site has no page /2026/03/x/")


def test_page_numbers_exist_only_as_far_as_the_listing_goes(site):
    # Two a page: Ausland's four articles (with this one) make a front page and page 1.
    write_article(site / "content", "neu.md", GOOD, "[zu weit](/kategorie/ausland/seite/9/)\n")
    found = check(site, "content/neu.md", PAGE_SIZE=2).problems
    assert [p.line for p in found] == [7]


def test_links_under_the_public_address_are_checked_too(site):
    body = ("[ok](https://example.github.io/meldungen/2024/) "
            "[kaputt](https://example.github.io/meldungen/2099/) "
            "[mit Präfix](/meldungen/thema/usa/) [anderswo](https://example.github.io/x/)\n")
    write_article(site / "content", "neu.md", GOOD, body)
    found = check(site, "content/neu.md", SITEURL="https://example.github.io/meldungen").problems
    assert [p.message.split(":")[0] for p in found] == [
        "broken internal link https"]  # the URL itself contains a colon
    assert "/2099/" in found[0].message


def test_link_lines_in_html_blocks_and_wrapped_paragraphs():
    body = "eins\nzwei [a](/a/)\n\n<div>\n<a href='/b/'>b</a>\n</div>\n"
    assert list(links(body, 10)) == [(11, "/a/"), (14, "/b/")]


def test_other_files_are_not_blamed(site):
    write_article(site / "content", "alt.md", 'title: "Alt"\ndate: kaputt\ncategory: Ausland')
    write_article(site / "content", "neu.md", GOOD)
    assert check(site, "content/neu.md").problems == []
    assert [p.path for p in check(site).problems] == ["content/alt.md"]


def test_missing_path_is_a_problem(site):
    found = messages(check(site, "content/gibt-es-nicht.md"))
    assert [line for _, line, _ in found] == [0]
    assert found[0][0].endswith("gibt-es-nicht.md") and "no such file" in found[0][2]


def test_a_hundred_files_are_checked_in_one_run(site):
    """How long it takes is the benchmarks' business (benchmarks/git_scale.py times a check at
    an archive's scale); a timed assertion here failed on a busy machine."""
    for n in range(100):
        write_article(site / "content", f"viele/{n:03d}.md",
                      f'title: "Meldung Nummer {n}"\ndate: 2026-03-{n % 28 + 1:02d}T10:00:00\n'
                      f"category: Ausland\ntags: [USA, Russland, Thema {n % 7}]",
                      f"Text mit [Link](/thema/usa/) und [noch einen](/2024/).\n\nMehr {n}.\n")
    result = check(site)
    assert result.checked == 108 and result.problems == []


def test_photos_are_checked_as_the_build_checks_them_and_narrow_ones_warned(site):
    write_photo(site / "content" / "klein.jpg", (300, 200))
    write_article(site / "content", "neu.md", GOOD + "\nimage:\n  file: klein.jpg\n  alt: Foto\n",
                  "Berlin (dts Nachrichtenagentur) - Vorspann.\n\n![Figur](fehlt.jpg)\n")
    result = check(site, "content/neu.md")
    assert [(p.path, p.line, p.message) for p in result.problems] == [
        ("content/neu.md", 12, "photo 'fehlt.jpg' does not exist")]
    assert [(w.line, w.message.split(",")[0]) for w in result.warnings] == [
        (6, "photo 'klein.jpg' is only 300 pixels wide")]


def test_after_a_build_only_the_checked_and_changed_files_are_read(site, monkeypatch):
    """The rest of the archive comes from the build cache as the last build parsed it; a
    file changed since is read again, and the answers are the same as without a cache."""
    from generator import build
    from generator import check as checking

    settings = make_settings(site / "content", site / "output")
    build(settings)
    changed = next(p for p in sorted((site / "content").rglob("*.md")) if "finnland" in p.name)
    changed.write_text(changed.read_text(encoding="utf-8").replace("tags: [", "tags: [Usa, "),
                       encoding="utf-8")  # a spelling the rest of the archive writes USA
    new = write_article(site / "content", "2026/02/05/neu.md",
                        'title: "Meldung neu"\ndate: 2026-02-05T10:00:00+01:00\n'
                        "category: Ausland\ntags: [Usa]")
    read = []
    real = checking.read_article
    monkeypatch.setattr(checking, "read_article",
                        lambda name, *args: read.append(name) or real(name, *args))
    with_cache = run(settings, [new], cwd=site)
    assert sorted(read) == sorted(["content/2026/02/05/neu.md",
                                   changed.relative_to(site).as_posix()])
    shutil.rmtree(site / ".cache")
    without = run(settings, [new], cwd=site)
    assert len(read) > 8  # every file parsed
    assert with_cache.problems == without.problems != []
    assert "spelled 'USA'" in with_cache.problems[0].message
