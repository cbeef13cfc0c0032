"""One segment of the static index (a run of documents in date order) kept up to date cheaply.

A segment's files are a pure function of its documents: posting lists in document order,
terms sorted, cut into shards by a rule that depends only on the terms and list sizes. So a
segment patched from the previous build is byte for byte the segment a clean build writes.

State between builds is the segment's shard files in the search cache's file store, read
back where a patch needs them, and a few rows in the record database (:mod:`.records`), not an
object in memory: table ``segment`` holds a small summary per segment (documents, field
totals, shard layout) and table ``lasts`` the last document of each list per shard file (so an
append needs no decoding). A build reads only what it changes. (The lists once sat in the
database as well, a row per term: at 100,000 articles those three million inserts were a fifth
of a cold rebuild.) A shard file that is missing or whose bytes do not match its name makes
the patch give up (:class:`Stale`), and the segment is rebuilt from the records.

- Rebuilding (a cold build, or documents shifted by an older article deleted or inserted):
  the lists are assembled from the stored records one term range at a time and cut into
  shards as they come, each range within a memory budget (:mod:`.assembly`).
- Patching (an edit, an article appended or dropped at the end, a merge into recent or
  mid): only the lists in which a changed document's posting differs are rewritten (an edit
  that keeps the body's length byte leaves most of its terms' lists alone), and only the
  shards of the regions (see :mod:`.cutting`) holding them are cut again.
"""

from __future__ import annotations

import bisect
import json
import marshal
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path

from ..parallel import map_fresh
from .assembly import Assemble
from .cutting import (
    Cutter,
    List,
    Store,
    Writer,
    directories,
    regions,
)
from .records import RANGES, RecordStore
from .shards import has_positions, holds_positions, named_for, positions_name, read_shard
from .varints import read_varint, varint

PARALLEL_DOCS = 2000
"""Documents below which a rebuild stays in-process (forking would cost more)."""
PATCH_LIMIT = 64
"""Positions that may differ before patching costs more than encoding from records."""
APPEND_LIMIT = 512
"""Documents appended at once beyond which encoding from records (on every core) is faster
than reading back and recutting the shards, as for a merge of mid (1,024) into main, which
touches most of them anyway."""
Read = Callable[[str], bytes]


class Stale(Exception):
    """A shard file of the saved segment is gone or altered: rebuild instead of patching."""


@dataclass(slots=True)
class Segment:
    name: str
    start: int
    docs: list[str] = field(default_factory=list)
    """Record key (article sha) per position."""
    title_total: int = 0
    body_total: int = 0
    layout: list[list[str]] = field(default_factory=list)
    """[first term, last term, shard file] per shard, in term order."""
    entries: list[list[str]] = field(default_factory=list)
    """Anchored (main, mid): [first term, directory file]; recent and tail: [first term,
    shard file]."""
    files: list[str] = field(default_factory=list)
    """Names of this segment's files (shards, directories) in the file store."""


def schema(db: sqlite3.Connection) -> None:
    db.execute("CREATE TABLE IF NOT EXISTS lasts (name TEXT PRIMARY KEY, data BLOB)")
    db.execute("CREATE TABLE IF NOT EXISTS segment (name TEXT PRIMARY KEY, summary TEXT)")


def forget(db: sqlite3.Connection, keep: set[str]) -> None:
    """Drop the rows of shard files no segment uses any more."""
    gone = [(name,) for (name,) in db.execute("SELECT name FROM lasts") if name not in keep]
    db.executemany("DELETE FROM lasts WHERE name = ?", gone)


def load(db: sqlite3.Connection, name: str) -> tuple[Segment, str] | None:
    """The segment as last saved and the key it was saved with."""
    row = db.execute("SELECT summary FROM segment WHERE name = ?", (name,)).fetchone()
    try:
        value = json.loads(row[0])
        key = value.pop("key")
        return Segment(**value), key
    except (TypeError, ValueError, KeyError):
        return None


def _remember(db: sqlite3.Connection) -> Callable[[str, list[int]], None]:
    """Keeps a new shard file's last documents (per list, in term order)."""
    def remember(name: str, lasts: list[int]) -> None:
        db.execute("INSERT OR REPLACE INTO lasts VALUES (?, ?)", (name, marshal.dumps(lasts)))
    return remember


def save(db: sqlite3.Connection, segment: Segment, key: str) -> None:
    # Fields one level deep (asdict() copies the lists of 100,000 documents item by item).
    summary = json.dumps({"key": key, **{f.name: getattr(segment, f.name)
                                        for f in fields(segment)}})
    db.execute("INSERT OR REPLACE INTO segment VALUES (?, ?)", (segment.name, summary))


