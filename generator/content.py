"""Read the content folder into a :class:`Site`: every article validated, every URL claimed.

All problems of all files are collected before anything is raised, so one build run shows
an editor everything that needs fixing. With a build cache, only files whose content hash
changed are parsed again.
"""

from __future__ import annotations

import difflib
import hashlib
import logging
import os
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from datetime import datetime
from operator import attrgetter
from pathlib import Path

from . import lifecycle, markup, urlguard
from .errors import ContentError, Problem, shown
from .frontmatter import closing_fence, decode, parse_date, split, validate
from .images import refs
from .images.sources import Source as PhotoSource
from .images.sources import resolve as check_photos
from .model import Article, Site, Topic
from .settings import Settings
from .slugs import resend_suffixes, reserved, slugify
from .sources import SourceFile, Survey, blob_id, look

log = logging.getLogger("meldungen")

Parser = Callable[[Callable[[str], tuple], list[str]], Iterable[tuple]]
"""How to run the parse of many files (``map``, or a process pool's ``map``)."""


LEAD_PLACEHOLDER = "[[Vorspann hier schreiben]]"
"""What ``meldungen new`` writes where the lead belongs; an article still holding it is refused."""


def read_article(rel: str, data: bytes, settings: Settings,
                 root: str | None = None) -> tuple[Article | None, list[Problem]]:
    """One file's bytes → an :class:`Article` (URL not yet final) or every problem it has.

    The article carries its lead and body (``loaded``); the build drops them once parsed.
    """
    text, problems = decode(rel, data)
    if text is None:
        return None, problems
    parts, problems = split(rel, text)
    if parts is None:
        return None, problems
    header, more = validate(rel, parts, settings.tz)
    problems += more
    category = None
    if header.category is not None:
        category = canonical_category(header.category, settings.CATEGORIES)
        if category is None:
            hint = difflib.get_close_matches(header.category, settings.CATEGORIES, n=1,
                                             cutoff=0.6)
            problems.append(Problem(rel, header.key_lines.get("category", 1),
                                    f"unknown category {header.category!r}"
                                    + (f" (did you mean {hint[0]!r}?)" if hint else
                                       f"; allowed: {', '.join(settings.CATEGORIES)}")))
    slug = header.slug or slugify(header.title or "")
    if header.slug_refused or (header.title is None and header.slug is None):
        pass  # no URL to judge; the refused key is reported already
    elif not slug:
        problems.append(Problem(rel, header.key_lines.get("title", 1),
                                "the title gives no usable URL; add a 'slug:' line"))
    elif reserved(slug):
        problems.append(Problem(rel, header.key_lines.get("slug", header.key_lines.get("title", 1)),
                                f"the URL part {slug!r} is a device name Windows reserves; "
                                "add a 'slug:' line with another one"))
    credit = settings.DEFAULT_IMAGE_CREDIT
    image = None if parts.meta.get("image") is None else refs.lead_photo(
        parts.meta["image"], header.key_lines.get("image", 1), rel, credit, problems)
    figures = refs.figures(parts.body, parts.body_line, rel, credit, problems)
    lead, rest = markup.split_lead(parts.body)
    plain_lead = markup.to_plain(lead)
    problems += [Problem(rel, header.key_lines.get("tags", 1), why)
                 for tag in header.tags if (why := _tag_problem(tag))]
    problems += _body_problems(rel, parts.body, parts.body_line, plain_lead)
    if problems:
        return None, problems
    assert header.title is not None and header.date is not None and category is not None
    return Article(
        source_path=rel, title=header.title, date=header.date, category=category,
        tags=header.tags, summary_text=header.summary or plain_lead,
        source=header.source or settings.DEFAULT_SOURCE, slug=slug,
        url=article_url(settings, header.date, slug), body_line=parts.body_line,
        modified=header.modified, pinned=header.slug is not None, extra=header.extra,
        life=header.life or None,
        category_slug=slugify(category), tag_slugs=tuple(dict.fromkeys(map(slugify, header.tags))),
        sha=blob_id(data), root=root or str(Path(settings.PATH).resolve()), loaded=(lead, rest),
        image=image, figures=figures,
    ), []


