"""Markdown → safe HTML, and plain text for teasers.

cmarkgfm binds GitHub's C implementation of CommonMark (with GFM tables): exact, and about four
times faster than markdown-it-py on agency-length texts (0.03 ms against 0.13 ms per article,
measured on a generated archive), which matters at a million articles. nh3 (Rust's ammonia)
then reduces any raw HTML an editor wrote to an allowlist, because article bodies are the one
place a person types markup into our pages.
"""

from __future__ import annotations

import ctypes
import html
import re
from collections.abc import Collection, Mapping

import nh3
from cmarkgfm import _cmark, cmark
from cmarkgfm.cmark import Options

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "em",
        "h2",
        "h3",
        "h4",
        "hr",
        "i",
        "li",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
"""Link targets kept; a link to anything else (``javascript:``, ``data:``, ``vbscript:``)
becomes its text."""
LINK_REL = "noopener noreferrer"
CELL_ALIGNMENTS = frozenset({"left", "center", "right"})
"""Table cells keep these alignments (Markdown's ``:--``, ``:-:``, ``--:``, or an ``align``
attribute in raw HTML) as ``class="align-…"`` (theme/static/css/style.css): ``align`` is
obsolete HTML, and the Content-Security-Policy forbids ``style``."""
_CELLS = ("td", "th")

# Raw HTML passes cmark (UNSAFE) only to be cleaned by nh3 right after: one sanitizer, ours.
_OPTIONS = Options.CMARK_OPT_UNSAFE


# Control characters and Unicode noncharacters: XML 1.0 forbids most of them (the feed writer
# would fail) and HTML5 calls them parse errors. They come from pasted word-processor text
# (U+000B is Word's line break) and carry no meaning, so the body drops them.
_NONCHARACTERS = "".join(chr(plane + low) for plane in range(0x10000, 0x110000, 0x10000)
                         for low in (0xFFFE, 0xFFFF))
_BMP_UNWANTED = "\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\ufdd0-\\ufdef\\ufffe\\uffff"
UNWANTED = re.compile(f"[{_BMP_UNWANTED}{_NONCHARACTERS}]")
_UNWANTED_BMP = re.compile(f"[{_BMP_UNWANTED}]")
_MAYBE_NONCHARACTER = re.compile("[\U0001fffe-\U0010ffff]")


def find_unwanted(text: str) -> re.Match[str] | None:
    """``UNWANTED.search(text)``, with :func:`drop_unwanted`'s shortcut."""
    return (UNWANTED if _MAYBE_NONCHARACTER.search(text) else _UNWANTED_BMP).search(text)


def drop_unwanted(text: str) -> str:
    """``UNWANTED.sub("", text)``, a dozen times faster on a body: a character class with
    characters beyond the BMP is tested range by range for every character, so those are
    looked for only in the rare text that has a character high enough to be one."""
    text = _UNWANTED_BMP.sub("", text)
    return UNWANTED.sub("", text) if _MAYBE_NONCHARACTER.search(text) else text


def _render(markdown: str) -> str:
    """cmarkgfm's ``markdown_to_html_with_extensions``, step by step, freeing what it leaks.

    The wrapper never frees the document tree nor the HTML string cmark hands back: some
    15 KB per article, 1.5 GB per forked worker over a 100,000-article archive. Its binding
    exports neither free function, so ctypes reaches them in the same shared object.
    """
    text = drop_unwanted(markdown).encode("utf-8")
    parser = _lib.cmark_parser_new(_OPTIONS)
    try:
        # Tables only: GFM's strikethrough would turn "~" in agency texts into deletions.
        _lib.cmark_parser_attach_syntax_extension(parser, _TABLE)
        _lib.cmark_parser_feed(parser, text, len(text))
        root = _lib.cmark_parser_finish(parser)
        try:
            html_out = _lib.cmark_render_html(root, _OPTIONS,
                                              _lib.cmark_parser_get_syntax_extensions(parser))
            try:
                return _ffi.string(html_out).decode("utf-8")
            finally:
                _libc.free(_address(html_out))
        finally:
            _c.cmark_node_free(_address(root))
    finally:
        _lib.cmark_parser_free(parser)


def _address(pointer: object) -> int:
    return int(_ffi.cast("uintptr_t", pointer))


_lib, _ffi = _cmark.lib, _cmark.ffi
_c = ctypes.CDLL(_cmark.__file__)
_c.cmark_node_free.argtypes = [ctypes.c_void_p]
_libc = ctypes.CDLL(None)  # cmark allocates with the C library's malloc
_libc.free.argtypes = [ctypes.c_void_p]
cmark.core_extensions_ensure_registered()
_TABLE = cmark.find_syntax_extension("table")


_BLOCK_TAG = re.compile(r"</?(?:p|li|br|h\d|blockquote|tr|td|th|ul|ol|pre|hr)\b[^>]*>")
_TAG = re.compile(r"<[^>]*>")


_SANITIZERS: dict[tuple, nh3.Cleaner] = {}


