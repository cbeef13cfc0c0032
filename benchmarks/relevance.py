"""Relevance on the sample archive, ours against Pagefind: prints figures, asserts nothing.

    .venv/bin/python benchmarks/relevance.py [--work /tmp/relevance] [--each]

Builds the sample archive (content/, pelicanconf.py) as of a fixed clock, runs Pagefind
(PyPI ``pagefind-bin``, the bench extra) over the same output, then asks both engines under
Node the judged queries of ``benchmarks/relevance/queries.json`` (written from reading
content/, before either engine answered them) and prints nDCG@10 and recall@10 per query
class. Our engine gets the query as a reader types it (quotes and all) and the date filter as
the search page's von/bis; Pagefind the same text, its results outside the dates dropped
(our theme gives Pagefind no date filter, so this stands in for one). nDCG uses the judged
grades as gains (2^grade − 1); recall@10 counts the judged reports among the first ten.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
NOW = "2026-12-07T06:00:00+01:00"
QUERIES = ROOT / "benchmarks" / "relevance" / "queries.json"
OURS = """
import { readFile } from "node:fs/promises";
import path from "node:path";
const [root, module, file] = process.argv.slice(2);
const { init } = await import(module);
const e = await init(async (p) => new Uint8Array(await readFile(path.join(root, p))));
const out = [];
for (const q of JSON.parse(await readFile(file, "utf8"))) {
  const page = await e.search(q.q, { limit: 10, von: q.von || null, bis: q.bis || null });
  out.push({ urls: page.results.map((r) => r.url), suggestion: page.suggestion });
}
console.log(JSON.stringify(out));
"""
PAGEFIND = """
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
const [site, file] = process.argv.slice(2);
globalThis.fetch = async (input) => {
  const url = new URL(String(input), "http://localhost/");
  const data = new Uint8Array(await readFile(path.join(site, decodeURIComponent(url.pathname))));
  const wasm = url.pathname.includes("wasm.");
  return new Response(data, { headers: { "content-type": wasm ? "application/wasm" : "" } });
};
const pf = await import(pathToFileURL(path.join(site, "pagefind/pagefind.js")).href);
await pf.options({ basePath: "/pagefind/" });
const day = (url) => url.match(/(\\d{4})\\/(\\d{2})\\/(\\d{2})/)?.slice(1).join("-") || "";
const out = [];
for (const q of JSON.parse(await readFile(file, "utf8"))) {
  const found = await pf.search(q.q);
  const urls = [];
  for (const r of found.results) {  // in rank order, those within the dates, ten of them
    if (urls.length >= 10) break;
    const url = (await r.data()).url;
    if ((!q.von || day(url) >= q.von) && (!q.bis || day(url) <= q.bis)) urls.push(url);
  }
  out.push({ urls });
}
console.log(JSON.stringify(out));
"""


def ndcg(ranked: list[str], grades: dict[str, int], k: int = 10) -> float:
    def dcg(gains: list[int]) -> float:
        return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(gains[:k]))
    ideal = dcg(sorted(grades.values(), reverse=True))
    return dcg([grades.get(p, 0) for p in ranked]) / ideal if ideal else 0.0


def recall(ranked: list[str], grades: dict[str, int], k: int = 10) -> float:
    return len(set(ranked[:k]) & set(grades)) / len(grades)


def node(script: str, work: Path, *args: str) -> list[dict]:
    path = work / f"relevance-{abs(hash(script))}.mjs"
    path.write_text(script, "utf-8")
    done = subprocess.run(["node", str(path), *args], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/relevance"))
    parser.add_argument("--each", action="store_true", help="print every query's figures")
    args = parser.parse_args()
    from generator import build
    from generator.content import read_site
    from generator.settings import load

    work = args.work.resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    settings = load(ROOT / "pelicanconf.py", {"OUTPUT_PATH": str(work / "output"),
                                              "BUILD_CACHE": str(work / "cache"),
                                              "BUILD_NOW": NOW})
    build(settings)
    output = work / "output"
    # URL → source path (relative to content/), what the judgments name
    source = {a.url.strip("/"): Path(a.source_path).as_posix()
              for a in read_site(settings).articles}
    import pagefind_bin  # the bench extra: Pagefind's binary, shipped inside the wheel
    subprocess.run([str(pagefind_bin.get_executable()), "--site", str(output)], check=True,
                   capture_output=True)

    queries = json.loads(QUERIES.read_text("utf-8"))["queries"]
    asked = work / "queries.json"
    asked.write_text(json.dumps(queries, ensure_ascii=False), "utf-8")
    module = (ROOT / "theme/static/js/search.js").as_uri()
    answers = {"ours": node(OURS, work, str(output / "search"), module, str(asked)),
               "Pagefind": node(PAGEFIND, work, str(output), str(asked))}
    scores: dict[str, dict[str, list[tuple[float, float]]]] = {}
    for i, q in enumerate(queries):
        line = []
        for engine, rows in answers.items():
            ranked = [source.get(u.strip("/"), u) for u in rows[i]["urls"]]
            figures = (ndcg(ranked, q["relevant"]), recall(ranked, q["relevant"]))
            scores.setdefault(q["class"], {}).setdefault(engine, []).append(figures)
            scores.setdefault("all", {}).setdefault(engine, []).append(figures)
            line.append(f"{engine} nDCG {figures[0]:.2f} recall {figures[1]:.2f}")
        if args.each:
            print(f"  {q['class']:12}{q['q']:32}" + " | ".join(line))
    print(f"{len(queries)} judged queries on the sample archive "
          f"({len(source)} reports), first ten results")
    print(f"  {'class':12}{'n':>4}{'nDCG@10 ours':>15}{'Pagefind':>10}"
          f"{'recall@10 ours':>17}{'Pagefind':>10}")
    for cls, engines in sorted(scores.items(), key=lambda item: item[0] == "all"):
        ours, theirs = engines["ours"], engines["Pagefind"]
        print(f"  {cls:12}{len(ours):4}"
              f"{statistics.mean(n for n, _ in ours):15.3f}"
              f"{statistics.mean(n for n, _ in theirs):10.3f}"
              f"{statistics.mean(r for _, r in ours):17.3f}"
              f"{statistics.mean(r for _, r in theirs):10.3f}")


if __name__ == "__main__":
    main()
