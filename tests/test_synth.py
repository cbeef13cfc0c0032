"""meldungen synth: generated archives that build, the same every time, photos included."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from helpers import make_settings
from PIL import Image

from generator import build
from generator.synth import PHOTO_SIZE, write

BERLIN = ZoneInfo("Europe/Berlin")


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_an_archive_with_a_photo_pool_is_the_same_every_time_and_builds(tmp_path: Path):
    assert write(30, 7, tmp_path / "a", photos=3, workers=2) == 30
    write(30, 7, tmp_path / "b", photos=3, workers=1)
    first = tree(tmp_path / "a")
    assert first == tree(tmp_path / "b")
    pool = sorted(p for p in first if p.startswith("bilder/pool/"))
    assert len(pool) == 3
    with Image.open(tmp_path / "a" / pool[0]) as image:
        assert image.size == PHOTO_SIZE and image.format == "JPEG"
    with_photo = [p for p, data in first.items() if p.endswith(".md") and b"\nimage:\n" in data]
    assert 8 <= len(with_photo) <= 26  # most, not all
    write(30, 7, tmp_path / "plain")
    plain = tree(tmp_path / "plain")
    # Without a pool the texts are the same but for the photo lines.
    assert plain.keys() == {p for p in first if p.endswith(".md")}
    report = build(make_settings(tmp_path / "a", tmp_path / "out", IMAGE_WIDTHS=(480,)))
    assert report.articles == 30
    assert len(list((tmp_path / "out" / "bilder").iterdir())) > 3 * 10


def test_an_archive_from_1947_is_the_same_every_time_and_denser_in_recent_years(tmp_path: Path):
    assert write(400, 3, tmp_path / "a", first=1947, last=2026) == 400
    write(400, 3, tmp_path / "b", first=1947, last=2026)
    first = tree(tmp_path / "a")
    assert first == tree(tmp_path / "b")
    years = [int(p[:4]) for p in first]
    assert min(years) >= 1947 and max(years) <= 2026
    early = sum(1 for y in years if y < 1967)
    late = sum(1 for y in years if y >= 2007)
    assert late > 5 * early > 0  # density e^(0.0375·years): some 10× from the first 20 to the last
    stamps = [re.search(rb"\ndate: (\S+)\n", data)[1].decode() for data in first.values()]
    # Each date is Berlin time of then, with that day's offset (UTC+3 in 1947's Hochsommerzeit).
    for stamp in stamps:
        moment = datetime.fromisoformat(stamp)
        assert moment.utcoffset() == moment.astimezone(BERLIN).utcoffset()
    write(40, 3, tmp_path / "c", first=1990, last=1991)
    assert {p[:4] for p in tree(tmp_path / "c")} == {"1990", "1991"}


def test_a_span_of_years_through_the_command(tmp_path: Path):
    from click.testing import CliRunner

    from generator.cli import cli

    result = CliRunner().invoke(cli, ["synth", "--n", "30", "--from", "1947", "--to", "1949",
                                      "--out", str(tmp_path / "a")])
    assert result.exit_code == 0, result.output
    assert {p.split("/")[0] for p in tree(tmp_path / "a")} <= {"1947", "1948", "1949"}
    refused = CliRunner().invoke(cli, ["synth", "--n", "3", "--from", "1990", "--to", "1980",
                                       "--out", str(tmp_path / "b")])
    assert refused.exit_code == 2 and "1980 lies before --from 1990" in refused.output
