"""The spare tree: the tree a swap retires becomes the next build's tree, changing only what differs."""

from __future__ import annotations

import marshal
import os
import zlib
from contextlib import nullcontext
from pathlib import Path

import pytest

from generator import write
from generator.outputs import OutputFile
from generator.treescan import TreeCheck, read_manifest
from generator.write import MANIFEST, output_check, write_site


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def folders(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_dir())


def site(**files: bytes) -> list[OutputFile]:
    return [OutputFile(path.replace("__", "/"), data) for path, data in files.items()]


def test_each_build_gives_exactly_its_files_however_the_spare_was(tmp_path: Path) -> None:
    out, cache = tmp_path / "output", tmp_path / "cache"
    builds = [
        site(index__html=b"1", a__index__html=b"a1", b__index__html=b"b1"),
        site(index__html=b"2", a__index__html=b"a1", c__d__index__html=b"d"),
        site(index__html=b"3", b__index__html=b"b3", c__d__index__html=b"d"),
        site(index__html=b"3", a__index__html=b"a4"),
    ]
    for files in builds:
        write_site(files, out, cache)
        assert tree(out) == {f.path: f.data for f in files}
        fresh = tmp_path / "fresh"
        write_site(files, fresh)
        assert folders(out) == folders(fresh)  # no folder a removed file left empty


def test_the_spare_is_reused_and_only_changed_files_are_written(tmp_path: Path) -> None:
    out, cache = tmp_path / "output", tmp_path / "cache"
    many = {f"p{n}__index__html": b"same" for n in range(50)}
    write_site(site(**many, x=b"1"), out, cache)
    first = out.stat().st_ino
    write_site(site(**many, x=b"2"), out, cache)  # retires the first tree as the spare
    result = write_site(site(**many, x=b"3"), out, cache)  # built from the spare
    assert out.stat().st_ino == first  # the first tree's folder, not a new one
    assert result.changed and result.linked == 50
    assert tree(out)["x"] == b"3"


def test_updating_the_spare_never_changes_a_file_of_the_live_site(tmp_path: Path) -> None:
    out, cache = tmp_path / "output", tmp_path / "cache"
    write_site(site(a=b"1", b=b"same"), out, cache)
    write_site(site(a=b"2", b=b"same"), out, cache)
    live_b, live_a = tmp_path / "b-live", tmp_path / "a-live"
    live_b.hardlink_to(out / "b")  # shared with the spare through hard links
    live_a.hardlink_to(out / "a")
    write_site(site(a=b"3", b=b"changed"), out, cache)
    assert live_a.read_bytes() == b"2" and live_b.read_bytes() == b"same"
    assert tree(out) == {"a": b"3", "b": b"changed"}


@pytest.mark.parametrize("checked_beside", [False, True])
def test_a_spare_edited_by_hand_is_not_trusted(tmp_path: Path, checked_beside: bool) -> None:
    out, cache = tmp_path / "output", tmp_path / "cache"
    write_site(site(a=b"1", b=b"1"), out, cache)
    write_site(site(a=b"2", b=b"1"), out, cache)
    spare = tmp_path / ".output.spare"
    (spare / "b").unlink()
    (spare / "b").write_bytes(b"tampered")
    (spare / "extra").write_bytes(b"?")
    check = output_check(out, cache) if checked_beside else None
    with check or nullcontext():
        if check is not None:
            assert check.same(spare.absolute()) is False  # found by the check itself
        write_site(site(a=b"3", b=b"1"), out, cache, check=check)
    assert tree(out) == {"a": b"3", "b": b"1"}


