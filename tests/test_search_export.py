"""The static index: whoosh's postings round-trip, sharding, chunks, incremental segments."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from whoosh.util.numeric import length_to_byte

from generator.content import read_site
from generator.search import engine, export, results
from generator.search.corpus import write_corpus
from generator.search.shards import decode_postings, has_positions, read_shard
from generator.settings import load

N = 300
CLI = Path(__file__).resolve().parents[1] / "theme" / "static" / "js" / "search-cli.mjs"


def settings_for(root: Path, **extra):
    return load(root / "pelicanconf.py", {"OUTPUT_PATH": str(root / "out"),
                                          "BUILD_CACHE": str(root / "cache"),
                                          # after the 2099 article that stands for "newest"
                                          "BUILD_NOW": "2100-01-01T00:00:00+01:00", **extra})


def write(files, target: Path) -> dict[str, bytes]:
    out = dict(files)
    for name, data in out.items():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_bytes(data)
    return out


def all_postings(files: dict[str, bytes], categories: int) -> dict[str, dict[int, tuple]]:
    merged: dict[str, dict[int, tuple]] = {}
    for name, data in files.items():
        if name.startswith("search/s/"):
            for term, count, chunk in read_shard(data, files["search/p/" + name[9:]],
                                                 categories):
                for posting in decode_postings(chunk, count, categories, has_positions(term)):
                    doc = posting[0]
                    assert doc not in merged.setdefault(term, {}), (term, doc)
                    merged[term][doc] = posting[1:]
    return merged


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    write_corpus(root, N)
    settings = settings_for(root)
    site = read_site(settings)
    files = write(export.files(site, settings), root / "out")
    return root, settings, site, files


def test_every_whoosh_posting_is_in_the_shards(corpus):
    root, settings, site, files = corpus
    postings = all_postings(files, len(settings.CATEGORIES))
    num = {a.url: a.index for a in site.articles}
    ix = engine.open_index(site, settings, folder=root / "whoosh")
    seen = 0
    with ix.searcher() as searcher:
        reader = searcher.reader()
        urls = {d: f["url"] for d, f in enumerate(searcher.all_stored_fields())}
        for field, slot in (("title", 1), ("body", 2)):
            for term in reader.field_terms(field):
                matcher = reader.postings(field, term)
                for docnum in matcher.all_ids():
                    doc = num[urls[docnum]]
                    ours = postings[term][doc]
                    matcher2 = reader.postings(field, term)
                    matcher2.skip_to(docnum)
                    assert ours[slot] == matcher2.weight(), (field, term, doc)
                    if has_positions(term):  # phrases: the positions whoosh's analyzer gives
                        assert list(ours[slot + 3]) == matcher2.value_as("positions")
                    if field == "body":
                        length = reader.doc_field_length(docnum, "body")
                        assert length_to_byte(length) == ours[3]
                    seen += 1
    # and nothing more: each of our postings is one whoosh has in some field
    assert seen == sum((p[1] > 0) + (p[2] > 0) for t in postings.values() for p in t.values())


def test_names_carry_content_hashes_and_only_results_come_one_per_article(corpus):
    _, _settings, site, files = corpus
    for name, data in files.items():
        if name.startswith(("search/s/", "search/d/", "search/y/", "search/v/")):
            assert Path(name).stem == hashlib.sha256(data).hexdigest()[:12]
    found = {n for n in files if n.startswith("search/r/")}
    assert found == {f"search/{p}" for p, _ in results.paths(results.tags(
        [a.url for a in site.articles]))}
    # shards of many terms, the vocabulary in a few files: the rest stays well below N
    assert len(files) - len(found) < N / 2


def test_result_files_hold_each_report_in_date_order(corpus):
    _, settings, site, files = corpus
    manifest = json.loads(files["search/manifest.json"])
    assert manifest["n"] == N and len(files["search/manifest.json"]) < 8000
    tiers = manifest["results"]["tags"]
    assert [len(t) for t in tiers] == [0, N // 128, N % 128]  # 300 = 2 × 128 + 44
    for doc, (path, _) in enumerate(results.paths(tiers)):
        url, title, date, category, teaser, sentences, *photo = json.loads(files["search/" + path])
        article = site.articles[doc]
        assert (url, title, settings.CATEGORIES[category]) == (article.url, article.title,
                                                              article.category)
        assert date == article.date.astimezone(settings.tz).date().isoformat()
        assert sentences and all(isinstance(s, str) for s in sentences)
        assert teaser and teaser.split(" …")[0] in article.summary
        assert len(photo) == (article.image is not None)


def test_a_renumbered_block_gets_another_tag_and_the_rest_keep_theirs():
    urls = [f"/{n}/" for n in range(2048 + 3 * 128 + 5)]
    before = results.tags(urls)
    assert [len(t) for t in before] == [1, 3, 5]
    after = results.tags(urls[:2048 + 128 + 7] + urls[2048 + 128 + 8:])   # one deleted
    assert after[0] == before[0] and after[1][0] == before[1][0]
    assert after[1][1:] != before[1][1:] and len(after[2]) == 4
    assert before[2][1:] == [results.tag([u]) for u in urls[-4:]]


def test_a_result_file_is_the_same_only_under_the_same_tag_and_number():
    """What the last build's tiers tell of each file (results.paths): a block of the same tag
    and first document holds the same documents, so an unchanged report's file stands."""
    urls = [f"/{n}/" for n in range(2048 + 3 * 128 + 5)]
    before = results.tags(urls)

    def same(new_urls: list[str]) -> list[bool]:
        return [kept for _, kept in results.paths(results.tags(new_urls), before)]

    assert same(urls) == [True] * len(urls)
    # One deleted: the blocks after it are renumbered, though the last 1-blocks keep their
    # tags (test above) under other numbers.
    flags = same(urls[:2048 + 128 + 7] + urls[2048 + 128 + 8:])
    assert flags == [True] * (2048 + 128) + [False] * (len(urls) - 1 - 2048 - 128)
    # Appended: all stand but the new one's.
    assert same([*urls, "/neu/"]) == [True] * len(urls) + [False]
    # 123 appended complete a 128-block of the five single ones: their files move into it.
    grown = same([*urls, *(f"/neu/{n}/" for n in range(123))])
    assert grown == [True] * (2048 + 3 * 128) + [False] * 128
    assert same(urls[:5]) == [False] * 5  # from a 2048-block into 1-blocks
    assert [kept for _, kept in results.paths(before)] == [False] * len(urls)


