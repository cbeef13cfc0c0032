"""The build cache: what the last successful build read and wrote, so the next one can skip.

Per (content folder, output folder) pair, a folder under ``BUILD_CACHE``. It is written only
after a build succeeded; anything unreadable, from another version of the code, theme or
settings, or for an output folder that was replaced meanwhile, counts as no cache, and the
build falls back to a full one. A cache can make a build faster, never different.

The large tables (sources, parsed articles, output records, folders, published URLs: some
450,000 entries at 100,000 articles) live in one SQLite file, ``cache.sqlite``, and are read
by key or walked row by row (:mod:`.store`), never all loaded at once: a build keeps in
memory only what it changed, and writes just those rows. The save is one transaction with
a rollback journal (no WAL: one file and its journal), so an interrupted build keeps the
previous state whole. Articles are stored as their field values (pickled), the rest as
columns.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__, teasers
from ..errors import MeldungenError, shown
from ..model import FIELDS, Article, values_of
from ..outputs import Record
from ..settings import Settings
from ..sources import SourceFile
from .store import Database, Table

FORMAT = 10
PARTS = ("sources", "articles", "outputs", "folders", "published")
"""The State's tables, each a table of the cache file."""
FILE = "cache.sqlite"


def _article_row(article: Article) -> tuple:
    # The archive position is the build's own (set anew by every read); the texts are
    # read from the file when needed.
    values = list(values_of(article))
    values[_INDEX], values[_LOADED] = -1, None
    return article.sha, pickle.dumps(tuple(values), protocol=pickle.HIGHEST_PROTOCOL)


_INDEX, _LOADED = map(FIELDS.index, ("index", "loaded"))
_SHARED = ("category", "category_slug", "source", "root", "state")
_TAGS = ("tags", "tag_slugs")


class _Articles:
    """Makes an article of a row, lean: one copy of the values many articles share
    (category, source, content folder, state, tags, the empty ``extra``: each row is pickled
    on its own, so nothing is shared on loading otherwise, and a fifth of a loaded article
    was such copies), and the summary in the build's teaser file (:mod:`..teasers`).
    """

    def __init__(self) -> None:
        self.shared: dict = {}

    def __call__(self, sha: str, data: bytes) -> Article:
        return self.keep(Article(*pickle.loads(data)))

    def keep(self, article: Article) -> Article:
        """Make an article lean: one loaded, or one parsed this build (which came from a
        worker process, as unshared as a loaded one)."""
        shared = self.shared
        for name in _SHARED:
            value = getattr(article, name)
            setattr(article, name, shared.setdefault(value, value))
        for name in _TAGS:
            tags = tuple(shared.setdefault(tag, tag) for tag in getattr(article, name))
            setattr(article, name, shared.setdefault(tags, tags))
        if not article.extra:
            article.extra = _NO_EXTRA
        return teasers.keep(article)


_NO_EXTRA: dict[str, str] = {}
"""The unknown front matter keys of most articles: none. Nothing changes an article's
``extra``, so one empty dict serves them all."""


_TABLES = {
    "sources": ((("size", "INTEGER"), ("mtime", "INTEGER"), ("sha", "TEXT")),
                tuple, lambda: SourceFile),
    "articles": ((("sha", "TEXT"), ("data", "BLOB")), _article_row, _Articles),
    "outputs": ((("key", "TEXT"), ("hash", "TEXT"), ("size", "INTEGER")),
                tuple, lambda: lambda *record: record),
    "folders": ((("mtime", "INTEGER"),), lambda mtime: (mtime,), lambda: int),
    "published": ((("source", "TEXT"),), lambda source: (source,), lambda: str),
}
"""Per table: its columns, how a value becomes them, and what makes the decoder."""


def _table(name: str, store: Database | None = None) -> Table:
    columns, encode, decoder = _TABLES[name]
    return Table(name, columns, encode, decoder(), store)


