"""Search benchmark, ours against Pagefind on the same built site: prints figures, asserts nothing.

    .venv/bin/python benchmarks/search.py [--sizes 10000,100000] [--work /tmp/search-bench]
        [--pagefind-cap-gib 8] [--no-compound-cost] [--runs 3]
    .venv/bin/python benchmarks/search.py --queries OUTPUT [--against REV] [--passes 5]

Per size: a generated archive (``meldungen synth --seed 1``), cold full builds in fresh
processes (``--runs``, the median taken: their time, the search export's time inside them,
and the peak memory of the whole process tree, forked workers included, sampled from /proc),
then Pagefind (PyPI ``pagefind-bin``) over the very same output folder (``pagefind --site``;
our article template marks the article with ``data-pagefind-body``, so it sees what our index
sees), its time and peak memory, under an address-space cap from the largest size up (at
100,000 articles it needed more than 18 GB here before). For a fixed query list, each run
cold under Node as a first visit would be (fresh module, nothing cached, the first ten
results' metadata loaded; each query loads the engine's modules afresh):
bytes (raw and gzip) and requests per query with the entry JS counted, median and p95 time
and the median CPU time of the query (robust to a loaded machine),
and rounds (requests that could start only after an earlier one answered; each request
delayed 25 ms in a second pass, the page's own scripts and the manifest it preloads beside
them not counted); for misspelled queries
what they cost beyond the word as meant.
Then what compound matching costs (the export again without compound parts) and how many
index files an added full-length article changes: onto the fullest tail segment, and when
it merges the tail into recent, recent into mid or mid into main. Where the two newest
segments are fullest, the query figures again, against the three segments of before (a tail
of up to 31 articles, as when ``SEARCH_TAIL_DOCS`` equals ``SEARCH_RECENT_DOCS``) exported
from the same articles.

With ``--queries``, only the query figures, on an output folder built before (a large one
takes long to build), in several passes, beside the engine of another git revision.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TYPOS = [("Bundesliag", "Bundesliga"), ("Ukriane", "Ukraine"), ("Migartion", "Migration"),
         ("Klimaschuts", "Klimaschutz"), ("Frankriech", "Frankreich"),
         ("Gesundheti", "Gesundheit")]
"""Misspelled (a letter swapped, changed or dropped) and as meant: what a typo costs."""
QUERIES = ["Raketen", "Verteidigung", "Börse", "Boerse", "Außenministerin", "Regierung",
           "Raketen Verteidigung", "Bundesliga", "Rak", "Wetterd", "Strasse", "Ölpreis",
           '"Künstliche Intelligenz"', "Bundesliga -Fußball",
           *(t for pair in TYPOS for t in pair)]
OUR_JS = ("search.js", "search-format.js", "search-stemmer.js", "search-query.js",
          "search-rank.js")
ROUNDS = """
// Rounds: each request waits 25 ms; a request's round is one more than the highest round
// of the requests that had answered when it started (those it may have waited for). The
// entry file is round 0: our search page preloads its manifest beside its scripts, and
// Pagefind's page could do the same with pagefind-entry.json.
const answered = [];
export function delayed(read) {
  return async (p) => {
    const start = performance.now();
    const round = /(^|[/])(manifest|pagefind-entry)[.]json$/.test(p) ? 0
      : 1 + Math.max(0, ...answered.filter((r) => r.end <= start).map((r) => r.round));
    await new Promise((resolve) => setTimeout(resolve, 25));
    const data = await read(p);
    answered.push({ round, end: performance.now() });
    return data;
  };
}
export function rounds() {
  const most = Math.max(0, ...answered.map((r) => r.round));
  answered.length = 0;
  return most;
}
"""
BUILD = """
import json, sys, time
from generator import build
from generator.search import export
from generator.settings import load
args = json.loads(sys.argv[1])
settings = load(args["conf"], {"PATH": args["content"], "OUTPUT_PATH": args["output"],
                               "BUILD_CACHE": args["cache"], "BUILD_NOW": args["now"]})
