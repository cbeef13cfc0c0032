"""sitemap.xml (split at SITEMAP_MAX_URLS, with an index when needed) and robots.txt."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from .settings import Settings

_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def files(urls: Iterable[str], settings: Settings) -> Iterator[tuple[str, bytes]]:
    """``urls`` are site-relative page URLs; they are sorted so output is deterministic."""
    base = settings.absolute_base
    ordered = sorted(set(urls))
    size = settings.SITEMAP_MAX_URLS
    chunks = [ordered[i : i + size] for i in range(0, len(ordered), size)] or [[]]

    def urlset(chunk: list[str]) -> bytes:
        rows = "".join(f"<url><loc>{escape(f'{base}/{u}')}</loc></url>\n" for u in chunk)
        return f"{_HEAD}<urlset {_NS}>\n{rows}</urlset>\n".encode()

    if len(chunks) == 1:
        yield "sitemap.xml", urlset(chunks[0])
        return
    names = [f"sitemap-{n}.xml" for n in range(1, len(chunks) + 1)]
    for name, chunk in zip(names, chunks, strict=True):
        yield name, urlset(chunk)
    rows = "".join(f"<sitemap><loc>{escape(f'{base}/{n}')}</loc></sitemap>\n" for n in names)
    yield "sitemap.xml", f"{_HEAD}<sitemapindex {_NS}>\n{rows}</sitemapindex>\n".encode()


def robots(settings: Settings) -> Iterator[tuple[str, bytes]]:
    """robots.txt: everything may be crawled but search result URLs, and where the sitemap is.

    ``/suche/`` itself stays crawlable (a useful landing page); ``/suche/?q=…`` would be an
    endless space of result pages, which search engines ask sites to keep out of their index.
    """
    prefix = urlsplit(settings.SITEURL).path.rstrip("/")
    text = (f"User-agent: *\nDisallow: {prefix}/suche/?\n\n"
            f"Sitemap: {settings.absolute_base}/sitemap.xml\n")
    yield "robots.txt", text.encode()