def test_a_check_answers_one_write_and_only_for_its_manifest(tmp_path: Path) -> None:
    out, cache = tmp_path / "output", tmp_path / "cache"
    write_site(site(a=b"1", b=b"1"), out, cache)
    write_site(site(a=b"2", b=b"1"), out, cache)
    spare = tmp_path / ".output.spare"
    with output_check(out, cache) as check:  # type: ignore[union-attr]
        assert check.made_from(cache / MANIFEST)
        assert not check.made_from(tmp_path / "other.json")
        write_site(site(a=b"3", b=b"1"), out, cache, check=check)
        # Tampered after that write: a second write with the same check must not trust it.
        (spare / "b").unlink()
        (spare / "b").write_bytes(b"X")
        assert check.same(spare.absolute()) is None
        write_site(site(a=b"4", b=b"1"), out, cache, check=check)
    assert tree(out) == {"a": b"4", "b": b"1"}
    with output_check(out, cache) as check:  # type: ignore[union-attr]
        manifest = cache / MANIFEST
        assert check.made_from(manifest)  # read by the check (it answers in that order)
        manifest.write_bytes(manifest.read_bytes() + b" ")  # rewritten since
        assert not check.made_from(manifest)


def test_files_made_by_the_hook_do_not_survive_into_the_next_tree(tmp_path: Path) -> None:
    out, cache = tmp_path / "output", tmp_path / "cache"
    runs = iter(range(10))

    def index(staging: Path) -> None:  # like the search index: new file names each time
        number = next(runs)
        (staging / "search").mkdir(exist_ok=True)
        (staging / "search" / f"part-{number}.js").write_text(str(number))

    for data in (b"1", b"2", b"3", b"4"):
        write_site(site(a=data), out, cache, before_swap=index)
    assert sorted(tree(out)) == ["a", "search/part-3.js"]


def recorded_stats(cache: Path) -> dict[str, list[object]]:
    data = read_manifest(cache / MANIFEST)
    assert isinstance(data, dict)
    return {path: entry[1:] for path, entry in data["files"].items()}


def real_stats(out: Path) -> dict[str, list[object]]:
    return {
        p.relative_to(out).as_posix(): [p.stat().st_size, p.stat().st_mtime_ns]
        for p in out.rglob("*")
        if p.is_file()
    }


def test_the_manifest_holds_the_real_stat_of_kept_and_written_files(tmp_path: Path) -> None:
    """Kept files are recorded from the earlier manifest, not stat()ed again: it must stay true."""
    out, cache = tmp_path / "output", tmp_path / "cache"
    many = {f"p{n}__index__html": b"same" for n in range(20)}
    for x in (b"1", b"22", b"333"):  # a fresh tree, one linked from output/, one from the spare
        write_site(site(**many, x=x), out, cache)
        assert recorded_stats(cache) == real_stats(out)
    again = write_site(site(**many, x=b"333"), out, cache)
    assert not again.changed  # so an unchanged site is still recognised as unchanged


# --------------------------------------------------------------------------- checked beside the build


def test_the_check_beside_the_build_answers_as_the_writer_would(tmp_path: Path) -> None:
    out, cache = tmp_path / "output", tmp_path / "cache"
    write_site(site(a=b"1", b__c=b"1"), out, cache)
    write_site(site(a=b"2", b__c=b"1"), out, cache)
    spare = (tmp_path / ".output.spare").absolute()
    check = output_check(out, cache)
    assert check is not None
    with check:
        # Asked in the other order than checked: the answers are kept.
        assert check.same(spare) is True
        assert check.same(out.absolute()) is True
        assert check.same(tmp_path / "elsewhere") is None
    before = (spare / "a").stat().st_mtime_ns
    (spare / "a").write_bytes(b"9")  # only the spare's (output/ has its own a): same size
    os.utime(spare / "a", ns=(before + 10**9, before + 10**9))  # and surely a new time
    with output_check(out, cache) as check:  # type: ignore[union-attr]
        assert check.same(spare) is False
        assert check.same(out.absolute()) is True


def test_no_check_without_a_manifest_and_no_answer_for_another_folder(tmp_path: Path) -> None:
    out, cache = tmp_path / "output", tmp_path / "cache"
    assert output_check(out, cache) is None
    write_site(site(a=b"1"), out, cache)
    other = tmp_path / "other"
    other.mkdir()
    with TreeCheck(cache / MANIFEST, other, tmp_path / ".other.spare") as check:
        assert check.same(other) is None  # the manifest is output/'s: the writer checks


