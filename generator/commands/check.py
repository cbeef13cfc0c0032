"""``meldungen check``: validate articles without building (for editors and pre-commit)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import check as checker
from .options import content_option, make_settings, output_option, settings_option


@click.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@settings_option
@content_option
@output_option
def command(paths: tuple[Path, ...], settings_file: Path, content: Path | None,
            output: Path | None) -> None:
    """Check articles (PATHS, or the whole content folder) without building.

    Prints every problem as path:line: message and exits with 1 if there is any. The rest of
    the archive is needed too, for duplicate URLs, tag spellings and link targets: it comes
    from the build cache of the output folder where that holds it unchanged, else it is read.
    """
    settings = make_settings(settings_file, content, output)
    result = checker.run(settings, paths)
    for problem in result.problems:
        click.echo(str(problem))
    for warning in result.warnings:
        click.echo(f"{warning.path}:{warning.line}: warning: {warning.message}")
    files = f"{result.checked} file{'s' if result.checked != 1 else ''}"
    if result.problems:
        count = len(result.problems)
        click.echo(f"{count} problem{'s' if count != 1 else ''} in {files} checked", err=True)
        sys.exit(1)
    click.echo(f"{files} checked, no problems", err=True)
