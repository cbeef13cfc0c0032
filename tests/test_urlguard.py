"""Published URLs never break silently: the build (and ``meldungen check``) refuse a change
that would leave a published report URL or alias leading nowhere, and say what to do."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import FIXTURE_SITE, make_settings

from generator import build, check
from generator.errors import ContentError

NOW = "2026-12-07T12:00:00+01:00"
REL = "2025/07/14/grosse-hitze.md"
URL = "2025/07/14/grosse-hitze-wetterdienst-warnt-vor-38-grad/"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(FIXTURE_SITE / "content", tmp_path / "content")
    # Messages name other files relative to the working folder, as check names every file.
    monkeypatch.chdir(tmp_path / "content")
    build(settings_for(tmp_path))
    return tmp_path


def settings_for(root: Path, **extra):
    return make_settings(root / "content", root / "output", BUILD_NOW=NOW, **extra)


def edit(root: Path, old: str, new: str) -> None:
    path = root / "content" / REL
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def refused(root: Path, **extra) -> list[str]:
    with pytest.raises(ContentError) as caught:
        build(settings_for(root, **extra))
    return [str(p) for p in caught.value.problems]


def checked(root: Path) -> list[str]:
    return [str(p) for p in check.run(settings_for(root), cwd=root / "content").problems]


def test_a_new_headline_is_refused_with_the_way_out(site: Path):
    before = (site / "output" / URL / "index.html").read_bytes()
    edit(site, "Große Hitze: Wetterdienst warnt vor 38 Grad", "Hitzewarnung für den Südwesten")
    expected = [f"{REL}:2: its published URL /{URL} would change to "
                "/2025/07/14/hitzewarnung-fuer-den-suedwesten/; pin the old one with "
                "'slug: grosse-hitze-wetterdienst-warnt-vor-38-grad', or add "
                f"'/{URL}' to 'aliases:'"]
    assert refused(site) == expected
    assert checked(site) == expected  # before a commit, too
    assert (site / "output" / URL / "index.html").read_bytes() == before  # nothing published
    edit(site, "---\n", "---\nslug: grosse-hitze-wetterdienst-warnt-vor-38-grad\n")
    build(settings_for(site))
    assert "Hitzewarnung" in (site / "output" / URL / "index.html").read_text(encoding="utf-8")


def test_an_alias_carries_a_moved_report(site: Path):
    edit(site, "date: 2025-07-14T08:30:00+02:00", "date: 2025-07-15T08:30:00+02:00")
    assert refused(site) == [
        f"{REL}:3: its published URL /{URL} would change to "
        "/2025/07/15/grosse-hitze-wetterdienst-warnt-vor-38-grad/; keep the date it was "
        f"published under, or add '/{URL}' to 'aliases:'"]
    edit(site, "---\n", f"---\naliases: [/{URL}]\n")
    build(settings_for(site))
    redirect = (site / "output" / URL / "index.html").read_text(encoding="utf-8")
    assert 'content="0; url=/2025/07/15/grosse-hitze-wetterdienst-warnt-vor-38-grad/"' in redirect
    # The alias is published now: dropping it again is refused like any other URL.
    edit(site, f"aliases: [/{URL}]\n", "")
    assert refused(site) == [f"{REL}:1: /{URL} was published as an alias of this report; keep "
                             "it in 'aliases:'"]


def test_a_deleted_file_is_named_by_its_url(site: Path):
    (site / "content" / REL).unlink()
    expected = [f"/{URL}:0: published from {REL}, which is gone. Keep the file with 'status: "
                "withdrawn', or add this URL to the 'aliases:' of the report that replaces it"]
    assert refused(site) == expected
    assert checked(site) == expected


def test_a_published_report_cannot_turn_back_into_a_draft(site: Path):
    edit(site, "---\n", "---\ndraft: true\n")
    assert refused(site) == [f"{REL}:2: /{URL} was published, and this report is now a draft; "
                             "a published report stays: withdraw it with 'status: withdrawn' "
                             "instead"]
    edit(site, "draft: true", "status: withdrawn")
    build(settings_for(site))  # a withdrawal keeps the URL


def test_the_guard_can_be_switched_off(site: Path):
    (site / "content" / REL).unlink()
    report = build(settings_for(site, URL_GUARD=False))
    assert not (site / "output" / URL).exists() and report.removed > 0
    build(settings_for(site))  # and the deleted URL is no longer held to


def test_a_moved_file_keeps_its_url(site: Path):
    target = site / "content" / "verschoben" / "hitze.md"
    target.parent.mkdir()
    (site / "content" / REL).rename(target)
    build(settings_for(site))
    assert (site / "output" / URL / "index.html").is_file()
