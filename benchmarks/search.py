"""Search benchmark: prints figures, asserts nothing.

    .venv/bin/python benchmarks/search.py [--sizes 10000,100000] [--work /tmp/search-bench]

Per size: a generated corpus (generator/search/corpus.py), the static export (time, peak
memory of this process, bytes and files), the same without compound parts (what compound
matching costs), the files an added article changes, and for a fixed query list under Node
(cold engine per query, as a first visit): bytes (raw and gzip) and requests per query,
median and p95 time. Pagefind is not run yet (see the issue).
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.content import read_site  # noqa: E402
from generator.search import export, records, segments  # noqa: E402
from generator.search.corpus import write_corpus  # noqa: E402
from generator.settings import load  # noqa: E402

QUERIES = ["Raketen", "Verteidigung", "Börse", "Boerse", "Außenministerin", "Regierung",
           "Raketen Verteidigung", "Bundesliga", "Rak", "Wetterd", "Strasse", "Ölpreis"]
NODE = """
import { readFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { init } from "%s";
const [root, ...queries] = process.argv.slice(2);
const out = [];
for (const q of queries) {
  let gz = 0;
  const started = performance.now();
  const e = await init(async (p) => {
    const b = new Uint8Array(await readFile(path.join(root, p)));
    gz += gzipSync(b).length;
    return b;
  });
  const page = await e.search(q, { limit: 10 });
  const ms = performance.now() - started;
  const t2 = performance.now();
  await e.search(q, { limit: 10 });
  out.push({ q, total: page.total, ms, warm: performance.now() - t2, requests: e.requests,
             bytes: e.bytes, gzip: gz });
}
console.log(JSON.stringify(out));
"""


def tree(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def run(size: int, work: Path) -> None:
    root = work / f"n{size}"
    if not (root / "content").exists():
        started = time.perf_counter()
        write_corpus(root, size)
        print(f"  corpus written in {time.perf_counter() - started:.1f} s")
    settings = load(root / "pelicanconf.py", {"OUTPUT_PATH": str(root / "site"),
                                              "BUILD_CACHE": str(root / "cache")})
    shutil.rmtree(root / "cache", ignore_errors=True)
    site = read_site(settings)
    started = time.perf_counter()
    files = dict(export.files(site, settings, workers=2))
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = root / "site"
    shutil.rmtree(out, ignore_errors=True)
    for name, data in files.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    total, count = tree(out / "search")
    shards = sum(len(d) for n, d in files.items() if n.startswith("search/s/"))
    print(f"  export: {seconds:.1f} s, peak RSS {peak:.0f} MiB, index {total / 1e6:.1f} MB "
          f"in {count} files (term shards {shards / 1e6:.1f} MB)")
    analyze = records.Analyze(settings, compounds=False)
    plain_records = {a.sha: records.unpack(analyze(a)[1]) for a in site.articles}
    plain = segments.rebuild(0, [a.sha for a in site.articles], plain_records)
    written: dict[str, bytes] = {}
    segments.write_files(plain, settings.SEARCH_SHARD_BYTES, True, None, written.__setitem__)
    plain_bytes = sum(len(d) for n, d in written.items() if n.startswith("s/"))
    print(f"  without compound parts: term shards {plain_bytes / 1e6:.1f} MB; compounds cost "
          f"+{(shards - plain_bytes) / plain_bytes:.0%}")
    extra = root / "content" / "2099" / "neu.md"
    extra.parent.mkdir(parents=True, exist_ok=True)
    extra.write_text('---\ntitle: "Neue Luftverteidigung"\ndate: 2099-01-01T10:00:00+01:00\n'
                     "category: Ausland\n---\nKurzstreckenraketen über der Börse.\n", "utf-8")
    try:
        started = time.perf_counter()
        after = dict(export.files(read_site(settings), settings))
        again = time.perf_counter() - started
    finally:
        extra.unlink()
    changed = [n for n in after if files.get(n) != after[n]]
    print(f"  adding one article: {len(changed)} index files new or changed, "
          f"{len(set(files) - set(after))} dropped; incremental export {again:.1f} s")
    script = work / "bench.mjs"
    script.write_text(NODE % (ROOT / "theme/static/js/search.js").as_uri(), "utf-8")
    result = subprocess.run(["node", str(script), str(out / "search"), *QUERIES],
                            capture_output=True, text=True, check=True)
    rows = json.loads(result.stdout)
    print(f"  {'query':<22}{'hits':>7}{'req':>5}{'KB raw':>9}{'KB gz':>8}{'cold ms':>9}"
          f"{'warm ms':>9}")
    for r in rows:
        print(f"  {r['q']:<22}{r['total']:>7}{r['requests']:>5}{r['bytes'] / 1024:>9.1f}"
              f"{r['gzip'] / 1024:>8.1f}{r['ms']:>9.1f}{r['warm']:>9.1f}")
    cold = sorted(r["ms"] for r in rows)
    js = sum((ROOT / "theme/static/js" / f).stat().st_size
             for f in ("search.js", "search-stemmer.js"))
    print(f"  cold query: median {statistics.median(cold):.1f} ms, p95 "
          f"{cold[int(len(cold) * 0.95) - 1]:.1f} ms; median bytes "
          f"{statistics.median(r['bytes'] for r in rows) / 1024:.1f} KB raw, "
          f"{statistics.median(r['gzip'] for r in rows) / 1024:.1f} KB gzip "
          f"(+ JS {js / 1024:.1f} KB raw, {len(gzip.compress(b''.join((ROOT / 'theme/static/js' / f).read_bytes() for f in ('search.js', 'search-stemmer.js')))) / 1024:.1f} KB gzip)")  # noqa: E501


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000")
    parser.add_argument("--work", type=Path, default=Path("/tmp/meldungen-search-bench"))
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        print(f"{size} articles")
        run(size, args.work)


if __name__ == "__main__":
    main()
