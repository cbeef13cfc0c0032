"""What the search sees of an article, and the scoring both engines share.

Two scored fields: ``title`` (the headline) and ``body`` (teaser, lead, body text, tags and
category: what a reader searches for). Navigation and the Weitere Meldungen block are
page furniture and never get here, because only the article's own data is read.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from .. import markup
from ..model import Article
from ..settings import Settings

TEASER_CHARS = 240
# Scoring parameters, written into the manifest so the browser scores as whoosh does.
K1 = 1.2
B_BODY = 0.75
"""Title length is not normalized (B = 0): headlines are all short."""
BOOST_TITLE = 3.0
BOOST_PART = 0.3
"""A compound-part match (``Raketen`` in ``Kurzstreckenraketen``) weighs less than the word."""
BOOST_PREFIX = 0.5
BOOST_SURFACE = 0.5
"""The word as typed where it is another word's stem: a near form, weighed as a completion."""
BOOST_FUZZY = 0.25
"""A typo's correction (``Bundestagg`` → ``bundestag``) weighs below an exact match."""
PREFIX_MIN = 3
"""The last query word matches as a prefix once it has this many letters (folded)."""
PREFIX_MAX = 20
"""At most this many completions of a prefix (common words), the commonest first."""
PARTIAL_BELOW = 10
"""When fewer reports than this (one page) hold every word of a query of several words and
no phrase, the reports holding some of them follow, the fewest missing first."""


@dataclass(frozen=True, slots=True)
class SearchDoc:
    num: int
    """Archive position (date order, oldest 0): filters and "newest" need nothing else."""
    url: str
    title: str
    body: str
    category: str
    day: int
    """Local publication day as ``YYYYMMDD``."""
    date: str
    teaser: str


def doc_of(article: Article, settings: Settings) -> SearchDoc:
    day, date = local_day(article, settings)
    return SearchDoc(num=article.index, url=article.url, title=article.title,
                     body=body_text(article), category=article.category, day=day, date=date,
                     teaser=teaser(article))


def body_text(article: Article, plain: tuple[str, str] | None = None) -> str:
    """The body field: teaser, lead (unless the teaser is the lead), body, tags, category.
    ``plain``: :func:`plain_texts` of the article, if the caller has it."""
    lead, body = plain or plain_texts(article)
    parts = [article.summary]
    if lead != article.summary:
        parts.append(lead)
    parts += [body, *(text for _, text in article.corrections),
              " ".join(article.tags), article.category]
    return "\n".join(p for p in parts if p)


def plain_texts(article: Article) -> tuple[str, str]:
    """(lead, body) as plain text: one read of the file, not one per property."""
    lead_md, body_md = article.texts()
    return markup.to_plain(lead_md), markup.to_plain(body_md)


def teaser(article: Article) -> str:
    text = article.summary
    if len(text) > TEASER_CHARS:
        text = text[:TEASER_CHARS].rsplit(" ", 1)[0] + " …"
    return text


def local_day(article: Article, settings: Settings) -> tuple[int, str]:
    """(``YYYYMMDD``, ISO date) of the article in the site's time zone."""
    local = article.date.astimezone(settings.tz)
    return local.year * 10000 + local.month * 100 + local.day, local.date().isoformat()


def fingerprint(article: Article) -> bytes:
    """What the index of an article depends on, hashed; cheap: the source file's hash when
    the reader recorded one, so no body is read or rendered."""
    source = getattr(article, "sha", "") or "\x02".join([article.lead_md, article.body_md])
    fields = [article.url, article.title, article.summary, source, article.category,
              "\x01".join(article.tags), article.date.isoformat()]
    return hashlib.sha1("\x00".join(fields).encode()).digest()
