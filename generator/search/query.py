"""The query language readers type: words, ``"phrases"``, ``-exclusions``.

``Raketen "nordkoreanische Raketen" -Iran``: every word must match (AND); quoted words must
also stand together in the headline or the text (stop words between them skipped, stems
compared, so ``"nordkoreanischen Raketen"`` finds ``nordkoreanische Raketen``); a word
after a minus at the start of a chunk excludes the reports that hold it. An unclosed quote
runs to the end of the query; a minus alone, or before a quote, is ignored; stop words
alone find nothing (never an error). Plain words (not quoted) may be corrected
(:mod:`.vocabulary`), and the last one is completed as the reader types unless the query
ends in a space or a quote. The same rules as ``parseQuery`` in search-query.js
(tests/vectors/search-query.json holds both to them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .analysis import STOP_WORDS, fold, stem, words

QUOTES = frozenset('"„“”')


@dataclass(slots=True)
class Word:
    stem: str
    fold: str
    plain: bool


@dataclass(slots=True)
class Parsed:
    words: list[Word] = field(default_factory=list)
    phrases: list[list[str]] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    expand: bool = False

    def as_dict(self) -> dict:
        return {"words": [{"stem": w.stem, "fold": w.fold, "plain": w.plain}
                          for w in self.words],
                "phrases": self.phrases, "exclude": self.exclude, "expand": self.expand}


def parse(text: str) -> Parsed:
    spans, buf, quoted = [], [], False
    for ch in text:
        if ch in QUOTES:
            spans.append((quoted, "".join(buf)))
            buf, quoted = [], not quoted
        else:
            buf.append(ch)
    spans.append((quoted, "".join(buf)))
    out = Parsed()
    seen: dict[str, Word] = {}
    last: Word | None = None

    def add(word: str, plain: bool) -> str:
        s = stem(word)
        if s not in seen:
            seen[s] = Word(s, fold(word), plain)
            out.words.append(seen[s])
        elif not plain:
            seen[s].plain = False
        return s

    def keep(ws: list[str]) -> list[str]:
        return [w for w in ws if fold(w) not in STOP_WORDS]

    for in_quote, span in spans:
        if in_quote:
            stems = [add(w, False) for w in keep(words(span))]
            if len(stems) > 1:
                out.phrases.append(stems)
            if stems:
                last = None
            continue
        for chunk in re.split(r"\s+", span):
            if not chunk:
                continue
            if chunk.startswith("-"):
                for w in keep(words(chunk)):
                    if stem(w) not in out.exclude:
                        out.exclude.append(stem(w))
                if words(chunk):
                    last = None
                continue
            for w in keep(words(chunk)):
                last = seen[add(w, True)]
    out.expand = (last is not None and last.plain and last is out.words[-1]
                  and not (text[-1:].isspace() or text[-1:] in QUOTES))
    return out
