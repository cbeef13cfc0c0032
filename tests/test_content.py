import os

import pytest
from helpers import make_settings, write_article

from generator.content import read_site
from generator.errors import ContentError

FRONT = 'title: "{title}"\ndate: {date}\ncategory: {cat}\ntags: [{tags}]'


def art(folder, name, title="Meldung", date="2024-01-04T10:00:00+01:00", cat="Ausland",
        tags="USA", extra=""):
    return write_article(folder, name, FRONT.format(title=title, date=date, cat=cat, tags=tags)
                         + ("\n" + extra if extra else ""))


def test_articles_are_ordered_by_date_and_get_urls(tmp_path):
    art(tmp_path, "b.md", "Zweite Meldung", "2024-01-05T10:00:00+01:00")
    art(tmp_path, "sub/a.md", "Erste Meldung", "2024-01-04T23:30:00Z")
    site = read_site(make_settings(tmp_path, tmp_path / "out"))
    assert [a.title for a in site.articles] == ["Erste Meldung", "Zweite Meldung"]
    # 23:30 UTC is already the 5th in Berlin: the URL uses the local date.
    assert site.articles[0].url == "2024/01/05/erste-meldung/"
    assert [a.index for a in site.articles] == [0, 1]


def test_same_day_resends_keep_their_own_stable_urls(tmp_path):
    art(tmp_path, "a.md", "Eilmeldung Börse", "2024-01-04T10:00:00+01:00")
    art(tmp_path, "b.md", "Eilmeldung Börse", "2024-01-04T14:05:09+01:00")
    first = {a.source_path: a.url for a in read_site(make_settings(tmp_path, tmp_path)).articles}
    assert first == {"a.md": "2024/01/04/eilmeldung-boerse/",
                     "b.md": "2024/01/04/eilmeldung-boerse-1405/"}
    # A later re-send (even in the same minute as b) never changes an existing URL.
    art(tmp_path, "c.md", "Eilmeldung Börse", "2024-01-04T14:05:30+01:00")
    second = {a.source_path: a.url for a in read_site(make_settings(tmp_path, tmp_path)).articles}
    assert second["a.md"] == first["a.md"] and second["b.md"] == first["b.md"]
    assert second["c.md"] == "2024/01/04/eilmeldung-boerse-140530/"


def test_resend_on_another_day_needs_no_suffix(tmp_path):
    art(tmp_path, "a.md", "Streik bei der Bahn", "2024-01-04T10:00:00+01:00")
    art(tmp_path, "b.md", "Streik bei der Bahn", "2024-01-05T10:00:00+01:00")
    urls = sorted(a.url for a in read_site(make_settings(tmp_path, tmp_path)).articles)
    assert urls == ["2024/01/04/streik-bei-der-bahn/", "2024/01/05/streik-bei-der-bahn/"]


def test_two_explicit_slugs_for_one_url_are_an_error_naming_both_files(tmp_path):
    art(tmp_path, "a.md", "Eins", extra="slug: gleich")
    art(tmp_path, "b.md", "Zwei", extra="slug: gleich")
    with pytest.raises(ContentError) as info:
        read_site(make_settings(tmp_path, tmp_path))
    text = str(info.value)
    assert "b.md:1:" in text and "a.md" in text and "/2024/01/04/gleich/" in text


def test_every_problem_of_every_file_is_reported_at_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    art(tmp_path, "good.md")
    art(tmp_path, "cat.md", cat="Ausand")
    art(tmp_path, "date.md", date="2024-13-01")
    (tmp_path / "latin.md").write_bytes("---\ntitle: Gr\xfc\xdfe\n---\n".encode("latin-1"))
    (tmp_path / "yaml.md").write_text("---\ntitle: a: b\n---\n", encoding="utf-8")
    with pytest.raises(ContentError) as info:
        read_site(make_settings(tmp_path, tmp_path))
    lines = str(info.value).splitlines()
    assert lines[0] == "4 problems in the content:"
    assert any(line.startswith("cat.md:4: unknown category 'Ausand' (did you mean 'Ausland'?)")
               for line in lines)
    assert any(line.startswith("date.md:3: 'date': invalid date") for line in lines)
    assert any(line.startswith("latin.md:2: not UTF-8") for line in lines)
    assert any(line.startswith("yaml.md:2: YAML syntax error") for line in lines)


