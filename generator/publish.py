"""Put files into the output folder so that a failed build never damages what is published.

Two ways, chosen per build:
- full (no usable build cache): everything is written into ``.<name>.new`` beside the output,
  which replaces the output by two renames only when the whole build succeeded;
- incremental: only files whose bytes changed are staged there; on success a journal lists
  the moves and deletions, which are then applied. A process killed while applying leaves the
  journal, and the next build finishes it first (roll forward), so the output is always
  either the previous build or the new one, file by file complete.
An exception before the commit discards the staging folder and leaves the output untouched.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from itertools import islice
from pathlib import Path, PurePosixPath
from types import TracebackType

try:
    import fcntl
except ImportError:  # Windows: no locks (and no fork: builds run serially there)
    fcntl = None  # type: ignore[assignment]

from .errors import OutputPathError
from .outputs import KEEP, SCAN_AFTER, Look, Record, ancestors, unstamp
from .parallel import map_chunks
from .slugs import reserved

log = logging.getLogger("meldungen")

PAGE_BATCH = SCAN_AFTER
"""Pages :meth:`Publisher.render_pages` takes at a time: no more than the build cache's
records are looked up for one by one (beyond, they would be walked over, once a batch)."""


def safe_relative(path: str) -> PurePosixPath:
    """Refuse any output path that could leave the output folder or trip a file system."""
    pure = PurePosixPath(path)
    bad = (not path or "\x00" in path or "\\" in path or pure.is_absolute()
           or any(part in ("", ".", "..") for part in path.split("/"))
           or any(reserved(part) for part in pure.parts))
    if bad:
        raise OutputPathError(f"refusing to write outside the output folder: {path!r}")
    return pure


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class Publisher:
    """``with Publisher(output, previous) as out: out.offer(...)`` — committed on success only.

    ``previous`` maps output paths to their records from the last build (None: no usable
    cache, so this is a full build); it is asked path by path (it may be the build cache's
    table). ``records`` holds the records of the files this build produced, ``kept`` the
    paths of those it kept as they were. Records are checked against the output folder as
    it is (a CI run may restore it from a cache): a file that is missing or has another
    size is produced again, and a file no record explains is removed, so the result always
    equals a clean build. The check (:class:`.outputs.Look`) starts on entering and runs
    beside whatever the caller does before it first needs the records.
    """

    def __init__(self, output: Path, previous: Mapping[str, Record] | None,
                 folders: MutableMapping[str, int] | None = None, trusted: bool = False):
        self.output = Path(output)
        self.full = previous is None or not self.output.is_dir()
        self._previous: Mapping[str, Record] = {} if self.full else previous or {}
        self.again: set[str] = set()
        """Recorded files the output does not hold as recorded: produced again."""
        self.look: Look | None = None
        self.trusted = trusted
        """The output's stamp vouches for the records: no file is looked at."""
        self.folders: MutableMapping[str, int] = {} if self.full or folders is None \
            else folders
        """Folder (``a/b``, ``""`` for the output) → mtime_ns after the last commit; brought
        up to date in place."""
        self.strays: set[str] = set()
        self.new = self.output.with_name(f".{self.output.name}.new")
        self.old = self.output.with_name(f".{self.output.name}.old")
        self.journal = self.output.with_name(f".{self.output.name}.journal")
        self.records: dict[str, Record] = {}
        self.kept: set[str] = set()
        self.written: list[str] = []
        """Paths whose bytes changed (or all, in a full build)."""
        self.bytes_written = 0
        self.removed: list[str] = []
        """Paths the commit removed (an incremental build's; a full one replaces the folder)."""

    def __enter__(self) -> Publisher:
        # Nothing is made here (stage() makes the folders it needs): a build that fails on
        # its content, entered before reading it, leaves no trace.
        recover(self.output)
        if self.new.exists():
            shutil.rmtree(self.new)
        if not self.full and not self.trusted:
            self.look = Look(self.output, self._previous, self.folders)
        return self

    @property
    def files(self) -> int:
        """The files the output holds after this build."""
        return len(self.kept) + sum(1 for path in self.records if path not in self.kept)

    def before(self, path: str) -> Record | None:
        """The record of a file the output holds as recorded (None: none such). The first
        call waits for the look, so that the output is checked while the caller reads the
        content."""
        if self.look is not None:
            self.again, self.strays, moved, gone = self.look.changes()
            self.look = None
            for folder in gone:
                self.folders.pop(folder, None)
            self.folders.update(moved)
        return None if path in self.again else self._previous.get(path)

    def unchanged(self, path: str, key: str | None) -> bool:
        """True if the file may be kept without producing it: same inputs as last time
        (``key`` :data:`.outputs.KEEP`: whatever inputs it was last written from)."""
        if key is None:
            return False
        before = self.before(path)
        if before is None or before[0] is None or (before[0] != key and key != KEEP):
            return False
        self.kept.add(path)
        return True

    def unchanged_many(self, wanted: Mapping[str, str | None]) -> set[str]:
        """:meth:`unchanged` for each of ``wanted`` (path → key): the paths that may be
        kept. Many are found by one walk over the records rather than a lookup each."""
        self.before("")  # the look's result first
        found: set[str] = set()
        if self.trusted and not isinstance(self._previous, dict):
            # A KEEP page was on the site last build (its producer's word), and the stamp
            # vouches for that build's records: no lookup (a million at a million reports).
            # (A dict holds records of a build by other code: their keys are void.)
            found = {path for path, key in wanted.items() if key == KEEP}
            if found:
                wanted = {path: key for path, key in wanted.items() if key != KEEP}
        found |= self._looked_up(wanted)
        self.kept |= found
        return found

    def _looked_up(self, wanted: Mapping[str, str | None]) -> set[str]:
        if isinstance(self._previous, dict):
            return {path for path, key in wanted.items() if self.unchanged(path, key)}
        if len(wanted) <= SCAN_AFTER:
            records = self._previous.get_many(p for p, key in wanted.items() if key is not None)
            return {path for path, key in wanted.items() if key is not None
                    and path not in self.again and (old := records.get(path)) is not None
                    and old[0] is not None and (old[0] == key or key == KEEP)}
        found = set()
        for path, (old, _, _) in self._previous.items():
            key = wanted.get(path)
            if key is not None and old is not None and (old == key or key == KEEP) \
                    and path not in self.again:
                found.add(path)
        return found

    def stage(self, path: str, data: bytes) -> tuple[str, int, bool]:
        """Write data into the staging folder unless the published bytes are the same.

        Safe to call from worker processes: it touches only the staging folder.
        """
        target = safe_relative(path)
        digest = content_hash(data)
        before = self.before(path)
        if before is not None and before[1] == digest:
            return digest, len(data), False
        staged = self.new / target
        staged.parent.mkdir(parents=True, exist_ok=True)
        staged.write_bytes(data)
        return digest, len(data), True

    def record(self, path: str, key: str | None, digest: str, size: int, wrote: bool) -> None:
        self.records[path] = (key, digest, size)
        if wrote:
            self.written.append(path)
            self.bytes_written += size

    def put(self, path: str, key: str | None, data: bytes) -> None:
        """Record a produced file; stage it only if its bytes differ from the published ones."""
        self.record(path, key, *self.stage(path, data))

    def render_pages(self, pages: Iterable, total: int, render: Callable[[object], bytes],
                     workers: int, progress: Callable[[int, int], None] | None = None) -> None:
        """Render every page whose key changed, over ``workers`` processes; stage changed bytes.

        The pages are taken a batch at a time, so that the build never holds all of them.
        ``progress(done, total)`` counts the pages looked at, rendered or kept; ``total`` is
        how many ``pages`` yields.
        """
        job = _RenderJob(self, render)
        pages, done, todo = iter(pages), 0, []
        if progress:
            progress(0, total)
        while batch := list(islice(pages, PAGE_BATCH)):
            kept = self.unchanged_many({page.path: page.key for page in batch})
            todo += [page.later() if page.later else page for page in batch
                     if page.path not in kept]
            done += len(batch)
            # Pages to render are gathered over batches: the workers start once for a few.
            if len(todo) >= PAGE_BATCH:
                self._render(job, todo, workers)
                todo = []
            if progress and done < total:
                progress(done - len(todo), total)
        self._render(job, todo, workers)
        if progress:
            progress(done, max(done, total))

    def _render(self, job: _RenderJob, pages: list, workers: int) -> None:
        for path, key, digest, size, wrote in map_chunks(job, pages, workers):
            self.record(path, key, digest, size, wrote)

    def offer(self, path: str, key: str | None, make: Callable[[], bytes]) -> None:
        if not self.unchanged(path, key):
            self.put(path, key, make())

    def offer_all(self, files: Iterable[tuple[str, str | None, Callable[[], bytes]]]) -> None:
        files = list(files)
        kept = self.unchanged_many({path: key for path, key, _ in files})
        for path, key, make in files:
            if path not in kept:
                self.put(path, key, make())

    def put_all(self, files: Iterable[tuple[str, bytes]]) -> None:
        for path, data in files:
            self.put(path, None, data)

    def copy_tree(self, source: Path, prefix: str) -> None:
        for path in sorted(Path(source).rglob("*")):
            if path.is_file():
                self.put(f"{prefix}/{path.relative_to(source).as_posix()}", None,
                         path.read_bytes())

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if kind is not None:
            if self.look is not None:
                self.look.close()
            shutil.rmtree(self.new, ignore_errors=True)
            return
        if self.full:
            self.new.mkdir(parents=True, exist_ok=True)
            if self.output.exists():
                os.rename(self.output, self.old)
            os.rename(self.new, self.output)
            shutil.rmtree(self.old, ignore_errors=True)
            self.folders = _mtimes(self.output, ancestors(self.records))
            return
        self.before("")  # the look's result, if nothing asked for a record yet
        removed = self.removed = sorted(
            {path for path in self._previous if path not in self.kept
             and path not in self.records} | (self.strays - self.kept - self.records.keys()))
        if not self.written and not removed:
            return  # nothing to commit: the stamp still holds
        unstamp(self.output)
        temporary = self.journal.with_suffix(".tmp")
        temporary.write_text(json.dumps({"move": sorted(self.written), "remove": removed}),
                             encoding="utf-8")
        os.replace(temporary, self.journal)
        recover(self.output)
        # Only the folders whose entries this commit changed need a new mtime.
        for folder in sorted(ancestors([*self.written, *removed])):
            mtime = _mtime(os.path.join(self.output, folder))
            if mtime is None:
                self.folders.pop(folder, None)
            else:
                self.folders[folder] = mtime


