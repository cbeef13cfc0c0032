"""The build's long-lived objects, kept out of the cyclic garbage collector's way.

A build holds a large heap for its whole run: at 100,000 articles, the parsed articles from
the build cache, the output records, the list of pages. Each full collection walks every
tracked object, and the build's own allocations trigger dozens of them: a build of 100,000
articles in which nothing changed spent about a quarter of its time there. Frozen objects
are never walked. So the pipeline freezes what lives at its milestones, and everything is
thawed when the build ends, after which garbage among it is collected as usual.

Forked workers gain too: a walk writes to each object's header, which copies the memory page
it lives on, so every worker would end up with a private copy of the parent's heap.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def frozen() -> Iterator[None]:
    """Freeze every object alive now; thaw all on leaving, unless an outer block froze first
    (``gc.unfreeze`` thaws everything, so only the outermost block may call it)."""
    outer = gc.get_freeze_count() > 0
    gc.freeze()
    try:
        yield
    finally:
        if not outer:
            gc.unfreeze()


def keep() -> None:
    """Within :func:`frozen`: freeze what was made since, the long-lived objects of a step."""
    gc.freeze()
