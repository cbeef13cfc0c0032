"""Agency exports → articles: the format's variants, idempotence, refusals, atomic writes."""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from helpers import ROOT, make_settings, write_photo
from hypothesis import given
from hypothesis import strategies as st

from generator import markup
from generator.article_file import article_text, write_new_file
from generator.content import read_article, read_site
from generator.importer import (
    Archive,
    decode_export,
    escape_markdown,
    import_file,
    parse_export,
)
from generator.slugs import reserved, slugify

EXPORTS = ROOT / "tests" / "fixtures" / "exports"
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def settings(tmp_path):
    return make_settings(tmp_path / "content", tmp_path / "output")


def parse(name, settings):
    report, problems = parse_export(name, (EXPORTS / name).read_bytes(), settings)
    assert problems == []
    return report


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below folder (hidden ones too) with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_plain_export_gives_tags_headline_date_lead_and_source(settings):
    report = parse("usa-russland-raketen.txt", settings)
    assert report.tags == ("USA", "Russland", "Nordkorea")
    assert report.title == "USA: Russland soll nordkoreanische Raketen eingesetzt haben"
    assert report.date == datetime(2024, 1, 4, 20, 41, 54, tzinfo=BERLIN)
    assert report.date.utcoffset().total_seconds() == 3600
    assert report.paragraphs[0].startswith("Washington (dts Nachrichtenagentur) - Die US-")
    # A paragraph wrapped over two lines is one paragraph.
    assert report.paragraphs[1].endswith("Man werde die Verbündeten im UN-Sicherheitsrat "
                                         "informieren.")
    assert len(report.paragraphs) == 2
    assert report.source == "dts Nachrichtenagentur"


def test_teasers_under_weitere_meldungen_never_reach_the_body(settings):
    report = parse("usa-russland-raketen.txt", settings)
    body = " ".join(report.paragraphs)
    for teaser_text in ("Kreml", "Spitzenspiel", "weiterlesen", "Weitere Meldungen"):
        assert teaser_text not in body


def test_windows_line_ends_bom_and_sloppy_keywords(settings):
    raw = (EXPORTS / "finnland-windows.txt").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # the fixture is what it claims
    report = parse("finnland-windows.txt", settings)
    assert report.tags == ("Finnland", "USA", "Russland")
    assert report.title == "Finnische Außenministerin ruft USA zu massivem Druck auf Moskau auf"
    assert report.date == datetime(2024, 1, 5, 9, 12, tzinfo=BERLIN)
    assert all("\r" not in p and "\ufeff" not in p for p in report.paragraphs)
    assert report.paragraphs[1] == "Sie äußerte sich am Rande eines Treffens in Helsinki."


