import pytest

from generator.errors import ConfigError
from generator.settings import Settings, documentation, load

PELICAN = frozenset({"PATH", "OUTPUT_PATH", "THEME", "SITEURL", "PLUGINS"})


def test_defaults_are_valid():
    settings = Settings.from_mapping({}, pelican_keys=PELICAN)
    assert settings.RELATED_COUNT == 6 and settings.CATEGORIES[0] == "Ausland"


def test_every_problem_at_once_with_hints():
    with pytest.raises(ConfigError) as info:
        Settings.from_mapping({"RELATED_COUNTS": 5, "PAGE_SIZE": "20", "TIMEZONE": "Mars/Olymp",
                               "TAG_URL_PATTERN": "/thema/x", "SITEURL": "example.org"},
                              pelican_keys=PELICAN)
    text = str(info.value)
    assert "unknown setting RELATED_COUNTS (did you mean RELATED_COUNT?)" in text
    assert "PAGE_SIZE: expected a whole number" in text
    assert "SITEURL: must be empty or an http:// or https:// address" in text
    assert "TIMEZONE: unknown time zone 'Mars/Olymp'" in text
    assert "TAG_URL_PATTERN: must contain {slug}" in text
    assert "TAG_URL_PATTERN: must be relative and end with '/'" in text
    assert text.startswith("6 problems in pelicanconf.py:")


def test_search_segment_sizes_must_nest():
    with pytest.raises(ConfigError) as raised:
        Settings.from_mapping({"SEARCH_MID_DOCS": 1001, "SEARCH_RECENT_DOCS": 10},
                              pelican_keys=PELICAN)
    assert ("SEARCH_MID_DOCS: must be a multiple of SEARCH_RECENT_DOCS (10), not 1001"
            in str(raised.value))
    assert ("SEARCH_RECENT_DOCS: must be a multiple of SEARCH_TAIL_DOCS (4), not 10"
            in str(raised.value))
    nested = Settings.from_mapping({"SEARCH_TAIL_DOCS": 4, "SEARCH_RECENT_DOCS": 12,
                                    "SEARCH_MID_DOCS": 24}, pelican_keys=PELICAN)
    assert nested.SEARCH_MID_DOCS == 24


def test_pelicans_own_keys_are_accepted_from_a_real_pelicanconf(tmp_path):
    conf = tmp_path / "pelicanconf.py"
    conf.write_text('SITENAME = "X"\nDEFAULT_PAGINATION = 10\nRELATED_COUNT = 4\n'
                    'PATH = "."\nTHEME = "."\n', encoding="utf-8")
    assert load(conf).RELATED_COUNT == 4


def test_misspelt_key_in_pelicanconf_is_refused(tmp_path):
    conf = tmp_path / "pelicanconf.py"
    conf.write_text('PATH = "."\nTHEME = "."\nCATEGORIEN = ["Sport"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"CATEGORIEN \(did you mean CATEGORIES\?\)"):
        load(conf)


def test_every_field_is_documented():
    from dataclasses import fields

    docs = documentation()
    assert sorted(docs) == sorted(f.name for f in fields(Settings))
    assert all(len(text) > 10 for text in docs.values())


def test_categories_are_display_names_and_two_spellings_of_one_are_refused():
    assert "Börse" in Settings.from_mapping({}, pelican_keys=PELICAN).CATEGORIES
    with pytest.raises(ConfigError, match=r"'Börse' and 'Boerse' are one category "
                                          r"\(both /boerse/\)"):
        Settings.from_mapping({"CATEGORIES": ["Börse", "Boerse"]}, pelican_keys=PELICAN)


@pytest.mark.parametrize("url", ["https://example.org/\nSitemap: https://evil.example/x.xml",
                                 'https://example.org/"><script>', "https://exa mple.org"])
def test_a_site_address_cannot_carry_lines_or_markup_into_robots_or_feeds(url):
    with pytest.raises(ConfigError, match="SITEURL: must be empty or an http"):
        Settings.from_mapping({"SITEURL": url}, pelican_keys=PELICAN)
    assert Settings.from_mapping({"SITEURL": "https://example.github.io/meldungen"},
                                 pelican_keys=PELICAN).SITEURL


def test_obsolete_align_and_unescaped_text_tags_are_refused():
    with pytest.raises(ConfigError) as info:
        Settings.from_mapping({"HTML_ALLOWED_TAGS": ["p", "td", "xmp", "plaintext"],
                               "HTML_ALLOWED_ATTRIBUTES": {"td": ["align"], "p": ["align"]}},
                              pelican_keys=PELICAN)
    text = str(info.value)
    assert "HTML_ALLOWED_TAGS: ['plaintext', 'xmp'] would let article bodies" in text
    assert "HTML_ALLOWED_ATTRIBUTES['td']: 'align' is obsolete HTML" in text
    assert "HTML_ALLOWED_ATTRIBUTES['p']: 'align' is obsolete HTML" in text
    assert "align" not in str(Settings().HTML_ALLOWED_ATTRIBUTES)
