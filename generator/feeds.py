"""Atom feeds: the whole site and each category (feedgenerator does the XML escaping)."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from html import escape

from feedgenerator import Atom1Feed

from . import markup
from .dates import correction_line
from .images import refs, variants
from .model import Article, Photo, Site
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
    show = partial(_photo, base=base, widths=settings.IMAGE_WIDTHS)
    for article in articles:
        lead, body = article.texts()
        html = refs.render_body(f"{lead}\n\n{body}", article.figures,
                                partial(markup.to_html, cleaner=cleaner), show)
        feed.add_item(
            title=article.title, link=f"{base}/{article.url}", unique_id=f"{base}/{article.url}",
            author_name=article.source,
            description=article.summary,
            content=(show(article.image) if article.image else "") + html
            + corrections_html(article),
            pubdate=article.date, updateddate=article.updated or article.date,
            categories=list(article.tags),
        )
    return feed.writeString("utf-8").encode("utf-8")


def _photo(photo: Photo, base: str, widths: tuple[int, ...]) -> str:
    """A photo in a feed entry: the JPEG every reader shows, and its credit line."""
    jpg = variants.full(photo, widths).jpg
    return (f'<figure><img src="{escape(f"{base}/{jpg.path}")}" alt="{escape(photo.alt)}" '
            f'width="{jpg.width}" height="{jpg.height}">'
            f"<figcaption>{escape(photo.credit_line)}</figcaption></figure>")


def corrections_html(article: Article) -> str:
    """The corrections as the article page shows them, newest last (escaped plain text)."""
    return "".join(f'<p class="correction">{escape(correction_line(when, text))}</p>'
                   for when, text in article.corrections)


def feed_path(slug: str | None = None) -> str:
    return f"feeds/{slug or 'alle'}.atom.xml"


def offer(out: Publisher, site: Site, settings: Settings) -> None:
    """The site feed and one per category, each rebuilt only when one of its entries changed."""
    newest = site.shown[-settings.FEED_COUNT:][::-1]
    feeds = [(feed_path(), settings.SITENAME, "", newest)]
    for topic in site.categories.values():
        members = [site.articles[i] for i in topic.articles[-settings.FEED_COUNT:][::-1]]
        feeds.append((feed_path(topic.slug), f"{settings.SITENAME}: {topic.name}", topic.url,
                      members))
    for path, title, link, articles in feeds:
        key = ",".join(f"{a.sha}:{a.url}:{a.teaser_key}:{a.figure_key}" for a in articles) \
            + f"|{title}|{link}"
        out.offer(path, key, partial(_feed, title, link, path, articles, settings))
