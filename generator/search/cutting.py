"""How a segment's sorted posting lists become shard files, and its shards directory files.

- Shards (``anchored=True``, main and mid): a term whose hash is 0 mod ``ANCHOR`` always
  starts a shard, and between anchors shards are cut greedily at ``target`` bytes. A region
  (an anchor's shards up to the next anchor) is cut the same whatever happens elsewhere, so a
  change recuts its regions only (:func:`regions`), and rewrites the shards of its changed
  terms and not every shard after them, as plain size-cutting would. Recent and tail use
  plain cuts (one region): every merge or addition touches most of their few shards anyway,
  and fewer, fuller shards are cheaper to fetch.
- Directories: an anchored segment lists its shards in directory files, grouped at anchors
  of their own, so the manifest names a few dozen directories instead of every shard.
"""

from __future__ import annotations

import bisect
import hashlib
import os
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

from .shards import content_name, encode_shard, positions_name, stable_json

ANCHOR = 256
"""Terms per anchor on average: larger means fewer forced cuts, more shards moved per edit."""
DIR_ANCHOR = 64
"""Shards per directory file on average (anchored the same way, by the shard's first term)."""
DIR_MAX = 512
List = tuple[str, int, int, bytes]
"""(term, postings, last document, the postings' bytes)."""
Store = Callable[[str, bytes], None]


class Cutter:
    """Sorted lists → shards: a cut before every anchor (when anchored), and after the term
    that brings a shard to ``target`` bytes."""

    def __init__(self, target: int, anchored: bool, emit: Callable[[list[List]], None]):
        self.target, self.anchored, self.emit = target, anchored, emit
        self.batch: list[List] = []
        self.size = 0

    def feed(self, entry: List) -> None:
        term, data = entry[0], entry[3]
        if self.batch and self.anchored and anchor(term):
            self.flush()
        self.batch.append(entry)
        self.size += len(data) + len(term) + 4
        if self.size >= self.target:
            self.flush()

    def flush(self) -> None:
        if self.batch:
            self.emit(self.batch)
            self.batch, self.size = [], 0


class Writer:
    """Encodes a cut shard and its positions into the store and appends ``[first, last,
    shard file]`` to ``layout``; reuses the old files of a span none of whose terms changed."""

    def __init__(self, layout: list[list[str]], store: Store,
                 remember: Callable[[str, list[int]], None], categories: int,
                 reuse: dict[tuple[str, str], str] | None = None, changed: Sequence[str] = ()):
        self.layout, self.store, self.remember = layout, store, remember
        self.categories, self.reuse, self.changed = categories, reuse or {}, changed

    def __call__(self, batch: list[List]) -> None:
        span = (batch[0][0], batch[-1][0])
        name = self.reuse.get(span)
        if name is None or touches(self.changed, *span):
            name, written = shard_files(batch, self.categories)
            for file, data in written:
                self.store(file, data)
            self.remember(name, [last for _, _, last, _ in batch])
        self.layout.append([*span, name])


def shard_files(batch: list[List], categories: int) -> tuple[str, list[tuple[str, bytes]]]:
    """(the shard's name, [(name, bytes)] of the shard and its positions file)."""
    shard, positions = encode_shard([(term, n, chunk) for term, n, _, chunk in batch],
                                    categories)
    name = content_name("s", shard, ".bin")
    return name, [(name, shard), (positions_name(name), positions)]


def put_file(folder: Path, name: str, data: bytes) -> bool:
    """Write a content-named file into the store unless it is there (True: written)."""
    target = folder / name
    if target.is_file():
        return False  # the same bytes, or damage the check on reading finds
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")  # workers write at once
    temporary.write_bytes(data)
    temporary.replace(target)
    return True


def regions(firsts: list[str], changed: list[str], gone: set[str],
            anchored: bool) -> list[list[int]]:
    """``[a, b)`` ranges of shards (by index in ``firsts``, their first terms) to cut again
    so that the sorted ``changed`` terms are in place; ``gone``: those no list holds now."""
    if not changed:
        return []
    if not anchored or not firsts:
        return [[0, len(firsts)]]

    def region_start(j: int) -> int:
        while j > 0 and not anchor(firsts[j]):
            j -= 1
        return j

    found = set()
    for term in changed:
        i = max(0, bisect.bisect_right(firsts, term) - 1)
        a, b = region_start(i), i + 1
        while b < len(firsts) and not anchor(firsts[b]):
            b += 1
        found.add((a, b))
    blocks = _merged(sorted(found))
    # A region whose anchor term is gone runs on from the region before it.
    for block in blocks:
        while block[0] > 0 and firsts[block[0]] in gone:
            block[0] = region_start(block[0] - 1)
    return _merged(blocks)


def _merged(spans: list) -> list[list[int]]:
    out: list[list[int]] = []
    for a, b in spans:
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return out


def directories(layout: list[list[str]], anchored: bool, store: Store
                ) -> tuple[list[str], list[list[str]]]:
    """(the segment's files, its manifest entries): anchored segments list their shards in
    directory files (``[first term, directory]``), recent and tail inline
    (``[first term, shard]``)."""
    listed = [[first, name] for first, _, name in layout]
    files = [file for _, name in listed for file in (name, positions_name(name))]
    if not anchored:
        return files, listed
    entries: list[list[str]] = []
    group: list[list[str]] = []
    for entry in listed:
        if group and (dir_anchor(entry[0]) or len(group) >= DIR_MAX):
            entries.append(_directory(group, store, files))
            group = []
        group.append(entry)
    if group:
        entries.append(_directory(group, store, files))
    return files, entries


def _directory(group: list[list[str]], store: Store, files: list[str]) -> list[str]:
    data = stable_json(group)
    name = content_name("d", data, ".json")
    store(name, data)
    files.append(name)
    return [group[0][0], name]


def touches(changed: Sequence[str], first: str, last: str) -> bool:
    """Whether a sorted list of terms has one in ``first..last``."""
    i = bisect.bisect_left(changed, first)
    return i < len(changed) and changed[i] <= last


def anchor(term: str) -> bool:
    return zlib.crc32(term.encode()) % ANCHOR == 0


def dir_anchor(first: str) -> bool:
    """Directory anchors need a hash independent of the shard anchors' CRC: a shard's first
    term is often a shard anchor, and CRC is linear, so a salted CRC of such a term would
    depend on its length only (at 10,000 articles that made 8 directories, not 30)."""
    return hashlib.blake2b(first.encode(), digest_size=4).digest()[0] % DIR_ANCHOR == 0
