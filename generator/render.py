"""The Jinja environment: one template per page kind, rendering :class:`pages.Page` to bytes."""

from __future__ import annotations

import hashlib
from functools import lru_cache, partial
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from . import dates, markup, seo
from .images import refs, variants
from .model import Article, Site
from .numbers import counted
from .pages import Page
from .settings import Settings

TEASERS = 4096
"""Teasers kept rendered per process. Pages come in order (an article's neighbours, a listing's
run of reports), so a few thousand serve nearly every repeat, and the cache does not grow
with the archive."""


class Renderer:
    """A Jinja environment bound to one site; renders :class:`Page` values to bytes."""

    def __init__(self, settings: Settings, site: Site, cache: Path | None = None):
        self.settings = settings
        self.site = site
        self.assets = asset_versions(Path(settings.THEME) / "static")
        bytecode = None
        if cache is not None:
            # Compiling the templates costs more than rendering a small change; Jinja's cache
            # checks each template's source, so an edited template is compiled again.
            (cache / "jinja").mkdir(parents=True, exist_ok=True)
            bytecode = FileSystemBytecodeCache(str(cache / "jinja"))
        self.env = Environment(
            loader=FileSystemLoader(str(Path(settings.THEME) / "templates")),
            autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=StrictUndefined,
            bytecode_cache=bytecode,
        )
        cleaner = markup.sanitizer(settings.HTML_ALLOWED_TAGS, settings.HTML_ALLOWED_ATTRIBUTES)
        self.env.filters.update(full_date=dates.full, short_date=dates.short, counted=counted,
                                markdown=lambda text: Markup(markup.to_html(text, cleaner)))
        self.teaser = lru_cache(maxsize=TEASERS)(self._teaser)
        self.env.globals.update(
            SITENAME=settings.SITENAME, SITE_DESCRIPTION=settings.SITE_DESCRIPTION,
            SITEURL=settings.SITEURL, url=self.link, asset=self.asset,
            categories=list(site.categories.values()), month_year=dates.month_year,
            month_name=dates.month_name, day_long=dates.day_long, article=self.article_at,
            teaser=self.teaser, absolute=self.absolute, news_article=self.news_article,
            photo_full=partial(variants.full, wanted=settings.IMAGE_WIDTHS),
            photo_thumb=variants.thumb, photo_social=variants.social, body_html=self.body_html,
        )
        self._cleaner = cleaner
        macros = self.env.get_template("_macros.html").module
        self._teaser_macro, self._figure_macro = macros.teaser_item, macros.figure

    def link(self, url: str) -> str:
        return f"{self.settings.SITEURL}/{url}"

    def absolute(self, url: str) -> str:
        """Full address (Open Graph, JSON-LD): SITEURL, or PREVIEW_URL while it is empty."""
        return f"{self.settings.absolute_base}/{url}"

    def news_article(self, article: Article, section: str, keywords: list[str]) -> Markup:
        """JSON-LD of an article page, safe inside ``<script>``."""
        images = () if article.image is None else (
            self.absolute(v.path) for v in variants.social(article.image))
        return seo.json_script(seo.news_article(article, self.absolute(article.url), section,
                                                keywords, self.settings.SITENAME, images))

    def asset(self, name: str) -> str:
        return f"{self.settings.SITEURL}/theme/{name}?v={self.assets[name]}"

    def article_at(self, index: int) -> Article:
        return self.site.articles[index]

    def _teaser(self, index: int) -> Markup:
        """An article's teaser HTML (it appears on many pages: see :data:`TEASERS`)."""
        return Markup(self._teaser_macro(self.site.articles[index]))

    def body_html(self, article: Article, text: str) -> Markup:
        """A body's Markdown as safe HTML, its figures as pictures in their places."""
        return Markup(refs.render_body(text, article.figures,
                                       partial(markup.to_html, cleaner=self._cleaner),
                                       self._figure_macro))

    def render(self, page: Page) -> bytes:
        return self.env.get_template(page.template).render(page.context).encode("utf-8")


def asset_versions(static: Path) -> dict[str, str]:
    """A short content hash per theme file, appended as ``?v=`` so caches never go stale."""
    versions = {}
    for path in sorted(static.rglob("*")):
        if path.is_file():
            versions[path.relative_to(static).as_posix()] = (
                hashlib.sha256(path.read_bytes()).hexdigest()[:10])
    return versions
