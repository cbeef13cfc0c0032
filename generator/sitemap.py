"""sitemap.xml (split at SITEMAP_MAX_URLS, with an index when needed), the news sitemap
and robots.txt."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from functools import partial
from itertools import groupby
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from .model import Article, Site
from .settings import Settings

_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


Offer = tuple[str, str | None, Callable[[], bytes]]
"""(output path, key or None, maker): what :meth:`.publish.Publisher.offer` takes."""
_NOT_LISTED = "404.html"
"""The one template of the pages :func:`files` is given that search engines should not know."""


def files(site: Site, pages: Iterable[tuple[str, str]], settings: Settings) -> Iterator[Offer]:
    """The sitemap: one ``sitemap.xml`` while every URL fits into one file, else an index
    of the reports by month (``sitemap-2024-01.xml``, in parts when a month holds more than
    SITEMAP_MAX_URLS) and of the other pages (``sitemap-seiten-1.xml`` …).

    Search engines should know every page but the 404 page, redirect pages and withdrawn
    reports (noindex). ``pages``: (path, template) of the pages that are no report's own
    (:func:`.pages.noting`); reports come from the site, with their last change as
    ``lastmod``. By month, an added or changed report rewrites its month's file and the
    index, not every file after it in URL order (a deletion in 1990 once rewrote twenty
    files of a million reports').
    """
    others = sorted(path.removesuffix("index.html") for path, template in pages
                    if template != _NOT_LISTED)
    reports = site.shown
    size = settings.SITEMAP_MAX_URLS
    if len(others) + len(reports) <= size:
        yield "sitemap.xml", None, lambda: _single(reports, others, settings)
        return
    parts: list[tuple[str, str | None]] = []
    for month, group in groupby(reports, key=lambda a: (a.date.year, a.date.month)):
        members = list(group)
        for number, start in enumerate(range(0, len(members), size), start=1):
            chunk = members[start : start + size]
            name = f"sitemap-{month[0]:04d}-{month[1]:02d}{f'-{number}' if number > 1 else ''}.xml"
            lastmods = [_lastmod(a) for a in chunk]
            parts.append((name, max(lastmods)))
            key = _key(name, site.teaser_keys(a.index for a in chunk), *lastmods)
            yield name, key, partial(_urlset, [a.url for a in chunk], lastmods, settings)
    for number, start in enumerate(range(0, len(others), size), start=1):
        chunk = others[start : start + size]
        name = f"sitemap-seiten-{number}.xml"
        parts.append((name, None))
        yield name, _key(name, *chunk), partial(_urlset, chunk, [None] * len(chunk), settings)
    yield "sitemap.xml", None, lambda: _index(parts, settings)


def _lastmod(article: Article) -> str:
    return (article.updated or article.date).isoformat()


def _key(*parts: str) -> str:
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=16).hexdigest()


def _row(base: str, url: str, lastmod: str | None) -> str:
    stamp = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
    return f"<url><loc>{escape(f'{base}/{url}')}</loc>{stamp}</url>\n"


def _urlset(urls: list[str], lastmods: list[str | None], settings: Settings) -> bytes:
    base = settings.absolute_base
    rows = "".join(map(partial(_row, base), urls, lastmods))
    return f"{_HEAD}<urlset {_NS}>\n{rows}</urlset>\n".encode()


def _single(reports: list[Article], others: list[str], settings: Settings) -> bytes:
    dates: dict[str, str | None] = dict.fromkeys(others)
    dates.update((a.url, _lastmod(a)) for a in reports)
    ordered = sorted(dates)  # one file: in URL order, as it always was
    return _urlset(ordered, [dates[url] for url in ordered], settings)


def _index(parts: list[tuple[str, str | None]], settings: Settings) -> bytes:
    base = settings.absolute_base
    rows = "".join(f"<sitemap><loc>{escape(f'{base}/{name}')}</loc>"
                   + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "") + "</sitemap>\n"
                   for name, lastmod in parts)
    return f"{_HEAD}<sitemapindex {_NS}>\n{rows}</sitemapindex>\n".encode()


NEWS_HOURS = 48
NEWS_MAX = 1000
"""Google News reads reports of the last two days, at most 1,000 per sitemap."""
_NEWS_NS = 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'


def news(site: Site, settings: Settings) -> Iterator[tuple[str, bytes]]:
    """``news-sitemap.xml``: the reports of the last 48 hours before the build's clock,
    newest first, in Google News' format (empty, not missing, when there are none)."""
    base, now = settings.absolute_base, site.now
    since = now - timedelta(hours=NEWS_HOURS) if now is not None else None
    rows = []
    for article in reversed(site.shown):
        if since is None or article.date < since or len(rows) >= NEWS_MAX:
            break
        if article.date > now:
            continue  # the preview's embargoed reports
        rows.append(
            f"<url><loc>{escape(f'{base}/{article.url}')}</loc><news:news><news:publication>"
            f"<news:name>{escape(settings.SITENAME)}</news:name><news:language>de"
            f"</news:language></news:publication><news:publication_date>"
            f"{article.date.isoformat()}</news:publication_date><news:title>"
            f"{escape(article.title)}</news:title></news:news></url>\n")
    text = f"{_HEAD}<urlset {_NS} {_NEWS_NS}>\n{''.join(rows)}</urlset>\n"
    yield "news-sitemap.xml", text.encode()


def news_until(site: Site) -> datetime | None:
    """When :func:`news` would next list other reports with the content unchanged: as the
    oldest report it lists leaves the 48 hours (None: it lists none)."""
    if site.now is None:
        return None
    since, oldest, listed = site.now - timedelta(hours=NEWS_HOURS), None, 0
    for article in reversed(site.shown):
        if article.date < since or listed >= NEWS_MAX:
            break
        if article.date <= site.now:
            oldest, listed = article.date, listed + 1
    return None if oldest is None else oldest + timedelta(hours=NEWS_HOURS)


def robots(settings: Settings) -> Iterator[tuple[str, bytes]]:
    """robots.txt: everything may be crawled but search result URLs, and where the sitemap is.

    ``/suche/`` itself stays crawlable (a useful landing page); ``/suche/?q=…`` would be an
    endless space of result pages, which search engines ask sites to keep out of their index.
    """
    prefix = urlsplit(settings.SITEURL).path.rstrip("/")
    text = (f"User-agent: *\nDisallow: {prefix}/suche/?\n\n"
            f"Sitemap: {settings.absolute_base}/sitemap.xml\n"
            f"Sitemap: {settings.absolute_base}/news-sitemap.xml\n")
    yield "robots.txt", text.encode()
