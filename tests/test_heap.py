"""heap.frozen: the build's long-lived objects out of the collector's way, and back after:
the collector off in the build's process, on in its forked workers."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

from generator import build, heap
from generator.parallel import map_chunks
from generator.settings import load

ROOT = Path(__file__).resolve().parents[1]


def _square(x: int) -> int:
    return x * x


def _collecting(_: int) -> bool:
    return gc.isenabled()


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


def test_the_collector_is_off_inside_on_in_workers_and_on_again_after():
    assert gc.isenabled()
    with heap.frozen():
        assert not gc.isenabled()
        with heap.frozen():
            assert not gc.isenabled()
        assert not gc.isenabled()
        assert set(map_chunks(_collecting, range(500), workers=2, min_items=1)) == {True}
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_caller_stays_off():
    gc.disable()
    try:
        with heap.frozen():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_build_leaves_nothing_frozen_and_the_collector_on(site_copy):
    report = build(load(site_copy / "pelicanconf.py", {"WORKERS": 2}))
    assert report.full and report.files > 0
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()


TRIM = """
import sys
from generator import heap

def resident():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) // 1024 for line in status if line.startswith("VmRSS"))

chunks = [bytes(4000) + bytes([i % 256]) for i in range(50_000)]  # 200 MB in malloc's heap
last = bytes(4000) + b"x"  # allocated above them: free() alone cannot shrink the heap
del chunks
before = resident()
heap.trim()
print(before, resident())
"""


def test_trim_gives_freed_memory_back_to_the_system():
    # A worker that finished a large job waits with its peak counted unless this works.
    done = subprocess.run([sys.executable, "-c", TRIM], capture_output=True, text=True,
                          check=True, cwd=ROOT)
    before, after = map(int, done.stdout.split())
    assert before - after > 100, done.stdout
