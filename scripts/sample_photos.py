"""Draw the sample archive's photos (content/bilder/): simple scenes painted with Pillow.

    .venv/bin/python scripts/sample_photos.py content/bilder

Made by this script, not taken by anyone: no rights of others, no metadata. Deterministic
(fixed seeds), so running it again gives the same files. content/bilder/HERKUNFT.txt says so.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

W, H = 2000, 1333


def sky(top: tuple, bottom: tuple) -> Image.Image:
    image = Image.new("RGB", (W, H))
    draw = ImageDraw.Draw(image)
    for y in range(H):
        t = y / H
        colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (W, y)], fill=colour)
    return image


def finish(image: Image.Image, seed: int) -> Image.Image:
    """A little blur and grain, so the drawing compresses like a photo."""
    image = image.filter(ImageFilter.GaussianBlur(1.2))
    grain = Image.effect_noise((W, H), 10).convert("RGB")
    random.seed(seed)
    return Image.blend(image, grain, 0.06)


def reichstag(r: random.Random) -> Image.Image:
    im = sky((120, 170, 225), (215, 230, 245))
    d = ImageDraw.Draw(im)
    d.rectangle((0, 1050, W, H), fill=(90, 120, 70))
    d.rectangle((300, 600, 1700, 1080), fill=(196, 184, 160))
    for x in (300, 1500):
        d.rectangle((x, 500, x + 200, 1080), fill=(186, 174, 150))
    d.pieslice((760, 300, 1240, 800), 180, 360, fill=(170, 200, 215), outline=(90, 100, 110),
               width=8)
    for i in range(8):
        x = 640 + i * 95
        d.rectangle((x, 700, x + 40, 1060), fill=(225, 215, 195))
    d.polygon([(600, 700), (1400, 700), (1000, 560)], fill=(205, 193, 170))
    for x, colours in ((420, ((0, 0, 0), (221, 0, 0), (255, 206, 0))),
                       (1580, ((0, 51, 153), (0, 51, 153), (0, 51, 153)))):
        d.line([(x, 500), (x, 330)], fill=(60, 60, 60), width=6)
        for k, colour in enumerate(colours):
            d.rectangle((x, 330 + k * 30, x + 140, 360 + k * 30), fill=colour)
    return im


def boerse(r: random.Random) -> Image.Image:
    im = sky((25, 30, 45), (45, 50, 70))
    d = ImageDraw.Draw(im)
    d.rectangle((150, 150, 1850, 900), fill=(10, 14, 24), outline=(90, 100, 120), width=10)
    y, points = 600, []
    for x in range(200, 1800, 20):
        y = min(850, max(200, y + r.randint(-40, 36)))
        points.append((x, y))
    d.line(points, fill=(60, 220, 120), width=10)
    for k in range(9):
        x = 200 + k * 180
        d.text((x, 960), f"{r.randint(80, 999)},{r.randint(10, 99)}", fill=(235, 200, 60),
               font_size=44)
    d.rectangle((0, 1100, W, H), fill=(60, 45, 35))
    for k in range(9):
        x = 100 + k * 220
        d.ellipse((x, 1020, x + 120, 1140), fill=(40, 35, 35))
    return im


def ezb(r: random.Random) -> Image.Image:
    im = sky((90, 140, 200), (200, 220, 240))
    d = ImageDraw.Draw(im)
    d.polygon([(700, 1150), (880, 120), (1000, 120), (960, 1150)], fill=(95, 120, 140))
    d.polygon([(1000, 1150), (1040, 200), (1180, 200), (1280, 1150)], fill=(120, 145, 165))
    for y in range(200, 1150, 40):
        d.line([(700, y), (1280, y)], fill=(150, 175, 195), width=3)
    d.rectangle((0, 1150, W, H), fill=(80, 95, 70))
    d.rectangle((400, 1100, 1600, 1160), fill=(170, 170, 165))
    return im


def stadion(r: random.Random) -> Image.Image:
    im = sky((20, 30, 70), (60, 80, 130))
    d = ImageDraw.Draw(im)
    d.polygon([(0, 600), (W, 600), (W, 300), (0, 300)], fill=(70, 70, 80))
    for _ in range(4000):
        x, y = r.randrange(W), r.randrange(310, 600)
        d.point((x, y), fill=(r.randrange(120, 255), r.randrange(60, 200), r.randrange(60, 200)))
    d.polygon([(-400, H), (W + 400, H), (1500, 600), (500, 600)], fill=(40, 140, 60))
    for k in range(8):
        c = (50, 155, 70) if k % 2 else (40, 140, 60)
        d.polygon([(-400 + k * 350, H), (-50 + k * 350, H), (500 + (k + 1) * 125, 600),
                   (500 + k * 125, 600)], fill=c)
    d.line([(1000, 600), (1000, H)], fill=(235, 235, 235), width=6)
    d.ellipse((850, 850, 1150, 1000), outline=(235, 235, 235), width=6)
    for x in (150, 1850):
        d.line([(x, 300), (x, 60)], fill=(150, 150, 150), width=12)
        d.rectangle((x - 70, 30, x + 70, 80), fill=(255, 255, 220))
    return im


def kanzleramt(r: random.Random) -> Image.Image:
    im = sky((140, 185, 235), (225, 235, 245))
    d = ImageDraw.Draw(im)
    d.rectangle((0, 1000, W, H), fill=(110, 140, 80))
    d.rectangle((650, 350, 1350, 1010), fill=(240, 240, 235))
    d.ellipse((830, 420, 1170, 760), fill=(150, 180, 200), outline=(200, 200, 195), width=14)
    for x in (200, 1450):
        d.rectangle((x, 650, x + 350, 1010), fill=(225, 225, 218))
        for k in range(5):
            d.rectangle((x + 20 + k * 65, 700, x + 60 + k * 65, 960), fill=(140, 165, 185))
    for x in range(60, W, 260):
        d.ellipse((x, 860, x + 160, 1060), fill=(60, 110, 55))
    return im


def zug(r: random.Random) -> Image.Image:
    im = sky((160, 190, 220), (230, 232, 230))
    d = ImageDraw.Draw(im)
    d.polygon([(0, 700), (600, 520), (1200, 680), (W, 560), (W, H), (0, H)], fill=(100, 140, 80))
    d.rectangle((0, 1020, W, 1060), fill=(90, 80, 70))
    for x in range(0, W, 60):
        d.rectangle((x, 1055, x + 30, 1075), fill=(70, 60, 50))
    d.rounded_rectangle((250, 720, 1750, 1020), radius=60, fill=(200, 20, 30))
    for k in range(10):
        d.rectangle((330 + k * 135, 770, 430 + k * 135, 860), fill=(40, 50, 60))
    d.rectangle((250, 900, 1750, 930), fill=(235, 235, 235))
    return im


def rakete(r: random.Random) -> Image.Image:
    im = sky((5, 8, 25), (30, 35, 70))
    d = ImageDraw.Draw(im)
    for _k in range(300):
        x, y = r.randrange(W), r.randrange(H - 300)
        d.point((x, y), fill=(230, 230, 240))
    d.polygon([(960, 250), (1040, 250), (1040, 800), (960, 800)], fill=(210, 210, 215))
    d.polygon([(960, 250), (1040, 250), (1000, 140)], fill=(190, 40, 40))
    d.polygon([(960, 800), (900, 880), (960, 760)], fill=(150, 150, 160))
    d.polygon([(1040, 800), (1100, 880), (1040, 760)], fill=(150, 150, 160))
    d.polygon([(965, 800), (1035, 800), (1060, 1100), (940, 1100)], fill=(255, 170, 40))
    d.ellipse((700, 1050, 1300, H + 200), fill=(120, 110, 100))
    d.rectangle((0, 1200, W, H), fill=(50, 45, 40))
    return im


def hochwasser(r: random.Random) -> Image.Image:
    im = sky((110, 120, 135), (170, 175, 180))
    d = ImageDraw.Draw(im)
    for k, x in enumerate(range(150, W, 420)):
        top = 500 + (k % 2) * 60
        d.rectangle((x, top, x + 300, 1000), fill=(220, 200, 170))
        d.polygon([(x - 30, top), (x + 330, top), (x + 150, top - 180)], fill=(150, 60, 50))
        d.rectangle((x + 40, top + 80, x + 110, top + 160), fill=(80, 90, 110))
        d.rectangle((x + 180, top + 80, x + 250, top + 160), fill=(80, 90, 110))
    d.rectangle((0, 820, W, H), fill=(120, 100, 70))
    for y in range(830, H, 28):
        d.line([(0, y), (W, y + r.randint(-6, 6))], fill=(140, 118, 85), width=3)
    return im


SCENES = {
    "archiv/reichstag.jpg": reichstag, "archiv/boerse-frankfurt.jpg": boerse,
    "archiv/ezb-frankfurt.jpg": ezb, "archiv/stadion.jpg": stadion,
    "archiv/kanzleramt.jpg": kanzleramt, "archiv/regionalzug.jpg": zug,
    "archiv/raketenstart.jpg": rakete, "hochwasser.jpg": hochwasser,
}


def main(target: Path) -> None:
    for number, (name, scene) in enumerate(sorted(SCENES.items())):
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        finish(scene(random.Random(number)), number).save(path, "JPEG", quality=82,
                                                          optimize=True)
        print(path, path.stat().st_size)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "content/bilder"))
