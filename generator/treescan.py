"""Whether output/ and its spare tree are as the manifest says, checked beside the build.

Writing checks that output/ (for an unchanged site) or the spare tree (for an
edit) is as the last build left it, file by file: 12,800 stat calls, about
0.2 s of one core at 10,000 articles. The build keeps one core busy, so the
CLI has a small process of its own make this check when the build starts
(this file, run as a script, standard library only); the writer takes its
answer, or checks for itself when there is none. The process reads the
manifest and the folders itself and answers in a word a folder, so nothing
of them is in the build's memory when its workers fork.

A file changed in output/ while the build runs can be missed by that build;
the manifest then records its old time, so the next build finds the change.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

Stats = dict[str, tuple[int, int]]  # path below the root -> (size, mtime_ns)
SECTIONS = {"output": "files", "spare": "spare"}  # which manifest entries a folder must match


def file_stats(root: str) -> Stats:
    """(size, mtime_ns) of every file below root, by relative path: one pass, no Path objects.

    (An unchanged rebuild of 12,800 pages spent most of its time here.)
    """
    found: Stats = {}
    pending = [("", root)]
    while pending:
        prefix, folder = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((f"{prefix}{entry.name}/", entry.path))
                else:
                    stat = entry.stat()
                    found[prefix + entry.name] = (stat.st_size, stat.st_mtime_ns)
    return found


def matches(found: Stats, entries: Mapping[str, Sequence[object]]) -> bool:
    """The folder holds exactly the manifest's files ([digest, size, mtime_ns] each)."""
    return len(found) == len(entries) and all(
        found.get(path) == (entry[1], entry[2]) for path, entry in entries.items()
    )


def folder_matches(root: str, entries: Mapping[str, Sequence[object]]) -> bool:
    try:
        return matches(file_stats(root), entries)
    except OSError:  # gone, or a part unreadable: not as recorded
        return False


class TreeCheck:
    """folder_matches for output/ and its spare tree, answered by a child process.

    A thread takes each answer as it comes, so the child ends as soon as it has
    checked (left waiting on a pipe, it would live, and count, as long as the build).
    """

    def __init__(self, manifest: Path, output: Path, spare: Path) -> None:
        self.manifest = manifest
        self._folders = {"output": str(output), "spare": str(spare)}
        self._answers: dict[str, bool] = {}
        self._answered = threading.Condition()
        self._done = False
        self._reader: threading.Thread | None = None
        try:
            self._process: subprocess.Popen[str] | None = subprocess.Popen(
                [sys.executable, "-I", "-S", __file__, str(manifest), str(output), str(spare)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
        except OSError:
            self._process = None  # the writer checks for itself
            self._done = True
            return
        self._reader = threading.Thread(target=self._read, name="treecheck", daemon=True)
        self._reader.start()

    def same(self, folder: Path) -> bool | None:
        """Whether the folder (output/ or the spare) is as recorded; None: not known, check it.

        The child answers folder by folder: asking about output/ does not wait
        for the check of the spare tree.
        """
        name = next((n for n, path in self._folders.items() if path == str(folder)), None)
        if name is None:
            return None
        with self._answered:
            self._answered.wait_for(lambda: name in self._answers or self._done)
            return self._answers.get(name)

    def _read(self) -> None:
        assert self._process is not None and self._process.stdout is not None
        try:
            for line in self._process.stdout:
                name, _, answer = line.strip().partition(" ")
                if name in self._folders and answer in ("same", "changed"):
                    with self._answered:
                        self._answers[name] = answer == "same"
                        self._answered.notify_all()
        except (OSError, ValueError):
            pass
        finally:
            with self._answered:
                self._done = True
                self._answered.notify_all()

    def close(self) -> None:
        """Stop the child (if it still runs) and the thread that reads its answers."""
        if self._process is not None:
            self._process.kill()
            self._process.wait()
        if self._reader is not None:
            self._reader.join()
            self._reader = None
        if self._process is not None:
            if self._process.stdout is not None:
                self._process.stdout.close()
            self._process = None

    def __enter__(self) -> TreeCheck:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _main(manifest: str, output: str, spare: str) -> None:
    """Print "output same|changed", then the same for "spare"; nothing where unknown."""
    try:
        with open(manifest, encoding="utf-8") as handle:  # noqa: PTH123 (stdlib only, no Path)
            data = json.load(handle)
        if not isinstance(data, dict) or data.get("output") != output:
            return  # another folder's manifest: the writer checks for itself
    except (OSError, ValueError):
        return
    for name, folder in (("output", output), ("spare", spare)):
        entries = data.get(SECTIONS[name])
        if isinstance(entries, dict) and Path(folder).is_dir():
            answer = "same" if folder_matches(folder, entries) else "changed"
            print(name, answer, flush=True)


if __name__ == "__main__":
    _main(*sys.argv[1:4])
