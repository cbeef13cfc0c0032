"""The whoosh index: ``meldungen search``, and the reference the browser engine is tested against.

It lives in the cache folder and follows the archive incrementally: articles are keyed by URL
with a fingerprint, so only added, changed and removed ones are written (whoosh's writer is
the slow part: some 9 s per 1,000 long articles). A missing index is built in full, with a
progress bar, only when a search asks for it; the site build never waits for it.

Query semantics (search.js implements the very same): every query word must match (AND);
a word matches through its stem, its stem as a compound part, and, for the last word, the
commonest terms starting with it (as-you-type). Scores are BM25 per field (title boosted,
title length not normalized), summed; ties go to the newer article.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
from whoosh.query import And, NumericRange, Or, Query, Term
from whoosh.scoring import BaseScorer, WeightingModel, WeightScorer

from ..model import Site
from ..settings import Settings
from . import documents as D
from .analysis import PART_MARK, GermanAnalyzer, query_words
from .export import cache_root

FIELDS = ("title", "body")
FIELD_BOOST = {"title": D.BOOST_TITLE, "body": 1.0}
FIELD_B = {"title": 0.0, "body": D.B_BODY}


def schema() -> Schema:
    analyzer = GermanAnalyzer()
    return Schema(
        url=ID(stored=True, unique=True),
        fp=STORED,
        title=TEXT(analyzer=analyzer, phrase=False, stored=True),
        body=TEXT(analyzer=analyzer, phrase=False),
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


def index_folder(settings: Settings) -> Path:
    return cache_root(settings) / "whoosh"


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


def word_queries(searcher, text: str, prefix: bool = True) -> list[Query]:
    """One Or per query word (see module doc); the same rules as ``queryPlan`` in search.js."""
    words = query_words(text)
    if not words:
        return []
    last_stem, last_fold = words[-1]
    expand = prefix and not text[-1:].isspace() and len(last_fold) >= D.PREFIX_MIN
    plan: dict[str, list[str]] = {}
    for stem, _ in words:
        plan.setdefault(stem, [])
    if expand:
        plan[last_stem] = completions(searcher, last_fold, last_stem)
    queries = []
    for stem, extra in plan.items():
        terms = [(stem, 1.0), (PART_MARK + stem, D.BOOST_PART)]
        terms += [(t, D.BOOST_PREFIX) for t in extra]
        queries.append(Or([Term(f, t, boost=FIELD_BOOST[f] * w) for t, w in terms for f in FIELDS]))
    return queries


def completions(searcher, prefix: str, own: str) -> list[str]:
    """The PREFIX_MAX commonest whole-word terms starting with ``prefix`` (not ``own``)."""
    reader = searcher.reader()
    found: dict[str, set[int]] = {}
    for field in FIELDS:
        for term in reader.expand_prefix(field, prefix):
            text = term.decode() if isinstance(term, bytes) else term
            if text != own:
                found.setdefault(text, set()).update(reader.postings(field, text).all_ids())
    ranked = sorted(found, key=lambda t: (-len(found[t]), t))
    return ranked[: D.PREFIX_MAX]


def search(ix: whoosh_index.Index, text: str, kategorie: str | None = None,
           von: date | None = None, bis: date | None = None, sort: str = "relevanz",
           prefix: bool = True) -> list[Hit]:
    """Every match, best first (``sort="neueste"``: newest first)."""
    with ix.searcher(weighting=MeldungenBM25()) as searcher:
        queries = word_queries(searcher, text, prefix)
        if not queries:
            return []
        filters: list[Query] = []
        if kategorie:
            filters.append(Term("category", kategorie))
        if von or bis:
            low = von.year * 10000 + von.month * 100 + von.day if von else None
            high = bis.year * 10000 + bis.month * 100 + bis.day if bis else None
            filters.append(NumericRange("day", low, high))
        results = searcher.search(And(queries) if len(queries) > 1 else queries[0], limit=None,
                                  filter=And(filters) if filters else None)
        hits = []
        for hit in results:
            fields = hit.fields()
            hits.append((hit.score, fields["ts"], fields["url"], fields))
    hits.sort(key=lambda h: (h[1], h[2]), reverse=True)  # archive order, newest first
    if sort != "neueste":
        hits.sort(key=lambda h: -h[0])  # stable: equal scores stay newest first
    return [Hit(-1, url, f["title"], _iso(f["day"]), f["category"], score)
            for score, _, url, f in hits]


def _iso(day: int) -> str:
    return f"{day // 10000:04d}-{day // 100 % 100:02d}-{day % 100:02d}"
