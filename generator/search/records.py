"""Each article's analyzed postings, computed once per content hash and kept in a small database.

A record is what one document contributes to every posting list it is on: per term (sorted)
the encoded posting payload (see :mod:`.shards`) without the document gap, plus the lengths
of its two fields. The gap is the only part that depends on the neighbours, so segments are
assembled from records without running the analyzer again: a merge, a deletion or a new
segment layout costs encoding, never analysis (the analyzer is most of a cold export).

Records are keyed by ``article.sha`` (the source file's content hash, which decides every
field the search sees) and live in ``records.sqlite`` in the search cache folder. Each record
is stored cut into term ranges (``BOUNDS``): a segment is assembled one range at a time,
within a memory budget (:mod:`.assembly`), never the lists of the whole archive at once (at
100,000 articles those are some gigabyte as Python objects). The database is a cache:
anything unreadable is analyzed again.
"""

from __future__ import annotations

import logging
import marshal
import sqlite3
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from .. import parallel
from ..model import Article
from ..settings import Settings
from . import lexicons, vocabulary
from .packing import RANGES, Analyze, Packed, Record, unpack

log = logging.getLogger("meldungen")

BATCH = 500
"""Records handed to SQLite at a time while the analysis runs (so none pile up in memory:
at 2,000, with the workers' results in flight, the parent grew by 190 MiB at 100,000)."""
COUNTED = 4000
"""Records per transaction: their words are counted for the typo vocabulary together (a
word's row is updated once per transaction, and most words recur)."""
SPAN = 100
"""Articles sent to an analysis worker at a time (two spans per worker are in flight)."""
READ_CHUNK = 900
"""Records a rebuild reads per query (under SQLite's oldest limit of 999 parameters)."""


