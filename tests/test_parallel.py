"""parallel.map_chunks: forked workers take the items they inherited, in order."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator import parallel
from generator.parallel import map_chunks

ROOT = Path(__file__).resolve().parents[1]


class Unpicklable:
    """An item that cannot travel through a pipe (as a parsed article need not)."""

    def __init__(self, value: int):
        self.value = value

    def __reduce__(self):
        raise TypeError("items must not be pickled to the workers")


def _worker_and_value(item: Unpicklable) -> tuple[int, int]:
    return os.getpid(), item.value * 2


def _slowly(item: Unpicklable) -> tuple[int, int]:
    time.sleep(0.002)  # a span takes a tenth of a second: the pool is full while it runs
    return _worker_and_value(item)


def test_workers_read_items_by_position_without_pickling_them():
    items = [Unpicklable(i) for i in range(1000)]
    seen = []
    results = list(map_chunks(_slowly, items, workers=3, min_items=1, size=50,
                              progress=lambda done, total: seen.append((done, total))))
    assert seen[0] == (0, 1000) and seen[-1] == (1000, 1000) and len(seen) == 21
    assert [value for _, value in results] == [i * 2 for i in range(1000)]
    # Three workers: the parent and two forked ones (a forked worker counts the parent's
    # whole heap in its resident set, so the parent does not sit idle beside three).
    pids = {pid for pid, _ in results}
    assert os.getpid() in pids and len(pids) == 3
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


def _pid_and_double(value: int) -> tuple[int, int]:
    return os.getpid(), value * 2


def _resident_mib(_: int) -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) // 1024 for line in status
                    if line.startswith("VmRSS"))


class Watched(list):
    """A list that notes which slices a job took from it."""

    def __init__(self, items):
        super().__init__(items)
        self.taken: list[int] = []

    def __getitem__(self, index):
        if isinstance(index, slice):
            self.taken.append(index.start)
        return super().__getitem__(index)


def test_fresh_workers_get_items_pickled_and_answer_in_order():
    results = list(parallel.map_fresh(_pid_and_double, list(range(500)), workers=2,
                                      min_items=1, size=30))
    assert [value for _, value in results] == [i * 2 for i in range(500)]
    assert os.getpid() not in {pid for pid, _ in results}


def test_fresh_workers_do_not_carry_the_parents_heap():
    ballast = bytearray(os.urandom(1 << 20)) * 256  # 256 MiB of this process, resident
    sizes = list(parallel.map_fresh(_resident_mib, [0, 1, 2, 3], workers=2, min_items=1,
                                    size=1))
    assert len(ballast) == 256 << 20
    assert max(sizes) < 128  # a forked worker's resident set would count the 256 MiB


def test_fresh_workers_keep_only_a_window_of_spans_in_flight():
    items = Watched(range(200))
    made = parallel.map_fresh(_pid_and_double, items, workers=2, min_items=1, size=10,
                              window=3)
    assert next(made)[1] == 0
    assert items.taken == [0, 10, 20, 30]  # three sent at first, one more per span done
    assert [value for _, value in made] == [i * 2 for i in range(1, 200)]
    assert items.taken == list(range(0, 200, 10))


def test_a_failing_fresh_task_raises_in_the_parent():
    with pytest.raises(ZeroDivisionError):
        list(parallel.map_fresh(_divide, [1, 0, 2] * 200, workers=2, min_items=1))


def _divide(value: int) -> float:
    return 1 / value


def test_fresh_workers_do_not_run_an_unguarded_main_script_again(tmp_path):
    """Multiprocessing runs the main script again in each forkserver worker; one that calls
    the build at its top level (no ``__main__`` guard) would build a second time there."""
    script = tmp_path / "unguarded.py"
    marker = tmp_path / "runs"
    script.write_text(
        "import os\n"
        "from generator import parallel\n"
        f"with open({str(marker)!r}, 'a') as runs:\n"
        "    runs.write(f'{os.getpid()}\\n')\n"
        "print(sum(parallel.map_fresh(abs, list(range(-500, 0)), workers=2, min_items=1)))\n")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(sum(range(1, 501)))]
    assert len(marker.read_text().split()) == 1  # the script ran once, in its own process
