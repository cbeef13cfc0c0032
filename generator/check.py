"""``meldungen check``: everything a build would refuse, and a few things it would publish
wrongly, without building.

Checking some files still needs the whole archive: duplicate URLs, tag spellings and link
targets are questions about the archive, not about one file. Its other files come from the
build cache of the same settings where it holds them as they are (same size and mtime), and
are read and parsed only where it does not (no build yet, or changed since). Problems
are reported only for the files asked about, so a pre-commit hook never blames an editor for
someone else's old article.
"""

from __future__ import annotations

import difflib
import html
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from markdown_it import MarkdownIt

from . import cache, urlguard
from .archives import periods
from .content import build_topics, claim_urls, read_article
from .errors import Problem, shown
from .feeds import feed_path
from .frontmatter import decode, split, validate
from .images.sources import Source as PhotoSource
from .images.sources import resolve as check_photos
from .model import Article, Site
from .pages import Derived, all_pages
from .related import topic_file
from .settings import Settings
from .slugs import slugify
from .sources import find_sources, scan_sources

# Only links matter here, so no table or typographer rules; the link syntax is CommonMark's.
_md = MarkdownIt("commonmark", {"html": True})
_HTML_LINK = re.compile(r"""\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)


@dataclass(slots=True)
class _Target:
    """A file being checked whose front matter could be read: what the archive-wide checks
    need of it."""

    article: Article | None
    """None if the file has problems of its own; then only its tags and links are judged."""
    tags: tuple[str, ...]
    key_lines: dict[str, int]
    body: str
    body_line: int


@dataclass(slots=True)
class Result:
    problems: list[Problem] = field(default_factory=list)
    checked: int = 0
    """Number of files checked (not counting the rest of the archive read for context)."""
    warnings: list[Problem] = field(default_factory=list)
    """Published as it is, but worth a look (a photo too small to look sharp)."""


def run(settings: Settings, paths: Sequence[Path] = (), cwd: Path | None = None) -> Result:
    """Check ``paths`` (files or folders; none = the whole content folder)."""
    cwd = (cwd or Path.cwd()).resolve()
    root = Path(settings.PATH).resolve()

    def show(path: Path) -> str:
        return shown(path, cwd)

    result = Result()
    archive: list[Path] = []
    names: dict[Path, str] = {}
    cached: dict[Path, Article] = {}
    if root.is_dir():
        found_files, found = scan_sources(root)
        if not paths:
            result.problems += [Problem(show(root / p.path), p.line, p.message) for p in found]
        # Names by string: shown() for every file of 100,000 took half a minute.
        base = show(root)
        parsed = _parsed(settings, found_files)
        for rel, _, _ in found_files:
            path = root / rel
            archive.append(path)
            names[path] = rel if base == "." else f"{base}/{rel}"
            if rel in parsed:
                cached[path] = parsed[rel]
    elif not paths:
        result.problems.append(Problem(show(root), 0, "content folder does not exist"))

    def name_of(path: Path) -> str:
        return names.get(path) or show(path)

    targets = archive if not paths else _expand(paths, cwd, show, result.problems)
    wanted = {name_of(p) for p in targets}
    result.checked = len(wanted)

    articles: list[Article] = []
    photos: dict[str, PhotoSource] = {}
    checked: dict[str, _Target] = {}
    for path in dict.fromkeys(chain(archive, targets)):
        name = name_of(path)
        if name not in wanted and path in cached:  # the rest of the archive, as last built
            article = cached[path]
            article.source_path = name
            articles.append(article)
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            if name in wanted:
                result.problems.append(Problem(name, 0, f"cannot read: {exc.strerror}"))
            continue
        article, problems = read_article(name, data, settings)
        if name not in wanted:
            if article is not None:
                articles.append(article)
            continue
        result.problems += problems
        if article is not None:
            articles.append(article)
            _check_photos(name, path, article, root, settings, result, photos)
        target = _target(name, data, article, settings)
        if target is not None:
            checked[name] = target

    result.problems += _duplicate_urls(articles, checked, settings)
    result.problems += _tag_spellings(articles, checked)
    result.problems += _broken_links(articles, checked, settings)
    files = {name_of(path): path for path in chain(archive, targets)}
    result.problems += urlguard.for_check(settings, articles, files, show)
    result.problems.sort()
    return result


def _parsed(settings: Settings, files: list[tuple[str, int, int]]) -> dict[str, Article]:
    """The build cache's parsed articles of the files whose size and mtime are as the last
    build of these settings recorded them: the rest of the archive need not be read again."""
    state = cache.load(cache.location(settings))
    try:
        if state.parse_fingerprint != cache.code_fingerprint(settings, theme=False):
            return {}
        found = {}
        for rel, size, mtime_ns in files:
            known = state.sources.get(rel)
            if known is None or known.size != size or known.mtime_ns != mtime_ns:
                continue
            article = state.articles.get(rel)
            if article is not None and article.sha == known.sha:
                found[rel] = article
        return found
    finally:
        state.close()


def _check_photos(name: str, path: Path, article: Article, root: Path, settings: Settings,
                  result: Result, photos: dict[str, PhotoSource]) -> None:
    """The article's photo files, checked as the build checks them (read_article has only
    read what the article says of them). ``photos``: the files checked so far in this run,
    so an archive photo many reports share is read once."""
    if not article.photos or not path.is_relative_to(root):
        return
    placed = replace(article, source_path=path.relative_to(root).as_posix())
    checked = dict(photos)  # resolve() keeps only this article's files in what it is given
    found = check_photos([placed], root, settings.IMAGE_MAX_PIXELS, checked)
    photos.update(checked)
    result.problems += [Problem(name, p.line, p.message) for p in found]
    narrowest = min(settings.IMAGE_WIDTHS)
    lead = placed.image
    if lead is not None and 0 < lead.width < narrowest:
        result.warnings.append(Problem(name, lead.line, (
            f"photo {lead.file!r} is only {lead.width} pixels wide, narrower than the smallest "
            f"lead photo size ({narrowest}, IMAGE_WIDTHS): it will look blurred")))


def _target(name: str, data: bytes, article: Article | None,
            settings: Settings) -> _Target | None:
    text, _ = decode(name, data)
    parts = split(name, text)[0] if text is not None else None
    if parts is None:
        return None
    tags = article.tags if article is not None else validate(name, parts, settings.tz)[0].tags
    return _Target(article, tags, parts.key_lines, parts.body, parts.body_line)


def _expand(
    paths: Sequence[Path], cwd: Path, show: Callable[[Path], str], problems: list[Problem]
) -> list[Path]:
    found: list[Path] = []
    for given in paths:
        path = (cwd / given).resolve()
        if path.is_dir():
            inside, more = find_sources(path)
            found += inside
            problems += [Problem(show(path / p.path), p.line, p.message) for p in more]
        elif path.is_file():
            found.append(path)
        else:
            problems.append(Problem(show(path), 0, "no such file"))
    return found


def _line(target: _Target, *keys: str) -> int:
    return next((target.key_lines[k] for k in keys if k in target.key_lines), 1)


def _duplicate_urls(
    articles: list[Article], checked: dict[str, _Target], settings: Settings
) -> list[Problem]:
    """claim_urls decides, exactly as the build; its verdicts are moved onto checked files.

    One case the build accepts is still reported: a ``slug:`` line taking the URL of an
    article without one, which would silently move a published page to a new address.
    """
    first_url = {a.source_path: a.url for a in articles}
    groups: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        groups[article.url].append(article)
    found: list[tuple[Problem, str]] = []  # (problem, URL it is about)
    for problem in claim_urls(articles, settings):
        found.append((problem, first_url[problem.path]))
    for url, group in groups.items():
        keeper = next((a for a in group if a.url == url), None)
        if keeper is None or not keeper.pinned:
            continue
        for moved in group:
            if moved is not keeper and not moved.pinned:
                message = (f"URL /{url} is also claimed by {keeper.source_path} (with a 'slug:' "
                           f"line), so this published page would move to /{moved.url}")
                found.append((Problem(moved.source_path, 1, message), url))
    problems = []
    for problem, url in found:
        if problem.path in checked:
            line = _line(checked[problem.path], "slug", "title")
            problems.append(Problem(problem.path, line, problem.message))
            continue
        for other in groups[url]:
            if other.source_path != problem.path and other.source_path in checked:
                problems.append(Problem(other.source_path, _line(checked[other.source_path],
                                                                 "slug", "title"),
                                        f"URL /{url} is also claimed by {problem.path}"))
    return problems


def _tag_spellings(articles: list[Article], checked: dict[str, _Target]) -> list[Problem]:
    """Flag a tag whose topic the rest of the archive spells differently, more often."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for article in articles:
        for tag in article.tags:
            spellings[slugify(tag)][tag] += 1
    problems = []
    for name, target in checked.items():
        line = _line(target, "tags")
        seen: dict[str, str] = {}
        for tag in target.tags:
            key = slugify(tag)
            if not key:
                continue  # read_article reports it
            if key in seen:
                problems.append(Problem(name, line, f"tags {seen[key]!r} and {tag!r} are the "
                                        "same topic; keep one"))
                continue
            seen[key] = tag
            # A file with problems of its own is not among the articles counted.
            others = spellings[key] - Counter({tag: int(target.article is not None)})
            if not others:
                continue
            best, count = min(others.items(), key=lambda kv: (-kv[1], kv[0]))
            if best != tag and count > others[tag]:
                problems.append(Problem(name, line, f"tag {tag!r} is spelled {best!r} in {count} "
                                        f"other article{'s' if count != 1 else ''}; use that "
                                        "spelling"))
    return problems


