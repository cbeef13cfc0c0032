"""What changed since the last build, as far as *other* articles' pages care.

An article page shows the article and its Weitere Meldungen block: reports of its topics
published strictly before it (:mod:`.related`). So a change to report M can alter the page
of report A only if they share a topic and M (before or after the change) is older than A,
or if the name of a shared topic changed. Every other article page keeps the key it was
written with, and the build need not choose its related reports again: at 100,000
articles that choice, made for every page, was most of a build in which one article changed.

Only what other pages show of M counts as a change of M: its teaser key (URL, headline,
teaser, category, date) and its topics. An edit of the body alone, or a body photo
replaced, changes M's own page.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from .archives import Period
from .model import Article, Site, Topic
from .outputs import KEEP

Fact = tuple[str, datetime, str, tuple[str, ...], str, str]
"""(teaser key, date, category slug, tag slugs, sha, figure key) of an article as last
built: the last two are what its own page shows beyond its teaser (a photo replaced in the
body changes the page, not the source)."""
_TOPICS = "topics"
"""Key of the last build's topic names in the build cache's ``extra``."""


def snapshot(articles: Mapping[str, Article]) -> dict[str, Fact]:
    """The build cache's articles on the site the last build made (taken before reading;
    drafts and embargoed reports were on no page)."""
    return {rel: (a.teaser_key, a.date, a.category_slug, a.tag_slugs, a.sha, a.figure_key)
            for rel, a in articles.items() if a.teaser_key and a.state in _ON_SITE}


_ON_SITE = ("published", "withdrawn")


def topic_ids(category: str, tags: tuple[str, ...]) -> list[str]:
    return ["k/" + category, *("t/" + tag for tag in tags)]


def topic_id(topic: Topic) -> str:
    """The topic's id as :func:`topic_ids` gives it."""
    return ("k/" if topic.kind == "kategorie" else "t/") + topic.slug


def topic_names(site: Site) -> dict[str, str]:
    return {"t/" + slug: topic.name for slug, topic in site.tags.items()}


def remember_topics(extra: dict[str, object], site: Site) -> bool:
    """Keep the topic names in the build cache's ``extra`` for the next :func:`compare`;
    True if they differ from the last build's (the cache must then be saved)."""
    names = topic_names(site)
    changed = extra.get(_TOPICS) != names
    extra[_TOPICS] = names
    return changed


@dataclass(slots=True)
class Changes:
    """Which article pages may keep the key they were last written with."""

    keys: Mapping[str, tuple] | None
    """Output path → the last build's record (input key first; None: render again). None:
    a kept page's key is :data:`.outputs.KEEP`, which the publisher resolves against its
    records (looking each page's record up here cost a build of 100,000 articles seconds)."""
    changed: set[str]
    """Source paths of articles that are new or changed in any way (their own pages)."""
    stale: dict[str, datetime | None]
    """Topic → the oldest date of a change among its members (members of that date or
    older chose their related reports from unchanged ones); None: the topic was renamed."""
    days: set[tuple[int, int, int]] = field(default_factory=set)
    """The days (year, month, day) of those changes, before and after."""

    def periods_kept(self, periods: list[Period]) -> list[bool]:
        """Per period (years, months or days, in order): whether its page shows what it
        showed. A period changes with a report of its own, and so do its neighbours when
        it came or went (their links point past it)."""
        depth = len(periods[0].key) if periods else 0
        keys = [period.key for period in periods]
        kept = [self.keys is None] * len(periods)
        for day in self.days:
            at = bisect_left(keys, day[:depth])
            for i in range(at - 1, at + 2):
                if 0 <= i < len(kept) and (i != at + 1 or keys[at] == day[:depth]):
                    kept[i] = False
        return kept

    def topic_kept(self, topic: Topic) -> bool:
        """Whether every listing page of the topic shows what it showed: no member came,
        went or changed its teaser, and the name held."""
        return self.keys is None and topic_id(topic) not in self.stale

    def kept_key(self, article: Article, path: str) -> str | None:
        """The key the article's page was last written with, if its inputs are the same."""
        if article.source_path in self.changed:
            return None
        if self.keys is None:
            key: str | None = KEEP
        else:
            record = self.keys.get(path)
            key = None if record is None else record[0]
            if key is None:
                return None
        if not self.stale:
            return key
        for topic in topic_ids(article.category_slug, article.tag_slugs):
            if topic in self.stale:
                since = self.stale[topic]
                if since is None or since < article.date:
                    return None
        return key


def compare(before: Mapping[str, Fact], site: Site, extra: Mapping[str, object],
            keys: Mapping[str, tuple] | None = None) -> Changes:
    """Changes between the last build's facts (and topic names, kept in the build cache's
    ``extra`` by :func:`remember_topics`) and the site as read now."""
    names_before = extra.get(_TOPICS)
    changed: set[str] = set()
    stale: dict[str, datetime | None] = {}
    days: set[tuple[int, int, int]] = set()

    def touch(category: str, tags: tuple[str, ...], date: datetime) -> None:
        days.add((date.year, date.month, date.day))
        for topic in topic_ids(category, tags):
            since = stale.get(topic, date)
            stale[topic] = None if since is None else min(since, date)

    seen: set[str] = set()
    for article in site.articles:
        rel = article.source_path
        seen.add(rel)
        old = before.get(rel)
        shown_alike = old is not None and old[0] == article.teaser_key \
            and old[2] == article.category_slug and old[3] == article.tag_slugs
        if shown_alike and old[4:] == (article.sha, article.figure_key):
            continue
        changed.add(rel)
        if shown_alike:
            continue  # the body alone: other pages show nothing of it
        touch(article.category_slug, article.tag_slugs, article.date)
        if old is not None:
            touch(old[2], old[3], old[1])
    for rel in before.keys() - seen:
        old = before[rel]
        touch(old[2], old[3], old[1])
    # A renamed topic (its commonest spelling changed) shows on all its members' pages.
    for topic, name in topic_names(site).items():
        if not isinstance(names_before, dict) or names_before.get(topic) != name:
            stale[topic] = None
    return Changes(keys, changed, stale, days)
