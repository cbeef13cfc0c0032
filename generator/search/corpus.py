"""A generated German archive and whoosh's answers on it: the reference for search.js.

``python -m generator.search.corpus OUT N`` writes N articles (real German nouns from the
compound lexicon, so umlauts, ß and compounds occur as in news text) to ``OUT/content``,
the static index to ``OUT/site/search``, every article's URL in document order to
``OUT/urls.json`` and, for a fixed list of queries with and without filters, every whoosh
match with its score to ``OUT/expected.json``. tests/js runs the browser module on the same
files and must find the same.
"""

from __future__ import annotations

import itertools
import json
import random
import sys
from collections import Counter
from datetime import date, datetime, timedelta
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

CATEGORIES = ["Ausland", "Inland", "Politik", "Wirtschaft", "Börse", "Vermischtes", "Sport"]
FILLER = ["der", "die", "das", "und", "in", "den", "von", "zu", "mit", "sich", "des", "auf",
          "für", "ist", "im", "dem", "nicht", "ein", "eine", "als", "auch", "es", "an", "werden",
          "aus", "er", "hat", "dass", "sie", "nach", "wird", "bei", "einer", "um", "am", "sind",
          "noch", "wie", "einem", "über", "einen", "so", "zum", "war", "haben", "nur", "oder",
          "aber", "vor", "zur", "bis", "mehr", "durch", "man"]
FIXED = ["Raketen", "Kurzstreckenraketen", "Luftverteidigung", "Verteidigung", "Börse",
         "Boerse", "Außenministerin", "Aussenministerin", "Bundesregierung", "Regierung",
         "Wetterdienst", "Straße", "Grüße", "Ölpreis", "Bundesliga", "Mittelstreckenrakete"]


def nouns(count: int, seed: int) -> list[str]:
    data = resources.files("german_nouns").joinpath("index.txt")
    with data.open(encoding="utf-8") as lines:
        forms = sorted({ln.split("\t", 1)[0] for ln in lines})  # stored lowercase
    forms = [f.capitalize() for f in forms if f.isalpha() and 4 <= len(f) <= 24]
    rng = random.Random(seed)
    return rng.sample(forms, count)


def write_corpus(out: Path, n: int, seed: int = 7) -> None:
    """N articles in OUT/content plus a pelicanconf.py; the same n and seed, the same files."""
    rng = random.Random(seed)
    vocab = nouns(3000, seed) + FIXED * 20
    # Words of one report each (every seventh has one): the typo vocabulary's rare tier.
    rare = sorted(set(nouns(400, seed + 1)) - set(vocab))
    weights = [1 / (i + 1) ** 0.8 for i in range(len(vocab))]
    content = out / "content"
    start = datetime(2020, 1, 1, 6, tzinfo=ZoneInfo("Europe/Berlin"))
    for i in range(n):
        when = start + timedelta(minutes=int(i * 1440 * 900 / max(n, 1)) + rng.randrange(60))
        title = " ".join(rng.choices(vocab, weights, k=rng.randint(3, 7)))
        body = []
        for _ in range(rng.randint(2, 4)):
            words = rng.choices(vocab, weights, k=rng.randint(15, 40))
            words += rng.sample(FILLER, 10)
            rng.shuffle(words)
            body.append(" ".join(words) + ".")
        if i % 7 == 3 and rare:
            body[-1] = f"{rare.pop(i % len(rare))} {body[-1]}"
        tags = rng.sample(vocab[:40], 2)
        path = content / f"{when:%Y/%m}/a{i:06d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        front = (f'---\ntitle: "{title}"\ndate: {when.isoformat()}\n'
                 f"category: {rng.choice(CATEGORIES)}\ntags: [{', '.join(tags)}]\n---\n")
        path.write_text(front + "\n\n".join(body) + "\n", encoding="utf-8")
    (out / "pelicanconf.py").write_text(
        'SITENAME = "Korpus"\nPATH = "content"\nOUTPUT_PATH = "output"\n'
        'TIMEZONE = "Europe/Berlin"\n'
        f'THEME = "{Path(__file__).resolve().parents[2] / "theme"}"\n', encoding="utf-8")


def queries(seed: int = 11) -> list[dict]:
    """At least 50: single words, several words, umlaut spellings, compounds, prefixes, filters."""
    rng = random.Random(seed)
    words = nouns(3000, 7)[:400]
    plain = ["Raketen", "Verteidigung", "Börse", "Boerse", "Borse", "Außenministerin",
             "Aussenministerin", "Regierung", "Strasse", "Gruesse", "Oelpreis", "Liga",
             "Minister", "Dienst", "Rakete", "Raketen Verteidigung", "für die Börse"]
    out = [{"q": q} for q in plain]
    out += [{"q": w} for w in rng.sample(words[:60], 12)]
    out += [{"q": " ".join(rng.sample(words[:30], 2))} for _ in range(8)]
    cuts = [3, 4, 5, 3, 4, 6, 3, 5]
    out += [{"q": w[:p]} for w, p in zip(rng.sample(words[:80], 8), cuts, strict=True)]
    out += [{"q": "Rak"}, {"q": "Verteid"}, {"q": "Bör"}, {"q": "Boer"}, {"q": "Raketen "}]
    for q in ["Raketen", "Börse", "Regierung", words[0], words[1]]:
        out.append({"q": q, "kategorie": rng.choice(CATEGORIES)})
        out.append({"q": q, "von": "2021-03-01", "bis": "2022-06-30"})
        out.append({"q": q, "sort": "neueste", "von": "2020-06-15"})
    return out