def test_navigation_and_related_block_are_not_indexed(tmp_path):
    settings = load(Path("tests/fixtures/site/pelicanconf.py"),
                    {"OUTPUT_PATH": str(tmp_path / "o"), "BUILD_CACHE": str(tmp_path / "c")})
    files = dict(export.files(read_site(settings), settings))
    terms = set(all_postings(files, len(settings.CATEGORIES)))
    assert "rak" in terms and "luftverteid" in terms
    for word in ("startseit", "themen", "weit", "zum", "inhalt", "archiv"):
        assert word not in terms


def test_adding_an_article_changes_only_a_few_files(corpus, tmp_path):
    root, settings, _site, files = corpus
    content = root / "content"
    extra = content / "2099" / "01" / "neu.md"
    extra.parent.mkdir(parents=True)
    extra.write_text('---\ntitle: "Neue Luftverteidigung für Kiew"\n'
                     "date: 2099-01-02T10:00:00+01:00\ncategory: Ausland\n---\n"
                     "Kurzstreckenraketen und Börse und Außenministerin.\n", encoding="utf-8")
    try:
        after = dict(export.files(read_site(settings), settings))
    finally:
        extra.unlink()
    changed = {n for n in after if files.get(n) != after[n]}
    removed = set(files) - set(after)
    main_shards = {n for n in files if n.startswith("search/s/")} - removed
    assert main_shards, "main segment must survive"
    assert len(changed) <= 8, sorted(changed)
    assert "search/manifest.json" in changed
    postings_after = all_postings(after, len(settings.CATEGORIES))
    assert N in postings_after["luftverteid"]


def test_segments_split_at_multiples_of_the_mid_recent_and_tail_sizes(corpus, tmp_path):
    root, _, site, _ = corpus
    small = settings_for(root, SEARCH_TAIL_DOCS=8, SEARCH_RECENT_DOCS=32, SEARCH_MID_DOCS=128,
                         BUILD_CACHE=str(tmp_path / "c"))
    segments = json.loads(dict(export.files(site, small))["search/manifest.json"])["segments"]
    assert [(s["from"], s["to"]) for s in segments] == [(0, 256), (256, 288), (288, 296),
                                                        (296, N)]
    assert [sorted(s.keys() - {"from", "to"}) for s in segments] == [["dirs"], ["dirs"],
                                                                     ["shards"], ["shards"]]


