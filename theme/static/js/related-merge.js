// The selection rule of "Weitere Meldungen" (generator/related.py), for the browser and Node:
// reports sharing a tag, newest first, then the category's; one per headline; never the
// article's own headline. Entries: {u: url, k: headline key, ts: unix seconds, ...}.

const newestFirst = (a, b) => b.ts - a.ts || (a.u < b.u ? 1 : a.u > b.u ? -1 : 0);

export function mergeRelated(topicLists, categoryList, ownKey, count) {
  const byUrl = new Map();
  for (const list of topicLists) for (const entry of list) byUrl.set(entry.u, entry);
  const pools = [[...byUrl.values()].sort(newestFirst), [...categoryList].sort(newestFirst)];
  const chosen = [];
  const seen = new Set([ownKey]);
  for (const pool of pools) {
    for (const entry of pool) {
      if (chosen.length >= count) return chosen;
      if (seen.has(entry.k)) continue;
      seen.add(entry.k);
      chosen.push(entry);
    }
  }
  return chosen;
}
