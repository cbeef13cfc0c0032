"""Publishing safely: a failed build at any point leaves the previous output untouched; the
CI steps (scripts/ci-publish, publishconf.py) work on the fixture site."""

from __future__ import annotations

import contextlib
import gc
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from helpers import ROOT, write_article
from jinja2 import TemplateError

from generator import build
from generator.cache.store import Table
from generator.errors import ContentError, OutputPathError
from generator.outputs import STAMP
from generator.publish import exclusive, recover
from generator.settings import load

MELDUNGEN = ROOT / ".venv" / "bin" / "meldungen"


def snapshot(output: Path) -> tuple[int, dict[str, tuple[bytes, int]]]:
    """The folder's inode and every file's bytes and mtime: "untouched", byte for byte."""
    files = {p.relative_to(output).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
             for p in sorted(output.rglob("*")) if p.is_file()}
    return output.stat().st_ino, files


@pytest.fixture(params=["incremental", "full"])
def published(site_copy, request):
    """The fixture site built into site/output; returns (site, settings, snapshot).

    "incremental" keeps the build cache of that first build, so the failing build is an
    incremental one; "full" removes it, so the failing build rebuilds everything.
    """
    # The same settings as `meldungen build` run in the folder, so its builds are incremental
    # too; the build cache lives beside the output (.cache).
    settings = load(site_copy / "pelicanconf.py")
    build(settings)
    assert (site_copy / "output").is_dir()
    if request.param == "full":
        shutil.rmtree(site_copy / ".cache")
    before = snapshot(site_copy / "output")
    assert len(before[1]) > 50
    return site_copy, settings, before


def leftovers(site: Path) -> list[str]:
    return sorted(p.name for p in site.iterdir() if p.name.startswith(".output"))


def test_bad_content_leaves_the_output(published):
    site, settings, before = published
    write_article(site / "content", "kaputt.md", 'title: "X"\ndate: nie\ncategory: Sport')
    with pytest.raises(ContentError):
        build(settings)
    assert snapshot(site / "output") == before
    assert leftovers(site) == []


def _theme(tmp_path: Path) -> Path:
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    return theme


@pytest.mark.parametrize(("template", "broken"), [
    ("article.html", "{% if %}"),                    # syntax error: the first page fails
    ("tag.html", "{{ no_such_variable.name }}"),     # runtime error after the article pages
    ("404.html", "{{ 1 // 0 }}"),                    # one of the last pages
])
def test_template_errors_leave_the_output(published, tmp_path, template, broken):
    site, settings, before = published
    theme = _theme(tmp_path)
    (theme / "templates" / template).write_text(broken, encoding="utf-8")
    with pytest.raises((TemplateError, ZeroDivisionError)):
        build(replace(settings, THEME=theme))
    assert snapshot(site / "output") == before
    assert leftovers(site) == []


def test_a_refused_page_in_the_middle_of_writing_leaves_the_output(published):
    # "Con" is a legal Kategorie but a reserved file name on Windows: the build refuses to
    # write kategorie/con/ after the article pages.
    site, settings, before = published
    with pytest.raises(OutputPathError):
        build(replace(settings, CATEGORIES=(*settings.CATEGORIES, "Con")))
    assert snapshot(site / "output") == before
    assert leftovers(site) == []


def test_a_failure_in_the_last_step_leaves_the_output(published, tmp_path):
    # Theme files are copied last, after every page, feed and sitemap is written.
    site, settings, before = published
    theme = _theme(tmp_path)
    (theme / "static" / "css" / "con.css").write_text("p {}", encoding="utf-8")
    with pytest.raises(OutputPathError):
        build(replace(settings, THEME=theme))
    assert snapshot(site / "output") == before
    assert leftovers(site) == []


