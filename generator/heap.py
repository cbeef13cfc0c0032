"""The build's long-lived objects, kept out of the cyclic garbage collector's way.

A build holds a large heap for its whole run: at 100,000 articles, the parsed articles from
the build cache, the site model, a batch of pages. It makes almost no cyclic garbage
(its objects die by reference counting), yet its allocations trigger the collector again
and again, and each full collection walks every tracked object: a build of 100,000 articles
in which nothing changed spent a fifth of its time there, most of it while loading the
build cache. So the build runs with the collector off; it collects again afterwards.

Frozen objects are never walked. Forked workers, which collect as usual (their jobs do make
garbage, and they end), gain from that: a walk writes to each object's header, which copies
the memory page it lives on, so every worker would end up with a private copy of the
parent's heap. So the pipeline also freezes what lives at its milestones.
"""

from __future__ import annotations

import ctypes
import gc
from collections.abc import Iterator
from contextlib import contextmanager

try:
    _malloc_trim = ctypes.CDLL(None).malloc_trim  # glibc's; elsewhere there is nothing to do
except (OSError, AttributeError):
    _malloc_trim = None


@contextmanager
def frozen() -> Iterator[None]:
    """Freeze every object alive now and switch the collector off; thaw all and switch it
    back on leaving, unless an outer block froze first (``gc.unfreeze`` thaws everything,
    so only the outermost block may call it)."""
    outer = gc.get_freeze_count() > 0
    enabled = gc.isenabled()
    gc.freeze()
    if not outer:
        gc.disable()
    try:
        yield
    finally:
        if not outer:
            gc.unfreeze()
            if enabled:
                gc.enable()


def keep() -> None:
    """Within :func:`frozen`: freeze what was made since, the long-lived objects of a step
    (for the forked workers' collectors)."""
    gc.freeze()


@contextmanager
def collecting() -> Iterator[None]:
    """Within :func:`frozen`: the collector on for a piece of work done in the parent (it walks
    only what is not frozen: that work's objects)."""
    enabled = gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        if not enabled:
            gc.disable()


def worker() -> None:
    """Start of a forked worker: it collects as usual, but never walks the frozen heap."""
    gc.enable()


def trim() -> None:
    """Give the memory a large piece of work freed back to the system. glibc's malloc keeps
    freed memory for reuse, so a process would go on counting that work's peak while it
    waits for the next job, or while other processes work."""
    if _malloc_trim is not None:
        _malloc_trim(0)
