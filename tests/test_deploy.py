"""meldungen deploy against a real rsync daemon on 127.0.0.1: only what the build changed."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from helpers import FIXTURE_SITE, ROOT, make_settings

from generator import build
from generator.cli import cli
from generator.deploy import DeployError, deploy, load_manifest, manifest_path
from generator.outputs import STAMP


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def daemon(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """An rsync daemon on 127.0.0.1 with one writable module: (its URL, its folder)."""
    assert shutil.which("rsync"), "rsync is needed (scripts/ensure-test-tools installs it)"
    remote = tmp_path / "remote"
    remote.mkdir()
    port = free_port()
    config = tmp_path / "rsyncd.conf"
    config.write_text(f"use chroot = false\nuid = {os.getuid()}\ngid = {os.getgid()}\n"
                      f"log file = {tmp_path / 'rsyncd.log'}\n\n"
                      f"[site]\npath = {remote}\nread only = false\n", encoding="utf-8")
    process = subprocess.Popen(["rsync", "--daemon", "--no-detach", f"--config={config}",
                                "--address=127.0.0.1", f"--port={port}"])
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the rsync daemon did not start") from None
                time.sleep(0.05)
        yield f"rsync://127.0.0.1:{port}/site/", remote
    finally:
        process.terminate()
        process.wait(timeout=10)


def tree(folder: Path) -> dict[str, bytes]:
    """What readers get: every file but the build's stamp, which deploy leaves out."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != STAMP}


def folders(files: dict[str, bytes]) -> set[str]:
    return {"/".join(p.split("/")[:end]) for p in files for end in range(1, p.count("/") + 1)}


def empty_folders(folder: Path) -> list[str]:
    return [p.relative_to(folder).as_posix() for p in folder.rglob("*")
            if p.is_dir() and not any(p.iterdir())]


@pytest.fixture
def site(tmp_path: Path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE / "content", content)
    settings = make_settings(content, tmp_path / "output", URL_GUARD=False)
    build(settings)
    return content, tmp_path / "output", settings


def test_first_deploy_uploads_everything_then_an_edit_only_what_the_build_wrote(
        site, daemon, tmp_path: Path):
    content, output, settings = site
    url, remote = daemon
    caches = tmp_path / "cache" / "meldungen" / "pair"
    first = deploy(output, url, caches)
    assert first.full
    assert tree(remote) == tree(output)
    assert sorted(first.uploaded) == sorted(tree(output))
    assert first.deleted == [] and first.bytes_sent > sum(map(len, tree(output).values()))
    assert load_manifest(manifest_path(caches, url), url).keys() == tree(output).keys()
    assert (output / STAMP).is_file() and not (remote / STAMP).exists()

    again = deploy(output, url, caches)  # nothing built since: nothing considered
    assert (again.full, again.hashed, again.uploaded, again.deleted) == (False, 0, [], [])

    before = tree(output)
    article = next(p for p in sorted(content.rglob("*.md"))
                   if "tags:" in p.read_text(encoding="utf-8"))
    article.write_text(article.read_text(encoding="utf-8") + "\nEin Nachtrag zur Erweiterung "
                       "mit Wörtern wie Zeppelinlandeplatz.\n", encoding="utf-8")
    build(settings)
    after = tree(output)
    new = {p for p in after if p not in before}
    changed = {p for p in after if p in before and after[p] != before[p]}
    gone = {p for p in before if p not in after}
    assert changed and new  # the page changed; the search index names its shards anew

    edit = deploy(output, url, caches)
    assert not edit.full and edit.hashed == len(new | changed)
    assert [step.name for step in edit.steps] == ["new files", "changed files", "removed files"]
    new_step, changed_step, removed_step = edit.steps
    assert set(new_step.uploaded) == new
    assert set(changed_step.uploaded) == changed
    assert set(removed_step.deleted) >= gone and len(edit.uploaded) == len(new | changed)
    assert tree(remote) == after
    assert empty_folders(remote) == empty_folders(output)