def test_with_a_check_the_writer_does_not_scan_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, cache = tmp_path / "output", tmp_path / "cache"
    many = {f"p{n}": b"same" for n in range(20)}
    write_site(site(**many, x=b"1"), out, cache)
    write_site(site(**many, x=b"2"), out, cache)
    with output_check(out, cache) as check:  # type: ignore[union-attr]
        monkeypatch.setattr(write, "folder_matches", None)  # a scan of its own would fail
        result = write_site(site(**many, x=b"3"), out, cache, check=check)
    assert result.linked == 20  # the spare was trusted on the check's word
    assert tree(out) == {**{f"p{n}": b"same" for n in range(20)}, "x": b"3"}


def test_an_unchanged_site_is_known_from_the_check(tmp_path: Path) -> None:
    out, cache = tmp_path / "output", tmp_path / "cache"
    files = site(a=b"1", b__c=b"2")
    write_site(files, out, cache)
    with output_check(out, cache) as check:  # type: ignore[union-attr]
        assert not write_site(files, out, cache, check=check).changed
    (out / "a").write_bytes(b"9")  # edited by hand: the next check sees it
    with output_check(out, cache) as check:  # type: ignore[union-attr]
        assert write_site(files, out, cache, check=check).changed
    assert tree(out) == {"a": b"1", "b/c": b"2"}


def test_the_checking_process_ends_once_it_has_answered(tmp_path: Path) -> None:
    """Its answers fit in the pipe: it does not live as long as the build."""
    out, cache = tmp_path / "output", tmp_path / "cache"
    write_site(site(a=b"1"), out, cache)
    write_site(site(a=b"2"), out, cache)
    with output_check(out, cache) as check:  # type: ignore[union-attr]
        process = check._process
        assert process is not None
        process.wait(timeout=30)  # not asked for its answers yet
        assert check.same(out.absolute()) is True


def _framed(body: bytes) -> bytes:
    """As write_manifest frames its marshal data: a CRC-32 line first."""
    return b"%08x\n" % zlib.crc32(body) + body


@pytest.mark.parametrize("damage", ["truncated", "flipped", "garbage", "not a mapping", "empty"])
def test_a_damaged_manifest_costs_only_the_shortcut(tmp_path: Path, damage: str) -> None:
    out, cache = tmp_path / "output", tmp_path / "cache"
    write_site(site(a=b"1", b=b"1"), out, cache)
    write_site(site(a=b"2", b=b"1"), out, cache)
    manifest = cache / MANIFEST
    data = manifest.read_bytes()
    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 0x20  # marshal alone reads most such damage as other values
    broken = {
        "truncated": data[: len(data) // 2],
        "flipped": bytes(flipped),
        "garbage": b"\xff\x00kapot" * 10,
        "not a mapping": _framed(marshal.dumps(["output", str(out)])),
        "empty": b"",
    }[damage]
    manifest.write_bytes(broken)
    assert read_manifest(manifest) is None
    with output_check(out, cache) as check:
        assert check is not None
        write_site(site(a=b"3", c=b"1"), out, cache, check=check)
    assert tree(out) == {"a": b"3", "c": b"1"}
    write_site(site(a=b"4", c=b"1"), out, cache)  # and a good manifest is written again
    assert isinstance(read_manifest(manifest), dict)
    assert tree(out) == {"a": b"4", "c": b"1"}


def test_the_json_manifest_of_earlier_versions_is_removed(tmp_path: Path) -> None:
    out, cache = tmp_path / "output", tmp_path / "cache"
    cache.mkdir()
    old = cache / "output-manifest.json"
    old.write_text('{"output": "x", "files": {}}', "utf-8")
    write_site(site(a=b"1"), out, cache)
    assert not old.exists() and isinstance(read_manifest(cache / MANIFEST), dict)
