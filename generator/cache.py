"""The build cache: what the last successful build read and wrote, so the next one can skip.

Per (content folder, output folder) pair, a folder under ``BUILD_CACHE``. It is written only
after a build succeeded; anything unreadable, from another version of the code, theme or
settings, or for an output folder that was replaced meanwhile, counts as no cache, and the
build falls back to a full one. A cache can make a build faster, never different.

The four large tables (sources, articles, outputs, folders: some 450,000 entries at 100,000
articles) are each kept in BUCKETS files by a hash of the key, and a save rewrites only the
buckets whose entries changed: pickling the whole state after a one-article edit cost two
seconds at 100,000 articles. ``state.pickle`` names the bucket files in use and is replaced
last, atomically, so an interrupted save leaves the previous state whole; bucket files are
named by generation, so none in use is ever overwritten.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .model import Article, fields_of
from .outputs import Record
from .settings import Settings
from .sources import SourceFile

FORMAT = 9
PARTS = ("sources", "articles", "outputs", "folders", "published")
"""The State tables kept in buckets (articles as their field values, not objects)."""
BUCKETS = 64


@dataclass(slots=True)
class State:
    parse_fingerprint: str = ""
    """Code and settings: parsed articles of another fingerprint are parsed again."""
    render_fingerprint: str = ""
    """Code, theme and settings: pages of another fingerprint are all rendered again."""
    sources: dict[str, SourceFile] = field(default_factory=dict)
    articles: dict[str, Article] = field(default_factory=dict)
    """Parsed articles (without bodies) by source path; valid while the source hash matches."""
    outputs: dict[str, Record] = field(default_factory=dict)
    """Output path → (input key, content hash) as last written."""
    folders: dict[str, int] = field(default_factory=dict)
    """Output folder → mtime_ns after the commit (unchanged: its entries are too)."""
    published: dict[str, str] = field(default_factory=dict)
    """Every report URL and alias the last build published → the source path it came from:
    what the URL guard (:mod:`.urlguard`) holds the next build to. Kept when the code or
    settings change, unlike the parsed articles."""
    extra: dict[str, object] = field(default_factory=dict)
    """Room for other steps' caches (the search index keeps its segments' state here)."""
    saved: dict[str, list[tuple[str, dict]]] = field(default_factory=dict, compare=False)
    """Per table, per bucket: (file name, entries as saved); save() compares with these."""
    generation: int = 0


def location(settings: Settings) -> Path:
    """The cache folder of this content/output pair, so any two folders build incrementally."""
    output = Path(settings.OUTPUT_PATH).resolve()
    pair = f"{Path(settings.PATH).resolve()}\0{output}"
    base = Path(settings.BUILD_CACHE) if settings.BUILD_CACHE else output.parent / ".cache"
    return base / "meldungen" / hashlib.sha1(pair.encode()).hexdigest()[:16]


def code_fingerprint(settings: Settings, theme: bool, with_settings: bool = True) -> str:
    """Everything besides content that shapes the output: our code, the settings (the theme).

    ``with_settings=False``: the code alone, for caches that name the few settings they read.
    """
    digest = hashlib.blake2b(digest_size=16)
    shown = repr(settings) if with_settings else ""
    digest.update(f"{FORMAT}\0{__version__}\0{shown}".encode())
    package = Path(__file__).parent
    for root in (package, Path(settings.THEME)) if theme else (package,):
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()


def reuse(state: State, settings: Settings) -> dict[str, Record] | None:
    """Drop what the code, settings or theme invalidated; the output records still usable.

    None means: build in full (no cache). The publisher checks the records against the files.
    """
    if state.parse_fingerprint != code_fingerprint(settings, theme=False):
        state.sources.clear()
        state.articles.clear()
        state.extra.pop("photos", None)
        state.extra.pop("slugs", None)
    if not state.outputs:
        return None
    if state.render_fingerprint != code_fingerprint(settings, theme=True):
        # Every page is rendered again, but files whose bytes come out the same stay untouched.
        # A file keyed by its own path is named by all its inputs (photo variants): it holds.
        return {path: (key if key == path else None, *rest)
                for path, (key, *rest) in state.outputs.items()}
    return state.outputs


def after(state: State, settings: Settings, records: dict[str, Record],
          folders: dict[str, int], sources_before: dict[str, SourceFile],
          published: dict[str, str] | None = None) -> bool:
    """Bring the state up to a successful build; False if it is exactly as loaded.

    Saving is skipped then: at 100,000 articles writing the state costs seconds, and a
    build in which nothing changed (a CI run after a commit outside content/) needs none.
    """
    parse = code_fingerprint(settings, theme=False)
    render = code_fingerprint(settings, theme=True)
    same = (state.parse_fingerprint == parse and state.render_fingerprint == render
            and state.sources == sources_before and state.outputs == records
            and state.folders == folders
            and (published is None or state.published == published))
    if published is not None:
        state.published = published
    state.parse_fingerprint, state.render_fingerprint = parse, render
    state.outputs, state.folders = records, folders
    return not same


def load_published(folder: Path) -> dict[str, str]:
    """Only the URLs the last build published (``meldungen check`` needs no more)."""
    try:
        with open(folder / "state.pickle", "rb") as handle:
            header, core = pickle.load(handle)
        if header != FORMAT:
            return {}
        found: dict[str, str] = {}
        for name in core[4]["published"]:
            with open(folder / "parts" / name, "rb") as handle:
                found.update(pickle.load(handle))
        return found
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError,
            ImportError, IndexError, KeyError):
        return {}


def load(folder: Path, parts: tuple[str, ...] = PARTS) -> State:
    """The state as the last successful build saved it (empty if none is usable); ``parts``:
    only these tables (``meldungen check`` needs the parsed articles, not the outputs)."""
    try:
        with open(folder / "state.pickle", "rb") as handle:
            header, core = pickle.load(handle)
        if header != FORMAT:
            return State()
        parse, render, extra, generation, names = core
        state = State(parse, render, extra=extra, generation=generation)
        for part in parts:
            merged: dict = {}
            entries = []
            for name in names[part]:
                with open(folder / "parts" / name, "rb") as handle:
                    bucket = pickle.load(handle)
                merged.update(bucket)
                entries.append((name, bucket))
            if part == "articles":
                merged = {rel: Article(*values) for rel, values in merged.items()}
            setattr(state, part, merged)
            state.saved[part] = entries
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError,
            ImportError, IndexError, KeyError):
        return State()
    return state


def save(folder: Path, state: State) -> None:
    """Write the buckets that changed since loading (or the last save), then the index."""
    parts = folder / "parts"
    parts.mkdir(parents=True, exist_ok=True)
    state.generation += 1
    names = {}
    for part in PARTS:
        table = getattr(state, part)
        if part == "articles":
            table = {rel: fields_of(article) for rel, article in table.items()}
        before = state.saved.get(part) or [("", None)] * BUCKETS
        entries = []
        for number, bucket in enumerate(_split(table)):
            if before[number][1] == bucket:
                entries.append(before[number])
                continue
            name = f"{part}-{number:02d}-{state.generation}.pickle"
            _write(parts / name, bucket)
            entries.append((name, bucket))
        state.saved[part] = entries
        names[part] = [name for name, _ in entries]
    core = (state.parse_fingerprint, state.render_fingerprint, state.extra, state.generation,
            names)
    _write(folder / "state.pickle", (FORMAT, core))
    used = {name for part in names.values() for name in part}
    with os.scandir(parts) as found:
        for entry in found:
            if entry.name not in used:
                os.unlink(entry.path)  # an older generation's (or a failed save's) bucket


def _split(table: dict) -> list[dict]:
    buckets: list[dict] = [{} for _ in range(BUCKETS)]
    for key, value in table.items():
        buckets[zlib.crc32(key.encode()) % BUCKETS][key] = value
    return buckets


def _write(path: Path, value: object) -> None:
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with open(temporary, "wb") as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, path)