def hard_queries(site, seed: int = 13) -> list[dict]:
    """At least 50 of typos, phrases and exclusions, drawn from the corpus itself: phrases of
    headline neighbours (and the same words swapped), misspelled words (a letter dropped,
    doubled, changed, two swapped; two edits in long words), words minus others, and the
    odd inputs (an unclosed quote, a lone minus, only stop words, only an exclusion)."""
    from .analysis import STOP_WORDS, fold, words

    rng = random.Random(seed)
    titles = [a.title for a in site.articles]
    out: list[dict] = []
    for title in rng.sample(titles, 14):
        kept = [w for w in words(title) if fold(w) not in STOP_WORDS]
        if len(kept) >= 3:
            out.append({"q": f'"{kept[0]} {kept[1]}"'})
            out.append({"q": f'"{kept[1]} {kept[0]}"'})
            out.append({"q": f'"{kept[0]} {kept[1]} {kept[2]}" {kept[-1]}'})
    vocab = sorted({w for t in titles for w in words(t) if len(w) >= 5 and w.isalpha()
                    and fold(w) not in STOP_WORDS})
    for i, word in enumerate(rng.sample(vocab, 24)):
        at = rng.randrange(1, len(word) - 1)
        typo = [word[:at] + word[at + 1:], word[:at] + word[at] + word[at:],
                word[:at] + ("e" if word[at] != "e" else "a") + word[at + 1:],
                word[:at - 1] + word[at] + word[at - 1] + word[at + 1:]][i % 4]
        if len(word) >= 10 and i % 3 == 0:
            typo = typo[:-2] + typo[-1] + typo[-2]  # a second edit
        out.append({"q": typo.capitalize() + (" " if i % 2 else "")})
        if i % 6 == 0:
            out.append({"q": f"{typo} {rng.choice(vocab)} ", "kategorie": rng.choice(CATEGORIES)})
    # Words of a single report: their typos meet the rare tier of the typo vocabulary (or a
    # common word near them, which goes first).
    seen: Counter[str] = Counter()
    for article in site.articles:
        seen.update({w for w in words(" ".join([article.title, *article.texts()]))
                     if len(w) >= 7 and w.isalpha()})
    singles = sorted(w for w, n in seen.items() if n == 1)
    for word in rng.sample(singles, min(6, len(singles))):
        at = rng.randrange(len(word) // 2, len(word) - 1)
        out.append({"q": (word[:at] + word[at + 1:]).capitalize()})
    # Two words of different headlines seldom stand in one report: the reports holding one
    # of them follow the few holding both (partial matches), in both sort orders.
    for i in range(8):
        a, b = (rng.choice([w for w in words(t) if len(w) >= 5 and fold(w) not in STOP_WORDS]
                           or ["Raketen"]) for t in rng.sample(titles, 2))
        out.append({"q": f"{a} {b} ", **({"sort": "neueste"} if i % 2 else {}),
                    **({"kategorie": rng.choice(CATEGORIES)} if i % 4 == 3 else {})})
    common = ["Raketen", "Börse", "Regierung", *rng.sample(vocab, 6)]
    for a, b in itertools.pairwise(common):
        out.append({"q": f"{a} -{b}"})
    out += [{"q": q} for q in ['"Raketen', 'Raketen "', "-", "Raketen -", "der die das",
                               "-Raketen", '""', '"Raketen"', '-"Raketen Börse"',
                               "Raketen -Raketen", '"für die Börse"']]
    return out


def reference(out: Path) -> None:
    from ..content import read_site
    from ..settings import load
    from . import engine, export

    # Small shards: a word's completions and corrections lie in other shards than its own,
    # as in a large archive (the browser test counts the rounds that costs).
    settings = load(out / "pelicanconf.py", {"OUTPUT_PATH": str(out / "site"),
                                              "BUILD_CACHE": str(out / "cache"),
                                              "SEARCH_SHARD_BYTES": 2000})
    site = read_site(settings)
    for name, data in export.files(site, settings):
        target = out / "site" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    ix = engine.open_index(site, settings, folder=out / "whoosh")
    expected = []
    for q in queries() + hard_queries(site):
        hits, fixed = engine.query(ix, q["q"], q.get("kategorie"), _day(q.get("von")),
                                   _day(q.get("bis")), q.get("sort", "relevanz"))
        expected.append({**q, "corrections": fixed,
                         "results": [{"url": h.url, "score": h.score, "missing": list(h.missing)}
                                     for h in hits]})
    (out / "expected.json").write_text(json.dumps(expected, ensure_ascii=False), "utf-8")
    (out / "urls.json").write_text(json.dumps([a.url for a in site.articles]), "utf-8")


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


if __name__ == "__main__":
    target, count = Path(sys.argv[1]), int(sys.argv[2])
    write_corpus(target, count)
    reference(target)
