"""Which article pages keep their last key: never one whose inputs changed, and few others."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from helpers import make_settings, write_article
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import changes
from generator.archives import paginate, periods
from generator.content import read_site
from generator.model import Site
from generator.outputs import KEEP
from generator.pages import Derived, article_page, output_path, period_pages

TITLES = ["Gipfel", "Streik", "Wahl", "Unwetter"]
TAGS = ["USA", "usa", "Russland", "EU"]  # "usa": another spelling, so a topic can be renamed
CATEGORIES = ["Ausland", "Politik"]

spec = st.tuples(st.sampled_from(TITLES), st.integers(0, 5), st.integers(0, 2),
                 st.sampled_from(CATEGORIES), st.lists(st.sampled_from(TAGS), max_size=2),
                 st.sampled_from(["Lead eins.", "Lead zwei."]),
                 st.sampled_from(["Body eins.", "Body zwei."]))


def write(folder: Path, name: str, row: tuple) -> None:
    title, day, hour, category, tags, lead, body = row
    second = int(name[1:]) if name[1:].isdigit() else 59  # a headline's re-sends differ
    write_article(folder, f"{name}.md",
                  f'title: "{title}"\ndate: 2025-03-{day + 1:02d}T{8 + hour:02d}:00:{second:02d}'
                  '+01:00\n'
                  f"category: {category}\ntags: [{', '.join(tags)}]", f"{lead}\n\n{body}\n")


class Build:
    """read_site with a build cache, as the build runs it, and what the build keeps of it."""

    def __init__(self, folder: Path):
        self.settings = make_settings(folder, folder.parent / "out", RELATED_COUNT=2)
        self.sources: dict = {}
        self.parsed: dict = {}

    def first(self) -> Site:
        site = read_site(self.settings, self.sources, self.parsed)
        pages = [article_page(site, a, self.settings) for a in site.articles]
        self.keys = {page.path: (page.key, "", 0) for page in pages}
        self.extra: dict = {}
        changes.remember_topics(self.extra, site)
        return site

    def again(self) -> tuple[Site, changes.Changes]:
        """Read the changed archive; the changes against the first reading."""
        last = changes.snapshot(self.parsed)
        site = read_site(self.settings, self.sources, self.parsed)
        return site, changes.compare(last, site, self.extra, self.keys)


def kept(site: Site, delta: changes.Changes) -> set[str]:
    return {a.source_path for a in site.articles if delta.kept_key(a, output_path(a.url))}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(spec, min_size=2, max_size=12), data=st.data())
def test_a_kept_key_is_the_key_the_page_has_now(rows, data):
    folder = Path(tempfile.mkdtemp(prefix="meldungen-changes-")) / "content"
    try:
        for i, row in enumerate(rows):
            write(folder, f"a{i}", row)
        build = Build(folder)
        build.first()
        victim = f"a{data.draw(st.integers(0, len(rows) - 1))}"
        what = data.draw(st.sampled_from(["edit", "delete", "add"]))
        if what == "delete":
            (folder / f"{victim}.md").unlink()
        else:
            write(folder, victim if what == "edit" else "new", data.draw(spec))
        site, delta = build.again()
        for article in site.articles:
            key = delta.kept_key(article, output_path(article.url))
            if key is not None:
                assert key == article_page(site, article, build.settings).key, article
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)


def shown(site: Site, settings) -> dict[str, tuple]:
    """What each topic's listing pages show: name, size, and per page its links and teasers."""
    return {kind + topic.slug: (topic.name, len(topic.articles), [
        (page.url, page.older_url, page.newer_url,
         site.teaser_keys(i for i in page.items if not site.articles[i].withdrawn))
        for page in paginate(topic.url, topic.places, settings.PAGE_SIZE)])
        for kind, topics in (("k/", site.categories), ("t/", site.tags))
        for topic in topics.values()}


def period_keys(site: Site, delta: changes.Changes | None = None) -> dict[str, str]:
    """Year, month and day pages' keys (which hold no archive positions)."""
    derived = Derived(*(periods(site.shown, depth) for depth in (1, 2, 3)))
    return {page.path: page.key for page in period_pages(site, derived, delta)}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(spec, min_size=1, max_size=12), data=st.data())
