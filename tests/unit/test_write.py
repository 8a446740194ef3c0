"""Writing the site: atomic swap, nothing half-written, unchanged files linked, no escape."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.render import OutputFile
from generator.write import _make_folders, write_site


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_write_replaces_the_whole_tree(tmp_path: Path) -> None:
    out = tmp_path / "output"
    write_site([OutputFile("a/index.html", b"A"), OutputFile("old.txt", b"O")], out)
    write_site([OutputFile("a/index.html", b"A2"), OutputFile("b.txt", b"B")], out)
    assert tree(out) == {"a/index.html": b"A2", "b.txt": b"B"}


def test_an_unchanged_site_leaves_output_untouched(tmp_path: Path) -> None:
    out, cache = tmp_path / "output", tmp_path / "cache"
    files = [OutputFile("index.html", b"X"), OutputFile("css/site.css", b"Y")]
    assert write_site(files, out, cache).changed
    inode = out.stat().st_ino
    again = write_site(files, out, cache)
    assert not again.changed
    assert out.stat().st_ino == inode


def test_unchanged_files_are_hard_linked_and_a_changed_one_never_edits_the_old(
    tmp_path: Path,
) -> None:
    out, cache = tmp_path / "output", tmp_path / "cache"
    write_site([OutputFile("same.txt", b"S"), OutputFile("diff.txt", b"1")], out, cache)
    old_same = out / "same.txt"
    keep = tmp_path / "keep-same.txt"
    keep.hardlink_to(old_same)
    result = write_site([OutputFile("same.txt", b"S"), OutputFile("diff.txt", b"2")], out, cache)
    assert result.linked == 1
    assert (out / "same.txt").stat().st_ino == keep.stat().st_ino
    assert tree(out) == {"diff.txt": b"2", "same.txt": b"S"}


def test_a_hand_edited_output_is_rewritten_not_trusted(tmp_path: Path) -> None:
    out, cache = tmp_path / "output", tmp_path / "cache"
    files = [OutputFile("index.html", b"X")]
    write_site(files, out, cache)
    (out / "index.html").write_bytes(b"edited by hand")
    assert write_site(files, out, cache).changed
    assert tree(out) == {"index.html": b"X"}


def test_leftovers_of_an_interrupted_build_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "output"
    (tmp_path / ".output.new-999").mkdir()
    (tmp_path / ".output.new-999" / "half.html").write_text("half")
    write_site([OutputFile("index.html", b"X")], out)
    assert not (tmp_path / ".output.new-999").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


@pytest.mark.parametrize("bad", ["../escape.txt", "a/../../escape.txt", "/etc/passwd"])
def test_an_output_path_outside_the_output_folder_is_refused(tmp_path: Path, bad: str) -> None:
    out = tmp_path / "output"
    write_site([OutputFile("index.html", b"old")], out)
    with pytest.raises(ValueError, match="escapes the output folder"):
        write_site([OutputFile(bad, b"x")], out)
    assert not (tmp_path / "escape.txt").exists()
    assert tree(out) == {"index.html": b"old"}


def test_a_folder_that_is_there_already_is_used_and_a_file_in_its_place_is_not(
    tmp_path: Path,
) -> None:
    # Where names ignore case, "Img/a.png" after "img/b.png" finds its folder made.
    (tmp_path / "img").mkdir()
    made = {""}
    _make_folders(str(tmp_path), "img/klein", made)
    assert (tmp_path / "img" / "klein").is_dir() and made == {"", "img", "img/klein"}
    made = {""}
    _make_folders(str(tmp_path), "img/klein", made)  # both there: taken as they are
    (tmp_path / "bestand").write_text("x")
    with pytest.raises(FileExistsError):
        _make_folders(str(tmp_path), "bestand", {""})
