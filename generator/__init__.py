"""Meldungen: a static, searchable news archive, built as a Pelican plugin.

The whole pipeline is :func:`build`: read → model → derive → render/write. Each step lives in
the module named for it; ``plugin.register()`` only hooks this into Pelican.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

__version__ = "0.1.0"


@dataclass(frozen=True, slots=True)
class BuildReport:
    articles: int
    files: int
    seconds: float


def build(settings: Settings) -> BuildReport:
    """Build the site described by ``settings`` into ``settings.OUTPUT_PATH``, all or nothing."""
    started = time.perf_counter()
    site = read_site(settings)  # read + model
    derived = Derived(
        periods(site.articles, 1), periods(site.articles, 2), periods(site.articles, 3)
    )  # derive
    renderer = Renderer(settings, site, derived)
    pages = [
        article_pages(site, settings),
        topic_pages(site.categories, "category.html", settings),
        topic_pages(site.tags, "tag.html", settings),
        period_pages(derived),
        overview_pages(site, derived, settings),
    ]
    with Staging(Path(settings.OUTPUT_PATH)) as out:  # render + write
        html_urls = []
        for page in (page for group in pages for page in group):
            out.write(page.path, renderer.render(page))
            html_urls.append(page.path.removesuffix("index.html"))
        out.write_all(topic_files(site, settings.RELATED_COUNT))
        out.write_all(feeds.files(site, settings))
        out.write_all(sitemap.files((u for u in html_urls if u != "404.html"), settings))
        out.copy_tree(Path(settings.THEME) / "static", "theme")
        count = len(out.written)
    return BuildReport(len(site.articles), count, time.perf_counter() - started)


# Imported after BuildReport so that ``from generator import build`` stays cheap to read.
from . import feeds, sitemap  # noqa: E402
from .archives import periods  # noqa: E402
from .content import read_site  # noqa: E402
from .publish import Staging  # noqa: E402
from .related import topic_files  # noqa: E402
from .render import Derived, Renderer, article_pages, overview_pages, period_pages, topic_pages  # noqa: E402
from .settings import Settings  # noqa: E402
