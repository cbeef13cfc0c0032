"""Weitere Meldungen: selection rules, the per-topic files, and their agreement."""

import json
import random
from datetime import datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from helpers import make_settings, write_article
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import related
from generator.content import read_site
from generator.model import Site
from generator.related import current_related, static_related, topic_files, topic_newest

BERLIN = ZoneInfo("Europe/Berlin")


def site_of(tmp_path, rows, count=3):
    """rows: (name, title, day, category, tags)"""
    for name, title, day, category, tags in rows:
        date = datetime(2024, 1, 1, 8, tzinfo=BERLIN) + timedelta(days=day)
        write_article(tmp_path, f"{name}.md", f'title: "{title}"\ndate: {date.isoformat()}\n'
                                              f"category: {category}\ntags: [{tags}]")
    settings = make_settings(tmp_path, tmp_path / "out", RELATED_COUNT=count)
    site = read_site(settings)
    by_name = {a.source_path.removesuffix(".md"): a for a in site.articles}
    return site, by_name


def titles(site, indices):
    return [site.articles[i].title for i in indices]


def test_shared_tags_first_newest_first_then_category_fill(tmp_path):
    site, a = site_of(tmp_path, [
        ("old_usa", "USA alt", 0, "Ausland", "USA"),
        ("cat_only", "Nur Ausland", 1, "Ausland", "Frankreich"),
        ("ru", "Russland neu", 2, "Politik", "Russland"),
        ("other_cat", "Nur Sport", 3, "Sport", "Fußball"),
        ("me", "Ich", 4, "Ausland", "USA, Russland"),
    ])
    assert titles(site, static_related(site, a["me"], 3)) == ["Russland neu", "USA alt",
                                                               "Nur Ausland"]


def test_only_older_reports_in_the_static_block(tmp_path):
    site, a = site_of(tmp_path, [
        ("before", "Vorher", 0, "Ausland", "USA"),
        ("me", "Ich", 1, "Ausland", "USA"),
        ("after", "Nachher", 2, "Ausland", "USA"),
    ])
    assert titles(site, static_related(site, a["me"], 3)) == ["Vorher"]
    assert titles(site, current_related(site, a["me"], 3)) == ["Nachher", "Vorher"]


def test_own_headline_left_out_and_only_newest_resend_listed(tmp_path):
    site, a = site_of(tmp_path, [
        ("r1", "Gipfel in Brüssel", 0, "Ausland", "EU"),
        ("r2", "Gipfel in Brüssel", 1, "Ausland", "EU"),
        ("x", "Andere Meldung", 2, "Ausland", "EU"),
        ("me1", "Meine Geschichte", 3, "Ausland", "EU"),
        ("me2", "Meine Geschichte", 4, "Ausland", "EU"),
    ])
    chosen = static_related(site, a["me2"], 6)
    assert titles(site, chosen) == ["Andere Meldung", "Gipfel in Brüssel"]
    assert site.articles[chosen[1]].source_path == "r2.md"


def test_topic_file_holds_count_plus_one_distinct_headlines(tmp_path):
    rows = [(f"a{i}", f"Meldung {i % 4}", i, "Ausland", "USA") for i in range(10)]
    site, _ = site_of(tmp_path, rows, count=2)
    files = {path: make() for path, _, make in topic_files(site, 2)}
    entries = json.loads(files["weitere/thema/usa.json"])["entries"]
    assert [e["t"] for e in entries] == ["Meldung 1", "Meldung 0", "Meldung 3"]
    assert entries[0]["u"] == site.articles[9].url
    assert entries[0]["d"] == "10.01.2024 - 08:00"
    assert topic_newest(site, site.tags["usa"], 3) == [9, 8, 7]


def test_selection_uses_the_topic_index_not_an_archive_scan(tmp_path):
    # An article with no tags and a category of its own: nothing qualifies.
    site, a = site_of(tmp_path, [("x", "X", 0, "Ausland", "USA"), ("me", "Ich", 1, "Sport", "")])
    assert static_related(site, a["me"], 6) == []


def test_refreshed_block_from_topic_files_equals_selection_over_whole_archive(tmp_path):
    """Merging the per-topic files (as the browser does) gives exactly current_related()."""
    rng = random.Random(7)
    tags = ["USA", "Russland", "EU", "China", "DAX"]
    rows = []
    for i in range(120):
        title = f"Meldung {rng.randrange(40)}"
        rows.append((f"a{i:03d}", title, i, rng.choice(["Ausland", "Politik"]),
                     ", ".join(rng.sample(tags, rng.randrange(0, 3)))))
    site, _ = site_of(tmp_path, rows, count=4)
    files = {path: json.loads(make())["entries"] for path, _, make in topic_files(site, 4)}
    for article in site.articles:
        lists = [files[f"weitere/thema/{t}.json"] for t in article.tag_slugs]
        category = files[f"weitere/kategorie/{article.category_slug}.json"]
        merged = merge_like_browser(lists, category, article.headline_key, 4)
        assert merged == [site.articles[i].url for i in current_related(site, article, 4)]


def merge_like_browser(lists, category, own_key, count):
    """Mirror of theme/static/js/related-merge.js (the JS itself is tested in tests/js)."""
    by_url = {e["u"]: e for entries in lists for e in entries}
    pools = [sorted(by_url.values(), key=lambda e: (e["ts"], e["u"]), reverse=True),
             sorted(category, key=lambda e: (e["ts"], e["u"]), reverse=True)]
    chosen, seen = [], {own_key}
    for pool in pools:
        for e in pool:
            if len(chosen) < count and e["k"] not in seen:
                seen.add(e["k"])
                chosen.append(e["u"])
    return chosen


ROWS = st.lists(st.tuples(st.sets(st.sampled_from("abcd"), max_size=3),  # tags
                          st.sampled_from("xy"),                           # category
                          st.integers(0, 4)),                              # headline
                min_size=1, max_size=60)


@given(rows=ROWS, window=st.integers(1, 4), count=st.integers(1, 6))
@settings(max_examples=300, deadline=None)
def test_windowed_selection_equals_merging_whole_topics(rows, window, count):
    """select() looks at the newest WINDOW members of each topic first and merges the whole
    topics only when the window cannot decide; both must choose the same. Few headlines, so
    repeats often use up small windows."""
    articles = [SimpleNamespace(index=i, headline_key=f"h{h}", tag_slugs=sorted(tags),
                                category_slug=cat) for i, (tags, cat, h) in enumerate(rows)]
    def topics(key):
        found = {}
        for a in articles:
            for slug in key(a):
                found.setdefault(slug, SimpleNamespace(articles=[])).articles.append(a.index)
        return found
    site = Site(articles, topics(lambda a: [a.category_slug]), topics(lambda a: a.tag_slugs))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(related, "WINDOW", 10**9)  # never cut: the whole topics, merged
        whole = [related.select(site, a, count, a.index) for a in articles]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(related, "WINDOW", window)
        assert [related.select(site, a, count, a.index) for a in articles] == whole
