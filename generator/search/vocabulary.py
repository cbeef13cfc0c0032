"""Typo tolerance: the index's words, cut into small files a misspelled word finds in one fetch.

Rule (search.js ``query`` and engine.py follow it alike): a query word's stem ``q`` may be
corrected to a word ``t`` of the archive (a stem too) when their edit distance (insertions,
deletions, substitutions and swapped neighbours count 1) is at most 1 if the longer of the
word as typed (folded) and ``t`` has 5 to 8 letters, 2 if 9 or more (none below 5), and
``t`` shares with ``q`` its first or its last :func:`probe` letters. A ``t`` that is the
stem of a word one edit from the typed one counts as one edit too: a typo in the ending
throws the stemmer off (``Luftverteidigugn`` stems to itself, not to ``luftverteid``;
``Rakteen`` to ``rakte``, not ``rak``). The best ``t`` is the nearest, then the commonest
(:func:`df_class`), then the first in alphabetical order.

Why the shared first or last letters: an edit leaves one end intact, so the words near ``q``
sort close to ``q`` or to its reverse. The archive's words are written twice, sorted
forward and by their reverse (lines reversed), each cut into files (``v/*.bin``); a lookup
reads the file of each order holding the probe's range (two edits at both ends of a word are
missed, a price for two small reads).

Two tiers: the common words (in at least :func:`common_df` reports) in small files the
manifest lists, which a query reads beside its first directory files, so that a correction's
postings load in the query's second round with its own; and the rare rest in larger files
listed in a file of their own, read only when a word matches nothing and no common word is
near. So the rule prefers a near common word to a nearer rare one.
Each line is ``<df class><word>``: a class, not a count, so adding a report rewrites only the
files of words that are new or crossed a power of four. Cut at anchors like the term shards
(:mod:`.cutting`): an addition rewrites the files around its new words, not all after them.
"""

from __future__ import annotations

import bisect
import json
import sqlite3
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

from . import analysis
from .shards import content_name, stable_json

ANCHOR = 4096
"""Rare words per file on average: a file starts at each word whose hash is 0 modulo this, so
a new word changes its own file only."""
COMMON_ANCHOR = 256
"""Common words per file on average: a query reads two of these speculatively per word, and
the manifest lists every one."""
COMMON_SHARE = 1000
"""A word is common when it is in about one report in this many (:func:`common_df`)."""
FILE_BYTES = 200_000
"""A file is cut at this size (before deflating) even between anchors (a safety bound)."""
CLASSES = "0123456789abcdefghijklmnopqrstuvwxyz"
MIN_WORD = 3


def fit(term: str) -> bool:
    """Words a typo may be corrected to: whole words (not ``_`` parts) of letters only."""
    return len(term) >= MIN_WORD and term.isalpha()


def df_class(df: int) -> int:
    """Document frequency in powers of four: 1-3 → 0, 4-15 → 1, 16-63 → 2 …"""
    return (df.bit_length() - 1) // 2 if df > 0 else -1


def allowed(typed: str, word: str) -> int:
    longest = max(len(typed), len(word))
    return 0 if longest < 5 else 1 if longest <= 8 else 2


def probe(stem: str) -> int:
    """Letters at each end a candidate must share: a third of the word, at least 3."""
    return max(3, len(stem) // 3)


def distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swapped pair counts 1), or ``limit + 1`` when
    more than ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], previous2[j - 2] + 1)
        if min(row) > limit:
            return limit + 1
        previous2, previous = previous, row
    return min(previous[-1], limit + 1)


ALPHABET = "abcdefghijklmnopqrstuvwxyz"
"""Letters a one-edit variant of a folded word may gain (folding leaves no umlaut or ß)."""


def variant_stems(typed: str) -> set[str]:
    """The stems of every word one edit from the folded word ``typed``."""
    out = set()
    for i in range(len(typed) + 1):
        out.update(typed[:i] + c + typed[i:] for c in ALPHABET)
        if i < len(typed):
            out.add(typed[:i] + typed[i + 1:])
            out.update(typed[:i] + c + typed[i + 1:] for c in ALPHABET)
            if i + 1 < len(typed):
                out.add(typed[:i] + typed[i + 1] + typed[i] + typed[i + 2:])
    return set(map(analysis.stem, out))


def near(stem: str, typed: str, words: Iterable[tuple[str, int]]) -> tuple[str, int] | None:
    """The best correction of ``stem`` (of the folded word ``typed``) among ``(word, df
    class)`` (see module doc), with its class, or None."""
    if not fit(stem):
        return None
    p = probe(stem)
    best = None
    variants: set[str] | None = None
    for word, cls in words:
        if word == stem or not (word[:p] == stem[:p] or word[-p:] == stem[-p:]):
            continue
        limit = allowed(typed, word)
        if not limit:
            continue
        d = distance(stem, word, limit)
        if d > limit:
            variants = variant_stems(typed) if variants is None else variants
            d = 1 if word in variants else d
        if d <= limit:
            key = (d, -cls, word)
            if best is None or key < best:
                best = key
    return None if best is None else (best[2], -best[1])


