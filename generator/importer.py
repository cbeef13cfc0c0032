"""Agency plain-text exports → article files (written by :mod:`.article_file`).

An export holds one report::

    USA, Russland, Nordkorea                  ← optional keywords line (→ tags)
                                              ← blank line
    USA: Russland soll Raketen eingesetzt haben   ← headline
    04.01.2024 - 20:41:54                     ← date line, Europe/Berlin
    Washington (dts Nachrichtenagentur) - …   ← first paragraph (→ lead)
    …                                         ← more paragraphs, blank-line separated
    @ dts Nachrichtenagentur                  ← source
    Weitere Meldungen                         ← optional teasers: page furniture, dropped
    …

Exports are plain text, not Markdown, so the body is escaped: "1. FC Köln" must not become
a numbered list, "<Name>" must not vanish as an HTML tag.
"""

from __future__ import annotations

import codecs
import glob
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .article_file import article_file, article_text, write_new_file
from .content import article_url, canonical_category, read_article
from .errors import Problem
from .frontmatter import parse_date
from .images.sources import inspect
from .markup import drop_unwanted
from .model import Article
from .settings import Settings
from .slugs import resend_suffixes, slugify
from .sources import find_sources

_DATE_LINE = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{4}\s*-\s*\d{1,2}:\d{2}(?::\d{2})?$")
_SOURCE_LINE = re.compile(r"^@\s*(.*)$")
_MORE_HEADER = re.compile(r"^weitere\s+meldungen\s*:?$", re.IGNORECASE)
_PHOTO_LINE = re.compile(r"^Foto:\s*(.+?)\s*$")
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".avif")
"""A photo beside an export (``bericht.jpg`` beside ``bericht.txt``) is the report's."""
_TEASER_END = re.compile(
    r"^\([^,()]+,\s*\d{1,2}\.\d{1,2}\.\d{4}\s*-\s*\d{1,2}:\d{2}\)\s*weiterlesen", re.IGNORECASE
)
# C0/C1 control characters (tab aside) and stray BOMs from concatenated files are noise.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff]")
_SPACES = re.compile(r"[ \t\f\v]+")


@dataclass(frozen=True, slots=True)
class Report:
    """One parsed export."""

    title: str
    date: datetime
    tags: tuple[str, ...]
    paragraphs: tuple[str, ...]
    """Plain text, one entry per paragraph (the first is the lead)."""
    source: str | None
    encoding: str
    caption: str = ""
    credit: str = ""
    """From a ``Foto: caption, via credit`` line (``Foto: credit`` alone names the credit)."""


