"""Each article's analyzed postings, computed once per content hash and kept in a small database.

A record is what one document contributes to every posting list it is on: per term (sorted)
the encoded posting payload (see :mod:`.shards`) without the document gap, plus the lengths
of its two fields. The gap is the only part that depends on the neighbours, so segments are
assembled from records without running the analyzer again: a merge, a deletion or a new
segment layout costs encoding, never analysis (the analyzer is some 80 % of a cold export).

Records are keyed by ``article.sha`` (the source file's content hash, which decides every
field the search sees) and live in ``records.sqlite`` in the search cache folder, compressed.
The database is a cache: anything unreadable is analyzed again.
"""

from __future__ import annotations

import logging
import marshal
import sqlite3
import zlib
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from whoosh.util.numeric import length_to_byte

from .. import parallel
from ..model import Article
from ..settings import Settings
from . import documents as D
from .analysis import GermanAnalyzer
from .shards import varint

log = logging.getLogger("meldungen")

Record = tuple[int, int, tuple[str, ...], tuple[bytes, ...]]
"""(title terms, body terms, sorted terms, payload per term)."""


def payload(tf_title: int, tf_body: int, category: int, categories: int, length: int) -> bytes:
    """A posting without its gap: ``(tf_body × C + category) << 1 | in_title``, tf_title, length."""
    out = bytearray()
    varint(((tf_body * categories + category) << 1) | (tf_title > 0), out)
    if tf_title:
        varint(tf_title, out)
    if tf_body:
        out.append(length)
    return bytes(out)


class Analyze:
    """Article → record; a plain callable so forked workers (:mod:`..parallel`) can run it."""

    def __init__(self, settings: Settings, compounds: bool = True):
        self.settings = settings
        self.analyzer = GermanAnalyzer(compounds)
        self.categories = {name: i for i, name in enumerate(settings.CATEGORIES)}

    def __call__(self, article: Article) -> tuple[str, bytes]:
        doc = D.doc_of(article, self.settings)
        title = [t.text for t in self.analyzer(doc.title, mode="index")]
        body = [t.text for t in self.analyzer(doc.body, mode="index")]
        tf_title, tf_body = Counter(title), Counter(body)
        length = length_to_byte(len(body))
        category, count = self.categories[doc.category], len(self.categories)
        terms = tuple(sorted(tf_title.keys() | tf_body.keys()))
        payloads = tuple(payload(tf_title.get(t, 0), tf_body.get(t, 0), category, count, length)
                         for t in terms)
        return article.sha, pack((len(title), len(body), terms, payloads))


def pack(record: Record) -> bytes:
    return zlib.compress(marshal.dumps(record), 1)


def unpack(data: bytes) -> Record:
    return marshal.loads(zlib.decompress(data))


class RecordStore:
    """``sha → record`` in SQLite: the few records a patch needs are read without the rest."""

    def __init__(self, folder: Path, settings: Settings, key: str):
        self.folder, self.settings, self.key, self.memory = folder, settings, key, {}
        self.db: sqlite3.Connection | None = None
        self._open(check=True)

    def _open(self, check: bool = False) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.folder / "records.sqlite")
            self.db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            self.db.execute("CREATE TABLE IF NOT EXISTS rec (sha TEXT PRIMARY KEY, data BLOB)")
            row = self.db.execute("SELECT value FROM meta WHERE key = 'key'").fetchone()
            if check and (row is None or row[0] != self.key):  # analyzer, format, categories
                self.db.execute("DELETE FROM rec")
                self.db.execute("INSERT OR REPLACE INTO meta VALUES ('key', ?)", (self.key,))
        except sqlite3.Error as exc:
            log.warning("search record cache unusable (%s); analyzing in memory", exc)
            self.db = None

    def ensure(self, articles: Iterable[Article], workers: int) -> None:
        """Analyze (in parallel when many) every article whose record is not stored yet."""
        wanted = {a.sha: a for a in articles}
        have = self._known(wanted)
        todo = [a for sha, a in wanted.items() if sha not in have]
        if not todo:
            return
        # SQLite connections must not cross a fork: commit and close, analyze, reopen.
        reopen = self.db is not None
        self.close()
        fresh = list(parallel.map_chunks(Analyze(self.settings), todo, workers))
        if reopen:
            self._open()
        self._write(fresh)

    def get(self, shas: Iterable[str]) -> dict[str, Record]:
        wanted = list(dict.fromkeys(shas))
        found = {sha: unpack(self.memory[sha]) for sha in wanted if sha in self.memory}
        rest = [sha for sha in wanted if sha not in found]
        if self.db is not None:
            for i in range(0, len(rest), 500):
                part = rest[i:i + 500]
                marks = ",".join("?" * len(part))
                for sha, data in self.db.execute(
                        f"SELECT sha, data FROM rec WHERE sha IN ({marks})", part):
                    found[sha] = unpack(data)
        missing = [sha for sha in wanted if sha not in found]
        if missing:
            raise KeyError(f"{len(missing)} search records missing")
        return found

    def keep_only(self, shas: set[str]) -> None:
        """Forget records of articles that are gone, so the database does not grow forever."""
        if self.db is None:
            return
        stored = {row[0] for row in self.db.execute("SELECT sha FROM rec")}
        gone = [(sha,) for sha in stored - shas]
        if gone:
            self.db.executemany("DELETE FROM rec WHERE sha = ?", gone)

    def close(self) -> None:
        if self.db is not None:
            try:
                self.db.commit()
            except sqlite3.Error as exc:
                log.warning("search record cache not saved: %s", exc)
            self.db.close()
            self.db = None

    def _known(self, wanted: dict[str, Article]) -> set[str]:
        have = {sha for sha in wanted if sha in self.memory}
        if self.db is not None:
            have |= {row[0] for row in self.db.execute("SELECT sha FROM rec")} & wanted.keys()
        return have

    def _write(self, fresh: list[tuple[str, bytes]]) -> None:
        if self.db is None:
            self.memory.update(fresh)
            return
        self.db.executemany("INSERT OR REPLACE INTO rec VALUES (?, ?)", fresh)
