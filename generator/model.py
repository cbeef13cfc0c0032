"""The archive as plain data: articles and the listings derived from them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(slots=True)
class Article:
    """One report. ``url`` is site-relative without a leading slash (``2024/01/04/x/``)."""

    source_path: str
    title: str
    date: datetime
    category: str
    tags: tuple[str, ...]
    summary: str
    source: str
    slug: str
    url: str
    lead_md: str
    body_md: str
    body_line: int
    modified: datetime | None = None
    pinned: bool = False
    """The slug came from a ``slug:`` line and is never altered."""
    extra: dict[str, str] = field(default_factory=dict)
    category_slug: str = ""
    tag_slugs: tuple[str, ...] = ()
    index: int = -1
    """Position in the archive's date order (oldest = 0); set by :func:`content.read_site`."""

    @property
    def headline_key(self) -> str:
        """What makes two reports "the same story": re-sends repeat the headline."""
        return " ".join(self.title.casefold().split())

    @property
    def timestamp(self) -> int:
        return int(self.date.timestamp())


@dataclass(frozen=True, slots=True)
class Topic:
    """A category or a tag with its articles (archive indices, oldest first)."""

    kind: str  # "kategorie" or "thema"
    slug: str
    name: str
    url: str
    articles: tuple[int, ...]


@dataclass(slots=True)
class Site:
    """Every article in date order (oldest first), plus topics by slug."""

    articles: list[Article]
    categories: dict[str, Topic]
    tags: dict[str, Topic]