def plan(old: Segment | None, start: int, docs: list[str]) -> tuple[list[int], int] | None:
    """(positions that differ within the common length, common length) or None: rebuild."""
    if old is None or old.start != start:
        return None
    common = min(len(old.docs), len(docs))
    differ = [i for i in range(common) if old.docs[i] != docs[i]]
    if (len(differ) + max(0, len(old.docs) - len(docs)) > PATCH_LIMIT
            or len(docs) - common > APPEND_LIMIT):
        return None
    return differ, common


def rebuild(db: sqlite3.Connection, records: RecordStore, name: str, start: int,
            docs: list[str], categories: int, target: int, anchored: bool, store: Store,
            workers: int = 1, files: Path | None = None,
            wrote: Callable[[str], None] | None = None) -> Segment:
    """Every list from the stored records, one term range at a time.

    Workers assemble the ranges' lists (decoding records, most of a cold rebuild). With
    ``files`` (the store's folder; anchored segments), they also cut, encode and write the
    shards between a range's first anchor and its last cut, which no other range affects
    (:class:`.assembly.Assemble`), and tell this process their names (``wrote`` gets those they
    wrote); this process cuts the rest, the shards spanning range ends, in term order.
    """
    segment = Segment(name, start, list(docs))
    segment.title_total, segment.body_total = records.lengths(docs)
    remember = _remember(db)
    cutter = Cutter(target, anchored, Writer(segment.layout, store, remember, categories))
    parallel_ok = records.file and records.shared_reads and len(docs) >= PARALLEL_DOCS
    job = Assemble(records, start, docs, categories, target, files if anchored else None)
    # A range at a time per worker, each within assembly.BUDGET: both cores assemble.
    for head, shards, tail in map_fresh(job, range(RANGES), workers if parallel_ok else 1,
                                        min_items=2, size=1):
        for entry in head:
            cutter.feed(entry)
        if shards:
            cutter.flush()  # the range's first anchor would have cut here
            for first, last, file, lasts, written in shards:
                segment.layout.append([first, last, file])
                remember(file, lasts)
                if wrote is not None:
                    for made in written:
                        wrote(made)
        for entry in tail:
            cutter.feed(entry)
    cutter.flush()
    segment.files, segment.entries = directories(segment.layout, anchored, store)
    return segment


def patch(db: sqlite3.Connection, records: RecordStore, old: Segment, docs: list[str],
          differ: list[int], common: int, categories: int, target: int, anchored: bool,
          store: Store, read: Read) -> Segment:
    """Bring ``old`` to ``docs``: rewrite the changed lists, recut the regions holding them.

    ``old``'s files must all be in the store (the caller checks; unchanged shards are
    reused by name). Raises :class:`Stale` when a shard file it needs is not as it was
    written.
    """
    start, name = old.start, old.name
    dropped = differ + list(range(common, len(old.docs)))
    added = differ + list(range(common, len(docs)))
    recs = records.get([old.docs[i] for i in dropped] + [docs[i] for i in added])
    segment = Segment(name, start, list(docs), old.title_total, old.body_total)
    remove: dict[str, dict[int, bytes]] = {}
    insert: dict[str, list[tuple[int, bytes]]] = {}
    appended: list[int] = []
    for i in dropped:
        title, body, terms, payloads = recs[old.docs[i]]
        segment.title_total -= title
        segment.body_total -= body
        for term, data in zip(terms, payloads, strict=True):
            remove.setdefault(term, {})[start + i] = data
    for i in added:
        title, body, terms, payloads = recs[docs[i]]
        segment.title_total += title
        segment.body_total += body
        if i >= common and not dropped:
            appended.append(i)  # pure appends need no decoding (the usual new article)
            continue
        for term, data in zip(terms, payloads, strict=True):
            if remove.get(term, {}).get(start + i) == data:
                del remove[term][start + i]  # same posting before and after: the usual edit
            else:
                insert.setdefault(term, []).append((start + i, data))
    remove = {term: postings for term, postings in remove.items() if postings}
    touched = set(remove) | set(insert) | {t for i in appended for t in recs[docs[i]][2]}
    shards = _Shards(db, old.layout, read, categories)
    rows = shards.find(touched)
    new: dict[str, tuple[int, int, bytes] | None] = dict(rows)
    for term in set(remove) | set(insert):
        n, _, data = new.get(term) or (0, -1, b"")
        postings = [p for p in decode(data, categories, term) if p[0] not in remove.get(term, ())]
        new[term] = _encode(sorted(postings + insert.get(term, [])))
    for i in appended:
        _, _, terms, payloads = recs[docs[i]]
        for term, data in zip(terms, payloads, strict=True):
            n, last, out = new.get(term) or (0, -1, b"")
            gap = bytearray()
            varint(start + i - last - 1, gap)
            new[term] = (n + 1, start + i, out + bytes(gap) + data)
    changed = sorted(t for t in touched if new.get(t) != rows.get(t))
    _recut(db, shards, segment, changed, new, categories, target, anchored, store)
    segment.files, segment.entries = directories(segment.layout, anchored, store)
    return segment


