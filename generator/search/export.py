"""The static search index under ``search/``: postings straight from the analyzer, no whoosh writer.

Layout (all names but the manifest's and the result files' carry a content hash, so hosts may
cache them forever):

- ``search/manifest.json``: stats, scoring parameters, stop words, categories, the segments,
  the names of the small directory files and of the common words' vocabulary files, and the
  result files' block tags. It grows with years and categories and slowly with articles
  (one directory per ~64 shards, one tag per 2,048 articles).
- segments: documents are numbered in date order (oldest 0). ``main`` holds documents
  ``0..M`` and ``mid`` ``M..R``, each listing directory files ``d/*.json`` (first term →
  shard); ``recent`` holds ``R..T`` and ``tail`` ``T..N``, each listing its few shards
  inline, with ``M = N − N mod SEARCH_MID_DOCS``, ``R = N − N mod SEARCH_RECENT_DOCS`` and
  ``T = N − N mod SEARCH_TAIL_DOCS``.
- ``s/*.bin``: term shards, and ``p/*.bin`` beside each its words' positions, which only
  phrase queries load (see :mod:`.shards` and :mod:`.segments`).
- ``r/<tag>/<doc>.json``: what a result shows of each document (:mod:`.results`).
- ``v/*``: the typo vocabulary (:mod:`.vocabulary`).
- ``y/*.json``: per year, the first document of each day, fetched only for date filters.

Incremental, and equal to a clean export byte for byte. Everything above is a pure function
of the articles (the split points included), so there is no history to
diverge: no tombstones, no merge history. What the cache buys is speed. Each article is
analyzed once per content hash (:mod:`.records`, in parallel when many); each segment is
patched where only a few positions changed, and rebuilt from the stored records when
documents shifted or many were appended.
Records live in SQLite and posting lists in the shard files of the cache's file store, not in
memory: a build reads what it changes, and a rebuild holds one term range's lists at a time
(memory grows gently with the archive).
What a change costs (files written; each shard comes with its positions file):

- a new newest article: the tail's shards (a full-length article has terms in every one; the
  tail of at most 3 articles has 1 to 3), the manifest, its result file (and, when it completes
  a block of 128 or 2,048, that block's under their new tag), the year file. Every
  ``SEARCH_TAIL_DOCS`` (4) additions the tail moves into recent, every ``SEARCH_RECENT_DOCS``
  (32) recent moves into mid, and every ``SEARCH_MID_DOCS`` (1,024) mid into main (Lucene's
  merges, on a fixed schedule), each rewriting the shards of the segment merged into that the
  moved articles touch. Four levels keep every kind of step small. Each addition rewrites all of
  the newest segment's shards, so that one must stay a few files: a tail of 32 (as once) had
  some 11 at its fullest, and one of up to 255 (before that) some 30 at 100,000 articles.
  Merging every few additions straight into mid would rewrite most of mid's hundreds of shards
  that often, and every 32 straight into main most of main's 20,000. What a level costs a query
  is one shard per term;
- an edit of an older article that keeps its date: the shards holding the terms whose
  postings changed (all its terms if its body length moved to another length byte), their
  directory files, its result file, the manifest;
- withdrawing an article (``status: withdrawn``): it stays in its place as an empty
  document, so only the lists that held its terms change, their shards and directory files,
  its result file and the manifest: nothing is renumbered;
- deleting an older article, or inserting one: the documents after it are renumbered, so
  nearly every shard and result file after it changes; this costs encoding, not analysis.

Why not Lucene's tombstones, which would make deletion cheap: a clean build has no history,
so its output could never equal the incremental one, and the build cache promises exactly that.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import json
import logging
import os
import sqlite3
import zlib
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from .. import cache as build_cache
from .. import heap
from ..errors import MeldungenError
from ..model import Site
from ..outputs import KEEP
from ..settings import Settings
from . import documents as D
from . import results, vocabulary
from . import segments as S
from .analysis import STOP_WORDS, lexicon_version
from .cutting import put_file
from .records import RecordStore
from .shards import content_name, holds_positions, named_for, shard_of, stable_json

log = logging.getLogger("meldungen")
FORMAT = 12
"""Bumped whenever analysis or file formats change: old caches are then ignored (12: the
record database's word tables without rowid)."""
MANIFEST_FORMAT = 11
"""The manifest's layout, for clients (7: it names the open metadata chunk; 8: positions in
word postings, passage files, the typo vocabulary; 9: result files, the vocabulary in two
tiers; 10: partialBelow; 11: shards in columns, positions in files of their own). Apart from
FORMAT so that a change the stored records don't see costs no new analysis."""
PREFIX = "search"
WRITE_ONLY = ("__init__.py", "cache/", "cms/", "commands/", "images/", "archives.py",
              "changes.py", "check.py", "cli.py", "deploy.py", "feeds.py", "heap.py",
              "importer.py", "outputs.py", "pages.py", "plugin.py", "publish.py", "redirects.py",
              "related.py", "render.py", "seo.py", "sitemap.py", "synth.py", "urlguard.py",
              "search/engine.py", "search/corpus.py")
"""Modules of the package that neither read nor analyze a report: a change to them keeps the
search records (at 100,000 articles analyzing them again takes a quarter of an hour)."""
SEGMENT_ONLY = ("search/assembly.py", "search/cutting.py", "search/export.py",
                "search/segments.py", "search/shards.py")
"""Modules that cut and write the index from the records: a change to them rebuilds the
segments from the kept records (FORMAT, above, is the records' own)."""
OFFER_CHUNK = 2000
"""Files offered to the publisher at a time."""


class Level(NamedTuple):
    name: str
    anchored: bool
    """Cut at anchors and listed in directory files, or cut plainly and listed inline (recent
    and tail, whose few shards a merge or an addition rewrites anyway)."""
    share: int
    """Shards of SEARCH_SHARD_BYTES / share. A query reads one shard per term from each
    segment, and the short lists of mid and recent leave their shards mostly other terms:
    half-size shards there cost a query fewer bytes, and a merge into them twice the files.
    The tail keeps full shards, since every addition rewrites all of them."""
    size: str | None
    """The setting naming the level's size: it starts at the last multiple of it before the
    newest article (main, at the first)."""


LEVELS = (Level("main", True, 1, None), Level("mid", True, 2, "SEARCH_MID_DOCS"),
          Level("recent", False, 2, "SEARCH_RECENT_DOCS"),
          Level("tail", False, 1, "SEARCH_TAIL_DOCS"))


@dataclass(frozen=True, slots=True)
class Output:
    path: str
    """Relative to the output folder."""
    key: str | None
    """Same key, same bytes (content-named files); None: always produced and compared."""
    make: Callable[[], bytes]


def files(site: Site, settings: Settings, workers: int = 1,
          compounds: bool = True) -> Iterator[tuple[str, bytes]]:
    """Every file of the static index, paths relative to the output folder."""
    with outputs(site, settings, workers, compounds) as made:
        for output in made:
            yield output.path, output.make()


def publish(out, site: Site, settings: Settings, workers: int = 1,
            changed: Collection[str] | None = None,
            extra: dict[str, object] | None = None) -> None:
    """Offer every index file to a :class:`..publish.Publisher`; unchanged ones cost nothing.
    A full publish reads every file of the cache's store, so those are checked first.

    ``changed``: the source paths of the reports that changed since the last build (None:
    not known). The result files of the others are offered as :data:`..outputs.KEEP` where
    the last build's numbering holds (kept in the build cache's ``extra``, which gets this
    build's), so that a trusted build keeps them without a lookup each.
    """
    tiers = results.tags([a.url for a in site.articles])
    before = extra.get(_RESULTS) if extra is not None and changed is not None else None
    with outputs(site, settings, workers, verify=out.full, tiers=tiers,
                 unchanged=None if before is None else (before, changed)) as made:
        while chunk := list(itertools.islice(made, OFFER_CHUNK)):  # records asked together
            out.offer_all((o.path, o.key, o.make) for o in chunk)
    if extra is not None:
        extra[_RESULTS] = tiers


_RESULTS = "search results"
"""Key of the last build's result file tiers in the build cache's ``extra``."""


@contextlib.contextmanager
def outputs(site: Site, settings: Settings, workers: int = 1, compounds: bool = True,
            verify: bool = True, tiers: list[list[str]] | None = None,
            unchanged: tuple[list[list[str]], Collection[str]] | None = None
            ) -> Iterator[Iterator[Output]]:
    """``compounds=False`` (no compound-part terms) only measures what compounds cost.
    ``tiers``: the result files' (:func:`.results.tags`), if made already; ``unchanged``:
    the last build's, and the reports changed since (see :func:`publish`).

    ``verify``: check the store files this build did not write against their names, and
    rebuild the segments from the records if one is damaged (else only files read later are
    checked, and a damaged one stops the build; see :meth:`_Index.reader`).
    The index is brought up to date on entering; the files come one at a time (a list of
    them all held a hundred thousand keys at once), and their ``make`` works until the block
    ends, which closes the record store's readers (see :class:`.records.Reader`).
    """
    folder = cache_root(settings) / ("static" if compounds else "static-plain")
    index = _Index(folder, settings, compounds)
    try:
        segments = index.update(site, workers)
        if verify and index.drop_damaged([f for s in segments for f in s.files]):
            segments = index.update(site, workers)
        passages = index.records.passages([a.sha for a in site.articles])
        passage = index.records.passage_reader()
        vocab, words = vocabulary.files(index.records.db, len(site.shown))
        word_file = index.records.vocabulary_reader()
    finally:
        index.close()
    try:
        years = {str(year): (content_name("y", data, ".json"), data)
                 for year, data in _calendar(site, settings)}
        if tiers is None:
            tiers = results.tags([a.url for a in site.articles])
        before, changed = unchanged if unchanged is not None else (None, ())
        yield itertools.chain(
            (Output(f"{PREFIX}/{name}", name, index.reader(name))
             for segment in segments for name in sorted(segment.files)),
            (Output(f"{PREFIX}/{name}", name, functools.partial(word_file, name))
             for name in words),
            # The path is the record's own: the key needs only what the file shows.
            (Output(f"{PREFIX}/{path}", KEEP if same and article.source_path not in changed
                    else f"{article.teaser_key}:{name[2:-5]}",
                    results.Result(article, settings, functools.partial(passage, name)))
             for article, name, (path, same) in zip(site.articles, passages,
                                                    results.paths(tiers, before), strict=True)),
            (Output(f"{PREFIX}/{name}", None, _const(data)) for name, data in years.values()),
            [Output(f"{PREFIX}/manifest.json", None, _const(_manifest(
                site, settings, segments, vocab, tiers, {y: n for y, (n, _) in years.items()})))])
    finally:
        passage.close()
        word_file.close()


def _manifest(site: Site, settings: Settings, segments: list[S.Segment], vocab: dict,
              tiers: list[list[str]], years: dict[str, str]) -> bytes:
    n = len(site.articles)
    return stable_json({
        "v": MANIFEST_FORMAT,
        "n": n,
        "avg": [sum(s.title_total for s in segments) / (n or 1),
                sum(s.body_total for s in segments) / (n or 1)],
        "k1": D.K1,
        "b": D.B_BODY,
        "boost": {"title": D.BOOST_TITLE, "part": D.BOOST_PART, "prefix": D.BOOST_PREFIX,
                  "fuzzy": D.BOOST_FUZZY, "surface": D.BOOST_SURFACE},
        **vocab,
        "prefixMin": D.PREFIX_MIN,
        "prefixMax": D.PREFIX_MAX,
        "partialBelow": D.PARTIAL_BELOW,
        "categories": list(settings.CATEGORIES),
        "stop": sorted(STOP_WORDS),
        "results": {"tiers": list(results.TIERS), "tags": tiers},
        "years": years,
        "segments": [{"from": s.start, "to": s.start + len(s.docs),
                      ("dirs" if level.anchored else "shards"): s.entries}
                     for s, level in zip(segments, LEVELS, strict=True)],
    })


def _const(data: bytes) -> Callable[[], bytes]:
    return lambda: data


def _calendar(site: Site, settings: Settings) -> Iterator[tuple[int, bytes]]:
    """Per year: [[YYYYMMDD, first document of that day], ...]."""
    current, days, last = None, [], None
    for article in site.articles:
        day = D.local_day(article, settings)[0]
        if day // 10000 != current:
            if current is not None:
                yield current, stable_json(days)
            current, days = day // 10000, []
        if day != last:
            days.append([day, article.index])
            last = day
    if current is not None:
        yield current, stable_json(days)


def fingerprints(settings: Settings, package: Path | None = None) -> tuple[str, str]:
    """The code the records depend on, and the code the segments' files depend on."""
    def code(skip: tuple[str, ...]) -> str:
        return build_cache.code_fingerprint(settings, theme=False, with_settings=False,
                                            skip=skip, package=package)
    return code(WRITE_ONLY + SEGMENT_ONLY), code(WRITE_ONLY)


def cache_root(settings: Settings) -> Path:
    """The build cache's ``search`` folder (whoosh index, static export's records/segments)."""
    return build_cache.location(settings) / "search"


class _Index:
    """The segments, their file store and the record database in the cache folder."""

    def __init__(self, folder: Path, settings: Settings, compounds: bool = True):
        self.folder, self.settings = folder, settings
        # Records depend on the code that reads and analyzes (a changed analyzer must not
        # meet old records), the lexicon and the categories (their numbers ride in every
        # posting); shards also on the settings named below. Not on any other setting or
        # module: a new site name or page template must not cost analyzing the archive again.
        code, writer = fingerprints(settings)
        record_key = {"format": FORMAT, "categories": list(settings.CATEGORIES),
                      "compounds": compounds, "lexicon": lexicon_version(), "code": code}
        self.key = json.dumps({**record_key, "writer": writer,
                               "shard": settings.SEARCH_SHARD_BYTES,
                               "levels": [getattr(settings, level.size) for level in LEVELS
                                          if level.size],
                               "zone": settings.TIMEZONE})
        self.records = RecordStore(folder, settings, json.dumps(record_key), compounds)
        self.store = folder / "files"
        self.writable = True
        self.workers = 1
        self.before: set[str] | None = None
        """Store files the saved segments use, gathered by update() (None: not known)."""
        self.fresh: set[str] = set()
        """Store files this build wrote (any other is checked when it is read to publish)."""

    def update(self, site: Site, workers: int) -> list[S.Segment]:
        """The segments (:data:`LEVELS`), brought up to date with the articles."""
        docs = [a.sha for a in site.articles]
        n = len(docs)
        starts = [n - n % getattr(self.settings, level.size) if level.size else 0
                  for level in LEVELS]
        self.workers = workers
        self.records.ensure(site.articles, workers)
        heap.trim()  # what receiving and storing the records freed, before the rebuild's peak
        db = self.records.db
        S.schema(db)
        result = []
        self.before = set()
        for level, start, end in zip(LEVELS, starts, [*starts[1:], n], strict=True):
            result.append(self._segment(db, level, start, docs[start:end]))
        self.records.keep_only(set(docs))
        used = {f for segment in result for f in segment.files}
        S.forget(db, used)
        try:
            db.commit()
        except sqlite3.Error as exc:
            self._lost(exc)
        self._gc(used)
        return result

    def _segment(self, db: sqlite3.Connection, level: Level, start: int, docs: list[str]
                 ) -> S.Segment:
        name, anchored = level.name, level.anchored
        loaded = S.load(db, name)
        if loaded is None or self.before is None:
            self.before = None
        else:
            self.before.update(loaded[0].files)
        old = loaded[0] if loaded is not None and loaded[1] == self.key else None
        if old is not None and not all(map(self._has, old.files)):
            old = None  # a patch would keep naming the missing files
        if old is not None and old.start == start and old.docs == docs:
            return old  # unchanged: its summary is all the build needs, not the posting lists
        how = S.plan(old, start, docs)
        target = self.settings.SEARCH_SHARD_BYTES // level.share
        segment = None
        if old is not None and how is not None:
            try:
                segment = S.patch(db, self.records, old, docs, *how,
                                  categories=len(self.settings.CATEGORIES), target=target,
                                  anchored=anchored, store=self._put, read=self._read)
            except S.Stale as exc:
                log.info("search cache: shard %s is not as written; rebuilding %s", exc, name)
        if segment is None:
            segment = S.rebuild(db, self.records, name, start, docs,
                                len(self.settings.CATEGORIES), target, anchored,
                                self._put, self.workers, self.store, self.fresh.add)
        S.save(db, segment, self.key)
        return segment

    def _has(self, name: str) -> bool:
        """Whether the store holds this file (strings, not Path: 33,000 calls at 100,000)."""
        return os.path.isfile(f"{self.store}/{name}")

    def _read(self, name: str) -> bytes:
        return (self.store / name).read_bytes()

    def reader(self, name: str) -> Callable[[], bytes]:
        """The file's bytes for publishing, checked against its name unless written now."""
        def read() -> bytes:
            data = self._read(name)
            if name not in self.fresh and not self._sound(name, data):
                (self.store / name).unlink(missing_ok=True)  # the next build rebuilds it
                raise MeldungenError(f"{self.store / name}: this file of the search cache "
                                     "does not match its name (damaged); it was removed, "
                                     "run the build again")
            return data
        return read

    def drop_damaged(self, names: list[str]) -> bool:
        """Remove the store files among ``names`` whose bytes do not match their name."""
        damaged, shard = [], ("", b"")  # the last shard read: its positions file comes next
        for name in names:
            if name in self.fresh:
                continue
            data = self._read(name)
            if not self._sound(name, data, shard[1] if shard[0] == shard_of(name) else None):
                damaged.append(name)
            if name.startswith("s/"):
                shard = name, data
        for name in damaged:
            log.warning("search cache: %s is damaged; rebuilding the index", name)
            (self.store / name).unlink()
        return bool(damaged)

    def _sound(self, name: str, data: bytes, shard: bytes | None = None) -> bool:
        """Whether a store file is what its name says; a positions file is named by its shard
        (``shard``: its bytes, if read already), which holds its digest."""
        if not name.startswith("p/"):
            return named_for(name, data)
        try:
            return holds_positions(shard if shard is not None else self._read(shard_of(name)),
                                   data)
        except (OSError, zlib.error):
            return False

    def _put(self, name: str, data: bytes) -> None:
        if put_file(self.store, name, data):
            self.fresh.add(name)

    def _gc(self, keep: set[str]) -> None:
        """Drop store files no segment uses: those the last segments used, when known (a walk
        of the store costs most of an unchanged build's export at 100,000 articles)."""
        if self.before is not None:
            for name in self.before - keep:
                (self.store / name).unlink(missing_ok=True)
            return
        for path in self.store.rglob("*"):
            if path.is_file() and path.relative_to(self.store).as_posix() not in keep:
                path.unlink()

    def close(self) -> None:
        self.records.close()

    def _lost(self, exc: OSError) -> None:
        log.warning("search cache %s not written: %s", self.folder, exc)
        self.writable = False
