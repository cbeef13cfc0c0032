"""``meldungen build``: build the site once."""

from __future__ import annotations

from pathlib import Path

import click

from .. import build as run_build
from .options import content_option, make_settings, output_option, settings_option


@click.command("build")
@settings_option
@content_option
@output_option
def command(settings_file: Path, content: Path | None, output: Path | None) -> None:
    """Build the site; the old output is replaced only if the build succeeds."""
    settings = make_settings(settings_file, content, output)
    report = run_build(settings)
    click.echo(f"{report.articles} articles → {report.files} files in {settings.OUTPUT_PATH} "
               f"({report.seconds:.2f} s)")
