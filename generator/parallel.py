"""Spread work over the CPU cores with forked worker processes.

Forking lets workers see the parent's archive model without pickling it: a task is a range
of positions in the items the workers inherited, and only its results travel back (parsed
metadata, a path and a hash, a search record). Small jobs stay in-process,
where starting workers would cost more than it saves.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from . import heap
from .settings import Settings

MIN_ITEMS = 400
"""Below this many items a job runs in-process."""

_task: Callable[[Any], Any] | None = None
_items: Sequence[Any] = ()


def worker_count(settings: Settings) -> int:
    if settings.WORKERS:
        return settings.WORKERS
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _run(span: tuple[int, int]) -> list[Any]:
    assert _task is not None
    return [_task(item) for item in _items[span[0]:span[1]]]


def map_chunks(task: Callable[[Any], Any], items: Sequence[Any], workers: int = 1,
               progress: Callable[[int, int], None] | None = None, min_items: int = MIN_ITEMS,
               size: int | None = None) -> Iterator[Any]:
    """``map(task, items)`` in order, over ``workers`` forked processes when worth it.

    ``progress(done, total)`` is called when the work starts (``done`` 0) and as results
    arrive. Few heavy items: lower ``min_items`` and send them one by one (``size=1``).
    """
    global _task, _items
    if progress:
        progress(0, len(items))
    forkable = "fork" in multiprocessing.get_all_start_methods()
    if workers <= 1 or len(items) < min_items or not forkable:
        for done, item in enumerate(items, start=1):
            yield task(item)
            if progress:
                progress(done, len(items))
        return
    size = size or max(50, min(500, len(items) // (workers * 8)))
    # Positions, not items: pickling the articles to the workers that already hold them
    # cost the parent, which shares the cores with them, seconds of a cold analysis.
    spans = [(i, min(i + size, len(items))) for i in range(0, len(items), size)]
    _task, _items = task, items
    # Frozen: the workers' garbage collector does not touch (and thereby copy) the parent's
    # objects they share (see heap).
    try:
        with heap.frozen(), multiprocessing.get_context("fork").Pool(
                workers, initializer=heap.worker) as pool:
            done = 0
            for results in pool.imap(_run, spans):
                yield from results
                done += len(results)
                if progress:
                    progress(done, len(items))
    finally:
        _task, _items = None, ()
