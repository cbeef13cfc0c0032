// The query language and the pure parts of the search: parsing quotes and minus signs, the
// typo rule, excerpts. The same rules as generator/search/query.py and vocabulary.py, which
// tests/vectors/search-query.json holds both to.
import { stem, fold } from "./search-stemmer.js";

const TOKEN = /[\p{L}\p{N}]+/gu;
const QUOTE = /["„“”]/u;

function words(text) {
  return (text.normalize("NFC").match(TOKEN) || []).map((w) => w.toLowerCase());
}

/**
 * `Raketen "nordkoreanische Raketen" -Iran` →
 * {words: [{stem, fold, plain}], phrases: [[stem, …]], exclude: [stem, …], expand}.
 * Quoted words must stand together (stop words between them skipped); a word after a minus
 * at the start of a chunk is excluded; an unclosed quote runs to the end; a minus alone, or
 * before a quote, is ignored. `plain` words may be corrected and the last one completed
 * (`expand`) unless the text ends in a space or a quote.
 */
export function parseQuery(text, stop) {
  const spans = [];
  let buf = "", quoted = false;
  for (const ch of text.normalize("NFC")) {
    if (QUOTE.test(ch)) { spans.push([quoted, buf]); buf = ""; quoted = !quoted; } else buf += ch;
  }
  spans.push([quoted, buf]);
  const out = { words: [], phrases: [], exclude: [], expand: false };
  const seen = new Map();
  let last = null;
  const add = (w, plain) => {
    const s = stem(w);
    if (!seen.has(s)) { seen.set(s, { stem: s, fold: fold(w), plain }); out.words.push(seen.get(s)); }
    else if (!plain) seen.get(s).plain = false;
    return s;
  };
  const keep = (ws) => ws.filter((w) => !stop.has(fold(w)));
  for (const [inQuote, span] of spans) {
    if (inQuote) {
      const stems = keep(words(span)).map((w) => add(w, false));
      if (stems.length > 1) out.phrases.push(stems);
      if (stems.length) last = null;
      continue;
    }
    for (const chunk of span.split(/\s+/u)) {
      if (!chunk) continue;
      if (chunk.startsWith("-")) {
        for (const w of keep(words(chunk))) {
          const s = stem(w);
          if (!out.exclude.includes(s)) out.exclude.push(s);
        }
        if (words(chunk).length) last = null;
        continue;
      }
      for (const w of keep(words(chunk))) last = seen.get(add(w, true));
    }
  }
  out.expand = last !== null && last.plain && last === out.words[out.words.length - 1]
    && !/[\s"„“”]$/u.test(text);
  return out;
}

// Typos (see generator/search/vocabulary.py for the why).
const MIN_WORD = 3;
export const fit = (t) => t.length >= MIN_WORD && /^\p{L}+$/u.test(t);
export const dfClass = (df) => (df > 0 ? Math.floor((31 - Math.clz32(df)) / 2) : -1);
export const allowed = (a, b) => {
  const longest = Math.max([...a].length, [...b].length);
  return longest < 5 ? 0 : longest <= 8 ? 1 : 2;
};
export const probe = (s) => Math.max(3, Math.floor([...s].length / 3));

/** Optimal string alignment distance, or limit + 1 when more than limit. */
export function distance(a, b, limit) {
  a = [...a]; b = [...b];
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous2 = [], previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j], previous2[j - 2] + 1);
      }
    }
    if (Math.min(...row) > limit) return limit + 1;
    previous2 = previous; previous = row;
  }
  return Math.min(previous[b.length], limit + 1);
}

// By letters (code points); a string without surrogates slices as it is, much faster.
const SURROGATE = /[\uD800-\uDFFF]/;
const slice = (s, from, to) => (SURROGATE.test(s) ? [...s].slice(from, to).join("")
  : s.slice(from, to));
const ALPHABET = "abcdefghijklmnopqrstuvwxyz";

/** The stems of every word one edit from the folded word `typed` (a typo in the ending
 * throws the stemmer off: such a stem counts as one edit away) that are among `wanted`.
 * A stem starts the word's fold, so only variants whose fold starts with a wanted word are
 * stemmed (a word has some 570 variants, and stemming was most of a typo's cost). */
export function variantStems(typed, wanted) {
  const t = SURROGATE.test(typed) ? [...typed] : typed, out = new Set();
  const cut = (from, to) => (typeof t === "string" ? t.slice(from, to)
    : t.slice(from, to).join(""));
  for (let i = 0; i <= t.length; i++) {
    const before = cut(0, i);
    for (const c of ALPHABET) out.add(before + c + cut(i));
    if (i < t.length) {
      const after = cut(i + 1);
      out.add(before + after);
      for (const c of ALPHABET) out.add(before + c + after);
      if (i + 1 < t.length) out.add(before + t[i + 1] + t[i] + cut(i + 2));
    }
  }
  const starts = (f) => {
    for (let end = MIN_WORD; end <= f.length; end++) if (wanted.has(f.slice(0, end))) return true;
    return false;
  };
  return new Set([...out].filter((v) => starts(fold(v))).map(stem));
}

