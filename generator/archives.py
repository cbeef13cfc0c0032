"""Listings: date archives (year, month, day) and stable pagination of topics.

Topic pages are numbered from the oldest article, so adding a new article changes the front
page and at most two numbered pages, never all pages of a 10,000-article category.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from .model import Article


@dataclass(frozen=True, slots=True)
class ListingPage:
    """One page of a topic listing; ``items`` are archive indices, newest first."""

    url: str
    number: int | None
    """None for the front page (the newest articles); 1 for the oldest page."""
    items: tuple[int, ...]
    older_url: str | None
    newer_url: str | None


def page_url(base: str, number: int) -> str:
    return f"{base}seite/{number}/"


def page_count(members: int, size: int) -> int:
    """How many pages :func:`paginate` makes of so many members."""
    return max(members // size - 1, 0) + 1


def paginate(base: str, members: tuple[int, ...], size: int) -> list[ListingPage]:
    """Front page plus numbered pages of exactly ``size`` articles, counted from the oldest.

    The front page holds the newest complete page together with the articles that do not yet
    fill a page (``size`` to ``2*size-1`` of them), so no page is ever nearly empty.
    """
    numbered = page_count(len(members), size) - 1
    split = numbered * size
    front_older = page_url(base, numbered) if numbered else None
    pages = [ListingPage(base, None, tuple(reversed(members[split:])), front_older, None)]
    for number in range(1, numbered + 1):
        chunk = members[(number - 1) * size : number * size]
        newer = page_url(base, number + 1) if number < numbered else base
        older = page_url(base, number - 1) if number > 1 else None
        pages.append(
            ListingPage(page_url(base, number), number, tuple(reversed(chunk)), older, newer)
        )
    return pages


@dataclass(frozen=True, slots=True)
class Period:
    """A year, month or day with its articles (oldest first) and its neighbours."""

    key: tuple[int, ...]
    url: str
    items: tuple[int, ...]
    previous: Period | None = None
    next: Period | None = None


def period_url(key: tuple[int, ...]) -> str:
    return "".join(f"{part:02d}/" if i else f"{part:04d}/" for i, part in enumerate(key))


def periods(articles: list[Article], depth: int) -> list[Period]:
    """Group the (date-ordered) archive by year (1), month (2) or day (3)."""

    def key(article: Article) -> tuple[int, ...]:
        return (article.date.year, article.date.month, article.date.day)[:depth]

    groups = [(k, tuple(a.index for a in group)) for k, group in groupby(articles, key=key)]
    plain = [Period(k, period_url(k), items) for k, items in groups]
    linked = []
    for i, period in enumerate(plain):
        linked.append(
            Period(
                period.key,
                period.url,
                period.items,
                plain[i - 1] if i else None,
                plain[i + 1] if i + 1 < len(plain) else None,
            )
        )
    return linked


def children(finer: list[Period]) -> dict[tuple[int, ...], list[Period]]:
    """The months of each year or the days of each month, by the parent's key: one pass
    (asked per parent, it was years × months + months × days: 28 million comparisons for
    80 years of days)."""
    found: dict[tuple[int, ...], list[Period]] = {}
    for period in finer:
        found.setdefault(period.key[:-1], []).append(period)
    return found
