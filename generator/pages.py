"""Which pages the site has, what each shows, and a key for what it was made from.

One function per page kind yields :class:`Page` values. A page's ``key`` digests everything
its template shows (the teaser keys of listed articles, neighbours' URLs, counts, names), so
an unchanged key means unchanged HTML and the page is not rendered again. ``key=None``
marks cheap pages that are always rendered and compared byte for byte instead. Keys must
follow the templates: the property test (incremental build == clean build) guards that.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from .archives import ListingPage, Period, children, page_count, paginate
from .changes import Changes
from .model import Article, Site, Topic
from .outputs import KEEP
from .related import static_related, topic_file
from .settings import Settings


@dataclass(frozen=True, slots=True)
class Page:
    path: str
    """Output path relative to the output folder (``2024/01/04/x/index.html``)."""
    template: str
    context: dict[str, Any]
    key: str | None = None
    later: Callable[[], Page] | None = None
    """Set on a page kept from the last build (``context`` empty, ``key`` the old one): makes
    the full page, for when its file has to be written after all (it went missing)."""


@dataclass(slots=True)
class Derived:
    """What the pipeline derives once and every page may read."""

    years: list[Period]
    months: list[Period]
    days: list[Period]


def output_path(url: str) -> str:
    return f"{url}index.html" if url.endswith("/") or not url else url


def key(*parts: object) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(str(part).encode())
        digest.update(b"\0")
    return digest.hexdigest()


def article_pages(site: Site, settings: Settings, changes: Changes | None = None
                  ) -> Iterator[Page]:
    for article in site.articles:
        path = output_path(article.url)
        kept = changes.kept_key(article, path) if changes is not None else None
        if kept is None:
            yield article_page(site, article, settings)
        else:
            template = "withdrawn.html" if article.withdrawn else "article.html"
            yield Page(path, template, {}, kept, partial(article_page, site, article, settings))


def article_page(site: Site, article: Article, settings: Settings) -> Page:
    if article.withdrawn:
        # Nothing of the report: not its headline, teaser, tags or related reports.
        return Page(output_path(article.url), "withdrawn.html", {
            "address": article.url, "date": article.date, "note": article.withdrawn_note,
        }, key("withdrawn", article.url, article.date.isoformat(), article.withdrawn_note))
    related = static_related(site, article, settings.RELATED_COUNT)
    topics = [site.tags[t] for t in article.tag_slugs]
    category = site.categories[article.category_slug]
    return Page(output_path(article.url), "article.html", {
        "a": article, "tag_topics": topics, "category": category, "related": related,
        "related_count": settings.RELATED_COUNT,
        "refresh_sources": [topic_file(t) for t in topics],
        "refresh_category": topic_file(category),
    }, key("article", article.sha, article.url, article.teaser_key, article.figure_key,
           [(t.name, t.url) for t in topics], category.url, site.teaser_keys(related)))


def topic_pages(site: Site, topics: dict[str, Topic], template: str,
                settings: Settings, changes: Changes | None = None) -> Iterator[Page]:
    """Category (``category.html``) or tag (``tag.html``) listings, paginated stably; with
    ``changes``, a topic none of whose members changed keeps its pages' last keys."""
    for topic in topics.values():
        pages = paginate(topic.url, topic.places, settings.PAGE_SIZE)
        if changes is not None and changes.topic_kept(topic):
            for listing in pages:
                yield Page(output_path(listing.url), template, {}, KEEP,
                           partial(listing_page, site, topic, listing, template))
            continue
        for listing in pages:
            yield listing_page(site, topic, listing, template)


def listing_page(site: Site, topic: Topic, listing: ListingPage, template: str) -> Page:
    if topic.gaps:  # a withdrawn report's place stays, empty
        listing = replace(listing, items=tuple(i for i in listing.items
                                               if not site.articles[i].withdrawn))
    # Only the front page shows the topic's size, so older pages stay untouched.
    size = len(topic.articles) if listing.number is None else None
    return Page(output_path(listing.url), template, {"topic": topic, "listing": listing},
                key(template, topic.name, topic.slug, size, listing,
                    site.teaser_keys(listing.items)))


DAY_HEADLINES = 10
"""Headlines a month page shows of each day (the newest); the day page shows them all."""


def period_pages(site: Site, derived: Derived, changes: Changes | None = None
                 ) -> Iterator[Page]:
    """Year, month and day pages; with ``changes``, a period that shows what it showed keeps
    its page's last key."""
    months_of, days_of = children(derived.months), children(derived.days)
    for periods, template, make in (
            (derived.years, "year.html", partial(year_page, months_of)),
            (derived.months, "month.html", partial(month_page, site, days_of)),
            (derived.days, "day.html", partial(day_page, site))):
        kept = [False] * len(periods) if changes is None else changes.periods_kept(periods)
        for period, same in zip(periods, kept, strict=True):
            yield Page(output_path(period.url), template, {}, KEEP, partial(make, period)) \
                if same else make(period)


