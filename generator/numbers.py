"""German counts for the theme: ``1 Meldung``, ``2 Meldungen``, ``12.345 Meldungen``."""

from __future__ import annotations


def counted(number: int, one: str, many: str) -> str:
    """The number with German digit grouping and the noun in the form it takes."""
    return f"{number:,}".replace(",", ".") + " " + (one if number == 1 else many)
