"""The static search index under ``search/``: postings straight from the analyzer, no whoosh writer.

Layout (all names but the manifest carry a content hash, so hosts may cache them forever):

- ``search/manifest.json``: stats, scoring parameters, stop words, categories, the segments
  and the names of the small directory files. Its size grows with years and categories,
  not with articles (one directory per ~250 shards, one meta list per 32,768 articles).
- segments: ``main`` (documents ``0..M``) lists directory files ``d/*.json`` (first term →
  shard); ``tail`` (``M..N``, the recent additions) lists its few shards inline. Adding an
  article rewrites the tail, the manifest and the last metadata chunk, never main's shards;
  when the tail outgrows ``SEARCH_TAIL_DOCS`` the next build merges it into main (Lucene's
  segment merging, with two tiers). Main is reused from the cache folder while its
  articles are unchanged, so an incremental build analyzes only the tail.
- ``s/*.bin``: term shards (see :mod:`.shards`), terms sorted so that a prefix lives in one
  or two neighbouring shards.
- ``m/<chunk>.<hash>.json``: metadata of 32 consecutive documents (no file per article);
  ``md/*.txt`` lists the chunk hashes, 1,024 per file.
- ``y/*.json``: per year, the first document of each day, fetched only for date filters.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .. import cache as build_cache
from ..model import Site
from ..settings import Settings
from . import documents as D
from .analysis import STOP_WORDS, GermanAnalyzer
from .shards import PostingsBuilder, content_name, shards, stable_json

log = logging.getLogger("meldungen")
FORMAT = 1
"""Bumped whenever analysis or file formats change: old caches are then ignored."""
PREFIX = "search"
METAS_PER_LIST = 1024
SHARDS_PER_DIR = 256


@dataclass(slots=True)
class Segment:
    start: int
    end: int
    files: dict[str, bytes] = field(default_factory=dict)
    entries: list[list[str]] = field(default_factory=list)
    """Main: [first term, directory file]; tail: [first term, shard file]."""
    title_total: int = 0
    body_total: int = 0


def analyze_segment(site: Site, settings: Settings, start: int, end: int,
                    compounds: bool = True) -> PostingsBuilder:
    """Analyze documents ``start..end`` one by one into encoded postings."""
    analyzer = GermanAnalyzer(compounds)
    categories = {name: i for i, name in enumerate(settings.CATEGORIES)}
    builder = PostingsBuilder(len(categories))
    for article in site.articles[start:end]:
        doc = D.doc_of(article, settings)
        title = [t.text for t in analyzer(doc.title, mode="index")]
        body = [t.text for t in analyzer(doc.body, mode="index")]
        builder.add(doc.num, categories[doc.category], title, body)
    return builder


def build_segment(builder: PostingsBuilder, start: int, end: int, target: int,
                  directories: bool) -> Segment:
    segment = Segment(start, end, title_total=builder.title_total, body_total=builder.body_total)
    listed: list[list[str]] = []
    for first, data in shards(builder.sorted_items(), target):
        name = content_name("s", data, ".bin")
        segment.files[name] = data
        listed.append([first, name])
    if not directories:
        segment.entries = listed
        return segment
    for i in range(0, len(listed), SHARDS_PER_DIR):
        data = stable_json(listed[i : i + SHARDS_PER_DIR])
        name = content_name("d", data, ".json")
        segment.files[name] = data
        segment.entries.append([listed[i][0], name])
    return segment


def files(site: Site, settings: Settings) -> Iterator[tuple[str, bytes]]:
    """Every file of the static index, paths relative to the output folder."""
    n = len(site.articles)
    chunk = settings.SEARCH_CHUNK_DOCS
    cache = _cache_folder(settings)
    main = _cached_main(cache, settings, site)
    if main is None or n - main.end > settings.SEARCH_TAIL_DOCS:
        end = n - n % chunk  # main ends on a chunk boundary: its chunks never change
        builder = analyze_segment(site, settings, 0, end)
        main = build_segment(builder, 0, end, settings.SEARCH_SHARD_BYTES, directories=True)
        _store_main(cache, settings, main, _digest(site, end))
    tail_builder = analyze_segment(site, settings, main.end, n)
    tail = build_segment(tail_builder, main.end, n, settings.SEARCH_SHARD_BYTES, directories=False)
    for segment in (main, tail):
        for name, data in sorted(segment.files.items()):
            yield f"{PREFIX}/{name}", data
    meta_lists = []
    hashes = []
    for start in range(0, n, chunk):
        data = _meta_chunk(site, settings, start, min(start + chunk, n))
        name = content_name("m", data, ".json")
        hashes.append(name[2:10])
        yield f"{PREFIX}/m/{start // chunk}.{name[2:10]}.json", data
    for i in range(0, len(hashes), METAS_PER_LIST):
        data = "".join(hashes[i : i + METAS_PER_LIST]).encode()
        name = content_name("md", data, ".txt")
        meta_lists.append(name)
        yield f"{PREFIX}/{name}", data
    years = {}
    for year, data in _calendar(site, settings):
        name = content_name("y", data, ".json")
        years[str(year)] = name
        yield f"{PREFIX}/{name}", data
    yield f"{PREFIX}/manifest.json", stable_json({
        "v": FORMAT,
        "n": n,
        "avg": [(main.title_total + tail.title_total) / (n or 1),
                (main.body_total + tail.body_total) / (n or 1)],
        "k1": D.K1,
        "b": D.B_BODY,
        "boost": {"title": D.BOOST_TITLE, "part": D.BOOST_PART, "prefix": D.BOOST_PREFIX},
        "prefixMin": D.PREFIX_MIN,
        "prefixMax": D.PREFIX_MAX,
        "categories": list(settings.CATEGORIES),
        "stop": sorted(STOP_WORDS),
        "chunk": chunk,
        "metaPerList": METAS_PER_LIST,
        "meta": meta_lists,
        "years": years,
        "segments": [
            {"from": main.start, "to": main.end, "dirs": main.entries},
            {"from": tail.start, "to": tail.end, "shards": tail.entries},
        ],
    })


def _meta_chunk(site: Site, settings: Settings, start: int, end: int) -> bytes:
    categories = {name: i for i, name in enumerate(settings.CATEGORIES)}
    rows = []
    for article in site.articles[start:end]:
        date = D.local_day(article, settings)[1]
        rows.append([article.url, article.title, date, categories[article.category],
                     D.teaser(article)])
    return stable_json(rows)


def _calendar(site: Site, settings: Settings) -> Iterator[tuple[int, bytes]]:
    """Per year: [[YYYYMMDD, first document of that day], ...]."""
    current, days, last = None, [], None
    for article in site.articles:
        day = D.local_day(article, settings)[0]
        if day // 10000 != current:
            if current is not None:
                yield current, stable_json(days)
            current, days = day // 10000, []
        if day != last:
            days.append([day, article.index])
            last = day
    if current is not None:
        yield current, stable_json(days)


def _digest(site: Site, end: int) -> str:
    digest = hashlib.sha1()
    for article in site.articles[:end]:
        digest.update(D.fingerprint(article))
    return digest.hexdigest()


def cache_root(settings: Settings) -> Path:
    """The build cache's ``search`` folder (whoosh index, static main segment)."""
    return build_cache.location(settings) / "search"


