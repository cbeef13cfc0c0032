"""Problems found in content or settings, reported all at once as ``path:line: message``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class MeldungenError(Exception):
    """Base class: every error we raise on purpose, with a message fit for an editor."""

    exitcode = 1


class ContentError(MeldungenError):
    """One or more articles are broken; carries every problem, sorted by file and line."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the content:"
        super().__init__("\n".join([head, *map(str, self.problems)]))


class ConfigError(MeldungenError):
    """The settings are invalid; carries every problem at once."""

    def __init__(self, problems: list[str], source: str = "pelicanconf.py"):
        self.problems = problems
        head = f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {source}:"
        super().__init__("\n".join([head, *(f"  - {p}" for p in problems)]))


class OutputPathError(MeldungenError):
    """A computed output path would leave the output folder."""
