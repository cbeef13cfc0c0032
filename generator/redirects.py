"""Moved and withdrawn reports for hosts that send real status codes.

Every alias also has a redirect page (:func:`.pages.redirect_pages`), which any static host
serves. Hosts that read a ``_redirects`` file (Netlify, Cloudflare Pages) or an nginx include
can answer with a real ``301`` for a move and ``410 Gone`` for a withdrawn report instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import ContentError, Problem
from .model import Site
from .pages import output_path
from .settings import Settings
from .urlguard import aliases_line

OTHER_FILES = ("feeds/", "search/", "weitere/", "theme/", "sitemap", "news-sitemap.xml",
               "robots.txt", "_redirects", "nginx-redirects.conf")
"""Outputs besides the pages (prefixes), which no alias may take either."""


def refuse_collisions(site: Site, pages: Iterable[tuple[str, str]], settings: Settings) -> None:
    """An alias whose address a page or another output of the site has is an error naming
    the report and what stands there. ``pages``: (path, template) of the pages that are no
    report's own (:func:`.pages.noting`); the reports' addresses come from the site."""
    taken = {path for path, _ in pages}
    articles = {output_path(a.url): a.source_path for a in site.articles}
    problems = []
    for article in site.articles:
        for alias in article.aliases:
            path = output_path(alias)
            if path in articles:
                continue  # a report's own URL: content.read_site reported it already
            if path in taken:
                why = f"is the address of the site's page {path}"
            elif path.startswith(OTHER_FILES) or alias.startswith(OTHER_FILES):
                why = "is where the site keeps its own files"
            else:
                continue
            line = aliases_line(Path(settings.PATH).resolve() / article.source_path)
            problems.append(Problem(article.source_path, line, f"alias /{alias} {why}"))
    if problems:
        raise ContentError(problems)


def files(site: Site, settings: Settings) -> Iterator[tuple[str, bytes]]:
    """``_redirects`` and ``nginx-redirects.conf``, sorted by address: always written, even
    empty, so a host's configuration can name them."""
    moved = sorted((alias, a.url) for a in site.articles for alias in a.aliases)
    gone = sorted(a.url for a in site.articles if a.withdrawn)
    prefix = _path_prefix(settings.SITEURL)
    # "!" makes Netlify answer even though a file (the redirect or withdrawn page) stands
    # at the address; Cloudflare Pages applies its rules before files anyway, and ignores 410.
    lines = ["# Meldungen: earlier URLs of moved reports (301) and withdrawn reports (410)."]
    lines += [f"{prefix}/{old} {prefix}/{new} 301!" for old, new in moved]
    lines += [f"{prefix}/{url} {prefix}/{url} 410!" for url in gone]
    yield "_redirects", ("\n".join(lines) + "\n").encode()
    conf = ["# Meldungen: include in nginx's http block; in the server block:",
            "#   if ($meldungen_moved) { return 301 $meldungen_moved; }",
            "#   if ($meldungen_gone) { return 410; }",
            # Long addresses overflow nginx's default buckets (64 bytes): it refuses to start.
            f"map_hash_bucket_size {_bucket([old for old, _ in moved] + gone, prefix)};",
            "map $uri $meldungen_moved {", "    default \"\";"]
    conf += [f"    {_quoted(f'{prefix}/{old}')} {_quoted(f'{prefix}/{new}')};"
             for old, new in moved]
    conf += ["}", "map $uri $meldungen_gone {", "    default 0;"]
    conf += [f"    {_quoted(f'{prefix}/{url}')} 1;" for url in gone]
    conf += ["}"]
    yield "nginx-redirects.conf", ("\n".join(conf) + "\n").encode()


def _bucket(urls: list[str], prefix: str) -> int:
    """The smallest power of two from 64 up that holds the longest key and nginx's overhead."""
    longest = max((len(f"{prefix}/{url}".encode()) for url in urls), default=0)
    size = 64
    while size < longest + 16:
        size *= 2
    return size


def _path_prefix(siteurl: str) -> str:
    """The path part of SITEURL (``https://x.github.io/meldungen`` → ``/meldungen``)."""
    rest = siteurl.split("://", 1)[-1]
    return ("/" + rest.split("/", 1)[1]).rstrip("/") if "/" in rest else ""


def _quoted(path: str) -> str:
    """An nginx string: quoted, so no character of an address ends the directive."""
    return '"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"'
