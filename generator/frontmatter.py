"""Split an article file into YAML front matter and Markdown body, and validate the header.

Every problem is a :class:`Problem` with the line it stands on, so an editor can jump to it.
YAML is read with implicit typing switched off: ``NO`` stays the tag "NO" (not False), a
title ``2024`` stays text, and dates are parsed by us, the same way whatever YAML thinks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from . import lifecycle
from .errors import Problem
from .markup import find_unwanted

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _TextLoader(_Base):  # type: ignore[misc, valid-type]
    """Safe loader that resolves every plain scalar to text."""

    yaml_implicit_resolvers: dict = {}  # noqa: RUF012 (class attribute PyYAML reads)


KNOWN_KEYS = ("title", "date", "category", "tags", "summary", "source", "slug", "modified",
              "image", *lifecycle.KEYS)
REQUIRED_KEYS = ("title", "date", "category")
_KEY_LINE = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:")
_FENCE = "---"
_GERMAN_DATE = re.compile(
    r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s*[-,]?\s*(\d{1,2}):(\d{2})(?::(\d{2}))?)?$"
)
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(slots=True)
class Header:
    """The validated front matter of one article (plus where each key stood).

    A key that is missing or invalid is None (or empty) here; a problem says why.
    """

    title: str | None
    date: datetime | None
    category: str | None
    tags: tuple[str, ...]
    summary: str | None
    source: str | None
    slug: str | None
    modified: datetime | None
    extra: dict[str, str]
    key_lines: dict[str, int] = field(default_factory=dict)
    slug_refused: bool = False
    """A ``slug:`` line was given but refused (so no URL can be derived)."""
    life: lifecycle.Life = field(default_factory=lifecycle.Life)


@dataclass(slots=True)
class Split:
    meta: dict[str, Any]
    key_lines: dict[str, int]
    body: str
    body_line: int


def decode(path: str, data: bytes) -> tuple[str | None, list[Problem]]:
    """Bytes → text with LF line ends; a BOM is dropped, anything not UTF-8 is a problem."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = data[exc.start]
        return None, [
            Problem(
                path,
                line,
                f"not UTF-8 (byte 0x{byte:02X} at column {column}); save the file as UTF-8",
            )
        ]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, [Problem(path, line, "contains a NUL character")]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def closing_fence(lines: list[str]) -> int | None:
    """Index of the line that ends the front matter (``---`` or YAML's ``...``), if any."""
    return next((i for i in range(1, len(lines)) if lines[i].rstrip() in (_FENCE, "...")), None)


