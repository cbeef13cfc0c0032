"""Meldungen's settings: one typed, documented object built from ``pelicanconf.py``.

Pelican keeps its own keys; ours are the fields of :class:`Settings`. Validation collects
every problem before raising, and refuses keys that neither Pelican nor we know, with a
"did you mean" hint, because a misspelt setting otherwise fails silently.
"""

from __future__ import annotations

import ast
import difflib
import re
from dataclasses import dataclass, field, fields
from itertools import pairwise
from pathlib import Path
from typing import Any, get_origin, get_type_hints
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import markup
from .errors import ConfigError
from .slugs import reserved, slugify

# Keys that Pelican's own settings module does not list in DEFAULT_CONFIG but that
# Pelican or its themes read; accepting them keeps ordinary pelicanconf files valid.
_PELICAN_EXTRA_KEYS = frozenset(
    {
        "AUTHOR",
        "DEBUG",
        "EXTRA_TEMPLATES_PATHS",
        "PLUGIN_PATH",
        "FEED_DOMAIN",
        "TIMEZONE",
        "SITESUBTITLE",
        "LINKS",
        "SOCIAL",
        "MENUITEMS",
        "DEFAULT_DATE",
        "STATIC_CHECK_IF_MODIFIED",
        "WRITE_SELECTED",
        "FEED_ATOM",
        "FEED_RSS",
        "FEED_ALL_RSS",
        "CATEGORY_FEED_RSS",
        "TAG_FEED_ATOM",
        "TAG_FEED_RSS",
        "TRANSLATION_FEED_RSS",
        "AUTHOR_FEED_ATOM",
        "AUTHOR_FEED_RSS",
        "RELATIVE_URLS",
        "DISPLAY_PAGES_ON_MENU",
        "THEME_STATIC_DIR",
        "WITH_FUTURE_DATES",
        "PAGINATION_PATTERNS",
        "DEFAULT_PAGINATION",
        "SLUGIFY_SOURCE",
        "LOCALE",
        "PLUGINS",
        "PLUGIN_PATHS",
    }
)

# Tags whose content nh3 removes with them (allowing them makes nh3 abort), tags that run
# code, load other documents or submit data, and obsolete tags whose text is written out
# unescaped (markup._tidy relies on that): no article body may bring them in.
_NEVER_TAGS = frozenset({"script", "style", "iframe", "frame", "frameset", "object", "embed",
                         "applet", "base", "link", "meta", "form", "input", "button", "textarea",
                         "select", "svg", "math", "noscript", "template", "title", "xmp",
                         "plaintext", "noembed", "noframes"})
# Event handlers and inline styles would defeat the Content-Security-Policy; "rel" is set on
# every link by the sanitizer itself (nh3 refuses to do both).
_NEVER_ATTRIBUTES = re.compile(r"^(?:on.*|style|srcdoc|rel|formaction|xmlns.*)$")
_NAME = re.compile(r"^[a-z][a-z0-9-]*$")