def _cache_folder(settings: Settings) -> Path:
    return cache_root(settings) / "static"


def _state_key(settings: Settings) -> dict:
    return {"format": FORMAT, "categories": list(settings.CATEGORIES),
            "shard": settings.SEARCH_SHARD_BYTES, "chunk": settings.SEARCH_CHUNK_DOCS}


def _cached_main(cache: Path, settings: Settings, site: Site) -> Segment | None:
    """The previous build's main segment, if its articles are exactly the first ones now."""
    try:
        state = json.loads((cache / "state.json").read_text(encoding="utf-8"))
        if state["key"] != _state_key(settings):
            return None
        end = state["end"]
        if end > len(site.articles) or state["digest"] != _digest(site, end):
            return None
        segment = Segment(0, end, entries=state["entries"], title_total=state["title_total"],
                          body_total=state["body_total"])
        for name in state["files"]:
            segment.files[name] = (cache / "files" / name).read_bytes()
        return segment
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _store_main(cache: Path, settings: Settings, main: Segment, digest: str) -> None:
    """Keep main for the next build; a cache that cannot be written only costs time."""
    try:
        shutil.rmtree(cache, ignore_errors=True)
        cache.mkdir(parents=True, exist_ok=True)
        for name, data in main.files.items():
            target = cache / "files" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        state = {"key": _state_key(settings), "end": main.end, "entries": main.entries,
                 "title_total": main.title_total, "body_total": main.body_total,
                 "files": sorted(main.files), "digest": digest}
        (cache / "state.json").write_text(json.dumps(state), encoding="utf-8")
    except OSError as exc:
        log.warning("search cache %s not written: %s", cache, exc)
