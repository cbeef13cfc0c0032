// The archive's search engine: loads search/manifest.json, fetches only the shards a query
// needs and the result files of the results it shows. Runs unchanged in the browser and in
// Node 20 (search-cli.mjs); the only I/O is the `fetchBytes` function given to `init`.
// Semantics and arithmetic equal generator/search/engine.py (whoosh), which the test suite
// checks: every word must match (its stem, its stem as a compound part, and for the last
// word the commonest completions), BM25 per field, title boosted, ties to the newer article;
// when too few reports hold every word, those holding some follow them.

import { stem, fold } from "./search-stemmer.js";
import { decodeInto, decodeShard, inflate, locate, postingsOf } from "./search-format.js";
import { Ranking, combine, scoreWords } from "./search-rank.js";
import { RARE, dfClass, excerpt, fit, marks, matcher, near, parseQuery, probe, toHtml, wanted,
  wantedClass } from "./search-query.js";

export { stem, fold, parseQuery, toHtml };
const CLASSES = "0123456789abcdefghijklmnopqrstuvwxyz";

const decoder = new TextDecoder();
const TOKEN = /[\p{L}\p{N}]+/gu;

export function lowerWords(text) {
  return (text.normalize("NFC").match(TOKEN) || []).map((w) => w.toLowerCase());
}

