"""Build benchmark: Meldungen against plain Pelican on the same generated archives.

Prints, per archive size: cold full build, warm rebuild with nothing changed, rebuild after
editing one article's body, after adding one (also onto the search index's fullest tail),
after deleting one, after a fresh git clone (as in CI), and for a report's life: an embargo
falling due, a correction and a withdrawal (seconds, median of --runs), output files written
(new or other bytes) and removed by each step, the bytes written, peak RSS of the largest
process and of the whole process tree; then plain Pelican (its content cache on, same
pagination and period archives) on the same corpus with ratios ours/Pelican, and how our
figures grow from one size to the next. ``--against REV`` also measures the same steps with
Meldungen as of a git revision (its tracked files, exported), each step right after ours on
the same content, so a change's effect is a ratio within one run.
A benchmark prints figures; it asserts nothing.

    .venv/bin/python benchmarks/build.py --sizes 1000 10000 100000 --pelican-max 10000
    .venv/bin/python benchmarks/build.py --sizes 10000 100000 --pelican-max 0 --against HEAD~3

Every build runs in a fresh process, as `meldungen build` or `pelican` would.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from generator.settings import load  # noqa: E402
from generator.synth import Synthesizer  # noqa: E402

PEAK = textwrap.dedent("""
    import resource

    def own_peak_kib():
        # This process's own peak (VmHWM). Linux carries ru_maxrss across fork and exec, so
        # it would report this benchmark's own size for a build smaller than it.
        try:
            with open("/proc/self/status") as status:
                return next(int(line.split()[1]) for line in status
                            if line.startswith("VmHWM"))
        except (OSError, StopIteration):
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
""")

OURS = PEAK + textwrap.dedent("""
    import json, resource, sys, time
    from generator import build
    from generator.settings import Settings, load
    args = json.loads(sys.argv[1])
    # Keys an older revision (--against) does not know are left out for it.
    extra = {k: v for k, v in json.loads(args["extra"]).items() if k in Settings.known_keys()}
    settings = load(args["conf"], {"PATH": args["content"], "OUTPUT_PATH": args["output"],
                                   **extra})
    started = time.perf_counter()
    report = build(settings)
    seconds = time.perf_counter() - started
    rss = max(own_peak_kib(), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    print(json.dumps({"seconds": seconds, "rss_kib": rss, "full": report.full,
                      "written": report.written, "removed": report.removed,
                      "bytes": getattr(report, "bytes_written", None)}))
""")

PELICAN = PEAK + textwrap.dedent("""
    import json, logging, resource, sys, time
    import markdown  # noqa: F401 (without it Pelican skips every .md file: an empty baseline)
    from pelican import Pelican
    from pelican.settings import read_settings
    args = json.loads(sys.argv[1])
    logging.disable(logging.WARNING)
    settings = read_settings(args["conf"], override={"PATH": args["content"],
                                                     "OUTPUT_PATH": args["output"],
                                                     "CACHE_PATH": args["cache"]})
    started = time.perf_counter()
    Pelican(settings).run()
    seconds = time.perf_counter() - started
    rss = own_peak_kib()
    print(json.dumps({"seconds": seconds, "rss_kib": rss, "full": True}))
""")

# Plain Pelican 4.12 with its default theme, given what a news archive needs: the same page
# size, date-based URLs, year/month/day archives, and its content cache switched on.
PELICAN_CONF = textwrap.dedent("""
    SITENAME = "Meldungen (Pelican-Vergleich)"
    TIMEZONE = "Europe/Berlin"
    DEFAULT_LANG = "de"
    DEFAULT_PAGINATION = 20
    ARTICLE_URL = ARTICLE_SAVE_AS = "{date:%Y}/{date:%m}/{date:%d}/{slug}/index.html"
    YEAR_ARCHIVE_SAVE_AS = "{date:%Y}/index.html"
    MONTH_ARCHIVE_SAVE_AS = "{date:%Y}/{date:%m}/index.html"
    DAY_ARCHIVE_SAVE_AS = "{date:%Y}/{date:%m}/{date:%d}/index.html"
    CACHE_CONTENT = True
    LOAD_CONTENT_CACHE = True
    CHECK_MODIFIED_METHOD = "md5"
    FEED_ALL_ATOM = "feeds/all.atom.xml"
    CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
    SLUGIFY_SOURCE = "title"
""")


def tree_hashes(folder: Path) -> dict[str, str]:
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): hashlib.blake2b(p.read_bytes(), digest_size=16)
            .hexdigest() for p in folder.rglob("*") if p.is_file()}


def changed(before: dict[str, str], after: dict[str, str]) -> tuple[int, int]:
    """(files written: new, or other bytes; files removed). A content-named index file that
    changes is one of each: its new name is written, its old one removed."""
    written = sum(1 for path, digest in after.items() if before.get(path) != digest)
    return written, len(before.keys() - after.keys())


def run(code: str, cwd: Path = ROOT, **args: str) -> dict:
    """One build in a fresh process; its figures, with the peak of the RSS summed over the
    whole process tree (workers included: forked pages they share count once per process,
    so this overstates), sampled every 20 ms."""
    process = subprocess.Popen([sys.executable, "-c", code, json.dumps(args)], cwd=cwd,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]
    sampler = threading.Thread(target=_sample_tree, args=(process, peak), daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"build failed:\n{stdout}\n{stderr}")
    figures = json.loads(stdout.strip().splitlines()[-1])
    figures["tree_kib"] = max(peak[0], figures["rss_kib"])
    return figures


def _sample_tree(process: subprocess.Popen, peak: list[int]) -> None:
    while process.poll() is None:
        peak[0] = max(peak[0], sum(map(_rss_kib, _tree(process.pid))))
        time.sleep(0.02)


def _tree(pid: int) -> list[int]:
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    pending.extend(map(int, handle.read().split()))
        except OSError:
            continue  # ended meanwhile
    return found


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def to_pelican(source: Path, target: Path) -> None:
    """Our YAML front matter → Pelican's Markdown metadata lines (not timed)."""
    for path in sorted(source.rglob("*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.safe_load(front)
        # Re-sends repeat a headline on the same day; Pelican refuses two pages at one path,
        # so its copy takes the file name (unique per month, and the URL has the day) as slug.
        lines = [f"Title: {meta['title']}", f"Date: {meta['date']}",
                 f"Category: {meta['category']}", f"Slug: {path.stem}"]
        if meta.get("tags"):
            lines.append("Tags: " + ", ".join(map(str, meta["tags"])))
        out = target / path.relative_to(source)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("\n".join(lines) + "\n\n" + body, encoding="utf-8")


class Tool:
    """One generator under test: how to build, where its content and output live."""

    def __init__(self, name: str, code: str, content: Path, work: Path, conf: Path,
                 cwd: Path = ROOT):
        self.name, self.code, self.content, self.work, self.conf = name, code, content, work, conf
        self.cwd = cwd
        """Where the build runs: ``python -c`` imports the generator found there."""
        self.output = work / "output"

    def build(self, now: str = "") -> tuple[dict, tuple[int, int]]:
        """Figures and (files written, removed). Meldungen counts its own (a look at every
        output file would read 26 GB per step at a million reports); Pelican's are found by
        hashing its output before and after."""
        ours = self.code is OURS
        before = {} if ours else tree_hashes(self.output)
        # The steps delete published reports on purpose, which the URL guard would refuse.
        extra = {"URL_GUARD": False, **({"BUILD_NOW": now} if now else {})}
        figures = run(self.code, self.cwd, conf=str(self.conf), content=str(self.content),
                      output=str(self.output), cache=str(self.work / "pelican-cache"),
                      extra=json.dumps(extra))
        if ours:
            return figures, (figures["written"], figures["removed"])
        return figures, changed(before, tree_hashes(self.output))

    def clean(self) -> None:
        for name in ("output", ".cache", "pelican-cache"):
            shutil.rmtree(self.work / name, ignore_errors=True)


def new_article(content: Path, pelican: bool, n: int) -> Path:
    """A full-length report like the archive's (some 500 words), not a one-liner: each of its
    words is a posting in the search index's newest segment, so a short text would hide what
    an addition costs there."""
    synth = Synthesizer(1000 + n)
    body = "\n\n".join(["Berlin (dts Nachrichtenagentur) - " + synth.paragraph(40),
                         *(synth.paragraph(90) for _ in range(5))])
    path = content / "2099" / "01" / f"benchmark-neu-{n}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    if pelican:
        text = (f"Title: Benchmark neu {n}\nDate: 2025-12-31 23:59:{n:02d}+01:00\n"
                f"Category: Ausland\nTags: USA, Russland\n\n{body}\n")
    else:
        text = (f'---\ntitle: "Benchmark neu {n}"\ndate: 2025-12-31T23:59:{n:02d}+01:00\n'
                f"category: Ausland\ntags: [USA, Russland]\n---\n{body}\n")
    path.write_text(text, encoding="utf-8")
    return path


EMBARGO = "2026-01-01T06:00:00+01:00"
"""After the generated archive's newest report (it spans ten years from 2016)."""


def embargoed_article(content: Path, n: int) -> Path:
    """A full-length report dated EMBARGO: under embargo until a build's clock reaches it."""
    path = new_article(content, False, 50 + n)
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"date: \S+", f"date: {EMBARGO}", text, count=1), encoding="utf-8")
    return path


def with_front(text: str, lines: str) -> str:
    return text.replace("---\n", "---\n" + lines, 1)


def touch(paths: list[Path]) -> None:
    """New mtimes, same bytes: the content as a fresh clone has it (for each tool anew)."""
    now = time.time_ns()
    for path in paths:
        os.utime(path, ns=(now, now))


def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), "-c", "user.name=Benchmark",
                    "-c", "user.email=benchmark@example.org", *args], check=True,
                   capture_output=True)