def split(path: str, text: str) -> tuple[Split | None, list[Problem]]:
    """Separate the ``---`` fenced YAML block from the body and load it."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != _FENCE:
        return None, [
            Problem(path, 1, "front matter missing: the file must start with a '---' line")
        ]
    end = closing_fence(lines)
    if end is None:
        return None, [Problem(path, 1, "front matter not closed: add a '---' line after it")]
    problems: list[Problem] = []
    key_lines: dict[str, int] = {}
    for number, line in enumerate(lines[1:end], start=2):
        match = _KEY_LINE.match(line)
        if match:
            key = match.group(1)
            if key in key_lines:
                problems.append(
                    Problem(
                        path, number, f"key '{key}' appears twice (first on line {key_lines[key]})"
                    )
                )
            else:
                key_lines[key] = number
    try:
        meta = yaml.load("\n".join(lines[1:end]), Loader=_TextLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 2 if mark is not None else 1
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        hint = ""
        if "mapping values are not allowed" in reason:
            hint = " (put text containing ': ' in double quotes)"
        return None, [Problem(path, line, f"YAML syntax error: {reason}{hint}")]
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        return None, [Problem(path, 2, "front matter must be 'key: value' lines")]
    return Split(meta, key_lines, "\n".join(lines[end + 1 :]), end + 2), problems


def parse_date(value: Any, tz: ZoneInfo) -> datetime:
    """ISO 8601 (``2024-01-04T20:41:54+01:00``, offset optional) or German ``04.01.2024 - 20:41``.

    Without an offset the time is local to ``tz``; the result is always aware and in ``tz``.
    """
    if not isinstance(value, str) or not value.strip():
        raise ValueError("expected a date like 2024-01-04T20:41:54+01:00")
    text = value.strip()
    german = _GERMAN_DATE.match(text)
    try:
        if german:
            d, m, y, hh, mm, ss = german.groups()
            parsed = datetime(int(y), int(m), int(d), int(hh or 0), int(mm or 0), int(ss or 0))
        else:
            parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"invalid date {text!r}: expected e.g. 2024-01-04T20:41:54+01:00 "
            "or 04.01.2024 - 20:41:54"
        ) from None
    # Four-digit years only: year 1 or 9999 overflow when moved between time zones, and URLs
    # and date pages assume four digits.
    if not 1000 <= parsed.year <= 9998:
        raise ValueError(f"year {parsed.year} is out of range (1000 to 9998)")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return parsed.astimezone(tz)


def _text(
    meta: dict, key: str, line: int, path: str, problems: list[Problem], required: bool = False
) -> str | None:
    value = meta.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems.append(Problem(path, line, f"'{key}' is missing or empty"))
        return None
    if not isinstance(value, str):
        problems.append(
            Problem(
                path,
                line,
                f"'{key}' must be text, not a {'list' if isinstance(value, list) else 'mapping'}",
            )
        )
        return None
    text = " ".join(value.split())
    if _unwanted(text, key, line, path, problems):
        return None
    return text


def _unwanted(text: str, key: str, line: int, path: str, problems: list[Problem]) -> bool:
    """Report a control character or noncharacter: no page or feed could show it."""
    found = find_unwanted(text)
    if found:
        problems.append(Problem(path, line, f"'{key}' contains the invisible character "
                                f"U+{ord(found.group()):04X}; remove it"))
    return found is not None


def _tags(value: Any, line: int, path: str, problems: list[Problem]) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        items: list[Any] = value.split(",")
    elif isinstance(value, list):
        items = value
    else:
        problems.append(
            Problem(
                path,
                line,
                "'tags' must be a list like [USA, Russland] or text like 'USA, Russland'",
            )
        )
        return ()
    tags = []
    for item in items:
        if not isinstance(item, str):
            problems.append(Problem(path, line, f"'tags' entries must be text, not {item!r}"))
            continue
        tag = " ".join(item.split())
        if _unwanted(tag, "tags", line, path, problems):
            continue
        if tag and tag not in tags:
            tags.append(tag)
    return tuple(tags)


def validate(path: str, parts: Split, tz: ZoneInfo) -> tuple[Header, list[Problem]]:
    """Check types and required keys: the header as far as it is valid, and every problem.

    Every key is checked whatever the others hold, so an editor sees all at once.
    """
    meta, lines = parts.meta, parts.key_lines
    problems: list[Problem] = []

    def line_of(key: str) -> int:
        return lines.get(key, 1)

    title = _text(meta, "title", line_of("title"), path, problems, required=True)
    category = _text(meta, "category", line_of("category"), path, problems, required=True)
    summary = _text(meta, "summary", line_of("summary"), path, problems)
    source = _text(meta, "source", line_of("source"), path, problems)
    before = len(problems)
    slug = _text(meta, "slug", line_of("slug"), path, problems)
    slug_refused = len(problems) > before
    if slug is not None and not SLUG_RE.match(slug):
        problems.append(
            Problem(
                path,
                line_of("slug"),
                f"slug {slug!r} may hold only a-z, 0-9 and single '-' "
                "between them (it becomes part of a URL)",
            )
        )
        slug, slug_refused = None, True
    tags = _tags(meta.get("tags"), line_of("tags"), path, problems)
    dates: dict[str, datetime | None] = {"date": None, "modified": None}
    for key in dates:
        if key not in meta or meta[key] in (None, ""):
            if key == "date":
                problems.append(Problem(path, 1, "'date' is missing or empty"))
            continue
        try:
            dates[key] = parse_date(meta[key], tz)
        except ValueError as exc:
            problems.append(Problem(path, line_of(key), f"'{key}': {exc}"))
    life = lifecycle.read(path, meta, lines, tz, parse_date, problems)
    extra = {k: str(v) for k, v in meta.items() if k not in KNOWN_KEYS}
    for key in extra:
        # A misspelt life key ("darft: true") would publish silently: refused, with a hint.
        hint = lifecycle.did_you_mean(str(key), KNOWN_KEYS)
        if hint:
            problems.append(Problem(path, line_of(str(key)), f"unknown key {key!r}{hint}"))
    return Header(
        title,
        dates["date"],
        category,
        tags,
        summary,
        source,
        slug,
        dates["modified"],
        extra,
        dict(lines),
        slug_refused,
        life,
    ), problems
