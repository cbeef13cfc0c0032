"""A cold build by stage (then edits, with ``--edit``): when each began and ended, and the
peak of the resident sets of every process of the build summed (sampled every 20 ms).
Prints figures, asserts nothing.

    .venv/bin/python benchmarks/stages.py --content /tmp/s100k [--repo REV_CHECKOUT]
        [--stop-after render_pages] [--search-only] [--keep-cache] [--edit N]

The content (``meldungen synth --n 100000 --out /tmp/s100k/content``, say) is built into
``output`` beside it, with no build cache, by the code of ``--repo`` (a checkout, default
this one) in a child process; the stages are that checkout's own functions, wrapped. On a
machine whose disk is slow to create files, put the content on tmpfs (``/dev/shm``): the
memory figures do not depend on it, the seconds do.

``--search-only`` leaves the pages and photos out (their steps do nothing): what remains is
reading, the small files and the search index, whose query costs ``benchmarks/search.py
--queries OUTPUT`` then measures, at a size whose full build takes hours.
``--keep-cache`` keeps the build cache of the last run, so a change to how the index is cut
and written (``export.SEGMENT_ONLY``) is measured without analyzing the archive again (at a
million reports that analysis takes most of an hour); the segments are rebuilt from the
kept records, the output written afresh.
``--edit N`` then edits one report (a paragraph added) and builds again, N times: the stages
of an incremental build, with the same steps left out.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("read_site", "render_pages", "analysis", "rebuild", "search")
CHILD = textwrap.dedent("""
    import json, sys, time
    args = json.loads(sys.argv[1])
    sys.path.insert(0, args["repo"])
    from pathlib import Path
    import generator
    from generator import publish
    from generator.search import export, records, segments
    from generator.settings import load
    marks = open(args["marks"], "w")

    def mark(name):
        marks.write(json.dumps([name, time.time()]) + "\\n")
        marks.flush()

    def wrap(owner, attr, name, stop=False):
        original = getattr(owner, attr)
        def run(*a, **k):
            mark(name + " start")
            try:
                return original(*a, **k)
            finally:
                mark(name + " end")
                if stop:
                    mark("build end")
                    raise SystemExit(0)
        setattr(owner, attr, run)

    stop = args["stop"]
    if args["search_only"]:
        from generator.images import publish as photos
        publish.Publisher.render_pages = lambda *a, **k: None
        photos.publish = lambda *a, **k: None
    wrap(generator, "read_site", "read_site", stop == "read_site")
    wrap(publish.Publisher, "render_pages", "render_pages", stop == "render_pages")
    wrap(export, "publish", "search")
    wrap(records.RecordStore, "ensure", "analysis")
    wrap(segments, "rebuild", "rebuild")
    root = Path(args["site"])
    settings = load(Path(args["repo"]) / "pelicanconf.py",
                    {"PATH": str(root / "content"), "OUTPUT_PATH": str(root / "output"),
                     "THEME": str(Path(args["repo"]) / "theme")})
    mark("build start")
    generator.build(settings)
    mark("build end")
""")


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            kids.setdefault(parent, []).append(int(entry))
    return kids


def _tree(pid: int) -> list[int]:
    kids, found, todo = _children(), [], [pid]
    while todo:
        found.append(todo.pop())
        todo += kids.get(found[-1], [])
    return found


def _rss_mib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            return next(int(line.split()[1]) // 1024 for line in status
                        if line.startswith("VmRSS"))
    except (OSError, StopIteration):
        return 0  # gone, or a zombie


def _build(args: argparse.Namespace, site: Path, title: str) -> None:
    """One build in a child process; print its stages."""
    with tempfile.TemporaryDirectory() as work:
        marks = Path(work) / "marks"
        child = subprocess.Popen([sys.executable, "-c", CHILD, json.dumps(
            {"repo": str(args.repo.resolve()), "site": str(site), "marks": str(marks),
             "stop": args.stop_after, "search_only": args.search_only})])
        samples = []  # (time, per-process MiB, the build process first)
        while child.poll() is None:
            pids = _tree(child.pid)
            samples.append((time.time(), [_rss_mib(pid) for pid in pids]))
            time.sleep(0.02)
        if child.returncode:
            sys.exit(f"the build failed ({child.returncode})")
        times: dict[str, float] = {}
        for line in marks.read_text().splitlines():  # a stage's first start, its last end
            name, when = json.loads(line)
            if name.endswith("start"):
                times.setdefault(name, when)
            else:
                times[name] = when
    start = times["build start"]
    print(f"{title}\n{'stage':14} {'from s':>7} {'to s':>7} {'tree MiB':>9} {'build MiB':>9}"
          "  per process at the tree's peak (build process first)")
    for stage in (*STAGES, "build"):
        if f"{stage} end" not in times:
            continue
        inside = [s for s in samples
                  if times[f"{stage} start"] <= s[0] <= times[f"{stage} end"]] or samples
        peak = max(inside, key=lambda s: sum(s[1]))
        print(f"{stage:14} {times[f'{stage} start'] - start:7.1f} "
              f"{times[f'{stage} end'] - start:7.1f} {sum(peak[1]):9d} "
              f"{max(s[1][0] for s in inside):9d}  {peak[1]}")


def _edit(content: Path) -> Path:
    """Add a paragraph to the report in the middle of the archive; written beside it and
    moved into place, so that a hard-linked copy of a shared archive leaves that alone."""
    reports = sorted(content.rglob("*.md"))
    target = reports[len(reports) // 2]
    moved = target.with_name(target.name + ".new")
    moved.write_text(target.read_text("utf-8") + f"\nNachtrag {time.time_ns()}.\n", "utf-8")
    os.replace(moved, target)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, required=True,
                        help="a folder holding content/ (output/ and .cache/ go beside it)")
    parser.add_argument("--repo", type=Path, default=ROOT, help="the checkout whose code builds")
    parser.add_argument("--stop-after", choices=STAGES[:2], help="end the build after this")
    parser.add_argument("--search-only", action="store_true",
                        help="leave the pages and photos out (their steps do nothing)")
    parser.add_argument("--keep-cache", action="store_true",
                        help="keep .cache/ from the last run: its search records, unless the "
                             "analyzing code changed since (the output is built afresh)")
    parser.add_argument("--edit", type=int, default=0, metavar="N",
                        help="then edit one report and build again, N times (the content "
                             "changes: use a copy, hard links are fine)")
    args = parser.parse_args()
    if args.edit and args.stop_after:
        parser.error("--edit needs the whole build (no --stop-after)")
    site = args.content.resolve()
    for name in ("output",) if args.keep_cache else ("output", ".cache"):
        shutil.rmtree(site / name, ignore_errors=True)
    _build(args, site, "cold build")
    for number in range(1, args.edit + 1):
        edited = _edit(site / "content")
        _build(args, site, f"edit {number}: {edited.relative_to(site)}")


if __name__ == "__main__":
    main()
