"""The build cache: what the last successful build read and wrote, so the next one can skip.

One pickle per (content folder, output folder) pair under ``BUILD_CACHE``. It is written only
after a build succeeded, atomically; anything unreadable, from another version of the code,
theme or settings, or for an output folder that was replaced meanwhile, counts as no cache,
and the build falls back to a full one. A cache can make a build faster, never different.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .model import Article
from .publish import Record
from .settings import Settings
from .sources import SourceFile

FORMAT = 5


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
    extra: dict[str, object] = field(default_factory=dict)
    """Room for other steps' caches (the search index keeps its segments' state here)."""


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
    if not state.outputs:
        return None
    if state.render_fingerprint != code_fingerprint(settings, theme=True):
        # Every page is rendered again, but files whose bytes come out the same stay untouched.
        return {path: (None, *rest) for path, (_, *rest) in state.outputs.items()}
    return state.outputs


def after(state: State, settings: Settings, records: dict[str, Record],
          folders: dict[str, int], sources_before: dict[str, SourceFile]) -> bool:
    """Bring the state up to a successful build; False if it is exactly as loaded.

    Saving is skipped then: at 100,000 articles writing the state costs seconds, and a
    build in which nothing changed (a CI run after a commit outside content/) needs none.
    """
    parse = code_fingerprint(settings, theme=False)
    render = code_fingerprint(settings, theme=True)
    same = (state.parse_fingerprint == parse and state.render_fingerprint == render
            and state.sources == sources_before and state.outputs == records
            and state.folders == folders)
    state.parse_fingerprint, state.render_fingerprint = parse, render
    state.outputs, state.folders = records, folders
    return not same


def load(folder: Path) -> State:
    try:
        with open(folder / "state.pickle", "rb") as handle:
            header, state = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError,
            ImportError, IndexError):
        return State()
    return state if header == FORMAT and isinstance(state, State) else State()


def save(folder: Path, state: State) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f"state.pickle.{os.getpid()}"
    with open(temporary, "wb") as handle:
        pickle.dump((FORMAT, state), handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, folder / "state.pickle")