def test_parallel_rebuild_writes_the_same_index(corpus, tmp_path, monkeypatch):
    """Forked workers assemble term ranges while this process cuts: same bytes as serial."""
    root, _settings, site, files = corpus
    from generator.search import segments
    monkeypatch.setattr(segments, "PARALLEL_DOCS", 1)
    monkeypatch.setattr("generator.parallel.MIN_ITEMS", 1)
    settings = settings_for(root, BUILD_CACHE=str(tmp_path / "cache"))
    assert dict(export.files(site, settings, workers=2)) == files


def test_lists_over_the_memory_budget_go_to_runs_that_merge_into_the_same_index(
        corpus, tmp_path, monkeypatch):
    """A rebuild holds at most ``BUDGET`` bytes of one range's lists; beyond it they go to
    run files, merged term by term at the end: the same bytes as lists held whole, in this
    process and in the workers (the budget goes with the task)."""
    root, _settings, site, files = corpus
    from generator.search import assembly, segments
    monkeypatch.setattr(assembly, "BUDGET", 30_000)
    runs = []
    write_run = assembly._run
    monkeypatch.setattr(assembly, "_run",
                        lambda run, lists: runs.append(len(lists)) or write_run(run, lists))
    serial = settings_for(root, BUILD_CACHE=str(tmp_path / "serial"))
    assert dict(export.files(site, serial)) == files
    assert len(runs) > 40 and min(runs) > 0  # most ranges merged several runs
    monkeypatch.setattr(segments, "PARALLEL_DOCS", 1)
    monkeypatch.setattr("generator.parallel.MIN_ITEMS", 1)
    parallel = settings_for(root, BUILD_CACHE=str(tmp_path / "parallel"))
    assert dict(export.files(site, parallel, workers=2)) == files


def test_ranges_cut_into_shards_apart_join_as_if_cut_in_one_pass(corpus, tmp_path,
                                                                  monkeypatch):
    """A rebuild's workers cut each term range's shards from its first anchor on, and the
    joining process only what spans the ranges' ends: the same bytes as cutting every list
    in one pass. Small anchors and shards, so every range has many of both."""
    root, _settings, site, _files = corpus
    from generator.search import assembly, cutting, segments
    monkeypatch.setattr(cutting, "ANCHOR", 8)
    monkeypatch.setattr(segments, "PARALLEL_DOCS", 1)  # rebuilt in-process: the patches hold
    small = {"SEARCH_SHARD_BYTES": 6000, "SEARCH_MID_DOCS": 128}
    split = dict(export.files(site, settings_for(root, BUILD_CACHE=str(tmp_path / "a"),
                                                 **small)))
    cut = assembly.Assemble._cut
    calls = []

    def whole(self, lists):
        lists = list(lists)
        head, shards, tail = cut(self, lists)
        calls.append((len(head), len(shards), len(tail)))
        return lists, [], []  # every list to the joining process, as before the split

    monkeypatch.setattr(assembly.Assemble, "_cut", whole)
    joined = dict(export.files(site, settings_for(root, BUILD_CACHE=str(tmp_path / "b"),
                                                  **small)))
    assert split == joined
    assert sum(shards for _, shards, _ in calls) > 50  # the workers' part was real
    assert sum(1 for head, _, _ in calls if head) > 5  # and so were heads before anchors


def cli(out: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["node", str(CLI), str(out), *args], capture_output=True, text=True,
                          timeout=60)


