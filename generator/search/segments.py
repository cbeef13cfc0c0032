"""One segment of the static index (a run of documents in date order) kept up to date cheaply.

A segment's files are a pure function of its documents: posting lists in document order,
terms sorted, cut into shards by a rule that depends only on the terms and list sizes. So a
segment patched from the previous build is byte for byte the segment a clean build writes.

- Patching: when only a few positions differ (an edit, an article appended or dropped at the
  end), only the posting lists of those documents' terms are decoded and re-encoded.
- Rebuilding: when documents shifted (an older article deleted or inserted), every list is
  encoded again from the stored records (no analysis; see :mod:`.records`).
- Shards (``anchored=True``, main): a term whose hash is 0 mod ``ANCHOR`` always starts a
  shard, and between anchors shards are cut greedily at ``target`` bytes. A changed list moves
  cuts only up to the next anchor, so an edit rewrites the shards of its changed terms and
  not every shard after them, as plain size-cutting would. The tail uses plain cuts: every
  addition touches most of its few shards anyway, and fewer, fuller shards are cheaper to
  fetch.
"""

from __future__ import annotations

import bisect
import pickle
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .records import Record
from .shards import content_name, encode_shard, stable_json, varint

ANCHOR = 256
"""Terms per anchor on average: larger means fewer forced cuts, more shards moved per edit."""
DIR_ANCHOR = 64
"""Shards per directory file on average (anchored the same way, by the shard's first term)."""
DIR_MAX = 512
PATCH_LIMIT = 64
"""Positions that may differ before patching costs more than encoding from records."""


@dataclass(slots=True)
class Segment:
    start: int
    docs: list[str] = field(default_factory=list)
    """Record key (article sha) per position."""
    lists: dict[str, bytearray] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    last: dict[str, int] = field(default_factory=dict)
    terms: list[str] = field(default_factory=list)
    """Sorted vocabulary."""
    title_total: int = 0
    body_total: int = 0
    layout: dict[tuple[str, str], str] = field(default_factory=dict)
    """(first term, last term) → shard file name, as last written."""
    entries: list[list[str]] = field(default_factory=list)
    """Main: [first term, directory file]; tail: [first term, shard file]."""
    files: list[str] = field(default_factory=list)
    """Names of this segment's files (shards, directories) in the file store."""


def _add(segment: Segment, term: str, doc: int, data: bytes) -> None:
    """Append one posting; documents come in ascending order per term."""
    out = segment.lists.get(term)
    if out is None:
        out = segment.lists[term] = bytearray()
        segment.counts[term] = 0
    varint(doc - segment.last.get(term, -1) - 1, out)
    out += data
    segment.last[term] = doc
    segment.counts[term] += 1


def rebuild(start: int, docs: list[str], records: dict[str, Record]) -> Segment:
    segment = Segment(start, list(docs))
    for position, sha in enumerate(docs):
        title, body, terms, payloads = records[sha]
        segment.title_total += title
        segment.body_total += body
        doc = start + position
        for term, data in zip(terms, payloads, strict=True):
            _add(segment, term, doc, data)
    segment.terms = sorted(segment.lists)
    return segment


def plan(old: Segment | None, start: int, docs: list[str]) -> tuple[list[int], int] | None:
    """(positions that differ within the common length, common length) or None: rebuild."""
    if old is None or old.start != start:
        return None
    common = min(len(old.docs), len(docs))
    differ = [i for i in range(common) if old.docs[i] != docs[i]]
    if len(differ) + max(0, len(old.docs) - len(docs)) > PATCH_LIMIT:
        return None
    return differ, common


def patch(segment: Segment, docs: list[str], differ: list[int], common: int,
          records: Callable[[list[str]], dict[str, Record]], categories: int) -> set[str]:
    """Bring ``segment`` to ``docs`` in place; return the terms whose lists changed."""
    start = segment.start
    dropped = differ + list(range(common, len(segment.docs)))
    added = differ + list(range(common, len(docs)))
    recs = records([segment.docs[i] for i in dropped] + [docs[i] for i in added])
    remove: dict[str, set[int]] = {}
    insert: dict[str, list[tuple[int, bytes]]] = {}
    for i in dropped:
        title, body, terms, _ = recs[segment.docs[i]]
        segment.title_total -= title
        segment.body_total -= body
        for term in terms:
            remove.setdefault(term, set()).add(start + i)
    appended: list[int] = []
    for i in added:
        title, body, terms, payloads = recs[docs[i]]
        segment.title_total += title
        segment.body_total += body
        if i >= common and not dropped:
            appended.append(i)  # pure appends need no decoding (the usual new article)
            continue
        for term, data in zip(terms, payloads, strict=True):
            insert.setdefault(term, []).append((start + i, data))
    dirty = set()
    for term in set(remove) | set(insert):
        before = segment.lists.get(term)
        postings = [p for p in decode(before or b"", categories)
                    if p[0] not in remove.get(term, ())]
        postings = sorted(postings + insert.get(term, []))
        _replace(segment, term, postings)
        if segment.lists.get(term) != before:  # an edit keeps most of its postings as they were
            dirty.add(term)
    for i in appended:
        _, _, terms, payloads = recs[docs[i]]
        for term, data in zip(terms, payloads, strict=True):
            if term not in segment.lists:
                bisect.insort(segment.terms, term)
            _add(segment, term, start + i, data)
            dirty.add(term)
    segment.docs = list(docs)
    return dirty


