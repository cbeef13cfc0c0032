"""The German analyzer: one whoosh analyzer for the whoosh index *and* the static export.

Pipeline (index mode): NFC → letters/digits tokens (umlauts and ß stay inside words) →
lowercase → stop words (compared folded, so ``für``/``fuer``/``fur`` all stop) → compound
parts → Snowball 3 German stem (PyPI ``snowballstemmer``; whoosh's own German stemmer is
the older algorithm). The stemmer already folds: ``ß``→``ss``, ``ae/oe/ue``→umlaut→plain
vowel, so ``Börse``, ``Boerse`` and ``Borse`` share the stem ``bors``.

Compound parts are extra terms with a ``_`` in front (``_raket`` for ``Kurzstreckenraketen``)
so that an exact word match and a compound-part match stay two terms that a query can weigh
differently. Splitting needs a lexicon, and the lexicon is fixed (the German nouns of the
PyPI package ``german-nouns``, from Wiktionary): splits never depend on the archive, so
adding an article never changes how older ones were analyzed. Queries are not split; the
browser therefore needs the stemmer and the stop list, never the lexicon.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container, Iterable, Iterator
from functools import lru_cache
from importlib import metadata, resources
from itertools import chain

import Stemmer
from snowballstemmer.german_stemmer import GermanStemmer
from whoosh.analysis import Composable, Filter, Token, Tokenizer
from whoosh.lang.stopwords import stoplists

PART_MARK = "_"
"""Prefix of compound-part terms; the tokenizer never yields ``_``, so no clash."""
MIN_PART = 4
"""Shortest compound part we trust (``Luft``, ``Bund``); shorter ones give ``Regie|rung``."""
SPLIT_KNOWN_MIN = 10
"""A lexicon word shorter than this is taken as atomic (``Minister``, ``Russland``)."""
FALLBACK_HEAD = 6
"""Without a full cover, only a head this long is believed (``raketen`` yes, ``ecken`` no)."""
_ADJECTIVE = re.compile(r"(isch|lich|ig|bar|sam|haft|los)(e|en|er|es|em)?$")
_LINKS = ("", "s", "n", "en", "es", "e", "er", "ens")
"""German linking elements (Fugenelemente) between compound parts: Verteidigung|s|minister."""
_LINKS_BEFORE = {c: tuple(link for link in _LINKS if not link or link.endswith(c))
                 for c in {link[-1] for link in _LINKS if link}}
"""The linking elements a modifier ending in this letter may end with, in _LINKS' order
(any other letter: none but the empty one)."""
# Letters and digits of any script; the same class as ``[\p{L}\p{N}]`` in the JS module.
_TOKEN = re.compile(r"[^\W_]+")


class _Folder(GermanStemmer):
    """Only the Snowball German prelude + postlude: the stemmer's own spelling folding.

    ``fold`` must agree exactly with what the stemmer does to letters, so prefixes typed
    with ``oe`` or ``ß`` reach stems made from ``ö`` or ``ss``; reusing the generated
    routines is the one way to be sure.
    """

    def _stem(self) -> bool:
        start = self.cursor
        self._GermanStemmer__r_prelude()
        self.cursor = start
        self._GermanStemmer__r_postlude()
        self.cursor = start
        return True


# PyStemmer runs the Snowball 3 algorithms compiled to C (the pure-Python classes of
# snowballstemmer are some fifty times slower). Its own word cache is off (size 0): stem()
# caches already, and a full second cache costs more per new word (a compound the archive
# has not seen) than stemming it.
_stemmer = Stemmer.Stemmer("german", 0)
_folder = _Folder()


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """Snowball 3 German stem of a lowercase word (cached: vocabularies repeat)."""
    return _stemmer.stemWord(word)


_VOWELS = frozenset("aeiouyäöü")
_FOLDABLE = re.compile(r"[äöüß]|[aou]e")
_PLAIN = str.maketrans({"U": "u", "Y": "y", "ä": "a", "ö": "o", "ü": "u"})
_CONSONANT_U = re.compile("[aeiouyäöü][uy][aeiouyäöü]")
_PAIRS = re.compile("qu|[aou]e|ß")
_PAIR = {"qu": "qu", "ae": "a", "oe": "o", "ue": "u", "ß": "ss"}
_PAIRED = re.compile(f"{_PAIRS.pattern}|{_CONSONANT_U.pattern}")
"""What makes folding depend on neighbours: a pair, ß (one letter to two), a consonant u/y."""


def _pair(match: re.Match[str]) -> str:
    return _PAIR[match.group(0)]


@lru_cache(maxsize=100_000)
def fold(word: str) -> str:
    """Spelling folding only: ``außen``→``aussen``, ``boerse``/``börse``→``borse``.

    Exactly the Snowball German prelude + postlude (``_Folder`` is the reference the tests
    compare with), written out because the lexicon folds a quarter of a million forms.
    """
    if not _FOLDABLE.search(word):
        return word
    if not _CONSONANT_U.search(word):  # no u/y between vowels: pairs left to right suffice
        return _PAIRS.sub(_pair, word).translate(_PLAIN)
    s = list(word)
    for p in range(len(s) - 2):  # u/y between vowels is a consonant: "steuer" keeps its "ue"
        if s[p] in _VOWELS and s[p + 1] in ("u", "y") and s[p + 2] in _VOWELS:
            s[p + 1] = s[p + 1].upper()
    out: list[str] = []
    p, n = 0, len(s)
    while p < n:
        pair = s[p] + s[p + 1] if p + 1 < n else s[p]
        if pair == "qu":
            out.append(pair)
            p += 2
        elif pair in ("ae", "oe", "ue"):
            out.append(pair[0])
            p += 2
        else:
            out.append("ss" if s[p] == "ß" else s[p])
            p += 1
    return "".join(out).translate(_PLAIN)


STOP_WORDS: frozenset[str] = frozenset(fold(w) for w in stoplists["de"])
"""German stop words (Snowball's list as whoosh ships it), folded."""


def normalize(text: str) -> str:
    """NFC, so a decomposed ``o`` + combining diaeresis is one letter like the typed ``ö``."""
    return unicodedata.normalize("NFC", text)


def words(text: str) -> list[str]:
    """Lowercase words of a text, stop words kept (the query side's raw material)."""
    return [m.group(0).lower() for m in _TOKEN.finditer(normalize(text))]


_lexicon: Container[str] | None = None


def lexicon() -> Container[str]:
    """Folded German noun forms (all cases, both numbers) of at least MIN_PART letters."""
    global _lexicon
    if _lexicon is None:
        _lexicon = read_lexicon()
    return _lexicon


def read_lexicon() -> frozenset[str]:
    """The lexicon from its package (the build cache keeps it: reading it back is ten times
    faster than reading and folding the package's list)."""
    data = resources.files("german_nouns").joinpath("index.txt").read_text(encoding="utf-8")
    forms = {line.split("\t", 1)[0].lower() for line in data.splitlines()}
    plain = fold.__wrapped__  # a quarter of a million forms would only churn fold's cache
    return frozenset(plain(form) for form in forms
                     if len(form) >= MIN_PART and _TOKEN.fullmatch(form))


def use_lexicon(forms: Container[str] | None) -> None:
    """Take the lexicon from the build cache (the caller keys it by version); None: read it
    from the package when next asked."""
    global _lexicon
    _lexicon = forms


def uses_lexicon() -> Container[str] | None:
    return _lexicon


def lexicon_version() -> str:
    """The lexicon package's version (our folding code is in the code fingerprint beside it)."""
    return f"german-nouns {metadata.version('german-nouns')}"


def compound_parts(word: str) -> tuple[str, ...]:
    """The lexicon words a lowercase compound is made of, head first.

    ``kurzstreckenraketen`` → ``raketen``, ``kurzstrecken``. A split counts only if the
    whole word is covered by lexicon words (linking elements allowed): ``strecken`` is not
    ``str|ecken``. The head (last part, which carries the meaning in German) is the longest
    suffix that allows a full cover. Known words shorter than SPLIT_KNOWN_MIN stay whole
    (``minister`` is no ``mini|ster``), and adjectives are not split (``nordkorea|nische``).
    Words without a full cover keep only a long head (see ``_head_only``).
    """
    return _parts(word, *_fold_word(word))


def _parts(word: str, folded: str, paired: bool) -> tuple[str, ...]:
    """:func:`compound_parts` of a word whose :func:`_fold_word` is known.

    Most words reach this once (the analysis memoizes whole words), so the word itself is
    not cached, and its heads, looked up once, serve both the cover and the fallback.
    """
    if len(word) < 2 * MIN_PART or _ADJECTIVE.search(word):
        return ()
    if len(word) < SPLIT_KNOWN_MIN and folded in lexicon():
        return ()
    cuts = _heads(word, len(word) - MIN_PART + 1, (folded, paired))
    return tuple(dict.fromkeys(_split(word, folded, cuts) or _head_only(word, cuts)))


def _head_only(word: str, cuts: list[int]) -> tuple[str, ...]:
    """Fallback for words no lexicon cover explains (``kurz|strecken|raketen``: ``kurz`` is
    no noun): the longest known head of at least FALLBACK_HEAD letters, and the parts of
    what stands before it. ``cuts``: the word's heads (:func:`_heads`)."""
    if not cuts or cuts[0] > len(word) - FALLBACK_HEAD:
        return ()
    head = word[cuts[0]:]
    return (head, *(_cover(head) or ()), *compound_parts(word[:cuts[0]]))


@lru_cache(maxsize=100_000)
def _cover(word: str) -> tuple[str, ...] | None:
    """Parts of a word fully covered by lexicon words; ``()`` if atomic, None if uncovered."""
    folded, paired = _fold_word(word)
    if MIN_PART <= len(word) < SPLIT_KNOWN_MIN and folded in lexicon():
        return ()
    return _split(word, folded, _heads(word, len(word) - MIN_PART + 1, (folded, paired)))


def _split(word: str, folded: str, cuts: list[int]) -> tuple[str, ...] | None:
    """:func:`_cover` of a word whose fold and heads are known."""
    for cut in cuts:
        for link in _LINKS_BEFORE.get(word[cut - 1], ("",)):
            end = cut - len(link)
            if end < MIN_PART or not word.startswith(link, end):
                continue
            base = word[:end]
            base_parts = _cover(base)
            if base_parts is not None:
                head = word[cut:]
                return (head, *(_cover(head) or ()), base, *base_parts)
    # Whether the word is known matters only now (or when short): a compound met once
    # is not looked up whole when it splits.
    return () if len(word) >= MIN_PART and folded in lexicon() else None


def _fold_word(word: str) -> tuple[str, bool]:
    """(:func:`fold` of the word, whether it has a pair), without going through fold's
    cache, which parts met once would only churn.

    Without pairs, ß or a consonant u/y, folding maps letter to letter (ä→a), so every
    suffix folds to the same stretch of the folded word (:func:`_heads` relies on it).
    """
    if _PAIRED.search(word):
        return fold.__wrapped__(word), True
    return word.translate(_PLAIN), False


def _heads(word: str, stop: int, folding: tuple[str, bool] | None = None) -> list[int]:
    """Cuts ``MIN_PART <= cut < stop`` (ascending) whose suffix ``word[cut:]`` is a lexicon
    word (compared folded). These lookups are the bulk of a cold export's analysis.

    ``folding``: :func:`_fold_word`'s answer, if the caller has it.
    """
    lex = lexicon()
    folded, paired = folding or _fold_word(word)
    if paired:  # rare: fold each suffix on its own
        plain = fold.__wrapped__
        return [cut for cut in range(MIN_PART, stop) if plain(word[cut:]) in lex]
    return [cut for cut in range(MIN_PART, stop) if folded[cut:] in lex]


def _part_terms(own: str, parts: tuple[str, ...]) -> tuple[str, ...]:
    """Compound-part terms (``_raket``) of a word's parts, without its own stem."""
    return tuple(PART_MARK + s for s in dict.fromkeys(map(stem, parts)) if s != own)


class GermanTokenizer(Tokenizer):
    """Letters and digits (any script) after NFC; ``US-Regierung`` gives ``US``, ``Regierung``."""

    def __call__(self, value: str, positions: bool = False, chars: bool = False,
                 keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
                 start_char: int = 0, tokenize: bool = True, mode: str = "",
                 **kwargs: object) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, match in enumerate(_TOKEN.finditer(normalize(value))):
            token.text = match.group(0)
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = token.text
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token


class GermanFilter(Filter):
    """Lowercase, drop stop words, add compound parts (index mode only), stem.

    One filter instead of whoosh's chain because each step needs the lowercase surface
    word (the compound splitter and the stop list read it before stemming).
    """

    is_morph = True

    def __init__(self, compounds: bool = True):
        self.compounds = compounds

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        # Positions count the words that stay (stop words renumbered away, a word's parts at
        # its own place), as index_terms_and_stems numbers them: phrases skip stop words.
        place = 0
        for token in tokens:
            split = self.compounds and token.mode != "query"
            terms = word_terms(token.text.lower(), split)
            for term in terms:
                token.text = term
                if token.positions:
                    token.pos = place
                yield token
            place += bool(terms)


@lru_cache(maxsize=200_000)  # the forked analysis workers each hold these caches: bounded
def word_terms(word: str, split: bool) -> tuple[str, ...]:
    """A lowercase word's terms: none for a stop word, else its stem and (``split``) parts.

    Cached as a whole because news vocabularies repeat: most tokens cost one lookup.
    """
    folded, paired = _fold_word(word)  # once, for the stop list and the compound splitter
    if folded in STOP_WORDS:
        return ()
    own = stem(word)
    if not split:
        return (own,)
    parts = _parts(word, folded, paired)
    return (own, *_part_terms(own, parts)) if parts else (own,)


def GermanAnalyzer(compounds: bool = True) -> Composable:
    """The analyzer both indexes use; ``compounds=False`` only for measuring its cost."""
    return GermanTokenizer() | GermanFilter(compounds)


def analyze(text: str, compounds: bool = True) -> list[str]:
    """Index terms of a text in order (parts right after their word)."""
    return [t.text for t in GermanAnalyzer(compounds)(text, mode="index")]


def index_terms(text: str, compounds: bool = True) -> list[str]:
    """What :func:`analyze` returns, by the same tokenizer pattern and :func:`word_terms`
    but without whoosh's token objects, which cost half of analyzing a known vocabulary.
    The static export runs this over every article; a test holds it equal to the analyzer.
    """
    return list(chain.from_iterable(_per_word(text, compounds)))


def index_terms_and_stems(text: str, compounds: bool = True) -> tuple[list[str], list[str]]:
    """(:func:`index_terms`, each kept word's own stem in order): position ``i`` of the
    second list is the word's position for phrases (as GermanFilter numbers them)."""
    per = _per_word(text, compounds)
    return list(chain.from_iterable(per)), [terms[0] for terms in per if terms]


def _per_word(text: str, compounds: bool) -> list[tuple[str, ...]]:
    memo, older = _MEMO[compounds]
    if len(memo) > MEMO_SIZE:  # start a new generation; words still in use move over
        older, memo = memo, {}
        _MEMO[compounds] = (memo, older)
    found = _TOKEN.findall(normalize(text))
    # Each word not in the memo once; every token then costs a lookup in C, not a turn of
    # a Python loop (an article has some 700 tokens and few new words). Words as written,
    # so a known one needs no lower() and no call.
    for word in set(found).difference(memo):
        terms = older.get(word)
        memo[word] = terms if terms is not None else \
            word_terms.__wrapped__(word.lower(), compounds)
    return list(map(memo.__getitem__, found))


MEMO_SIZE = 100_000
"""Words per generation of the memo. Each analysis worker holds its own two, some 280 bytes a
word: 55 MiB at most, where twice as many saved a worker 3 of its 54 analyses per article."""
_MEMO: dict[bool, tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]] = {
    True: ({}, {}), False: ({}, {})}


def query_words(text: str) -> list[tuple[str, str]]:
    """(stem, folded surface) per query word, stop words dropped: what a query searches."""
    return [(stem(w), fold(w)) for w in words(text) if fold(w) not in STOP_WORDS]
