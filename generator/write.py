"""Write the built site: a fresh tree beside output/, then one atomic swap into place.

output/ exists at every instant and is never half-written: the new tree is
built in a staging folder next to it and exchanged with the old one in a
single rename (Linux renameat2 RENAME_EXCHANGE; elsewhere two renames).
Unchanged files are hard-linked from the previous tree, never changed in
place. The tree a swap retires is kept as the spare (`.output.spare`): the
next build, when the spare still matches its manifest, turns it into the new
tree by replacing only the files that differ, so a small edit costs a few
writes, not a copy of the whole site. Leftovers of an interrupted build are
removed by the next one.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import functools
import hashlib
import os
import posixpath
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.filestore import write_file
from generator.outputs import OutputFile
from generator.treescan import Stats, TreeCheck, folder_matches, read_manifest, write_manifest

MANIFEST = "output-manifest.marshal"
_OLD_MANIFEST = "output-manifest.json"  # as builds before 4 December named it: removed
GoLive = Callable[[Callable[[], None]], None]  # runs the swap it is handed (see write_site)
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_MADE = ""  # manifest digest of a file made by the before_swap hook, not rendered


@dataclass(frozen=True)
class WriteResult:
    changed: bool  # False: the output already held exactly this site
    files: int
    linked: int  # files hard-linked from the previous build


def write_site(
    outputs: Sequence[OutputFile],
    out_dir: Path,
    cache_dir: Path | None = None,
    before_swap: Callable[[Path], None] | None = None,
    check: TreeCheck | None = None,
    go_live: GoLive | None = None,
) -> WriteResult:
    """Replace out_dir with exactly `outputs`, atomically.

    `before_swap` gets the complete new tree before it goes live (the search
    index is built from it); when it raises, the tree is dropped and out_dir
    stays as it was. Files it adds are recorded, so an unchanged site is
    still recognised as unchanged. `check` (output_check) knows whether out_dir
    and the spare tree are as recorded, checked while the site was built.
    `go_live` is handed the swap itself, to run it: the preview server runs it
    under the lock its requests take, so no page is read halfway.
    """
    out_dir = out_dir.absolute()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(out_dir)
    digests = {f.path: _digest(f) for f in outputs}
    manifest = _manifest_path(cache_dir)
    if check is not None and (manifest is None or not check.made_from(manifest)):
        check = None
    old, spare = _read_manifest(cache_dir, out_dir)
    try:
        return _write(
            outputs,
            out_dir,
            cache_dir,
            before_swap,
            go_live or _at_once,
            check,
            digests,
            old,
            spare,
        )
    finally:
        if check is not None:
            check.close()  # its answers were about this write's starting point only


def _write(
    outputs: Sequence[OutputFile],
    out_dir: Path,
    cache_dir: Path | None,
    before_swap: Callable[[Path], None] | None,
    go_live: GoLive,
    check: TreeCheck | None,
    digests: dict[str, str],
    old: Entries | None,
    spare: Entries | None,
) -> WriteResult:
    # A hook's files (the search index) must be there too before the site counts as unchanged.
    hooked = before_swap is None or any(e[0] == _MADE for e in (old or {}).values())
    if old is not None and hooked and _unchanged(out_dir, old, digests, check):
        return WriteResult(False, len(outputs), 0)
    staging = out_dir.parent / f".{out_dir.name}.new-{os.getpid()}"
    known: Stats = {}  # files kept from an earlier tree: their (size, mtime) as recorded
    linked = _from_spare(staging, outputs, digests, out_dir, spare, known, check)
    if linked is None:
        known.clear()
        linked = _fill(staging, outputs, digests, out_dir, old or {}, known)
    made: list[str] = []
    if before_swap is not None:
        try:
            before_swap(staging)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        made = _files_beyond(staging, digests)
    # The retired tree is kept as the spare when its content is known (the manifest said).
    _swap(staging, out_dir, _spare_dir(out_dir) if old is not None else None, go_live)
    _write_manifest(cache_dir, out_dir, digests, made, old, known)
    return WriteResult(True, len(outputs), linked)


def _spare_dir(out_dir: Path) -> Path:
    return out_dir.parent / f".{out_dir.name}.spare"


def _from_spare(
    staging: Path,
    outputs: Sequence[OutputFile],
    digests: dict[str, str],
    out_dir: Path,
    spare: Entries | None,
    known: Stats,
    check: TreeCheck | None,
) -> int | None:
    """Make the spare tree into the new one; None (spare gone) when it is not as recorded."""
    folder = _spare_dir(out_dir)
    if spare is None or not folder.is_dir() or not _unchanged(folder, spare, None, check):
        shutil.rmtree(folder, ignore_errors=True)
        return None
    folder.rename(staging)
    try:
        return _update(staging, outputs, digests, spare, known)
    except OSError:  # e.g. a file where a folder must go: start from a fresh tree
        shutil.rmtree(staging, ignore_errors=True)
        return None
    except ValueError:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _update(
    staging: Path,
    outputs: Sequence[OutputFile],
    digests: dict[str, str],
    spare: Entries,
    known: Stats,
) -> int:
    """Replace the files that differ; unchanged ones stay, so this costs what changed.

    Files are replaced, never written into: the spare shares inodes with the
    live tree through hard links.
    """
    for relative, (digest, *_) in spare.items():
        if digest == _MADE or digests.get(relative) != digest:
            path = _safe_target(staging, relative)
            path.unlink()
            _prune_empty(path.parent, staging)
    kept = 0
    for output in outputs:
        before = spare.get(output.path)
        if before is not None and before[0] == digests[output.path]:
            kept += 1
            known[output.path] = _recorded(before)
            continue
        target = _safe_target(staging, output.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        _put(output, os.fspath(target))
    return kept


def _put(output: OutputFile, target: str) -> None:
    """Create target with the output's content: linked from the build cache when it can be."""
    if output.place is not None and output.place(target):
        return
    if not output.is_copy:
        write_file(target, output.read())
    else:
        assert output.source is not None
        shutil.copyfile(output.source, target)


