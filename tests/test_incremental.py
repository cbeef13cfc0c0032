"""Incremental builds equal clean builds, byte for byte, after any sequence of changes.

A hypothesis state machine edits a small archive (bodies, headlines, tags, dates, re-sends,
additions, deletions, renames, a template and a setting; a report's life: the build's clock
passing embargoes, drafts, corrections, withdrawals and aliases) and after every step
compares the incrementally built output with a clean build of the same content, as of the
same clock, in a fresh folder.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import tempfile
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from helpers import ROOT, make_settings, write_article
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from PIL import Image

from generator import build, cache, parallel, publish
from generator.errors import MeldungenError
from generator.outputs import STAMP

TAGS = ["USA", "Russland", "EU", "Börse", "Wetter"]
CATEGORIES = ["Ausland", "Politik", "Boerse", "Sport"]
TITLES = ["Gipfel in Brüssel", "DAX schließt fester", "Unwetter im Süden", "Wahl in den USA",
          "Streik bei der Bahn", "Neue Sanktionen gegen Russland"]


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def differences(left: Path, right: Path) -> list[str]:
    a, b = tree(left), tree(right)
    return sorted({*a} ^ {*b}) + sorted(p for p in a.keys() & b.keys() if a[p] != b[p])


def article_text(title: str, day: int, hour: int, category: str, tags: list[str],
                 body: str, photo: tuple[str, int] | None = None, life: str = "") -> str:
    """An article; ``photo`` (``lead`` or ``figure``, pool number) adds a photo of the pool,
    ``life`` lines of its life (:func:`life_lines`)."""
    image = figure = ""
    if photo is not None and photo[0] == "lead":
        image = f"image:\n  file: /bilder/p{photo[1]}.jpg\n  alt: Foto {photo[1]}\n"
    elif photo is not None:
        figure = f'![Foto {photo[1]}](/bilder/p{photo[1]}.jpg "Bildtext")\n\n'
    return (f'---\ntitle: "{title}"\ndate: 2025-03-{day:02d}T{hour:02d}:15:00+01:00\n'
            f"category: {category}\ntags: [{', '.join(tags)}]\n{image}{life}---\n"
            f"Berlin (dts Nachrichtenagentur) - {body}\n\n{figure}Zweiter Absatz.\n")


def pool_photo(path: Path, number: int, version: int) -> None:
    """A small photo of the pool; each version has other pixels (so another hash)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    colour = (40 * number + 20 * version) % 256, 90, (60 * version) % 256
    Image.new("RGB", (72, 48), colour).save(path, "JPEG", quality=80)


def life_lines(name: str, draft: bool, withdrawn: bool, corrections: int, alias: bool) -> str:
    """Front matter lines of a report's life (aliases are unique per file, like old URLs)."""
    lines = "draft: true\n" * draft + "status: withdrawn\n" * withdrawn
    if corrections:
        lines += "corrections:\n" + "".join(
            f'  - {{date: "2025-03-0{5 + i}T09:00:00+01:00", text: "Korrektur {i}."}}\n'
            for i in range(corrections))
    if alias:
        lines += f"aliases: [/alt/{name.replace('/', '-').removesuffix('.md')}/]\n"
    return lines


articles = st.tuples(st.sampled_from(TITLES), st.integers(1, 4), st.integers(6, 20),
                     st.sampled_from(CATEGORIES), st.lists(st.sampled_from(TAGS), max_size=3),
                     st.sampled_from(["Erste Fassung.", "Neue Details.", "Korrigiert."]))