def links(body: str, first_line: int) -> Iterator[tuple[int, str]]:
    """(file line, href) of every link in a Markdown body, raw HTML included (Markdown images
    are photos, checked as such by images.sources)."""
    for token in _md.parse(body):
        if not token.map:
            continue
        line = first_line + token.map[0]
        if token.type == "html_block":
            for match in _HTML_LINK.finditer(token.content):
                href = next(g for g in match.groups() if g is not None)
                yield line + token.content.count("\n", 0, match.start()), html.unescape(href)
        for child in token.children or ():
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "link_open":
                yield line, str(child.attrGet("href") or "")
            elif child.type == "html_inline":
                for match in _HTML_LINK.finditer(child.content):
                    href = next(g for g in match.groups() if g is not None)
                    yield line, html.unescape(href)


def site_files(articles: list[Article], settings: Settings) -> set[str]:
    """Every output path a build of these (URL-claimed) articles writes."""
    ordered = sorted(articles, key=lambda a: (a.date, a.url))
    for position, article in enumerate(ordered):
        article.index = position
    categories, tags = build_topics(ordered, settings)
    site = Site(ordered, categories, tags)
    derived = Derived(periods(ordered, 1), periods(ordered, 2), periods(ordered, 3))
    files = {page.path for page in all_pages(site, derived, settings)}
    files |= {feed_path(), *(feed_path(slug) for slug in categories), "sitemap.xml"}
    files |= {topic_file(t) for t in chain(categories.values(), tags.values())}
    static = Path(settings.THEME) / "static"
    files |= {f"theme/{p.relative_to(static).as_posix()}" for p in static.rglob("*") if p.is_file()}
    return files


