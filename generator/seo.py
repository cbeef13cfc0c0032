"""What search engines and link previews read: JSON-LD ``NewsArticle`` data, safely embedded.

JSON inside ``<script type="application/ld+json">`` is raw text to the HTML parser: a
headline holding ``</script>`` would end the element and let the rest run as markup. So
``<``, ``>`` and ``&`` are written as JSON escapes (``\\u003c`` …), which every JSON reader
decodes back to the same text, and U+2028/U+2029 too, which old JavaScript parsers choke on.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from markupsafe import Markup

from .model import Article

_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                          "\u2028": "\\u2028", "\u2029": "\\u2029"})


def json_script(data: object) -> Markup:
    """``data`` as JSON that cannot break out of a ``<script>`` element (sorted: deterministic)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.translate(_ESCAPES))


def news_article(article: Article, url: str, section: str, keywords: Iterable[str],
                 site_name: str, images: Iterable[str] = ()) -> dict:
    """schema.org ``NewsArticle`` for one report; ``url`` is its absolute address, ``images``
    the absolute addresses of its photo's crops (16:9, 4:3, 1:1)."""
    images = list(images)
    return ({"image": images} if images else {}) | {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.summary,
        "datePublished": article.date.isoformat(),
        "dateModified": (article.updated or article.date).isoformat(),
        "keywords": list(keywords),
        "articleSection": section,
        "inLanguage": "de-DE",
        "url": url,
        "mainEntityOfPage": url,
        "author": {"@type": "Organization", "name": article.source},
        "publisher": {"@type": "Organization", "name": site_name},
    }
