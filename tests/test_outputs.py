"""The look at the output folder: what a forked look finds equals what one in-process finds,
and a failed build stops its look."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.outputs import Look, look
from generator.publish import Publisher


def _output(root: Path) -> tuple[dict, dict[str, int]]:
    """A small output folder with its records and folder mtimes, as a build leaves them."""
    files = {"index.html": b"start", "2025/01/02/a/index.html": b"aaa",
             "2025/01/02/b/index.html": b"bbbb", "feeds/alle.xml": b"<feed/>"}
    for path, data in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(data)
    records = {path: (None, "hash", len(data)) for path, data in files.items()}
    folders = ("", "2025", "2025/01", "2025/01/02", "2025/01/02/a", "2025/01/02/b", "feeds")
    return records, {folder: os.lstat(root / folder).st_mtime_ns for folder in folders}


def test_the_forked_look_finds_what_a_look_in_process_finds(tmp_path: Path) -> None:
    records, folders = _output(tmp_path)
    (tmp_path / "2025/01/02/a/index.html").unlink()                      # missing
    (tmp_path / "feeds/alle.xml").write_bytes(b"<feed>longer</feed>")    # another size
    (tmp_path / "2025/01/02/b/stray.html").write_bytes(b"x")             # beside a page
    (tmp_path / "fremd/tief").mkdir(parents=True)                        # nobody made it
    (tmp_path / "fremd/tief/x.txt").write_bytes(b"x")
    here = look(tmp_path, records, folders)
    again, strays, mtimes = here
    assert again == {"2025/01/02/a/index.html", "feeds/alle.xml"}
    assert strays == {"2025/01/02/b/stray.html", "fremd/tief/x.txt", "feeds/alle.xml"}
    assert mtimes["2025/01/02/a"] != folders["2025/01/02/a"]
    assert Look(tmp_path, records, folders).result() == here


def test_an_untouched_output_needs_nothing_again(tmp_path: Path) -> None:
    records, folders = _output(tmp_path)
    assert Look(tmp_path, records, folders).result() == (set(), set(), folders)


def test_a_failed_build_stops_its_look(tmp_path: Path) -> None:
    output = tmp_path / "output"
    output.mkdir()
    records, folders = _output(output)
    # 200,000 missing files in a folder as recorded: a look of a good part of a second.
    records |= {f"seite-{n}.html": (None, "hash", 1) for n in range(200_000)}
    with pytest.raises(RuntimeError), Publisher(output, records, folders) as out:
        assert out.look is not None and out.look.process is not None
        process = out.look.process
        raise RuntimeError("the build failed")
    assert not process.is_alive()