def _site_path(href: str, page_url: str | None, settings: Settings) -> str | None:
    """The site-relative path an internal link points to, or None for external links (and
    for relative ones when the page has no URL)."""
    siteurl = settings.SITEURL.rstrip("/")
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        if not siteurl or not (href == siteurl or href.startswith(siteurl + "/")):
            return None
        path = urlsplit(href[len(siteurl):] or "/").path
    elif not parts.path:
        return None  # "#anchor" or "?query" on the same page
    elif page_url is None and not parts.path.startswith("/"):
        return None
    else:
        path = urljoin("/" + (page_url or ""), parts.path)
    prefix = urlsplit(siteurl).path
    if prefix and path.startswith(prefix + "/"):
        path = path[len(prefix):]
    return unquote(path).lstrip("/")


def _broken_links(
    articles: list[Article], checked: dict[str, _Target], settings: Settings
) -> list[Problem]:
    files: set[str] | None = None
    problems = []
    for name, target in checked.items():
        page_url = target.article.url if target.article is not None else None
        for line, href in links(target.body, target.body_line):
            path = _site_path(href, page_url, settings)
            if path is None:
                continue
            if files is None:  # only archives with internal links pay for the page list
                files = site_files(articles, settings)
            # "/x/" is x/index.html, and a server redirects "/x" to "/x/".
            page = f"{path}index.html" if path == "" or path.endswith("/") else f"{path}/index.html"
            if path in files or page in files:
                continue
            pages = ["/" + f.removesuffix("index.html") for f in files if f.endswith("index.html")]
            hint = difflib.get_close_matches("/" + path, pages, n=1, cutoff=0.8)
            message = f"broken internal link {href}: the site has no page /{path}"
            if hint:
                message += f" (did you mean {hint[0]}?)"
            problems.append(Problem(name, line, message))
    return problems
