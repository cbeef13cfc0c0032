"""Atom feeds: the whole site and each category (feedgenerator does the XML escaping)."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial

from feedgenerator import Atom1Feed

from . import markup
from .model import Article, Site
from .publish import Publisher
from .settings import Settings


class _Atom(Atom1Feed):
    def latest_post_date(self) -> datetime:
        # feedgenerator stamps an empty feed with the current time; a fixed date keeps
        # builds byte-identical.
        return super().latest_post_date() if self.items else datetime(1970, 1, 1, tzinfo=UTC)

    def add_item_elements(self, handler, item) -> None:
        # feedgenerator writes every summary as type="html", so a reader would parse a summary
        # "<img onerror=…>" as markup. Ours is plain text: say so.
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


def _feed(title: str, link: str, feed_url: str, articles: list[Article],
          settings: Settings) -> bytes:
    base = settings.absolute_base
    feed = _Atom(title=title, link=f"{base}/{link}", feed_url=f"{base}/{feed_url}",
                 description=settings.SITE_DESCRIPTION, language="de",
                 author_name=settings.DEFAULT_SOURCE)  # RFC 4287 4.1.1: a feed names an author
    cleaner = markup.sanitizer(settings.HTML_ALLOWED_TAGS, settings.HTML_ALLOWED_ATTRIBUTES)
    for article in articles:
        lead, body = article.texts()
        feed.add_item(
            title=article.title, link=f"{base}/{article.url}", unique_id=f"{base}/{article.url}",
            author_name=article.source,
            description=article.summary, content=markup.to_html(f"{lead}\n\n{body}", cleaner),
            pubdate=article.date, updateddate=article.modified or article.date,
            categories=list(article.tags),
        )
    return feed.writeString("utf-8").encode("utf-8")


def feed_path(slug: str | None = None) -> str:
    return f"feeds/{slug or 'alle'}.atom.xml"


def offer(out: Publisher, site: Site, settings: Settings) -> None:
    """The site feed and one per category, each rebuilt only when one of its entries changed."""
    newest = site.articles[-settings.FEED_COUNT:][::-1]
    feeds = [(feed_path(), settings.SITENAME, "", newest)]
    for topic in site.categories.values():
        members = [site.articles[i] for i in topic.articles[-settings.FEED_COUNT:][::-1]]
        feeds.append((feed_path(topic.slug), f"{settings.SITENAME}: {topic.name}", topic.url,
                      members))
    for path, title, link, articles in feeds:
        key = ",".join(f"{a.sha}:{a.url}" for a in articles) + f"|{title}|{link}"
        out.offer(path, key, partial(_feed, title, link, path, articles, settings))