class _Shards:
    """The lists of the saved segment's shards, read back from the file store when needed."""

    def __init__(self, db: sqlite3.Connection, layout: list[list[str]], read: Read,
                 categories: int):
        self.db, self.layout, self.read, self.categories = db, layout, read, categories
        self.firsts = [span[0] for span in layout]
        self.loaded: dict[int, list[List]] = {}

    def lists(self, j: int) -> list[List]:
        """Shard ``j``'s lists, checked against the files' names and its stored last
        documents."""
        if j not in self.loaded:
            name = self.layout[j][2]
            try:
                data, places = self.read(name), self.read(positions_name(name))
            except OSError as exc:
                raise Stale(name) from exc
            row = self.db.execute("SELECT data FROM lasts WHERE name = ?", (name,)).fetchone()
            lasts = marshal.loads(row[0]) if row is not None else []
            sound = named_for(name, data) and holds_positions(data, places)
            entries = read_shard(data, places, self.categories) if sound else []
            if not entries or len(lasts) != len(entries):
                raise Stale(name)
            self.loaded[j] = [(term, n, last, chunk)
                              for (term, n, chunk), last in zip(entries, lasts, strict=True)]
        return self.loaded[j]

    def find(self, terms: Iterable[str]) -> dict[str, tuple[int, int, bytes]]:
        """(postings, last document, bytes) of those of ``terms`` the segment holds."""
        wanted: dict[int, set[str]] = {}
        for term in terms:
            j = bisect.bisect_right(self.firsts, term) - 1
            if j >= 0 and term <= self.layout[j][1]:
                wanted.setdefault(j, set()).add(term)
        return {term: (n, last, data) for j, some in wanted.items()
                for term, n, last, data in self.lists(j) if term in some}


def _encode(postings: list[tuple[int, bytes]]) -> tuple[int, int, bytes] | None:
    if not postings:
        return None
    out = bytearray()
    previous = -1
    for doc, data in postings:
        varint(doc - previous - 1, out)
        out += data
        previous = doc
    return len(postings), previous, bytes(out)


def _recut(db: sqlite3.Connection, shards: _Shards, segment: Segment, changed: list[str],
           new: dict[str, tuple[int, int, bytes] | None], categories: int, target: int,
           anchored: bool, store: Store) -> None:
    """Cut again the regions holding changed terms; keep every other shard as it was."""
    layout, firsts = shards.layout, shards.firsts
    blocks = regions(firsts, changed, {t for t in changed if new[t] is None}, anchored)
    reuse = {(f, last): name for f, last, name in layout}
    writer = Writer(segment.layout, store, _remember(db), categories, reuse, changed)
    done = 0
    for a, b in blocks:
        segment.layout += layout[done:a]
        # The region's lists: the old shards' with the changed terms that sort into it
        # (from the first region's start, or up to the next region's first term) replaced.
        lists = {term: (n, last, data) for j in range(a, b)
                 for term, n, last, data in shards.lists(j)}
        low = bisect.bisect_left(changed, firsts[a]) if a > 0 else 0
        high = bisect.bisect_left(changed, firsts[b]) if b < len(firsts) else len(changed)
        for term in changed[low:high]:
            value = new[term]
            if value is None:
                lists.pop(term, None)
            else:
                lists[term] = value
        cutter = Cutter(target, anchored, writer)
        for term in sorted(lists):
            cutter.feed((term, *lists[term]))
        cutter.flush()
        done = b
    segment.layout += layout[done:]


def decode(chunk: bytes, categories: int, term: str) -> Iterator[tuple[int, bytes]]:
    """A posting list → (document, payload bytes) without interpreting the payload."""
    pos, doc, end = 0, -1, len(chunk)
    placed = has_positions(term)
    while pos < end:
        gap, pos = read_varint(chunk, pos)
        doc += gap + 1
        begin = pos
        packed, pos = read_varint(chunk, pos)
        tf_title = tf_body = 0
        if packed & 1:
            tf_title, pos = read_varint(chunk, pos)
        tf_body = (packed >> 1) // categories
        if tf_body:
            pos += 1
        if placed:
            for _ in range(tf_title + tf_body):
                _, pos = read_varint(chunk, pos)
        yield doc, bytes(chunk[begin:pos])
