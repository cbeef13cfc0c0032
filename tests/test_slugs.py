import pytest

from generator.slugs import slugify


@pytest.mark.parametrize(("text", "slug"), [
    ("Finnische Außenministerin ruft USA zu massivem Druck auf Moskau auf",
     "finnische-aussenministerin-ruft-usa-zu-massivem-druck-auf-moskau-auf"),
    ("Börse", "boerse"),
    ("ÜBER GRÖSSE", "ueber-groesse"),
    ("USA: Russland soll „nordkoreanische“ Raketen eingesetzt haben",
     "usa-russland-soll-nordkoreanische-raketen-eingesetzt-haben"),
    ("Künstliche Intelligenz", "kuenstliche-intelligenz"),
    ("  DAX  --  Öl ", "dax-oel"),
])
def test_german_slugs(text, slug):
    assert slugify(text) == slug


def test_long_headlines_are_cut_at_a_word_boundary():
    slug = slugify("Bundesregierung " * 20)
    assert len(slug) <= 120 and not slug.endswith("-") and slug.endswith("bundesregierung")


def test_punctuation_only_gives_empty_slug():
    assert slugify("!!! ???") == ""
