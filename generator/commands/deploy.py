"""``meldungen deploy``: upload the built output to a server, only what changed (rsync)."""

from __future__ import annotations

from pathlib import Path

import click

from .. import cache
from ..deploy import deploy
from ..errors import shown
from ..publish import exclusive
from .options import make_settings, output_option, settings_option


@click.command("deploy")
@settings_option
@output_option
@click.option("--target", metavar="TARGET", help="rsync://host:port/module/, user@host:/path/ "
              "or a folder (default: DEPLOY_TARGET from the settings).")
@click.option("--full", is_flag=True, help="Compare every file with the target by checksum "
              "(after the target was changed by hand), not only what changed since the last "
              "deploy.")
@click.option("--dry-run", is_flag=True, help="Say what would be uploaded and deleted; change "
              "nothing.")
@click.option("--list", "show", is_flag=True, help="Name every file uploaded and deleted.")
def command(settings_file: Path, output: Path | None, target: str | None, full: bool,
            dry_run: bool, show: bool) -> None:
    """Upload the output: new files first, then changed ones, deletions last.

    Only files whose bytes changed since the last deploy to the same target are even handed
    to rsync; see README, "Deploying a large archive".
    """
    settings = make_settings(settings_file, None, output)
    folder = Path(settings.OUTPUT_PATH)
    # Taking turns with builds: a deploy never reads an output that a build is replacing.
    with exclusive(folder):
        report = deploy(folder, target or settings.DEPLOY_TARGET, cache.location(settings),
                        full=full, dry_run=dry_run)
    for step in report.steps:
        count = len(step.deleted) if step.name == "removed files" else len(step.uploaded)
        click.echo(f"{step.name}: {count} ({step.bytes_sent:,} bytes sent, "
                   f"{step.seconds:.2f} s)")
        if show:
            for path in step.deleted if step.name == "removed files" else step.uploaded:
                click.echo(f"  {path}")
    kind = "compared in full" if report.full else f"{report.hashed} hashed"
    would = "would be " if dry_run else ""
    click.echo(f"{shown(folder)} → {report.target}: {len(report.uploaded)} files {would}uploaded, "
               f"{len(report.deleted)} {would}deleted, of {report.files} ({kind}) "
               f"in {report.seconds:.2f} s")
