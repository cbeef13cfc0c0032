"""Spread work over the CPU cores with worker processes.

:func:`map_chunks` forks: workers see the parent's archive model without pickling it, a task
is a range of positions in the items the workers inherited, and only its results travel back
(parsed metadata, a path and a hash); the parent takes spans too, so ``workers`` processes
work and only ``workers - 1`` of them are copies. :func:`map_fresh` is for jobs whose items
are cheap to send and whose parent is large: its workers start from a small server process,
so they do not carry the parent's heap. Small jobs stay in-process, where starting workers
would cost more than it saves.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import types
from collections import deque
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
    """``map(task, items)`` in order, over this process and ``workers - 1`` forked ones when
    worth it.

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
    # objects they share (see heap). The parent works too, beside one worker fewer: each
    # forked worker counts the parent's whole heap in its resident set.
    try:
        with heap.frozen(), multiprocessing.get_context("fork").Pool(
                workers - 1, initializer=heap.worker) as pool:
            done = 0
            for results in _shared(pool, spans, 2 * (workers - 1)):
                yield from results
                done += len(results)
                if progress:
                    progress(done, len(items))
    finally:
        _task, _items = None, ()


def _shared(pool: Any, spans: list[tuple[int, int]], width: int) -> Iterator[list[Any]]:
    """Each span's results in order: ``width`` spans kept in the pool, the next one run here
    whenever the pool is full."""
    pending: deque = deque()  # per span in order: its AsyncResult, or the results made here
    in_pool: deque = deque()
    for span in spans:
        while in_pool and in_pool[0].ready():
            in_pool.popleft()
        if len(in_pool) < width:
            pending.append(pool.apply_async(_run, (span,)))
            in_pool.append(pending[-1])
        else:
            with heap.collecting():  # the work's own garbage, not the frozen heap
                pending.append(_run(span))
        while pending and (isinstance(pending[0], list) or pending[0].ready()):
            first = pending.popleft()
            yield first if isinstance(first, list) else first.get()
    for first in pending:
        yield first if isinstance(first, list) else first.get()


PRELOAD = ["generator.search.records", "generator.search.segments"]
"""Imported once by the server that :func:`map_fresh`'s workers are forked from."""


def _start_fresh(task: Callable[[Any], Any]) -> None:
    global _task
    _task = task  # sent once per worker, not with every span


def _run_items(items: list[Any]) -> list[Any]:
    assert _task is not None
    return [_task(item) for item in items]


def map_fresh(task: Callable[[Any], Any], items: Sequence[Any], workers: int = 1,
              min_items: int = MIN_ITEMS, size: int | None = None,
              window: int | None = None) -> Iterator[Any]:
    """``map(task, items)`` in order, over ``workers`` processes that share nothing with this one.

    A forked worker's resident set counts every page of the parent's heap it shares (at
    100,000 articles three processes of a 600 MiB build summed 1.8 GiB before doing any
    work). These workers are forked from multiprocessing's forkserver, a fresh interpreter
    that only imported :data:`PRELOAD`; ``task`` is pickled to each once and the items a span
    at a time. At most ``window`` spans (default two per worker) are in flight, so results
    never pile up in the parent while it is busy with the ones before.
    """
    if not goes_out(len(items), workers, min_items):
        yield from map(task, items)
        return
    size = size or max(50, min(500, len(items) // (workers * 8)))
    spans = iter(range(0, len(items), size))
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    with _without_main():
        pool = context.Pool(workers, initializer=_start_fresh, initargs=(task,))
    with pool:
        pending: deque = deque()

        def submit() -> None:
            start = next(spans, None)
            if start is not None:
                pending.append(pool.apply_async(_run_items, (list(items[start:start + size]),)))

        for _ in range(window or 2 * workers):
            submit()
        while pending:
            results = pending.popleft().get()
            submit()  # before handing these on: the workers stay busy meanwhile
            yield from results


def goes_out(items: int, workers: int, min_items: int = MIN_ITEMS) -> bool:
    """Whether :func:`map_fresh` runs so many items in workers (else in this process)."""
    return workers > 1 and items >= min_items and \
        "forkserver" in multiprocessing.get_all_start_methods()


@contextlib.contextmanager
def _without_main() -> Iterator[None]:
    """Workers started meanwhile do not run the main script again. Multiprocessing imports it
    in each new worker (forkserver and spawn), so a script that builds without an ``if
    __name__ == "__main__"`` guard would start a second build there, which waits for the
    first one's lock for ever (the workers start when the pool does: only then is it hidden).
    """
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main