def test_latin1_export_is_decoded_as_windows_1252(settings):
    raw = (EXPORTS / "dax-latin1.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    report = parse("dax-latin1.txt", settings)
    assert report.encoding == "cp1252"
    assert report.title == "DAX schließt über 17.000 Punkten – Euro bei 1,09 Dollar"
    assert report.tags == ("DAX", "Börse")
    assert "Gold „glänzte“ mit 2.030 € je Feinunze." in report.paragraphs[0]


def test_bytes_that_windows_1252_leaves_undefined_fall_back_to_latin1():
    text, encoding = decode_export(b"Gr\xfc\xdfe \x81\r\nzweite Zeile")
    assert encoding == "latin-1"
    assert text == "Grüße \x81\nzweite Zeile"


def test_missing_keywords_line_and_stray_whitespace(settings):
    report = parse("koeln-ohne-stichworte.txt", settings)
    assert report.tags == ()
    assert report.title == "Köln wieder Tabellenführer"
    assert report.date == datetime(2026, 2, 14, 19, 30, tzinfo=BERLIN)
    assert report.paragraphs[0] == ("Köln (dts Nachrichtenagentur) - Der 1. FC Köln hat das "
                                    "Spitzenspiel gewonnen.")
    assert report.source == "dts Nachrichtenagentur"


@pytest.mark.parametrize(("name", "line", "words"), [
    ("kaputt-ohne-datum.txt", 4, "date line"),
    ("kaputt-text-nach-quelle.txt", 10, "after the source line"),
    ("kaputt-teaser-ohne-ueberschrift.txt", 8, "Weitere Meldungen"),
])
def test_unparsable_exports_name_the_line(settings, name, line, words):
    report, problems = parse_export(name, (EXPORTS / name).read_bytes(), settings)
    assert report is None
    assert [(p.path, p.line) for p in problems] == [(name, line)]
    assert words in problems[0].message


@pytest.mark.parametrize(("text", "line", "words"), [
    (b"", 1, "empty"),
    (b"Zwei Zeilen\nals Ueberschrift\n01.02.2024 - 10:00:00\n\nText.\n", 1, "one line"),
    (b"Eins\n\nZwei\n\nTitel\n01.02.2024 - 10:00:00\n\nText.\n", 1, "before the headline"),
    (b"Titel\n31.02.2024 - 10:00:00\n\nText.\n", 2, "invalid date"),
    (b"Titel\n01.02.2024 - 10:00:00\n\n@ dts\n", 3, "no text"),
    (b"Titel\n01.02.2024 - 10:00:00\n\nText.\n@\n", 5, "names no source"),
    (b"Titel\x00\n01.02.2024 - 10:00:00\n", 1, "NUL"),
])
def test_malformed_exports(settings, text, line, words):
    report, problems = parse_export("x.txt", text, settings)
    assert report is None
    assert any(p.line == line and words in p.message for p in problems), problems


def test_import_writes_a_valid_pinned_article(tmp_path, settings):
    archive = Archive(tmp_path / "content", settings)
    export = EXPORTS / "usa-russland-raketen.txt"
    outcome = import_file(archive, export, "usa.txt", "ausland")
    assert outcome.status == "created"
    assert outcome.target == "2024/01/usa-russland-soll-nordkoreanische-raketen-eingesetzt-haben.md"
    data = (tmp_path / "content" / outcome.target).read_bytes()
    article, problems = read_article("a.md", data, settings)
    assert problems == []
    assert article.pinned
    assert article.slug == "usa-russland-soll-nordkoreanische-raketen-eingesetzt-haben"
    assert article.category == "Ausland"
    assert article.tags == ("USA", "Russland", "Nordkorea")
    assert article.source == "dts Nachrichtenagentur"
    assert article.date == datetime(2024, 1, 4, 20, 41, 54, tzinfo=BERLIN)
    assert article.url == "2024/01/04/usa-russland-soll-nordkoreanische-raketen-eingesetzt-haben/"
    assert markup.to_plain(article.lead_md).startswith("Washington (dts Nachrichtenagentur)")
    assert "weiterlesen" not in data.decode()


def test_importing_twice_changes_nothing(tmp_path, settings):
    exports = sorted(EXPORTS.glob("[!k]*.txt"))  # every export that parses
    content = tmp_path / "content"
    first = [import_file(Archive(content, settings), e, e.name, "Politik").status
             for e in exports]
    assert first == ["created"] * len(exports)
    before = tree(content)
    archive = Archive(content, settings)  # a fresh run, as a second `meldungen import` is
    second = [import_file(archive, e, e.name, "Politik").status for e in exports]
    assert second == ["unchanged"] * len(exports)
    assert tree(content) == before
    assert len(before) == len(exports)


def test_resends_get_their_own_file_and_url(tmp_path, settings):
    content = tmp_path / "content"
    archive = Archive(content, settings)
    a = import_file(archive, EXPORTS / "eilmeldung-1002.txt", "a", "Politik")
    b = import_file(archive, EXPORTS / "eilmeldung-1645.txt", "b", "Politik")
    assert (a.status, b.status) == ("created", "created")
    assert b.target == "2025/05/eilmeldung-bundestag-waehlt-kanzler-1645.md"
    urls = {x.url for x in read_site(settings).articles}
    assert urls == {"2025/05/06/eilmeldung-bundestag-waehlt-kanzler/",
                    "2025/05/06/eilmeldung-bundestag-waehlt-kanzler-1645/"}


def test_an_edited_article_is_not_overwritten_without_force(tmp_path, settings):
    content = tmp_path / "content"
    export = EXPORTS / "dax-latin1.txt"
    created = import_file(Archive(content, settings), export, "dax", "Boerse")
    target = content / created.target
    edited = target.read_text(encoding="utf-8").replace("ruhigen", "sehr ruhigen")
    target.write_text(edited, encoding="utf-8")
    refused = import_file(Archive(content, settings), export, "dax", "Boerse")
    assert (refused.status, refused.target) == ("refused", created.target)
    assert target.read_text(encoding="utf-8") == edited
    assert len(tree(content)) == 1
    forced = import_file(Archive(content, settings), export, "dax", "Boerse", force=True)
    assert forced.status == "replaced"
    assert "sehr ruhigen" not in target.read_text(encoding="utf-8")
    assert len(tree(content)) == 1


def test_an_article_already_in_the_archive_is_recognised_wherever_it_lives(site_copy):
    # The fixture site holds the same report, written by hand in another folder.
    settings = make_settings(site_copy / "content", site_copy / "output")
    before = tree(site_copy / "content")
    outcome = import_file(Archive(site_copy / "content", settings),
                          EXPORTS / "usa-russland-raketen.txt", "usa", "Ausland")
    assert outcome.status == "refused"
    assert outcome.target == "2024/01/04/usa-russland-raketen.md"
    assert tree(site_copy / "content") == before


def test_a_broken_export_writes_nothing(tmp_path, settings):
    content = tmp_path / "content"
    content.mkdir()
    for export in EXPORTS.glob("kaputt-*.txt"):
        outcome = import_file(Archive(content, settings), export, export.name, "Ausland")
        assert outcome.status == "failed" and outcome.problems
    assert tree(content) == {}


def test_category_from_the_exports_folder_or_an_error(tmp_path, settings):
    for folder in ("wirtschaft", "Sonstiges"):
        (tmp_path / folder).mkdir()
        shutil.copy(EXPORTS / "dax-latin1.txt", tmp_path / folder / "dax.txt")
    archive = Archive(tmp_path / "content", settings)
    ok = import_file(archive, tmp_path / "wirtschaft" / "dax.txt", "dax", None)
    article, _ = read_article("x", (tmp_path / "content" / ok.target).read_bytes(), settings)
    assert article.category == "Wirtschaft"
    bad = import_file(archive, tmp_path / "Sonstiges" / "dax.txt", "dax", None)
    assert bad.status == "failed" and "--kategorie" in bad.problems[0].message
    unknown = import_file(archive, tmp_path / "Sonstiges" / "dax.txt", "dax", "Feuilleton")
    assert unknown.status == "failed" and "Feuilleton" in unknown.problems[0].message


def test_file_pattern_setting_places_the_file(tmp_path):
    settings = make_settings(tmp_path / "c", tmp_path / "o",
                             ARTICLE_FILE_PATTERN="{year}/{month}/{day}/{slug}.md")
    outcome = import_file(Archive(tmp_path / "c", settings), EXPORTS / "dax-latin1.txt", "d",
                          "Boerse")
    assert outcome.target.startswith("2024/02/09/dax-schliesst")


def test_write_new_file_never_overwrites_and_leaves_no_temp_files(tmp_path):
    target = tmp_path / "a" / "b.md"
    write_new_file(target, "eins\n")
    with pytest.raises(FileExistsError):
        write_new_file(target, "zwei\n")
    assert target.read_text() == "eins\n"
    write_new_file(target, "drei\n", replace=True)
    assert target.read_text() == "drei\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["b.md"]


def test_written_files_get_the_usual_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        write_new_file(tmp_path / "x.md", "x\n")
    finally:
        os.umask(old)
    assert (tmp_path / "x.md").stat().st_mode & 0o777 == 0o644


# Plain text as it comes out of an export: Markdown's special characters, numbers, entities.
_plain = st.text(alphabet="abcäß 0123456789.)(#>*_-+=|~`[]<>!&;:\\/\"'€x", max_size=40).map(
    lambda s: " ".join(s.split()))


@given(_plain)
def test_escaped_paragraph_renders_as_exactly_its_text(text):
    rendered = markup.to_html(escape_markdown(text))
    assert markup.to_plain(escape_markdown(text)) == text
    if text:
        assert rendered.startswith("<p>") and rendered.count("<p>") == 1
        for tag in ("<ol", "<ul", "<h1", "<blockquote", "<em", "<strong", "<a ", "<code", "<hr"):
            assert tag not in rendered


# Control characters and noncharacters are refused in front matter (no feed could hold them);
# exports never bring them, as the importer drops them from every line.
_title = st.text(min_size=1, max_size=60).map(lambda s: " ".join(s.split())).filter(
    lambda s: s and not markup.UNWANTED.search(s))
# Tags a build accepts: one giving no usable topic URL is refused (test_paths).
_tag = st.text(min_size=1, max_size=20).map(lambda s: " ".join(s.split())).filter(
    lambda s: s and not markup.UNWANTED.search(s) and slugify(s) and not reserved(slugify(s)))


@given(_title, st.lists(_tag, max_size=4, unique=True), _title)
def test_front_matter_reads_back_exactly(title, tags, source):
    settings = make_settings(Path("content"), Path("output"))
    date = datetime(2024, 1, 4, 20, 41, 54, tzinfo=BERLIN)
    text = article_text(title, date, "Ausland", tags, "x", source, "Text.")
    article, problems = read_article("a.md", text.encode("utf-8"), settings)
    assert problems == []
    assert (article.title, article.tags, article.source) == (title, tuple(tags), source)
    assert article.date == date and article.slug == "x" and article.pinned


def test_a_photo_beside_the_export_comes_along_with_its_foto_line(tmp_path, settings):
    exports = tmp_path / "exports"
    exports.mkdir()
    text = (EXPORTS / "usa-russland-raketen.txt").read_text(encoding="utf-8").replace(
        "@ dts Nachrichtenagentur", "Foto: Weißes Haus (Archiv), via dts Nachrichtenagentur\n\n"
        "@ dts Nachrichtenagentur")
    (exports / "bericht.txt").write_text(text, encoding="utf-8")
    photo = write_photo(exports / "bericht.JPG", (800, 533))
    content = tmp_path / "content"
    outcome = import_file(Archive(content, settings), exports / "bericht.txt", "b", "Ausland")
    assert outcome.status == "created"
    target = content / outcome.target
    copy = target.with_suffix(".jpg")
    assert copy.read_bytes() == photo.read_bytes()
    article, problems = read_article(outcome.target, target.read_bytes(), settings)
    assert problems == []
    assert article.image.file == copy.name and article.image.alt == "Weißes Haus (Archiv)"
    assert article.image.credit_line == "Foto: Weißes Haus (Archiv), via dts Nachrichtenagentur"
    assert "Foto:" not in article.body_md and "Foto:" not in article.lead_md
    before = tree(content)
    again = import_file(Archive(content, settings), exports / "bericht.txt", "b", "Ausland")
    assert again.status == "unchanged" and tree(content) == before
    write_photo(exports / "bericht.JPG", (800, 533), (200, 0, 0))  # a new picture
    assert import_file(Archive(content, settings), exports / "bericht.txt", "b",
                       "Ausland").status == "refused"
    assert import_file(Archive(content, settings), exports / "bericht.txt", "b", "Ausland",
                       force=True).status == "replaced"
    assert copy.read_bytes() == (exports / "bericht.JPG").read_bytes()
    (exports / "bericht.JPG").write_bytes(b"<html>kein Bild</html>")
    failed = import_file(Archive(tmp_path / "neu", settings), exports / "bericht.txt", "b",
                         "Ausland")
    assert failed.status == "failed" and "bericht.JPG is not an image" in \
        failed.problems[0].message
    assert not (tmp_path / "neu").exists()
