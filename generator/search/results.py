"""Result files: per document, everything its line on the result page shows, in one file.

``search/r/<tag>/<doc>.json`` holds ``[url, title, date, category, teaser, sentences,
thumbnail?]``: the metadata and the sentences an excerpt is chosen from (:mod:`.passages`).
A result costs one request, and the query's third round fetches all of a page's results at
once, because the client computes the name from the document number and the manifest alone:
a lookup list of content hashes would be a round of its own.

So the names carry no content hash. The tag names the numbering instead: a hash of the
identities (URLs) of the documents in the file's block. Blocks are ``TIERS`` documents long:
the complete blocks of 2,048, then in what remains complete blocks of 128, then one block per
document, so the manifest lists a few hundred tags at a million documents and an addition
renames at most the block it completes. Whenever documents are renumbered (an older report
deleted or inserted), every block after the change gets another tag: a reader holding an old
manifest never gets another report's line under a number it knows. An edit keeps the name
and rewrites the bytes, as it does the report's own page: these files are cached like HTML,
not forever (README, "Search").
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..images import variants
from ..model import Article
from ..settings import Settings
from . import documents as D
from .shards import stable_json

TIERS = (2048, 128, 1)
"""Block lengths, largest first; each tier covers the complete blocks of what the larger
ones left."""


def tag(urls: list[str]) -> str:
    return hashlib.blake2b("\n".join(urls).encode(), digest_size=4).hexdigest()


def tags(urls: list[str]) -> list[list[str]]:
    """Per tier, the tags of its blocks in order (the manifest's ``results``)."""
    out, start = [], 0
    for size in TIERS:
        count = (len(urls) - start) // size
        out.append([tag(urls[b:b + size]) for b in range(start, start + count * size, size)])
        start += count * size
    return out


def paths(tiers: list[list[str]], before: list[list[str]] | None = None
          ) -> Iterator[tuple[str, bool]]:
    """Each document's file, in document order (search.js ``resultPath`` mirrors it), and
    whether the last build's tiers (``before``) had that file too: a block of the same tag
    and first document holds the same documents under the same numbers."""
    old = _blocks(before) if before else set()
    doc = 0
    for size, names in zip(TIERS, tiers, strict=True):
        for name in names:
            same = (name, doc) in old
            for _ in range(size):
                yield f"r/{name}/{doc}.json", same
                doc += 1


def _blocks(tiers: list[list[str]]) -> set[tuple[str, int]]:
    """(tag, first document) of every block."""
    found, doc = set(), 0
    for size, names in zip(TIERS, tiers, strict=True):
        for name in names:
            found.add((name, doc))
            doc += size
    return found


@dataclass(frozen=True, slots=True)
class Result:
    """One document's result file, made only when its key changed."""

    article: Article
    settings: Settings
    sentences: Callable[[], bytes]
    """The passage's bytes (a JSON list of sentences), from the record store."""

    def __call__(self) -> bytes:
        article, settings = self.article, self.settings
        date = D.local_day(article, settings)[1]
        category = settings.CATEGORIES.index(article.category)
        if article.withdrawn:  # an empty document: no query finds it, nothing of it shows
            return stable_json(["", "", date, category, "", []])
        row = [article.url, article.title, date, category, D.teaser(article)]
        if article.image is not None:  # the thumbnail's names (variants.Set.ref)
            return _splice(row, self.sentences(), [variants.thumb(article.image).ref()])
        return _splice(row, self.sentences(), [])


def _splice(row: list, sentences: bytes, rest: list) -> bytes:
    """``row + [sentences] + rest`` as stable JSON, the sentences' bytes as stored."""
    head = stable_json(row)[:-1]
    tail = stable_json(rest)[1:]
    return head + b"," + sentences + (b"," + tail if rest else b"]")