def _prune_empty(folder: Path, root: Path) -> None:
    """Remove folders left empty, up to root (a fresh tree has no empty folders)."""
    while folder != root:
        with os.scandir(folder) as entries:
            if next(entries, None) is not None:
                return
        folder.rmdir()
        folder = folder.parent


def _files_beyond(root: Path, digests: dict[str, str]) -> list[str]:
    """Files under root that are not outputs: those a before_swap hook made."""
    found = []
    for folder, _, names in os.walk(root):
        for name in names:
            relative = Path(folder, name).relative_to(root).as_posix()
            if relative not in digests:
                found.append(relative)
    return found


def _digest(output: OutputFile) -> str:
    if output.digest is not None:  # pages from the build cache: known without reading them
        return output.digest
    if output.data is not None:
        return hashlib.sha256(output.data).hexdigest()
    assert output.source is not None
    with output.source.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _safe_target(root: Path, relative: str) -> Path:
    """The file a relative output path names; a path that leaves the root is refused."""
    target = (root / relative).resolve()
    if not target.is_relative_to(root.resolve()) or relative.startswith("/"):
        raise ValueError(f"output path escapes the output folder: {relative!r}")
    return root / relative


def _fill(
    staging: Path,
    outputs: Sequence[OutputFile],
    digests: dict[str, str],
    previous: Path,
    old: dict[str, list[object]],
    known: Stats,
) -> int:
    """Make the new tree from scratch: files the previous tree holds unchanged are linked.

    On string paths and bare system calls: a cold build writes 12,800 pages in
    13,000 folders, and Path objects were a third of the write stage.
    """
    staging.mkdir()
    root, before = os.fspath(staging), os.fspath(previous)
    linked = 0
    made = {""}  # folders made, relative to root
    for output in outputs:
        relative = _checked_relative(output.path)
        folder = relative.rpartition("/")[0]
        if folder not in made:
            _make_folders(root, folder, made)
        target = f"{root}/{relative}"
        entry = old.get(output.path)
        if _link_unchanged(f"{before}/{relative}", target, digests[output.path], entry):
            assert entry is not None
            known[output.path] = _recorded(entry)
            linked += 1
        else:
            _put(output, target)
    return linked


def _checked_relative(relative: str) -> str:
    """An output path inside a tree this build made itself, which holds no links: checked by
    name alone (resolving every path on disk cost seconds at 10,000 pages)."""
    normal = posixpath.normpath(relative)
    if relative.startswith("/") or normal in (".", "..") or normal.startswith("../"):
        raise ValueError(f"output path escapes the output folder: {relative!r}")
    return normal


def _make_folders(root: str, folder: str, made: set[str]) -> None:
    """Make root/folder and the folders above it that are not made yet."""
    parent = folder.rpartition("/")[0]
    if parent not in made:
        _make_folders(root, parent, made)
    try:
        os.mkdir(f"{root}/{folder}")  # noqa: PTH102 (string paths: see _fill)
    except FileExistsError:  # "Img" after "img" where names ignore case: the same folder
        if not os.path.isdir(f"{root}/{folder}"):  # noqa: PTH112
            raise
    made.add(folder)


def _link_unchanged(old_file: str, target: str, digest: str, entry: list[object] | None) -> bool:
    """Hard-link a file the previous build wrote when its content and stat still match."""
    if entry is None or entry[0] != digest:
        return False
    try:
        stat = os.stat(old_file)  # noqa: PTH116 (string paths: see _fill)
        if [stat.st_size, stat.st_mtime_ns] != entry[1:]:
            return False
        os.link(old_file, target)
    except OSError:
        return False
    return True