spent = []
publish = export.publish
def timed(*a, **k):
    started = time.perf_counter()
    publish(*a, **k)
    spent.append(time.perf_counter() - started)
export.publish = timed
report = build(settings)
print(json.dumps({"seconds": report.seconds, "export": sum(spent), "written": report.written}))
"""
OURS_NODE = """
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { delayed, rounds } from "./rounds.mjs";
const [root, module, ...queries] = process.argv.slice(2);
const out = [];
// Every query loads the engine's modules afresh, as a first visit would (Node keeps a
// module per URL: a copy of the folder is a new one), cold to the JIT as in a browser.
const folder = path.dirname(fileURLToPath(module)), copies = [];
const fresh = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "engine-"));
  for (const f of readdirSync(folder)) if (f.endsWith(".js")) {
    copyFileSync(path.join(folder, f), path.join(dir, f));
  }
  copies.push(dir);
  return pathToFileURL(path.join(dir, path.basename(module))).href;
};
process.on("exit", () => copies.forEach((dir) => rmSync(dir, { recursive: true })));
for (const q of queries) {
  const fetched = [];  // gzipped after the clock stops: the accounting is not the engine
  const url = fresh();
  const started = performance.now(), cpu = process.cpuUsage();
  const { init } = await import(url);
  const e = await init(async (p) => {
    const b = new Uint8Array(await readFile(path.join(root, p)));
    fetched.push(b);
    return b;
  });
  const page = await e.search(q, { limit: 10 });
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu), cpuMs = (used.user + used.system) / 1000;
  const gz = fetched.reduce((sum, b) => sum + gzipSync(b).length, 0);
  const again = await (await import(fresh()))
    .init(delayed(async (p) => new Uint8Array(await readFile(path.join(root, p)))));
  await again.search(q, { limit: 10 });
  out.push({ q, total: page.total, ms, cpuMs, requests: e.requests, bytes: e.bytes, gzip: gz,
    rounds: rounds(), suggestion: page.suggestion });
}
console.log(JSON.stringify(out));
"""
PAGEFIND_NODE = """
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { delayed, rounds } from "./rounds.mjs";
const [site, ...queries] = process.argv.slice(2);
let requests = 0, bytes = 0, fetched = [], slow = false;
// Pagefind fetches its files relative to basePath; serve them from disk and count them
// (gzipped after the clock stops, as ours).
const read = async (p) => new Uint8Array(await readFile(path.join(site, p)));
const late = delayed(read);
globalThis.fetch = async (input) => {
  const url = new URL(String(input), "http://localhost/");
  const file = decodeURIComponent(url.pathname);
  const data = slow ? await late(file) : await read(file);
  requests += 1; bytes += data.length; fetched.push(data);
  const wasm = url.pathname.includes("wasm.");
  return new Response(data, { headers: { "content-type": wasm ? "application/wasm" : "" } });
};
const out = [];
let run = 0;
for (const q of queries) {
  requests = bytes = 0;
  fetched = [];
  const started = performance.now(), cpu = process.cpuUsage();
  const pf = await import(pathToFileURL(path.join(site, "pagefind/pagefind.js")).href
                         + "?run=" + run++);
  await pf.options({ basePath: "/pagefind/" });
  const found = await pf.search(q);
  await Promise.all(found.results.slice(0, 10).map((r) => r.data()));
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu), cpuMs = (used.user + used.system) / 1000;
  const gz = fetched.reduce((sum, b) => sum + gzipSync(b).length, 0);
  const counted = { requests, bytes };
  slow = true;
  const pf2 = await import(pathToFileURL(path.join(site, "pagefind/pagefind.js")).href
                         + "?run=" + run++);
  await pf2.options({ basePath: "/pagefind/" });
  const found2 = await pf2.search(q);
  await Promise.all(found2.results.slice(0, 10).map((r) => r.data()));
  slow = false;
  out.push({ q, total: found.results.length, ms, cpuMs, ...counted, gzip: gz, rounds: rounds() });
}
console.log(JSON.stringify(out));
"""


class TreePeak:
    """Peak summed PSS of a process and all its descendants, sampled from /proc."""

    def __init__(self, pid: int):
        self.pid, self.peak, self.single = pid, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        # Twice a second: reading smaps_rollup walks a process's page tables (some 5 ms per
        # GiB), and at 100,000 articles twenty samples a second of the build's three
        # processes took a visible share of the two cores away from the build measured.
        while not self._stop.wait(0.5):
            sizes = [_pss(p) for p in _descendants(self.pid)]
            self.peak = max(self.peak, sum(sizes))
            self.single = max(self.single, *sizes, 0)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak / 1024  # MiB


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo += children.get(p, [])
    return found


def _pss(pid: int) -> int:
    """Proportional set size, KiB: pages shared with forked workers count once in the sum."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def measured(command: list[str], cap: int | None = None) -> tuple[subprocess.CompletedProcess,
                                                                  float, float]:
    """(result, seconds, peak MiB of the process tree); ``cap``: address-space limit, bytes."""
    def limit() -> None:
        if cap:
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, preexec_fn=limit)
    peak = TreePeak(process.pid)
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    return (subprocess.CompletedProcess(command, process.returncode, stdout, stderr), seconds,
            peak.stop())


