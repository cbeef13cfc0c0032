"""parallel.map_chunks: forked workers take the items they inherited, in order."""

from __future__ import annotations

import os

import pytest

from generator import parallel
from generator.parallel import map_chunks


class Unpicklable:
    """An item that cannot travel through a pipe (as a parsed article need not)."""

    def __init__(self, value: int):
        self.value = value

    def __reduce__(self):
        raise TypeError("items must not be pickled to the workers")


def _worker_and_value(item: Unpicklable) -> tuple[int, int]:
    return os.getpid(), item.value * 2


def test_workers_read_items_by_position_without_pickling_them():
    items = [Unpicklable(i) for i in range(1000)]
    seen = []
    results = list(map_chunks(_worker_and_value, items, workers=2, min_items=1, size=50,
                              progress=lambda done, total: seen.append((done, total))))
    assert seen[0] == (0, 1000) and seen[-1] == (1000, 1000) and len(seen) == 21
    assert [value for _, value in results] == [i * 2 for i in range(1000)]
    assert os.getpid() not in {pid for pid, _ in results}  # it really forked
    assert parallel._items == ()  # the parent lets go of the items afterwards


def test_few_items_stay_in_process_and_report_progress():
    seen = []
    results = list(map_chunks(_worker_and_value, [Unpicklable(3)], workers=2,
                              progress=lambda done, total: seen.append((done, total))))
    assert results == [(os.getpid(), 6)]
    assert seen == [(0, 1), (1, 1)]  # the start (so a step's time counts from it), the end


def test_work_on_no_items_still_reports_its_start_and_end():
    seen = []
    assert list(map_chunks(_worker_and_value, [], workers=2,
                           progress=lambda done, total: seen.append((done, total)))) == []
    assert seen == [(0, 0)]


def test_a_failing_task_raises_in_the_parent():
    def explode(item: Unpicklable) -> int:
        raise ValueError(f"bad item {item.value}")

    with pytest.raises(ValueError, match="bad item"):
        list(map_chunks(explode, [Unpicklable(i) for i in range(10)], workers=2, min_items=1))