def _at_once(swap: Callable[[], None]) -> None:
    """go_live for a writer no reader waits on: the swap, now."""
    swap()


def _swap(staging: Path, out_dir: Path, keep: Path | None, go_live: GoLive) -> None:
    """Put staging in out_dir's place; the previous site goes to `keep`, or away.

    `go_live` runs the renames themselves (see write_site); what comes before
    and after them (removing an old spare, the retired tree) is done outside.
    """
    if keep is not None:
        shutil.rmtree(keep, ignore_errors=True)
    retired: list[Path] = []

    def renames() -> None:
        if not out_dir.exists():
            staging.rename(out_dir)
        elif _exchange(staging, out_dir):
            retired.append(staging)  # now holds the previous site
        else:
            # No atomic exchange on this system: the shortest possible gap.
            old = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}"
            out_dir.rename(old)
            staging.rename(out_dir)
            retired.append(old)

    go_live(renames)
    for tree in retired:
        if keep is not None:
            tree.rename(keep)
        else:
            shutil.rmtree(tree)


@functools.cache
def _renameat2() -> Any:
    """libc's renameat2, or None; looked up once (find_library runs ldconfig)."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return None
    return getattr(ctypes.CDLL(libc_name, use_errno=True), "renameat2", None)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2); False when unsupported."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    if ctypes.get_errno() in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(b))


def _remove_leftovers(out_dir: Path) -> None:
    """Staging and retired trees of builds that were killed before they finished."""
    for pattern in (f".{out_dir.name}.new-*", f".{out_dir.name}.old-*"):
        for leftover in out_dir.parent.glob(pattern):
            shutil.rmtree(leftover, ignore_errors=True)


def output_check(out_dir: Path, cache_dir: Path | None) -> TreeCheck | None:
    """Start checking the folders the next write_site checks: out_dir and its spare tree."""
    out_dir = out_dir.absolute()
    manifest = _manifest_path(cache_dir)
    if manifest is None or not manifest.is_file() or not out_dir.is_dir():
        return None
    return TreeCheck(manifest, out_dir, _spare_dir(out_dir))


def _manifest_path(cache_dir: Path | None) -> Path | None:
    return cache_dir / MANIFEST if cache_dir is not None else None


Entries = dict[str, list[object]]  # path -> [sha256 or _MADE, size, mtime_ns]


def _recorded(entry: list[object]) -> tuple[int, int]:
    """The (size, mtime_ns) a manifest entry records."""
    size, mtime = entry[1], entry[2]
    assert isinstance(size, int) and isinstance(mtime, int)
    return size, mtime


def _read_manifest(cache_dir: Path | None, out_dir: Path) -> tuple[Entries | None, Entries | None]:
    """What output/ and the spare tree hold, as the last build wrote them."""
    path = _manifest_path(cache_dir)
    if path is None or not out_dir.is_dir():
        return None, None
    data = read_manifest(path)  # None when missing or damaged: that only costs the shortcut
    if data is None or data.get("output") != str(out_dir):
        return None, None
    files, spare = data.get("files"), data.get("spare")
    if not isinstance(files, dict) or not (spare is None or isinstance(spare, dict)):
        return None, None
    return files, spare


def _unchanged(
    out_dir: Path, old: Entries, digests: dict[str, str] | None, check: TreeCheck | None
) -> bool:
    """out_dir holds exactly the files of `old`, unmodified (and these digests, if given)."""
    outputs = {p for p, entry in old.items() if entry[0] != _MADE}
    if digests is not None and (
        outputs != set(digests) or any(old[p][0] != d for p, d in digests.items())
    ):
        return False
    known = check.same(out_dir) if check is not None else None
    return known if known is not None else folder_matches(str(out_dir), old)


def _write_manifest(
    cache_dir: Path | None,
    out_dir: Path,
    digests: dict[str, str],
    made: Sequence[str] = (),
    spare: Entries | None = None,
    known: Stats | None = None,
) -> None:
    """Record what out_dir holds; only files not kept from an earlier tree are stat()ed."""
    path = _manifest_path(cache_dir)
    if path is None:
        return
    known = known or {}
    files: dict[str, list[object]] = {}
    out = os.fspath(out_dir)
    for relative, digest in [*digests.items(), *((m, _MADE) for m in made)]:
        stat = known.get(relative)
        if stat is None:
            result = os.stat(f"{out}/{relative}")  # noqa: PTH116 (string paths: see _fill)
            stat = (result.st_size, result.st_mtime_ns)
        files[relative] = [digest, *stat]
    write_manifest(path, {"output": str(out_dir), "files": files, "spare": spare})
    (path.parent / _OLD_MANIFEST).unlink(missing_ok=True)
