"""Deterministic German-looking archives for benchmarks and scale tests.

Words come from wordfreq's German frequency list (a maintained corpus of real usage), drawn
with their real frequencies so that term statistics look like news text: a Zipf-shaped
vocabulary, umlauts and ß, plus glued compounds (``Kurzstreckenraketen``). Topics are skewed
the way agency archives are: a few tags on thousands of reports, a long tail of rare ones.
The same ``n`` and ``seed`` give byte-identical files.
"""

from __future__ import annotations

import itertools
import math
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from .slugs import slugify

BERLIN = ZoneInfo("Europe/Berlin")
CATEGORIES = {"Ausland": 26, "Politik": 20, "Wirtschaft": 15, "Inland": 12, "Börse": 10,
              "Vermischtes": 10, "Sport": 7}
HEAD_TAGS = ["USA", "Russland", "Ukraine", "Bundesregierung", "EU", "China", "DAX", "Börse",
             "Bundestag", "Nahost", "Israel", "Frankreich", "Inflation", "EZB", "Energie",
             "Klimaschutz", "Migration", "Fußball", "Bundesliga", "Wetter", "Bahn", "Türkei",
             "Österreich", "Gesundheit", "Künstliche Intelligenz", "Außenpolitik", "Nordkorea",
             "Olympia", "Polizei", "Justiz"]
PLACES = ["Berlin", "Washington", "Moskau", "Kiew", "Brüssel", "Paris", "Peking", "London",
          "Frankfurt/Main", "München", "Hamburg", "Köln", "Wien", "Ankara", "Jerusalem", "Rom",
          "Düsseldorf", "Stuttgart", "Dresden", "Genf", "Straßburg", "Tokio", "Neu-Delhi"]
_NOUNISH = re.compile(r"(ung|heit|keit|schaft|tion|tät|ment|ismus|ler|chen|ei|ur|nis|um|ik)$")
START = datetime(2016, 1, 1, tzinfo=BERLIN)
SPAN_SECONDS = 10 * 365 * 24 * 3600
GROWTH = 0.0375
"""Over a span of years (``first``/``last``), how much denser each year is than the one
before, as a rate: e^(0.0375·80) ≈ 20, so 2026 holds some twenty times the reports of 1947."""


@dataclass(frozen=True, slots=True)
class Vocabulary:
    words: list[str]
    cumulative: list[float]
    nouns: list[str]


def vocabulary(size: int = 40_000) -> Vocabulary:
    from wordfreq import get_frequency_dict

    frequencies = get_frequency_dict("de")
    words, weights = [], []
    for word, frequency in frequencies.items():
        if len(word) > 1 and word.isalpha() and word.islower():
            words.append(word)
            weights.append(frequency)
            if len(words) == size:
                break
    nouns = [w.capitalize() for w in words if _NOUNISH.search(w) and len(w) > 4]
    return Vocabulary(words, list(itertools.accumulate(weights)), nouns)


class Synthesizer:
    def __init__(self, seed: int, vocab: Vocabulary | None = None):
        self.rng = random.Random(seed)
        self.vocab = vocab or vocabulary()
        rare = self.rng.sample(self.vocab.nouns, min(3000, len(self.vocab.nouns)))
        self.tags = HEAD_TAGS + [f"{w} {p}" if i % 3 == 0 else w
                                 for i, (w, p) in enumerate(zip(rare, itertools.cycle(PLACES)))]
        # Zipf-like: tag k is chosen with weight 1/(k+1).
        self.tag_cumulative = list(itertools.accumulate(1 / (k + 1) for k in range(len(self.tags))))
        self.categories = list(CATEGORIES)
        self.category_cumulative = list(itertools.accumulate(CATEGORIES.values()))

    def _word(self, k: int) -> list[str]:
        return self.rng.choices(self.vocab.words, cum_weights=self.vocab.cumulative, k=k)

    def _compound(self) -> str:
        first, second = self.rng.sample(self.vocab.nouns, 2)
        return first + second.lower()

    def sentence(self, length: int) -> str:
        words = self._word(length)
        for i in range(len(words)):
            roll = self.rng.random()
            if roll < 0.06:
                words[i] = self._compound()
            elif roll < 0.30:
                words[i] = words[i].capitalize()
        words[0] = words[0].capitalize()
        return " ".join(words) + "."

    def paragraph(self, words: int) -> str:
        parts, count = [], 0
        while count < words:
            length = self.rng.randint(8, 22)
            parts.append(self.sentence(length))
            count += length
        return " ".join(parts)

    def headline(self) -> str:
        topic = self.rng.choice(HEAD_TAGS[:12] + self.vocab.nouns[:200])
        return f"{topic}: {self.sentence(self.rng.randint(4, 9))[:-1]}"

    def article(self, date: datetime, title: str | None) -> tuple[str, str]:
        category = self.rng.choices(self.categories, cum_weights=self.category_cumulative)[0]
        count = self.rng.choices([0, 1, 2, 3, 4], weights=[5, 30, 35, 20, 10])[0]
        tags = sorted(set(self.rng.choices(self.tags, cum_weights=self.tag_cumulative, k=count)))
        title = title or self.headline()
        total = self.rng.randint(300, 700)
        paragraphs = [f"{self.rng.choice(PLACES)} (dts Nachrichtenagentur) - "
                      + self.paragraph(self.rng.randint(25, 45))]
        written = 35
        while written < total:
            size = self.rng.randint(50, 110)
            paragraphs.append(self.paragraph(size))
            written += size
        quoted_title = title.replace("\\", "\\\\").replace('"', '\\"')
        front = [f'title: "{quoted_title}"', f"date: {date.isoformat()}",
                 f"category: {category}"]
        if tags:
            front.append("tags: [" + ", ".join(tags) + "]")
        front.append("source: dts-nachrichtenagentur.de")
        return title, "---\n" + "\n".join(front) + "\n---\n" + "\n\n".join(paragraphs) + "\n"


