// Node's own test runner (node --test tests/js/). The references come from Python at test
// time: snowballstemmer for stems, whoosh (generator/search/engine.py) for search results.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { stem, fold, queryWords, init } from "../../theme/static/js/search.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const PYTHON = process.env.MELDUNGEN_PYTHON
  || [path.join(ROOT, ".venv/bin/python")].find(existsSync) || "python3";
const VECTORS = JSON.parse(readFileSync(path.join(ROOT, "tests/vectors/german-analysis.json")));
const WORK = mkdtempSync(path.join(os.tmpdir(), "meldungen-search-"));
const CORPUS = 2003; // 15 blocks of 128 and 83 result files of their own (results.py)

function python(code, ...args) {
  return execFileSync(PYTHON, ["-c", code, ...args], { cwd: ROOT, maxBuffer: 1 << 30,
    encoding: "utf8" });
}

let engine;
let expected;
before(() => {
  execFileSync(PYTHON, ["-m", "generator.search.corpus", WORK, String(CORPUS)],
    { cwd: ROOT, stdio: "inherit" });
  expected = JSON.parse(readFileSync(path.join(WORK, "expected.json"), "utf8"));
}, { timeout: 600_000 });

async function openEngine() {
  if (!engine) {
    const base = path.join(WORK, "site", "search");
    engine = await init(async (p) => new Uint8Array(await readFile(path.join(base, p))));
  }
  return engine;
}

test("stems equal snowballstemmer's over the lexicon and the corpus vocabulary", () => {
  const file = path.join(WORK, "stems.json");
  python(`
import json, re, sys, snowballstemmer
from pathlib import Path
from importlib import resources
from generator.search.analysis import fold
words = {l.split("\\t", 1)[0].lower() for l in resources.files("german_nouns").joinpath("index.txt").open(encoding="utf-8")}
for p in Path(sys.argv[1], "content").rglob("*.md"):
    words.update(w.lower() for w in re.findall(r"[^\\W_]+", p.read_text("utf-8")))
words |= {"steuer", "quelle", "blue", "ayu", "häuser", "läuft", "ß", "straße", "ﬁnanz", "𝔅örse"}
words = sorted(words)
s = snowballstemmer.stemmer("german")
json.dump({"words": words, "stems": s.stemWords(words), "folds": [fold(w) for w in words]},
          open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
`, WORK, file);
  const ref = JSON.parse(readFileSync(file, "utf8"));
  assert.ok(ref.words.length > 250_000, `only ${ref.words.length} words`);
  const wrong = ref.words.filter((w, i) => stem(w) !== ref.stems[i]);
  assert.deepEqual(wrong.slice(0, 20), []);
  const wrongFold = ref.words.filter((w, i) => fold(w) !== ref.folds[i]);
  assert.deepEqual(wrongFold.slice(0, 20), []);
  // Excerpts stem only words whose fold starts with a query stem (search-query.js matcher).
  const cut = ref.words.filter((w, i) => !ref.folds[i].startsWith(ref.stems[i]));
  assert.deepEqual(cut.slice(0, 20), []);
});

test("hand-written German vectors hold in the browser too", async () => {
  const e = await openEngine();
  const terms = (w) => new Set(queryWords(w, e.stop).map(([s]) => s));
  for (const group of VECTORS.meet) {
    const all = new Set(group.flatMap((w) => [...terms(w)]));
    assert.equal(all.size, 1, `${group} give ${[...all]}`);
  }
  for (const [a, b] of VECTORS.differ) assert.notDeepEqual(terms(a), terms(b));
  for (const w of VECTORS.stop) assert.equal(terms(w).size, 0, w);
});

