"""Progress of long builds: a bar in a terminal, a line per finished step in CI logs."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

LABELS = {"read": "reading articles", "pages": "rendering pages", "photos": "making photos"}


def terminal() -> Console | None:
    """A console on stderr if that is a terminal (where a live bar belongs), else None."""
    console = Console(stderr=True)
    return console if console.is_terminal and not console.is_dumb_terminal else None


@contextmanager
def reporter(enabled: bool = True) -> Iterator[Callable[[str, int, int], None] | None]:
    """Yields the ``progress(step, done, total)`` callback :func:`generator.build` takes.

    In a terminal, a live bar per step. Elsewhere (CI logs) one line per step when it ends,
    ``rendering pages: 11 in 0.42 s``: when done reaches total, or when the build ends first
    (then with ``done/total``).
    """
    if not enabled:
        yield None
        return
    console = terminal()
    if console is not None:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=console, transient=True) as bar:
            tasks: dict[str, int] = {}

            def update(step: str, done: int, total: int) -> None:
                if step not in tasks:
                    tasks[step] = bar.add_task(LABELS.get(step, step), total=total)
                bar.update(tasks[step], completed=done, total=total)

            yield update
        return
    running: dict[str, tuple[float, int, int]] = {}  # step → (started, done, total)

    def finish(step: str) -> None:
        started, done, total = running.pop(step)
        count = str(done) if done == total else f"{done}/{total}"
        click.echo(f"{LABELS.get(step, step)}: {count} in {time.perf_counter() - started:.2f} s",
                   err=True)

    def plain(step: str, done: int, total: int) -> None:
        started = running[step][0] if step in running else time.perf_counter()
        running[step] = (started, done, total)
        if done >= total:
            finish(step)

    try:
        yield plain
    finally:
        for step in list(running):
            finish(step)
