"""meldungen synth: generated archives that build, the same every time, photos included."""

from __future__ import annotations

from pathlib import Path

from helpers import make_settings
from PIL import Image

from generator import build
from generator.synth import PHOTO_SIZE, write


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