class RecordStore:
    """``sha → record`` in SQLite: a patch reads its few records, a rebuild one range at a time.

    Falls back to an in-memory SQLite database when the cache folder is unusable.
    """

    def __init__(self, folder: Path, settings: Settings, key: str, compounds: bool = True):
        self.folder, self.settings, self.key, self.compounds = folder, settings, key, compounds
        self.file = True
        self.shared_reads = False
        """True when forked workers may read while this process writes (WAL mode)."""
        self.ids: dict[str, int] = {}
        """sha → record number (in order of arrival), read once by :meth:`ensure` and kept
        up to date: a rebuild and the clean-up each needed every number, at 100,000 articles
        a scan of the table apiece."""
        self.next_id = 0
        self.db: sqlite3.Connection = self._connect(check=True)

    def _connect(self, check: bool = False) -> sqlite3.Connection:
        if self.file:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.folder / "records.sqlite")
                # Write-ahead logging: forked workers read records while the build writes
                # its shards' rows (see segments.rebuild), and neither blocks the other. A file
                # system without it keeps the old journal, and the rebuild then stays serial.
                mode = db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
                self.shared_reads = str(mode).lower() == "wal"
                db.execute("PRAGMA synchronous=NORMAL")  # consistent in WAL; it is a cache
                return self._schema(db, check)
            except sqlite3.Error as exc:
                log.warning("search record cache unusable (%s); analyzing in memory", exc)
                self.file = False
        return self._schema(sqlite3.connect(":memory:"), True)

    def _schema(self, db: sqlite3.Connection, check: bool) -> sqlite3.Connection:
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        row = db.execute("SELECT value FROM meta WHERE key = 'key'").fetchone()
        if check and (row is None or row[0] != self.key):  # analyzer, format, categories
            # Every other table, the segment state (segments.py) built from records included.
            for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                       "AND name != 'meta'").fetchall():
                db.execute(f'DROP TABLE "{table}"')
            db.execute("DELETE FROM meta")
            db.execute("INSERT INTO meta VALUES ('key', ?)", (self.key,))
        db.execute("CREATE TABLE IF NOT EXISTS doc "
                   "(id INTEGER PRIMARY KEY, sha TEXT UNIQUE, title INT, body INT)")
        # One table per term range, keyed by the record's number in order of arrival: a range
        # is read by scanning its table, and a new record appends. (One table keyed by
        # (range, sha) put every insert at a random place in a tree of large rows: four times
        # the CPU of the analysis' parent process, which shares the two cores with the
        # workers; a sha key per range table still cost a third more than a number.)
        for k in range(RANGES):
            db.execute(f"CREATE TABLE IF NOT EXISTS part{k} (id INTEGER PRIMARY KEY, data BLOB)")
        # Per record its passage (key and bytes) and its words.
        db.execute("CREATE TABLE IF NOT EXISTS extra (id INTEGER PRIMARY KEY, passage TEXT, "
                   "words BLOB, data BLOB)")
        db.execute("CREATE INDEX IF NOT EXISTS extra_passage ON extra (passage)")
        lexicons.schema(db)
        vocabulary.schema(db)
        return db

    def ensure(self, articles: Iterable[Article], workers: int) -> None:
        """Analyze (in parallel when many) every article whose record is not stored yet."""
        wanted = {a.sha: a for a in articles}
        self.ids = {sha: i for i, sha in self.db.execute("SELECT id, sha FROM doc")}
        todo = [a for sha, a in wanted.items() if sha not in self.ids]
        if not todo:
            return
        self.next_id = max(self.ids.values(), default=-1) + 1
        out = self.file and parallel.goes_out(len(todo), workers)
        if self.compounds:
            lexicons.choose(self.db, self.folder / "records.sqlite" if self.file else None,
                            len(todo), len(self.ids), out)
        try:
            self._analyze(todo, out, workers)
        finally:
            lexicons.release()

    def _analyze(self, todo: list[Article], out: bool, workers: int) -> None:
        # Workers that do not inherit the build's heap (which forked ones count in full, 600
        # MiB apiece at 100,000 articles): an article is cheap to send.
        task = Analyze(self.settings, self.compounds,
                       self.folder / "records.sqlite" if out and self.compounds else None)
        fresh = parallel.map_fresh(task, todo, workers, size=SPAN)
        batch: list[Packed] = []
        counts: Counter[str] = Counter()
        written = 0
        for item in fresh:
            batch.append(item)
            if len(batch) >= BATCH:
                self._write(batch, counts)
                written, batch = written + len(batch), []
                if written >= COUNTED:
                    self._commit(counts)
                    written = 0
        self._write(batch, counts)
        self._commit(counts)

    def _write(self, batch: list[Packed], counts: Counter[str]) -> None:
        """Insert the records (not committed yet) and add their words to ``counts``."""
        if self.db is None:
            self.db = self._connect()
        first = self.next_id
        self.next_id += len(batch)
        self.db.executemany("INSERT INTO doc VALUES (?, ?, ?, ?)",
                            [(first + i, sha, t, b) for i, (sha, t, b, *_) in enumerate(batch)])
        self.ids.update((sha, first + i) for i, (sha, *_) in enumerate(batch))
        rows: list[list[tuple[int, bytes]]] = [[] for _ in range(RANGES)]
        for i, (_, _, _, parts, words, _) in enumerate(batch, start=first):
            for k, part in parts:
                rows[k].append((i, part))
            counts.update(words)
        self.db.executemany("INSERT INTO extra VALUES (?, ?, ?, ?)",
                            [(i, name, marshal.dumps(words), data) for i, (*_, words, (name, data))
                             in enumerate(batch, start=first)])
        for k, some in enumerate(rows):
            self.db.executemany(f"INSERT INTO part{k} VALUES (?, ?)", some)

    def _commit(self, counts: Counter[str]) -> None:
        """The records inserted since the last commit, with their words counted: together,
        so that a stored record's words are always counted."""
        if self.db is None:
            self.db = self._connect()
        vocabulary.count(self.db, counts)
        counts.clear()
        self.db.commit()

    def get(self, shas: Iterable[str]) -> dict[str, Record]:
        """Whole records (a patch's few documents)."""
        wanted = list(dict.fromkeys(shas))
        lengths: dict[str, tuple[int, int]] = {}
        terms: dict[str, list] = {sha: [[], []] for sha in wanted}
        for part in _batches(wanted):
            marks = ",".join("?" * len(part))
            ids = {}
            for i, sha, t, b in self.db.execute(
                    f"SELECT id, sha, title, body FROM doc WHERE sha IN ({marks})", part):
                lengths[sha] = (t, b)
                ids[i] = sha
            marks = ",".join("?" * len(ids))
            for k in range(RANGES):  # ranges in term order: the terms stay sorted
                for i, data in self.db.execute(
                        f"SELECT id, data FROM part{k} WHERE id IN ({marks})", list(ids)):
                    got = unpack(data)
                    terms[ids[i]][0] += got[0]
                    terms[ids[i]][1] += got[1]
        missing = [sha for sha in wanted if sha not in lengths]
        if missing:
            raise KeyError(f"{len(missing)} search records missing")
        return {sha: (*lengths[sha], tuple(terms[sha][0]), tuple(terms[sha][1]))
                for sha in wanted}

    def passages(self, shas: list[str]) -> list[str]:
        """The passage keys (``p/….json``) of these documents, in order."""
        names = dict(self.db.execute("SELECT id, passage FROM extra"))
        return [names[self.ids[sha]] for sha in shas]

    def passage_reader(self) -> Reader:
        """Passage key → its bytes, usable after :meth:`close` (its own connection)."""
        return self._reader("SELECT passage, data FROM extra",
                            "SELECT data FROM extra WHERE passage = ? LIMIT 1")

    def vocabulary_reader(self) -> Reader:
        """Vocabulary file name → its bytes (:mod:`.vocabulary`), usable after :meth:`close`."""
        return self._reader("SELECT name, data FROM vocab_files",
                            "SELECT data FROM vocab_files WHERE name = ?")

    def _reader(self, every: str, one: str) -> Reader:
        if not self.file:  # an in-memory database ends with close(): keep the bytes
            return Reader(None, one, dict(self.db.execute(every)))
        return Reader(self.folder / "records.sqlite", one)

    def lengths(self, shas: list[str]) -> tuple[int, int]:
        """Summed title and body lengths of these documents (each as often as it occurs)."""
        wanted = Counter(shas)
        total = [0, 0]
        for sha, t, b in self.db.execute("SELECT sha, title, body FROM doc"):
            if sha in wanted:
                total[0] += t * wanted[sha]
                total[1] += b * wanted[sha]
        return total[0], total[1]

    def numbers(self, docs: list[str]) -> array[int]:
        """The record number of each of ``docs``, in order (after :meth:`ensure`): two files
        of the same bytes share a record. An array, not a mapping: it goes to every rebuild
        worker, at a million documents 8 MB instead of some 100."""
        return array("q", map(self.ids.__getitem__, docs))

    def keep_only(self, shas: set[str]) -> None:
        """Forget records of articles that are gone, so the database does not grow forever
        (after :meth:`ensure`)."""
        gone = [(self.ids.pop(sha),) for sha in list(self.ids) if sha not in shas]
        if gone:
            for (i,) in gone:
                row = self.db.execute("SELECT words FROM extra WHERE id = ?", (i,)).fetchone()
                if row is not None:
                    vocabulary.count(self.db, Counter(marshal.loads(row[0])), -1)
            for table in ("doc", "extra", *(f"part{k}" for k in range(RANGES))):
                self.db.executemany(f"DELETE FROM {table} WHERE id = ?", gone)

    def close(self) -> None:
        if self.db is not None:
            try:
                self.db.commit()
            except sqlite3.Error as exc:
                log.warning("search record cache not saved: %s", exc)
            self.db.close()
            self.db = None


