"""README documents every setting (its table is the settings reference)."""

from dataclasses import fields

from helpers import ROOT

from generator.settings import Settings


def test_every_setting_is_in_the_readme_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [f.name for f in fields(Settings) if f"| `{f.name}` |" not in readme]
    assert missing == []
