"""A build in which nothing changed is done without reading the archive, and only then."""

from __future__ import annotations

import hashlib
import os
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from helpers import FIXTURE_SITE, ROOT, make_settings, write_article, write_photo

import generator
from generator import build, cache
from generator.content import read_site
from generator.outputs import STAMP

# The fixture's news sitemap at this clock lists reports of 2026-02-04 21:15 and 2026-02-03
# 10:23; the older one leaves its 48 hours after 2026-02-05 10:23.
CLOCK = "2026-02-05T10:00:00+01:00"


def later(clock: str, minutes: int) -> str:
    return (datetime.fromisoformat(clock) + timedelta(minutes=minutes)).isoformat()


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha1(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE_SITE / "content", tmp_path / "content")
    write_photo(tmp_path / "content" / "bilder" / "gipfel.jpg")
    write_article(tmp_path / "content", "2026/02/gipfel.md",
                  'title: "Gipfel mit Foto"\ndate: 2026-01-20T09:00:00+01:00\n'
                  "category: Ausland\ntags: [EU]\nimage: {file: /bilder/gipfel.jpg, "
                  "alt: Ein Gipfel, caption: Gipfel (Archiv)}",
                  "Brüssel (dts Nachrichtenagentur) - Ein Gipfel.\n\nMehr.\n")
    return tmp_path


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How often a build read the archive."""
    calls: list[int] = []

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return read_site(*args, **kwargs)

    monkeypatch.setattr(generator, "read_site", counted)
    return calls


def settings_at(site: Path, clock: str, **extra: object):
    return make_settings(site / "content", site / "output", BUILD_NOW=clock, **extra)


def test_nothing_changed_reads_nothing_and_keeps_every_file(site: Path, reads: list[int]):
    first = build(settings_at(site, CLOCK))
    before = tree(site / "output")
    again = build(settings_at(site, later(CLOCK, 20)))
    assert reads == [1]
    assert (again.articles, again.files, again.written, again.removed, again.full,
            again.unchanged) == (first.articles, first.files, 0, 0, False, True)
    assert not first.unchanged
    assert tree(site / "output") == before


def test_the_news_sitemaps_window_ends_the_standstill(site: Path, reads: list[int]):
    build(settings_at(site, CLOCK))
    build(settings_at(site, later(CLOCK, 22)))   # 10:22: the 10:23 report is still listed
    assert reads == [1]
    build(settings_at(site, later(CLOCK, 30)))   # 10:30: it has left
    assert reads == [1, 1]
    build(make_settings(site / "content", site / "clean", BUILD_NOW=later(CLOCK, 30)))
    assert tree(site / "output") == tree(site / "clean")
    assert b"2026-02-03T10:23" not in (site / "output" / "news-sitemap.xml").read_bytes()


def test_an_embargo_falling_due_ends_the_standstill(site: Path, reads: list[int]):
    write_article(site / "content", "2026/02/sperrfrist.md",
                  'title: "Zahlen unter Sperrfrist"\ndate: 2026-02-05T12:00:00+01:00\n'
                  "category: Wirtschaft\ntags: [EU]", "Berlin (dts) - Zahlen.\n\nMehr.\n")
    first = build(settings_at(site, later(CLOCK, -600)))   # 00:00; the window ends 10:23
    assert first.next_due == datetime.fromisoformat("2026-02-05T12:00:00+01:00")
    waiting = build(settings_at(site, later(CLOCK, -300)))
    assert reads == [1] and waiting.next_due == first.next_due
    assert waiting.next_path == "2026/02/sperrfrist.md"
    build(settings_at(site, "2026-02-05T12:00:00+01:00"))
    assert reads == [1, 1]
    assert (site / "output" / "2026" / "02" / "05" / "zahlen-unter-sperrfrist").is_dir()


def test_a_fresh_clone_builds_nothing_and_records_the_new_times(site: Path, reads: list[int]):
    settings = settings_at(site, CLOCK)
    build(settings)
    stamp = 1_700_000_000_000_000_000
    for path in (site / "content").rglob("*.md"):
        os.utime(path, ns=(stamp, stamp))
    assert build(settings).written == 0
    assert reads == [1]
    state = cache.load(cache.location(settings))
    try:
        assert {record.mtime_ns for record in dict(state.sources.items()).values()} == {stamp}
    finally:
        state.close()


@pytest.mark.parametrize("change", ["edit", "photo", "clock back", "verify", "stamp", "theme",
                                    "drafts", "add", "delete"])
def test_anything_else_makes_the_build_look(site: Path, reads: list[int], change: str):
    build(settings_at(site, CLOCK))
    extra: dict[str, object] = {}
    clock = later(CLOCK, 10)
    content = site / "content"
    if change == "edit":
        path = content / "2026" / "02" / "gipfel.md"
        path.write_text(path.read_text("utf-8") + "Neu.\n", encoding="utf-8")
    elif change == "photo":  # same size, another time: the file is checked again
        os.utime(content / "bilder" / "gipfel.jpg", ns=(1, 1))
    elif change == "clock back":  # an earlier clock may put reports under embargo again
        clock = later(CLOCK, -10)
    elif change == "verify":
        extra["BUILD_VERIFY"] = True
    elif change == "stamp":
        (site / "output" / STAMP).unlink()
    elif change == "theme":
        shutil.copytree(ROOT / "theme", site / "theme")
        (site / "theme" / "templates" / "base.html").write_text(
            (site / "theme" / "templates" / "base.html").read_text("utf-8") + "\n",
            encoding="utf-8")
        extra["THEME"] = site / "theme"
    elif change == "drafts":
        extra["SHOW_DRAFTS"] = True
    elif change == "add":
        write_article(content, "2026/02/neu.md", 'title: "Neu"\ndate: 2026-02-01T08:00:00\n'
                      "category: Inland", "Berlin (dts) - Neu.\n\nMehr.\n")
    else:
        (content / "2026" / "02" / "gipfel.md").unlink()
        extra["URL_GUARD"] = False
    build(settings_at(site, clock, **extra))
    assert reads == [1, 1]


def test_an_output_with_the_editing_desk_is_not_taken_for_the_public_one(
        site: Path, reads: list[int]):
    """The desk (CMS) is not part of the settings' cache key: the next build without it
    reads, and drops /admin/ (the preview, SHOW_DRAFTS, is part of the key)."""
    build(settings_at(site, CLOCK, CMS=True))
    assert (site / "output" / "admin" / "index.html").is_file()
    build(settings_at(site, CLOCK))
    assert reads == [1, 1]
    assert not (site / "output" / "admin").exists()


def test_a_note_of_another_shape_is_no_note_and_costs_no_full_build(site: Path,
                                                                     reads: list[int]):
    """A cache written by a version whose note had other fields: this build reads and
    builds incrementally (it writes nothing), then leaves a note of its own."""
    settings = settings_at(site, CLOCK)
    build(settings)
    state = cache.load(cache.location(settings))
    state.extra["unchanged"] = state.extra["unchanged"][:-1]
    cache.save(cache.location(settings), state)
    state.close()
    report = build(settings)
    assert reads == [1, 1] and not report.full and report.written == 0
    assert build(settings).unchanged and reads == [1, 1]
