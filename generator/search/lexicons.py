"""The compound lexicon as the search record database keeps it.

The analyzer splits compounds against a lexicon of some 300,000 word forms: a 23 MiB set
once loaded. Loading it costs seconds and memory that an edit of one report should not pay,
so the record database keeps it twice: as one marshalled list (``meta``), which analysis
workers load, and, in archives large enough to matter, as a table asked word by word.
"""

from __future__ import annotations

import marshal
import sqlite3
from pathlib import Path

from .. import parallel
from . import analysis

FEW = 32
"""For fewer reports than this (what an edit or an addition analyzes), compound parts are
looked up in the database (:class:`Lexicon`)."""
TABLE_FROM = 2000
"""Records from which the database keeps the lexicon as a table for :class:`Lexicon`."""


def schema(db: sqlite3.Connection) -> None:
    db.execute("CREATE TABLE IF NOT EXISTS lexicon (form TEXT PRIMARY KEY) WITHOUT ROWID")


def choose(db: sqlite3.Connection, path: Path | None, todo: int, records: int,
           elsewhere: bool) -> None:
    """Gives the analyzer its lexicon for ``todo`` reports in a database of ``records``
    (``path``, None when it lives in memory): looked up word by word for a few reports,
    else the set, stored here for the next build when missing. ``elsewhere``: only
    workers analyze, and each reads the set from the database; one of them makes and stores
    it when missing, so that this process never holds it (at 100,000 articles it was a
    tenth of the build's memory while the analysis ran)."""
    if path is not None and todo < FEW and analysis.uses_lexicon() is None:
        try:
            analysis.use_lexicon(Lexicon(path))
            return
        except (sqlite3.Error, LookupError):
            pass  # not stored yet: the set, which is stored below
    # The table for word-by-word lookups, once the archive is large enough for the set's
    # memory to matter (filling it takes a second: every small test site would pay it).
    job = StoreLexicon(path, records + todo >= TABLE_FROM)
    if elsewhere:
        if not job.done(db):
            db.commit()  # a new database's key row: the worker writes next
            list(parallel.map_fresh(job, [None], workers=2, min_items=1))
        return
    analysis.use_lexicon(job.store(db))


def release() -> None:
    """Ends a word-by-word lexicon's connection with the analysis, not with the process."""
    if isinstance(lexicon := analysis.uses_lexicon(), Lexicon):
        lexicon.db.close()
        analysis.use_lexicon(None)


class StoreLexicon:
    """Stores the lexicon in the record database: as a set (``meta``) and, with ``table``,
    a row per form for :class:`Lexicon`. Picklable, to run in a worker."""

    def __init__(self, path: Path | None, table: bool):
        self.path, self.table = path, table

    def done(self, db: sqlite3.Connection) -> bool:
        return db.execute("SELECT 1 FROM meta WHERE key = 'lexicon'").fetchone() is not None \
            and (not self.table or db.execute("SELECT 1 FROM lexicon LIMIT 1").fetchone()
                 is not None)

    def store(self, db: sqlite3.Connection) -> frozenset[str]:
        row = db.execute("SELECT value FROM meta WHERE key = 'lexicon'").fetchone()
        if row is not None:
            words = frozenset(marshal.loads(row[0]))
        else:
            words = analysis.read_lexicon()
            db.execute("INSERT INTO meta VALUES ('lexicon', ?)", (marshal.dumps(sorted(words)),))
        if self.table and db.execute("SELECT 1 FROM lexicon LIMIT 1").fetchone() is None:
            db.executemany("INSERT OR IGNORE INTO lexicon VALUES (?)", ((w,) for w in words))
        db.commit()
        return words

    def __call__(self, _: None) -> None:
        db = sqlite3.connect(self.path)
        try:
            self.store(db)
        finally:
            db.close()


def stored_lexicon(path: Path) -> frozenset[str]:
    """The lexicon set as :class:`StoreLexicon` stored it (a worker's copy)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return frozenset(marshal.loads(
            db.execute("SELECT value FROM meta WHERE key = 'lexicon'").fetchone()[0]))
    finally:
        db.close()


class Lexicon:
    """The compound lexicon as stored in the record database, asked word by word."""

    def __init__(self, path: Path):
        self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if self.db.execute("SELECT 1 FROM lexicon LIMIT 1").fetchone() is None:
                raise LookupError("no lexicon stored")
        except BaseException:  # a new database has no table yet
            self.db.close()
            raise

    def __contains__(self, form: str) -> bool:
        return self.db.execute("SELECT 1 FROM lexicon WHERE form = ?", (form,)).fetchone() \
            is not None