def sanitizer(tags: Collection[str] = ALLOWED_TAGS,
              attributes: Mapping[str, Collection[str]] = ALLOWED_ATTRIBUTES) -> nh3.Cleaner:
    """The nh3 cleaner for one allowlist (settings HTML_ALLOWED_TAGS/_ATTRIBUTES).

    Built once per policy and process: an ``nh3.Cleaner`` compiles the allowlist once, where
    ``nh3.clean(...)`` would rebuild it for every article (about three times slower).
    """
    key = (frozenset(tags), frozenset((tag, frozenset(names)) for tag, names in attributes.items()))
    cleaner = _SANITIZERS.get(key)
    if cleaner is None:
        # "*" always given: otherwise nh3 keeps its own defaults (lang, title) on every tag.
        allowed = {"*": set(), **{t: set(n) for t, n in attributes.items()}}
        for cell in _CELLS:  # align only gets as far as _tidy, which makes it a class
            allowed[cell] = allowed.get(cell, set()) | {"align"}
        cleaner = _SANITIZERS[key] = nh3.Cleaner(
            tags=set(tags), attributes=allowed, url_schemes=set(URL_SCHEMES), link_rel=LINK_REL)
    return cleaner


# nh3 writes its tree out with html5ever's serializer: tag and attribute names in lower case,
# every attribute value in double quotes with '"' as &quot;, "<" in text as &lt;, comments
# dropped. Elements whose text it would write unescaped (xmp, plaintext, noembed, noframes,
# noscript, script, style, iframe) are never allowed (settings refuse them). So this finds
# every tag of a sanitized body exactly, and a "<" inside an attribute value never starts one.
_CLEAN_TAG = re.compile(r'<(/?)([a-z][a-z0-9-]*)((?:\s+[^\s"\'>/=]+(?:="[^"]*")?)*)\s*/?>')
_CLEAN_ATTRIBUTE = re.compile(r'\s+([^\s"\'>/=]+)(?:="([^"]*)")?')


def _tidy(html: str) -> str:
    """What nh3 leaves invalid, made valid: a link whose target it dropped (``<a>`` without
    ``href``) becomes its content, and a table cell's ``align`` becomes a class.

    Works on nh3's output only (see ``_CLEAN_TAG``); its tags are balanced, so a stack pairs
    each ``</a>`` with its ``<a>``. Nothing to do, the common case, is seen without that:
    every start tag of a link is written ``<a `` or ``<a>``, so if each of those strings
    (wherever it is) goes on with ``href=``, so does each link (Markdown's links all do).
    """
    if "align=" not in html and html.count("<a ") + html.count("<a>") == html.count("<a href="):
        return html
    links: list[bool] = []  # per open <a>: kept

    def tag(match: re.Match[str]) -> str:
        closing, name, attributes = match.groups()
        if name == "a":
            if closing:
                return match[0] if not links or links.pop() else ""
            links.append(any(n == "href" for n, _ in _CLEAN_ATTRIBUTE.findall(attributes)))
            return match[0] if links[-1] else ""
        if name in _CELLS and not closing:
            return _cell(name, attributes) if "align=" in attributes else match[0]
        return match[0]

    return _CLEAN_TAG.sub(tag, html)


def _cell(name: str, attributes: str) -> str:
    """A td/th start tag with ``align`` turned into an ``align-…`` class (or dropped)."""
    pairs = _CLEAN_ATTRIBUTE.findall(attributes)
    align = next((v for n, v in pairs if n == "align"), "").strip().lower()
    pairs = [(n, v) for n, v in pairs if n != "align"]
    if align in CELL_ALIGNMENTS:
        classes = next((v for n, v in pairs if n == "class"), "")
        pairs = [(n, v) for n, v in pairs if n != "class"]
        pairs.append(("class", f"{classes} align-{align}".strip()))
    written = "".join(f' {n}="{v}"' for n, v in pairs)
    return f"<{name}{written}>"


def to_html(markdown: str, cleaner: nh3.Cleaner | None = None) -> str:
    """Render and sanitize with ``cleaner`` (default: the built-in allowlist).

    Links keep an http(s)/mailto href and get ``rel="noopener noreferrer"`` (a link to
    anything else keeps only its text); scripts, styles, event handlers, ``style``
    attributes, frames and unknown tags are removed; table cells keep their alignment as a
    class.
    """
    if not markdown.strip():
        return ""
    return _tidy((cleaner or sanitizer()).clean(_render(markdown)))


def to_plain(markdown: str) -> str:
    """Text content of rendered Markdown, whitespace folded (for teasers and feeds)."""
    text = _TAG.sub("", _BLOCK_TAG.sub(" ", _render(markdown)))
    return " ".join(html.unescape(text).split())


def split_lead(body: str) -> tuple[str, str]:
    """The first paragraph is the lead; the rest is the body."""
    text = body.strip("\n")
    head, sep, rest = text.partition("\n\n")
    return head.strip(), rest.strip("\n") if sep else ""