class ArchiveMachine(RuleBasedStateMachine):
    @initialize(start=st.lists(articles, min_size=3, max_size=8))
    def setup(self, start: list[tuple]) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="meldungen-incremental-"))
        self.content = self.root / "content"
        self.theme = self.root / "theme"
        shutil.copytree(ROOT / "theme", self.theme)
        self.page_size = 2
        # The build's clock in hours after 2025-03-01 00:00 (the articles fall on days 1-4):
        # at first the later half is under embargo.
        self.now = 36
        self.names: list[str] = []
        self.specs: dict[str, tuple] = {}
        self.versions = [0, 0, 0]
        for number in range(3):
            pool_photo(self.content / "bilder" / f"p{number}.jpg", number, 0)
        self.lives: dict[str, list] = {}
        for spec in start:
            self._write(spec)
        self._build_incremental()

    def _write(self, spec: tuple, name: str | None = None) -> None:
        name = name or f"a{len(self.names) + 100}.md"
        write_article(self.content, name, "", "")  # creates folders
        life = self.lives.setdefault(name, [False, False, 0, False])
        (self.content / name).write_text(article_text(*spec, life=life_lines(name, *life)),
                                         encoding="utf-8")
        self.specs[name] = spec
        if name not in self.names:
            self.names.append(name)

    def _settings(self, output: Path):
        clock = datetime(2025, 3, 1, tzinfo=timezone(timedelta(hours=1))) + timedelta(
            hours=self.now)
        # The guard would refuse the deletions and renames this machine makes on purpose.
        return make_settings(self.content, output, THEME=self.theme, PAGE_SIZE=self.page_size,
                             RELATED_COUNT=2, WORKERS=1, BUILD_CACHE=str(output.parent / "c"),
                             IMAGE_WIDTHS=(32, 64), BUILD_NOW=clock.isoformat(),
                             URL_GUARD=False)

    def _build_incremental(self) -> None:
        # The incremental builds take their pages three at a time (the clean ones all at once),
        # so the batches' seams are compared too.
        batch, publish.PAGE_BATCH = publish.PAGE_BATCH, 3
        try:
            self.report = build(self._settings(self.root / "inc" / "output"))
        finally:
            publish.PAGE_BATCH = batch

    @rule(spec=articles)
    def add(self, spec: tuple) -> None:
        self._write(spec)
        self._build_incremental()

    @rule(data=st.data(), spec=articles)
    def edit(self, data: st.DataObject, spec: tuple) -> None:
        if self.names:
            self._write(spec, data.draw(st.sampled_from(self.names)))
            self._build_incremental()

    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        if len(self.names) > 1:
            name = data.draw(st.sampled_from(self.names))
            (self.content / name).unlink()
            self.names.remove(name)
            self._build_incremental()

    @rule()
    def delete_oldest(self) -> None:
        # Removing from the old end changes counts while the newest listings stay alike.
        if len(self.names) > 1:
            oldest = min(self.names, key=lambda n: (self.content / n).read_text("utf-8")[20:80])
            (self.content / oldest).unlink()
            self.names.remove(oldest)
            self._build_incremental()

    @rule(data=st.data())
    def rename(self, data: st.DataObject) -> None:
        if self.names:
            name = data.draw(st.sampled_from(self.names))
            new = f"sub/{name}"
            if new not in self.names:
                (self.content / new).parent.mkdir(parents=True, exist_ok=True)
                (self.content / name).rename(self.content / new)
                self.names[self.names.index(name)] = new
                self.specs[new], self.lives[new] = self.specs[name], self.lives[name]
                self._build_incremental()

    @rule(data=st.data(), kind=st.sampled_from(["lead", "figure"]), number=st.integers(0, 2))
    def give_photo(self, data: st.DataObject, kind: str, number: int) -> None:
        """A lead photo or a figure, from a pool of three that reports share."""
        if self.names:
            name = data.draw(st.sampled_from(self.names))
            life = life_lines(name, *self.lives[name])
            (self.content / name).write_text(article_text(*self.specs[name], (kind, number),
                                                          life), encoding="utf-8")
            self._build_incremental()

    @rule(number=st.integers(0, 2))
    def replace_photo(self, number: int) -> None:
        self.versions[number] += 1
        pool_photo(self.content / "bilder" / f"p{number}.jpg", number, self.versions[number])
        self._build_incremental()

    @rule(hours=st.sampled_from([6, 13, 30]))
    def advance_clock(self, hours: int) -> None:
        # From day 1 on, the later articles are still under embargo until the clock passes.
        self.now += hours
        self._build_incremental()

    @rule(hours=st.sampled_from([0, 1]))
    def fresh_clone(self, hours: int) -> None:
        # New modification times, the same bytes (a CI run's clone), with or without time
        # passing: often nothing to build at all (unchanged.py).
        stamp = time.time_ns()
        for path in self.content.rglob("*"):
            if path.is_file():
                os.utime(path, ns=(stamp, stamp))
        self.now += hours
        self._build_incremental()

    def _change_life(self, data: st.DataObject, part: int) -> None:
        if not self.names:
            return
        name = data.draw(st.sampled_from(self.names))
        life = self.lives[name]
        life[part] = (life[part] + 1) % 3 if part == 2 else not life[part]  # corrections: 0-2
        self._write(self.specs[name], name)
        self._build_incremental()

    # One rule each, so that every kind of change comes up often.
    @rule(data=st.data())
    def toggle_draft(self, data: st.DataObject) -> None:
        self._change_life(data, 0)

    @rule(data=st.data())
    def toggle_withdrawn(self, data: st.DataObject) -> None:
        self._change_life(data, 1)

    @rule(data=st.data())
    def correct(self, data: st.DataObject) -> None:
        self._change_life(data, 2)

    @rule(data=st.data())
    def toggle_alias(self, data: st.DataObject) -> None:
        self._change_life(data, 3)

    @rule()
    def change_template(self) -> None:
        base = self.theme / "templates" / "base.html"
        base.write_text(base.read_text(encoding="utf-8").replace(
            "</footer>", "<!-- geändert --></footer>", 1), encoding="utf-8")
        self._build_incremental()

    @rule(size=st.sampled_from([2, 3]))
    def change_setting(self, size: int) -> None:
        self.page_size = size
        self._build_incremental()

    @invariant()
    def equals_a_clean_build(self) -> None:
        if not hasattr(self, "report"):
            return
        clean = self.root / "clean" / "output"
        shutil.rmtree(clean.parent, ignore_errors=True)
        build(self._settings(clean))
        assert differences(self.root / "inc" / "output", clean) == []

    def teardown(self) -> None:
        if hasattr(self, "root"):
            shutil.rmtree(self.root, ignore_errors=True)


