// The query language and the typo rule in the browser module: the vectors Python meets too
// (tests/test_search_query.py, tests/test_search_vocabulary.py), and excerpts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseQuery, distance, near, dfClass, wanted, excerpt, marks, matcher, toHtml,
  together } from "../../theme/static/js/search-query.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const V = JSON.parse(readFileSync(path.join(ROOT, "tests/vectors/search-query.json"), "utf8"));
const STOP = new Set(V.stop); // as the manifest ships it

test("parsing meets the shared vectors", () => {
  for (const { q, ...want } of V.parse) {
    assert.deepEqual(JSON.parse(JSON.stringify(parseQuery(q, STOP))), want, q);
  }
});

test("distances, corrections, classes", () => {
  for (const [a, b, limit, d] of V.distance) {
    assert.equal(distance(a, b, limit), d, `${a} ${b}`);
    assert.equal(distance(b, a, limit), d, `${b} ${a}`);
  }
  for (const c of V.near) assert.deepEqual(near(c.stem, c.typed, c.candidates), c.best, c.stem);
  for (const [df, cls] of V.dfClass) assert.equal(dfClass(df), cls, String(df));
  for (const [own, cls, w] of V.wanted) assert.equal(wanted(own, cls), w, `${own} ${cls}`);
});

test("an excerpt is the sentence with most query words, marked and escaped", () => {
  const hit = matcher(["rak", "nordkorean"], ["raketen", "nordkoreanische"], "");
  const sentences = ["Washington - Ein Bericht.", "Nordkorea testet <b>Raketen</b>.",
    "Nordkoreanische Kurzstreckenraketen flogen 300 Kilometer weit, hieß es aus Seoul."];
  const pieces = excerpt(sentences, hit);
  assert.equal(toHtml(pieces), "<mark>Nordkoreanische</mark> <mark>Kurzstreckenraketen</mark> "
    + "flogen 300 Kilometer weit, hieß es aus Seoul.");
  assert.equal(toHtml(excerpt(["Kurz.", "Nordkorea testet <b>Raketen</b>.", "Mehr."], hit)),
    "Nordkorea testet &lt;b&gt;<mark>Raketen</mark>&lt;/b&gt;. Mehr.");
  assert.equal(excerpt(["Nichts davon."], hit), null); // the teaser stands in
  assert.deepEqual(marks("Börse", matcher(["bors"], ["borse"], "")), [["Börse", true]]);
});

test("words stand together when their positions follow each other in one field", () => {
  const p = (title, body) => ({ title, body });
  assert.ok(together([p([], [4, 9]), p([], [10])]));
  assert.ok(together([p([0], []), p([1], [7])]));
  assert.ok(!together([p([0], [4]), p([], [6])]));
  assert.ok(!together([p([0], [4]), undefined]));
});
