"""Meldungen: a static, searchable news archive, built as a Pelican plugin.

The whole pipeline is :func:`build`: read → model → derive → render/write. Each step lives in
the module named for it; ``plugin.register()`` only hooks this into Pelican.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path

__version__ = "0.1.0"

Progress = Callable[[str, int, int], None]
"""Called as ``progress(step, done, total)`` while a long step runs."""


@dataclass(frozen=True, slots=True)
class BuildReport:
    articles: int
    files: int
    """Output files the site has."""
    written: int
    """Output files whose bytes changed (all of them in a full build)."""
    full: bool
    """True when no usable build cache existed and everything was rendered."""
    seconds: float
    removed: int = 0
    """Output files an incremental build removed."""
    next_due: datetime | None = None
    """When the next embargoed report falls due (None: none is waiting)."""
    next_path: str = ""
    """That report's source path."""
    bytes_written: int = 0
    """The bytes of the files written."""
    unchanged: bool = False
    """True when nothing had changed, and the build stopped before reading (unchanged.py)."""


def build(settings: Settings, progress: Progress | None = None) -> BuildReport:
    """Build the site into ``settings.OUTPUT_PATH``: all or nothing, and only what changed."""
    # One build per output at a time (publish.exclusive). The cyclic garbage collector is off
    # (its walks over the cached articles and the pages cost a fifth of a build), and
    # long-lived objects are frozen for the workers (heap).
    with exclusive(Path(settings.OUTPUT_PATH)), heap.frozen():
        return _build(settings, progress)


def _build(settings: Settings, progress: Progress | None) -> BuildReport:
    folder = cache.location(settings)
    state = cache.load(folder)
    try:
        with teasers.held(folder):  # the summaries wait in a file, not in memory
            return _run(settings, progress, state, folder)
    finally:
        state.close()


def _run(settings: Settings, progress: Progress | None, state: cache.State,
         folder: Path) -> BuildReport:
    started = time.perf_counter()
    heap.keep()
    workers = parallel.worker_count(settings)
    previous = cache.reuse(state, settings)                          # what is still valid
    output, base = Path(settings.OUTPUT_PATH), state.extra.get("seal")
    trusted = not settings.BUILD_VERIFY and base is not None and outputs.stamp(output) == base
    # A trusted output may need no build at all; otherwise the publisher's look at the output
    # (on the other core) starts first, and the content is surveyed while it runs.
    survey = look(settings, state.sources) if trusted else None      # which files changed
    if survey and (note := holds(settings, state, survey, settings_clock(settings))):
        return _nothing_changed(state, folder, survey, note, started)
    # The cached articles, each read once, keyed by their own paths (not the rows' copies)
    stored = {article.source_path: article for _, article in state.articles.items()}
    last = changes.snapshot(stored)
    # Opened first: unless the output's stamp vouches for it, the publisher looks at the
    # output folder on the other core meanwhile.
    with Publisher(output, previous, state.folders, trusted) as out:
        site = read_site(settings, state.sources, state.articles,    # read + model
                         parse_many=partial(parallel.map_chunks, workers=workers,
                                            progress=_step(progress, "read")),
                         photos=state.extra.setdefault("photos", {}),
                         check_many=partial(parallel.map_chunks, workers=workers, min_items=32),
                         published=state.published,
                         slugs=state.extra.setdefault("slugs", {}), stored=stored,
                         survey=survey, keep=state.keep)
        del stored, survey  # the survey holds a record of every source: not through the render
        shown = site.shown                                           # withdrawn: no listing
        derived = Derived(periods(shown, 1), periods(shown, 2), periods(shown, 3))  # derive
        delta = None if previous is None else changes.compare(
            last, site, state.extra)                                 # pages that keep keys
        del last
        renderer = Renderer(settings, site, folder)
        heap.keep()
        others: list[tuple[str, str]] = []  # (path, template) of pages no report's own
        out.render_pages(noting(all_pages(site, derived, settings, delta), others),  # render
                         count(site, derived, settings), renderer.render, workers,
                         _step(progress, "pages"))
        redirects.refuse_collisions(site, others, settings)
        images.publish(out, shown, str(Path(settings.PATH).resolve()), settings,
                       workers, _step(progress, "photos"))
        out.offer_all(topic_files(site, settings.RELATED_COUNT))
        feeds.offer(out, site, settings)
        out.offer_all(sitemap.files(site, others, settings))
        out.put_all(sitemap.news(site, settings))
        out.put_all(sitemap.robots(settings))
        out.put_all(redirects.files(site, settings))
        out.copy_tree(Path(settings.THEME) / "static", "theme")
        if settings.CMS:                                             # the editing desk
            out.put_all(desk.files(settings, site))
        del others, renderer, derived
        search_index.publish(out, site, settings, workers,
                             None if delta is None else delta.changed, state.extra)
    renamed = changes.remember_topics(state.extra, site)
    # The seal moves by what this build wrote and removed (the old records are still the
    # cache's); without one to move, it is summed over every record once they are stored.
    seal = None if out.full or base is None else outputs.seal(
        out.records, state.outputs, [*out.written, *out.removed], base)
    changed = cache.after(state, out.records, out.full, out.removed, out.folders,
                          urlguard.table(site.articles))
    if seal is None:
        seal = outputs.seal(state.outputs)
    due = _next_embargo(site)
    note = note_of(settings, site, out.files, due.date if due else None,
                   due.source_path if due else "")
    noted, state.extra["seal"] = state.extra.get("unchanged"), seal
    state.extra["unchanged"] = kept = tuple(note)
    if changed or renamed or seal != base or kept != noted:
        cache.save(folder, state)
    outputs.write_stamp(output, seal)                                # last: vouches for it
    return BuildReport(len(site.articles), out.files, len(out.written), out.full,
                       time.perf_counter() - started, len(out.removed), note.due,
                       note.due_path, out.bytes_written)