/** (stem, folded) per query word, stop words dropped; as analysis.query_words. */
export function queryWords(text, stop) {
  return lowerWords(text).filter((w) => !stop.has(fold(w))).map((w) => [stem(w), fold(w)]);
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
        if (kind === "places") return inflate(buf);
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

  // A correction of a typo in a word's last letters sorts next to the word; where a
  // directory file's border lies that close, the neighbour loads in the first round too.
  neighbours(term) {
    if ([...term].length < 5) return; // too short to be corrected (allowed)
    const shared = (a, b) => { let i = 0; while (i < a.length && a[i] === b[i]) i += 1; return i; };
    for (const { dirs } of this.m.segments) {
      if (!dirs || !dirs.length) continue;
      const at = locate(dirs, term);
      for (const i of [at, at + 1]) {
        if (i > 0 && i < dirs.length && shared(term, dirs[i][0]) >= term.length - 2) {
          for (const [, file] of [dirs[i - 1], dirs[i]]) this.load(file, "json").catch(() => {});
        }
      }
    }
  }

  // [shard, its positions file or null] per shard covering [low, high]; the positions
  // file (`p/…`, named as its shard `s/…`) loads beside the shard when `placed`.
  async shardsInRange(low, high, placed = false) {
    const per = await Promise.all(this.m.segments.map((s) => this.shardsFor(s, low, high)));
    return Promise.all(per.flat().map(([, file]) => Promise.all([this.load(file, "bin"),
      placed ? this.load(`p/${file.slice(2)}`, "places") : null])));
  }

  // A term's postings, decoded once per query (`seen`: its terms so far) and with positions
  // only for a phrase's words (`placed`). Queries in flight at once each have their own.
  postings(term, { seen = new Map(), placed = new Set() } = {}) {
    if (!seen.has(term)) {
      const keep = placed.has(term);
      seen.set(term, this.shardsInRange(term, term, keep).then((shards) => {
        const found = shards.map(([shard, places]) => [shard.get(term), places])
          .filter(([entry]) => entry);
        const out = postingsOf(found.reduce((sum, [e]) => sum + e.count, 0), keep);
        for (const [entry, places] of found) {
          decodeInto(out, entry, this.m.categories.length, places);
        }
        return out;
      }));
    }
    return seen.get(term);
  }

  /** The last word's completions: the archive's common words (the typo vocabulary's first
   * tier) starting with it, the commonest class first, then the shortest; their directory
   * files load beside the vocabulary, so their shards come in the next round. */
  async completions(prefix, own) {
    const dirs = Promise.all(this.m.segments.map((s) => this.shardsFor(s, prefix,
      prefix + "\uffff")));
    const words = await this.vocabulary(prefix, this.m.vocab, []);
    await dirs;
    const length = (t) => [...t].length;
    return words.filter(([t]) => t.startsWith(prefix) && t !== own)
      .sort(([a, ca], [b, cb]) => (cb - ca) || (length(a) - length(b)) || (a < b ? -1 : a > b))
      .slice(0, this.m.prefixMax).map(([t]) => t);
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
   * Everything a query finds: {ranking (the hits, see Ranking), complete (how many hold
   * every word), counts: {category: hits} (before the category filter), corrections:
   * [{word, to}] (stems), parsed}. Semantics as generator/search/engine.py.
   */
  async query(text, { kategorie = null, von = null, bis = null, sort = "relevanz",
    prefix = true } = {}) {
    const m = this.m;
    const parsed = parseQuery(text, this.stop);
    const terms = { seen: new Map(), placed: new Set(parsed.phrases.flat()) };
    const postings = (t) => this.postings(t, terms);
    const none = { ranking: new Ranking([], null, null, [], false), complete: 0, counts: {},
      corrections: [], parsed };
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
      .concat(parsed.exclude.flatMap((s) => [s, "_" + s])).map((t) => postings(t)));
    const range = this.docRange(day(von), day(bis));
    const fixable = parsed.words.filter((w) => w.plain && fit(w.stem));
    for (const w of fixable) this.neighbours(w.stem);
    const common = new Map(fixable.map((w) => [w,
      this.vocabulary(w.stem, m.vocab, m.rvocab).then((words) => {
        const own = words.find(([t]) => t === w.stem);
        if (own && own[1] > RARE) return words; // too common to be corrected
        const best = near(w.stem, w.fold, words);
        if (best && (!own || wantedClass(own[1], best[1]))) {
          Promise.all([best[0], "_" + best[0]].map((t) => postings(t))).catch(() => {});
        }
        return words;
      })]));
    // Awaited below; marked handled now, so that a failure while the completions load is
    // the query's error, not also an unhandled rejection.
    early.catch(() => {});
    range.catch(() => {});
    for (const v of common.values()) v.catch(() => {});
    const extra = expand ? await this.completions(lastWord.fold, lastWord.stem) : [];
    for (const t of extra) postings(t).catch(() => {}); // beside the words' own shards
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
      Promise.all(plan.map((w) => Promise.all(w.terms.map(([t]) => postings(t))))),
      Promise.all(parsed.exclude.flatMap((s) => [s, "_" + s]).map((t) => postings(t))),
    ]);
    // Reports with the word or it as a part: exact below 16, where correcting is decided,
    // a lower bound above (counting a common word's thousands cost a query milliseconds).
    const ownDf = (w) => {
      const [stemmed, part] = lists[plan.indexOf(w)];
      if (Math.max(stemmed.n, part.n) >= 16) return Math.max(stemmed.n, part.n);
      return new Set([...stemmed.doc, ...part.doc]).size;
    };
    // Only a word in few reports may be corrected (see wanted); a near common word is taken
    // before a nearer rare one, whose files load only when nothing common is near.
    const rare = plan.filter((w) => w.plain && fit(w.stem) && !(w === lastWord && extra.length)
      && dfClass(ownDf(w)) <= RARE);
    const corrections = [];
    for (const w of rare) {
      let best = near(w.stem, w.fold, await common.get(parsed.words[plan.indexOf(w)]));
      if (!best && ownDf(w) === 0 && m.rare) {
        best = near(w.stem, w.fold, await this.rareVocabulary(w.stem));
      }
      if (best && wanted(ownDf(w), best[1])) {
        // The archive's word, and as a compound part, as the typed word would have matched.
        w.terms.push([best[0], m.boost.fuzzy], ["_" + best[0], m.boost.fuzzy * m.boost.part]);
        lists[plan.indexOf(w)].push(...await Promise.all([best[0], "_" + best[0]]
          .map((t) => postings(t))));
        corrections.push({ word: w.stem, fold: w.fold, to: best[0] });
      }
    }
    const [low, high] = await range;
    const category = new Uint8Array(m.n);
    const words = scoreWords(m, plan.map((w, k) => ({ stem: w.stem, terms: w.terms,
      postings: lists[k] })), low, high, category);
    const phrases = parsed.phrases.map((phrase) => phrase.map((s) =>
      lists[plan.findIndex((w) => w.stem === s)][0]));
    const { kept, complete, total, missing } = combine(m, words, gone, phrases);
    const perCategory = new Int32Array(m.categories.length);
    for (const doc of kept) perCategory[category[doc]] += 1;
    const counts = Object.fromEntries(m.categories.map((name, i) => [name, perCategory[i]])
      .filter(([, n]) => n));
    const hits = cat < 0 ? kept : kept.filter((doc) => category[doc] === cat);
    const ranking = new Ranking(hits, total, missing, words, sort === "neueste");
    return { ranking, complete, counts, corrections, parsed, terms,
      expand: expand ? lastWord.fold : "" };
  }

  /** All matches as [{doc, score, missing}] in rank order (see Ranking). */
  async match(text, options = {}) {
    return (await this.query(text, options)).ranking.top(Infinity);
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
   * One page of results: {total, complete, counts, suggestion, results: [{url, title, date,
   * category, teaser, photo, score, marked, excerpt, missing}]}; marked (the title) and
   * excerpt are [[piece, marked]] (the excerpt is the teaser when no sentence of the text
   * matches), missing the query's words a result lacks (as typed; see Ranking), suggestion
   * the query with corrected words, or null.
   */
  async search(text, options = {}) {
    const { offset = 0, limit = 10 } = options;
    const found = await this.query(text, options);
    const page = found.ranking.top(offset + limit).slice(offset);
    const docs = await this.documents(page.map((h) => h.doc));
    const texts = docs.map((d) => d.sentences);
    const stems = [...found.parsed.words.map((w) => w.stem),
      ...found.corrections.map((c) => c.to)];
    const hit = matcher(stems, found.parsed.words.map((w) => w.fold), found.expand);
    const results = docs.map(({ sentences, ...d }) => d).map((d, i) => ({ ...d,
      score: page[i].score, marked: marks(d.title, hit),
      excerpt: excerpt(texts[i], hit) || marks(d.teaser, hit),
      missing: page[i].missing.map((w) => typed(text, w.stem)) }));
    return {
      total: found.ranking.length, complete: found.complete, counts: found.counts, results,
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
        const ps = await this.postings(c.to, found.terms);
        if (ps.n) {
          const [d] = await this.documents([ps.doc[ps.n - 1]]);
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

/** The word of the query text whose stem is `s` (as the reader typed it). */
function typed(text, s) {
  return text.match(TOKEN)?.find((w) => stem(w.toLowerCase()) === s) || s;
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

/** Load the manifest; `fetchBytes(path)` returns a Uint8Array for a path below search/. */
export async function init(fetchBytes) {
  const manifest = JSON.parse(decoder.decode(await fetchBytes("manifest.json")));
  const engine = new Search(manifest, fetchBytes);
  engine.requests = 1;
  return engine;
}
