"""Helpers the tests share (plain functions; fixtures live in conftest.py)."""

from __future__ import annotations

from pathlib import Path

from generator.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_SITE = ROOT / "tests" / "fixtures" / "site"
HOSTILE_SITE = ROOT / "tests" / "fixtures" / "hostile"


def write_article(folder: Path, name: str, front: str, body: str = "Lead.\n\nBody.\n") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front.strip()}\n---\n{body}", encoding="utf-8")
    return path


def write_history(content: Path) -> None:
    """Reports of 1947 (one in the weeks of UTC+3), of January 1949 and of 2024."""
    write_article(content, "1947/06/kohle.md", 'title: "Kohlenförderung im Ruhrgebiet steigt"\n'
                  "date: 1947-06-01T01:30:00\ncategory: Wirtschaft\ntags: [Ruhrgebiet]",
                  "Essen (ADN) - Die Kohlenförderung im Ruhrgebiet ist gestiegen.\n\nMehr.\n")
    write_article(content, "1947/01/frost.md", 'title: "Strenger Frost in Berlin"\n'
                  "date: 10.01.1947 - 08:15:00\ncategory: Inland\ntags: [Berlin]",
                  "Berlin (ADN) - Der Winter hält die Stadt fest im Griff.\n\nMehr.\n")
    write_article(content, "1949/01/luftbruecke.md", 'title: "Luftbrücke: Rekord an Flügen"\n'
                  "date: 1949-01-15T23:45:00\ncategory: Inland\ntags: [Berlin, Luftbrücke]",
                  "Berlin (dpa) - Die Luftbrücke meldet einen Rekord an Flügen.\n\nMehr.\n")
    write_article(content, "2024/01/heute.md", 'title: "Eine Meldung von heute"\n'
                  "date: 2024-01-04T20:41:54+01:00\ncategory: Ausland\ntags: [Berlin]",
                  "Berlin (dts Nachrichtenagentur) - Heute.\n\nMehr.\n")


def make_settings(content: Path, output: Path, **extra: object) -> Settings:
    values = {"PATH": content, "OUTPUT_PATH": output, "THEME": ROOT / "theme", **extra}
    return Settings.from_mapping(values, pelican_keys=frozenset({"PATH", "OUTPUT_PATH", "THEME"}))


def write_photo(path: Path, size: tuple[int, int] = (1000, 667), colour=(30, 90, 150),
                fmt: str = "JPEG", **save: object) -> Path:
    """A small photo: left half ``colour``, right half white (so crops and turns show)."""
    from PIL import Image, ImageDraw

    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", size, (255, 255, 255))
    ImageDraw.Draw(image).rectangle((0, 0, size[0] // 2, size[1]), fill=colour)
    image.save(path, fmt, **save)
    return path
