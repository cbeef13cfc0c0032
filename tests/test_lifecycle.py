"""A report's life in its front matter, and what the build publishes of it as of its clock:
drafts, embargoes (Sperrfrist), corrections, and the preview's marks."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import make_settings, write_article

from generator import build
from generator.content import read_site
from generator.errors import ContentError
from generator.frontmatter import split, validate
from generator.settings import Settings

TZ = Settings().tz
EMBARGO = """title: "Bundesbank legt Monatsbericht vor"
date: 2026-12-07T06:00:00+01:00
category: Wirtschaft
tags: [Bundesbank, Konjunktur]"""
EMBARGO_BODY = "Frankfurt/Main (dts Nachrichtenagentur) - Der Monatsbericht erscheint.\n\nMehr.\n"
EMBARGO_URL = "2026/12/07/bundesbank-legt-monatsbericht-vor/"


def header(front: str):
    parts, problems = split("a.md", f"---\n{front.strip()}\n---\nText.\n")
    assert parts is not None and problems == []
    return validate("a.md", parts, TZ)


BASE = 'title: "T"\ndate: 2024-01-04T20:41:54+01:00\ncategory: Ausland\n'


def test_life_keys_are_read():
    result, problems = header(BASE + """draft: true
status: withdrawn
withdrawn_note: "Zurückgezogen auf Anordnung des Landgerichts."
corrections:
  - {date: "05.01.2024 - 10:12", text: "Im zweiten Absatz hieß es irrtümlich Montag."}
  - {date: 2024-01-04T22:00:00+01:00, text: "Erste Korrektur."}
aliases: [/2024/01/04/alt/, "2024/01/04/noch-aelter"]""")
    assert problems == []
    life = result.life
    assert life.draft and life.withdrawn
    assert life.note == "Zurückgezogen auf Anordnung des Landgerichts."
    assert [text for _, text in life.corrections] == [  # oldest first, as shown
        "Erste Korrektur.", "Im zweiten Absatz hieß es irrtümlich Montag."]
    assert life.aliases == ("2024/01/04/alt/", "2024/01/04/noch-aelter/")


@pytest.mark.parametrize(("front", "line", "message"), [
    ("status: withdrawen", 5, "unknown status 'withdrawen' (did you mean 'withdrawn'?)"),
    ("status: offline", 5, "unknown status 'offline'; allowed: published, withdrawn"),
    ("darft: true", 5, "unknown key 'darft' (did you mean 'draft'?)"),
    ("aliasses: [/a/]", 5, "unknown key 'aliasses' (did you mean 'aliases'?)"),
    ("correction: []", 5, "unknown key 'correction' (did you mean 'corrections'?)"),
    ("draft: vielleicht", 5, "'draft' must be true or false, not 'vielleicht'"),
    ("withdrawn_note: Weg.", 5, "'withdrawn_note' without 'status: withdrawn'"),
    ("corrections: Tippfehler", 5, "'corrections' must be a list"),
    ("corrections: [{date: 2024-01-05, txt: x}]", 5, "unknown key 'txt' (did you mean 'text'?)"),
    ("corrections: [{date: gestern, text: x}]", 5, "'date': invalid date 'gestern'"),
    ("corrections: [{date: 2024-01-05}]", 5, "'text' is missing or empty"),
    ("aliases: [../../etc/]", 5, "alias '../../etc/' leaves the site"),
    ("aliases: ['http://example.com/x/']", 5, "alias 'http://example.com/x/' leaves the site"),
    ("aliases: ['//example.com/x/']", 5, "leaves the site"),
    ("aliases: ['/a b/']", 5, "holds characters other than"),
    ("aliases: ['/alt/CON/']", 5, "names a device Windows reserves"),
])
def test_life_key_problems_name_their_line(front: str, line: int, message: str):
    _, problems = header(BASE + front)
    assert problems and {p.line for p in problems} == {line}, problems
    assert any(message in p.message for p in problems), problems


def test_unknown_keys_far_from_ours_are_still_kept():
    result, problems = header(BASE + "autor: Max")
    assert problems == [] and result.extra == {"autor": "Max"}


@pytest.fixture
def archive(site_copy: Path) -> Path:
    write_article(site_copy / "content", "2026/12/sperrfrist.md", EMBARGO, EMBARGO_BODY)
    return site_copy


def build_at(site: Path, now: str, out: str = "output", **extra):
    settings = make_settings(site / "content", site / out, BUILD_NOW=now, **extra)
    return settings, build(settings)


def everything(output: Path) -> str:
    return "\n".join(p.read_bytes().decode("utf-8", "replace")
                     for p in sorted(output.rglob("*")) if p.is_file()
                     and not p.is_relative_to(output / "theme"))


def test_an_embargoed_report_appears_nowhere_until_its_time(archive: Path):
    _, report = build_at(archive, "2026-12-07T05:59:59+01:00")
    out = archive / "output"
    assert report.next_due is not None and report.next_due.isoformat() == \
        "2026-12-07T06:00:00+01:00"
    assert report.next_path == "2026/12/sperrfrist.md"
    assert not (out / EMBARGO_URL).exists()
    text = everything(out)
    for word in ("Monatsbericht", "Bundesbank", "bundesbank"):
        assert word not in text  # no page, listing, feed, sitemap, topic file, search doc
    assert not (out / "thema/bundesbank").exists()
    _, report = build_at(archive, "2026-12-07T06:00:00+01:00")
    assert report.next_due is None and not report.full
    assert (out / EMBARGO_URL / "index.html").is_file()
    assert EMBARGO_URL in (out / "sitemap.xml").read_text(encoding="utf-8")
    assert EMBARGO_URL in (out / "feeds/alle.atom.xml").read_text(encoding="utf-8")
    assert EMBARGO_URL in (out / "index.html").read_text(encoding="utf-8")
    entries = json.loads((out / "weitere/thema/bundesbank.json").read_text(encoding="utf-8"))
    assert [e["u"] for e in entries["entries"]] == [EMBARGO_URL]
    assert "Monatsbericht" in everything(out / "search")


def test_a_draft_is_never_published_and_the_preview_marks_it(archive: Path):
    write_article(archive / "content", "2025/entwurf.md", """\