@dataclass(slots=True)
class State:
    parse_fingerprint: str = ""
    """Code and settings: parsed articles of another fingerprint are parsed again."""
    render_fingerprint: str = ""
    """Code, theme and settings: pages of another fingerprint are all rendered again."""
    sources: Table[SourceFile] = field(default_factory=lambda: _table("sources"))
    articles: Table[Article] = field(default_factory=lambda: _table("articles"))
    """Parsed articles (without bodies) by source path; valid while the source hash matches.
    Each lookup makes a new object: a changed article is set again to be saved."""
    outputs: Table[Record] = field(default_factory=lambda: _table("outputs"))
    """Output path → (input key, content hash) as last written."""
    folders: Table[int] = field(default_factory=lambda: _table("folders"))
    """Output folder → mtime_ns after the commit (unchanged: its entries are too)."""
    published: Table[str] = field(default_factory=lambda: _table("published"))
    """Every report URL and alias the last build published → the source path it came from:
    what the URL guard (:mod:`.urlguard`) holds the next build to. Kept when the code or
    settings change, unlike the parsed articles."""
    extra: dict[str, object] = field(default_factory=dict)
    """Room for other steps' caches (the search index keeps its segments' state here)."""
    store: Database | None = None
    """The cache file the tables were read from (None: no usable cache)."""
    saved_extra: bytes = b""
    """``extra`` as loaded (pickled): a save writes it only if it changed."""
    current: tuple[str, str] | None = None
    """This build's (parse, render) fingerprints, as :func:`reuse` computed them once (each
    reads the package and the theme)."""

    def keep(self, article: Article) -> Article:
        """An article parsed this build, made as lean as the loaded ones."""
        return self.articles.decode.keep(article)

    def close(self) -> None:
        if self.store is not None:
            self.store.close()


def location(settings: Settings) -> Path:
    """The cache folder of this content/output pair, so any two folders build incrementally."""
    output = Path(settings.OUTPUT_PATH).resolve()
    pair = f"{Path(settings.PATH).resolve()}\0{output}"
    base = Path(settings.BUILD_CACHE) if settings.BUILD_CACHE else output.parent / ".cache"
    return base / "meldungen" / hashlib.sha1(pair.encode()).hexdigest()[:16]


