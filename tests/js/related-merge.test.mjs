// The browser's "Weitere Meldungen" merge (theme/static/js/related-merge.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mergeRelated } from "../../theme/static/js/related-merge.js";

const e = (u, k, ts) => ({ u, k, ts, t: k, s: "", c: "Ausland", d: "" });

test("tag entries newest first, then category entries", () => {
  const tags = [[e("a/", "a", 10), e("b/", "b", 30)], [e("c/", "c", 20)]];
  const category = [e("d/", "d", 40), e("e/", "e", 5)];
  assert.deepEqual(mergeRelated(tags, category, "own", 4).map((x) => x.u),
                   ["b/", "c/", "a/", "d/"]);
});

test("an entry in several tag files is listed once", () => {
  const shared = e("s/", "s", 9);
  assert.deepEqual(mergeRelated([[shared], [shared]], [], "own", 6).map((x) => x.u), ["s/"]);
});

test("own headline is left out and only the newest re-send of a headline is listed", () => {
  const tags = [[e("own2/", "own", 50), e("r1/", "r", 10), e("r2/", "r", 20), e("x/", "x", 15)]];
  assert.deepEqual(mergeRelated(tags, [e("r3/", "r", 5)], "own", 6).map((x) => x.u),
                   ["r2/", "x/"]);
});

test("equal times are ordered by url descending, like the archive order", () => {
  const tags = [[e("a/", "a", 1), e("b/", "b", 1)]];
  assert.deepEqual(mergeRelated(tags, [], "own", 1).map((x) => x.u), ["b/"]);
});

test("count limits the result", () => {
  const tags = [[1, 2, 3, 4, 5].map((i) => e(`${i}/`, `${i}`, i))];
  assert.equal(mergeRelated(tags, [], "own", 3).length, 3);
});
