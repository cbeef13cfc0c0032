"""Turn the derived archive into pages: one template per page kind, one function per kind.

Each ``*_pages`` function yields :class:`Page` values (output path + template + context);
:class:`Renderer` turns them into bytes. Nothing here writes files.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from . import dates, markup
from .archives import Period, children, paginate
from .model import Article, Site, Topic
from .related import static_related, topic_file
from .settings import Settings


@dataclass(frozen=True, slots=True)
class Page:
    path: str
    """Output path relative to the output folder (``2024/01/04/x/index.html``)."""
    template: str
    context: dict[str, Any]


@dataclass(slots=True)
class Derived:
    """What the pipeline derives once and every page may read."""

    years: list[Period]
    months: list[Period]
    days: list[Period]


def output_path(url: str) -> str:
    return f"{url}index.html" if url.endswith("/") or not url else url


class Renderer:
    """A Jinja environment bound to one site; renders :class:`Page` values to bytes."""

    def __init__(self, settings: Settings, site: Site, derived: Derived):
        self.settings = settings
        self.site = site
        self.derived = derived
        self.assets = asset_versions(Path(settings.THEME) / "static")
        self.env = Environment(
            loader=FileSystemLoader(str(Path(settings.THEME) / "templates")),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=StrictUndefined,
            keep_trailing_newline=False,
        )
        self.env.filters.update(full_date=dates.full, short_date=dates.short)
        self.env.globals.update(
            SITENAME=settings.SITENAME,
            SITE_DESCRIPTION=settings.SITE_DESCRIPTION,
            SITEURL=settings.SITEURL,
            url=self.link,
            asset=self.asset,
            categories=[site.categories[c] for c in site.categories],
            month_year=dates.month_year,
            month_name=dates.month_name,
            day_long=dates.day_long,
            article=self.article_at,
        )

    def link(self, url: str) -> str:
        return f"{self.settings.SITEURL}/{url}"

    def asset(self, name: str) -> str:
        return f"{self.settings.SITEURL}/theme/{name}?v={self.assets[name]}"

    def article_at(self, index: int) -> Article:
        return self.site.articles[index]

    def render(self, page: Page) -> bytes:
        html = self.env.get_template(page.template).render(page.context)
        return html.encode("utf-8")


def asset_versions(static: Path) -> dict[str, str]:
    """A short content hash per theme file, appended as ``?v=`` so caches never go stale."""
    versions = {}
    for path in sorted(static.rglob("*")):
        if path.is_file():
            versions[path.relative_to(static).as_posix()] = hashlib.sha256(
                path.read_bytes()
            ).hexdigest()[:10]
    return versions


def article_pages(site: Site, settings: Settings) -> Iterator[Page]:
    for article in site.articles:
        yield article_page(site, article, settings)


def article_page(site: Site, article: Article, settings: Settings) -> Page:
    related = static_related(site, article, settings.RELATED_COUNT)
    topics = [site.tags[t] for t in article.tag_slugs]
    return Page(
        output_path(article.url),
        "article.html",
        {
            "a": article,
            "tag_topics": topics,
            "lead_html": markup.to_html(article.lead_md),
            "body_html": markup.to_html(article.body_md),
            "related": related,
            "related_count": settings.RELATED_COUNT,
            "category": site.categories[article.category_slug],
            "refresh_sources": [topic_file(t) for t in topics],
            "refresh_category": topic_file(site.categories[article.category_slug]),
        },
    )


def topic_pages(topics: dict[str, Topic], template: str, settings: Settings) -> Iterator[Page]:
    """Category (``category.html``) or tag (``tag.html``) listings, paginated stably."""
    for topic in topics.values():
        pages = paginate(topic.url, topic.articles, settings.PAGE_SIZE)
        for listing in pages:
            yield Page(
                output_path(listing.url),
                template,
                {"topic": topic, "listing": listing, "page_count": len(pages)},
            )


def overview_pages(site: Site, derived: Derived, settings: Settings) -> Iterator[Page]:
    newest = [a.index for a in reversed(site.articles[-settings.HOME_COUNT :])]
    yield Page("index.html", "index.html", {"newest": newest, "years": derived.years})
    yield Page("kategorien/index.html", "categories.html", {})
    tags = sorted(site.tags.values(), key=lambda t: (t.name.casefold(), t.slug))
    yield Page("themen/index.html", "tags.html", {"tags": tags})
    yield Page(
        "archiv/index.html", "archive.html", {"years": derived.years, "months": derived.months}
    )
    yield Page("404.html", "404.html", {"newest": newest[:5]})


def period_pages(derived: Derived) -> Iterator[Page]:
    for year in derived.years:
        yield Page(
            output_path(year.url),
            "year.html",
            {"period": year, "months": children(year, derived.months)},
        )
    for month in derived.months:
        yield Page(
            output_path(month.url),
            "month.html",
            {"period": month, "days": children(month, derived.days)},
        )
    for day in derived.days:
        yield Page(output_path(day.url), "day.html", {"period": day})