def _nothing_changed(state: cache.State, folder: Path, survey: Survey, note: Note,
                     started: float) -> BuildReport:
    """The last build's output stands. Only new modification times (a fresh clone's) are
    recorded, so that the next build need not ask git for the hashes again."""
    moved = 0
    for rel, record in survey.known.items():
        if survey.recorded[rel] != record:
            state.sources[rel], moved = record, moved + 1
    if moved:
        cache.save(folder, state)
    return BuildReport(note.articles, note.files, 0, False, time.perf_counter() - started,
                       0, note.due, note.due_path, unchanged=True)


def _next_embargo(site: Site) -> Article | None:
    """The embargoed report that falls due first (drafts wait for an editor, not a time)."""
    waiting = [a for a in site.pending if a.state == "embargoed"]
    return min(waiting, key=lambda a: (a.date, a.source_path), default=None)


def _step(progress: Progress | None, step: str) -> Callable[[int, int], None] | None:
    return None if progress is None else partial(progress, step)


# Imported after BuildReport so that the pipeline above is the first thing a reader sees.
from . import cache, changes, feeds, heap, outputs, parallel, redirects, sitemap, teasers, urlguard  # noqa: E402
from .archives import periods  # noqa: E402
from .cms import desk  # noqa: E402
from .content import read_site, settings_clock  # noqa: E402
from .images import publish as images  # noqa: E402
from .model import Article, Site  # noqa: E402
from .pages import Derived, all_pages, count, noting  # noqa: E402
from .publish import Publisher, exclusive  # noqa: E402
from .related import topic_files  # noqa: E402
from .render import Renderer  # noqa: E402
from .search import export as search_index  # noqa: E402
from .settings import Settings  # noqa: E402
from .sources import Survey, look  # noqa: E402
from .unchanged import Note, holds, note_of  # noqa: E402