def tree(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def js_bytes(paths: list[Path]) -> tuple[int, int, int]:
    """(raw, gzip, requests) of the entry JS a page loads before the first search."""
    data = [p.read_bytes() for p in paths]
    return sum(map(len, data)), sum(len(gzip.compress(d)) for d in data), len(data)


def node(script: str, work: Path, *args: str) -> list[dict]:
    path = work / f"bench-{abs(hash(script))}.mjs"
    path.write_text(script, "utf-8")
    (work / "rounds.mjs").write_text(ROUNDS, "utf-8")
    result = subprocess.run(["node", str(path), *args], capture_output=True, text=True,
                            check=True)
    return json.loads(result.stdout)


def summary(rows: list[dict], js: tuple[int, int, int]) -> dict:
    times = sorted(r["ms"] for r in rows)
    return {"KB/query raw (median)": (statistics.median(r["bytes"] for r in rows) + js[0]) / 1024,
            "KB/query raw (max)": (max(r["bytes"] for r in rows) + js[0]) / 1024,
            "KB/query gzip (median)": (statistics.median(r["gzip"] for r in rows) + js[1]) / 1024,
            "requests/query (median)": statistics.median(r["requests"] for r in rows) + js[2],
            "rounds/query (median)": statistics.median(r["rounds"] for r in rows),
            "rounds/query (max)": max(r["rounds"] for r in rows),
            "cold query ms (median)": statistics.median(times),
            "cold query ms (p95)": times[max(0, -(-len(times) * 95 // 100) - 1)],
            # CPU time of the query's process, all its threads (the garbage collector's too):
            # what a shared machine's load changes least
            "query CPU ms, all threads (median)": statistics.median(r["cpuMs"] for r in rows)}


def run(size: int, work: Path, cap_gib: float, compound_cost: bool, runs: int) -> None:
    root = work / f"n{size}"
    content, output, cache = root / "content", root / "output", root / "cache"
    if not (root / "complete").exists():
        shutil.rmtree(root, ignore_errors=True)
        subprocess.run([str(Path(sys.executable).with_name("meldungen")), "synth", "--n",
                        str(size), "--seed", "1", "--out", str(content)], check=True, cwd=ROOT)
        (root / "complete").write_text("ok")
    # The build's clock after the articles added in 2099 (else they are under embargo)
    args = json.dumps({"conf": str(ROOT / "pelicanconf.py"), "content": str(content),
                       "output": str(output), "cache": str(cache),
                       "now": "2100-01-01T00:00:00+01:00"})
    builds = []
    for _ in range(runs):  # cold each time; the machines are noisy, so the median counts
        shutil.rmtree(output, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        result, _, peak = measured([sys.executable, "-c", BUILD, args])
        if result.returncode:
            raise SystemExit(f"build failed:\n{result.stderr}")
        builds.append(json.loads(result.stdout.strip().splitlines()[-1]) | {"peak": peak})
        print(f"  cold full build {builds[-1]['seconds']:.1f} s, of which the search export "
              f"{builds[-1]['export']:.1f} s; peak memory of the build's process tree "
              f"{peak:.0f} MiB", flush=True)
    export_s = statistics.median(b["export"] for b in builds)
    our_peak = max(b["peak"] for b in builds)
    ours = {"index build s": export_s, "peak MiB (process tree, PSS)": our_peak}
    ours["index MB"], ours["index files"] = (x / d for x, d in
                                             zip(tree(output / "search"), (1e6, 1), strict=True))
    if runs > 1:
        print(f"  median of {runs}: build {statistics.median(b['seconds'] for b in builds):.1f}"
              f" s, export {export_s:.1f} s; highest peak {our_peak:.0f} MiB")

    import pagefind_bin  # the bench extra: Pagefind's binary, shipped inside the wheel
    pagefind = str(pagefind_bin.get_executable())
    cap = int(cap_gib * 2**30) if cap_gib else None
    pf, pf_seconds, pf_peak = measured([pagefind, "--site", str(output)], cap)
    indexed = next((ln.strip() for ln in pf.stdout.splitlines() if "pages" in ln and
                    "Indexed" in ln), "no page count")
    print(f"  Pagefind: exit {pf.returncode} in {pf_seconds:.1f} s, peak {pf_peak:.0f} MiB"
          f"{f' (address space capped at {cap_gib:g} GiB)' if cap else ''}; {indexed}")
    if pf.returncode:
        print("  Pagefind failed: " + " | ".join(pf.stderr.strip().splitlines()[-3:]))
        print("  its last words: " + " | ".join(pf.stdout.strip().splitlines()[-4:]))
    theirs = {"index build s": pf_seconds, "peak MiB (process tree, PSS)": pf_peak}
    if (output / "pagefind").is_dir():
        theirs["index MB"], theirs["index files"] = (
            x / d for x, d in zip(tree(output / "pagefind"), (1e6, 1), strict=True))

    module = (ROOT / "theme/static/js/search.js").as_uri()
    rows = node(OURS_NODE, work, str(output / "search"), module, *QUERIES)
    ours |= summary(rows, js_bytes([ROOT / "theme/static/js" / f for f in OUR_JS]))
    by = {r["q"]: r for r in rows}
    print("  typos (ours): " + "; ".join(
        f"{typo} → {by[typo]['suggestion']}: {by[typo]['total']} hits (as meant "
        f"{by[meant]['total']}), {(by[typo]['gzip'] - by[meant]['gzip']) / 1024:+.1f} KB gzip, "
        f"{by[typo]['rounds']} rounds" for typo, meant in TYPOS))
    if pf.returncode == 0:
        rows = node(PAGEFIND_NODE, work, str(output), *QUERIES)
        theirs |= summary(rows, js_bytes([output / "pagefind/pagefind.js"]))
        print("  Pagefind hits per query: " + ", ".join(f"{r['q']} {r['total']}" for r in rows))
    print(f"  {'':26}{'ours':>12}{'Pagefind':>12}{'ours/Pagefind':>15}")
    for key, value in ours.items():
        other = theirs.get(key)
        print(f"  {key:26}{value:12.1f}" + (f"{other:12.1f}{value / other:15.2f}"
                                              if other else f"{'–':>12}{'–':>15}"))
    if compound_cost:
        compounds(root, output)
    added(root, args, output, size)


def compounds(root: Path, output: Path) -> None:
    """The same export without compound-part terms: what compound matching costs."""
    from generator.content import read_site
    from generator.search import export
    from generator.settings import load
    settings = load(ROOT / "pelicanconf.py", {"PATH": str(root / "content"),
                                              "OUTPUT_PATH": str(output),
                                              "BUILD_CACHE": str(root / "cache")})
    site = read_site(settings)
    plain = sum(len(d) for n, d in export.files(site, settings, workers=2, compounds=False)
                if n.startswith("search/s/"))
    full = sum(p.stat().st_size for p in (output / "search" / "s").iterdir())
    print(f"  compound parts: term shards {full / 1e6:.1f} MB with, {plain / 1e6:.1f} MB "
          f"without (+{(full - plain) / plain:.0%})")


def added(root: Path, args: str, output: Path, size: int) -> None:
    """Added newest articles, full-length: which index files change (bytes compared) and the
    incremental build's time, for the additions that rewrite most: onto the fullest tail,
    and those that merge the tail into recent, recent into mid and mid into main."""
    # Pagefind wrote its index into our output folder; our build would first remove those
    # ten thousand strays, which is not what adding an article costs.
    shutil.rmtree(output / "pagefind", ignore_errors=True)
    from generator.settings import load
    from generator.synth import Synthesizer
    settings = load(ROOT / "pelicanconf.py")
    tail, recent = settings.SEARCH_TAIL_DOCS, settings.SEARCH_RECENT_DOCS
    mid = settings.SEARCH_MID_DOCS
    folder = root / "content" / "2099"
    count = size
    synth = Synthesizer(size)

    def write(n: int) -> None:
        nonlocal count
        for _ in range(n):
            _, text = synth.article(datetime(2099, 1, 1, tzinfo=UTC) + timedelta(minutes=count),
                                    None)
            path = folder / f"neu-{count}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, "utf-8")
            count += 1

    def build() -> dict:
        result, _, peak = measured([sys.executable, "-c", BUILD, args])
        if result.returncode:
            raise SystemExit(f"build failed:\n{result.stderr}")
        return json.loads(result.stdout.strip().splitlines()[-1]) | {"peak": peak}

    def step(label: str) -> None:
        before = {p: p.read_bytes() for p in (output / "search").rglob("*") if p.is_file()}
        held = f"recent held {count % recent - count % tail}, tail {count % tail} of {tail}"
        write(1)
        built = build()
        after = {p: p.read_bytes() for p in (output / "search").rglob("*") if p.is_file()}
        changed = sum(1 for p in after if before.get(p) != after[p])
        print(f"  adding one article, {label} ({held}): {changed} index files new or changed, "
              f"{len(before.keys() - after.keys())} dropped; incremental build "
              f"{built['seconds']:.1f} s (search export {built['export']:.2f} s), "
              f"peak {built['peak']:.0f} MiB")

    try:
        write((tail - 2 - count % tail) % tail)
        if (count + 2) % recent == 0:  # that merge would move recent into mid as well
            write(tail)
        build()
        step("onto the fullest tail")
        step(f"merging the tail into recent (every {tail} additions)")
        write((recent - 1 - count % recent) % recent)
        build()
        fullest(root, output, recent)
        step(f"merging recent into mid (every {recent} additions)")
        write((mid - 1 - count % mid) % mid)
        build()
        step(f"merging mid into main (every {mid:,} additions)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def fullest(root: Path, output: Path, recent: int) -> None:
    """Query figures where recent and tail are fullest (each adds a shard per term), and for
    the three segments of before, a tail of up to ``recent`` − 1, from the same articles."""
    from generator.content import read_site
    from generator.search import export
    from generator.settings import load
    overrides = {"PATH": str(root / "content"), "OUTPUT_PATH": str(output)}
    site = read_site(load(ROOT / "pelicanconf.py", overrides))
    before = root / "three-segments"
    shutil.rmtree(before, ignore_errors=True)
    three = load(ROOT / "pelicanconf.py", overrides | {
        "BUILD_CACHE": str(before / "cache"), "SEARCH_TAIL_DOCS": recent})
    for name, data in export.files(site, three, workers=2):
        (before / name).parent.mkdir(parents=True, exist_ok=True)
        (before / name).write_bytes(data)
    js = js_bytes([ROOT / "theme/static/js" / f for f in OUR_JS])
    module = (ROOT / "theme/static/js/search.js").as_uri()
    figures = [summary(node(OURS_NODE, root, str(folder), module, *QUERIES), js)
               for folder in (output / "search", before / "search")]
    title = f"recent and tail fullest ({len(site.articles):,} articles)"
    print(f"  {title:51}{'four segments':>15}{'three (before)':>16}{'four/three':>12}")
    for key in figures[0]:
        value, other = figures[0][key], figures[1][key]
        print(f"  {key:51}{value:15.1f}{other:16.1f}{value / other:12.2f}")
    shutil.rmtree(before, ignore_errors=True)


def queries_only(output: Path, against: str | None, passes: int, work: Path) -> None:
    """The query figures alone, on an output built before: ``passes`` passes, alternating
    with the engine of git revision ``against`` (its JS files taken from git) on the same
    files; the median of each figure per engine, and their ratio."""
    engines = {"ours": ROOT / "theme/static/js"}
    if against:
        old = engines[against] = work / f"js-{against}"
        shutil.rmtree(old, ignore_errors=True)
        old.mkdir(parents=True)
        for name in OUR_JS:  # those the revision has
            shown = subprocess.run(["git", "show", f"{against}:theme/static/js/{name}"],
                                   cwd=ROOT, capture_output=True)
            if shown.returncode == 0:
                (old / name).write_bytes(shown.stdout)
    figures: dict[str, list[dict]] = {name: [] for name in engines}
    for i in range(passes):
        for name in (list(engines) if i % 2 == 0 else list(engines)[::-1]):
            folder = engines[name]
            rows = node(OURS_NODE, work, str(output / "search"),
                        (folder / "search.js").as_uri(), *QUERIES)
            figures[name].append(summary(rows, js_bytes([folder / f for f in OUR_JS
                                                          if (folder / f).exists()])))
    print(f"  {passes} passes of {len(QUERIES)} queries on {output}, medians over passes")
    print(f"  {'':36}" + "".join(f"{name:>12}" for name in engines)
          + (f"{'ours/' + against:>16}" if against else ""))
    for key in figures["ours"][0]:
        values = [statistics.median(f[key] for f in figures[name]) for name in engines]
        ratio = f"{values[0] / values[1]:16.2f}" if against and values[1] else ""
        print(f"  {key:36}" + "".join(f"{v:12.1f}" for v in values) + ratio)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000")
    parser.add_argument("--work", type=Path, default=Path("/tmp/meldungen-search-bench"))
    parser.add_argument("--pagefind-cap-gib", type=float, default=8.0,
                        help="address-space cap for Pagefind from 100,000 articles up")
    parser.add_argument("--no-compound-cost", action="store_true")
    parser.add_argument("--runs", type=int, default=3,
                        help="cold builds per size, the median reported (Pagefind runs once)")
    parser.add_argument("--queries", type=Path, metavar="OUTPUT",
                        help="only the query figures, on this output folder built before")
    parser.add_argument("--against", metavar="REV",
                        help="with --queries: the engine of this git revision alongside")
    parser.add_argument("--passes", type=int, default=5, help="with --queries: passes")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    if args.queries:
        queries_only(args.queries.resolve(), args.against, args.passes, args.work)
        return
    for size in (int(s) for s in args.sizes.split(",")):
        print(f"{size:,} articles", flush=True)
        run(size, args.work, args.pagefind_cap_gib if size >= 100_000 else 0,
            not args.no_compound_cost, args.runs)


if __name__ == "__main__":
    main()