def test_a_deleted_report_is_deleted_remotely_with_its_folder(site, daemon, tmp_path: Path):
    content, output, settings = site
    url, remote = daemon
    caches = tmp_path / "cache" / "meldungen" / "pair"
    deploy(output, url, caches)
    before = tree(output)
    victim = sorted(content.rglob("*.md"))[0]
    victim.unlink()
    build(settings)
    after = tree(output)
    gone = {p for p in before if p not in after}
    pages = {p for p in gone if p.endswith("/index.html")}
    assert pages, "the report's page is gone from the output"

    report = deploy(output, url, caches)
    folders_gone = folders(before) - folders(after)
    assert folders_gone  # at least the report's own folder
    assert set(report.deleted) == gone | folders_gone
    assert report.uploaded == [p for p in report.uploaded if p not in before or
                               before[p] != after[p]]
    assert tree(remote) == after
    assert empty_folders(remote) == empty_folders(output)


def test_full_repairs_a_target_changed_by_hand(site, daemon, tmp_path: Path):
    _, output, _ = site
    url, remote = daemon
    caches = tmp_path / "cache" / "meldungen" / "pair"
    deploy(output, url, caches)
    (remote / "index.html").write_text("verändert", encoding="utf-8")
    (remote / "stray.html").write_text("fremd", encoding="utf-8")
    assert deploy(output, url, caches).uploaded == []  # trusts its manifest
    repaired = deploy(output, url, caches, full=True)
    assert repaired.full and repaired.uploaded == ["index.html"]
    assert repaired.deleted == ["stray.html"]
    assert tree(remote) == tree(output)


def test_errors_name_the_target_and_what_to_do(site, daemon, tmp_path: Path):
    _, output, _ = site
    url, _ = daemon
    with pytest.raises(DeployError, match="DEPLOY_TARGET"):
        deploy(output, "", tmp_path / "c")
    with pytest.raises(DeployError, match="run meldungen build first"):
        deploy(tmp_path / "nowhere", url, tmp_path / "c")
    wrong = url.replace("/site/", "/nosuchmodule/")
    with pytest.raises(DeployError, match=f"rsync \\(new files\\) to {wrong} failed"):
        deploy(output, wrong, tmp_path / "c")
    assert not manifest_path(tmp_path / "c", wrong).exists()


def test_the_command_deploys_to_the_settings_target_and_dry_run_changes_nothing(
        site, daemon, tmp_path: Path, monkeypatch):
    content, output, _ = site
    url, remote = daemon
    conf = tmp_path / "pelicanconf.py"
    conf.write_text(f"PATH = {str(content)!r}\nOUTPUT_PATH = {str(output)!r}\n"
                    f"THEME = {str(ROOT / 'theme')!r}\n"
                    f"DEPLOY_TARGET = {url!r}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    dry = runner.invoke(cli, ["deploy", "-s", str(conf), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "files would be uploaded" in dry.output and tree(remote) == {}
    done = runner.invoke(cli, ["deploy", "-s", str(conf), "--list"])
    assert done.exit_code == 0, done.output
    files = len(tree(output))
    assert f"{files} files uploaded, 0 deleted, of {files} (compared in full)" in done.output
    assert "  index.html\n" in done.output
    assert tree(remote) == tree(output)


def test_the_rsync_workflow_builds_then_deploys_then_saves_the_cache():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "deploy-rsync.yml").read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as True
    assert "push" in triggers and "schedule" in triggers
    steps = workflow["jobs"]["deploy"]["steps"]
    uses = [s.get("uses", "").split("@")[0] for s in steps]
    runs = [s.get("run", "") for s in steps]
    deploy_step = next(i for i, run in enumerate(runs) if "meldungen deploy" in run)
    order = [uses.index("actions/cache/restore"), runs.index("sh scripts/ci-publish build"),
             deploy_step, uses.index("actions/cache/save")]
    assert order == sorted(order)
    assert steps[order[0]]["with"]["path"].split() == [".cache", "output"]
    assert steps[order[-1]]["with"]["path"].split() == [".cache", "output"]
    assert "--target \"$DEPLOY_TARGET\"" in runs[deploy_step]
    assert steps[deploy_step]["env"]["DEPLOY_TARGET"] == "${{ secrets.DEPLOY_TARGET }}"
    assert not any(u.startswith("actions/upload-pages") or u.startswith("actions/deploy-pages")
                   for u in uses)