def commit_all(content: Path) -> None:
    """The generated archive as a git repository, as a newsroom keeps it (not timed)."""
    if not (content / ".git").is_dir():
        git(content, "init", "-q")
        git(content, "add", "-A")
        git(content, "commit", "-q", "-m", "Archiv")


def reclone(content: Path, paths: list[Path]) -> None:
    """A CI run's fresh clone at the same place: every file new (new mtimes), the same
    bytes, and git's index fresh. Outside git, the new mtimes alone."""
    if not (content / ".git").is_dir():
        touch(paths)
        return
    fresh = content.with_name(content.name + ".clone")
    shutil.rmtree(fresh, ignore_errors=True)
    git(content.parent, "clone", "-q", content.name, fresh.name)
    shutil.rmtree(content)
    fresh.rename(content)


def measure(tools: list[Tool], runs: int, pelican: bool, tail: int) -> list[dict[str, dict]]:
    """Cold, warm, edit, add, delete: median seconds, files written and removed, peak RSS.
    Ours also "add+": an addition onto the fullest search tail, the one that rewrites most
    without a merge (the others prepared in a build not measured, and removed after); and
    "clone": a fresh ``git clone`` of the content at the same place, as in a CI run (every
    file's mtime new, git's index fresh).

    Tools that share a content folder take each step in turn, so that a machine whose speed
    drifts during a run slows them alike; one summary per tool."""
    names = ("cold", "warm", "edit", "add", "delete") + (
        () if pelican else ("add+", "clone", "embargo", "correct", "withdraw"))
    steps: list[dict[str, list]] = [{s: [] for s in names} for _ in tools]
    content = tools[0].content
    sources = sorted(content.rglob("*.md"))
    victim = sources[len(sources) // 2]
    original = victim.read_text(encoding="utf-8")

    def step(name: str | None, prepare: Callable[[], None] | None = None,
             now: str = "") -> None:
        for tool, figures in zip(tools, steps, strict=True):
            if prepare:
                prepare()
            # What the last build (or clean) left the kernel to write out is written now, so
            # that the tool that goes first does not pay for it alone.
            os.sync()
            result = tool.build(now)
            # Progress as it happens: a million-article step takes many minutes.
            print(f"{time.strftime('%H:%M:%S')} {content.parent.name} {tool.name} "
                  f"{name or '(between steps)'}: {result[0]['seconds']:.1f} s, written "
                  f"{result[1][0]}, removed {result[1][1]}, tree "
                  f"{result[0]['tree_kib'] / 1024:.0f} MiB", file=sys.stderr, flush=True)
            if name:
                figures[name].append(result)

    for attempt in range(runs):
        for tool in tools:
            tool.clean()
        step("cold")
        step("warm")
        # A body edit (the last paragraph), as a correction usually is: the teaser stays.
        victim.write_text(original.rstrip("\n") + f" Aktualisiert ({attempt}).\n",
                          encoding="utf-8")
        step("edit")
        added = new_article(content, pelican, attempt)
        step("add")
        added.unlink()
        step("delete")
        victim.write_text(original, encoding="utf-8")
        if not pelican:
            fill = [new_article(content, False, 10 + 10 * attempt + i)
                    for i in range((tail - 2 - len(sources) % tail) % tail)]
            step(None)
            fill.append(new_article(content, False, 9 + 10 * attempt))
            step("add+")
            for path in fill:
                path.unlink()
            step(None)
            step("clone", prepare=lambda: reclone(content, sources))
            # A report's life: an embargo falls due (the report waited in the content, built
            # an hour before its time), a correction and a withdrawal of an older report.
            waiting = embargoed_article(content, attempt)
            step(None, now=EMBARGO.replace("T06:", "T05:"))
            step("embargo", now=EMBARGO)
            waiting.unlink()
            step(None)
            corrected = with_front(original, "corrections:\n  - {date: 2025-12-30T10:12:00+01:00,"
                                   f' text: "Korrektur {attempt}."}}\n')
            victim.write_text(corrected, encoding="utf-8")
            step("correct")
            victim.write_text(with_front(corrected, "status: withdrawn\n"), encoding="utf-8")
            step("withdraw")
            victim.write_text(original, encoding="utf-8")
            step(None)
    summaries = []
    for tool, figures in zip(tools, steps, strict=True):
        summary = {}
        for name, results in figures.items():
            summary[name] = {
                "seconds": statistics.median(r[0]["seconds"] for r in results),
                "written": statistics.median(r[1][0] for r in results),
                "removed": statistics.median(r[1][1] for r in results),
                "rss_mib": max(r[0]["rss_kib"] for r in results) / 1024,
                "tree_mib": max(r[0]["tree_kib"] for r in results) / 1024,
                "mb": (statistics.median(r[0]["bytes"] for r in results) / 1e6
                       if all(r[0].get("bytes") is not None for r in results) else None),
                "full": [r[0]["full"] for r in results],
            }
        tool.clean()
        summaries.append(summary)
    return summaries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--runs", type=int, default=3, help="runs per size up to 10,000")
    parser.add_argument("--big-runs", type=int, default=1, help="runs per size above 10,000")
    parser.add_argument("--pelican-max", type=int, default=10000,
                        help="largest size Pelican is run on (it is quadratic beyond)")
    parser.add_argument("--pelican-runs", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/meldungen-bench"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--from-year", type=int, metavar="YEAR",
                        help="archives from this year to 2025 (synth --from; 1947 for the "
                             "agency's whole archive), denser in recent years")
    parser.add_argument("--against", metavar="REV",
                        help="also measure Meldungen as of this git revision")
    args = parser.parse_args()

    results: dict[int, dict[str, dict]] = {}
    tail = load(ROOT / "pelicanconf.py").SEARCH_TAIL_DOCS
    earlier = export_revision(args.against, args.work) if args.against else None
    for size in args.sizes:
        base = args.work / (f"{size}-from{args.from_year}" if args.from_year else str(size))
        content = base / "content"
        if not (base / "complete").exists():
            shutil.rmtree(base, ignore_errors=True)
            meldungen = Path(sys.executable).with_name("meldungen")
            # To 2025: the steps' added and embargoed reports are dated at its end.
            span = ["--from", str(args.from_year), "--to", "2025"] if args.from_year else []
            subprocess.run([str(meldungen), "synth", "--n", str(size), *span,
                            "--seed", str(args.seed), "--out", str(content)], check=True,
                           cwd=ROOT)
            commit_all(content)
            (base / "complete").write_text("ok")
        if not (base / "pelican-content").is_dir() and size <= args.pelican_max:
            to_pelican(content, base / "pelican-content")
        # A tool's name labels its columns ("ours", the revision's short hash, "Pelican").
        tools = [Tool("ours", OURS, content, base / "ours", ROOT / "pelicanconf.py")]
        if earlier is not None:
            label, tree = earlier
            # add+ is prepared for our tail size: the same steps, whatever that revision's is.
            tools.append(Tool(label, OURS, content, base / "earlier", tree / "pelicanconf.py",
                              tree))
        runs = args.runs if size <= 10000 else args.big_runs
        summaries = measure(tools, runs, pelican=False, tail=tail)
        results[size] = {tool.name: summary for tool, summary in zip(tools, summaries,
                                                                      strict=True)}
        if size <= args.pelican_max:
            conf = base / "pelicanconf-baseline.py"
            conf.write_text(PELICAN_CONF, encoding="utf-8")
            baseline = Tool("Pelican", PELICAN, base / "pelican-content", base / "pelican", conf)
            results[size][baseline.name] = measure([baseline], args.pelican_runs, pelican=True,
                                                   tail=tail)[0]
        report(size, results[size], tail)
    growth(results, ["ours", *([earlier[0]] if earlier else [])])


def export_revision(rev: str, work: Path) -> tuple[str, Path]:
    """The tracked files of a git revision, unpacked under work: (its short hash, folder)."""
    short = subprocess.run(["git", "rev-parse", "--short", rev], cwd=ROOT, check=True,
                           capture_output=True, text=True).stdout.strip()
    tree = work / f"rev-{short}"
    if not (tree / "generator").is_dir():
        shutil.rmtree(tree, ignore_errors=True)
        tree.mkdir(parents=True)
        archive = subprocess.run(["git", "archive", "--format=tar", short], cwd=ROOT,
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return short, tree


def report(size: int, result: dict[str, dict], tail: int) -> None:
    ours = result["ours"]
    others = [(name, figures) for name, figures in result.items() if name != "ours"]
    print(f"\n== {size:,} articles == (the search index's tail segment, which an addition "
          f"rewrites, holds {size % tail} of {tail} articles before the add, "
          f"{tail - 2} before add+; MB written: of the files written; RSS: the largest "
          "process; tree: all of the build's processes together)")
    head = (f"{'step':8} {'ours s':>8} {'written':>8} {'removed':>8} {'MB wr.':>8} "
            f"{'RSS MiB':>8} {'tree MiB':>8}")
    for name, _ in others:
        head += (f" {name + ' s':>10} {'written':>8} {'removed':>8} {'RSS MiB':>8}"
                 f" {'tree MiB':>8} {'ours/' + name:>13}")
    print(head)
    for step, figures in ours.items():
        mb = "-" if figures["mb"] is None else f"{figures['mb']:.3f}"
        line = (f"{step:8} {figures['seconds']:8.2f} {figures['written']:8.0f} "
                f"{figures['removed']:8.0f} {mb:>8} {figures['rss_mib']:8.0f} "
                f"{figures['tree_mib']:8.0f}")
        fell_back = step != "cold" and any(figures["full"])
        for name, theirs in others:
            if step not in theirs:
                continue
            other = theirs[step]
            # Pelican always builds in full; a Meldungen revision should not.
            fell_back |= name != "Pelican" and step != "cold" and any(other["full"])
            line += (f" {other['seconds']:10.2f} {other['written']:8.0f} "
                     f"{other['removed']:8.0f} {other['rss_mib']:8.0f} {other['tree_mib']:8.0f}"
                     f" {figures['seconds'] / other['seconds']:13.3f}")
        if fell_back:
            line += "  (a build fell back to a full one!)"
        print(line)
    sys.stdout.flush()


def growth(results: dict[int, dict[str, dict]], tools: list[str]) -> None:
    sizes = sorted(results)
    for tool in tools:
        name = "ours" if tool == "ours" else f"Meldungen as of {tool}"
        for small, large in pairwise(sizes):
            print(f"\n== growth {small:,} → {large:,} articles ({name}, x times) ==")
            for step in results[small][tool]:
                a, b = results[small][tool][step], results[large][tool][step]
                grown = (f"{step:8} time x{b['seconds'] / a['seconds']:.2f}  "
                         f"RSS x{b['rss_mib'] / a['rss_mib']:.2f}  "
                         f"tree x{b['tree_mib'] / a['tree_mib']:.2f}")
                if a["mb"] and b["mb"] is not None:
                    grown += f"  bytes written x{b['mb'] / a['mb']:.2f}"
                print(grown)


if __name__ == "__main__":
    main()