_URL_FIELDS = {
    "ARTICLE_URL_PATTERN": {"year", "month", "day", "slug"},
    "CATEGORY_URL_PATTERN": {"slug"},
    "TAG_URL_PATTERN": {"slug"},
}


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything Meldungen reads from the configuration. Field docs are the documentation."""

    PATH: Path = Path("content")
    """Content folder: every ``*.md`` file below it is an article."""
    OUTPUT_PATH: Path = Path("output")
    """Where the site goes. It is replaced as a whole only after a successful build."""
    THEME: Path = Path("theme")
    """Theme folder with ``templates/`` and ``static/``."""
    BUILD_CACHE: str = ""
    """Build cache folder (content hashes, what each output was made from); empty means
    ``.cache`` beside the output folder. Keep it between CI runs for incremental builds."""
    WORKERS: int = 0
    """Processes that parse and render in parallel; 0 means one per CPU core."""
    SITENAME: str = "Meldungen"
    """Shown in the header, titles and feeds."""
    SITE_DESCRIPTION: str = "Nachrichtenarchiv"
    """One line under the site name and in meta descriptions of listing pages."""
    SITEURL: str = ""
    """Prefix of every link: empty for local preview, the public address when publishing."""
    PREVIEW_URL: str = "http://127.0.0.1:8000"
    """Absolute base for feed and sitemap URLs while SITEURL is empty (local preview)."""
    TIMEZONE: str = "Europe/Berlin"
    """Dates without an offset are read in this zone, and every date is shown in it."""
    CATEGORIES: tuple[str, ...] = (
        "Ausland",
        "Inland",
        "Politik",
        "Wirtschaft",
        "Börse",
        "Vermischtes",
        "Sport",
    )
    """Allowed categories, in menu order, written as readers see them (``Börse``); their URLs
    use slugs (``kategorie/boerse/``), and front matter may spell them either way. An article
    with another category is an error."""
    DEFAULT_SOURCE: str = "dts-nachrichtenagentur.de"
    """Source line for articles without a ``source:`` key."""
    RELATED_COUNT: int = 6
    """How many entries the "Weitere Meldungen" block shows."""
    PAGE_SIZE: int = 20
    """Articles per listing page (categories and topics)."""
    HOME_COUNT: int = 20
    """Newest articles on the home page."""
    FEED_COUNT: int = 30
    """Entries per Atom feed."""
    SITEMAP_MAX_URLS: int = 5_000
    """URLs per sitemap file (the protocol allows 50,000). Past it, ``sitemap.xml`` becomes an
    index of the reports by month and of the other pages, so that a new report rewrites its
    month's file, not one file of megabytes."""
    ARTICLE_URL_PATTERN: str = "{year}/{month}/{day}/{slug}/"
    """Article address; fields: year, month, day (zero-padded, local time), slug."""
    CATEGORY_URL_PATTERN: str = "kategorie/{slug}/"
    """Category listing address."""
    TAG_URL_PATTERN: str = "thema/{slug}/"
    """Topic (tag) listing address."""
    ARTICLE_FILE_PATTERN: str = "{year}/{month}/{slug}.md"
    """Where ``meldungen new`` and ``meldungen import`` put an article below PATH; fields as
    in ARTICLE_URL_PATTERN. The file's place never affects the URL."""
    SEARCH_TAIL_DOCS: int = 4
    """Search: newest articles kept in the tail segment, all of whose few shards each
    addition rewrites, before a build merges them into the recent segment."""
    SEARCH_RECENT_DOCS: int = 32
    """Search: articles the recent segment gathers, a tail at a time, before a build merges
    them into the middle segment (a multiple of SEARCH_TAIL_DOCS)."""
    SEARCH_MID_DOCS: int = 1024
    """Search: articles the middle segment gathers, a recent segment at a time, before a
    build merges them into the main segment (a multiple of SEARCH_RECENT_DOCS)."""
    SEARCH_SHARD_BYTES: int = 12_000
    """Search: target size of one term shard of the static index, in bytes before deflating,
    its positions file included (smaller: fewer bytes per query, more files)."""
    DEFAULT_IMAGE_CREDIT: str = "dts Nachrichtenagentur"
    """Who supplied a photo whose ``image:`` names no ``credit``: its credit line reads
    ``Foto: <caption>, via <credit>``."""
    IMAGE_WIDTHS: tuple[int, ...] = (480, 800, 1200, 1600)
    """Widths in pixels of the AVIF and WebP files made of every photo, for the browser to
    choose from; never wider than the source."""
    IMAGE_MAX_PIXELS: int = 50_000_000
    """Photos with more pixels than this are refused before they are decoded (a small file
    can unpack to gigabytes)."""
    HTML_ALLOWED_TAGS: tuple[str, ...] = tuple(sorted(markup.ALLOWED_TAGS))
    """Sanitizer (nh3) policy: HTML tags an article body may keep; any other tag is removed,
    its text kept (script and style with their content). Tags that run code, embed pages,
    submit forms or hold unescaped text are refused."""
    HTML_ALLOWED_ATTRIBUTES: dict[str, tuple[str, ...]] = field(default_factory=lambda: {
        tag: tuple(sorted(names)) for tag, names in sorted(markup.ALLOWED_ATTRIBUTES.items())})
    """Sanitizer policy: attributes kept per tag (``"*"``: on every tag). Links keep only
    http, https and mailto targets (others become their text) and get
    ``rel="noopener noreferrer"``; event handlers, ``style`` and ``align`` are refused. Table
    cells keep their alignment (Markdown's ``:-:``, or ``align``) as a class in any case:
    ``align-left``, ``align-center``, ``align-right``."""

    CMS: bool = field(default=False, repr=False)
    """Build the editing desk (Decap CMS) at ``/admin/``: a form for reports that commits to
    git; ``meldungen serve --cms`` sets it and starts the local editing proxy. Leave it off
    for the public site unless the newsroom edits there."""
    CMS_BACKEND: str = field(default="github", repr=False)
    """The editing desk's git host on a hosted site: github, gitlab, gitea or bitbucket (on
    127.0.0.1 it uses the local proxy of ``meldungen serve --cms`` instead)."""
    CMS_REPO: str = field(default="", repr=False)
    """The repository the hosted editing desk commits to, as ``owner/name``."""
    CMS_BRANCH: str = field(default="main", repr=False)
    """The branch published reports are merged into; unpublished ones wait on ``cms/…``
    branches (the editorial workflow)."""
    CMS_AUTH_URL: str = field(default="", repr=False)
    """Where the hosted editing desk signs editors in with the git host (an OAuth proxy's
    address, Decap's ``base_url``); empty: Netlify's."""
    NODE_MODULES: str = field(default="", repr=False)
    """Folder holding the npm packages the editing desk ships (decap-cms, js-yaml, marked);
    empty: Meldungen's own ``node_modules`` (``npm ci`` installs them)."""

    BUILD_NOW: str = field(default="", repr=False)
    """The build's clock: empty means the real time; a date like ``2026-12-07T06:00:00+01:00``
    builds the site as of then (``meldungen build --now``). Reports dated later are under
    embargo (Sperrfrist) and not published. Not part of the build cache's key: a build as
    of another time costs only what that time changes."""
    BUILD_VERIFY: bool = field(default=False, repr=False)
    """Look at every file of the output folder instead of trusting its stamp (``meldungen
    build --verify``): for an output folder changed by hand, or restored without the build
    cache that belongs to it. Not part of the build cache's key."""
    SHOW_DRAFTS: bool = False
    """Preview: drafts and embargoed reports are built too, marked (``meldungen serve
    --drafts`` sets it and builds into a folder of its own). Never for the publish build."""
    URL_GUARD: bool = field(default=True, repr=False)
    """Refuse a build in which a report URL or alias the last build published would no longer
    lead anywhere (changed date or headline, deleted file, dropped alias); False allows it."""
    DEPLOY_TARGET: str = field(default="", repr=False)
    """Where ``meldungen deploy`` uploads the output with rsync: an rsync daemon's module
    (``rsync://host:port/module/``), an SSH path (``user@host:/var/www/site/``) or a local
    folder; ``--target`` overrides it. Not part of the build cache's key."""

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.TIMEZONE)

    @property
    def absolute_base(self) -> str:
        return (self.SITEURL or self.PREVIEW_URL).rstrip("/")

    @classmethod
    def known_keys(cls) -> frozenset[str]:
        return frozenset(f.name for f in fields(cls))

    @classmethod
    def from_mapping(
        cls,
        values: dict[str, Any],
        source: str = "pelicanconf.py",
        pelican_keys: frozenset[str] | None = None,
    ) -> Settings:
        """Build and validate; raise :class:`ConfigError` listing every problem."""
        if pelican_keys is None:
            from pelican.settings import DEFAULT_CONFIG

            pelican_keys = frozenset(DEFAULT_CONFIG) | _PELICAN_EXTRA_KEYS
        ours = cls.known_keys()
        problems: list[str] = []
        for key in sorted(values):
            if key.isupper() and key not in ours and key not in pelican_keys:
                hint = difflib.get_close_matches(key, sorted(ours | pelican_keys), n=1)
                problems.append(
                    f"unknown setting {key}" + (f" (did you mean {hint[0]}?)" if hint else "")
                )
        hints = get_type_hints(cls)
        kwargs: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in values:
                continue
            value, error = _coerce(values[f.name], hints[f.name])
            if error:
                problems.append(f"{f.name}: {error}")
            else:
                kwargs[f.name] = value
        # Values of the wrong type fall back to defaults here, so that the value checks
        # still run and every problem is reported in one go.
        settings = cls(**kwargs)
        problems.extend(settings._check())
        if problems:
            raise ConfigError(problems, source)
        return settings

    def _check(self) -> list[str]:
        problems = []
        try:
            ZoneInfo(self.TIMEZONE)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(f"TIMEZONE: unknown time zone {self.TIMEZONE!r}")
        if self.WORKERS < 0:
            problems.append("WORKERS: must be 0 (one per core) or more")
        for name in ("RELATED_COUNT", "PAGE_SIZE", "HOME_COUNT", "FEED_COUNT", "SITEMAP_MAX_URLS",
                     "SEARCH_TAIL_DOCS", "SEARCH_RECENT_DOCS",
                     "SEARCH_MID_DOCS", "SEARCH_SHARD_BYTES"):
            if getattr(self, name) < 1:
                problems.append(f"{name}: must be at least 1")
        for outer, inner in (("SEARCH_MID_DOCS", "SEARCH_RECENT_DOCS"),
                             ("SEARCH_RECENT_DOCS", "SEARCH_TAIL_DOCS")):
            size, unit = getattr(self, outer), getattr(self, inner)
            if unit >= 1 and size % unit:
                problems.append(f"{outer}: must be a multiple of {inner} ({unit}), not {size}")
        if not self.IMAGE_WIDTHS or any(not 16 <= w <= 8192 for w in self.IMAGE_WIDTHS):
            problems.append("IMAGE_WIDTHS: name one or more widths from 16 to 8192 pixels")
        if self.IMAGE_MAX_PIXELS < 1_000_000:
            problems.append("IMAGE_MAX_PIXELS: must be at least 1000000 (a small photo)")
        if self.SITEMAP_MAX_URLS > 50_000:
            problems.append("SITEMAP_MAX_URLS: the sitemap protocol allows at most 50000")
        if not self.CATEGORIES:
            problems.append("CATEGORIES: name at least one category")
        by_slug: dict[str, str] = {}
        for name in self.CATEGORIES:
            if not slugify(name) or reserved(slugify(name)):
                problems.append(f"CATEGORIES: {name!r} gives no usable URL part "
                                f"({slugify(name)!r}); rename it")
            elif slugify(name) in by_slug:
                problems.append(f"CATEGORIES: {by_slug[slugify(name)]!r} and {name!r} are one "
                                f"category (both /{slugify(name)}/); keep one spelling")
            by_slug.setdefault(slugify(name), name)
        for name, allowed in _URL_FIELDS.items():
            pattern = getattr(self, name)
            used = set(re.findall(r"{(\w+)}", pattern))
            if "slug" not in used:
                problems.append(f"{name}: must contain {{slug}}")
            if used - allowed:
                problems.append(
                    f"{name}: unknown field(s) {sorted(used - allowed)}; allowed: {sorted(allowed)}"
                )
            if pattern.startswith("/") or not pattern.endswith("/") or ".." in pattern:
                problems.append(
                    f"{name}: must be relative and end with '/', like 'thema/{{slug}}/'"
                )
        file_fields = set(re.findall(r"{(\w+)}", self.ARTICLE_FILE_PATTERN))
        if ("slug" not in file_fields or file_fields - _URL_FIELDS["ARTICLE_URL_PATTERN"]
                or not self.ARTICLE_FILE_PATTERN.endswith(".md")
                or self.ARTICLE_FILE_PATTERN.startswith("/") or ".." in self.ARTICLE_FILE_PATTERN):
            problems.append("ARTICLE_FILE_PATTERN: must be relative, contain {slug}, end in .md "
                            "and use only year, month, day and slug")
        problems.extend(self._check_html_policy())
        if self.BUILD_NOW:
            from .frontmatter import parse_date  # frontmatter imports markup, as we do

            try:
                parse_date(self.BUILD_NOW, ZoneInfo("UTC"))
            except ValueError as exc:
                problems.append(f"BUILD_NOW: {exc}")
        if self.CMS_BACKEND not in ("github", "gitlab", "gitea", "bitbucket"):
            problems.append(f"CMS_BACKEND: {self.CMS_BACKEND!r} is not one of github, gitlab, "
                            "gitea, bitbucket")
        if self.CMS_REPO and not re.fullmatch(r"[\w.-]+(/[\w.-]+)+", self.CMS_REPO):
            problems.append(f"CMS_REPO: {self.CMS_REPO!r} is not owner/name")
        if not re.fullmatch(r"[\w./-]+", self.CMS_BRANCH) or ".." in self.CMS_BRANCH:
            problems.append(f"CMS_BRANCH: {self.CMS_BRANCH!r} is not a branch name")
        if self.CMS_AUTH_URL and not re.fullmatch(r"https?://[^\s\"'<>\\;]+", self.CMS_AUTH_URL):
            problems.append("CMS_AUTH_URL: must be empty or an http:// or https:// address")
        for name in ("SITEURL", "PREVIEW_URL"):
            url = getattr(self, name)
            # The whole value: it lands in robots.txt, sitemaps and feeds, whose readers would
            # take a line break or a quote in it for the start of something else.
            if url and not re.fullmatch(r"https?://[^\s/\"'<>\\]+(?:/[^\s\"'<>\\]*)?", url):
                problems.append(f"{name}: must be empty or an http:// or https:// address "
                                "without spaces, quotes or angle brackets")
        return problems


    def _check_html_policy(self) -> list[str]:
        problems = []
        tags = self.HTML_ALLOWED_TAGS
        bad = sorted(t for t in tags if not _NAME.match(t))
        if bad:
            problems.append(f"HTML_ALLOWED_TAGS: not lower-case tag names: {bad}")
        unsafe = sorted(_NEVER_TAGS.intersection(tags))
        if unsafe:
            problems.append(f"HTML_ALLOWED_TAGS: {unsafe} would let article bodies run code, "
                            "embed pages or forms, or write text unescaped; remove them")
        for tag, names in self.HTML_ALLOWED_ATTRIBUTES.items():
            if tag != "*" and tag not in tags:
                problems.append(f"HTML_ALLOWED_ATTRIBUTES: {tag!r} is not in HTML_ALLOWED_TAGS")
            refused = sorted(n for n in names if _NEVER_ATTRIBUTES.match(n) or not _NAME.match(n))
            if refused:
                problems.append(f"HTML_ALLOWED_ATTRIBUTES[{tag!r}]: {refused} refused (event "
                                "handlers, style, rel and odd names are never kept)")
            if "align" in names:
                problems.append(f"HTML_ALLOWED_ATTRIBUTES[{tag!r}]: 'align' is obsolete HTML; "
                                "remove it (table cells keep their alignment as a class anyway)")
        return problems


