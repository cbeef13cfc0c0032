"""``meldungen synth``: write a deterministic generated archive (benchmarks, scale tests)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import click

from ..synth import write


@click.command("synth")
@click.option("--n", "count", type=click.IntRange(1), required=True, help="Number of articles.")
@click.option("--seed", type=int, default=1, show_default=True, help="Random seed.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write the articles into (created if missing).")
@click.option("--photos", type=click.IntRange(0), default=0, show_default=True,
              help="Size of a pool of agency-sized photos (3000×2000 JPEG, drawn) that most "
                   "reports show one of, shared as archive photos are.")
@click.option("--from", "first", type=click.IntRange(1900, 2999), metavar="YEAR",
              help="First year of the archive (default with --to: 1947); reports grow denser "
                   "towards recent years, as a real archive's do. Without --from and --to: ten "
                   "years from 2016, evenly.")
@click.option("--to", "last", type=click.IntRange(1900, 2999), metavar="YEAR",
              help="Last year of the archive (default with --from: this year).")
def command(count: int, seed: int, out: Path, photos: int, first: int | None,
            last: int | None) -> None:
    """Write N German-looking articles; the same N, seed and years give byte-identical files."""
    if first is not None and last is not None and last < first:
        raise click.BadParameter(f"{last} lies before --from {first}", param_hint="--to")
    started = time.perf_counter()
    written = write(count, seed, out, photos, workers=os.cpu_count() or 1, first=first,
                    last=last)
    pool = f" and {photos} photos" if photos else ""
    click.echo(f"{written} articles{pool} in {out} ({time.perf_counter() - started:.1f} s)")
