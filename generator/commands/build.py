"""``meldungen build``: build the site once."""

from __future__ import annotations

from pathlib import Path

import click

from .. import build as run_build
from .. import dates
from ..errors import shown
from .options import content_option, make_settings, output_option, settings_option
from .progress import reporter


@click.command("build")
@settings_option
@content_option
@output_option
@click.option("--quiet", is_flag=True, help="No progress display.")
@click.option("--now", metavar="DATE", help="Build as of this time (e.g. "
              "2026-12-07T06:00:00+01:00) instead of the real time: reports dated later are "
              "under embargo. Sets BUILD_NOW.")
@click.option("--verify", is_flag=True, help="Look at every file of the output folder and "
              "repair what differs from the records, instead of trusting the folder's stamp "
              "(after a hand changed it). Sets BUILD_VERIFY.")
def command(settings_file: Path, content: Path | None, output: Path | None, quiet: bool,
            now: str | None, verify: bool) -> None:
    """Build the site: only what changed, and published only if the whole build succeeds."""
    extra: dict[str, object] = {"BUILD_NOW": now} if now else {}
    if verify:
        extra["BUILD_VERIFY"] = True
    settings = make_settings(settings_file, content, output, **extra)
    with reporter(not quiet) as progress:
        report = run_build(settings, progress)
    kind = "full build" if report.full else "nothing changed" if report.unchanged else \
        "incremental"
    click.echo(f"{report.articles} articles → {report.files} files, {report.written} written, "
               f"{report.removed} removed ({kind}) in {shown(settings.OUTPUT_PATH)} "
               f"({report.seconds:.2f} s)")
    if report.next_due is not None:
        click.echo(f"next embargo falls due {dates.short(report.next_due)} "
                   f"({report.next_due.isoformat()}): "
                   f"{shown(Path(settings.PATH) / report.next_path)}")
