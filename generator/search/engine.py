"""The whoosh index: ``meldungen search``, and the reference the browser engine is tested against.

It lives in the cache folder and follows the archive incrementally: articles are keyed by URL
with a fingerprint, so only added, changed and removed ones are written (whoosh's writer is
the slow part: some 9 s per 1,000 long articles). A missing index is built in full, with a
progress bar, only when a search asks for it; the site build never waits for it.

Query semantics (search.js implements the very same): every query word must match (AND);
a word matches through its stem, its stem as a compound part, the word as typed where that
is another word's stem (``Leitzins`` stems to ``leitzin``, ``Leitzinsen`` to ``leitzins``),
for the last word the common words starting with it (as-you-type, :func:`completions`),
and, when it is misspelled, the archive's word nearest to it (:mod:`.vocabulary`, weighed
below an exact match); quoted words must stand together (whoosh's phrase query on
positions), excluded words must not occur (:mod:`.query`). Scores are BM25 per field (title
boosted, title length not normalized), summed; ties go to the newer article. When fewer
than a page of reports hold every word of a query of several words (and no phrase), the
reports holding some follow them, the fewest missing first, each scored for the words it
holds.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
from whoosh.query import And, NumericRange, Or, Phrase, Query, Term
from whoosh.scoring import BaseScorer, WeightingModel, WeightScorer

from ..model import Site
from ..settings import Settings
from . import documents as D
from . import vocabulary
from .analysis import PART_MARK, GermanAnalyzer
from .export import cache_root
from .query import parse

FIELDS = ("title", "body")
FIELD_BOOST = {"title": D.BOOST_TITLE, "body": 1.0}
FIELD_B = {"title": 0.0, "body": D.B_BODY}


def schema() -> Schema:
    analyzer = GermanAnalyzer()
    return Schema(
        url=ID(stored=True, unique=True),
        fp=STORED,
        title=TEXT(analyzer=analyzer, phrase=True, stored=True),
        body=TEXT(analyzer=analyzer, phrase=True),
        category=ID(stored=True),
        day=NUMERIC(int, bits=32, stored=True),
        ts=NUMERIC(int, bits=64, stored=True),
    )


class MeldungenBM25(WeightingModel):
    """BM25 with the exact arithmetic of search.js (idf with +1 inside the log, never < 0)."""

    def scorer(self, searcher, fieldname: str, text: str, qf: int = 1) -> BaseScorer:
        if fieldname not in FIELD_B:  # filter terms (category): their score is never used
            return WeightScorer.for_(searcher, fieldname, text)
        return _Scorer(searcher, fieldname, text)


class _Scorer(BaseScorer):
    def __init__(self, searcher, fieldname: str, text: str):
        n = searcher.doc_count()
        df = searcher.doc_frequency(fieldname, text)
        self.idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
        self.avg = searcher.field_length(fieldname) / (n or 1)
        self.b = FIELD_B[fieldname]
        self.length = lambda docnum: searcher.doc_field_length(docnum, fieldname, 1)

    def supports_block_quality(self) -> bool:
        return False

    def score(self, matcher) -> float:
        return bm25(self.idf, matcher.weight(), self.length(matcher.id()), self.avg, self.b)


def bm25(idf: float, tf: float, length: float, avg: float, b: float) -> float:
    return idf * (tf * (D.K1 + 1)) / (tf + D.K1 * ((1 - b) + b * length / avg))


@dataclass(frozen=True, slots=True)
class Hit:
    num: int
    url: str
    title: str
    date: str
    category: str
    score: float
    missing: tuple[str, ...] = ()
    """The stems of the query's words the report lacks (empty: it holds every one)."""


def index_folder(settings: Settings) -> Path:
    return cache_root(settings) / "whoosh-8"  # 8: positions (phrases); older ones have none