RARE = 1
"""The highest class of a word that may be corrected although it matches: one in fewer than
16 reports. A word found in more is taken as meant, so a query of common words loads no
vocabulary file (at 10,000 articles that was some 10 to 130 KB a query)."""


def common_df(reports: int) -> int:
    """The document count from which a word is common, for an archive of ``reports``: a
    power of two, so that it moves (and all files are cut again) only when the archive
    doubles."""
    return 1 << (max(1, reports // COMMON_SHARE).bit_length() - 1)


def nearest(stem: str, typed: str, words: Iterable[tuple[str, int, bool]]
            ) -> tuple[str, int] | None:
    """:func:`near` among the common ``(word, df class, common)``, else among the rare."""
    words = list(words)
    return (near(stem, typed, [(w, c) for w, c, common in words if common])
            or near(stem, typed, [(w, c) for w, c, common in words if not common]))


def wanted(own_df: int, best_class: int) -> bool:
    """Whether a word is corrected: it matches nothing, or it is rare and a near one is far
    commoner (16 times or more)."""
    return own_df == 0 or (df_class(own_df) <= RARE and best_class >= df_class(own_df) + 2)


# The table of words and their document counts, kept beside the records (records.py).

def schema(db: sqlite3.Connection) -> None:
    # Without rowid: a word is the key, one tree per table instead of rows plus an index
    # (counting the words was a third of the analysis' parent process).
    db.execute("CREATE TABLE IF NOT EXISTS vocab (term TEXT PRIMARY KEY, docs INT) "
               "WITHOUT ROWID")
    # The same counts by reversed word: the reverse files are recut by ranges of it.
    db.execute("CREATE TABLE IF NOT EXISTS vocab_rev (term TEXT PRIMARY KEY, docs INT) "
               "WITHOUT ROWID")
    # The files as last cut, and the words counted since with their count before: a build
    # recuts only the files around words whose line changed (a whole cut took 5 s at 10,000
    # articles, and grows with the vocabulary).
    db.execute("CREATE TABLE IF NOT EXISTS vocab_touched (term TEXT PRIMARY KEY, docs INT) "
               "WITHOUT ROWID")
    db.execute("CREATE TABLE IF NOT EXISTS vocab_files (name TEXT PRIMARY KEY, data BLOB)")
    db.execute("CREATE TABLE IF NOT EXISTS vocab_lists (id INTEGER PRIMARY KEY, lists TEXT)")


def count(db: sqlite3.Connection, documents: Counter[str], sign: int = 1) -> None:
    """Add (``sign`` 1) or take away (-1) documents per word. Rows go in key order (the
    pages they touch stay cached)."""
    words = sorted(documents)
    # Before the files were first cut (a cold build), the next cut is whole: no word's
    # count before is needed.
    if db.execute("SELECT 1 FROM vocab_lists WHERE id = 1").fetchone() is not None:
        db.executemany("INSERT OR IGNORE INTO vocab_touched VALUES "
                       "(?, COALESCE((SELECT docs FROM vocab WHERE term = ?), 0))",
                       [(w, w) for w in words])
    db.executemany("INSERT INTO vocab VALUES (?, ?) ON CONFLICT(term) DO UPDATE "
                   "SET docs = docs + excluded.docs", [(w, sign * documents[w]) for w in words])
    db.executemany("INSERT INTO vocab_rev VALUES (?, ?) ON CONFLICT(term) DO UPDATE "
                   "SET docs = docs + excluded.docs",
                   sorted((w[::-1], sign * n) for w, n in documents.items()))


def _line_class(docs: int) -> str | None:
    """What a word's line shows of its count (None: no line)."""
    return CLASSES[min(df_class(docs), len(CLASSES) - 1)] if docs > 0 else None


class Tier(NamedTuple):
    key: str
    reverse: bool
    common: bool
    every: int
    """Anchor modulus: words per file on average."""


TIERS = (Tier("vocab", False, True, COMMON_ANCHOR), Tier("rvocab", True, True, COMMON_ANCHOR),
         Tier("rare", False, False, ANCHOR), Tier("rrare", True, False, ANCHOR))


def files(db: sqlite3.Connection, reports: int) -> tuple[dict, list[str]]:
    """(the manifest's vocabulary entries, every file's name; ``vocab_files`` holds them).

    The manifest gets ``{"vocab": forward, "rvocab": reverse, "rare": list file}``: the
    common tier's entries ``[first line's word, file]``, and the file that lists the rare
    tier's ``[forward, reverse]``. Only the files around words whose line changed since the
    last call are cut again (all of them when the threshold moved), equal to a whole cut."""
    threshold = common_df(reports)
    touched = db.execute("SELECT t.term, t.docs, COALESCE(v.docs, 0) FROM vocab_touched t "
                         "LEFT JOIN vocab v ON v.term = t.term").fetchall()
    db.execute("DELETE FROM vocab_touched")
    kept = db.execute("SELECT lists FROM vocab_lists WHERE id = 1").fetchone()
    state = json.loads(kept[0]) if kept is not None else {}
    changed = [(term, a, b) for term, a, b in touched
               if _line(a, threshold) != _line(b, threshold)]
    whole = state.get("threshold") != threshold or "cuts" not in state
    if not whole and not changed:
        return state["manifest"], state["names"]
    cuts: dict[str, list[list[str]]] = {t.key: [] if whole else state["cuts"][t.key]
                                        for t in TIERS}
    def out(name: str, data: bytes) -> None:
        db.execute("INSERT OR IGNORE INTO vocab_files VALUES (?, ?)", (name, data))

    for tier in TIERS:
        spans = [(0, 0)] if whole else _spans(cuts[tier.key], tier, [
            term[::-1] if tier.reverse else term for term, a, b in changed
            if _in(a, tier, threshold) or _in(b, tier, threshold)])
        for start, end in reversed(spans):
            entries = cuts[tier.key]
            low = entries[start][0] if start < len(entries) and start > 0 else None
            high = entries[end][0] if end < len(entries) else None
            entries[start:end] = _cut(_rows(db, tier, threshold, low, high), out, tier.every)
    lists = stable_json([cuts["rare"], cuts["rrare"]])
    listing = content_name("v", lists, ".json")
    out(listing, lists)
    manifest = {"vocab": cuts["vocab"], "rvocab": cuts["rvocab"], "rare": listing}
    names = sorted({name for tier in TIERS for _, name in cuts[tier.key]} | {listing})
    db.executemany("DELETE FROM vocab_files WHERE name = ?",
                   [(n,) for n in sorted(set(state.get("names", [])) - set(names))])
    db.execute("INSERT OR REPLACE INTO vocab_lists VALUES (1, ?)", (json.dumps(
        {"threshold": threshold, "cuts": cuts, "manifest": manifest, "names": names}),))
    return manifest, names


def _in(docs: int, tier: Tier, threshold: int) -> bool:
    return docs >= threshold if tier.common else 0 < docs < threshold


def _spans(entries: list[list[str]], tier: Tier, keys: list[str]) -> list[tuple[int, int]]:
    """The runs of files (start, end) to cut again around ``keys``: from the file holding a
    key back to one that starts at an anchor (a file cut for size depends on what went before;
    a removed anchor's words join the file before), forward to the next that does."""
    if not entries:
        return [(0, 0)] if keys else []
    firsts = [first for first, _ in entries]
    spans: list[tuple[int, int]] = []
    for key in sorted(set(keys)):
        at = max(0, bisect.bisect_right(firsts, key) - 1)
        start = at - 1 if at > 0 and firsts[at] == key else at
        while start > 0 and not anchor(firsts[start], tier.every):
            start -= 1
        end = at + 1
        while end < len(firsts) and not anchor(firsts[end], tier.every):
            end += 1
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def _rows(db: sqlite3.Connection, tier: Tier, threshold: int, low: str | None,
          high: str | None) -> Iterator[tuple[str, str]]:
    """The tier's (word, class letter) from ``low`` up to ``high`` (None: no bound), read as
    they are cut (a whole cut at a million reports would otherwise hold millions)."""
    table = "vocab_rev" if tier.reverse else "vocab"
    where = ["docs >= ?" if tier.common else "docs > 0 AND docs < ?"]
    args: list[object] = [threshold]
    if low is not None:
        where.append("term >= ?")
        args.append(low)
    if high is not None:
        where.append("term < ?")
        args.append(high)
    for term, docs in db.execute(
            f"SELECT term, docs FROM {table} WHERE {' AND '.join(where)} ORDER BY term", args):
        yield term, _line_class(docs)


def _line(docs: int, threshold: int) -> tuple[str | None, bool]:
    """A word's line and its tier."""
    return _line_class(docs), docs >= threshold


def _cut(rows: Iterable[tuple[str, str]], out: Callable[[str, bytes], None], every: int
         ) -> list[list[str]]:
    """Files of ``rows`` (word, class letter), cut at anchors and at FILE_BYTES."""
    result: list[list[str]] = []
    batch: list[str] = []
    size = 0
    first = ""

    def flush() -> None:
        data = zlib.compress("\n".join(batch).encode(), 9)
        name = content_name("v", data, ".bin")
        out(name, data)
        result.append([first, name])

    for term, cls in rows:
        if batch and (size >= FILE_BYTES or anchor(term, every)):
            flush()
            batch, size = [], 0
        if not batch:
            first = term
        batch.append(cls + term)
        size += len(term) + 2
    if batch:
        flush()
    return result


def anchor(term: str, every: int = ANCHOR) -> bool:
    return zlib.crc32(term.encode()) % every == 0
