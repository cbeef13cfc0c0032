"""Shared fixtures: the fixture site, a built copy of it, and helpers to write articles."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import build
from generator.settings import Settings, load

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_SITE = ROOT / "tests" / "fixtures" / "site"


def write_article(folder: Path, name: str, front: str, body: str = "Lead.\n\nBody.\n") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front.strip()}\n---\n{body}", encoding="utf-8")
    return path


def make_settings(content: Path, output: Path, **extra: object) -> Settings:
    values = {"PATH": content, "OUTPUT_PATH": output, "THEME": ROOT / "theme", **extra}
    return Settings.from_mapping(values, pelican_keys=frozenset({"PATH", "OUTPUT_PATH", "THEME"}))


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