def _body_problems(rel: str, body: str, body_line: int, plain_lead: str) -> list[Problem]:
    """A report needs a lead: refuse an empty body and the placeholder of ``meldungen new``."""
    at = body.find(LEAD_PLACEHOLDER)
    if at >= 0:
        return [Problem(rel, body_line + body.count("\n", 0, at),
                        f"the lead is still the placeholder {LEAD_PLACEHOLDER}: write the lead")]
    if not body.strip():
        # An empty body at the very end of the file: the closing '---' is the last line.
        return [Problem(rel, body_line if body else body_line - 1,
                        "no text: a report needs at least a lead paragraph")]
    if not plain_lead:
        first = body_line + len(body) - len(body.lstrip("\n"))
        return [Problem(rel, first, "the first paragraph, the lead, has no text")]
    return []


def read_texts(path: Path) -> tuple[str, str]:
    """(lead, body) of an article file that was validated before (no YAML parse needed)."""
    text, _ = decode(path.name, path.read_bytes())
    lines = (text or "").split("\n")
    end = closing_fence(lines)
    if end is None:
        raise ContentError([Problem(str(path), 1, "changed during the build; build again")])
    return markup.split_lead("\n".join(lines[end + 1:]))


def canonical_category(name: str, allowed: tuple[str, ...]) -> str | None:
    """Match case- and umlaut-insensitively: ``boerse`` and ``BÖRSE`` are both "Börse"."""
    key = slugify(name)
    return next((c for c in allowed if slugify(c) == key), None)


def article_url(settings: Settings, date: datetime, slug: str) -> str:
    return settings.ARTICLE_URL_PATTERN.format(year=f"{date.year:04d}", month=f"{date.month:02d}",
                                               day=f"{date.day:02d}", slug=slug)


def claim_urls(articles: list[Article], settings: Settings,
               name: Callable[[str], str] = str) -> list[Problem]:
    """Give every article a unique URL, deterministically and stably.

    Re-sends (same headline, same day) keep separate pages: the earliest keeps the plain
    slug, later ones get their own time (``-2041``, or ``-204154`` within one minute).
    Explicit ``slug:`` values are never altered, so two files claiming one are an error.
    Every URL is derived afresh from ``slug`` here, so cached articles are claimed exactly
    as in a clean build. ``name`` turns a source path into how messages name the file.
    """
    problems: list[Problem] = []
    by_url: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        url = article_url(settings, article.date, article.slug)
        if url != article.url:  # else a cached article keeps its string: one copy, not two
            article.url = url
        by_url[article.url].append(article)
    taken = set(by_url)
    for url in sorted(url for url, group in by_url.items() if len(group) > 1):
        group = by_url[url]
        group.sort(key=lambda a: (not a.pinned, a.date, a.source_path))
        for article in group[1:]:
            if article.pinned:
                problems.append(Problem(article.source_path, 1,
                                        f"URL /{url} is also claimed by "
                                        f"{name(group[0].source_path)}"))
                continue
            for suffix in resend_suffixes(article.date.strftime("%H%M%S")):
                candidate = article_url(settings, article.date, f"{article.slug}-{suffix}")
                if candidate not in taken:
                    article.url = candidate
                    taken.add(candidate)
                    break
            else:
                problems.append(Problem(article.source_path, 1,
                                        f"URL /{url} is also claimed by "
                                        f"{name(group[0].source_path)} (same headline, same "
                                        "second); add a 'slug:' line"))
    return problems