def test_the_node_cli_prints_filtered_and_sorted_results_as_json(corpus):
    """`node theme/static/js/search-cli.mjs OUTPUT "query" …`, the browser module under Node:
    JSON on stdout and nothing on stderr (no warnings either)."""
    root = corpus[0]
    out = root / "out"
    plain = cli(out, "Raketen", "--limit", "500")
    assert plain.returncode == 0 and plain.stderr == "", plain.stderr
    found = json.loads(plain.stdout)
    results = found["results"]
    assert found["total"] == len(results) > 10
    assert {tuple(sorted(r)) for r in results} == {("category", "date", "excerpt", "missing",
                                                    "score", "title", "url")}
    assert found["complete"] == found["total"] and all(r["missing"] == [] for r in results)
    assert [r["score"] for r in results] == sorted((r["score"] for r in results), reverse=True)
    assert len({r["category"] for r in results}) > 2
    assert found["suggestion"] is None
    assert found["counts"] == dict(Counter(r["category"] for r in results))
    # Excerpts: the matching words marked, nothing else a tag; the teaser, unmarked, when
    # the word is in the headline only
    for r in results:
        assert "<mark>" in r["excerpt"] or "rakete" in r["title"].lower(), r
        assert "<" not in re.sub(r"</?mark>", "", r["excerpt"])
    assert sum("<mark>" in r["excerpt"] for r in results) > len(results) / 2

    typo = json.loads(cli(out, "Rakteen").stdout)
    assert typo["suggestion"] == "Raketen" and 0 < typo["total"] <= found["total"]

    only = json.loads(cli(out, "Raketen", "--kategorie", "Ausland", "--limit", "500").stdout)
    assert 0 < only["total"] < found["total"]
    assert {r["category"] for r in only["results"]} == {"Ausland"}
    assert {r["url"] for r in only["results"]} == {
        r["url"] for r in results if r["category"] == "Ausland"}

    newest = json.loads(cli(out, "Raketen", "--sort", "neueste", "--limit", "500").stdout)
    dates = [r["date"] for r in newest["results"]]
    assert dates == sorted(dates, reverse=True) and len(set(dates)) > 1
    assert {r["url"] for r in newest["results"]} == {r["url"] for r in results}

    middle = sorted(r["date"] for r in results)[len(results) // 4: -(len(results) // 4)]
    window = json.loads(cli(out, "Raketen", "--von", middle[0], "--bis", middle[-1],
                            "--limit", "500").stdout)
    assert {r["url"] for r in window["results"]} == {
        r["url"] for r in results if middle[0] <= r["date"] <= middle[-1]}

    wrong = cli(out, "Raketen", "--farbe", "rot")
    assert wrong.returncode == 2 and "unknown option --farbe" in wrong.stderr


def test_two_files_of_the_same_bytes_are_two_documents(tmp_path):
    """They share one stored record (keyed by content hash), but each has its postings."""
    content = tmp_path / "content"
    content.mkdir()
    text = ('---\ntitle: "Gipfel in Brüssel"\ndate: 2025-03-01T08:15:00+01:00\n'
            "category: Ausland\n---\nBerlin (dts) - Zwiebelkuchen.\n")
    for name in ("a.md", "b.md"):
        (content / name).write_text(text, encoding="utf-8")
    settings = load(Path("tests/fixtures/site/pelicanconf.py"),
                    {"PATH": str(content), "OUTPUT_PATH": str(tmp_path / "o"),
                     "BUILD_CACHE": str(tmp_path / "c")})
    files = dict(export.files(read_site(settings), settings))
    postings = all_postings(files, len(settings.CATEGORIES))
    assert sorted(postings["zwiebelkuch"]) == [0, 1]
    manifest = json.loads(files["search/manifest.json"])
    assert manifest["avg"][0] == 2  # both headlines counted ("in" is a stop word), not one


def test_the_records_outlive_a_change_to_code_that_neither_reads_nor_analyzes(tmp_path):
    """A new feed or page template must not cost analyzing the archive again, nor a new shard
    format (it rebuilds the segments); a new analyzer must."""
    package = tmp_path / "generator"
    shutil.copytree(Path(export.__file__).parents[1], package,
                    ignore=shutil.ignore_patterns("__pycache__"))
    settings = load(Path("tests/fixtures/site/pelicanconf.py"))

    def change(name: str) -> None:
        (package / name).write_text((package / name).read_text() + "\n# changed\n")

    first = export.fingerprints(settings, package)
    for name in ("feeds.py", "render.py", "cache/store.py", "search/engine.py"):
        change(name)
    assert export.fingerprints(settings, package) == first
    change("search/shards.py")
    records, segments = export.fingerprints(settings, package)
    assert records == first[0] and segments != first[1]
    for name in ("search/analysis.py", "search/varints.py", "markup.py"):
        before = export.fingerprints(settings, package)
        change(name)
        after = export.fingerprints(settings, package)
        assert after[0] != before[0] and after[1] != before[1], name