def _replace(segment: Segment, term: str, postings: list[tuple[int, bytes]]) -> None:
    if not postings:
        if term in segment.lists:
            del segment.lists[term], segment.counts[term], segment.last[term]
            segment.terms.pop(bisect.bisect_left(segment.terms, term))
        return
    if term not in segment.lists:
        bisect.insort(segment.terms, term)
    out = bytearray()
    previous = -1
    for doc, data in postings:
        varint(doc - previous - 1, out)
        out += data
        previous = doc
    segment.lists[term] = out
    segment.counts[term] = len(postings)
    segment.last[term] = previous


def decode(chunk: bytes, categories: int) -> Iterator[tuple[int, bytes]]:
    """A posting list → (document, payload bytes) without interpreting the payload."""
    pos, doc, end = 0, -1, len(chunk)
    while pos < end:
        gap, pos = _uv(chunk, pos)
        doc += gap + 1
        begin = pos
        packed, pos = _uv(chunk, pos)
        if packed & 1:
            _, pos = _uv(chunk, pos)
        if (packed >> 1) // categories:
            pos += 1
        yield doc, bytes(chunk[begin:pos])


def _uv(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7


def _anchor(text: str, every: int, salt: bytes = b"") -> bool:
    # The salt keeps directory anchors independent of shard anchors (a shard's first term is
    # often a shard anchor, and would then always start a directory too).
    return zlib.crc32(salt + text.encode()) % every == 0


def cuts(segment: Segment, target: int, anchored: bool) -> Iterator[tuple[int, int]]:
    """(first, end) index ranges into ``segment.terms``, one per shard."""
    terms, lists = segment.terms, segment.lists
    begin, size = 0, 0
    for i, term in enumerate(terms):
        if i > begin and anchored and _anchor(term, ANCHOR):
            yield begin, i
            begin, size = i, 0
        size += len(lists[term]) + len(term) + 4
        if size >= target:
            yield begin, i + 1
            begin, size = i + 1, 0
    if begin < len(terms):
        yield begin, len(terms)


def write_files(segment: Segment, target: int, anchored: bool, dirty: set[str] | None,
                store: Callable[[str, bytes], None]) -> None:
    """Lay out shards (reusing unchanged ones) and, for main, directory files."""
    terms = segment.terms
    changed = sorted(dirty) if dirty is not None else None
    layout: dict[tuple[str, str], str] = {}
    listed: list[list[str]] = []
    for begin, end in cuts(segment, target, anchored):
        span = (terms[begin], terms[end - 1])
        name = segment.layout.get(span)
        if name is None or changed is None or _touches(changed, *span):
            batch = [(t, segment.counts[t], bytes(segment.lists[t])) for t in terms[begin:end]]
            data = encode_shard(batch)
            name = content_name("s", data, ".bin")
            store(name, data)
        layout[span] = name
        listed.append([span[0], name])
    segment.layout = layout
    segment.files = [name for _, name in listed]
    if not anchored:
        segment.entries = listed
        return
    segment.entries = []
    group: list[list[str]] = []
    for entry in listed:
        if group and (_anchor(entry[0], DIR_ANCHOR, b"dir") or len(group) >= DIR_MAX):
            _directory(segment, group, store)
            group = []
        group.append(entry)
    if group:
        _directory(segment, group, store)


def _directory(segment: Segment, group: list[list[str]], store: Callable[[str, bytes], None]
               ) -> None:
    data = stable_json(group)
    name = content_name("d", data, ".json")
    store(name, data)
    segment.files.append(name)
    segment.entries.append([group[0][0], name])


def _touches(changed: list[str], first: str, last: str) -> bool:
    i = bisect.bisect_left(changed, first)
    return i < len(changed) and changed[i] <= last


def save(segment: Segment, path: Path) -> None:
    temporary = path.with_suffix(".tmp")
    with open(temporary, "wb") as handle:
        pickle.dump(segment, handle, protocol=pickle.HIGHEST_PROTOCOL)
    temporary.replace(path)


def load(path: Path) -> Segment | None:
    try:
        with open(path, "rb") as handle:
            segment = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError,
            ImportError, IndexError):
        return None
    return segment if isinstance(segment, Segment) else None
