"""Problems found in content or settings, reported all at once as ``path:line: message``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def shown(path: str | os.PathLike[str], cwd: Path | None = None) -> str:
    """A path as people see it in every message: relative to the working folder when the file
    lies below it (editors and CI logs jump to it), else absolute."""
    cwd = cwd or Path.cwd()
    absolute = Path(os.path.abspath(Path(cwd, path)))
    return (absolute.relative_to(cwd) if absolute.is_relative_to(cwd) else absolute).as_posix()


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    path: str
    """As the step that found it names the file: the build, relative to the content folder."""
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"

    def located(self, root: str | os.PathLike[str] | None = None) -> Problem:
        """The same problem with its path :func:`shown`; ``root``: what the path is below."""
        return Problem(shown(Path(root, self.path) if root else self.path), self.line,
                       self.message)


class MeldungenError(Exception):
    """Base class: every error we raise on purpose, with a message fit for an editor."""

    exitcode = 1


class ContentError(MeldungenError):
    """One or more articles are broken; carries every problem, sorted by file and line.

    The message names each file as :func:`shown` does; ``root`` is the folder the problems'
    paths are relative to (the content folder), ``problems`` keep them as they were.
    """

    def __init__(self, problems: list[Problem], root: str | os.PathLike[str] | None = None):
        self.problems = sorted(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the content:"
        lines = sorted(problem.located(root) for problem in self.problems)
        super().__init__("\n".join([head, *map(str, lines)]))


class ConfigError(MeldungenError):
    """The settings are invalid; carries every problem at once."""

    def __init__(self, problems: list[str], source: str = "pelicanconf.py"):
        self.problems = problems
        head = f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {source}:"
        super().__init__("\n".join([head, *(f"  - {p}" for p in problems)]))


class OutputPathError(MeldungenError):
    """A computed output path would leave the output folder."""
