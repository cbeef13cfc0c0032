"""The output folder as it is, against what the last build recorded in it.

Each successful build leaves, last, a stamp in the output folder: the seal of the records
it wrote there, which the build cache holds too. A build that finds the two agreeing trusts
the records and looks at no file (at a million reports the look alone lists 1.4 million
files); a missing or other stamp, or ``BUILD_VERIFY``, makes it look at every file.

An incremental build writes only what changed, so it must know that the output still holds
what its records say: a CI run may restore the folder from a cache, a hand may have changed
it. A recorded file that is missing or has another size is produced again; a file no record
explains is removed; so the result always equals a clean build.

At 100,000 articles that look costs some 275,000 ``lstat`` calls, about a second spent
waiting on the kernel. So :class:`Look` runs it in a forked process, started before the
content is read, on the core the reading leaves idle; only what it found travels back,
which is nothing when no hand touched the output.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
import stat
from collections.abc import Iterable, Mapping
from multiprocessing.connection import Connection
from pathlib import Path

Record = tuple[str | None, str, int]
"""(input key or None, content hash, size) of one output file."""

KEEP = "\0kept"
"""A page key meaning: the key its file was last written with (the page's inputs did not
change), resolved by the publisher against its records."""
SCAN_AFTER = 20_000
"""Records asked about at once beyond this many are found by one walk over all of them:
a lookup each in the build cache's table costs some ten microseconds."""
STAMP = ".meldungen-stamp"
"""The stamp's name in the output folder (hidden: no page links to it, deploys skip it)."""
_MODULUS = 1 << 128

Found = tuple[set[str], set[str], dict[str, int]]
"""What the output holds: (recorded files to produce again, files no valid record explains,
folder → mtime_ns as it is)."""


def seal(records: Mapping[str, Record], before: Mapping[str, Record] | None = None,
         changed: Iterable[str] = (), base: int | None = None) -> int:
    """A sum over every (output path, content hash) that names the output's content whatever
    the order or history of the builds that made it. Given ``base``, the seal of the records
    ``before``, it costs only the ``changed`` paths (written, added or removed): ``records``
    then holds those of them the output has now."""
    if base is None or before is None:
        return sum(_mark(path, record[1]) for path, record in records.items()) % _MODULUS
    total = base
    for path in set(changed):
        old = before.get(path)
        if old is not None:
            total -= _mark(path, old[1])
        if path in records:
            total += _mark(path, records[path][1])
    return total % _MODULUS


def _mark(path: str, digest: str) -> int:
    return int.from_bytes(hashlib.blake2b(f"{path}\0{digest}".encode(), digest_size=16)
                          .digest(), "big")


def stamp(output: Path) -> int | None:
    """The seal the output folder's stamp names (None: none, or unreadable)."""
    try:
        return int((Path(output) / STAMP).read_text(encoding="ascii"), 16)
    except (OSError, ValueError):
        return None


def write_stamp(output: Path, value: int) -> None:
    if stamp(output) == value:
        return
    target = Path(output) / STAMP
    temporary = target.with_name(f"{STAMP}.{os.getpid()}.tmp")
    temporary.write_text(f"{value:032x}\n", encoding="ascii")
    os.replace(temporary, target)


def unstamp(output: Path) -> None:
    """Before a commit changes the output: until the next stamp, nothing vouches for it."""
    (Path(output) / STAMP).unlink(missing_ok=True)


def look(output: Path, expected: Mapping[str, Record], folders: Mapping[str, int]) -> Found:
    """Compare the output folder with the records ``expected`` and the folders' mtimes."""
    # Each walked once (they may be the build cache's tables, read row by row).
    sizes = {path: record[2] for path, record in expected.items()}
    present, mtimes = _present(output, sizes, dict(folders.items()))
    again = {path for path, size in sizes.items() if present.get(path) != size}
    return again, {path for path in present if path not in sizes or path in again}, mtimes