/** The best correction [word, class] of a stem (of the folded word `typed`) among [word,
 * class] pairs, or null. */
export function near(s, typed, candidates) {
  if (!fit(s)) return null;
  const p = probe(s);
  const head = slice(s, 0, p), tail = slice(s, -p);
  let best = null;
  const far = []; // beyond the distance, but maybe the stem of a word one edit away
  const consider = (d, cls, word) => {
    const better = !best || d < best[0] || (d === best[0] && (cls > best[1]
      || (cls === best[1] && word < best[2])));
    if (better) best = [d, cls, word];
  };
  for (const [word, cls] of candidates) {
    if (word === s || !(slice(word, 0, p) === head || slice(word, -p) === tail)) continue;
    const limit = allowed(typed, word);
    if (!limit) continue;
    const d = distance(s, word, limit);
    if (d <= limit) consider(d, cls, word); else far.push([word, cls]);
  }
  if (far.length) {
    const variants = variantStems(typed, new Set(far.map(([word]) => word)));
    for (const [word, cls] of far) if (variants.has(word)) consider(1, cls, word);
  }
  return best && [best[2], best[1]];
}

/** A word is corrected when it matches nothing, or it is rare (class RARE or below) and a
 * near one is far commoner. */
export const RARE = 1;
export const wanted = (ownDf, bestClass) => ownDf === 0
  || wantedClass(dfClass(ownDf), bestClass);
/** The same for a word found with its class: rare, and the near one far commoner. */
export const wantedClass = (ownClass, bestClass) => ownClass <= RARE
  && bestClass >= ownClass + 2;

/** Do the words stand together (consecutive positions) in the title or the body? */
export function together(postings) {
  if (postings.some((p) => !p)) return false;
  return ["title", "body"].some((field) => {
    const sets = postings.map((p) => new Set(p[field]));
    return postings[0][field].some((start) => sets.every((set, i) => set.has(start + i)));
  });
}

/** Does a word of a text (as written) match the query? Its stem is a query stem, it starts
 * with the completed last word, or it holds a query word as a compound part. */
export function matcher(stems, folds, prefix) {
  const set = new Set(stems);
  // A compound holds the word in any form (Raketen → Mittelstreckenrakete): its fold and its
  // fold without an ending, of 4 letters or more.
  folds = [...new Set(folds.flatMap((f) => [f, f.replace(/(en|er|es|e|n|s)$/u, "")]))];
  const known = new Map(); // a page's excerpts ask about the same words many times
  // A word's stem is the start of its fold (the stemmer folds, then cuts an ending; the
  // JS tests hold this over 275,000 words): only a word whose fold starts with a query stem
  // is stemmed, the costly part of excerpts when the stemmer is not yet compiled.
  const hit = (lower) => {
    const f = fold(lower);
    if (stems.some((s) => f.startsWith(s)) && set.has(stem(lower))) return true;
    if (prefix && f.startsWith(prefix)) return true;
    return folds.some((q) => q.length >= 4 && f.length > q.length && f.includes(q));
  };
  return (word) => {
    const lower = word.toLowerCase();
    if (!known.has(lower)) known.set(lower, hit(lower));
    return known.get(lower);
  };
}

/** Text → [[piece, marked]] with the matching words marked. */
export function marks(text, hit) {
  const out = [];
  for (const piece of text.split(/([\p{L}\p{N}]+)/u)) {
    if (!piece) continue;
    const marked = /[\p{L}\p{N}]/u.test(piece) && hit(piece);
    const prev = out[out.length - 1];
    if (prev && !prev[1] && !marked) prev[0] += piece; else out.push([piece, marked]);
  }
  return out;
}

/**
 * The excerpt of a result: the sentence with most distinct query words (the first of equals),
 * and the next one if the first is short; null when no sentence matches (a headline-only
 * match: the teaser stands in). Returns [[piece, marked]].
 */
export function excerpt(sentences, hit) {
  let best = -1, bestCount = 0;
  sentences.forEach((s, i) => {
    const found = new Set((s.match(TOKEN) || []).filter(hit).map((w) => stem(w.toLowerCase())));
    if (found.size > bestCount) { best = i; bestCount = found.size; }
  });
  if (best < 0) return null;
  let text = sentences[best];
  if (text.length < 120 && best + 1 < sentences.length) text += " " + sentences[best + 1];
  return marks(text, hit);
}

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
/** [[piece, marked]] → HTML: marked words in <mark>, everything escaped. */
export function toHtml(pieces) {
  const esc = (s) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);
  return pieces.map(([p, m]) => (m ? `<mark>${esc(p)}</mark>` : esc(p))).join("");
}