PHOTO_SHARE = 0.6
"""Reports with a lead photo, when there is a pool."""
PHOTO_SIZE = (3000, 2000)
"""Agency size."""


def moments(n: int, rng: random.Random, first: int | None = None,
            last: int | None = None) -> Iterator[datetime]:
    """n report times in Berlin time, oldest first.

    Without years: ten years from 2016, evenly (the archives benchmarks have always used).
    With ``first``/``last`` (either may be left out: 1947, this year): from 1 January of
    ``first`` to the end of ``last``, denser in recent years as a real archive is (density
    e^(GROWTH·years)), counted in UTC so that no time falls into a clock change's gap.
    """
    if first is None and last is None:
        for offset in sorted(rng.randrange(SPAN_SECONDS) for _ in range(n)):
            yield (START + timedelta(seconds=offset)).astimezone(BERLIN)
        return
    first = 1947 if first is None else first
    last = datetime.now(UTC).year if last is None else last
    if last < first:
        raise ValueError(f"--to {last} lies before --from {first}")
    begin = datetime(first, 1, 1, tzinfo=BERLIN).astimezone(UTC)
    span = (datetime(last + 1, 1, 1, tzinfo=BERLIN).astimezone(UTC) - begin).total_seconds()
    k = GROWTH * (last + 1 - first)
    scale = math.expm1(k)
    # Inverse of the density's distribution function: u uniform → t with density ∝ e^(k·t).
    offsets = sorted(int(span * math.log1p(rng.random() * scale) / k) for _ in range(n))
    for offset in offsets:
        yield (begin + timedelta(seconds=min(offset, int(span) - 1))).astimezone(BERLIN)


def generate(n: int, seed: int, photos: int = 0, first: int | None = None,
             last: int | None = None) -> Iterator[tuple[str, str]]:
    """(relative path, file text) for n articles, oldest first; with a pool of ``photos``
    photos (:func:`pool_photo`), most reports show one, the first of the pool most often,
    as archive photos are. ``first``/``last``: the span of years (:func:`moments`)."""
    synth = Synthesizer(seed)
    rng = random.Random(seed + 1)
    pick = random.Random(seed + 2)  # its own stream: the texts stay those without photos
    recent: list[tuple[str, datetime]] = []
    used: set[str] = set()
    for date in moments(n, rng, first, last):
        resend = None
        # About one report in twenty is an update re-sent under an earlier headline.
        if recent and rng.random() < 0.05:
            title, when = rng.choice(recent[-20:])
            if date - when < timedelta(days=2):
                resend = title
        title, text = synth.article(date, resend)
        if photos and pick.random() < PHOTO_SHARE:
            number = int(photos * pick.random() ** 2)
            text = text.replace("\nsource: ", f"\nimage:\n  file: /{pool_path(number)}\n"
                                f"  alt: Symbolbild {number}\n  caption: Archivbild {number}"
                                "\nsource: ", 1)
        recent.append((title, date))
        base = f"{date:%Y/%m}/{slugify(title) or 'meldung'}"
        name, number = base, 1
        while name in used:
            number += 1
            name = f"{base}-{number}"
        used.add(name)
        yield f"{name}.md", text


def write(n: int, seed: int, out: Path, photos: int = 0, workers: int = 1,
          first: int | None = None, last: int | None = None) -> int:
    """Write the archive below ``out`` (and its photo pool); returns the number of articles."""
    count = 0
    for relative, text in generate(n, seed, photos, first, last):
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        count += 1
    if photos:
        (out / pool_path(0)).parent.mkdir(parents=True, exist_ok=True)
        jobs = [(out / pool_path(number), seed * 1_000_003 + number) for number in range(photos)]
        from .parallel import map_chunks

        for _ in map_chunks(_pool_job, jobs, workers, min_items=8, size=4):
            pass
    return count


def pool_path(number: int) -> str:
    return f"bilder/pool/{number:05d}.jpg"


def _pool_job(job: tuple[Path, int]) -> None:
    path, seed = job
    if not path.exists():
        pool_photo(seed).save(path, "JPEG", quality=88)


def pool_photo(seed: int):
    """An agency-sized picture: a sky, a ground, shapes, and grain (from the seed alone, so
    the same seed gives the same pixels whichever process draws it)."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    width, height = PHOTO_SIZE
    colour = [rng.randrange(40, 220) for _ in range(3)]
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    image = Image.blend(image, Image.new("RGB", (width, height), tuple(colour)), 0.6)
    draw = ImageDraw.Draw(image)
    horizon = rng.randrange(height // 2, height * 4 // 5)
    draw.rectangle((0, horizon, width, height), fill=tuple(rng.randrange(30, 160) for _ in "rgb"))
    for _ in range(rng.randrange(6, 16)):
        x, y = rng.randrange(width), rng.randrange(height)
        w, h = rng.randrange(100, 900), rng.randrange(100, 900)
        shape = draw.ellipse if rng.random() < 0.5 else draw.rectangle
        shape((x, y, x + w, y + h), fill=tuple(rng.randrange(256) for _ in "rgb"))
    grain = Image.frombytes("RGB", (300, 200), rng.randbytes(300 * 200 * 3))
    return Image.blend(image, grain.resize((width, height), Image.Resampling.BICUBIC), 0.12)