class _RenderJob:
    """Runs in a worker: render one page, stage it if changed, return its record."""

    def __init__(self, publisher: Publisher, render: Callable[[object], bytes]):
        self.publisher, self.render = publisher, render

    def __call__(self, page: object) -> tuple[str, str | None, str, int, bool]:
        path, key = page.path, page.key  # type: ignore[attr-defined]
        return (path, key, *self.publisher.stage(path, self.render(page)))


@contextlib.contextmanager
def exclusive(output: Path) -> Iterator[None]:
    """One build at a time per output folder: a second one waits until the first is done.

    Two at once would stage into the same folder, commit each other's half and save the
    same build cache (tried: the second failed on the search records' database). The lock
    is held on the folder that holds the output, so there is no lock file to make or clean
    up (outputs side by side in one folder take turns too); where that folder does not
    exist yet, nothing was published that needs guarding.
    """
    try:
        handle = os.open(Path(output).resolve().parent, os.O_RDONLY)
    except OSError:
        yield
        return
    try:
        if fcntl is not None:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                log.warning("%s: another build is writing it; waiting for it to finish", output)
                fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # which releases the lock


def recover(output: Path) -> None:
    """Finish whatever an earlier, interrupted commit left: a half swap or a journal."""
    old = output.with_name(f".{output.name}.old")
    new = output.with_name(f".{output.name}.new")
    journal = output.with_name(f".{output.name}.journal")
    if old.exists() and not output.exists():
        old.rename(output)
    if journal.exists():
        plan = json.loads(journal.read_text(encoding="utf-8"))
        for path in plan["move"]:
            staged = new / path
            if staged.exists():
                target = output / path
                target.parent.mkdir(parents=True, exist_ok=True)
                if target.is_dir() and not target.is_symlink():
                    shutil.rmtree(target)  # a folder made by hand where the file belongs
                os.replace(staged, target)
        emptied = set()
        for path in plan["remove"]:
            target = output / path
            with contextlib.suppress(FileNotFoundError, NotADirectoryError):
                target.unlink()  # gone already, or its folder was replaced by a page
            emptied.add(target.parent)
        # Each folder once, deepest first: looked at after every removal, the folder of the
        # search index's 20,000 shards was listed 18,000 times by one merge (minutes).
        for folder in sorted(emptied, key=lambda f: len(f.parts), reverse=True):
            _prune(folder, output)
        journal.unlink()
        shutil.rmtree(new, ignore_errors=True)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def _mtime(path: str) -> int | None:
    """A folder's mtime_ns; None if it is missing or no folder."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return info.st_mtime_ns if stat.S_ISDIR(info.st_mode) else None


def _mtimes(output: Path, folders: Iterable[str]) -> dict[str, int]:
    found = {folder: _mtime(os.path.join(output, folder)) for folder in folders}
    return {folder: mtime for folder, mtime in found.items() if mtime is not None}


def _prune(folder: Path, stop: Path) -> None:
    """Remove folders left empty by deletions, as a clean build would not have them."""
    while folder != stop and _empty(folder):
        folder.rmdir()
        folder = folder.parent


def _empty(folder: Path) -> bool:
    """Whether a folder has no entries: the first one is enough to tell (``iterdir`` lists
    the whole folder first)."""
    try:
        with os.scandir(folder) as entries:
            return next(entries, None) is None
    except (FileNotFoundError, NotADirectoryError):
        return False