class Look:
    """:func:`look` in a forked process; :meth:`result` waits for it.

    Where processes cannot be forked, :meth:`result` looks in-process instead.
    """

    def __init__(self, output: Path, expected: Mapping[str, Record],
                 folders: Mapping[str, int]):
        self.args = (output, expected, folders)
        self.process: multiprocessing.process.BaseProcess | None = None
        if "fork" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("fork")
            self.receive, send = context.Pipe(duplex=False)
            # Forked, the child inherits the records: nothing is pickled on the way there.
            self.process = context.Process(target=_child, args=(send, *self.args), daemon=True)
            self.process.start()
            send.close()

    def result(self) -> Found:
        again, strays, moved, gone = self.changes()
        _, _, folders = self.args
        return again, strays, {folder: mtime for folder, mtime in folders.items()
                               if folder not in gone} | moved

    def changes(self) -> tuple[set[str], set[str], dict[str, int], list[str]]:
        """(files to produce again, strays, folders whose mtime moved → it, folders gone):
        what differs from the records and folders given, not the whole folder table."""
        if self.process is None:
            outcome = _differences(*self.args)
        else:
            try:
                outcome = self.receive.recv()
            except EOFError:  # the child died (killed, out of memory): look here instead
                outcome = _differences(*self.args)
            finally:
                self.close()
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    def close(self) -> None:
        """Stop the child if it still runs (the build failed before it needed the result)."""
        if self.process is not None:
            if self.process.is_alive():
                self.process.kill()
            self.process.join()
            self.receive.close()
            self.process = None


def _child(send: Connection, output: Path, expected: Mapping[str, Record],
           folders: Mapping[str, int]) -> None:
    # Ctrl-C in a terminal reaches the whole process group: the parent stops the child, which
    # would only print a second traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        send.send(_differences(output, expected, folders))
    except Exception as error:  # raised again in the parent, which reports it
        send.send(error)
    finally:
        send.close()


def _differences(output: Path, expected: Mapping[str, Record], folders: Mapping[str, int]
                 ) -> tuple[set[str], set[str], dict[str, int], list[str]]:
    folders = dict(folders.items())  # walked, then asked for each folder: read once
    again, strays, mtimes = look(output, expected, folders)
    # Only the folders whose mtime is not the recorded one: usually none of 120,000.
    moved = {folder: mtime for folder, mtime in mtimes.items() if folders.get(folder) != mtime}
    return again, strays, moved, [folder for folder in folders if folder not in mtimes]


def _present(output: Path, expected: Iterable[str], folders: dict[str, int]
             ) -> tuple[dict[str, int], dict[str, int]]:
    """Files present in the output with their sizes, and the folders' mtimes as they are.

    Listing every folder is what a check of 100,000 article pages costs (one folder each):
    a folder whose mtime is the one recorded after the last commit has the same entries, so
    only its expected files are looked at (one ``lstat`` each). Any other folder is listed,
    and folders nobody recorded are walked whole: whatever they hold is a stray.
    """
    files: dict[str, list[str]] = {}
    for path in expected:
        folder, _, name = path.rpartition("/")
        files.setdefault(folder, []).append(name)
    present: dict[str, int] = {}
    mtimes: dict[str, int] = {}
    known = set(folders) | files.keys() | ancestors(files)  # files' folders, and above
    root = str(output)
    # The loop below runs 275,000 times at 100,000 articles, so it is kept bare: no
    # os.path.join, no context manager per file, os.lstat looked up once.
    lstat, is_dir = os.lstat, stat.S_ISDIR
    for folder in sorted(known):
        base = f"{root}/{folder}" if folder else root
        try:
            info = lstat(base)
        except OSError:
            continue  # gone: its files count as missing
        if not is_dir(info.st_mode):
            continue  # no folder any more: the same
        mtime = mtimes[folder] = info.st_mtime_ns
        prefix = f"{folder}/" if folder else ""
        if folders.get(folder) == mtime:
            for name in files.get(folder, ()):
                try:  # noqa: SIM105 (not contextlib.suppress: see above)
                    present[prefix + name] = lstat(f"{base}/{name}").st_size
                except OSError:
                    pass  # missing: produced again
            continue
        with os.scandir(base) as entries:
            for entry in entries:
                if not prefix and entry.name == STAMP:
                    continue  # bookkeeping, written after the records
                if not entry.is_dir(follow_symlinks=False):
                    present[prefix + entry.name] = entry.stat(follow_symlinks=False).st_size
                elif prefix + entry.name not in known:
                    present.update(_sizes(Path(entry.path), f"{prefix}{entry.name}/"))
    return present, mtimes


def _sizes(folder: Path, prefix: str = "") -> dict[str, int]:
    """Every file below folder with its size, by path relative to it (``a/b.html``)."""
    found: dict[str, int] = {}
    pending = [(str(folder), prefix)]
    while pending:
        path, prefix = pending.pop()
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, f"{prefix}{entry.name}/"))
                else:
                    found[prefix + entry.name] = entry.stat(follow_symlinks=False).st_size
    return found


def ancestors(paths: Iterable[str]) -> set[str]:
    """Every folder above the given file paths, the output itself (``""``) included."""
    found = {""}
    for path in paths:
        folder = path.rpartition("/")[0]
        while folder not in found:
            found.add(folder)
            folder = folder.rpartition("/")[0]
    return found
