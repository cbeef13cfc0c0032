"""``meldungen build``: build the site once."""

from __future__ import annotations

from pathlib import Path

import click

from .. import build as run_build
from ..errors import shown
from .options import content_option, make_settings, output_option, settings_option
from .progress import reporter


@click.command("build")
@settings_option
@content_option
@output_option
@click.option("--quiet", is_flag=True, help="No progress display.")
def command(settings_file: Path, content: Path | None, output: Path | None, quiet: bool) -> None:
    """Build the site: only what changed, and published only if the whole build succeeds."""
    settings = make_settings(settings_file, content, output)
    with reporter(not quiet) as progress:
        report = run_build(settings, progress)
    kind = "full build" if report.full else "incremental"
    click.echo(f"{report.articles} articles → {report.files} files, {report.written} written "
               f"({kind}) in {shown(settings.OUTPUT_PATH)} ({report.seconds:.2f} s)")
