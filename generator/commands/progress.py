"""Progress of long builds: a bar in a terminal, a few plain lines in CI logs."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

LABELS = {"read": "reading articles", "pages": "rendering pages", "photos": "making photos"}


@contextmanager
def reporter(enabled: bool = True) -> Iterator[Callable[[str, int, int], None] | None]:
    """Yields the ``progress(step, done, total)`` callback :func:`generator.build` takes."""
    if not enabled:
        yield None
        return
    if sys.stderr.isatty():
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), transient=True) as bar:
            tasks: dict[str, int] = {}

            def update(step: str, done: int, total: int) -> None:
                if step not in tasks:
                    tasks[step] = bar.add_task(LABELS.get(step, step), total=total)
                bar.update(tasks[step], completed=done)

            yield update
        return
    printed: dict[str, int] = {}

    def plain(step: str, done: int, total: int) -> None:
        # A line per tenth: enough to see a CI build move, few enough to read the log.
        tenth = done * 10 // max(total, 1)
        if printed.get(step, -1) < tenth:
            printed[step] = tenth
            click.echo(f"{LABELS.get(step, step)}: {done}/{total}", err=True)

    yield plain