def _coerce(value: Any, hint: Any) -> tuple[Any, str | None]:
    """Convert a pelicanconf value to the field's type, or explain why not."""
    if hint is Path:
        return (Path(value), None) if isinstance(value, str | Path) else (None, "expected a path")
    if hint is bool:
        return (value, None) if isinstance(value, bool) else (None, "expected True or False")
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            return None, f"expected a whole number, got {value!r}"
        return value, None
    if hint is str:
        return (value, None) if isinstance(value, str) else (None, f"expected text, got {value!r}")
    if get_origin(hint) is dict:
        # Sorted, with sorted tuples: the settings' repr is part of the build cache's key.
        if isinstance(value, dict) and all(
                isinstance(k, str) and isinstance(v, list | tuple | set | frozenset)
                and all(isinstance(n, str) for n in v) for k, v in value.items()):
            return {k: tuple(sorted(v)) for k, v in sorted(value.items())}, None
        return None, 'expected a mapping like {"a": ["href", "title"]}'
    if hint == tuple[int, ...]:
        if isinstance(value, list | tuple) and all(
                isinstance(v, int) and not isinstance(v, bool) for v in value):
            return tuple(sorted(set(value))), None
        return None, "expected a list of whole numbers"
    if isinstance(value, list | tuple) and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(value), None
    return None, "expected a list of names"


def load(path: str | Path = "pelicanconf.py", overrides: dict[str, Any] | None = None) -> Settings:
    """Read a pelicanconf file through Pelican (so both tools agree) and validate our part."""
    from pelican.settings import read_settings

    raw = read_settings(str(path), override=overrides or {})
    return from_pelican(raw, source=str(path))


def from_pelican(raw: dict[str, Any], source: str = "pelicanconf.py") -> Settings:
    """Our settings from Pelican's resolved settings dict (its paths are already absolute)."""
    return Settings.from_mapping(raw, source=source)


def documentation() -> dict[str, str]:
    """Field name → the docstring under it; README's settings table is made from this."""
    tree = ast.parse(Path(__file__).read_text(encoding="utf-8"))
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Settings")
    docs = {}
    for field_node, doc in pairwise(cls.body):
        if (isinstance(field_node, ast.AnnAssign) and isinstance(field_node.target, ast.Name)
                and isinstance(doc, ast.Expr) and isinstance(doc.value, ast.Constant)):
            docs[field_node.target.id] = " ".join(str(doc.value.value).split())
    return docs
