"""A rebuild's worker: one term range's posting lists, assembled from the stored records in
memory that does not grow with the archive.

The records are read a chunk at a time (:func:`.records.read_range`), and the lists grow until
they hold :data:`BUDGET` bytes. Then they are written out, sorted by term, as a run in a
temporary file, and the lists start again empty. At the end the runs are merged term by term,
as an external sort merges its runs. Every posting is written and read back once more, so
the cost stays linear in the archive; a range that fits the budget makes no run at all.
"""

from __future__ import annotations

import contextlib
import heapq
import marshal
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from operator import itemgetter
from pathlib import Path
from typing import IO

from .. import heap
from .cutting import Cutter, List, anchor, put_file, shard_files
from .records import RecordStore, read_range
from .varints import read_varint, varint

BUDGET = 48 << 20
"""Bytes of posting lists a range holds before it writes them out as a run. At a million
articles a twelfth of main's lists is some 1.5 GB."""
LIST_COST = 200
"""What a list costs beyond its bytes (its term, its dict slot, the list and the bytearray)."""
RUN_BATCH = 1 << 20
"""Bytes of lists per marshalled batch of a run file: the merge holds a batch of each run."""

Cut = tuple[str, str, str, list[int], list[str]]
"""A shard a worker wrote: (first term, last term, file, last documents, the files of it
newly written)."""


class Assemble:
    """Term range ``k`` → (head, shards, tail): its posting lists ``(term, count, last
    document, bytes)``, sorted, of which with ``files`` the run from the first anchor up to
    the last cut is made into shards here.

    From an anchor on, cutting does not depend on what came before (an anchor always starts
    a shard), so only the lists before the range's first anchor (head) and the open shard at
    its end (tail) are left to the process that joins the ranges. Picklable for
    :func:`..parallel.map_fresh`: a worker reads the records through its own connection.
    """

    def __init__(self, records: RecordStore, start: int, docs: list[str], categories: int,
                 target: int = 0, files: Path | None = None):
        self.records, self.start, self.target, self.files = records, start, target, files
        self.categories = categories
        self.path = records.folder / "records.sqlite"
        self.spill = records.folder if records.file else None
        self.numbers = records.numbers(docs)
        self.budget = BUDGET  # with the task to the workers

    def __getstate__(self) -> dict:
        return {**self.__dict__, "records": None}

    def __call__(self, k: int) -> tuple[list[List], list[Cut], list[List]]:
        if self.records is not None:  # in this process
            return self._cut(self._lists(read_range(self.records.db, k, self.numbers)))
        with contextlib.closing(sqlite3.connect(self.path)) as db:
            made = self._cut(self._lists(read_range(db, k, self.numbers)))
        heap.trim()  # a worker that waited holding its last range's peak doubled the tree's
        return made

    def _lists(self, found: Iterable[tuple[int, tuple[str, ...], tuple[bytes, ...]]]
               ) -> Iterator[List]:
        lists: dict[str, list] = {}
        get, held = lists.get, 0
        runs: list[IO[bytes]] = []
        with contextlib.ExitStack() as temporary:  # the runs' files, removed when closed
            for position, terms, payloads in found:
                doc = self.start + position
                for term, data in zip(terms, payloads, strict=True):
                    entry = get(term)
                    if entry is None:
                        entry = lists[term] = [bytearray(), 0, -1]
                    gap = doc - entry[2] - 1
                    if gap < 0x80:  # the usual case, without a call
                        entry[0].append(gap)
                    else:
                        varint(gap, entry[0])
                    entry[0] += data
                    entry[1] += 1
                    entry[2] = doc
                held += sum(map(len, payloads)) + len(payloads)
                if held + LIST_COST * len(lists) > self.budget:
                    runs.append(_run(temporary.enter_context(self._file()), lists))
                    lists = {}  # a new dict: an emptied one keeps its table
                    get, held = lists.get, 0
            if not runs:
                yield from _drained(lists)
                return
            if lists:
                runs.append(_run(temporary.enter_context(self._file()), lists))
            del lists, get
            yield from _merged([_read(run) for run in runs])

    def _file(self) -> IO[bytes]:
        return tempfile.TemporaryFile(dir=self.spill, prefix="run-")

    def _cut(self, lists: Iterable[List]) -> tuple[list[List], list[Cut], list[List]]:
        if self.files is None:
            return list(lists), [], []
        shards: list[Cut] = []
        cutter = Cutter(self.target, True, lambda batch: shards.append(self._write(batch)))
        head: list[List] = []
        lists = iter(lists)
        for entry in lists:
            if anchor(entry[0]):
                cutter.feed(entry)
                break
            head.append(entry)
        for entry in lists:  # each list freed once its shard is written
            cutter.feed(entry)
        return head, shards, cutter.batch

    def _write(self, batch: list[List]) -> Cut:
        name, made = shard_files(batch, self.categories)
        return (batch[0][0], batch[-1][0], name, [last for _, _, last, _ in batch],
                [file for file, data in made if put_file(self.files, file, data)])


def _drained(lists: dict[str, list]) -> Iterator[List]:
    """The lists sorted by term, each's bytes freed as it is copied."""
    for term in sorted(lists):
        data, count, last = lists.pop(term)
        yield term, count, last, bytes(data)


def _run(run: IO[bytes], lists: dict[str, list]) -> IO[bytes]:
    """The lists, sorted, written to ``run`` (emptying them), which is then read from its
    start."""
    batch, size = [], 0
    for entry in _drained(lists):
        batch.append(entry)
        size += len(entry[3])
        if size >= RUN_BATCH:
            marshal.dump(batch, run)
            batch, size = [], 0
    marshal.dump(batch, run)
    run.seek(0)
    return run


def _read(run: IO[bytes]) -> Iterator[List]:
    while True:
        try:
            batch = marshal.load(run)
        except EOFError:
            return
        yield from batch


def _merged(runs: list[Iterator[List]]) -> Iterator[List]:
    """One list per term from the runs' pieces, in the runs' order (documents ascending).

    Each run's list starts with its first document's gap from -1, that is the document
    itself; joined after an earlier piece it becomes the gap from that piece's last.
    """
    term, count, last, pieces = None, 0, -1, []
    for piece in heapq.merge(*runs, key=itemgetter(0)):  # stable: equal terms in run order
        if piece[0] != term:
            if term is not None:
                yield term, count, last, b"".join(pieces)
            term, count, last, pieces = piece[0], piece[1], piece[2], [piece[3]]
            continue
        data = piece[3]
        first, at = read_varint(data, 0)
        gap = bytearray()
        varint(first - last - 1, gap)
        pieces += (gap, memoryview(data)[at:])
        count += piece[1]
        last = piece[2]
    if term is not None:
        yield term, count, last, b"".join(pieces)