def code_fingerprint(settings: Settings, theme: bool, with_settings: bool = True,
                     skip: tuple[str, ...] = (), package: Path | None = None) -> str:
    """Everything besides content that shapes the output: our code, the settings (the theme).

    ``with_settings=False``: the code alone, for caches that name the few settings they read
    (and keep their own format number: then not this cache's either). ``skip``: paths in the
    package (files, or folders ending in ``/``) that cannot shape such a cache.
    """
    digest = hashlib.blake2b(digest_size=16)
    shown = repr(settings) if with_settings else ""
    digest.update(f"{FORMAT if with_settings else ''}\0{__version__}\0{shown}".encode())
    package = package or Path(__file__).parents[1]
    for root in (package, Path(settings.THEME)) if theme else (package,):
        for path in sorted(root.rglob("*")):
            name = path.relative_to(root).as_posix()
            if path.is_file() and "__pycache__" not in path.parts and not name.startswith(skip):
                digest.update(name.encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()


def reuse(state: State, settings: Settings) -> Table[Record] | dict[str, Record] | None:
    """Drop what the code, settings or theme invalidated; the output records still usable.

    None means: build in full (no cache). The publisher checks the records against the files.
    """
    state.current = (code_fingerprint(settings, theme=False),
                     code_fingerprint(settings, theme=True))
    if state.parse_fingerprint != state.current[0]:
        state.sources.clear()
        state.articles.clear()
        state.extra.pop("photos", None)
        state.extra.pop("slugs", None)
    if not state.outputs:
        return None
    if state.render_fingerprint != state.current[1]:
        # Every page is rendered again, but files whose bytes come out the same stay untouched.
        # A file keyed by its own path is named by all its inputs (photo variants): it holds.
        return {path: (key if key == path else None, *rest)
                for path, (key, *rest) in state.outputs.items()}
    return state.outputs


def after(state: State, records: dict[str, Record], full: bool, removed: list[str],
          folders: dict[str, int] | Table[int], published: dict[str, str] | None = None
          ) -> bool:
    """Bring the state up to a successful build (after :func:`reuse`, which fingerprinted
    the code); False if it is exactly as loaded.

    ``records``: the files this build produced (all of them in a ``full`` build), beside
    those it kept; ``removed``: the files it removed; ``folders``: the folders' mtimes (the
    state's own table, brought up to date, unless ``full``). Saving is skipped when nothing
    changed: a build in which nothing did (a CI run after a commit outside content/) needs
    no write.
    """
    if full:
        state.outputs.clear()
        state.outputs.update(records)
    else:
        for path, record in records.items():
            state.outputs.set(path, record)
        for path in removed:
            state.outputs.pop(path, None)
    if folders is not state.folders:
        state.folders.replace_all(folders)
    if published is not None:
        state.published.replace_all(published)
    assert state.current is not None, "reuse() fingerprints the code first"
    parse, render = state.current
    same = (state.parse_fingerprint == parse and state.render_fingerprint == render
            and not any(getattr(state, part).dirty for part in PARTS))
    state.parse_fingerprint, state.render_fingerprint = parse, render
    return not same


def load_published(folder: Path) -> dict[str, str]:
    """Only the URLs the last build published (``meldungen check`` needs no more)."""
    state = load(folder)
    try:
        return dict(state.published.items())
    except sqlite3.Error:
        return {}
    finally:
        state.close()


def load(folder: Path) -> State:
    """The state as the last successful build saved it (empty if none is usable): its
    fingerprints and ``extra`` read now, its tables read as they are asked."""
    path = folder / FILE
    if not path.is_file():
        return State()
    store = Database(path)
    try:
        meta = dict(store.db.execute("SELECT key, value FROM meta"))
        if meta.get("format") != FORMAT:
            store.close()
            return State()
        extra = pickle.loads(meta["extra"])
        tables = {part: _table(part, store) for part in PARTS}
        for table in tables.values():  # a table missing means a damaged file
            store.db.execute(f"SELECT 1 FROM {table.name} LIMIT 1").fetchall()
    except (sqlite3.Error, pickle.UnpicklingError, EOFError, KeyError, TypeError,
            ValueError, AttributeError, ImportError):
        store.close()
        return State()
    return State(meta["parse"], meta["render"], extra=extra, store=store,
                 saved_extra=meta["extra"], **tables)


def save(folder: Path, state: State) -> None:
    """Write what changed since loading, in one transaction: a build killed meanwhile leaves
    the previous state whole (SQLite rolls the journal back on the next open)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / FILE
    if state.store is None:
        # No usable cache was loaded: whatever the file holds (another format, damage) goes.
        for stale in (path, path.with_name(FILE + "-journal")):
            stale.unlink(missing_ok=True)
    store = state.store or Database(path)
    db = store.db
    extra = pickle.dumps(state.extra, protocol=pickle.HIGHEST_PROTOCOL)
    db.execute("BEGIN IMMEDIATE")
    try:
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value)")
        meta = {"format": FORMAT, "parse": state.parse_fingerprint,
                "render": state.render_fingerprint}
        if extra != state.saved_extra:
            meta["extra"] = extra
        db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", meta.items())
        for part in PARTS:
            getattr(state, part).write(db)
        db.execute("COMMIT")
    except BaseException as exc:
        with contextlib.suppress(sqlite3.Error):
            db.execute("ROLLBACK")
        if isinstance(exc, sqlite3.OperationalError | OSError):
            # A full disk, most likely: say so, and what it means for the output.
            raise MeldungenError(
                f"{shown(path)}: the build cache could not be saved ({exc}). The output is "
                "complete, but nothing vouches for it now: the next build looks at every "
                "file of it.") from exc
        raise
    state.store, state.saved_extra = store, extra
    for part in PARTS:
        getattr(state, part).stored(store)
