"""A report's life in its front matter: draft, withdrawal, corrections and earlier URLs.

Read with the rest of the header (:func:`read`), as plain values on the report. Whether a
report is published is decided later, once per build, against the build's clock
(:func:`state`): drafts and reports dated in the future (an embargo, Sperrfrist) are not.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from .errors import Problem
from .markup import find_unwanted
from .slugs import reserved

KEYS = ("draft", "status", "withdrawn_note", "corrections", "aliases")
STATUSES = ("published", "withdrawn")
DEFAULT_NOTE = "Diese Meldung wurde zurückgezogen."
_TRUE, _FALSE = ("true", "yes", "ja"), ("false", "no", "nein")
_ALIAS = re.compile(r"^[A-Za-z0-9._~%+,@/-]+$")
"""Characters an alias may hold: enough for any address a site of ours had, and none that
``_redirects`` or nginx's configuration would read as syntax ($, ;, quotes, spaces)."""


@dataclass(frozen=True, slots=True)
class Life:
    """What the front matter says about a report's life (all defaults: an ordinary report)."""

    draft: bool = False
    withdrawn: bool = False
    note: str = ""
    """The public line of a withdrawn report (empty: :data:`DEFAULT_NOTE`)."""
    corrections: tuple[tuple[datetime, str], ...] = ()
    """(date, text), oldest first."""
    aliases: tuple[str, ...] = ()
    """Earlier site-relative URLs (``2024/01/04/alt/``), each redirected to the report."""

    def __bool__(self) -> bool:
        """False for an ordinary report (which then stores no Life at all)."""
        return bool(self.draft or self.withdrawn or self.note or self.corrections
                    or self.aliases)


def did_you_mean(word: str, choices: tuple[str, ...] | list[str]) -> str:
    hint = difflib.get_close_matches(word, choices, n=1, cutoff=0.7)
    return f" (did you mean {hint[0]!r}?)" if hint else ""


def read(path: str, meta: dict[str, Any], lines: dict[str, int], tz: ZoneInfo,
         parse_date: Any, problems: list[Problem]) -> Life:
    """The life keys of one header; every problem is appended with its line."""
    def line(key: str) -> int:
        return lines.get(key, 1)

    draft = _flag(meta.get("draft"), path, line("draft"), problems)
    status = meta.get("status")
    withdrawn = False
    if status not in (None, ""):
        if not isinstance(status, str) or status.strip().lower() not in STATUSES:
            problems.append(Problem(path, line("status"), f"unknown status {status!r}"
                                    + (did_you_mean(str(status).strip().lower(), STATUSES)
                                       or f"; allowed: {', '.join(STATUSES)}")))
        else:
            withdrawn = status.strip().lower() == "withdrawn"
    note = meta.get("withdrawn_note")
    if note is not None and not isinstance(note, str):
        problems.append(Problem(path, line("withdrawn_note"), "'withdrawn_note' must be text"))
        note = None
    note = " ".join((note or "").split())
    if note and find_unwanted(note):
        problems.append(Problem(path, line("withdrawn_note"),
                                "'withdrawn_note' contains an invisible control character"))
    if note and not withdrawn:
        problems.append(Problem(path, line("withdrawn_note"),
                                "'withdrawn_note' without 'status: withdrawn'"))
    corrections = _corrections(meta.get("corrections"), path, line("corrections"), tz,
                               parse_date, problems)
    aliases = _aliases(meta.get("aliases"), path, line("aliases"), problems)
    return Life(draft, withdrawn, note, corrections, aliases)


def _flag(value: Any, path: str, line: int, problems: list[Problem]) -> bool:
    if value in (None, ""):
        return False
    text = value.strip().lower() if isinstance(value, str) else ""
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    problems.append(Problem(path, line, f"'draft' must be true or false, not {value!r}"))
    return False


def _corrections(value: Any, path: str, line: int, tz: ZoneInfo, parse_date: Any,
                 problems: list[Problem]) -> tuple[tuple[datetime, str], ...]:
    if value in (None, ""):
        return ()
    if not isinstance(value, list):
        problems.append(Problem(path, line, "'corrections' must be a list of "
                                "{date: ..., text: ...} entries"))
        return ()
    found = []
    for number, item in enumerate(value, start=1):
        where = f"'corrections' entry {number}"
        if not isinstance(item, dict):
            problems.append(Problem(path, line, f"{where} must be 'date: ...' and 'text: ...'"))
            continue
        for key in sorted(set(item) - {"date", "text"}):
            problems.append(Problem(path, line, f"{where}: unknown key {key!r}"
                                    + did_you_mean(str(key), ["date", "text"])))
        text = item.get("text")
        if not isinstance(text, str) or not text.strip():
            problems.append(Problem(path, line, f"{where}: 'text' is missing or empty"))
            continue
        text = " ".join(text.split())
        if find_unwanted(text):
            problems.append(Problem(path, line, f"{where}: 'text' contains an invisible "
                                    "control character"))
            continue
        try:
            when = parse_date(item.get("date"), tz)
        except ValueError as exc:
            problems.append(Problem(path, line, f"{where}: 'date': {exc}"))
            continue
        found.append((when, text))
    return tuple(sorted(found, key=lambda c: c[0]))


def _aliases(value: Any, path: str, line: int, problems: list[Problem]) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        problems.append(Problem(path, line, "'aliases' must be a list of earlier URLs like "
                                "[/2024/01/04/alte-ueberschrift/]"))
        return ()
    found: list[str] = []
    for item in items:
        url, why = normalize_alias(item)
        if why:
            problems.append(Problem(path, line, f"alias {item!r} {why}"))
        elif url not in found:
            found.append(url)
    return tuple(found)


def normalize_alias(text: str) -> tuple[str, str | None]:
    """``/2024/01/04/alt/`` → ``2024/01/04/alt/`` (a folder gets its slash), or why not."""
    text = text.strip()
    if "://" in text or text.startswith("//") or ":" in text.split("/", 1)[0]:
        return "", "leaves the site: give the path of an earlier URL of this site"
    path = text.lstrip("/")
    parts = path.split("/")
    if not path or any(part in (".", "..") for part in parts) or "//" in path:
        return "", "leaves the site or is empty: give a path like /2024/01/04/alt/"
    if not _ALIAS.match(path):
        return "", "holds characters other than letters, digits and . _ ~ % + , @ - /"
    if any(reserved(part) for part in parts):
        return "", "names a device Windows reserves"
    if not path.endswith("/") and "." not in parts[-1]:
        path += "/"
    return path, None


def state(life: Life | None, date: datetime, now: datetime, drafts: bool) -> str:
    """``published``, ``withdrawn``, ``draft`` or ``embargoed`` as of ``now``. With ``drafts``
    (the preview) drafts and embargoed reports are shown too, marked (:func:`mark`)."""
    if not drafts and life and life.draft:
        return "draft"
    if not drafts and date > now:
        return "embargoed"
    return "withdrawn" if life and life.withdrawn else "published"


def mark(life: Life | None, date: datetime, now: datetime, drafts: bool) -> str:
    """What the preview writes on a report that is not published yet (else nothing)."""
    if not drafts:
        return ""
    if life and life.draft:
        return "Entwurf"
    return f"Sperrfrist bis {date:%d.%m.%Y - %H:%M}" if date > now else ""


def clock(build_now: str, tz: ZoneInfo, parse_date: Any) -> datetime:
    """The build's clock: ``BUILD_NOW`` if set (any date front matter accepts), else now."""
    if build_now:
        return parse_date(build_now, tz)
    return datetime.now(tz).replace(microsecond=0)