def _big_archive(content: Path, count: int) -> None:
    for n in range(count):
        write_article(content, f"viele/{n:05d}.md",
                      f'title: "Meldung {n}"\ndate: 2025-{n % 12 + 1:02d}-{n % 28 + 1:02d}'
                      f"T10:{n % 60:02d}:00\ncategory: Ausland\ntags: [Thema {n % 40}]")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_an_interrupted_build_process_leaves_the_output(published, sig):
    site, _, before = published
    _big_archive(site / "content", 1200)  # a second or two of writing: time to interrupt it
    proc = subprocess.Popen([MELDUNGEN, "build"], cwd=site, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    staging = site / ".output.new"
    deadline = time.monotonic() + 60
    while not (staging.is_dir() and next(staging.rglob("*.html"), None)):
        assert proc.poll() is None, "the build ended before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    proc.send_signal(sig)
    proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert snapshot(site / "output") == before
    if sig == signal.SIGINT:
        assert leftovers(site) == []  # cleaned up on the way out
    # Killed outright, the half-written folder stays until the next build removes it.
    done = subprocess.run([MELDUNGEN, "build"], cwd=site, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert leftovers(site) == []
    assert (site / "output" / "2025").is_dir()


# --- the CI steps ------------------------------------------------------------------------


def ci_publish(site: Path, *steps: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "MELDUNGEN_SITEURL"}
    environment.update(SITE_DIR=str(site), **env)
    return subprocess.run(["sh", str(ROOT / "scripts" / "ci-publish"), *steps], cwd=ROOT,
                          env=environment, capture_output=True, text=True, timeout=300)


@pytest.fixture
def publish_site(site_copy):
    shutil.copy(ROOT / "publishconf.py", site_copy / "publishconf.py")
    return site_copy


def test_ci_publish_checks_and_builds_with_absolute_urls(publish_site):
    result = ci_publish(publish_site, "check", "build")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.index("== meldungen check") < result.stdout.index("== meldungen build")
    out = publish_site / "output"
    base = "https://example.github.io/meldungen"
    home = (out / "index.html").read_text(encoding="utf-8")
    assert f'href="{base}/kategorie/ausland/"' in home
    feed = (out / "feeds" / "alle.atom.xml").read_text(encoding="utf-8")
    assert f'<link href="{base}/2026/02/04/bundesliga-spitzenspiel-endet-unentschieden/"' in feed
    assert f"<loc>{base}/2024/</loc>" in (out / "sitemap.xml").read_text(encoding="utf-8")


def test_ci_publish_takes_the_address_from_the_environment(publish_site):
    result = ci_publish(publish_site, "build", MELDUNGEN_SITEURL="https://news.example.org")
    assert result.returncode == 0, result.stderr
    home = (publish_site / "output" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://news.example.org/kategorie/ausland/"' in home
    assert "example.github.io" not in home


def test_ci_publish_stops_at_a_failed_check(publish_site):
    assert ci_publish(publish_site, "build").returncode == 0
    before = snapshot(publish_site / "output")
    write_article(publish_site / "content", "kaputt.md", 'title: "X"\ncategory: Ausand')
    result = ci_publish(publish_site, "check", "build")
    assert result.returncode == 1
    assert "kaputt.md:1: 'date' is missing or empty" in result.stdout
    assert "== meldungen build" not in result.stdout
    assert snapshot(publish_site / "output") == before


def test_ci_publish_verifies_the_output_when_told(publish_site):
    """The daily run's MELDUNGEN_VERIFY: a stray file a plain build trusts away is removed."""
    assert ci_publish(publish_site, "build").returncode == 0
    stray = publish_site / "output" / "2024" / "fremd.html"
    stray.write_text("fremd")
    assert ci_publish(publish_site, "build").returncode == 0 and stray.exists()
    result = ci_publish(publish_site, "build", MELDUNGEN_VERIFY="1")
    assert result.returncode == 0, result.stderr
    assert not stray.exists() and "1 removed" in result.stdout


def test_ci_publish_refuses_an_unknown_step(publish_site):
    result = ci_publish(publish_site, "deploy")
    assert result.returncode == 2 and "unknown step 'deploy'" in result.stderr


def test_workflow_runs_the_script_steps_then_deploys():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as True
    assert "push" in triggers
    steps = workflow["jobs"]["build"]["steps"]
    uses = [s.get("uses", "").split("@")[0] for s in steps]
    runs = [s.get("run", "") for s in steps]
    cache = steps[uses.index("actions/cache/restore")]
    assert cache["with"]["path"].split() == [".cache", "output"]
    order = [uses.index("actions/setup-python"), uses.index("actions/cache/restore"),
             runs.index("sh scripts/ci-publish check"), runs.index("sh scripts/ci-publish test"),
             runs.index("sh scripts/ci-publish build"), uses.index("actions/cache/save"),
             uses.index("actions/upload-pages-artifact")]
    assert order == sorted(order)
    assert steps[order[-1]]["with"]["path"] == "output"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    # Scheduled runs (embargoes falling due) build only, and save and deploy only changes.
    # Once a day, the scheduled build looks at every output file (the cron line it names).
    daily = "17 3 * * *"
    assert [t["cron"] for t in triggers["schedule"]] == ["*/5 * * * *", daily]
    verify = steps[runs.index("sh scripts/ci-publish build")]["env"]["MELDUNGEN_VERIFY"]
    assert verify == f"${{{{ github.event.schedule == '{daily}' && '1' || '' }}}}"
    for name in ("check", "test"):
        assert steps[runs.index(f"sh scripts/ci-publish {name}")]["if"] == \
            "github.event_name != 'schedule'"
    build_step = steps[runs.index("sh scripts/ci-publish build")]
    changed = f"steps.{build_step['id']}.outputs.changed == 'true'"
    assert steps[order[-2]]["if"] == changed == steps[order[-1]]["if"]
    assert deploy["if"] == "needs.build.outputs.changed == 'true'"
    assert workflow["jobs"]["build"]["outputs"]["changed"] == \
        f"${{{{ steps.{build_step['id']}.outputs.changed }}}}"


def test_a_scheduled_build_with_nothing_due_changes_nothing(publish_site, tmp_path):
    signal = tmp_path / "github-output"
    said = []

    def publish(now: str) -> str:
        signal.write_text("", encoding="utf-8")
        result = ci_publish(publish_site, "build", GITHUB_OUTPUT=str(signal), MELDUNGEN_NOW=now)
        assert result.returncode == 0, result.stdout + result.stderr
        said.append(result.stdout)
        return signal.read_text(encoding="utf-8")

    assert publish("2026-12-07T05:00:00+01:00") == "changed=true\n"
    write_article(publish_site / "content", "2026/12/sperrfrist.md",
                  'title: "Arbeitsmarkt im November"\ndate: 2026-12-07T06:00:00+01:00\n'
                  "category: Wirtschaft")
    before = snapshot(publish_site / "output")
    assert publish("2026-12-07T05:55:00+01:00") == "changed=false\n"
    assert "(incremental)" in said[-1]
    assert publish("2026-12-07T05:56:00+01:00") == "changed=false\n"
    assert "(nothing changed)" in said[-1]  # the build stopped before reading
    assert snapshot(publish_site / "output") == before
    assert publish("2026-12-07T06:00:00+01:00") == "changed=true\n"
    assert (publish_site / "output/2026/12/07/arbeitsmarkt-im-november/index.html").is_file()


def test_pre_commit_hook_runs_check_on_changed_articles(site_copy):
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    (hook,) = config["repos"][0]["hooks"]
    assert config["repos"][0]["repo"] == "local" and hook["language"] == "system"
    pattern = __import__("re").compile(hook["files"])
    assert pattern.search("content/2024/01/x.md") and not pattern.search("generator/x.py")
    # pre-commit appends the changed files to the entry; run it the same way.
    write_article(site_copy / "content", "2026/03/neu.md", 'title: "X"\ndate: 2026-03-01\n'
                  "category: Sprot")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run([*hook["entry"].split(), "content/2026/03/neu.md"], cwd=site_copy,
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "content/2026/03/neu.md:4: unknown category 'Sprot' (did you mean 'Sport'?)" \
        in result.stdout


def _open_in(folder: Path) -> list[str]:
    """The files under ``folder`` that this process holds open."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):  # the listing's own descriptor is gone by now
            target = os.readlink(f"/proc/self/fd/{fd}")
            if target.startswith(f"{folder}/"):
                found.append(target)
    return found


@pytest.mark.parametrize("cache", ["cold", "kept"])
def test_a_build_leaves_no_file_open_behind_it(site_copy, cache):
    # An unclosed SQLite connection is freed only by the cyclic collector, which the build
    # switches off: a connection closed later by it removed its -shm file from under a caller
    # that was removing the cache folder. With the collector off, nothing may stay open.
    settings = load(site_copy / "pelicanconf.py")
    if cache == "kept":
        build(settings)
        write_article(site_copy / "content", "neu.md",
                      'title: "Neu"\ndate: 2025-03-01T10:00:00\ncategory: Ausland')
    gc.disable()
    try:
        build(settings)
        assert _open_in(site_copy) == []
    finally:
        gc.enable()


def test_a_second_build_of_an_output_waits_for_the_first(site_copy, caplog):
    settings = load(site_copy / "pelicanconf.py")
    build(settings)
    write_article(site_copy / "content", "neu.md",
                  'title: "Neu"\ndate: 2026-11-27T09:00:00+01:00\ncategory: Inland')
    done = threading.Event()
    second = threading.Thread(target=lambda: (build(settings), done.set()))
    with exclusive(settings.OUTPUT_PATH):  # what the second build sees of a first one
        second.start()
        assert not done.wait(1.5), "the second build did not wait"
    second.join(60)
    assert done.is_set()
    assert "another build is writing it; waiting for it to finish" in caplog.text
    assert (site_copy / "output" / "2026" / "11" / "27" / "neu" / "index.html").is_file()


def tamper(output: Path) -> None:
    """Every kind of hand change: each moves some folder's mtime or a file's size."""
    article = next(p for p in sorted(output.rglob("index.html")) if len(p.parts) - len(
        output.parts) == 5)  # YYYY/MM/DD/slug/index.html
    (article.parent / "stray.html").write_text("stray")               # a file beside a page
    (output / "fremd" / "tief").mkdir(parents=True)                   # a folder nobody made
    (output / "fremd" / "tief" / "x.txt").write_text("x")
    (output / "kategorien" / "index.html").unlink()                   # a page deleted
    with open(output / "index.html", "ab") as handle:                 # a page grown
        handle.write(b"<!-- edited -->")
    feed = next((output / "feeds").iterdir())
    feed.unlink()
    feed.mkdir()                                                      # a file now a folder
    (feed / "inner").write_text("inner")


@pytest.mark.parametrize("how", ["verify", "no stamp"])
def test_output_changed_by_hand_is_repaired_by_an_incremental_build(site_copy, tmp_path, how):
    """``--verify`` or a missing stamp: the publisher looks at the output folder, trusting
    only folders whose mtime is as recorded, and the next build equals a clean one."""
    settings = load(site_copy / "pelicanconf.py")
    build(settings)
    output = site_copy / "output"
    tamper(output)
    if how == "no stamp":
        (output / STAMP).unlink()
    report = build(replace(settings, BUILD_VERIFY=how == "verify"))
    assert not report.full
    clean = tmp_path / "clean"
    build(load(site_copy / "pelicanconf.py", {"OUTPUT_PATH": str(clean)}))
    assert snapshot_bytes(output) == snapshot_bytes(clean)


def test_a_stamped_output_is_trusted_without_looking(site_copy, tmp_path):
    """The stamp agrees with the cache: the build looks at no file, so a hand's change stays
    (README: such a folder needs ``--verify``); an edit is still built and published."""
    settings = load(site_copy / "pelicanconf.py")
    build(settings)
    output = site_copy / "output"
    tamper(output)
    write_article(site_copy / "content", "2024/03/neu.md",
                  "title: Neu im Archiv\ndate: 2024-03-01T10:00:00+01:00\ncategory: Inland")
    report = build(settings)
    assert not report.full
    assert (output / "fremd" / "tief" / "x.txt").read_text() == "x"
    assert "Neu im Archiv" in (output / "index.html").read_text(encoding="utf-8")
    # The stamp names the records' content, whatever the builds' history: a clean build's.
    clean = tmp_path / "clean"
    build(load(site_copy / "pelicanconf.py", {"OUTPUT_PATH": str(clean)}))
    assert (output / STAMP).read_bytes() == (clean / STAMP).read_bytes()


def test_a_trusted_build_keeps_what_unchanged_reports_own_without_asking_for_records(
        site_copy, tmp_path, monkeypatch):
    """An edit in a stamped output: the pages and search result files of the reports that
    did not change are kept without a lookup in the build cache's records each (millions
    of them at a million reports), and the output still equals a clean build's."""
    settings = load(site_copy / "pelicanconf.py")
    build(settings)
    output = site_copy / "output"
    owned = {p.relative_to(output).as_posix() for pattern in ("20*/*/*/*/index.html",
                                                               "search/r/*/*.json")
             for p in output.glob(pattern)}
    edited = sorted((site_copy / "content").rglob("*.md"))[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nEin Satz mehr.\n",
                      encoding="utf-8")
    asked: list[str] = []

    def spying(method):
        def spied(self, keys, *args):
            if self.name == "outputs":
                keys = [keys] if isinstance(keys, str) else list(keys)
                asked.extend(keys)
                keys = keys[0] if method.__name__ == "get" else keys
            return method(self, keys, *args)
        return spied

    monkeypatch.setattr(Table, "get", spying(Table.get))
    monkeypatch.setattr(Table, "get_many", spying(Table.get_many))
    report = build(settings)
    monkeypatch.undo()
    assert not report.full and report.written
    assert len(owned) > 10
    looked_up = owned & set(asked)
    # The edited report's own page and result file only (its body alone changed).
    assert len(looked_up) == 2, sorted(looked_up)
    assert sum(path.startswith("search/r/") for path in looked_up) == 1
    clean = tmp_path / "clean"
    build(load(site_copy / "pelicanconf.py", {"OUTPUT_PATH": str(clean)}))
    assert snapshot_bytes(output) == snapshot_bytes(clean)


def snapshot_bytes(output: Path) -> dict[str, bytes]:
    return {p.relative_to(output).as_posix(): p.read_bytes()
            for p in sorted(output.rglob("*")) if p.is_file()}


def test_a_journal_removes_files_and_prunes_each_emptied_folder_once(tmp_path, monkeypatch):
    """Finishing a commit's removals: folders left empty go, as a clean build has none, and
    each folder is looked at once however many of its files went (a merge of the search
    index removes thousands of shards from one folder)."""
    output = tmp_path / "output"
    (output / "search" / "s").mkdir(parents=True)
    (output / "2020" / "01" / "alt").mkdir(parents=True)
    shards = [f"search/s/{i:04d}.bin" for i in range(300)]
    for path in [*shards, "2020/01/alt/index.html", "index.html"]:
        (output / path).write_text("x", encoding="utf-8")
    (tmp_path / ".output.journal").write_text(json.dumps(
        {"move": [], "remove": [*shards[:-1], "2020/01/alt/index.html"]}), encoding="utf-8")
    scanned: list[str] = []

    def counting(listing):
        def listed(path):
            scanned.append(Path(path).relative_to(output).as_posix())
            return listing(path)
        return listed

    monkeypatch.setattr(os, "scandir", counting(os.scandir))
    monkeypatch.setattr(os, "listdir", counting(os.listdir))
    recover(output)
    monkeypatch.undo()
    assert sorted(scanned) == ["2020", "2020/01", "2020/01/alt", "search/s"]
    assert sorted(p.relative_to(output).as_posix() for p in output.rglob("*")) == [
        "index.html", "search", "search/s", "search/s/0299.bin"]
    assert not (tmp_path / ".output.journal").exists()
