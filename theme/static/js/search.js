// The archive's search engine: loads search/manifest.json, fetches only the shards a query
// needs and the metadata of the results it shows. Runs unchanged in the browser and in
// Node 20 (search-cli.mjs); the only I/O is the `fetchBytes` function given to `init`.
// Semantics and arithmetic equal generator/search/engine.py (whoosh), which the test suite
// checks: every word must match (its stem, its stem as a compound part, and for the last
// word the commonest completions), BM25 per field, title boosted, ties to the newer article.

import { stem, fold } from "./search-stemmer.js";
import { RARE, dfClass, excerpt, fit, marks, matcher, near, parseQuery, probe, toHtml, together,
  wanted, wantedClass } from "./search-query.js";

export { stem, fold, parseQuery, toHtml };
const CLASSES = "0123456789abcdefghijklmnopqrstuvwxyz";

const decoder = new TextDecoder();
const TOKEN = /[\p{L}\p{N}]+/gu;

function readVarint(buf, state) {
  let value = 0, shift = 0, byte;
  do {
    byte = buf[state.pos++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte >= 0x80);
  return value;
}

// whoosh's quantized field lengths (whoosh.util.numeric._length_byte_cache): the body
// length byte of a posting means the length whoosh's scorer would see.
const LENGTHS = [
  0,1,2,3,4,5,6,7,8,9,10,12,13,14,16,17,18,20,21,23,25,26,28,30,32,34,36,38,40,42,45,47,49,52,54,
  57,60,63,66,69,72,75,79,82,86,89,93,97,101,106,110,114,119,124,129,134,139,145,150,156,162,169,
  175,182,189,196,203,211,219,227,235,244,253,262,271,281,291,302,313,324,336,348,360,373,386,399,
  414,428,443,459,475,491,508,526,544,563,583,603,623,645,667,690,714,738,763,789,816,844,873,903,
  933,965,998,1032,1066,1103,1140,1178,1218,1259,1302,1345,1391,1438,1486,1536,1587,1641,1696,
  1753,1811,1872,1935,1999,2066,2135,2207,2280,2356,2435,2516,2600,2687,2777,2869,2965,3063,3165,
  3271,3380,3492,3608,3728,3852,3980,4112,4249,4390,4536,4686,4842,5002,5168,5340,5517,5700,5889,
  6084,6286,6494,6709,6932,7161,7398,7643,7897,8158,8428,8707,8995,9293,9601,9918,10247,10586,
  10936,11298,11671,12057,12456,12868,13294,13733,14187,14656,15141,15641,16159,16693,17244,17814,
  18403,19011,19640,20289,20959,21652,22367,23106,23869,24658,25472,26314,27183,28081,29009,29967,
  30957,31979,33035,34126,35254,36418,37620,38863,40146,41472,42841,44256,45717,47227,48786,50397,
  52061,53780,55556,57390,59285,61242,63264,65352,67510,69739,72041,74419,76876,79414,82035,84743,
  87541,90430,93416,96499,99684,102975,106374
];

export function lowerWords(text) {
  return (text.normalize("NFC").match(TOKEN) || []).map((w) => w.toLowerCase());
}

/** (stem, folded) per query word, stop words dropped; as analysis.query_words. */
export function queryWords(text, stop) {
  return lowerWords(text).filter((w) => !stop.has(fold(w))).map((w) => [stem(w), fold(w)]);
}

// Shards are stored deflated (hosts compress JSON on the fly, but not .bin files).
async function inflate(buf) {
  const stream = new Blob([buf]).stream().pipeThrough(new DecompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function decodeShard(buf) {
  const state = { pos: 0 };
  const count = readVarint(buf, state);
  const terms = [];
  let previous = new Uint8Array(0);
  const meta = [];
  for (let i = 0; i < count; i++) {
    const shared = readVarint(buf, state);
    const length = readVarint(buf, state);
    const raw = new Uint8Array(shared + length);
    raw.set(previous.subarray(0, shared));
    raw.set(buf.subarray(state.pos, state.pos + length), shared);
    state.pos += length;
    terms.push(decoder.decode(raw));
    meta.push([readVarint(buf, state), readVarint(buf, state)]);
    previous = raw;
  }
  const byTerm = new Map();
  let pos = state.pos;
  terms.forEach((term, i) => {
    byTerm.set(term, { count: meta[i][0], bytes: buf.subarray(pos, pos + meta[i][1]) });
    pos += meta[i][1];
  });
  return { terms, byTerm };
}

// A word's own term carries its positions (title, then body) after each posting; a compound
// part's (`_raket`) none. See generator/search/shards.py.
function decodePostings(entry, categories, placed) {
  const out = [];
  const state = { pos: 0 };
  const buf = entry.bytes;
  let doc = -1;
  const places = (tf) => {
    const found = [];
    let previous = -1;
    for (let j = 0; j < tf; j++) { previous += readVarint(buf, state) + 1; found.push(previous); }
    return found;
  };
  for (let i = 0; i < entry.count; i++) {
    doc += readVarint(buf, state) + 1;
    const packed = readVarint(buf, state);
    const tfTitle = packed % 2 ? readVarint(buf, state) : 0;
    const rest = Math.floor(packed / 2);
    const tfBody = Math.floor(rest / categories);
    const category = rest % categories;
    const length = tfBody ? buf[state.pos++] : 0;
    const posting = { doc, category, tfTitle, tfBody, length };
    if (placed) { posting.title = places(tfTitle); posting.body = places(tfBody); }
    out.push(posting);
  }
  return out;
}

// Python's str order is by code point; for the BMP it equals JS's `<`.
const before = (a, b) => a < b;

function locate(entries, term) {
  // Index of the last entry whose first term <= term (entries sorted by first term).
  let lo = 0, hi = entries.length - 1, found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (!before(term, entries[mid][0])) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return found;
}

export class Search {
  constructor(manifest, fetchBytes) {
    this.m = manifest;
    this.fetchBytes = fetchBytes;
    this.stop = new Set(manifest.stop);
    this.cache = new Map();
    this.requests = 0;
    this.bytes = 0;
  }

  async load(path, kind) {
    if (!this.cache.has(path)) {
      this.cache.set(path, this.fetchBytes(path).then((buf) => {
        this.requests += 1;
        this.bytes += buf.length;
        if (kind === "bin") return inflate(buf).then(decodeShard);
        if (kind === "vocab") return inflate(buf).then((b) => decoder.decode(b).split("\n"));
        const text = decoder.decode(buf);
        return kind === "text" ? text : JSON.parse(text);
      }));
    }
    return this.cache.get(path);
  }

  // Shard entries [first, file] of a segment covering the term range [low, high].
  async shardsFor(segment, low, high) {
    let entries = segment.shards;
    if (!entries) {
      if (!segment.dirs.length) return [];
      const from = locate(segment.dirs, low), to = locate(segment.dirs, high);
      const lists = await Promise.all(segment.dirs.slice(from, to + 1)
        .map(([, file]) => this.load(file, "json")));
      entries = lists.flat();
    }
    if (!entries.length) return [];
    return entries.slice(locate(entries, low), locate(entries, high) + 1);
  }

  async shardsInRange(low, high) {
    const per = await Promise.all(this.m.segments.map((s) => this.shardsFor(s, low, high)));
    return Promise.all(per.flat().map(([, file]) => this.load(file, "bin")));
  }

  async postings(term) {
    const shards = await this.shardsInRange(term, term);
    const out = [];
    for (const shard of shards) {
      const entry = shard.byTerm.get(term);
      if (entry) out.push(...decodePostings(entry, this.m.categories.length, !term.startsWith("_")));
    }
    return out;
  }

  async completions(prefix, own) {
    const shards = await this.shardsInRange(prefix, prefix + "\uffff");
    const df = new Map();
    for (const shard of shards) {
      for (const term of shard.terms) {
        if (term.startsWith(prefix) && term !== own) {
          df.set(term, (df.get(term) || 0) + shard.byTerm.get(term).count);
        }
      }
    }
    return [...df.keys()].sort((a, b) => (df.get(b) - df.get(a)) || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, this.m.prefixMax);
  }

  async docRange(von, bis) {
    // Documents are numbered in date order: a date range is a document range.
    let low = 0, high = this.m.n;
    const firstOn = async (day, fallback) => {
      const year = String(Math.floor(day / 10000));
      const years = Object.keys(this.m.years).sort();
      for (const y of years) {
        if (y < year) continue;
        const days = await this.load(this.m.years[y], "json");
        const hit = days.find(([d]) => d >= day);
        if (hit) return hit[1];
      }
      return fallback;
    };
    if (von) low = await firstOn(von, this.m.n);
    if (bis) high = await firstOn(bis + 1, this.m.n);
    return [low, high];
  }

  /** Words [word, df class] of the archive near a stem: the files of one tier (`forward`
   * and `reverse` entries) holding the words that start with its first letters, and those
   * ending with its last (see generator/search/vocabulary.py). */
  async vocabulary(s, forward, reverse) {
    const p = probe(s);
    const chars = [...s];
    const head = chars.slice(0, p).join(""), tail = chars.slice(-p).reverse().join("");
    const pick = (entries, low) => (entries.length
      ? entries.slice(locate(entries, low), locate(entries, low + "\uffff") + 1) : []);
    const files = [...pick(forward, head).map(([, f]) => [f, false]),
      ...pick(reverse, tail).map(([, f]) => [f, true])];
    const lists = await Promise.all(files.map(([f, reversed]) => this.load(f, "vocab")
      .then((lines) => lines.map((line) => [reversed ? [...line.slice(1)].reverse().join("")
        : line.slice(1), CLASSES.indexOf(line[0])]))));
    return lists.flat();
  }

  /** The rare words near a stem: their files are listed in a file of their own. */
  async rareVocabulary(s) {
    const [forward, reverse] = await this.load(this.m.rare, "json");
    return this.vocabulary(s, forward, reverse);
  }

  /**
   * Everything a query finds: {hits: [{doc, score}] best first (or newest first with sort
   * "neueste"), counts: {category: hits} (before the category filter), corrections:
   * [{word, to}] (stems), parsed}. Semantics as generator/search/engine.py.
   */
  async query(text, { kategorie = null, von = null, bis = null, sort = "relevanz",
    prefix = true } = {}) {
    const m = this.m;
    const parsed = parseQuery(text, this.stop);
    const none = { hits: [], counts: {}, corrections: [], parsed };
    if (!parsed.words.length) return none;
    const cat = kategorie ? m.categories.indexOf(kategorie) : -1;
    if (kategorie && cat < 0) return none;
    const lastWord = parsed.words[parsed.words.length - 1];
    const expand = prefix && parsed.expand && [...lastWord.fold].length >= m.prefixMin;
    // One round for all that needs only the query: every word's shards (own term, part,
    // as typed), the excluded words', the completions' range, the year files of a date
    // filter, and the common words near each word that may be misspelled. A near common
    // word that may replace it has its postings requested as soon as those arrive, so they
    // come in the second round with the word's own. What comes after finds them cached.
    const early = Promise.all(parsed.words.flatMap((w) => [w.stem, "_" + w.stem, w.fold])
      .concat(parsed.exclude.flatMap((s) => [s, "_" + s])).map((t) => this.postings(t)));
    const range = this.docRange(day(von), day(bis));
    const common = new Map(parsed.words.filter((w) => w.plain && fit(w.stem)).map((w) => [w,
      this.vocabulary(w.stem, m.vocab, m.rvocab).then((words) => {
        const best = near(w.stem, w.fold, words);
        const own = words.find(([t]) => t === w.stem);
        if (best && (!own || wantedClass(own[1], best[1]))) {
          Promise.all([best[0], "_" + best[0]].map((t) => this.postings(t))).catch(() => {});
        }
        return words;
      })]));
    // Awaited below; marked handled now, so that a failure while the completions load is
    // the query's error, not also an unhandled rejection.
    early.catch(() => {});
    range.catch(() => {});
    for (const v of common.values()) v.catch(() => {});
    const extra = expand ? await this.completions(lastWord.fold, lastWord.stem) : [];
    await early;
    // A word matches its stem, its stem as a compound part, the word as typed where that is
    // another word's stem (Leitzins: leitzin, and leitzins from Leitzinsen), and, the last
    // one, its completions.
    const plan = parsed.words.map((w) => ({ ...w,
      terms: [[w.stem, 1], ["_" + w.stem, m.boost.part],
        ...(w.fold !== w.stem && !(w === lastWord && extra.includes(w.fold))
          ? [[w.fold, m.boost.surface]] : []),
        ...(w === lastWord ? extra.map((t) => [t, m.boost.prefix]) : [])] }));
    const [lists, gone] = await Promise.all([
      Promise.all(plan.map((w) => Promise.all(w.terms.map(([t]) => this.postings(t))))),
      Promise.all(parsed.exclude.flatMap((s) => [s, "_" + s]).map((t) => this.postings(t))),
    ]);
    const ownDf = (w) => {
      const own = lists[plan.indexOf(w)];
      return new Set([...own[0], ...own[1]].map((p) => p.doc)).size;
    };
    // Only a word in few reports may be corrected (see wanted); a near common word is taken
    // before a nearer rare one, whose files load only when nothing common is near.
    const fixable = plan.filter((w) => w.plain && fit(w.stem) && !(w === lastWord && extra.length)
      && dfClass(ownDf(w)) <= RARE);
    const corrections = [];
    for (const w of fixable) {
      let best = near(w.stem, w.fold, await common.get(parsed.words[plan.indexOf(w)]));
      if (!best && ownDf(w) === 0 && m.rare) {
        best = near(w.stem, w.fold, await this.rareVocabulary(w.stem));
      }
      if (best && wanted(ownDf(w), best[1])) {
        // The archive's word, and as a compound part, as the typed word would have matched.
        w.terms.push([best[0], m.boost.fuzzy], ["_" + best[0], m.boost.fuzzy * m.boost.part]);
        lists[plan.indexOf(w)].push(...await Promise.all([best[0], "_" + best[0]]
          .map((t) => this.postings(t))));
        corrections.push({ word: w.stem, fold: w.fold, to: best[0] });
      }
    }
    const [low, high] = await range;
    const boosts = { title: m.boost.title, body: 1 };
    const category = new Map();
    let scores = null;
    plan.forEach((w, k) => {
      const word = new Map();
      w.terms.forEach(([, weight], i) => {
        const ps = lists[k][i];
        const idfTitle = idf(m.n, ps.filter((p) => p.tfTitle > 0).length);
        const idfBody = idf(m.n, ps.filter((p) => p.tfBody > 0).length);
        for (const p of ps) {
          if (p.doc < low || p.doc >= high) continue;
          category.set(p.doc, p.category);
          let add = 0;
          if (p.tfTitle) add += bm25(idfTitle, p.tfTitle, 1, m.avg[0], 0, m.k1) * (boosts.title * weight);
          if (p.tfBody) {
            add += bm25(idfBody, p.tfBody, LENGTHS[p.length], m.avg[1], m.b, m.k1) * (boosts.body * weight);
          }
          word.set(p.doc, (word.get(p.doc) || 0) + add);
        }
      });
      if (scores === null) scores = word;
      else {
        const next = new Map();
        for (const [doc, score] of scores) if (word.has(doc)) next.set(doc, score + word.get(doc));
        scores = next;
      }
    });
    for (const ps of gone) for (const p of ps) scores.delete(p.doc);
    for (const phrase of parsed.phrases) {
      const at = phrase.map((s) => new Map(lists[plan.findIndex((w) => w.stem === s)][0]
        .map((p) => [p.doc, p])));
      for (const doc of [...scores.keys()]) {
        if (!together(phrase.map((_, i) => at[i].get(doc)))) scores.delete(doc);
      }
    }
    const counts = {};
    for (const doc of scores.keys()) {
      const name = m.categories[category.get(doc)];
      counts[name] = (counts[name] || 0) + 1;
    }
    const hits = [...scores].filter(([doc]) => cat < 0 || category.get(doc) === cat)
      .map(([doc, score]) => ({ doc, score }));
    hits.sort(sort === "neueste" ? (a, b) => b.doc - a.doc
      : (a, b) => (b.score - a.score) || (b.doc - a.doc));
    return { hits, counts, corrections, parsed, expand: expand ? lastWord.fold : "" };
  }

  /** All matches as [{doc, score}], best first (or newest first with sort "neueste"). */
  async match(text, options = {}) {
    return (await this.query(text, options)).hits;
  }

  /** What result lines show of documents: {doc, url, title, date, category, teaser,
   * sentences, photo}; photo is the thumbnail's names ({p, pw, ph}, as thumbnail.js takes them)
   * or undefined; sentences are those an excerpt is chosen from. One file per document, named
   * from its number and the manifest's tags (generator/search/results.py). */
  async documents(docs) {
    const m = this.m;
    return Promise.all(docs.map(async (doc) => {
      const [url, title, date, category, teaser, sentences, photo] =
        await this.load(resultPath(m.results, doc), "json");
      return { doc, url, title, date, category: m.categories[category], teaser, sentences, photo };
    }));
  }

  /**
   * One page of results: {total, counts, suggestion, results: [{url, title, date, category,
   * teaser, photo, score, marked, excerpt}]}; marked (the title) and excerpt are [[piece,
   * marked]] (the excerpt is the teaser when no sentence of the text matches), suggestion the
   * query with corrected words, or null.
   */
  async search(text, options = {}) {
    const { offset = 0, limit = 10 } = options;
    const found = await this.query(text, options);
    const page = found.hits.slice(offset, offset + limit);
    const docs = await this.documents(page.map((h) => h.doc));
    const texts = docs.map((d) => d.sentences);
    const stems = [...found.parsed.words.map((w) => w.stem),
      ...found.corrections.map((c) => c.to)];
    const hit = matcher(stems, found.parsed.words.map((w) => w.fold), found.expand);
    const results = docs.map(({ sentences, ...d }) => d).map((d, i) => ({ ...d,
      score: page[i].score, marked: marks(d.title, hit),
      excerpt: excerpt(texts[i], hit) || marks(d.teaser, hit) }));
    return {
      total: found.hits.length, counts: found.counts, results,
      suggestion: await this.suggestion(text, found, docs, texts),
      words: stems,
    };
  }

  /** The query with each corrected word as the archive writes it (found in a result's
   * headline or text), or null. */
  async suggestion(text, found, docs, texts) {
    if (!found.corrections.length) return null;
    let out = text;
    for (const c of found.corrections) {
      const written = (ts) => ts.join(" ").match(TOKEN)?.find((w) => stem(w.toLowerCase()) === c.to);
      let surface = docs.map((d, i) => written([d.title, ...texts[i]])).find(Boolean);
      if (!surface) { // not on this page: the newest report with the word tells
        const ps = await this.postings(c.to);
        if (ps.length) {
          const [d] = await this.documents([ps[ps.length - 1].doc]);
          surface = written([d.title, ...d.sentences]);
        }
      }
      surface = surface || c.to;
      out = out.replace(new RegExp(`[\\p{L}\\p{N}]+`, "gu"),
        (w) => (stem(w.toLowerCase()) === c.word ? surface : w));
    }
    return out;
  }
}

/** A document's result file: blocks of each tier's length, tagged in order. */
export function resultPath({ tiers, tags }, doc) {
  let start = 0;
  for (const [t, size] of tiers.entries()) {
    const block = Math.floor((doc - start) / size);
    if (block < tags[t].length) return `r/${tags[t][block]}/${doc}.json`;
    start += tags[t].length * size;
  }
  throw new RangeError(`no document ${doc}`);
}

function day(iso) {
  if (!iso) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? Number(m[1]) * 10000 + Number(m[2]) * 100 + Number(m[3]) : null;
}

function idf(n, df) {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

function bm25(idfValue, tf, length, avg, b, k1) {
  return idfValue * (tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * length / avg));
}

/** Load the manifest; `fetchBytes(path)` returns a Uint8Array for a path below search/. */
export async function init(fetchBytes) {
  const manifest = JSON.parse(decoder.decode(await fetchBytes("manifest.json")));
  const engine = new Search(manifest, fetchBytes);
  engine.requests = 1;
  return engine;
}