test("the browser engine agrees with whoosh on the generated corpus", async () => {
  const e = await openEngine();
  assert.ok(expected.length >= 100);
  let nonEmpty = 0, partial = 0;
  for (const q of expected) {
    const { ranking, corrections } = await e.query(q.q, q);
    const hits = ranking.top(Infinity);
    const docs = await e.documents(hits.map((h) => h.doc));
    const got = docs.map((d, i) => ({ url: d.url, score: hits[i].score }));
    const label = JSON.stringify({ ...q, results: undefined });
    assert.deepEqual(Object.fromEntries(corrections.map((c) => [c.word, c.to])), q.corrections,
      label);
    assert.deepEqual(new Set(got.map((h) => h.url)), new Set(q.results.map((h) => h.url)), label);
    // Reports with some of the words only: the same ones, lacking the same words.
    const lacking = (rows) => Object.fromEntries(rows.filter((r) => r.missing.length)
      .map((r) => [r.url, r.missing]));
    assert.deepEqual(lacking(docs.map((d, i) => ({ url: d.url,
      missing: hits[i].missing.map((w) => w.stem) }))), lacking(q.results), label);
    if (q.results.some((r) => r.missing.length)) partial += 1;
    if (got.length) nonEmpty += 1;
    // Top 10 in the same order, ties aside: compare scores position by position, and URLs
    // wherever the score is not tied with a neighbour.
    const top = Math.min(10, got.length);
    for (let i = 0; i < top; i++) {
      const want = q.results[i].score;
      assert.ok(Math.abs(got[i].score - want) <= 1e-9 * Math.max(1, want), `${label} #${i}`);
      const tied = q.results.some((r, j) => j !== i && Math.abs(r.score - want) <= 1e-9 * want);
      if (!tied) assert.equal(got[i].url, q.results[i].url, `${label} #${i}`);
    }
  }
  assert.ok(nonEmpty >= 40, `only ${nonEmpty} queries found anything`);
  assert.ok(partial >= 8, `only ${partial} queries found reports with some of the words`);
});

test("every document's result file loads, from every tier of blocks", async () => {
  const e = await openEngine();
  const urls = JSON.parse(readFileSync(path.join(WORK, "urls.json"), "utf8"));
  assert.deepEqual(e.m.results.tags.map((t) => t.length), [0, 15, 83]);
  const docs = await e.documents(urls.map((_, doc) => doc));
  assert.deepEqual(docs.map((d) => d.url), urls);
  assert.ok(docs.every((d) => Array.isArray(d.sentences)));
});

// Requests answered in waves: each wave is every request made while the last one's answers
// were worked through, so a request's wave is how many answers it had to wait for in turn.
function inWaves(base) {
  const waiting = [];
  const waves = [];
  let wave = 0, running = true;
  const fetchBytes = (p) => new Promise((resolve) => waiting.push([p, resolve]));
  const loop = (async () => {
    while (running || waiting.length) {
      await new Promise((r) => setTimeout(r, 40));
      const now = waiting.splice(0);
      if (!now.length) continue;
      waves.push(now.map(([p]) => p));
      wave += 1;
      for (const [p, resolve] of now) resolve(new Uint8Array(readFileSync(path.join(base, p))));
    }
  })();
  return { fetchBytes, waves, stop: () => { running = false; return loop; } };
}

test("a query comes in three rounds after the manifest, a misspelled one too", async () => {
  const base = path.join(WORK, "site", "search");
  for (const q of ["Raketen", "Kurzstreckenrakten", "Raketen Verteidigung -Iran", "Bundes"]) {
    const net = inWaves(base);
    const fresh = await init(net.fetchBytes);
    const page = await fresh.search(q, { limit: 10 });
    await net.stop();
    assert.ok(page.total > 0, q);
    assert.deepEqual(net.waves[0], ["manifest.json"], q);
    assert.ok(net.waves.length - 1 <= 3, `${q}: ${JSON.stringify(net.waves)}`);
    if (q === "Kurzstreckenrakten") assert.match(page.suggestion, /Kurzstreckenraketen/);
    assert.ok(net.waves.at(-1).every((p) => p.startsWith("r/")), q);
  }
  writeFileSync(path.join(WORK, "done"), "");
});
