"""Weitere Meldungen: other reports on the same topics, chosen from an index by topic and date.

Two selections share one rule set:
- the static block of an article holds only reports published *before* it, so a newer report
  never changes an existing page;
- the per-topic feeds (``weitere/thema/usa.json``) hold the newest reports of each topic, from
  which a few lines of script refresh the block in the reader's browser.
Each topic's members are kept oldest first, so "older than X" is a bisection and "newest" is
reading from the end: no scan of the archive per article.
"""

from __future__ import annotations

import heapq
import json
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from functools import partial

from . import dates
from .images import variants
from .model import Article, Site, Topic


def _newest_first_before(members: list[int], before: int) -> Iterator[int]:
    """Members (archive indices, ascending) below ``before``, newest first."""
    end = bisect_left(members, before)
    return (members[i] for i in range(end - 1, -1, -1))


def _pick(
    candidates: Iterable[int],
    articles: list[Article],
    count: int,
    own_key: str | None,
    seen_keys: set[str],
    chosen: list[int],
) -> None:
    for index in candidates:
        if len(chosen) >= count:
            return
        key = articles[index].headline_key
        if key == own_key or key in seen_keys:
            continue
        seen_keys.add(key)
        chosen.append(index)


def static_related(site: Site, article: Article, count: int) -> list[int]:
    """Up to ``count`` reports older than ``article``: shared tags first, then its category.

    Among re-sends only the newest (as of the article's time) is listed, and reports with
    the article's own headline are left out.
    """
    # Archive index order equals (date, url) order; "older" means an earlier timestamp, so
    # reports sent in the same second as this one are not taken either.
    before = article.index
    while before > 0 and site.articles[before - 1].date >= article.date:
        before -= 1
    return select(site, article, count, before)


def current_related(site: Site, article: Article, count: int) -> list[int]:
    """What the refreshed block shows: the same rules over the whole archive."""
    return select(site, article, count, len(site.articles))


def select(site: Site, article: Article, count: int, before: int) -> list[int]:
    """The shared rule: tag matches newest first, then the category; archive index < before."""
    chosen: list[int] = []
    seen: set[str] = set()
    tags = [site.tags[t].articles for t in article.tag_slugs]
    category = site.categories[article.category_slug].articles
    for lists in (tags, [category]):
        if len(chosen) >= count:
            break
        mark = len(chosen)
        if not _pick_window(lists, before, site.articles, count, article.headline_key, seen,
                            chosen):
            # Rare: duplicate headlines used up the window. Go the long way from the mark.
            for index in chosen[mark:]:
                seen.discard(site.articles[index].headline_key)
            del chosen[mark:]
            merged = heapq.merge(*(_newest_first_before(m, before) for m in lists),
                                 key=lambda i: -i)
            _pick(_dedupe(merged), site.articles, count, article.headline_key, seen, chosen)
    return chosen


WINDOW = 16
"""Newest members per topic looked at first; enough unless many repeat a headline."""


def _pick_window(lists: list[list[int]], before: int, articles: list[Article], count: int,
                 own_key: str, seen: set[str], chosen: list[int]) -> bool:
    """:func:`_pick` over the merged newest ``WINDOW`` members below ``before`` of each list;
    False if that window could not decide (the caller then merges the whole lists).

    A heap merge of whole topic streams was most of an unchanged build at 100,000 articles;
    the newest few members of each decide almost every selection.
    """
    window: set[int] = set()
    floor = -1  # below this, a cut list may hold members the window lacks
    for members in lists:
        end = bisect_left(members, before)
        start = max(0, end - WINDOW)
        window.update(members[start:end])
        if start > 0:
            floor = max(floor, members[start])
    for index in sorted(window, reverse=True):
        if len(chosen) >= count:
            return True
        if index < floor:
            return False
        key = articles[index].headline_key
        if key == own_key or key in seen:
            continue
        seen.add(key)
        chosen.append(index)
    return len(chosen) >= count or floor < 0


def _dedupe(indices: Iterable[int]) -> Iterator[int]:
    """Merged topic streams repeat an article that has several of the tags."""
    last = None
    for index in indices:
        if index != last:
            yield index
        last = index


def topic_newest(site: Site, topic: Topic, count: int) -> list[int]:
    """The newest ``count`` distinct headlines of a topic, newest first.

    The per-topic file holds one more than the block shows, so that the browser still has
    ``RELATED_COUNT`` entries after leaving out the article's own headline.
    """
    chosen: list[int] = []
    _pick(
        _newest_first_before(topic.articles, len(site.articles)), site.articles, count, None,
        set(), chosen
    )
    return chosen


def entry(article: Article) -> dict:
    """One teaser as the browser script reads it (short keys: these files are fetched often);
    with a photo, its thumbnail's names (:meth:`.variants.Set.ref`)."""
    photo = {} if article.image is None else variants.thumb(article.image).ref()
    return photo | {
        "u": article.url,
        "t": article.title,
        "s": article.summary,
        "c": article.category,
        "d": dates.short(article.date),
        "ts": article.timestamp,
        "k": article.headline_key,
    }


def topic_file(topic: Topic) -> str:
    """``thema/usa/`` → ``weitere/thema/usa.json``."""
    return f"weitere/{topic.url.rstrip('/')}.json"


def topic_files(site: Site, count: int) -> Iterator[tuple[str, str, Callable[[], bytes]]]:
    """Each topic's newest ``count + 1`` distinct headlines as JSON: (path, key, make).

    The key is the teaser keys of the chosen reports (everything an entry shows), so an
    unchanged topic costs its selection, not the JSON.
    """
    for topic in [*site.categories.values(), *site.tags.values()]:
        newest = topic_newest(site, topic, count + 1)
        yield topic_file(topic), site.teaser_keys(newest), partial(_topic_json, site, newest)


def _topic_json(site: Site, newest: list[int]) -> bytes:
    data = {"entries": [entry(site.articles[i]) for i in newest]}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
