"""Make a photo's variants from its source: decoded once, turned upright by its EXIF
orientation, converted to sRGB from its ICC profile, stripped of every metadata block (EXIF
with GPS positions and camera serials, XMP, IPTC, comments), cropped, scaled and encoded
with fixed settings, so that the same source always gives the same bytes."""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Sequence

from PIL import Image, ImageCms, ImageOps

from .variants import Variant

# Fixed: the variants' names promise the same bytes for the same inputs (variants.ENCODER).
SAVE = {
    # One thread: libaom with several may decide differently between runs; the build runs
    # one photo per core instead.
    "avif": ("AVIF", {"quality": 50, "speed": 8, "max_threads": 1}),
    "webp": ("WEBP", {"quality": 75, "method": 4}),
    "jpg": ("JPEG", {"quality": 82, "optimize": True, "progressive": True}),
}
_SRGB = ImageCms.createProfile("sRGB")


def load(path: str, variants: Sequence[Variant]) -> tuple[Image.Image, tuple[float, float]]:
    """The upright sRGB picture, decoded no larger than the variants need, and its scale
    against the full-size upright picture (x, y)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # checked when read
        image = Image.open(path)
        full_size = image.size
        turned = image.getexif().get(0x0112) in (5, 6, 7, 8)
        # The smallest scale at which every variant still has a source pixel per pixel.
        need = max(v.width / (v.box[2] - v.box[0]) for v in variants)
        image.draft("RGB", (math.ceil(full_size[0] * need), math.ceil(full_size[1] * need)))
        image.load()
    icc = image.info.get("icc_profile")
    image = ImageOps.exif_transpose(image)
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            mode = "RGBA" if image.mode in ("RGBA", "LA", "PA") else "RGB"
            if image.mode not in ("RGB", "RGBA", "CMYK", "L"):
                image = image.convert(mode)
            image = ImageCms.profileToProfile(image, source, _SRGB, outputMode=mode)
        except (ImageCms.PyCMSError, OSError):
            pass  # a broken profile: the pixels as they are, which most viewers show too
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        flat = Image.new("RGB", image.size, (255, 255, 255))
        flat.paste(image.convert("RGBA"), mask=image.convert("RGBA").getchannel("A"))
        image = flat
    elif image.mode != "RGB":
        image = image.convert("RGB")
    upright = full_size[::-1] if turned else full_size
    return image, (image.size[0] / upright[0], image.size[1] / upright[1])


def make(path: str, variants: Sequence[Variant]) -> list[tuple[Variant, bytes]]:
    """Encode every variant of one source (all share its hash)."""
    image, scale = load(path, variants)
    out = []
    scaled: dict[tuple, Image.Image] = {}
    for variant in sorted(variants, key=lambda v: (v.box, -v.width, v.ext)):
        size = (variant.width, variant.height)
        picture = scaled.get((variant.box, size))
        if picture is None:
            left, top, right, bottom = variant.box
            box = (left * scale[0], top * scale[1], right * scale[0], bottom * scale[1])
            picture = image.resize(size, Image.Resampling.LANCZOS, box=box, reducing_gap=3.0)
            picture.info = {}  # nothing of the source's metadata travels on
            scaled = {(variant.box, size): picture}  # one size at a time in memory
        kind, options = SAVE[variant.ext]
        buffer = io.BytesIO()
        picture.save(buffer, kind, **options)
        out.append((variant, buffer.getvalue()))
    return out
