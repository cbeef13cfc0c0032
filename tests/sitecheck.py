"""Walk a built site: every internal link and asset must resolve to a file in the output."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (name in ("href", "src") or (name == "action" and tag == "form")):
                self.links.append(value)


def links_of(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def resolve(output: Path, page: Path, link: str) -> Path | None:
    """The file a link points to, or None for external links and fragments."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    base = output if path.startswith("/") else page.parent
    target = (base / path.lstrip("/")).resolve()
    return target / "index.html" if path.endswith("/") else target


def broken_links(output: Path) -> list[str]:
    broken = []
    output = output.resolve()
    for page in sorted(output.rglob("*.html")):
        for link in links_of(page.read_text(encoding="utf-8")):
            target = resolve(output, page, link)
            if target is not None and not (target.is_file() and target.is_relative_to(output)):
                broken.append(f"{page.relative_to(output)} → {link}")
    return broken