ArchiveMachine.TestCase.settings = settings(
    max_examples=14, stateful_step_count=8, deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
TestIncrementalEqualsClean = ArchiveMachine.TestCase


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "tests" / "fixtures" / "site" / "content", content)
    return content


def snapshot(output: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(output).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in output.rglob("*") if p.is_file()}


def test_unchanged_build_touches_no_file(archive: Path, tmp_path: Path) -> None:
    settings_ = make_settings(archive, tmp_path / "out")
    assert build(settings_).full
    before = snapshot(tmp_path / "out")
    report = build(settings_)
    assert not report.full and report.written == 0
    assert snapshot(tmp_path / "out") == before


def test_body_edit_rewrites_only_its_page_and_feeds(archive: Path, tmp_path: Path) -> None:
    settings_ = make_settings(archive, tmp_path / "out")
    build(settings_)
    before = snapshot(tmp_path / "out")
    path = archive / "2025/07/14/grosse-hitze.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Südwesten", "Südosten"),
                    encoding="utf-8")
    build(settings_)
    after = snapshot(tmp_path / "out")
    changed = sorted(p for p in after if after[p] != before.get(p))
    html = [p for p in changed if p.endswith(".html")]
    assert html == ["2025/07/14/grosse-hitze-wetterdienst-warnt-vor-38-grad/index.html"]
    # The stamp names the output's new content.
    assert all(p.startswith(("feeds/", "search/", "2025/07/14/grosse", STAMP)) for p in changed)


def test_corrupt_or_stale_cache_falls_back_to_a_full_build(archive: Path,
                                                           tmp_path: Path) -> None:
    settings_ = make_settings(archive, tmp_path / "out")
    build(settings_)
    state_file = cache.location(settings_) / cache.FILE
    state_file.write_bytes(b"garbage")
    assert build(settings_).full
    # The output folder replaced behind the cache's back: a full build again.
    shutil.rmtree(tmp_path / "out")
    assert build(settings_).full
    assert (tmp_path / "out" / "index.html").is_file()


def test_parallel_build_equals_sequential_build(archive: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)  # fork workers even for a small archive
    build(make_settings(archive, tmp_path / "two" / "out", WORKERS=2))
    build(make_settings(archive, tmp_path / "one" / "out", WORKERS=1))
    comparison = filecmp.dircmp(tmp_path / "two" / "out", tmp_path / "one" / "out")
    assert differences(tmp_path / "two" / "out", tmp_path / "one" / "out") == []
    assert comparison.common_files


def test_output_changed_behind_the_cache_is_repaired(archive: Path, tmp_path: Path) -> None:
    """A CI run restores the cache and an older output (its stamp another): the build looks
    at every file and reconciles them."""
    settings_ = make_settings(archive, tmp_path / "out")
    build(settings_)
    out = tmp_path / "out"
    (out / STAMP).write_text(f"{12345:032x}\n")
    (out / "index.html").unlink()
    (out / "kategorien" / "index.html").write_text("kaputt", encoding="utf-8")
    (out / "alt" / "verwaist").mkdir(parents=True)
    (out / "alt" / "verwaist" / "index.html").write_text("alt", encoding="utf-8")
    report = build(settings_)
    assert not report.full and report.written == 2
    build(make_settings(archive, tmp_path / "clean" / "out"))
    assert differences(out, tmp_path / "clean" / "out") == []
    assert not (out / "alt").exists()


def test_a_damaged_search_cache_never_reaches_the_output(archive: Path, tmp_path: Path) -> None:
    """The static index's files are copied from the cache's store: a damaged one is caught
    (by its content-hashed name) and the index rebuilt, or the build stops and heals."""
    settings_ = make_settings(archive, tmp_path / "out")
    build(settings_)
    store = cache.location(settings_) / "search" / "static" / "files"
    out = tmp_path / "out"

    def damage() -> list[Path]:
        shards = sorted((store / "s").iterdir())
        for path in shards:
            path.write_bytes(b"\x00" + path.read_bytes()[1:])
        return shards

    build(make_settings(archive, tmp_path / "clean" / "out"))
    damage()
    shutil.rmtree(out)  # a full publish reads every store file: all checked first
    assert build(settings_).full
    assert differences(out, tmp_path / "clean" / "out") == []
    shard = damage()[0]
    (out / "search" / shard.relative_to(store)).unlink()  # an incremental build reads one
    with pytest.raises(MeldungenError, match="damaged"):
        build(replace(settings_, BUILD_VERIFY=True))  # removed by hand: looked for
    assert not shard.exists()
    assert not build(replace(settings_, BUILD_VERIFY=True)).full
    assert differences(out, tmp_path / "clean" / "out") == []