def test_a_kept_listing_shows_what_it_showed(rows, data):
    """After a few edits, additions and deletions: a topic kept shows the same name, size,
    links and teasers; a year, month or day page kept has the key it had."""
    folder = Path(tempfile.mkdtemp(prefix="meldungen-changes-")) / "content"
    try:
        for i, row in enumerate(rows):
            write(folder, f"a{i}", row)
        build = Build(folder)
        site = build.first()
        topics_before, periods_before = shown(site, build.settings), period_keys(site)
        for _ in range(data.draw(st.integers(1, 3))):
            victim = f"a{data.draw(st.integers(0, len(rows) - 1))}"
            what = data.draw(st.sampled_from(["edit", "delete", "add"]))
            if what == "delete":
                (folder / f"{victim}.md").unlink(missing_ok=True)
            else:
                write(folder, victim if what == "edit" else f"new{victim}", data.draw(spec))
        last = changes.snapshot(build.parsed)
        site = read_site(build.settings, build.sources, build.parsed)
        delta = changes.compare(last, site, build.extra)
        topics_now = shown(site, build.settings)
        for kind, topics in (("k/", site.categories), ("t/", site.tags)):
            for topic in topics.values():
                if delta.topic_kept(topic):
                    assert topics_now[kind + topic.slug] == topics_before[kind + topic.slug]
        periods_now = period_keys(site)
        for path, key in period_keys(site, delta).items():
            if key == KEEP:
                assert periods_before.get(path) == periods_now[path], path
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)


def test_an_edited_body_keeps_every_topic_and_a_new_report_only_the_others(tmp_path):
    folder = tmp_path / "content"
    for day, (category, tag) in enumerate([("Ausland", "USA"), ("Politik", "EU")]):
        write(folder, f"a{day}", ("Gipfel", day, 0, category, [tag], "Lead.", "Body."))
    build = Build(folder)
    site = build.first()
    last = changes.snapshot(build.parsed)
    write(folder, "a1", ("Gipfel", 1, 0, "Politik", ["EU"], "Lead.", "Anderer Body."))
    site = read_site(build.settings, build.sources, build.parsed)
    delta = changes.compare(last, site, build.extra)
    assert all(delta.topic_kept(t) for t in [*site.categories.values(), *site.tags.values()])
    last = changes.snapshot(build.parsed)
    write(folder, "new", ("Streik", 9, 0, "Ausland", ["USA"], "Neu.", "Body."))
    site = read_site(build.settings, build.sources, build.parsed)
    delta = changes.compare(last, site, build.extra)
    assert {t.slug for t in [*site.categories.values(), *site.tags.values()]
            if not delta.topic_kept(t)} == {"ausland", "usa"}


def test_a_body_edit_or_a_newest_report_leaves_the_other_pages_kept(tmp_path):
    folder = tmp_path / "content"
    for day in range(5):
        write(folder, f"a{day}", ("Gipfel", day, 0, "Ausland", ["USA"], "Lead.", "Body."))
    build = Build(folder)
    build.first()
    write(folder, "a2", ("Gipfel", 2, 0, "Ausland", ["USA"], "Lead.", "Anderer Body."))
    write(folder, "new", ("Streik", 9, 0, "Ausland", ["USA"], "Neu.", "Body."))
    assert kept(*build.again()) == {"a0.md", "a1.md", "a3.md", "a4.md"}


def test_a_new_headline_unkeeps_the_newer_pages_of_its_topics_only(tmp_path):
    folder = tmp_path / "content"
    for i, (category, tag) in enumerate([("Ausland", "USA"), ("Politik", "EU"),
                                         ("Ausland", "USA"), ("Politik", "EU")]):
        write(folder, f"a{i}", ("Gipfel", i, 0, category, [tag], "Lead.", "Body."))
    build = Build(folder)
    build.first()
    write(folder, "a0", ("Streik", 0, 0, "Ausland", ["USA"], "Lead.", "Body."))
    assert kept(*build.again()) == {"a1.md", "a3.md"}
