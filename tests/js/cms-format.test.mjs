// The editing desk's article format (theme/admin/format.mjs) against the vectors that
// tests/test_article_file.py holds Python's writer to: the same bytes for the same report.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { load, FAILSAFE_SCHEMA } from "js-yaml";
import { articleText, parseArticle, slugify, isoInZone, wallClock } from "../../theme/admin/format.mjs";

const vectors = JSON.parse(readFileSync(new URL("../vectors/article-files.json", import.meta.url)));
const zone = vectors.timezone;
const yaml = (text) => load(text, { schema: FAILSAFE_SCHEMA });

for (const vector of vectors.files) {
  test(`writes ${vector.name}`, () => {
    assert.equal(articleText(vector.data, zone), vector.text);
  });
  test(`reads back ${vector.name}, and writes it again unchanged`, () => {
    const data = parseArticle(vector.text, yaml, zone);
    assert.equal(data.title, vector.data.title);
    assert.deepEqual(data.tags, vector.data.tags);
    assert.equal(articleText(data, zone), vector.text);
  });
}

test("times are written as Python writes them, also where the clocks change", () => {
  for (const [wall, written] of vectors.times) assert.equal(isoInZone(wall, zone), written, wall);
});

test("slugs are generator/slugs.py's", () => {
  for (const [title, slug] of vectors.slugs) assert.equal(slugify(title), slug, title);
});

test("files written otherwise are rewritten the way meldungen new writes them", () => {
  const text = "---\r\ntitle: Finnland\r\ndate: 05.01.2024 - 09:12\r\ncategory: Ausland\r\n"
    + "tags: USA, Russland\r\ndraft: nein\r\n---\r\nLead.\r\n\r\n";
  const data = parseArticle(text, yaml, zone);
  assert.equal(articleText(data, zone), "---\ntitle: \"Finnland\"\n"
    + "date: 2024-01-05T09:12:00+01:00\ncategory: Ausland\ntags: [USA, Russland]\n---\nLead.\n");
});

test("dates: any offset is shown and written in the site's zone", () => {
  assert.equal(wallClock("2024-01-04T19:41:54Z", zone), "2024-01-04T20:41:54");
  assert.equal(wallClock("2024-07-04T20:41:54-04:00", zone), "2024-07-05T02:41:54");
  assert.equal(isoInZone("2024-07-05T02:41", zone), "2024-07-05T02:41:00+02:00");
  assert.equal(isoInZone("2024-10-27T03:00:00", zone), "2024-10-27T03:00:00+01:00");
  assert.throws(() => isoInZone("gestern", zone), /not a date/);
});

test("what the desk must not write is dropped: empty values, published status, its own keys", () => {
  const text = articleText({ title: "T", date: "2024-01-04T20:41", category: "Sport",
    tags: " a ,b, a", slug: "t", source: "  ", status: "published", draft: false,
    corrections: [{ date: "", text: "" }], meldungen_year: "2024", body: "\n\nLead.\n\n" }, zone);
  assert.equal(text, "---\ntitle: \"T\"\ndate: 2024-01-04T20:41:00+01:00\ncategory: Sport\n"
    + "tags: [a, b]\nslug: t\n---\nLead.\n");
});