title: "Koalition einigt sich auf Haushalt"
date: 2025-11-01T09:00:00+01:00
category: Politik
draft: true""", "Berlin (dts Nachrichtenagentur) - Einigung.\n")
    _, report = build_at(archive, "2026-12-08T00:00:00+01:00")
    assert report.next_due is None  # the embargo is past; a draft waits for an editor
    assert "Haushalt" not in everything(archive / "output")
    build_at(archive, "2026-12-07T05:00:00+01:00", out="vorschau", SHOW_DRAFTS=True)
    page = (archive / "vorschau/2025/11/01/koalition-einigt-sich-auf-haushalt/index.html")
    assert '<p class="preview-mark">Entwurf</p>' in page.read_text(encoding="utf-8")
    embargoed = (archive / "vorschau" / EMBARGO_URL / "index.html").read_text(encoding="utf-8")
    assert '<p class="preview-mark">Sperrfrist bis 07.12.2026 - 06:00</p>' in embargoed
    home = (archive / "vorschau/index.html").read_text(encoding="utf-8")
    assert "Sperrfrist bis 07.12.2026 - 06:00" in home and "Entwurf" in home
    # The preview's own output and cache: the publish output still knows nothing of them.
    assert "Haushalt" not in everything(archive / "output")


def test_corrections_are_shown_dated_and_update_every_date(site_copy: Path):
    path = site_copy / "content/2024/01/04/usa-russland-raketen.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("---\n", """---
corrections:
  - date: 05.01.2024 - 10:12
    text: "In einer früheren Fassung hieß es, die Raketen seien aus Iran gekommen."
  - date: 2024-01-04T22:05:00+01:00
    text: "Die Uhrzeit der Angriffe wurde ergänzt."
""", 1).replace("\n---\n", "\n---\n", 1), encoding="utf-8")
    _, _ = build_at(site_copy, "2026-12-07T12:00:00+01:00")
    out = site_copy / "output"
    page = next((out / "2024/01/04").glob("usa-*/index.html")).read_text(encoding="utf-8")
    first = page.index('Korrektur vom <time datetime="2024-01-04T22:05:00+01:00">04.01.2024, '
                       "22:05</time> Uhr: Die Uhrzeit der Angriffe wurde")
    second = page.index('Korrektur vom <time datetime="2024-01-05T10:12:00+01:00">05.01.2024, '
                        "10:12</time> Uhr: In einer früheren Fassung")
    assert page.index('<div class="body">') < first < second  # under the body, newest last
    assert "Aktualisiert: <time datetime=\"2024-01-05T10:12:00+01:00\">05.01.2024 - 10:12" in page
    assert '"dateModified":"2024-01-05T10:12:00+01:00"' in page
    feed = (out / "feeds/alle.atom.xml").read_text(encoding="utf-8")
    entry = feed[feed.index("usa-russland"):]
    assert re.search(r"<updated>2024-01-05T10:12:00\+01:00</updated>", entry)
    assert "Korrektur vom 05.01.2024, 10:12 Uhr" in entry
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert re.search(r"usa-russland[^<]*/</loc><lastmod>2024-01-05T10:12:00\+01:00</lastmod>",
                     sitemap)


def test_a_bad_build_clock_is_a_settings_problem(tmp_path: Path):
    from generator.errors import ConfigError

    with pytest.raises(ConfigError, match="BUILD_NOW: invalid date 'morgen'"):
        make_settings(tmp_path, tmp_path / "o", BUILD_NOW="morgen")


def test_the_clock_is_no_part_of_the_cache_key(archive: Path):
    """A build as of another time costs what that time changes, not a full build."""
    build_at(archive, "2026-12-07T05:00:00+01:00")
    _, report = build_at(archive, "2026-12-07T05:30:00+01:00")
    assert not report.full and report.written == 0


def test_drafts_claim_their_url_so_publishing_one_moves_no_other(tmp_path: Path):
    content = tmp_path / "content"
    front = 'title: "Eilmeldung"\ncategory: Ausland\ndate: 2024-01-04T{}:00:00+01:00'
    write_article(content, "a.md", front.format("10") + "\ndraft: true")
    write_article(content, "b.md", front.format("11"))
    settings = make_settings(content, tmp_path / "o")
    site = read_site(settings)
    assert [a.url for a in site.articles] == ["2024/01/04/eilmeldung-1100/"]
    assert [a.url for a in site.pending] == ["2024/01/04/eilmeldung/"]


def test_an_alias_of_another_reports_url_names_both_files(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch):
    content = tmp_path / "content"
    content.mkdir()
    monkeypatch.chdir(content)  # messages name files relative to the working folder
    write_article(content, "a.md", 'title: "Alt"\ncategory: Ausland\ndate: 2024-01-04T10:00:00')
    write_article(content, "b.md", 'title: "Neu"\ncategory: Ausland\ndate: 2024-01-04T11:00:00'
                  "\naliases: [/2024/01/04/alt/]")
    with pytest.raises(ContentError) as caught:
        read_site(make_settings(content, tmp_path / "o"))
    assert [str(p) for p in caught.value.problems] == [
        "b.md:5: alias /2024/01/04/alt/ is the URL of a.md"]
