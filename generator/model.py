"""The archive as plain data: articles and the listings derived from them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

from . import teasers
from .lifecycle import DEFAULT_NOTE, Life


class Photo(NamedTuple):
    """A photo a report shows: its lead photo or a figure in its body.

    A named tuple: the build cache loads it with every article. ``file`` is the source as
    written in the article; ``path`` (content-relative), ``sha`` and the size (after EXIF
    orientation) are filled in when the file has been found and read.
    """

    file: str
    alt: str
    caption: str = ""
    credit: str = ""
    focus: tuple[float, float] = (0.5, 0.5)
    line: int = 1
    """Line of the article that names it."""
    path: str = ""
    sha: str = ""
    width: int = 0
    height: int = 0

    @property
    def credit_line(self) -> str:
        """``Foto: Stephan Weil (Archiv), via dts Nachrichtenagentur``, as partners print it."""
        return f"Foto: {self.caption}, via {self.credit}" if self.caption else \
            f"Foto: {self.credit}"


@dataclass(slots=True)
class Article:
    """One report. ``url`` is site-relative without a leading slash (``2024/01/04/x/``)."""

    source_path: str
    title: str
    date: datetime
    category: str
    tags: tuple[str, ...]
    summary_text: str
    """The summary, unless :mod:`.teasers` holds it (read :attr:`summary`)."""
    source: str
    slug: str
    url: str
    body_line: int
    modified: datetime | None = None
    pinned: bool = False
    """The slug came from a ``slug:`` line and is never altered."""
    extra: dict[str, str] = field(default_factory=dict)
    category_slug: str = ""
    tag_slugs: tuple[str, ...] = ()
    index: int = -1
    """Position in the archive's date order (oldest = 0); set by :func:`content.read_site`."""
    sha: str = ""
    """Content hash of the source file: the article's identity for the build cache."""
    root: str = ""
    """Content folder the source path is relative to (bodies are read from there on demand)."""
    loaded: tuple[str, str] | None = None
    """Lead and body Markdown when parsed from bytes in hand; None reads them from the file.

    The build keeps no bodies in memory (a million articles' texts would not fit comfortably);
    a page that needs one reads its file again.
    """
    teaser_key: str = ""
    """Digest of what a teaser of this article shows; pages listing it are keyed by it."""
    image: Photo | None = None
    """The lead photo (front matter ``image:``)."""
    figures: tuple[Photo, ...] = ()
    """Photos in the body (``![alt](file "caption")``), in order."""

    @property
    def photos(self) -> tuple[Photo, ...]:
        return self.figures if self.image is None else (self.image, *self.figures)

    @property
    def figure_key(self) -> str:
        """What the body's figures show beyond its text: their sources' hashes."""
        return ",".join(photo.sha for photo in self.figures)
    life: Life | None = None
    """Draft, withdrawal, corrections, aliases (None: an ordinary report, the usual case)."""
    state: str = ""
    """As of the last build's clock: ``published``, ``withdrawn`` (both on the site),
    ``draft`` or ``embargoed`` (not on it); set by :func:`content.read_site`."""
    mark: str = ""
    """Preview only: ``Entwurf`` or ``Sperrfrist bis …`` shown on the page and its teasers."""
    teaser_at: int = -1
    """Where :mod:`.teasers` holds the summary while a build runs (-1: ``summary_text``)."""

    @property
    def summary(self) -> str:
        """The teaser text: the front matter's ``summary``, or the lead as plain text."""
        return self.summary_text if self.teaser_at < 0 else teasers.read(self.teaser_at)

    def __reduce__(self) -> tuple:
        # Pickled as the constructor's arguments: the dataclass default (a Python
        # __getstate__/__setstate__ pair walking fields()) made loading and saving the build
        # cache, 100,000 articles on every build, several times slower.
        return Article, values_of(self)

    def texts(self) -> tuple[str, str]:
        """(lead, body) Markdown."""
        if self.loaded is not None:
            return self.loaded
        from .content import read_texts  # content imports model; import here to avoid a cycle

        return read_texts(Path(self.root) / self.source_path)

    @property
    def lead_md(self) -> str:
        return self.texts()[0]

    @property
    def body_md(self) -> str:
        return self.texts()[1]

    def without_texts(self) -> Article:
        return replace(self, loaded=None)

    @property
    def withdrawn(self) -> bool:
        return self.state == "withdrawn"

    @property
    def corrections(self) -> tuple[tuple[datetime, str], ...]:
        return self.life.corrections if self.life else ()

    @property
    def aliases(self) -> tuple[str, ...]:
        return self.life.aliases if self.life else ()

    @property
    def withdrawn_note(self) -> str:
        return (self.life.note if self.life else "") or DEFAULT_NOTE

    @property
    def updated(self) -> datetime | None:
        """When it last changed for readers: ``modified`` or the newest correction, the later."""
        found = [d for d in (self.modified, *(c[0] for c in self.corrections)) if d is not None]
        return max(found) if found else None

    @property
    def headline_key(self) -> str:
        """What makes two reports "the same story": re-sends repeat the headline."""
        return _headline_key(self.title)

    @property
    def timestamp(self) -> int:
        return int(self.date.timestamp())


