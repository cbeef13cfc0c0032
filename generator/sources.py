"""Find the article files and fingerprint them by content.

Hashes, not modification times, decide what changed: a fresh git clone in CI gives every
file a new mtime. The (size, mtime) pair is only a shortcut: a file whose pair is unchanged
since the last build keeps its recorded hash; any other file is read and hashed.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem


@dataclass(frozen=True, slots=True)
class SourceFile:
    size: int
    mtime_ns: int
    sha: str


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def find(root: Path) -> tuple[list[str], list[Problem]]:
    """Every ``*.md`` below root as a sorted relative path; links leading outside are refused."""
    root = root.resolve()
    found: list[str] = []
    problems: list[Problem] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        for name in sorted(dirnames):
            if name.startswith("."):
                dirnames.remove(name)
            elif (here / name).is_symlink():
                dirnames.remove(name)
                problems.append(Problem((here / name).relative_to(root).as_posix(), 1,
                                        "symbolic link to a folder is not followed; "
                                        "move the files into the content folder"))
        for name in filenames:
            if not name.endswith(".md") or name.startswith("."):
                continue
            path = here / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink() and not path.resolve().is_relative_to(root):
                problems.append(Problem(rel, 1, "symbolic link points outside the content folder"))
                continue
            found.append(rel)
    found.sort()
    return found, problems


def fingerprint(root: Path, paths: list[str],
                previous: dict[str, SourceFile]) -> dict[str, SourceFile]:
    """Content hash of every path, reading only files whose size or mtime moved."""
    result = {}
    for rel in paths:
        path = root / rel
        stat = path.stat()
        known = previous.get(rel)
        if known is not None and known.size == stat.st_size and known.mtime_ns == stat.st_mtime_ns:
            result[rel] = known
        else:
            result[rel] = SourceFile(stat.st_size, stat.st_mtime_ns, digest(path.read_bytes()))
    return result
