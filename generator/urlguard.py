"""Published URLs never break silently: aliases are checked, and the URLs the last build
published are held to.

Other sites cite a report's address for decades. The build cache remembers every report URL
and alias the last build published (``State.published``); a build in which one of them would
no longer lead anywhere (a changed date or headline without a pinned ``slug:``, a deleted
file, a report turned back into a draft, a dropped alias) fails and says what to do instead.
``URL_GUARD = False`` switches this off for archives that do not care.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from . import cache
from .errors import Problem
from .frontmatter import decode, parse_date, split
from .lifecycle import clock, state
from .model import Article
from .settings import Settings

ON_SITE = ("published", "withdrawn")


def table(articles: Iterable[Article]) -> dict[str, str]:
    """URL → source path of every report on the site; alias → ``ALIAS`` + source path."""
    found: dict[str, str] = {}
    for article in articles:
        found[article.url] = article.source_path
        for alias in article.aliases:
            found.setdefault(alias, ALIAS + article.source_path)
    return found


ALIAS = "alias:"


def alias_problems(articles: list[Article], file_of: Callable[[str], Path],
                   name: Callable[[str], str] = str) -> list[Problem]:
    """An alias must name a free address: not a report's URL, not another report's alias.
    ``file_of``: a source path's file (its ``aliases:`` line is looked up for problems);
    ``name``: how messages name another file."""
    owner = {a.url: a for a in articles}
    claimed: dict[str, Article] = {}
    problems = []
    for article in articles:
        for alias in article.aliases:
            other = owner.get(alias)
            if other is article:
                why = "is this report's own URL"
            elif other is not None:
                why = f"is the URL of {name(other.source_path)}"
            elif alias in claimed:
                why = f"is also an alias of {name(claimed[alias].source_path)}"
            else:
                claimed[alias] = article
                continue
            problems.append(Problem(article.source_path, aliases_line(file_of(article.source_path)),
                                    f"alias /{alias} {why}"))
    return problems


def aliases_line(path: Path) -> int:
    return _key_lines(path).get("aliases", 1)


def check(before: dict[str, str], articles: list[Article],
          file_of: Callable[[str], Path], key_of: Callable[[str], str] = str,
          name: Callable[[str], str] = str) -> list[Problem]:
    """Every URL of ``before`` (the last build's :func:`table`) that the reports as read now
    (all of them, drafts too, with their state decided) no longer serve.

    ``key_of`` turns a source path of the table (relative to the content folder) into the
    one the articles carry, ``file_of`` that into the file (whose lines are looked up only
    for problems), and ``name`` into how messages name it.
    """
    now = table(a for a in articles if a.state in ON_SITE)
    by_path = {a.source_path: a for a in articles}
    problems = []
    for url, rel in sorted(before.items()):
        if url in now:
            continue
        alias = rel.startswith(ALIAS)
        rel = key_of(rel.removeprefix(ALIAS))
        article = by_path.get(rel)
        if article is None:
            problems.append(Problem(
                f"/{url}", 0, f"published from {name(rel)}, which is gone. Keep the file with "
                "'status: withdrawn', or add this URL to the 'aliases:' of the report that "
                "replaces it"))
            continue
        lines = _key_lines(file_of(rel))
        if article.state not in ON_SITE:
            key = "draft" if article.state == "draft" else "date"
            message = (f"/{url} was published, and this report is now {_STATES[article.state]};"
                       " a published report stays: withdraw it with 'status: withdrawn' instead")
        elif alias:
            key, message = "aliases", (f"/{url} was published as an alias of this report; "
                                       "keep it in 'aliases:'")
        elif _dated(url) != _dated(article.url):
            key, message = "date", (f"its published URL /{url} would change to /{article.url}; "
                                    f"keep the date it was published under, or add '/{url}' "
                                    "to 'aliases:'")
        else:
            old_slug = url.rstrip("/").rsplit("/", 1)[-1]
            key = "slug" if "slug" in lines else "title"
            message = (f"its published URL /{url} would change to /{article.url}; pin the old "
                       f"one with 'slug: {old_slug}', or add '/{url}' to 'aliases:'")
        problems.append(Problem(rel, lines.get(key, 1), message))
    return problems


_STATES = {"draft": "a draft", "embargoed": "dated in the future (embargoed)"}


def _dated(url: str) -> str:
    """The URL without its last part (for the default pattern: the date)."""
    return url.rstrip("/").rsplit("/", 1)[0]


def _key_lines(path: Path) -> dict[str, int]:
    try:
        text, _ = decode(path.name, path.read_bytes())
    except OSError:
        return {}
    parts, _ = split(path.name, text or "")
    return parts.key_lines if parts is not None else {}


def for_check(settings: Settings, articles: list[Article], files: dict[str, Path],
              show: Callable[[Path], str]) -> list[Problem]:
    """What the next build would refuse of the reports' lives: aliases, and published URLs
    (compared with the build cache of the settings' output, if there is one). ``files``:
    the articles' source paths → their files; ``show`` makes a file's name for messages."""
    now = clock(settings.BUILD_NOW, settings.tz, parse_date)
    for article in articles:
        article.state = state(article.life, article.date, now, settings.SHOW_DRAFTS)
    problems = alias_problems([a for a in articles if a.state in ON_SITE], files.__getitem__)
    if settings.URL_GUARD and not settings.SHOW_DRAFTS:
        before = cache.load_published(cache.location(settings))
        root = Path(settings.PATH).resolve()
        problems += check(before, articles, files.__getitem__, lambda rel: show(root / rel))
    return problems