FIELDS = tuple(f.name for f in fields(Article))
"""An article's field names, in the constructor's order."""
fields_of = attrgetter(*FIELDS)
"""An article's field values in order, as one tuple (``Article(*values)`` makes it again):
in C, where a loop over fields() cost a second per 100,000 articles saved."""
_TEXT, _AT = map(FIELDS.index, ("summary_text", "teaser_at"))


def values_of(article: Article) -> tuple:
    """:func:`fields_of` with the summary in hand: what makes the article in another process
    or a later build."""
    values = fields_of(article)
    if article.teaser_at < 0:
        return values
    values = list(values)
    values[_TEXT], values[_AT] = article.summary, -1
    return tuple(values)


@dataclass(frozen=True, slots=True)
class Topic:
    """A category or a tag with its articles (archive indices, oldest first)."""

    kind: str  # "kategorie" or "thema"
    slug: str
    name: str
    url: str
    articles: tuple[int, ...]
    gaps: tuple[int, ...] = ()
    """Withdrawn members (archive indices): no listing shows them, but each keeps its place
    in the numbered pages, so that a withdrawal changes only the page that listed it."""

    @property
    def places(self) -> tuple[int, ...]:
        """What the listing pages are numbered by: the members and the gaps, oldest first."""
        return tuple(sorted(self.articles + self.gaps)) if self.gaps else self.articles


@dataclass(slots=True)
class Site:
    """Every article in date order (oldest first), plus topics by slug."""

    articles: list[Article]
    """Published and withdrawn reports: a withdrawn one keeps its place (and its page)."""
    categories: dict[str, Topic]
    tags: dict[str, Topic]
    pending: list[Article] = field(default_factory=list)
    """Drafts and embargoed reports, not on the site (in source path order)."""
    now: datetime | None = None
    """The build's clock, which decided what is published."""
    _shown: list[Article] | None = None

    @property
    def shown(self) -> list[Article]:
        """The reports listings, feeds and sitemaps show: all but withdrawn ones."""
        if self._shown is None:
            self._shown = [a for a in self.articles if a.state != "withdrawn"]
        return self._shown

    def teaser_keys(self, indices: Iterable[int]) -> str:
        """What teasers of these articles show, as one key: pages and files listing them
        are keyed by it."""
        return ",".join(map(_teaser_key, map(self.articles.__getitem__, indices)))


_teaser_key = attrgetter("teaser_key")
"""In C: the listings' keys join some 650,000 teaser keys on every build of 100,000 articles."""


@lru_cache(maxsize=1 << 17)  # asked for every candidate of every related-news selection
def _headline_key(title: str) -> str:
    return " ".join(title.casefold().split())
