"""``meldungen search "query"``: the archive's whoosh index from the terminal."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path

import click
from rich.progress import track

from ..content import canonical_category, read_site
from ..search import engine
from ..search.analysis import stem
from .options import content_option, make_settings, settings_option
from .progress import terminal


def _day(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise click.BadParameter(f"{value!r} is no date like 2024-01-31") from None


def typed(query: str, word_stem: str) -> str:
    """The word of the query with this stem, as the reader typed it."""
    return next((w for w in re.findall(r"[^\W_]+", query) if stem(w.lower()) == word_stem),
                word_stem)


@click.command("search")
@click.argument("query")
@click.option("--kategorie", help="Only this category (e.g. Ausland).")
@click.option("--von", callback=_day, help="From this day on (YYYY-MM-DD).")
@click.option("--bis", callback=_day, help="Up to and including this day (YYYY-MM-DD).")
@click.option("--sort", type=click.Choice(["relevanz", "neueste"]), default="relevanz",
              show_default=True)
@click.option("--limit", type=int, default=10, show_default=True, help="Results shown.")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@settings_option
@content_option
def command(query: str, kategorie: str | None, von: date | None, bis: date | None, sort: str,
            limit: int, as_json: bool, settings_file: Path, content: Path | None) -> None:
    """Search the archive (the whoosh index in the cache folder, updated first)."""
    settings = make_settings(settings_file, content)
    if kategorie:
        kategorie = canonical_category(kategorie, settings.CATEGORIES)
        if kategorie is None:
            raise click.BadParameter(f"unknown category; one of {', '.join(settings.CATEGORIES)}",
                                     param_hint="--kategorie")
    site = read_site(settings)
    console = terminal()

    def progress(items):
        # On stderr and only in a terminal: elsewhere rich would end it with an empty line,
        # and the results on stdout stay clean for pipes and --json.
        return track(items, description="Suchindex", console=console, transient=True)

    ix = engine.open_index(site, settings, progress=progress if console else None)
    hits, corrections = engine.query(ix, query, kategorie, von, bis, sort)
    shown = hits[:limit]
    if as_json:
        rows = [{"url": h.url, "title": h.title, "date": h.date, "category": h.category,
                 "score": round(h.score, 6), "missing": list(h.missing)} for h in shown]
        # corrections: misspelled word's stem → the archive's (the browser shows the word);
        # missing: the stems of the words a report lacks (those come after every complete one)
        click.echo(json.dumps({"total": len(hits), "results": rows,
                               "complete": sum(not h.missing for h in hits),
                               "corrections": corrections}, ensure_ascii=False,
                              indent=2, sort_keys=True))
        return
    for typed, word in corrections.items():
        click.echo(f"Korrigiert (Wortstamm): {typed} → {word}")
    if not hits:
        click.echo("Keine Treffer.")
        return
    more = f", die ersten {len(shown)}:" if len(hits) > limit else ":"
    click.echo(f"{len(hits)} Treffer{more}")
    for h in shown:
        lacks = f"\n            Es fehlt: {', '.join(typed(query, m) for m in h.missing)}" \
            if h.missing else ""
        click.echo(f"{h.date}  {h.category:<11} {h.title}\n            /{h.url}{lacks}")
