"""Per-report passages: the sentences a result's excerpt is chosen from.

A report's text (teaser, lead, body, corrections) as a JSON list of sentences, carried in its
result file (:mod:`.results`). The browser reads it only for the results on screen, picks the
sentence (or two) with most of the query's words and marks them (search.js ``excerpt``), so
the bytes of a query grow with the results shown, not with the results found. The analysis
workers make it beside the report's record (:mod:`.records`), keyed by its content hash, so a
build reads no unchanged report's text again.
"""

from __future__ import annotations

import re

from ..model import Article
from .documents import plain_texts
from .shards import content_name, stable_json

SENTENCE_END = re.compile(r"(?<=[.!?:])[\"“”»«']?\s+(?=[„\"»«(\d\w])")
"""A sentence ends at . ! ? or : before a space and what may begin the next one."""
MAX_SENTENCES = 40
"""Beyond this a report's sentences are cut: the excerpt of a very long one comes from its
first part (a passage stays a few KB: ten of them are a query's bytes)."""


def sentences(text: str) -> list[str]:
    """Sentences of a text: paragraphs split at sentence ends (``Dr. Müller`` may split too;
    an excerpt of two sentences hides it)."""
    out = []
    for paragraph in text.split("\n"):
        paragraph = " ".join(paragraph.split())
        if paragraph:
            out += [s for s in SENTENCE_END.split(paragraph) if s]
    return out


def passage_text(article: Article, plain: tuple[str, str] | None = None) -> list[str]:
    """The sentences of a report that an excerpt may show (not its tags or category).
    ``plain``: the article's :func:`.documents.plain_texts`, if the caller has it."""
    if article.withdrawn:
        return []
    lead, body = plain or plain_texts(article)
    parts = [article.summary]
    if lead != article.summary:
        parts.append(lead)
    parts += [body, *(text for _, text in article.corrections)]
    return sentences("\n".join(p for p in parts if p))[:MAX_SENTENCES]


def passage_file(article: Article, plain: tuple[str, str] | None = None) -> tuple[str, bytes]:
    """(its key, ``p/<content hash>.json``, and its bytes)."""
    data = stable_json(passage_text(article, plain))
    return content_name("p", data, ".json"), data
