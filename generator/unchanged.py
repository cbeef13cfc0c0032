"""A build in which nothing changed, known without reading the archive.

Most builds change nothing: the scheduled ones (every five minutes, for embargoes) and CI
runs after a commit outside the content. Finding that out by loading and walking every
article costs seconds per 100,000 reports. Instead, each build leaves a note of how long
its output stays right as time passes: until the next embargo falls due, or the oldest
report of the news sitemap leaves its 48 hours. A later build within that time, with the
same code, settings and theme, the same source hashes and photo files, and an output whose
stamp vouches for it, is done once it has checked just that.
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import NamedTuple

from .cache import State
from .model import Site
from .settings import Settings
from .sitemap import news_until
from .sources import Survey


class Note(NamedTuple):
    """What a build leaves for the next one (in the build cache's ``extra``, as a tuple)."""

    clock: datetime
    """The build's clock: an earlier one may see other reports under embargo."""
    until: datetime | None
    """When time alone would change the output (None: never)."""
    articles: int
    files: int
    due: datetime | None
    """When the next embargoed report falls due, and its source path, as the build reports."""
    due_path: str
    plain: bool
    """Built without the preview and the editing desk, which change the output without
    changing the settings' part of the cache key."""


def note_of(settings: Settings, site: Site, files: int, due: datetime | None,
            due_path: str) -> Note:
    changes = [t for t in (due, news_until(site)) if t is not None]
    return Note(site.now, min(changes, default=None), len(site.articles), files, due,
                due_path, _plain(settings))


def _plain(settings: Settings) -> bool:
    return not (settings.CMS or settings.SHOW_DRAFTS)


def holds(settings: Settings, state: State, survey: Survey, now: datetime) -> Note | None:
    """The last build's note if its output is still right as it stands, else None."""
    try:  # kept as a plain tuple: a note of another shape is no note, not a broken cache
        last = Note(*state.extra.get("unchanged", ()))
    except TypeError:
        return None
    if not (last.plain and _plain(settings)) or survey.problems:
        return None  # the desk reads node_modules, a preview marks by the clock
    if now < last.clock or (last.until is not None and now >= last.until):
        return None
    if survey.known.keys() != survey.recorded.keys() or any(
            survey.recorded[rel].sha != record.sha for rel, record in survey.known.items()):
        return None
    for rel, photo in state.extra.get("photos", {}).items():
        try:
            stat = os.stat(survey.root / rel)
        except OSError:
            return None
        if (stat.st_size, stat.st_mtime_ns) != (photo.size, photo.mtime_ns):
            return None
    if (state.parse_fingerprint, state.render_fingerprint) != state.current:
        return None  # state.current: what cache.reuse found this build's to be
    return last
