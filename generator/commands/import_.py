"""``meldungen import``: convert agency plain-text exports into articles."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click

from ..errors import shown
from ..importer import Archive, import_file
from .options import make_settings, settings_option


@click.command("import")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-k", "--kategorie", "category",
              help="Kategorie for all FILES (default: the name of each file's folder, "
                   "if it is a Kategorie).")
@click.option("--into", type=click.Path(file_okay=False, path_type=Path),
              help="Content folder to write into (default: PATH from the settings).")
@click.option("--force", is_flag=True,
              help="Replace an article imported earlier that differs from its export now.")
@settings_option
def command(files: tuple[Path, ...], category: str | None, into: Path | None, force: bool,
            settings_file: Path) -> None:
    """Import agency text exports (FILES) as articles.

    Running it again on the same files changes nothing. A file that cannot be read is
    reported as path:line: message and nothing is written for it; the others are imported.
    """
    if into is not None:
        into.mkdir(parents=True, exist_ok=True)  # Pelican refuses a content folder that is not
    settings = make_settings(settings_file, into)
    archive = Archive(Path(settings.PATH), settings)
    tally: Counter[str] = Counter()
    root = Path(into) if into is not None else Path(settings.PATH)
    for export in files:
        outcome = import_file(archive, export, shown(export), category, force)
        tally[outcome.status] += 1
        if outcome.status == "failed":
            for problem in outcome.problems:
                click.echo(str(problem), err=True)
            continue
        line = f"{outcome.status:<9} {shown(root / outcome.target)} ← {shown(export)}"
        if outcome.note:
            line += f" ({outcome.note})"
        click.echo(line, err=outcome.status == "refused")
    click.echo(", ".join(f"{n} {s}" for s, n in sorted(tally.items())), err=True)
    if tally["failed"] or tally["refused"]:
        sys.exit(1)
