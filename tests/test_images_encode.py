"""A photo's variants: upright, sRGB, free of every metadata block, deterministic."""

from __future__ import annotations

import io
from pathlib import Path

from helpers import write_photo
from PIL import Image, ImageCms

from generator.images import encode, variants
from generator.images.sources import inspect
from generator.model import Photo

WIDTHS = (120, 240)


def photo_of(path: Path, focus=(0.5, 0.5)) -> Photo:
    width, height, problem = inspect(str(path), 50_000_000)
    assert problem == ""
    return Photo(path.name, "Foto", focus=focus, path=path.name, sha="x", width=width,
                 height=height)


def every_variant(photo: Photo) -> list[variants.Variant]:
    class Settings:
        IMAGE_WIDTHS = WIDTHS

    return variants.lead(photo, Settings)  # type: ignore[arg-type]


def made(path: Path, focus=(0.5, 0.5)) -> list[tuple[variants.Variant, bytes]]:
    return encode.make(str(path), every_variant(photo_of(path, focus)))


def private_source(tmp_path: Path) -> Path:
    exif = Image.Exif()
    exif[0x010F] = "Kamerawerk"  # Make
    exif[0x0110] = "Modell 7"  # Model
    exif.get_ifd(0x8769)[0xA431] = "SN-4711-GEHEIM"  # BodySerialNumber
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (52.0, 31.0, 12.0)
    gps[3], gps[4] = "E", (13.0, 24.0, 36.0)
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/'
           b'02/22-rdf-syntax-ns#"><rdf:Description>Ort: Geheimversteck</rdf:Description>'
           b"</rdf:RDF></x:xmpmeta>")
    return write_photo(tmp_path / "privat.jpg", (600, 400), exif=exif.tobytes(),
                       icc_profile=srgb, xmp=xmp, comment=b"Aufgenommen von Max Muster")


def test_no_metadata_reaches_any_variant(tmp_path: Path):
    source = private_source(tmp_path)
    raw = source.read_bytes()
    assert b"SN-4711-GEHEIM" in raw and b"Geheimversteck" in raw and b"Muster" in raw
    outputs = made(source)
    assert {v.ext for v, _ in outputs} == {"avif", "webp", "jpg"}
    for variant, data in outputs:
        for secret in (b"SN-4711", b"Kamerawerk", b"Geheimversteck", b"Max Muster", b"Exif",
                       b"xmpmeta", b"ICC_PROFILE"):
            assert secret not in data, (variant.path, secret)
        with Image.open(io.BytesIO(data)) as image:
            exif = image.getexif()
            assert len(exif) == 0 and not exif.get_ifd(0x8825), variant.path
            assert "icc_profile" not in image.info and "xmp" not in image.info, variant.path


def test_variants_are_turned_upright_by_their_exif_orientation(tmp_path: Path):
    exif = Image.Exif()
    exif[0x0112] = 6  # stored lying on its side: shown turned 90° clockwise
    source = write_photo(tmp_path / "gedreht.jpg", (600, 300), (200, 0, 0), exif=exif.tobytes())
    photo = photo_of(source)
    assert (photo.width, photo.height) == (300, 600)
    for variant, data in made(source):
        with Image.open(io.BytesIO(data)) as image:
            assert image.size == (variant.width, variant.height)
            if variant.box == (0, 0, 300, 600):
                assert image.height > image.width
                # The stored left half (red) is the shown top half.
                top = image.convert("RGB").getpixel((image.width // 2, image.height // 5))
                bottom = image.convert("RGB").getpixel((image.width // 2, image.height * 4 // 5))
                assert top[0] > 150 and top[1] < 80 and min(bottom) > 200, variant.path


def test_the_same_source_gives_the_same_bytes(tmp_path: Path):
    source = private_source(tmp_path)
    assert made(source) == made(source)


def test_widths_are_never_upscaled_and_crops_keep_the_focus(tmp_path: Path):
    source = write_photo(tmp_path / "klein.png", (200, 100), fmt="PNG")
    photo = photo_of(source, focus=(0.0, 0.5))
    full = variants.full(photo, (120, 240, 480))
    assert [v.width for v in full.avif] == [120]  # 240 and 480 would be wider than 200
    box = variants.crop_box(photo, (1, 1))
    assert box == (0, 0, 100, 100)  # a square at the left edge, where the focus is
    assert variants.crop_box(photo._replace(focus=(1.0, 0.5)), (1, 1)) == (100, 0, 200, 100)
    tiny = variants.full(photo._replace(width=90, height=60), (120, 240))
    assert [v.width for v in tiny.webp] == [90]


def test_names_follow_the_source_and_the_parameters(tmp_path: Path):
    photo = photo_of(write_photo(tmp_path / "a.jpg"))
    names = [v.path for v in every_variant(photo)]
    assert len(set(names)) == len(names)
    assert all(n.startswith("bilder/") for n in names)
    other = [v.path for v in every_variant(photo._replace(sha="y"))]
    assert not set(names) & set(other)
    moved = [v.path for v in every_variant(photo._replace(focus=(0.2, 0.2)))]
    full = {v.path for v in variants.figure(photo, type("S", (), {"IMAGE_WIDTHS": WIDTHS}))}
    assert full <= set(moved)  # the whole photo does not depend on the focus; crops do
    assert set(moved) - full != set(names) - full
