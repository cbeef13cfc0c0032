"""sitemap.xml (split at SITEMAP_MAX_URLS, with an index when needed), the news sitemap
and robots.txt."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import timedelta
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from .model import Site
from .pages import Page
from .settings import Settings

_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def listed(site: Site, pages: Iterable[Page]) -> dict[str, str | None]:
    """The pages search engines should know, with a last modification for reports: not
    the 404 page, redirect pages or withdrawn reports (noindex). Reports are taken from the
    site, not from the pages (a page kept from the last build is not rendered anew)."""
    urls: dict[str, str | None] = {
        page.path.removesuffix("index.html"): None for page in pages
        if page.template not in ("404.html", "withdrawn.html", "redirect.html", "article.html")}
    for article in site.shown:
        urls[article.url] = (article.updated or article.date).isoformat()
    return urls


def files(urls: Iterable[str] | dict[str, str | None],
          settings: Settings) -> Iterator[tuple[str, bytes]]:
    """``urls`` are site-relative page URLs (with their last modification, if a mapping);
    they are sorted so output is deterministic."""
    base = settings.absolute_base
    dates = urls if isinstance(urls, dict) else dict.fromkeys(urls)
    ordered = sorted(dates)
    size = settings.SITEMAP_MAX_URLS
    chunks = [ordered[i : i + size] for i in range(0, len(ordered), size)] or [[]]

    def row(url: str) -> str:
        lastmod = f"<lastmod>{dates[url]}</lastmod>" if dates[url] else ""
        return f"<url><loc>{escape(f'{base}/{url}')}</loc>{lastmod}</url>\n"

    def urlset(chunk: list[str]) -> bytes:
        rows = "".join(map(row, chunk))
        return f"{_HEAD}<urlset {_NS}>\n{rows}</urlset>\n".encode()

    if len(chunks) == 1:
        yield "sitemap.xml", urlset(chunks[0])
        return
    names = [f"sitemap-{n}.xml" for n in range(1, len(chunks) + 1)]
    for name, chunk in zip(names, chunks, strict=True):
        yield name, urlset(chunk)
    rows = "".join(f"<sitemap><loc>{escape(f'{base}/{n}')}</loc></sitemap>\n" for n in names)
    yield "sitemap.xml", f"{_HEAD}<sitemapindex {_NS}>\n{rows}</sitemapindex>\n".encode()


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
