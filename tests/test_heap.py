"""heap.frozen: the build's long-lived objects out of the collector's way, and back after."""

from __future__ import annotations

import gc

from generator import build, heap
from generator.parallel import map_chunks
from generator.settings import load


def _square(x: int) -> int:
    return x * x


def test_frozen_thaws_what_it_and_keep_froze():
    assert gc.get_freeze_count() == 0
    with heap.frozen():
        first = gc.get_freeze_count()
        assert first > 0
        made = [[i] for i in range(1000)]  # lists are tracked by the collector
        heap.keep()
        assert gc.get_freeze_count() >= first + len(made)
    assert gc.get_freeze_count() == 0


def test_an_inner_block_leaves_the_outer_one_frozen():
    with heap.frozen():
        with heap.frozen():
            pass
        assert gc.get_freeze_count() > 0
        # the forked pool freezes too (and used to thaw everything when done)
        assert list(map_chunks(_square, range(500), workers=2, min_items=1)) == [
            x * x for x in range(500)]
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0


def test_a_build_leaves_nothing_frozen(site_copy):
    report = build(load(site_copy / "pelicanconf.py", {"WORKERS": 2}))
    assert report.full and report.files > 0
    assert gc.get_freeze_count() == 0
