// Scoring and ranking of a query's postings (search.js fetches them): BM25 per word with the
// very arithmetic of generator/search/engine.py (whoosh), the words combined (every word, no
// excluded one, phrases together; when too few reports hold every word, those holding some
// follow), and the order a page shows the hits in. Scores sit in arrays by document: a
// common word's tens of thousands of hits in maps cost a query more than their arithmetic.
import { LENGTHS } from "./search-format.js";
import { together } from "./search-query.js";

/**
 * Per query word ({stem, terms: [[term, weight]], postings: one per term}) within documents
 * [low, high): {stem, sum (its score by document, summed in its terms' order), seen (by
 * document), touched (the documents it matched)}; `category` gets each document's category.
 */
export function scoreWords(m, words, low, high, category) {
  // Titles are not length-normalized (b = 0: the length part is k1 itself).
  const normTitle = m.k1;
  const normBody = LENGTHS.map((length) => m.k1 * ((1 - m.b) + m.b * length / m.avg[1]));
  return words.map((w) => {
    const sum = new Float64Array(m.n), seen = new Uint8Array(m.n);
    const touched = new Int32Array(w.postings.reduce((n, ps) => n + ps.n, 0));
    let found = 0;
    w.terms.forEach(([, weight], i) => {
      const ps = w.postings[i];
      // BM25 as engine.py, the length part computed once per length byte: the same
      // operations in the same order give the same doubles as whoosh's.
      const idfTitle = idf(m.n, ps.titled), idfBody = idf(m.n, ps.bodied);
      const boostTitle = m.boost.title * weight, k1 = m.k1 + 1;
      const { doc: docs, category: categories, tfTitle, tfBody, length } = ps;
      for (let j = 0; j < ps.n; j++) {
        const doc = docs[j];
        if (doc < low || doc >= high) continue;
        category[doc] = categories[j];
        const tt = tfTitle[j], tb = tfBody[j];
        let add = 0;
        if (tt) add += idfTitle * (tt * k1) / (tt + normTitle) * boostTitle;
        if (tb) add += idfBody * (tb * k1) / (tb + normBody[length[j]]) * weight;
        if (!seen[doc]) { seen[doc] = 1; touched[found++] = doc; }
        sum[doc] += add;
      }
    });
    return { stem: w.stem, sum, seen, touched: touched.subarray(0, found) };
  });
}

/**
 * The documents every word matched, none excluded (`gone`: postings), each phrase's words
 * together (`phrases`: per phrase its words' postings with positions); when fewer than
 * m.partialBelow and no phrase, then those some words matched. {kept (documents), complete
 * (how many hold every word), total (score by document), missing (words lacking, by doc)}.
 */
export function combine(m, words, gone, phrases) {
  const excluded = new Uint8Array(m.n);
  for (const ps of gone) for (let j = 0; j < ps.n; j++) excluded[ps.doc[j]] = 1;
  let kept = words[0].touched.filter((doc) => !excluded[doc]);
  const total = words[0].sum;
  for (const w of words.slice(1)) {
    kept = kept.filter((doc) => w.seen[doc]);
    for (const doc of kept) total[doc] += w.sum[doc];
  }
  for (const phrase of phrases) {
    const at = phrase.map((ps) => new Map(Array.from(ps.doc.subarray(0, ps.n), (doc, j) =>
      [doc, { title: ps.title[j], body: ps.body[j] }])));
    kept = kept.filter((doc) => together(at.map((places) => places.get(doc))));
  }
  const complete = kept.length;
  // Too few reports hold every word: those holding some follow, the most words first.
  const missing = new Uint8Array(m.n);
  if (complete < m.partialBelow && words.length > 1 && !phrases.length) {
    const partial = new Float64Array(m.n), full = new Uint8Array(m.n);
    for (const doc of kept) full[doc] = 1;
    const some = [];
    for (const w of words) {
      for (const doc of w.touched) {
        if (full[doc] || excluded[doc]) continue;
        if (!missing[doc]) { missing[doc] = words.length; some.push(doc); }
        missing[doc] -= 1;
        partial[doc] += w.sum[doc];
      }
    }
    for (const doc of some) total[doc] = partial[doc];
    kept = [...kept, ...some];
  }
  return { kept, complete, total, missing };
}

/**
 * A query's hits in rank order: those holding every word first, then those missing the
 * fewest words; within each, the best score (ties: the newer) or, sorted by "neueste", the
 * newest. `top(k)` orders only the first k: a page shows ten of thousands.
 */
export class Ranking {
  constructor(docs, score, missing, words, newest) {
    Object.assign(this, { docs, score, missing, words, newest, length: docs.length });
    this.before = newest ? (a, b) => (missing[a] - missing[b]) || (b - a)
      : (a, b) => (missing[a] - missing[b]) || (score[b] - score[a]) || (b - a);
  }

  /** The first k hits as [{doc, score, missing: [word]}]. */
  top(k) {
    const { docs, score, missing, before } = this;
    let best;
    if (k >= docs.length / 8) best = [...docs].sort(before).slice(0, k);
    else { // a heap of the k best so far, the worst of them on top
      const heap = [];
      const down = (i) => {
        for (;;) {
          const l = 2 * i + 1, r = l + 1;
          let worst = i;
          if (l < heap.length && before(heap[l], heap[worst]) > 0) worst = l;
          if (r < heap.length && before(heap[r], heap[worst]) > 0) worst = r;
          if (worst === i) return;
          [heap[i], heap[worst]] = [heap[worst], heap[i]];
          i = worst;
        }
      };
      for (const doc of docs) {
        if (heap.length < k) {
          heap.push(doc);
          for (let i = heap.length - 1; i > 0 && before(heap[i], heap[(i - 1) >> 1]) > 0;) {
            const up = (i - 1) >> 1;
            [heap[i], heap[up]] = [heap[up], heap[i]];
            i = up;
          }
          continue;
        }
        // Most documents lose to the worst kept on the first key or two: compared inline.
        const worst = heap[0];
        if (missing[doc] > missing[worst]) continue;
        if (missing[doc] === missing[worst] && !this.newest && score[doc] < score[worst]) {
          continue;
        }
        if (before(doc, worst) < 0) { heap[0] = doc; down(0); }
      }
      best = heap.sort(before);
    }
    return best.map((doc) => ({ doc, score: score[doc],
      missing: missing[doc] ? this.words.filter((w) => !w.seen[doc]) : [] }));
  }
}

function idf(n, df) {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}
