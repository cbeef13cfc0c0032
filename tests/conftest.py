"""Shared fixtures: a private copy of the fixture site, and the three sites built once each."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import FIXTURE_SITE, HOSTILE_SITE, ROOT

from generator import build
from generator.settings import load


@pytest.fixture
def site_copy(tmp_path: Path) -> Path:
    """A private copy of the fixture site (content and settings) to change freely."""
    target = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE / "content", target / "content")
    text = (FIXTURE_SITE / "pelicanconf.py").read_text(encoding="utf-8")
    (target / "pelicanconf.py").write_text(
        text.replace('THEME = "../../../theme"', f'THEME = "{(ROOT / "theme").as_posix()}"'),
        encoding="utf-8")
    return target


@pytest.fixture(scope="session")
def built_fixture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site built once per test session (read-only for tests)."""
    output = tmp_path_factory.mktemp("built") / "output"
    build(load(FIXTURE_SITE / "pelicanconf.py", {"OUTPUT_PATH": str(output)}))
    return output


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample archive (content/, top-level pelicanconf.py) built once (read-only)."""
    output = tmp_path_factory.mktemp("sample") / "output"
    build(load(ROOT / "pelicanconf.py", {"OUTPUT_PATH": str(output)}))
    return output


@pytest.fixture(scope="session")
def built_hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile fixture (tests/fixtures/hostile/) built once (read-only), as of a clock
    just after its reports, so that their headlines are in the news sitemap too."""
    output = tmp_path_factory.mktemp("hostile") / "output"
    build(load(HOSTILE_SITE / "pelicanconf.py", {"OUTPUT_PATH": str(output),
                                                  "BUILD_NOW": "2024-03-03T09:00:00+01:00"}))
    return output
