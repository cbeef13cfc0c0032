"""Write the site into a staging folder and swap it in only when the build succeeded.

A failed build (bad content, template error, crash, Ctrl-C) leaves the published folder as it
was: the staging folder is thrown away. The swap is two renames on the same file system;
if the process dies between them, the next build finds ``.<name>.old`` and restores it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from types import TracebackType

from .errors import OutputPathError

_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}


def safe_relative(path: str) -> PurePosixPath:
    """Refuse any output path that could leave the output folder or trip a file system."""
    pure = PurePosixPath(path)
    bad = (
        not path
        or "\x00" in path
        or "\\" in path
        or pure.is_absolute()
        or any(part in ("", ".", "..") for part in path.split("/"))
        or any(part.split(".")[0].lower() in _RESERVED for part in pure.parts)
    )
    if bad:
        raise OutputPathError(f"refusing to write outside the output folder: {path!r}")
    return pure


class Staging:
    """``with Staging(output) as out: out.write(...)`` — published on success only."""

    def __init__(self, output: Path):
        self.output = Path(output)
        self.new = self.output.with_name(f".{self.output.name}.new")
        self.old = self.output.with_name(f".{self.output.name}.old")
        self.written: list[str] = []

    def __enter__(self) -> Staging:
        self.output.parent.mkdir(parents=True, exist_ok=True)
        if self.old.exists() and not self.output.exists():
            self.old.rename(self.output)  # an earlier run died between the two renames
        for leftover in (self.new, self.old):
            if leftover.exists():
                shutil.rmtree(leftover)
        self.new.mkdir()
        return self

    def write(self, path: str, data: bytes) -> None:
        target = self.new / safe_relative(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.written.append(path)

    def write_all(self, files: Iterable[tuple[str, bytes]]) -> None:
        for path, data in files:
            self.write(path, data)

    def copy_tree(self, source: Path, prefix: str) -> None:
        for path in sorted(Path(source).rglob("*")):
            if path.is_file():
                self.write(f"{prefix}/{path.relative_to(source).as_posix()}", path.read_bytes())

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if kind is not None:
            shutil.rmtree(self.new, ignore_errors=True)
            return
        if self.output.exists():
            os.rename(self.output, self.old)
        os.rename(self.new, self.output)
        shutil.rmtree(self.old, ignore_errors=True)