def _nav(period: Period) -> tuple:
    return (period.previous.url if period.previous else None,
            period.next.url if period.next else None)


def year_page(months_of: dict[tuple[int, ...], list[Period]], year: Period) -> Page:
    months = months_of.get(year.key, [])
    return Page(output_path(year.url), "year.html", {"period": year, "months": months},
                key("year", year.url, len(year.items), _nav(year),
                    [(m.url, len(m.items)) for m in months]))


def month_page(site: Site, days_of: dict[tuple[int, ...], list[Period]], month: Period
               ) -> Page:
    days = days_of.get(month.key, [])
    # Each day's newest headlines, not all: an agency's month holds thousands.
    heads = [day.items[-DAY_HEADLINES:] for day in days]
    return Page(output_path(month.url), "month.html",
                {"period": month, "days": list(zip(days, heads, strict=True))},
                key("month", month.url, _nav(month), len(month.items),
                    [(d.url, len(d.items)) for d in days],
                    site.teaser_keys(i for shown in heads for i in shown)))


def day_page(site: Site, day: Period) -> Page:
    return Page(output_path(day.url), "day.html", {"period": day},
                key("day", day.url, _nav(day), site.teaser_keys(day.items)))


OVERVIEWS = 6
"""Pages :func:`overview_pages` yields."""


def overview_pages(site: Site, derived: Derived, settings: Settings) -> Iterator[Page]:
    """Few pages about everything. They show no counts and the 404 page no newest reports,
    so an added article rewrites only the home page (always rendered, written if changed)
    and, in a new month, the archive index; the others render only when their key moves."""
    newest = [a.index for a in reversed(site.shown[-settings.HOME_COUNT:])]
    yield Page("index.html", "index.html", {"newest": newest, "years": derived.years})
    yield Page("kategorien/index.html", "categories.html", {}, key("categories"))
    tags = sorted(site.tags.values(), key=lambda t: (t.name.casefold(), t.slug))
    yield Page("themen/index.html", "tags.html", {"tags": tags},
               key("tags", [(t.name, t.url) for t in tags]))
    yield Page("suche/index.html", "search.html", {}, key("search"))
    yield Page("archiv/index.html", "archive.html",
               {"years": derived.years, "months": derived.months},
               key("archive", [(y.key, y.url) for y in derived.years],
                   [(m.key, m.url) for m in derived.months]))
    yield Page("404.html", "404.html", {}, key("404"))


def all_pages(site: Site, derived: Derived, settings: Settings,
              changes: Changes | None = None) -> Iterator[Page]:
    """Every HTML page of the site, in a fixed order; ``changes`` lets unaffected article
    pages keep their last key without choosing their related reports again, and listing
    and date pages that show what they showed keep theirs without a key of every teaser."""
    yield from article_pages(site, settings, changes)
    yield from topic_pages(site, site.categories, "category.html", settings, changes)
    yield from topic_pages(site, site.tags, "tag.html", settings, changes)
    yield from period_pages(site, derived, changes)
    yield from overview_pages(site, derived, settings)
    yield from redirect_pages(site)


def count(site: Site, derived: Derived, settings: Settings) -> int:
    """How many pages :func:`all_pages` yields, counted without making them."""
    listings = sum(page_count(len(topic.places), settings.PAGE_SIZE)
                   for topics in (site.categories, site.tags) for topic in topics.values())
    periods = len(derived.years) + len(derived.months) + len(derived.days)
    aliases = sum(len(article.aliases) for article in site.articles)
    return len(site.articles) + listings + periods + OVERVIEWS + aliases


OWN_TEMPLATES = ("article.html", "withdrawn.html", "redirect.html")
"""The templates of the pages a report has for itself (its own and its aliases')."""


def noting(pages: Iterable[Page], into: list[tuple[str, str]]) -> Iterator[Page]:
    """``pages`` as they pass, noting into ``into`` the path and template of each page that is
    no report's own: the sitemap and the alias check need those, and take the reports' from
    the site. The pages themselves are not kept: their list grew with the archive."""
    for page in pages:
        if page.template not in OWN_TEMPLATES:
            into.append((page.path, page.template))
        yield page


def redirect_pages(site: Site) -> Iterator[Page]:
    """A page at each alias (an earlier URL) that sends the reader on to the report."""
    for article in site.articles:
        for alias in article.aliases:
            yield Page(output_path(alias), "redirect.html", {"target": article.url},
                       key("redirect", alias, article.url))
