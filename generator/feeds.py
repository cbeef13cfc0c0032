"""Atom feeds: the whole site and each category (feedgenerator does the XML escaping)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from feedgenerator import Atom1Feed

from . import markup
from .model import Article, Site
from .settings import Settings


class _Atom(Atom1Feed):
    def latest_post_date(self) -> datetime:
        # feedgenerator stamps an empty feed with the current time; a fixed date keeps
        # builds byte-identical.
        return super().latest_post_date() if self.items else datetime(1970, 1, 1, tzinfo=UTC)


def _feed(
    title: str, link: str, feed_url: str, articles: list[Article], settings: Settings
) -> bytes:
    base = settings.absolute_base
    feed = _Atom(
        title=title,
        link=f"{base}/{link}",
        feed_url=f"{base}/{feed_url}",
        description=settings.SITE_DESCRIPTION,
        language="de",
    )
    for article in articles:
        body = markup.to_html("\n\n".join(p for p in (article.lead_md, article.body_md) if p))
        feed.add_item(
            title=article.title,
            link=f"{base}/{article.url}",
            unique_id=f"{base}/{article.url}",
            description=article.summary,
            content=body,
            pubdate=article.date,
            updateddate=article.modified or article.date,
            categories=list(article.tags),
        )
    return feed.writeString("utf-8").encode("utf-8")


def feed_path(slug: str | None = None) -> str:
    return f"feeds/{slug or 'alle'}.atom.xml"


def files(site: Site, settings: Settings) -> Iterator[tuple[str, bytes]]:
    newest = site.articles[-settings.FEED_COUNT :][::-1]
    yield feed_path(), _feed(settings.SITENAME, "", feed_path(), newest, settings)
    for topic in site.categories.values():
        members = [site.articles[i] for i in topic.articles[-settings.FEED_COUNT :][::-1]]
        yield (
            feed_path(topic.slug),
            _feed(
                f"{settings.SITENAME}: {topic.name}",
                topic.url,
                feed_path(topic.slug),
                members,
                settings,
            ),
        )
