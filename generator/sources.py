"""What the content folder holds, and which files changed: by content.

Hashes, not modification times, decide what changed: a fresh git clone in CI gives every
file a new mtime. The (size, mtime) pair is only a shortcut: a file whose pair is unchanged
since the last build keeps its recorded hash. The hash is git's blob id, so that in a git
checkout the files whose pair moved take their hash from git's index, which already knows
it, and only the files that differ from the index (edited, untracked) are read.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .errors import ContentError, Problem

if TYPE_CHECKING:
    from .settings import Settings

GIT_AFTER = 256
"""Ask git once more files than this have moved (a fresh clone, a checkout of another
branch); fewer are cheaper to read than git is to start."""


class SourceFile(NamedTuple):
    """A named tuple rather than a dataclass: the build cache loads 100,000 of them on every
    build, and a tuple unpickles without a Python call per object (a third of the time)."""

    size: int
    mtime_ns: int
    sha: str


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def blob_id(data: bytes) -> str:
    """The id git gives these bytes as a blob: an article's identity, in git or not."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def fingerprint(root: Path, files: list[tuple[str, int, int]],
                previous: dict[str, SourceFile]) -> dict[str, SourceFile]:
    """Content hash of every (path, size, mtime_ns), reading only files whose pair moved
    and that git (where root is in a git checkout) cannot vouch for."""
    result = {}
    moved = []
    for rel, size, mtime_ns in files:
        known = previous.get(rel)
        if known is not None and known.size == size and known.mtime_ns == mtime_ns:
            result[rel] = known
        else:
            moved.append((rel, size, mtime_ns))
    vouched = git_blobs(root) if len(moved) > GIT_AFTER else {}
    base = f"{root}/"  # strings, not Path objects: after a fresh clone every file is read
    for rel, size, mtime_ns in moved:
        sha = vouched.get(rel)
        if sha is None:
            with open(base + rel, "rb") as handle:
                sha = blob_id(handle.read())
        result[rel] = SourceFile(size, mtime_ns, sha)
    return result


def git_blobs(root: Path) -> dict[str, str]:
    """Blob id of every file below root that git's index holds and the work tree has as
    indexed (relative paths); empty outside a git checkout or without git.

    ``git diff-files`` names the files whose content may differ from the index (it compares
    the content where the times cannot tell); files marked assume-unchanged or
    skip-worktree are left out, as git does not look at them.
    """
    listed = _git(root, "ls-files", "--stage", "-v", "-z")
    differ = _git(root, "diff-files", "--name-only", "--relative", "-z")
    if listed is None or differ is None:
        return {}
    doubtful = set(differ.split(b"\0"))
    found = {}
    for entry in listed.split(b"\0"):
        # "H 100644 <sha> 0\t<path>": tag, mode, blob id, stage; only clean regular files.
        meta, _, path = entry.partition(b"\t")
        tag, mode, sha, stage = (meta.split(b" ") + [b""] * 4)[:4]
        if tag == b"H" and mode in (b"100644", b"100755") and stage == b"0" \
                and path not in doubtful:
            found[path.decode("utf-8", "surrogateescape")] = sha.decode()
    return found


def _git(root: Path, *args: str) -> bytes | None:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True,
                              check=False, timeout=600)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def find_sources(root: Path) -> tuple[list[Path], list[Problem]]:
    """Every ``*.md`` below root, sorted; links that lead outside root are refused."""
    root = root.resolve()
    found, problems = scan_sources(root)
    return [root / rel for rel, _, _ in found], problems


def scan_sources(root: Path) -> tuple[list[tuple[str, int, int]], list[Problem]]:
    """(relative path, size, mtime_ns) of every ``*.md`` below the resolved root, sorted.

    Strings and ``os.scandir`` rather than ``Path`` objects: at 100,000 files this walk is
    part of every build, the ones that change a single article included.
    """
    found: list[tuple[str, int, int]] = []
    problems: list[Problem] = []
    pending = [(str(root), "")]
    while pending:
        folder, prefix = pending.pop()
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
        folders = []
        for entry in entries:
            rel = prefix + entry.name
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                folders.append((entry.path, rel + "/"))
            elif entry.is_symlink() and entry.is_dir():
                problems.append(Problem(rel, 1, "symbolic link to a folder is not followed; "
                                        "move the files into the content folder"))
            elif entry.name.endswith(".md"):
                if entry.is_symlink() and not Path(entry.path).resolve().is_relative_to(root):
                    problems.append(Problem(rel, 1,
                                            "symbolic link points outside the content folder"))
                    continue
                stat = entry.stat()
                found.append((rel, stat.st_size, stat.st_mtime_ns))
        pending.extend(reversed(folders))  # depth first, in name order, as os.walk
    return found, problems


class Survey(NamedTuple):
    """What the content folder holds, before any file is parsed."""

    root: Path
    """The content folder, resolved."""
    paths: list[str]
    """Every source's relative path, in :func:`scan_sources`' order."""
    problems: list[Problem]
    recorded: dict[str, SourceFile]
    """The build cache's record of each source as the last build read it."""
    known: dict[str, SourceFile]
    """Each source's record now: its hash looked up or read only where size or mtime moved."""


def look(settings: Settings, sources: Mapping[str, SourceFile] | None) -> Survey:
    """Every source file with its content hash, against the build cache's ``sources``."""
    root = Path(settings.PATH)
    if not root.is_dir():
        raise ContentError([Problem(str(root), 0, "content folder does not exist")])
    root = root.resolve()
    found, problems = scan_sources(root)
    recorded: dict[str, SourceFile] = {}
    if sources is not None:
        # Keyed by the scan's strings: the cache rows' own copies would hold every path twice.
        same = {rel: rel for rel, _, _ in found}
        recorded = {same.get(rel, rel): record for rel, record in sources.items()}
    known = fingerprint(root, found, recorded)
    return Survey(root, [rel for rel, _, _ in found], problems, recorded, known)
