"""The site's pages: how many there are, and what passes on of them while they stream."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import FIXTURE_SITE, ROOT, make_settings

from generator.archives import periods
from generator.content import read_site
from generator.pages import OWN_TEMPLATES, Derived, all_pages, count, noting


def derived_of(site) -> Derived:
    return Derived(*(periods(site.shown, depth) for depth in (1, 2, 3)))


@pytest.mark.parametrize(("content", "size"), [
    (FIXTURE_SITE / "content", 2), (FIXTURE_SITE / "content", 3), (ROOT / "content", 2),
    (ROOT / "content", 20)])
def test_count_is_the_number_of_pages_without_making_them(content: Path, size: int,
                                                          tmp_path: Path) -> None:
    settings = make_settings(content, tmp_path / "out", PAGE_SIZE=size)
    site = read_site(settings)
    derived = derived_of(site)
    pages = list(all_pages(site, derived, settings))
    assert count(site, derived, settings) == len(pages)
    assert any(page.template == "redirect.html" for page in pages) == (content == ROOT / "content")


def test_noting_passes_every_page_and_notes_those_no_report_owns(tmp_path: Path) -> None:
    settings = make_settings(ROOT / "content", tmp_path / "out")
    site = read_site(settings)
    derived = derived_of(site)
    noted: list[tuple[str, str]] = []
    passed = [page.path for page in noting(all_pages(site, derived, settings), noted)]
    pages = list(all_pages(site, derived, settings))
    assert passed == [page.path for page in pages]
    assert noted == [(page.path, page.template) for page in pages
                     if page.template not in OWN_TEMPLATES]
    assert {"index.html", "404.html", "kategorien/index.html"} <= {path for path, _ in noted}