def open_index(site: Site, settings: Settings, folder: Path | None = None,
               progress: Callable[[Iterable], Iterable] | None = None) -> whoosh_index.Index:
    """The whoosh index of ``site``, brought up to date (built in full only when missing)."""
    folder = folder or index_folder(settings)
    if whoosh_index.exists_in(str(folder)):
        ix = whoosh_index.open_dir(str(folder))
    else:
        folder.mkdir(parents=True, exist_ok=True)
        ix = whoosh_index.create_in(str(folder), schema())
    wanted = {a.url: (a, D.fingerprint(a).hex()) for a in site.shown}  # withdrawn: deleted
    with ix.searcher() as searcher:
        have = {f["url"]: f["fp"] for f in searcher.all_stored_fields()}
    gone = [url for url, fp in have.items() if wanted.get(url, (None, None))[1] != fp]
    new = [a for url, (a, fp) in wanted.items() if have.get(url) != fp]
    if gone or new:
        writer = ix.writer(limitmb=256)
        for url in gone:
            writer.delete_by_term("url", url)
        for article in progress(new) if progress and new else new:
            doc = D.doc_of(article, settings)
            writer.add_document(url=doc.url, fp=wanted[doc.url][1], title=doc.title,
                                body=doc.body, category=doc.category, day=doc.day,
                                ts=article.timestamp)
        writer.commit(optimize=bool(gone))  # merged segments drop deleted docs from stats
    return ix


@dataclass(slots=True)
class Plan:
    """What a query asks of the index: one Or per word, the phrase and exclusion queries, and
    the corrections made (stem typed → stem of the archive)."""
    words: list[Query]
    stems: list[str]
    phrases: list[Query]
    exclude: Query | None
    corrections: dict[str, str]


def plan(searcher, text: str, prefix: bool = True) -> Plan:
    """The same rules as ``query`` in search.js (see module doc and :mod:`.query`)."""
    parsed = parse(text)
    words, corrections = parsed.words, {}
    if not words:
        return Plan([], [], [], None, {})
    last = words[-1]
    extra = completions(searcher, last.fold, last.stem) \
        if prefix and parsed.expand and len(last.fold) >= D.PREFIX_MIN else []
    queries = []
    for word in words:
        terms = [(word.stem, 1.0), (PART_MARK + word.stem, D.BOOST_PART)]
        if word.fold != word.stem and not (word is last and word.fold in extra):
            terms.append((word.fold, D.BOOST_SURFACE))  # another word's stem (Leitzinsen)
        if word is last:
            terms += [(t, D.BOOST_PREFIX) for t in extra]
        if word.plain and vocabulary.fit(word.stem) and not (word is last and extra):
            fixed = correction(searcher, word.stem, word.fold)
            if fixed is not None:
                terms += [(fixed, D.BOOST_FUZZY), (PART_MARK + fixed, D.BOOST_FUZZY * D.BOOST_PART)]
                corrections[word.stem] = fixed
        queries.append(Or([Term(f, t, boost=FIELD_BOOST[f] * w) for t, w in terms for f in FIELDS]))
    phrases = [Or([Phrase(f, stems) for f in FIELDS]) for stems in parsed.phrases]
    gone = [Term(f, t) for s in parsed.exclude for t in (s, PART_MARK + s) for f in FIELDS]
    return Plan(queries, [w.stem for w in words], phrases, Or(gone) if gone else None,
                corrections)


def correction(searcher, stem: str, typed: str) -> str | None:
    """The archive's word a typed stem is corrected to (:mod:`.vocabulary`), or None."""
    reader = searcher.reader()
    p = vocabulary.probe(stem)
    found = set(_prefixed(reader, stem[:p])) | _suffixed(reader, stem[-p:])
    variants = vocabulary.variant_stems(typed)
    common = vocabulary.common_df(searcher.doc_count())
    near = [(t, vocabulary.df_class(df), df >= common) for t in sorted(found)
            if vocabulary.fit(t) and t != stem and vocabulary.allowed(typed, t)
            and (t in variants or vocabulary.distance(stem, t, 2) <= vocabulary.allowed(typed, t))
            for df in [len(_docs(reader, t))]]
    best = vocabulary.nearest(stem, typed, near)
    if best is None:
        return None
    own = len(_docs(reader, stem) | _docs(reader, PART_MARK + stem))
    return best[0] if vocabulary.wanted(own, best[1]) else None


def _prefixed(reader, prefix: str) -> Iterable[str]:
    for field in FIELDS:
        for term in reader.expand_prefix(field, prefix):
            yield term.decode() if isinstance(term, bytes) else term


_SUFFIXES: dict[int, dict[str, set[str]]] = {}


def _suffixed(reader, suffix: str) -> set[str]:
    """Words ending in ``suffix``: whoosh has no index by word end, so the lexicon is read
    once per reader and grouped by its last letters."""
    table = _SUFFIXES.get(id(reader))
    if table is None:
        _SUFFIXES.clear()
        table = _SUFFIXES[id(reader)] = {}
        for field in FIELDS:
            for term in reader.lexicon(field):
                text = term.decode() if isinstance(term, bytes) else term
                if vocabulary.fit(text):
                    for n in range(vocabulary.MIN_WORD, len(text) + 1):
                        table.setdefault(text[-n:], set()).add(text)
    return table.get(suffix, set())