def build_topics(articles: list[Article], settings: Settings,
                 tag_uses: Counter | None = None,
                 slugs: dict[str, str] | None = None) -> tuple[dict, dict]:
    """Categories (in configured order) and tags by slug; a tag's name is its commonest spelling.

    ``tag_uses``: how often each spelling occurs, if counted already. ``slugs``: the build
    cache's spelling → slug memo, updated in place (slugifying every spelling anew cost half
    a second of each build at 10,000 articles).
    """
    memo = slugs if slugs is not None else {}
    cats: dict[str, list[int]] = {slugify(c): [] for c in settings.CATEGORIES}
    cat_names = {slugify(c): c for c in settings.CATEGORIES}
    tag_members: dict[str, list[int]] = defaultdict(list)
    gaps: dict[str, list[int]] = defaultdict(list)
    if tag_uses is None:
        tag_uses = Counter(tag for article in articles for tag in article.tags)
    spellings: dict[str, Counter] = defaultdict(Counter)
    for tag, uses in tag_uses.items():
        slug = memo.get(tag)
        if slug is None:
            slug = memo[tag] = slugify(tag)
        spellings[slug][tag] += uses
    for article in articles:
        if article.state == "withdrawn":  # keeps its page and its place, but is not listed
            for topic in ("k/" + article.category_slug, *("t/" + t for t in article.tag_slugs)):
                gaps[topic].append(article.index)
            continue
        cats[article.category_slug].append(article.index)
        for tag_slug in article.tag_slugs:
            tag_members[tag_slug].append(article.index)
    categories = {slug: Topic("kategorie", slug, cat_names[slug],
                              settings.CATEGORY_URL_PATTERN.format(slug=slug), tuple(members),
                              tuple(gaps.get("k/" + slug, ())))
                  for slug, members in cats.items()}
    tags = {}
    for slug in sorted(tag_members):
        name = min(spellings[slug].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        tags[slug] = Topic("thema", slug, name, settings.TAG_URL_PATTERN.format(slug=slug),
                           tuple(tag_members[slug]), tuple(gaps.get("t/" + slug, ())))
    return categories, tags


def _tag_problem(tag: str) -> str | None:
    slug = slugify(tag)
    if not slug:
        return f"tag {tag!r} gives no usable URL"
    if reserved(slug):
        return (f"tag {tag!r} gives the URL part {slug!r}, a device name Windows reserves; "
                "rename the tag")
    return None


def teaser_key(article: Article) -> str:
    photo = article.image
    text = "\0".join((article.url, article.title, article.summary, article.category,
                      article.date.isoformat(), repr(photo and (photo.sha, photo.focus,
                                                                 photo.alt)),
                      article.state, article.mark))
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


class _Parse:
    """Picklable parse job for a process pool: path → (path, article or None, problems)."""

    def __init__(self, root: Path, settings: Settings):
        self.root, self.settings = str(root), settings

    def __call__(self, rel: str) -> tuple[str, Article | None, list[Problem]]:
        with open(os.path.join(self.root, rel), "rb") as handle:
            data = handle.read()
        article, problems = read_article(rel, data, self.settings, self.root)
        return rel, (article.without_texts() if article else None), problems


def read_site(settings: Settings, sources: MutableMapping[str, SourceFile] | None = None,
              parsed: MutableMapping[str, Article] | None = None, parse_many: Parser = map,
              photos: dict[str, PhotoSource] | None = None, check_many: Parser = map,
              published: Mapping[str, str] | None = None,
              slugs: dict[str, str] | None = None,
              stored: dict[str, Article] | None = None, survey: Survey | None = None,
              keep: Callable[[Article], Article] | None = None) -> Site:
    """Read, validate and order the whole archive; raise :class:`ContentError` on any problem.

    ``sources``, ``parsed`` and ``photos`` are the build cache's records; they are updated in
    place (only the entries that changed are set), and a file whose content hash is
    unchanged is not parsed again (a photo whose size and mtime are unchanged is not read
    again). ``stored``: the articles of ``parsed``, if the caller read them already.
    ``check_many`` runs the photo checks. ``published``: the URLs the last build published,
    which must all still lead somewhere (:mod:`.urlguard`). ``slugs``: the cache's memo of
    tag slugs (:func:`build_topics`). ``survey``: :func:`look` at the content, if the caller
    did already. ``keep``: makes each article parsed here lean (``cache.State.keep``).
    """
    root, rels, problems, recorded, known = survey or look(settings, sources)
    problems = list(problems)
    if stored is None:
        stored = dict(parsed.items()) if parsed is not None else {}
    todo = [rel for rel in rels if rel not in stored or stored[rel].sha != known[rel].sha]
    cache = dict(stored)
    for rel, article, found in parse_many(_Parse(root, settings), todo):
        problems += found
        if article is not None:
            cache[rel] = keep(article) if keep else article
    for stale in set(cache) - set(rels):
        del cache[stale]
    # One pass for what the steps below need of every article: at 100,000 articles each
    # pass over them costs a tenth of a second, whatever it does.
    articles, before, tag_uses = [], [], Counter()
    unknown_keys: dict[str, str] = {}
    for rel in rels:
        article = cache.get(rel)
        if article is None or article.sha != known[rel].sha:
            continue  # not parsed: its problems are reported
        articles.append(article)
        before.append(_changeable(article))
        tag_uses.update(article.tags)
        for key in article.extra:
            unknown_keys.setdefault(key, rel)
    for key, rel in sorted(unknown_keys.items()):
        log.warning("%s: unknown front matter key '%s' kept as metadata (warned once)",
                    shown(root / rel), key)
    # Drafts and embargoed reports claim their URLs too: the address the preview shows is
    # the one they are published under, and publishing one never moves another.
    name = lambda rel: shown(root / rel)  # noqa: E731 (how messages name another file)
    problems += claim_urls(articles, settings, name)
    problems += check_photos(articles, root, settings.IMAGE_MAX_PIXELS,
                             photos if photos is not None else {}, check_many)
    now = settings_clock(settings)
    site, hidden = _decide(articles, now, settings.SHOW_DRAFTS)
    problems += urlguard.alias_problems(site, root.joinpath, name)
    if published is not None and settings.URL_GUARD and not settings.SHOW_DRAFTS:
        problems += urlguard.check(published, articles, root.joinpath, name=name)
    if problems:
        raise ContentError(problems, root)
    for article, was in zip(articles, before, strict=True):
        # A cached article's teaser key holds while its URL and state do (the rest is in
        # its hash).
        if was[:3] != (article.url, article.state, article.mark) or not article.teaser_key:
            article.teaser_key = teaser_key(article)
    if sources is not None:
        for rel, record in known.items():
            if recorded.get(rel) != record:
                sources[rel] = record
        for rel in recorded.keys() - known.keys():
            del sources[rel]
    if parsed is not None:  # saved: what was parsed, and stored articles the steps above changed
        for article, was in zip(articles, before, strict=True):
            if stored.get(article.source_path) is not article or _changeable(article) != was:
                parsed[article.source_path] = article
        for rel in stored.keys() - cache.keys():
            del parsed[rel]
    del before, recorded, known, stored
    site.sort(key=lambda a: (a.date, a.url))
    for position, article in enumerate(site):
        article.index = position
    tag_uses.subtract(tag for article in hidden for tag in article.tags)
    categories, tags = build_topics(site, settings, +tag_uses, slugs)
    pending = [a for a in articles if a.state not in urlguard.ON_SITE]
    return Site(site, categories, tags, pending, now=now)


_changeable = attrgetter("url", "state", "mark", "teaser_key", "image", "figures")
"""What the steps of :func:`read_site` may change in a stored article: URL (claim_urls), state
and mark (_decide), teaser key and photos (check_photos). A stored article whose values here
change is saved again; the first three, in this order, decide its teaser key."""


def settings_clock(settings: Settings) -> datetime:
    return lifecycle.clock(settings.BUILD_NOW, settings.tz, parse_date)


def _decide(articles: list[Article], now: datetime, drafts: bool
            ) -> tuple[list[Article], list[Article]]:
    """Each report's state as of the build's clock: (reports on the site, those of them and
    the others whose tags no listing shows)."""
    site, hidden = [], []
    for article in articles:
        if article.life is None and not drafts and article.date <= now:
            article.state, article.mark = "published", ""  # the usual case, without a call
        else:
            article.state = lifecycle.state(article.life, article.date, now, drafts)
            article.mark = lifecycle.mark(article.life, article.date, now, drafts)
        if article.state in urlguard.ON_SITE:
            site.append(article)
        if article.state != "published":
            hidden.append(article)
    return site, hidden
