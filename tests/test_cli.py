"""The ``meldungen`` verbs new, check and import, through click and as the installed command."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from helpers import FIXTURE_SITE, ROOT, make_settings, write_article, write_photo

from generator.cli import cli
from generator.commands.progress import reporter
from generator.content import read_article, read_site

MELDUNGEN = ROOT / ".venv" / "bin" / "meldungen"
EXPORTS = ROOT / "tests" / "fixtures" / "exports"
BERLIN = ZoneInfo("Europe/Berlin")
PROBLEM_LINE = re.compile(r"^[^:\s]+\.md:\d+: \S.*$")


@pytest.fixture
def in_site(site_copy, monkeypatch):
    monkeypatch.chdir(site_copy)
    return site_copy


def invoke(*args):
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize("verb", [None, "build", "serve", "new", "check", "import"])
def test_every_command_has_english_help(verb):
    result = invoke(*([verb] if verb else []), "--help")
    assert result.exit_code == 0
    assert result.output.startswith("Usage: ")
    assert "Options:" in result.output and "-h, --help" in result.output


def test_new_writes_a_pinned_article_and_prints_its_path(in_site):
    result = invoke("new", "Merz trifft Macron in Paris", "--kategorie", "politik",
                    "--tags", "Frankreich, Merz ,", "--datum", "03.02.2026 - 10:23")
    assert result.exit_code == 0, result.output
    path = "content/2026/02/merz-trifft-macron-in-paris.md"
    assert result.output == f"{path}\n"
    text = (in_site / path).read_text(encoding="utf-8")
    # A placeholder lead in the agency's form, which check refuses until it is written.
    assert text.endswith("---\nOrt (dts Nachrichtenagentur) - [[Vorspann hier schreiben]]\n")
    untouched = invoke("check", path)
    assert untouched.exit_code == 1
    assert untouched.stdout == (f"{path}:8: the lead is still the placeholder "
                                "[[Vorspann hier schreiben]]: write the lead\n")
    (in_site / path).write_text(text.replace("Ort", "Paris").replace(
        "[[Vorspann hier schreiben]]", "Der Kanzler reist nach Paris."), encoding="utf-8")
    article, problems = read_article(path, (in_site / path).read_bytes(),
                                     make_settings(in_site / "content", in_site / "o"))
    assert problems == []
    assert article.title == "Merz trifft Macron in Paris"
    assert article.category == "Politik" and article.tags == ("Frankreich", "Merz")
    assert article.date == datetime(2026, 2, 3, 10, 23, tzinfo=BERLIN)
    assert article.pinned and article.slug == "merz-trifft-macron-in-paris"
    assert article.summary == "Paris (dts Nachrichtenagentur) - Der Kanzler reist nach Paris."
    assert invoke("check", path).exit_code == 0


def test_new_copies_a_photo_beside_the_article_and_writes_its_mapping(in_site, tmp_path):
    photo = write_photo(tmp_path / "Weil.JPG", (900, 600))
    result = invoke("new", "Weil besucht Hannover", "-k", "Inland", "-d", "03.02.2026 - 10:23",
                    "--bild", str(photo), "--alt", "Stephan Weil am Rednerpult",
                    "--bildtext", "Stephan Weil (Archiv)")
    assert result.exit_code == 0, result.output
    path = "content/2026/02/weil-besucht-hannover.md"
    copy = path.replace(".md", ".jpg")
    assert result.output == f"{path}\n{copy}\n"
    assert (in_site / copy).read_bytes() == photo.read_bytes()
    text = (in_site / path).read_text(encoding="utf-8")
    assert ('image:\n  file: weil-besucht-hannover.jpg\n  alt: "Stephan Weil am Rednerpult"\n'
            '  caption: "Stephan Weil (Archiv)"\n---\n') in text
    (in_site / path).write_text(text.replace("Ort", "Hannover").replace(
        "[[Vorspann hier schreiben]]", "Der Ministerpräsident besucht Hannover."), "utf-8")
    assert invoke("check", path).exit_code == 0
    article, _ = read_article(path, (in_site / path).read_bytes(),
                              make_settings(in_site / "content", in_site / "o"))
    assert article.image.credit == "dts Nachrichtenagentur"
    again = invoke("new", "Weil besucht Hannover", "-k", "Inland", "-d", "03.02.2026 - 11:00",
                   "--slug", "weil-besucht-hannover", "--bild", str(photo), "--alt", "Weil")
    assert again.exit_code == 1 and "already" in again.output
    (in_site / "content/2026/02/weil-besucht-hannover.md").unlink()
    refused = invoke("new", "Ohne Text", "-k", "Inland", "--bild", str(photo))
    assert refused.exit_code == 2 and "needs --alt" in refused.output
    broken = tmp_path / "kaputt.jpg"
    broken.write_bytes(b"<html>")
    refused = invoke("new", "Kaputt", "-k", "Inland", "--bild", str(broken), "--alt", "x")
    assert refused.exit_code == 2 and "is not an image" in refused.output
    assert not list((in_site / "content").rglob("kaputt*")) and not list(
        (in_site / "content").rglob("ohne-text*"))


def test_new_defaults_to_now_in_berlin(in_site):
    before = datetime.now(BERLIN).replace(microsecond=0)
    result = invoke("new", "Eilmeldung", "-k", "Inland")
    after = datetime.now(BERLIN)
    assert result.exit_code == 0, result.output
    text = (in_site / result.output.strip()).read_text(encoding="utf-8")
    stamp = datetime.fromisoformat(re.search(r"^date: (.+)$", text, re.M).group(1))
    assert before <= stamp <= after + timedelta(seconds=1)
    assert stamp.utcoffset() == before.utcoffset()  # Berlin's offset, whatever the machine's
    assert result.output.strip() == f"content/{before:%Y/%m}/eilmeldung.md"


def test_new_refuses_to_overwrite_or_steal_a_url(in_site):
    args = ["new", "Zweimal", "-k", "Sport", "--datum", "2026-02-05T12:00"]
    assert invoke(*args).exit_code == 0
    target = in_site / "content/2026/02/zweimal.md"
    first = target.read_bytes()
    again = invoke(*args[:-1], "2026-02-09T12:00")  # same month, same file name
    assert again.exit_code == 1 and "already exists" in again.output
    assert target.read_bytes() == first
    # The fixture's bundesliga.md (no slug line) owns this URL; a pinned copy would take it.
    steal = invoke("new", "Bundesliga: Spitzenspiel endet unentschieden", "-k", "Sport",
                   "--datum", "2026-02-04T09:00")
    assert steal.exit_code == 1
    assert "already used by content/2026/02/04/bundesliga.md" in steal.output


@pytest.mark.parametrize(("args", "words"), [
    (["-k", "Ausand"], "did you mean 'Ausland'?"),
    (["-k", "Ausland", "--datum", "gestern"], "invalid date"),
    (["-k", "Ausland", "--slug", "Mit Leerzeichen"], "not a usable slug"),
])
def test_new_rejects_bad_options(in_site, args, words):
    result = invoke("new", "Titel", *args)
    assert result.exit_code == 2
    assert words in result.output
    assert not (in_site / "content" / "2026" / "11").exists()


def test_check_prints_path_line_message_and_exits_1(in_site):
    write_article(in_site / "content", "2026/03/a.md",
                  'title: "A"\ndate: 2026-03-01T10:00:00\ncategory: Ausand\ntags: [USA]')
    write_article(in_site / "content", "2026/03/b.md",
                  'title: "B"\ndate: 2026-03-01T10:00:00\ncategory: Sport\ntags: [usa]',
                  "[weg](/2026/03/01/gibt-es-nicht/)\n")
    result = CliRunner().invoke(cli, ["check"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "content/2026/03/a.md:4: unknown category 'Ausand' (did you mean 'Ausland'?)",
        # Three fixture articles; a.md does not count, it is not a valid article.
        "content/2026/03/b.md:5: tag 'usa' is spelled 'USA' in 3 other articles; use that "
        "spelling",
        "content/2026/03/b.md:7: broken internal link /2026/03/01/gibt-es-nicht/: the site has "
        "no page /2026/03/01/gibt-es-nicht/",
    ]
    assert result.stderr == "3 problems in 10 files checked\n"
    only_a = invoke("check", "content/2026/03/a.md")
    assert only_a.exit_code == 1 and "b.md" not in only_a.output


def test_installed_command_checks_the_fixture_site():
    clean = subprocess.run([MELDUNGEN, "check"], cwd=FIXTURE_SITE, capture_output=True,
                           text=True, timeout=60)
    assert (clean.returncode, clean.stdout) == (0, "")
    assert clean.stderr == "8 files checked, no problems\n"


def test_installed_command_reports_problems(site_copy):
    write_article(site_copy / "content", "neu.md", "title: x\ncategory: Sport")
    bad = subprocess.run([MELDUNGEN, "check", "content/neu.md"], cwd=site_copy,
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 1
    assert bad.stdout.splitlines() and all(PROBLEM_LINE.match(x) for x in bad.stdout.splitlines())


def test_import_reports_each_file_and_is_idempotent(in_site):
    good = [str(EXPORTS / n) for n in ("dax-latin1.txt", "koeln-ohne-stichworte.txt")]
    broken = str(EXPORTS / "kaputt-ohne-datum.txt")
    first = invoke("import", *good, broken, "--kategorie", "Vermischtes")
    assert first.exit_code == 1
    assert f"{broken}:4: expected a date line" in first.stderr
    created = [line.split()[1] for line in first.stdout.splitlines()]
    assert created == ["content/2024/02/dax-schliesst-ueber-17-000-punkten-euro-bei-109-dollar.md",
                       "content/2026/02/koeln-wieder-tabellenfuehrer.md"]
    assert all(line.startswith("created ") for line in first.stdout.splitlines())
    second = invoke("import", *good, "--kategorie", "Vermischtes")
    assert second.exit_code == 0
    assert [line.split()[0] for line in second.stdout.splitlines()] == ["unchanged"] * 2
    assert len(read_site(make_settings(in_site / "content", in_site / "o")).articles) == 10
    assert invoke("check").exit_code == 0


def test_import_names_exports_as_check_names_articles(in_site):
    (in_site / "exports").mkdir()
    for name in ("kaputt-ohne-datum.txt", "dax-latin1.txt"):
        shutil.copy(EXPORTS / name, in_site / "exports" / name)
    # Typed absolutely, shown from the working folder: the same form everywhere.
    result = invoke("import", str(in_site / "exports/kaputt-ohne-datum.txt"),
                    str(in_site / "exports/dax-latin1.txt"), "-k", "Boerse")
    assert result.stderr.startswith("exports/kaputt-ohne-datum.txt:4: expected a date line")
    assert result.stdout.rstrip().endswith(" ← exports/dax-latin1.txt")


def test_import_into_another_folder_and_force(in_site, tmp_path):
    export = str(EXPORTS / "usa-russland-raketen.txt")
    # The fixture site already holds this report (written by hand, so it differs).
    refused = invoke("import", export, "-k", "Ausland")
    assert refused.exit_code == 1 and "refused" in refused.stderr and "--force" in refused.stderr
    forced = invoke("import", export, "-k", "Ausland", "--force")
    assert forced.exit_code == 0 and forced.stdout.startswith("replaced ")
    text = (in_site / "content/2024/01/04/usa-russland-raketen.md").read_text(encoding="utf-8")
    assert "Sicherheitsrat" in text
    elsewhere = invoke("import", export, "-k", "Ausland", "--into", str(tmp_path / "neu"))
    assert elsewhere.exit_code == 0
    assert (tmp_path / "neu/2024/01/usa-russland-soll-nordkoreanische-raketen-eingesetzt-haben.md"
            ).is_file()


def test_build_reports_each_step_once_with_count_and_time_outside_a_terminal(in_site):
    first = invoke("build")
    assert first.exit_code == 0, first.output
    steps = first.stderr.splitlines()
    assert [line.split(":")[0] for line in steps] == ["reading articles", "rendering pages",
                                                      "making photos"]
    assert all(re.fullmatch(r"[a-z ]+: \d+ in \d+\.\d\d s", line) for line in steps), steps
    assert steps[0].startswith("reading articles: 8 in ")
    assert steps[2].startswith("making photos: 0 in ")  # the fixture site has none
    # 88 pages and other files of the site, and the search's: the manifest, one shard and its
    # positions file, three year files, a result file per report and four vocabulary files
    assert re.fullmatch(r"8 articles → 106 files, 106 written, 0 removed \(full build\) in "
                        r"output \(\d+\.\d\d s\)\n", first.stdout)
    again = invoke("build")  # stops before reading: no steps to report
    assert again.stderr == "" and re.fullmatch(
        r"8 articles → 106 files, 0 written, 0 removed \(nothing changed\) in output "
        r"\(\d+\.\d\d s\)\n", again.stdout)
    verified = invoke("build", "--verify")  # always reads
    assert verified.stderr.splitlines()[0].startswith("reading articles: 0 in ")
    quiet = invoke("build", "--quiet")
    assert quiet.exit_code == 0 and quiet.stderr == ""
    assert ", 0 written, 0 removed (nothing changed) in output (" in quiet.stdout


def test_a_step_left_unfinished_is_reported_when_the_build_ends(capsys):
    with pytest.raises(KeyboardInterrupt), reporter() as progress:
        progress("read", 0, 8)
        progress("read", 8, 8)
        progress("pages", 0, 11)
        progress("pages", 4, 11)
        raise KeyboardInterrupt
    lines = capsys.readouterr().err.splitlines()
    assert [re.sub(r"in \d+\.\d\d s$", "in … s", line) for line in lines] == [
        "reading articles: 8 in … s", "rendering pages: 4/11 in … s"]


def test_build_names_broken_files_as_check_does(site_copy, tmp_path):
    write_article(site_copy / "content", "2026/12/x.md",
                  'title: "X"\ncategory: Ausand\ntags: [russland]', "")

    def run(*args, cwd=site_copy):
        return subprocess.run([MELDUNGEN, *map(str, args)], cwd=cwd, capture_output=True,
                              text=True, timeout=60)

    expected = ["content/2026/12/x.md:1: 'date' is missing or empty",
                "content/2026/12/x.md:3: unknown category 'Ausand' (did you mean 'Ausland'?)",
                "content/2026/12/x.md:5: no text: a report needs at least a lead paragraph"]
    assert run("check").stdout.splitlines() == [
        *expected[:2], "content/2026/12/x.md:4: tag 'russland' is spelled 'Russland' in 3 other "
        "articles; use that spelling", expected[2]]
    built = run("build", "--quiet")
    assert (built.returncode, built.stdout) == (1, "")
    assert built.stderr.splitlines() == ["error: 3 problems in the content:", *expected]
    # From a folder the content is not below: absolute paths.
    (tmp_path / "anderswo").mkdir()
    elsewhere = run("build", "-s", site_copy / "pelicanconf.py", "--content",
                    site_copy / "content", cwd=tmp_path / "anderswo")
    assert f"\n{site_copy.resolve()}/content/2026/12/x.md:1: 'date'" in elsewhere.stderr


@pytest.mark.parametrize("as_json", [False, True])
def test_search_prints_only_its_results_when_it_first_builds_the_index(in_site, as_json):
    result = invoke("search", "Raketen", *(["--json"] if as_json else []))  # no index yet
    assert result.exit_code == 0, result.output
    if as_json:
        assert result.stdout.startswith("{") and json.loads(result.stdout)["total"] == 1
    else:
        assert result.stdout.startswith("1 Treffer:\n2024-01-04  Ausland     USA: Russland ")
    assert result.stderr == ""


def test_build_now_builds_as_of_another_time_and_names_the_next_embargo(in_site):
    write_article(Path("content"), "2026/12/sperrfrist.md", 'title: "Sperrfrist"\n'
                  "date: 2026-12-07T06:00:00+01:00\ncategory: Inland")
    early = invoke("build", "--quiet", "--now", "2026-12-07T05:00:00+01:00")
    assert early.exit_code == 0, early.output
    assert ("next embargo falls due 07.12.2026 - 06:00 (2026-12-07T06:00:00+01:00): "
            "content/2026/12/sperrfrist.md") in early.stdout
    assert not Path("output/2026/12/07/sperrfrist").exists()
    due = invoke("build", "--quiet", "--now", "2026-12-07T06:00:00+01:00")
    assert due.exit_code == 0 and "next embargo" not in due.stdout
    assert Path("output/2026/12/07/sperrfrist/index.html").is_file()
    assert "BUILD_NOW: invalid date" in str(invoke("build", "--now", "bald").exception)
