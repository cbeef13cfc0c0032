// node theme/static/js/search-cli.mjs OUTPUT_DIR "query" [--kategorie K] [--von D] [--bis D]
//   [--sort neueste] [--limit N] [--all]
// Runs the browser's search module on a built site's files and prints JSON results.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { init, toHtml } from "./search.js";

const [, , root, query, ...rest] = process.argv;
if (!root || query === undefined) {
  console.error('usage: search-cli.mjs OUTPUT_DIR "query" [--kategorie K] [--von YYYY-MM-DD] '
    + "[--bis YYYY-MM-DD] [--sort neueste] [--limit N] [--all]");
  process.exit(2);
}
const options = { sort: "relevanz", limit: 10 };
let all = false;
for (let i = 0; i < rest.length; i++) {
  const key = rest[i];
  if (key === "--all") { all = true; continue; }
  const value = rest[++i];
  if (key === "--kategorie") options.kategorie = value;
  else if (key === "--von") options.von = value;
  else if (key === "--bis") options.bis = value;
  else if (key === "--sort") options.sort = value;
  else if (key === "--limit") options.limit = Number(value);
  else { console.error(`unknown option ${key}`); process.exit(2); }
}
const base = path.join(root, "search");
const engine = await init(async (p) => new Uint8Array(await readFile(path.join(base, p))));
const started = performance.now();
if (all) {
  // Every match (doc number and score): what the agreement test compares with whoosh.
  const { ranking, corrections } = await engine.query(query, options);
  const hits = ranking.top(Infinity);
  const docs = await engine.documents(hits.map((h) => h.doc));
  console.log(JSON.stringify({ total: hits.length,
    corrections: Object.fromEntries(corrections.map((c) => [c.word, c.to])),
    results: docs.map((d, i) => ({ url: d.url, score: hits[i].score,
      missing: hits[i].missing.map((w) => w.stem) })) }));
} else {
  const page = await engine.search(query, options);
  const ms = performance.now() - started;
  // excerpt: the marked words in <mark>, everything else escaped (HTML).
  console.log(JSON.stringify({
    total: page.total,
    complete: page.complete,
    suggestion: page.suggestion,
    counts: page.counts,
    results: page.results.map(({ url, title, date, category, score, excerpt, missing }) =>
      ({ url, title, date, category, score, excerpt: toHtml(excerpt), missing })),
    requests: engine.requests, bytes: engine.bytes, ms: Math.round(ms * 100) / 100,
  }, null, 2));
}