def decode_export(data: bytes) -> tuple[str, str]:
    """Bytes → (text with LF line ends, encoding used).

    Old exports come from Windows tools: a BOM means what it says; text that is not valid
    UTF-8 is cp1252 (Latin-1 plus „“–€), and bytes cp1252 leaves undefined fall back to
    Latin-1, which decodes everything.
    """
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            text, encoding = data.decode(name), name
            break
    else:
        for encoding in ("utf-8", "cp1252", "latin-1"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding


def _clean(line: str) -> str:
    # Noncharacters (U+FFFE …) too: front matter refuses them, so an import must not write them.
    return _SPACES.sub(" ", drop_unwanted(_CONTROL.sub("", line))).strip()


def parse_export(path: str, data: bytes, settings: Settings) -> tuple[Report | None, list[Problem]]:
    """Parse one export; on failure return every problem with its line and no report."""
    if b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None, [Problem(path, data[: data.index(b"\x00")].count(b"\n") + 1,
                              "contains NUL bytes: not a text export")]
    text, encoding = decode_export(data)
    lines = [_clean(line) for line in text.split("\n")]
    date_at = next((i for i, line in enumerate(lines) if _DATE_LINE.match(line)), None)
    if date_at is None:
        groups = _groups(lines)
        if not groups:
            return None, [Problem(path, 1, "the file is empty")]
        keywords_first = len(groups) > 1 and len(groups[0][1]) == 1
        headline_at = groups[1][0] if keywords_first else groups[0][0]
        message = "expected a date line like '04.01.2024 - 20:41:54' below the headline"
        return None, [Problem(path, headline_at + 2, message)]
    problems: list[Problem] = []
    head = _groups(lines[:date_at])
    title, tags = "", ()
    if not head:
        problems.append(Problem(path, date_at + 1, "headline missing above the date line"))
    else:
        start, headline = head[-1]
        if len(headline) > 1:
            problems.append(Problem(path, start + 1, "the headline must be one line; put a "
                                    "blank line between the keywords line and the headline"))
        title = headline[-1]
        if len(head) > 2 or (len(head) == 2 and len(head[0][1]) > 1):
            problems.append(Problem(path, head[0][0] + 1, "unexpected text before the headline "
                                    "(only one line of keywords may stand there)"))
        elif len(head) == 2:
            tags = _keywords(head[0][1][0], path, head[0][0] + 1, problems)
        if title and not slugify(title):
            problems.append(Problem(path, start + 1, "the headline gives no usable URL"))
    try:
        date = parse_date(lines[date_at], settings.tz)
    except ValueError as exc:
        problems.append(Problem(path, date_at + 1, str(exc)))
    caption, credit = _photo_line(lines, date_at + 1)
    body, source = _body(lines, date_at + 1, path, problems)
    if problems:
        return None, problems
    return Report(title, date, tags, body, source, encoding, caption, credit), []


def _photo_line(lines: list[str], start: int) -> tuple[str, str]:
    """The caption and credit of a ``Foto: …`` paragraph between the date line and the source
    line; the line is blanked (it is no paragraph of the text)."""
    for i in range(start, len(lines)):
        if _MORE_HEADER.match(lines[i]) or _SOURCE_LINE.match(lines[i]):
            break
        match = _PHOTO_LINE.match(lines[i])
        if match and (i + 1 == len(lines) or not lines[i + 1]) and not lines[i - 1]:
            lines[i] = ""
            caption, via, credit = match.group(1).rpartition(", via ")
            return (caption, credit) if via else ("", match.group(1))
    return "", ""


def _groups(lines: list[str], offset: int = 0) -> list[tuple[int, list[str]]]:
    """Runs of non-blank lines as (index of the first line, lines)."""
    groups: list[tuple[int, list[str]]] = []
    for i, line in enumerate(lines, start=offset):
        if not line:
            continue
        if groups and groups[-1][0] + len(groups[-1][1]) == i:
            groups[-1][1].append(line)
        else:
            groups.append((i, [line]))
    return groups


def _keywords(line: str, path: str, number: int, problems: list[Problem]) -> tuple[str, ...]:
    tags: dict[str, str] = {}
    for word in line.split(","):
        tag = word.strip()
        if not tag:
            continue
        key = slugify(tag)
        if not key:
            problems.append(Problem(path, number, f"keyword {tag!r} gives no usable topic URL"))
        else:
            tags.setdefault(key, tag)  # "USA, usa" is one topic; the first spelling wins
    return tuple(tags.values())


def _body(
    lines: list[str], start: int, path: str, problems: list[Problem]
) -> tuple[tuple[str, ...], str | None]:
    end, source = len(lines), None
    for i in range(start, len(lines)):
        line = lines[i]
        if _MORE_HEADER.match(line):
            end = i
            break
        if _TEASER_END.match(line):
            problems.append(Problem(path, i + 1, "teaser line in the text: put a 'Weitere "
                                    "Meldungen' line above the teasers"))
            return (), None
        match = _SOURCE_LINE.match(line)
        if match:
            end, source = i, match.group(1).strip()
            if not source:
                problems.append(Problem(path, i + 1, "source line '@' names no source"))
            after = next((j for j in range(i + 1, len(lines)) if lines[j]), None)
            if after is not None and not _MORE_HEADER.match(lines[after]):
                problems.append(Problem(path, after + 1, "unexpected text after the source "
                                        "line (only a 'Weitere Meldungen' section may follow)"))
            break
    paragraphs = tuple(" ".join(group) for _, group in _groups(lines[start:end], start))
    if not paragraphs:
        problems.append(Problem(path, start + 1, "no text below the date line"))
    return paragraphs, source


_INLINE_SPECIAL = re.compile(r"([\\`*_\[<])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_BLOCK_START = re.compile(r"^(?:[#>+~=|-]|(\d{1,9})[.)](?=\s|$))")


def escape_markdown(paragraph: str) -> str:
    """Plain text → Markdown that renders as exactly that text (one paragraph)."""
    text = _ENTITY.sub("&amp;", _INLINE_SPECIAL.sub(r"\\\1", paragraph))
    start = _BLOCK_START.match(text)
    if start and start.group(1):  # "1. FC Köln" would start a numbered list
        digits = len(start.group(1))
        return f"{text[:digits]}\\{text[digits:]}"
    return f"\\{text}" if start else text


@dataclass(frozen=True, slots=True)
class Outcome:
    status: str
    """created, unchanged, replaced, refused (exists, differs), failed."""
    target: str | None
    problems: tuple[Problem, ...] = ()
    note: str = ""


class Archive:
    """The articles already in a content folder, indexed for "is this one already here?"."""

    def __init__(self, root: Path, settings: Settings):
        self.root = root
        self.settings = settings
        self.by_url: dict[str, list[Article]] = {}
        self.by_story: dict[tuple[str, int], Article] = {}
        if root.is_dir():
            paths, _ = find_sources(root)
            for path in paths:
                rel = path.relative_to(root.resolve()).as_posix()
                article, _problems = read_article(rel, path.read_bytes(), settings)
                if article is not None:
                    self.add(article)

    def add(self, article: Article) -> None:
        self.by_url.setdefault(article.url, []).append(article)
        self.by_story.setdefault((article.headline_key, article.timestamp), article)

    def story(self, title: str, date: datetime) -> Article | None:
        return self.by_story.get((" ".join(title.casefold().split()), int(date.timestamp())))

    def free_slug(self, base: str, date: datetime) -> str | None:
        """The plain slug, else the re-send suffixes the build itself would use."""
        for slug in (base, *(f"{base}-{s}" for s in resend_suffixes(date.strftime("%H%M%S")))):
            taken_url = article_url(self.settings, date, slug) in self.by_url
            if not taken_url and not (self.root / article_file(self.settings, date, slug)).exists():
                return slug
        return None


def import_file(
    archive: Archive, export: Path, display: str, category: str | None, force: bool = False
) -> Outcome:
    """Import one export into ``archive`` (idempotent: a second run reports "unchanged")."""
    settings = archive.settings
    report, problems = parse_export(display, export.read_bytes(), settings)
    if report is None:
        return Outcome("failed", None, tuple(problems))
    # Without --kategorie, an export kept in a folder named after its Ressort uses that.
    wanted = category or export.parent.name
    canonical = canonical_category(wanted, settings.CATEGORIES)
    if canonical is None:
        message = (f"unknown category {category!r}; allowed: {', '.join(settings.CATEGORIES)}"
                   if category else "no category: pass --kategorie (or keep the file in a "
                   "folder named after its category)")
        return Outcome("failed", None, (Problem(display, 1, message),))
    body = "\n\n".join(escape_markdown(p) for p in report.paragraphs)
    photo = next((p for p in sorted(export.parent.glob(f"{glob.escape(export.stem)}.*"))
                  if p.suffix.lower() in PHOTO_SUFFIXES and p.is_file()), None)
    if photo is not None:
        _, _, problem = inspect(str(photo), settings.IMAGE_MAX_PIXELS)
        if problem:
            return Outcome("failed", None, (Problem(display, 1, f"its photo {photo.name} "
                                                    f"{problem}"),))

    def image(slug: str) -> dict[str, str] | None:
        # An export has no alt text: the caption says what the photo shows, else the headline.
        return None if photo is None else {
            "file": f"{slug}{photo.suffix.lower()}", "caption": report.caption,
            "alt": report.caption or report.title, "credit": report.credit}

    def text(slug: str) -> str:
        return article_text(report.title, report.date, canonical, report.tags, slug,
                            report.source, body, image(slug))

    def photo_target(rel: str, slug: str) -> Path | None:
        return None if photo is None else (archive.root / rel).parent / image(slug)["file"]

    twin = archive.story(report.title, report.date)
    if twin is not None:  # imported before (or written by hand): never a second copy
        target = archive.root / twin.source_path
        wanted_text = text(twin.slug)
        copy = photo_target(twin.source_path, twin.slug)
        same_photo = copy is None or (copy.is_file() and copy.read_bytes() == photo.read_bytes())
        if target.read_bytes() == wanted_text.encode("utf-8") and same_photo:
            return Outcome("unchanged", twin.source_path)
        if not force:
            return Outcome("refused", twin.source_path,
                           note="differs from the export (edited since?); --force replaces it")
        if copy is not None:
            write_new_file(copy, photo.read_bytes(), replace=True)
        write_new_file(target, wanted_text, replace=True)
        return Outcome("replaced", twin.source_path)
    slug = archive.free_slug(slugify(report.title), report.date)
    if slug is None:
        return Outcome("failed", None, (Problem(display, 1, "every URL for this headline and "
                                                "time is taken; add the article by hand"),))
    rel = article_file(settings, report.date, slug)
    content = text(slug)
    copy = photo_target(rel, slug)
    try:
        if copy is not None:
            write_new_file(copy, photo.read_bytes())
        try:
            write_new_file(archive.root / rel, content)
        except FileExistsError:
            if copy is not None:
                copy.unlink()
            raise
    except FileExistsError:
        return Outcome("refused", rel, note="appeared while importing; not overwritten")
    article, _ = read_article(rel, content.encode("utf-8"), settings)
    if article is not None:
        archive.add(article)
    return Outcome("created", rel)
