"""A build-cache table in SQLite, read by key, with this build's changes beside it.

A build asks the cache about a few keys (the file that changed, the pages it renders) and
walks a whole table only where a step needs every entry. Loading every table into dicts
cost every build the whole archive's worth of Python objects, and a second copy of each
entry to find what to save. A :class:`Table` holds only what this build changed (the
overlay); :meth:`Table.write` puts exactly that into the database, inside the caller's
transaction.

A connection does not survive a fork: a table used in a forked worker (the output check,
the render workers) opens its own, read only, there.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from pathlib import Path
from typing import Any, Generic, TypeVar

V = TypeVar("V")
_MISSING: Any = object()


class Database:
    """One cache file: a connection per process, opened on first use in that process."""

    def __init__(self, path: Path):
        self.path = path
        self._pid = -1
        self._db: sqlite3.Connection | None = None

    @property
    def db(self) -> sqlite3.Connection:
        if self._pid != os.getpid():
            # A forked child leaves the parent's connection alone (SQLite forbids sharing it).
            self._db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
            self._pid = os.getpid()
        assert self._db is not None
        return self._db

    def close(self) -> None:
        if self._db is not None and self._pid == os.getpid():
            self._db.close()
        self._db, self._pid = None, -1


BATCH = 500
"""Keys per query of :meth:`Table.get_many` (SQLite allows 32,766 parameters; a few hundred
is as fast)."""


class Table(MutableMapping[str, V], Generic[V]):
    """``key → value`` of one table: the stored rows, then this build's changes over them.

    ``columns``: the value's columns after the key; ``encode`` turns a value into their
    values, ``decode`` them back. Iteration is in key order, then the keys added this build
    in order, so that whatever walks a table walks it the same way every time.
    """

    def __init__(self, name: str, columns: tuple[tuple[str, str], ...],
                 encode: Callable[[V], tuple], decode: Callable[..., V],
                 store: Database | None = None):
        self.name, self.typed = name, columns
        self.columns = ", ".join(column for column, _ in columns)
        self.encode, self.decode = encode, decode
        self.store = store
        """Where the stored rows are (None: there are none)."""
        self.changed: dict[str, V] = {}
        self.gone: set[str] = set()
        self.cleared = store is None
        """The stored rows no longer count (all of them are written anew)."""
        self._get = f"SELECT {self.columns} FROM {name} WHERE k = ?"

    def schema(self) -> str:
        cols = ", ".join(f"{column} {kind}" for column, kind in self.typed)
        return f"CREATE TABLE IF NOT EXISTS {self.name} (k TEXT PRIMARY KEY, {cols}) WITHOUT ROWID"

    @property
    def dirty(self) -> bool:
        """Whether anything differs from the stored rows (a save has something to write)."""
        return bool(self.changed or self.gone) or (self.cleared and self.store is not None)

    def _stored(self, key: str) -> V:
        if self.cleared or key in self.gone or self.store is None:
            return _MISSING
        row = self.store.db.execute(self._get, (key,)).fetchone()
        return _MISSING if row is None else self.decode(*row)

    def __getitem__(self, key: str) -> V:
        found = self.changed.get(key, _MISSING)
        if found is _MISSING:
            found = self._stored(key)
            if found is _MISSING:
                raise KeyError(key)
        return found

    def get(self, key: str, default: Any = None) -> Any:
        found = self.changed.get(key, _MISSING)
        if found is _MISSING:
            found = self._stored(key)
        return default if found is _MISSING else found

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key, _MISSING) is not _MISSING

    def get_many(self, keys: Iterable[str]) -> dict[str, V]:
        """The values of those of ``keys`` present: stored ones asked in batches (a lookup
        each from Python costs some 20 us: the search index offers 137,000 files at 100,000
        articles)."""
        found: dict[str, V] = {}
        ask = []
        for key in keys:
            value = self.changed.get(key, _MISSING)
            if value is not _MISSING:
                found[key] = value
            elif not (self.cleared or key in self.gone or self.store is None):
                ask.append(key)
        for start in range(0, len(ask), BATCH):
            part = ask[start:start + BATCH]
            query = (f"SELECT k, {self.columns} FROM {self.name} "
                     f"WHERE k IN ({', '.join('?' * len(part))})")
            for key, *values in self.store.db.execute(query, part):
                found[key] = self.decode(*values)
        return found

    def __setitem__(self, key: str, value: V) -> None:
        self.changed[key] = value
        self.gone.discard(key)

    def set(self, key: str, value: V) -> None:
        """Set unless the stored value is equal (then nothing is written)."""
        if self.get(key, _MISSING) != value:
            self[key] = value

    def __delitem__(self, key: str) -> None:
        if key not in self:
            raise KeyError(key)
        self.changed.pop(key, None)
        if self._stored(key) is not _MISSING:
            self.gone.add(key)

    def clear(self) -> None:
        self.changed.clear()
        self.gone.clear()
        self.cleared = True

    def rows(self) -> Iterator[tuple[str, V]]:
        """Every (key, value), stored ones first in key order (no lookup per key)."""
        yield from self._stored_rows()
        yield from self.changed.items()

    def _stored_rows(self) -> Iterator[tuple[str, V]]:
        if not self.cleared and self.store is not None:
            skip = self.changed.keys() | self.gone
            query = f"SELECT k, {self.columns} FROM {self.name} ORDER BY k"
            for key, *values in self.store.db.execute(query):
                if key not in skip:
                    yield key, self.decode(*values)

    def items(self) -> Iterator[tuple[str, V]]:  # type: ignore[override]
        return self.rows()

    def values(self) -> Iterator[V]:  # type: ignore[override]
        return (value for _, value in self.rows())

    def __iter__(self) -> Iterator[str]:
        if not self.cleared and self.store is not None:
            skip = self.changed.keys() | self.gone
            for (key,) in self.store.db.execute(f"SELECT k FROM {self.name} ORDER BY k"):
                if key not in skip:
                    yield key
        yield from self.changed

    def __len__(self) -> int:
        stored = 0
        if not self.cleared and self.store is not None:
            stored = self.store.db.execute(f"SELECT count(*) FROM {self.name}").fetchone()[0]
            stored -= len(self.gone) + sum(1 for key in self.changed
                                           if self._stored(key) is not _MISSING)
        return stored + len(self.changed)

    def __bool__(self) -> bool:
        return next(iter(self), _MISSING) is not _MISSING

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapping) and dict(self.rows()) == dict(other.items())

    __hash__ = None  # type: ignore[assignment]

    def replace_all(self, entries: Mapping[str, V]) -> None:
        """Make the table hold exactly ``entries``: in one walk over the stored rows (no
        lookup per key), only the entries whose value differs are written, and the keys
        not among them removed."""
        seen = set()
        for key, value in self._stored_rows():
            seen.add(key)
            if key not in entries:
                self.gone.add(key)
            elif entries[key] != value:
                self.changed[key] = entries[key]
        for key in list(self.changed):
            if key not in entries:
                del self[key]  # changed this build, and not wanted after all
        for key in entries.keys() - seen:
            self[key] = entries[key]

    def write(self, db: sqlite3.Connection) -> None:
        """Apply the changes to ``db`` (inside the caller's transaction); they are stored then."""
        db.execute(self.schema())
        if self.cleared:
            db.execute(f"DELETE FROM {self.name}")
        else:
            db.executemany(f"DELETE FROM {self.name} WHERE k = ?", ((k,) for k in self.gone))
        marks = ", ".join("?" * (len(self.typed) + 1))
        db.executemany(f"INSERT OR REPLACE INTO {self.name} VALUES ({marks})",
                       ((key, *self.encode(value)) for key, value in self.changed.items()))

    def stored(self, store: Database) -> None:
        """After a committed :meth:`write` to ``store``: the changes are the stored rows now."""
        self.store, self.cleared = store, False
        self.changed, self.gone = {}, set()