class Reader:
    """A blob by name, through a connection opened on first use; ``close`` ends it. Closed by
    whoever is done reading, not left to the garbage collector: a WAL database's last
    connection removes its -wal and -shm files as it closes, and the build must not touch
    the cache folder after it returned (a caller may be removing it)."""

    def __init__(self, path: Path | None, one: str, kept: dict[str, bytes] | None = None):
        self.path, self.one, self.kept = path, one, kept
        self.db: sqlite3.Connection | None = None
        self.closed = False

    def __call__(self, name: str) -> bytes:
        if self.closed:  # reopening would leave a connection that nobody closes
            raise ValueError(f"{self.path}: read after close")
        if self.kept is not None:
            return self.kept[name]
        if self.db is None:
            self.db = sqlite3.connect(self.path)
        return self.db.execute(self.one, (name,)).fetchone()[0]

    def close(self) -> None:
        self.closed = True
        if self.db is not None:
            self.db.close()
            self.db = None


def read_range(db: sqlite3.Connection, k: int, numbers: Sequence[int]) -> Iterator[
        tuple[int, tuple[str, ...], tuple[bytes, ...]]]:
    """(position, terms, payloads) of term range ``k`` for the records ``numbers`` lists
    (:meth:`RecordStore.numbers`), in order of position, through ``db`` (a rebuild worker's
    own connection, or the store's).

    ``READ_CHUNK`` positions at a time, by record number: memory holds a chunk's records,
    not the range's (at a million articles a twelfth of all records).
    """
    for begin in range(0, len(numbers), READ_CHUNK):
        chunk = numbers[begin:begin + READ_CHUNK]
        wanted = sorted(set(chunk))
        rows = dict(db.execute(f"SELECT id, data FROM part{int(k)} "
                               f"WHERE id IN ({','.join('?' * len(wanted))})", wanted))
        for position, number in enumerate(chunk, begin):
            data = rows.get(number)
            if data is not None:  # no row: the record has no term in this range
                yield (position, *unpack(data))


def _batches(items: list[str], size: int = 500) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]
