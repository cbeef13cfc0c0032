"""One article → its search record, packed: what the analysis workers compute (:mod:`.records`
stores it).

A record holds per term (sorted) the encoded posting payload without the document gap (see
:mod:`.shards`) and the lengths of the two fields; packed, it is cut into term ranges
(``BOUNDS``) so that a segment is assembled one range at a time.
"""

from __future__ import annotations

import bisect
import marshal
from collections import Counter
from functools import lru_cache
from pathlib import Path

from whoosh.util.numeric import length_to_byte

from ..model import Article
from ..settings import Settings
from . import analysis
from . import documents as D
from .analysis import PART_MARK, index_terms_and_stems
from .lexicons import stored_lexicon
from .passages import passage_file
from .varints import varint
from .vocabulary import MIN_WORD

Record = tuple[int, int, tuple[str, ...], tuple[bytes, ...]]
"""(title terms, body terms, sorted terms, payload per term)."""
BOUNDS = ("_ja", "_tr", "aug", "dab", "eur", "gle", "kir", "mit", "rau", "sta", "ver")
"""Term ranges of about equal posting mass in German news (measured on a generated archive).
They only balance memory: the index files do not depend on them."""
RANGES = len(BOUNDS) + 1


def bucket(term: str) -> int:
    return bisect.bisect_right(BOUNDS, term)


@lru_cache(maxsize=65_536)  # a few small counts, one category and length per document
def payload(tf_title: int, tf_body: int, category: int, categories: int, length: int) -> bytes:
    """A posting without its gap and positions: ``(tf_body × C + category) << 1 | in_title``,
    tf_title, length."""
    out = bytearray()
    varint(((tf_body * categories + category) << 1) | (tf_title > 0), out)
    if tf_title:
        varint(tf_title, out)
    if tf_body:
        out.append(length)
    return bytes(out)


def _encoded(value: int) -> bytes:
    out = bytearray()
    varint(value, out)
    return bytes(out)


_VARINTS = tuple(_encoded(i) for i in range(1 << 14))
"""Every one- and two-byte varint, ready (a position is below 16,384 but in huge bodies)."""


def positions(places: list[int]) -> bytes:
    """Word positions as gaps (first, then each minus the one before minus 1)."""
    if len(places) == 1 and places[0] < 1 << 14:
        return _VARINTS[places[0]]  # most words occur once in a field
    out, previous = [], -1
    for place in places:
        gap = place - previous - 1
        out.append(_VARINTS[gap] if gap < 1 << 14 else _encoded(gap))
        previous = place
    return b"".join(out)


def _places(stems: list[str]) -> dict[str, list[int]]:
    """Each term's positions among the kept words."""
    found: dict[str, list[int]] = {}
    for place, term in enumerate(stems):
        at = found.get(term)
        if at is None:
            found[term] = [place]
        else:
            at.append(place)
    return found


Packed = tuple[str, int, int, list[tuple[int, bytes]], tuple[str, ...], tuple[str, bytes]]
"""(sha, title terms, body terms, [(range, packed terms and payloads)], its words for the
typo dictionary, its passage (key, bytes))."""


class Analyze:
    """Article → packed record; picklable, for the workers of :func:`..parallel.map_fresh`."""

    def __init__(self, settings: Settings, compounds: bool = True,
                 lexicon_file: Path | None = None):
        """``lexicon_file``: the record database a worker reads the lexicon from."""
        self.settings, self.compounds, self.lexicon_file = settings, compounds, lexicon_file
        self.categories = {name: i for i, name in enumerate(settings.CATEGORIES)}

    def __getstate__(self) -> dict:
        # Sent to each worker of parallel.map_fresh once, with the lexicon when this process
        # has it loaded (5 MB pickled), else the worker reads it from ``lexicon_file``: either
        # is faster than reading and folding the package's list (seconds).
        lexicon = analysis.uses_lexicon()
        return {**self.__dict__, "lexicon": lexicon if isinstance(lexicon, frozenset) else None}

    def __setstate__(self, state: dict) -> None:
        lexicon = state.pop("lexicon")
        if lexicon is None and state["lexicon_file"] is not None:
            lexicon = stored_lexicon(state["lexicon_file"])
        if lexicon is not None:
            analysis.use_lexicon(lexicon)
        self.__dict__.update(state)

    def record(self, article: Article, plain: tuple[str, str] | None = None) -> Record:
        """``plain``: :func:`.documents.plain_texts` of the article, if the caller has it."""
        if article.withdrawn:
            # An empty document: it keeps its place (no renumbering), and no word of it stays.
            return 0, 0, (), ()
        title, title_stems = index_terms_and_stems(article.title, self.compounds)
        body, body_stems = index_terms_and_stems(D.body_text(article, plain), self.compounds)
        tf_title, tf_body = Counter(title), Counter(body)
        # A word's positions (phrases): its own stem's places among the kept words; compound
        # parts (``_raket``) carry none, a phrase matches whole words. (Counter.get, not [],
        # and no helper calls per term: this loop was half of an article's analysis.)
        at_title, at_body = _places(title_stems), _places(body_stems)
        length = length_to_byte(len(body))
        category, count = self.categories[article.category], len(self.categories)
        terms = tuple(sorted(tf_title.keys() | tf_body.keys()))
        payloads = []
        for term in terms:
            data = payload(tf_title.get(term, 0), tf_body.get(term, 0), category, count, length)
            if term[:1] != PART_MARK:
                found = at_title.get(term)
                if found is not None:
                    data += positions(found)
                found = at_body.get(term)
                if found is not None:
                    data += positions(found)
            payloads.append(data)
        return len(title), len(body), terms, tuple(payloads)

    def __call__(self, article: Article) -> Packed:
        # The plain texts once for both the record and the passage (rendering the Markdown
        # twice cost a tenth of an article's analysis).
        plain = None if article.withdrawn else D.plain_texts(article)
        record = self.record(article, plain)
        words = tuple([t for t in record[2] if t.isalpha() and len(t) >= MIN_WORD])  # fit()
        return (*pack(article.sha, record), words, passage_file(article, plain))


def pack(sha: str, record: Record) -> tuple[str, int, int, list[tuple[int, bytes]]]:
    """The record cut into term ranges, each marshalled. Not compressed: zlib cost three
    times the marshalling when packing and unpacking (most of a cold export is spent here
    and in the analyzer), for half the database's size (about 6 KB per article instead of 3)."""
    title, body, terms, payloads = record
    parts, begin = [], 0
    for k in range(RANGES):
        end = bisect.bisect_left(terms, BOUNDS[k]) if k < len(BOUNDS) else len(terms)
        if end > begin:
            parts.append((k, marshal.dumps((terms[begin:end], payloads[begin:end]))))
        begin = end
    return sha, title, body, parts


def unpack(data: bytes) -> tuple[tuple[str, ...], tuple[bytes, ...]]:
    return marshal.loads(data)