def test_every_problem_of_one_file_each_with_its_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_article(tmp_path / "content", "2026/12/x.md",
                  'title: "X"\ncategory: Ausand\ntags: [CON]\nslug: "a b"', "")
    with pytest.raises(ContentError) as info:
        read_site(make_settings(tmp_path / "content", tmp_path / "output"))
    assert str(info.value).splitlines() == [
        "5 problems in the content:",
        "content/2026/12/x.md:1: 'date' is missing or empty",
        "content/2026/12/x.md:3: unknown category 'Ausand' (did you mean 'Ausland'?)",
        "content/2026/12/x.md:4: tag 'CON' gives the URL part 'con', a device name Windows "
        "reserves; rename the tag",
        "content/2026/12/x.md:5: slug 'a b' may hold only a-z, 0-9 and single '-' between them "
        "(it becomes part of a URL)",
        "content/2026/12/x.md:6: no text: a report needs at least a lead paragraph",
    ]


def test_problems_name_files_below_the_working_folder_relatively_else_absolutely(
        tmp_path, monkeypatch):
    content = tmp_path / "site" / "content"
    art(content, "a.md", "Eins", extra="slug: gleich")
    art(content, "b.md", "Zwei", extra="slug: gleich")
    settings = make_settings(content, tmp_path / "output")
    for cwd, shown in [(tmp_path / "site", "content/"), (tmp_path / "anderswo", f"{content}/")]:
        cwd.mkdir(exist_ok=True)
        monkeypatch.chdir(cwd)
        with pytest.raises(ContentError) as info:
            read_site(settings)
        assert str(info.value).splitlines()[1] == (
            f"{shown}b.md:1: URL /2024/01/04/gleich/ is also claimed by {shown}a.md")
        assert [p.path for p in info.value.problems] == ["b.md"]  # as the build keeps them


def test_category_matches_case_and_umlaut_insensitively(tmp_path):
    art(tmp_path, "a.md", cat="boerse")
    art(tmp_path, "b.md", "B", cat="BÖRSE")
    site = read_site(make_settings(tmp_path, tmp_path))
    assert [a.category for a in site.articles] == ["Börse", "Börse"]
    assert site.categories["boerse"].name == "Börse"
    assert site.categories["boerse"].url == "kategorie/boerse/"


def test_tag_name_is_the_commonest_spelling(tmp_path):
    art(tmp_path, "a.md", "A", tags="Russland")
    art(tmp_path, "b.md", "B", tags="Russland")
    art(tmp_path, "c.md", "C", tags="russland")
    site = read_site(make_settings(tmp_path, tmp_path))
    assert site.tags["russland"].name == "Russland"
    assert site.tags["russland"].articles == (0, 1, 2)


def test_summary_defaults_to_the_lead_as_plain_text(tmp_path):
    write_article(tmp_path, "a.md", FRONT.format(title="T", date="2024-01-04", cat="Sport",
                                                 tags="x"),
                  "Berlin (dts) - Der **Lead** mit [Link](https://example.org).\n\nRest.\n")
    article = read_site(make_settings(tmp_path, tmp_path)).articles[0]
    assert article.summary == "Berlin (dts) - Der Lead mit Link."
    assert article.source == "dts-nachrichtenagentur.de"


def test_symlink_out_of_the_content_folder_is_refused(tmp_path):
    outside = art(tmp_path / "outside", "x.md")
    content = tmp_path / "content"
    art(content, "a.md")
    os.symlink(outside, content / "link.md")
    with pytest.raises(ContentError, match=r"link\.md:1: symbolic link points outside"):
        read_site(make_settings(content, tmp_path / "out"))


def test_unknown_front_matter_key_is_warned_once(tmp_path, caplog):
    art(tmp_path, "a.md", "A", extra="autor: X")
    art(tmp_path, "b.md", "B", extra="autor: Y")
    site = read_site(make_settings(tmp_path, tmp_path))
    warnings = [r for r in caplog.records if "autor" in r.getMessage()]
    assert len(warnings) == 1
    assert site.articles[0].extra == {"autor": "X"}
