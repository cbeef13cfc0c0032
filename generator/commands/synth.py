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
def command(count: int, seed: int, out: Path, photos: int) -> None:
    """Write N German-looking articles; the same N and seed give byte-identical files."""
    started = time.perf_counter()
    written = write(count, seed, out, photos, workers=os.cpu_count() or 1)
    pool = f" and {photos} photos" if photos else ""
    click.echo(f"{written} articles{pool} in {out} ({time.perf_counter() - started:.1f} s)")