def _docs(reader, term: str) -> set[int]:
    return {doc for field in FIELDS if (field, term) in reader
            for doc in reader.postings(field, term).all_ids()}


def completions(searcher, prefix: str, own: str) -> list[str]:
    """The PREFIX_MAX completions of ``prefix`` (not ``own``): the common words of the typo
    vocabulary (:func:`.vocabulary.common_df`) starting with it, by class of document count,
    then the shortest, then alphabetical. The browser finds them in the vocabulary files it
    reads anyway, instead of every shard of the prefix's range."""
    reader = searcher.reader()
    common = vocabulary.common_df(searcher.doc_count())
    found = {t: df for t in sorted(set(_prefixed(reader, prefix)))
             if t != own and vocabulary.fit(t) for df in [len(_docs(reader, t))] if df >= common}
    ranked = sorted(found, key=lambda t: (-vocabulary.df_class(found[t]), len(t), t))
    return ranked[: D.PREFIX_MAX]


def search(ix: whoosh_index.Index, text: str, kategorie: str | None = None,
           von: date | None = None, bis: date | None = None, sort: str = "relevanz",
           prefix: bool = True) -> list[Hit]:
    """Every match, best first (``sort="neueste"``: newest first)."""
    return query(ix, text, kategorie, von, bis, sort, prefix)[0]


def query(ix: whoosh_index.Index, text: str, kategorie: str | None = None,
          von: date | None = None, bis: date | None = None, sort: str = "relevanz",
          prefix: bool = True) -> tuple[list[Hit], dict[str, str]]:
    """(every match, the corrections made: typed stem → the archive's)."""
    with ix.searcher(weighting=MeldungenBM25()) as searcher:
        asked = plan(searcher, text, prefix)
        if not asked.words:
            return [], {}
        filters: list[Query] = []
        if von or bis:
            low = von.year * 10000 + von.month * 100 + von.day if von else None
            high = bis.year * 10000 + bis.month * 100 + bis.day if bis else None
            filters.append(NumericRange("day", low, high))
        queries = asked.words
        full = _scored(searcher, And(queries) if len(queries) > 1 else queries[0],
                       And(filters + asked.phrases) if filters or asked.phrases else None,
                       asked.exclude)
        found = {doc: (score, fields, ()) for doc, (score, fields) in full.items()}
        if len(full) < D.PARTIAL_BELOW and len(queries) > 1 and not asked.phrases:
            found |= _partial(searcher, asked, And(filters) if filters else None, set(full))
    hits = [(score, f["ts"], f["url"], f, missing) for score, f, missing in found.values()
            if not kategorie or f["category"] == kategorie]
    hits.sort(key=lambda h: (h[1], h[2]), reverse=True)  # archive order, newest first
    if sort != "neueste":
        hits.sort(key=lambda h: -h[0])  # stable: equal scores stay newest first
    hits.sort(key=lambda h: len(h[4]))  # every word first, then the fewest missing
    return [Hit(-1, url, f["title"], _iso(f["day"]), f["category"], score, missing)
            for score, _, url, f, missing in hits], asked.corrections


def _scored(searcher, q: Query, within: Query | None, mask: Query | None) -> dict:
    """docnum → (score, stored fields) of every match."""
    return {hit.docnum: (hit.score, hit.fields())
            for hit in searcher.search(q, limit=None, filter=within, mask=mask)}


def _partial(searcher, asked: Plan, within: Query | None, full: set[int]) -> dict:
    """Reports holding some of the words (not all): score summed over the words they hold,
    in the query's order, and the stems of those they miss."""
    per_word = [_scored(searcher, q, within, asked.exclude) for q in asked.words]
    out = {}
    for doc in sorted(set().union(*per_word) - full):
        held = [i for i, found in enumerate(per_word) if doc in found]
        score = 0.0
        for i in held:
            score += per_word[i][doc][0]
        out[doc] = (score, per_word[held[0]][doc][1],
                    tuple(asked.stems[i] for i in range(len(per_word)) if i not in held))
    return out


def _iso(day: int) -> str:
    return f"{day // 10000:04d}-{day // 100 % 100:02d}-{day % 100:02d}"
