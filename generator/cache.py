"""The build cache: one SQLite file in .kennisbank-cache/ holding what earlier builds computed.

Entries are found by keys that hash everything they were made from, never by
file times, so a cache restored into a fresh clone still works (file times
only spare reading unchanged inputs: fingerprint.Seen). A damaged,
foreign or outdated file is detected, thrown away and started anew: never trusted.
Built files themselves are kept beside it, by content (filestore.py).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import pickle
import sqlite3
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from generator.digests import FORMAT, code_fingerprint, stable_digest
from generator.filestore import FILES_DIR, FileStore, Stamp
from generator.outputs import OutputFile

T = TypeVar("T")

CACHE_FILE = "build-cache.sqlite"
FILE = "file"  # kind of the built files' bytes, stored under their own sha256
# Compiled templates, one per template file (replaced when it changes), kept by the
# processes that render: never swept, as the build's own list of used entries lacks them.
TEMPLATE_CODE = "template code"
SWEEP_SHARE = 10  # sweep once the entries made since the last sweep reach 1/10 of those used
# A kind read in bulk (load(bulk=True)) also lies as one value: kind -> {key: value}.
BULK = "bulk"
BULK_SHARE = 10  # a bulk is made again once rows outside it gave over 1/10 of what was read
BULK_FROM = 64  # ... and at least this many values: an edit rebuild reads one or two rows
_BATCH = 500  # keys per SELECT (SQLite limits the number of parameters)
_ONE_BY_ONE = 50  # kept files placed with a query each before all stamps are read at once
_INSERT = "INSERT OR REPLACE INTO entry VALUES (?, ?, ?, ?)"
# Entries handed over by workers (write_rows) are written together once this many rows
# or bytes wait: a transaction per worker's chunk took a cold build 1 s more than batches.
_WRITE_ROWS = 4096
_WRITE_BYTES = 16 << 20
Row = tuple[str, str, str, bytes]  # an entry as stored: kind, key, checksum, value


class CacheError(Exception):
    """A cached value read late (while writing) turned out damaged: build again without it."""


def memoized(
    cache: BuildCache | None, kind: str, inputs: object, start: Callable[[], Callable[[], T]]
) -> Callable[[], T]:
    """What start() computes, or its result from an earlier build whose `inputs` were equal.

    start() sets the computing going (in a worker, say) and returns what waits for
    its result; so does this. `inputs` must be all that the computing reads, in a
    canonical form (tuples, not sets).
    """
    if cache is None or not cache.enabled:
        return start()
    key = stable_digest(inputs)
    found = cache.load(kind, [key])
    if key in found:
        cache.reused(kind, 1)
        value: T = found[key]
        return lambda: value
    waiting = start()

    @functools.cache
    def kept() -> T:
        value = waiting()
        cache.store(kind, {key: value})
        return value

    return kept


def _pack(entries: set[tuple[str, str]]) -> bytes:
    """A build's used entries as one blob: "kind NUL key" lines after a CRC-32 of them.

    Text, not pickled tuples: packing and unpacking 60,000 entries as pickles took
    a rebuild half a second; compressing them (hex keys hardly shrink) 0.1 s.
    The CRC finds a damaged list.
    """
    text = "\n".join(map(_SEPARATOR.join, entries)).encode()  # each as _line(kind, key)
    return b"%08x\n" % zlib.crc32(text) + text


def _unpack(blob: bytes) -> set[str]:
    """The lines of a used-entries blob (see _pack)."""
    head, _, text = bytes(blob).partition(b"\n")
    if head != b"%08x" % zlib.crc32(text):  # a damaged list: stop (the caller keeps the cache)
        raise sqlite3.DatabaseError("damaged list of used entries")
    return set(text.decode().split("\n")) if text else set()


def _batches(items: Sequence[T]) -> Iterable[Sequence[T]]:
    """Slices of at most _BATCH items: SQLite limits the parameters of a query."""
    return (items[start : start + _BATCH] for start in range(0, len(items), _BATCH))


_SEPARATOR = "\0"  # between kind and key in a used-entries line


def _line(kind: str, key: str) -> str:
    return f"{kind}{_SEPARATOR}{key}"


def _check(blob: bytes) -> str:
    return hashlib.sha256(blob).hexdigest()


class BuildCache:
    """Values by (kind, key), pickled, each stored with a checksum that is verified on load.

    Every build records the entries it read or wrote as one list under its
    generation, written once at the end (a row per entry took an edit rebuild
    of 10,000 articles half a second). A successful build sweeps: it drops what
    neither it nor the builds since the previous successful one used. Sweeping
    reads every key (0.15 s at 10,000 articles), so it waits until the entries
    made since the last sweep reach a tenth of those the build used: the file
    holds at most about 1.1 sites' worth of entries.
    """

    def __init__(
        self,
        directory: Path | None,
        *,
        read: bool = True,
        discard: bool = True,
        write: bool = True,
    ) -> None:
        """Open (or create) the cache in `directory`; None keeps nothing, read=False starts anew.

        discard=False: a file that cannot be used is left alone (the cache is then off).
        write=False: only an existing cache is read, and nothing is ever written
        (`check` writes nothing); implies discard=False.
        """
        self.directory = directory
        self.writable = write
        self.files = FileStore(directory / FILES_DIR) if directory is not None else None
        self.path = directory / CACHE_FILE if directory is not None else None
        self.discarded: str | None = None  # why an existing file was thrown away
        self.counts: Counter[str] = Counter()  # "<kind> reused", "... made", "... from rows"
        self._db: sqlite3.Connection | None = None
        self._usable = True  # False after a failure: no more lookups or stores
        self._doomed: str | None = None  # the file broke: remove it at close()
        self._generation = 0
        self._last_ok = 0
        self._made_before = 0  # entries stored since the last sweep, by earlier builds
        self._used: set[tuple[str, str]] = set()  # (kind, key) read or written by this build
        self._bulks: dict[str, dict[str, Any]] = {}  # kind -> its bulk, once read
        self._read_in_bulk: dict[str, dict[str, Any]] = {}  # kind -> what bulk loads found
        self._linkable: set[str] = set()  # kept files checked intact: placed by a hard link
        self._recorded: dict[str, Stamp] | None = None  # every kept file's stamp, once placing
        self._restamped: list[tuple[bytes, str, str]] = []  # (stamp, FILE, digest) to record
        self._deferred: list[Row] | None = None  # entries stored, not written (attach(deferred))
        self._waiting: list[Row] = []  # entries from write_rows, written at the next write or read
        self._waiting_bytes = 0
        if self.path is None or (not write and (not read or not self.path.is_file())):
            return
        if not read:
            self._discard("rebuilt on request")
        try:
            self._db = self._connect()
        except (sqlite3.Error, ValueError, OSError) as exc:
            if not discard or not write:
                return
            self._discard(str(exc))
            try:
                self._db = self._connect()
            except (sqlite3.Error, ValueError, OSError):
                self._db = None  # an unusable cache folder: build without a cache

    @classmethod
    def attach(cls, directory: Path, *, write: bool = True, deferred: bool = False) -> BuildCache:
        """Another connection to a cache a build has open (a worker's): never discards it.

        deferred=True: what it stores is not written but held for take_rows(), so
        that one process writes. Workers writing their own entries waited for each
        other's transactions (SQLite has one writer at a time): a cold build of
        10,000 articles spent about a second per worker storing.
        """
        cache = cls(directory, discard=False, write=write)
        if deferred:
            cache._deferred = []
        return cache

    @property
    def enabled(self) -> bool:
        return self._db is not None and self._usable

    def _connect(self) -> sqlite3.Connection:
        assert self.path is not None
        if not self.writable:
            uri = f"{self.path.absolute().as_uri()}?mode=ro"
            db = sqlite3.connect(uri, uri=True, timeout=60, isolation_level=None)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        try:
            # No fsync: a cache lost in a power cut is detected (checksums, SQLite's own
            # checks) and rebuilt; syncing every transaction made writes four times slower.
            db.execute("PRAGMA synchronous=OFF")
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
            if not tables:
                db.execute("PRAGMA page_size=65536")  # most values are pages of 10-30 KB
                db.executescript(
                    """
                    BEGIN;
                    CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
                    CREATE TABLE entry (
                        kind TEXT NOT NULL, key TEXT NOT NULL,
                        checksum TEXT NOT NULL, value BLOB NOT NULL, PRIMARY KEY (kind, key));
                    CREATE TABLE used (gen INTEGER PRIMARY KEY, entries BLOB NOT NULL);
                    COMMIT;
                    """
                )
                meta = {
                    "format": FORMAT,
                    "code": code_fingerprint(),
                    "gen": "0",
                    "ok": "0",
                    "made": "0",  # entries stored since the last sweep
                }
                db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
            meta = dict(db.execute("SELECT name, value FROM meta"))
            if meta.get("format") != FORMAT:
                raise ValueError("not a kennisbank build cache")
            if meta.get("code") != code_fingerprint():
                raise ValueError("made by another version of the generator")
            self._generation = int(meta["gen"]) + 1
            self._last_ok = int(meta["ok"])
            self._made_before = int(meta["made"])
        except BaseException:
            db.close()
            raise
        return db

    def _discard(self, reason: str) -> None:
        assert self.path is not None and self.files is not None
        self.discarded = reason
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        self.files.clear()

    def _failed(self, exc: sqlite3.Error) -> None:
        """Stop using the cache for this build; a damaged file goes at close(), a busy one stays.

        The connection stays open: pages stored before the failure are fetched
        (and verified) when written.
        """
        self._usable = False
        if not isinstance(exc, sqlite3.OperationalError) or "locked" not in str(exc):
            self._doomed = str(exc)
        if self._db is not None and self._db.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")

    def _write(self, statement: str, rows: Iterable[tuple[Any, ...]]) -> None:
        """One short transaction, with the entries write_rows() holds: entries are valid on
        their own, so a crash loses nothing but some of them."""
        if self._db is None or not self._usable or not self.writable:
            self._waiting, self._waiting_bytes = [], 0  # never to be written
            return
        try:
            self._db.execute("BEGIN")
            if self._waiting:
                self._db.executemany(_INSERT, self._waiting)
            self._db.executemany(statement, rows)
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            self._failed(exc)
        self._waiting = []
        self._waiting_bytes = 0

    def _write_waiting(self) -> None:
        """Write the entries write_rows() holds: before anything reads or ends the file."""
        if self._waiting:
            self._write(_INSERT, [])

    def reused(self, kind: str, count: int) -> None:
        """Count entries a stage took from the cache (after checking them)."""
        self.counts[f"{kind} reused"] += count

    def made(self, kind: str, count: int) -> None:
        """Count entries made anew elsewhere (a worker) and stored through its own connection."""
        self.counts[f"{kind} made"] += count

    def mark_used(self, kind: str, keys: Iterable[str]) -> None:
        """Mark entries as used by this build without reading them here (kept by the next
        sweep): read or written by another connection (a worker's), or read only if needed."""
        self._touch(kind, keys)

    def load(
        self, kind: str, keys: Iterable[str], *, touch: bool = True, bulk: bool = False
    ) -> dict[str, Any]:
        """The values of those keys that are cached; a damaged entry counts as missing.

        bulk=True for a kind a rebuild reads nearly whole (a value for every file):
        the values are then taken from one value holding them all, and only the
        rest from their rows. Reading 11,000 rows cost an edit rebuild 0.1 s per
        kind, mostly in unpickling each value apart (one pickle shares the work
        of its classes and memo). See finish() for when the bulk is made.
        """
        found: dict[str, Any] = {}
        rows = keys
        if bulk:
            held = self._bulk(kind)
            rows = []
            for key in keys:
                if key in held:
                    found[key] = held[key]
                else:
                    rows.append(key)
        from_rows = 0
        for key, blob in self._rows(kind, rows):
            try:
                found[key] = pickle.loads(blob)
            except Exception:  # pickled by other code: a miss, never trusted
                continue
            from_rows += 1
        if bulk:
            self._read_in_bulk.setdefault(kind, {}).update(found)
            self.counts[f"{kind} from rows"] += from_rows
        if touch:
            self._touch(kind, found)
        return found

    def _bulk(self, kind: str) -> dict[str, Any]:
        """The kind's bulk (load), read once per build; {} when there is none."""
        held = self._bulks.get(kind)
        if held is None:
            held = {}
            for _, blob in self._rows(BULK, [kind]):
                try:
                    value = pickle.loads(blob)
                except Exception:  # pickled by other code: no bulk
                    continue
                if isinstance(value, dict):
                    held = value
                    self._touch(BULK, [kind])
            self._bulks[kind] = held
        return held

    def load_bytes(self, kind: str, keys: Iterable[str]) -> dict[str, bytes]:
        """The raw values (store_bytes) of those keys that are cached, checked against their sum."""
        return {key: bytes(value) for key, value in self._rows(kind, keys)}

    def store(self, kind: str, items: Mapping[str, Any]) -> None:
        """Cache each value under its key (replacing an older value)."""
        self.store_bytes(
            kind,
            {
                key: pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
                for key, value in items.items()
            },
        )

    def store_bytes(self, kind: str, items: Mapping[str, bytes]) -> None:
        """Cache raw bytes (rendered files); their checksum is their sha256."""
        self.counts[f"{kind} made"] += len(items)
        self._insert([(kind, key, _check(blob), blob) for key, blob in items.items()])
        self._touch(kind, items)

    def store_files(self, blobs: Sequence[bytes]) -> list[str]:
        """Keep built files by content; returns their sha256 digests (the keys to fetch them)."""
        digests = [_check(blob) for blob in blobs]
        self.counts[f"{FILE} made"] += len(blobs)
        if self._db is None or not self._usable or not self.writable or self.files is None:
            return digests
        rows: list[Row] = []
        try:
            for digest, blob in zip(digests, blobs, strict=True):
                size, mtime = self.files.put(digest, blob)
                rows.append((FILE, digest, digest, f"{size} {mtime}".encode()))
        except OSError as exc:
            self._failed(sqlite3.OperationalError(f"locked: cannot keep files ({exc})"))
            return digests
        self._insert(rows)
        self._touch(FILE, digests)
        return digests

    def _insert(self, rows: list[Row]) -> None:
        """Write entries, or hold them when this connection defers its writes (attach)."""
        if self._deferred is None:
            self._write(_INSERT, rows)
        elif self._db is not None and self._usable and self.writable:
            self._deferred.extend(rows)

    def take_rows(self) -> list[Row]:
        """The entries a deferring connection stored since the last call, for write_rows()."""
        rows = self._deferred or []
        if self._deferred is not None:
            self._deferred = []
        return rows

    def write_rows(self, rows: Sequence[Row]) -> None:
        """Write entries another connection stored deferred (a worker's).

        They wait for the next transaction, written with it; or in their own once
        many wait, and before this connection reads or ends its build.
        """
        if not rows or self._db is None or not self._usable or not self.writable:
            return
        self._waiting.extend(rows)
        self._waiting_bytes += sum(len(value) for _, _, _, value in rows)
        self._used.update((kind, key) for kind, key, _, _ in rows)
        if len(self._waiting) >= _WRITE_ROWS or self._waiting_bytes >= _WRITE_BYTES:
            self._write_waiting()

    def output(self, path: str, digest: str, kind: str = "") -> OutputFile:
        """A built file kept here, as the output file at `path`: linked, or read, when written."""
        return OutputFile(
            path, digest=digest, fetch=self.file(digest), place=self.placer(digest), kind=kind
        )

    def file(self, digest: str) -> Callable[[], bytes]:
        """A reader of a file kept with store_files (its bytes are verified when read)."""
        return partial(self._read_file, digest)

    def placer(self, digest: str) -> Callable[[str], bool]:
        """Hard-links a kept file to a path, if it is still as written (False: read it instead)."""
        return partial(self._place, digest)

    def _read_file(self, digest: str) -> bytes:
        data = self.files.read(digest) if self.files is not None else None
        if data is None or _check(data) != digest:
            self._doomed = f"damaged file {digest}"
            raise CacheError(f"damaged or missing file in the build cache ({digest})")
        return data

    def _place(self, digest: str, target: str) -> bool:
        if self.files is None:
            return False
        if digest not in self._linkable:
            if not self._intact(digest):
                return False
            self._linkable.add(digest)
        return self.files.link(digest, target)

    def _intact(self, digest: str) -> bool:
        """The kept file is as recorded; checked as it is placed, so this costs what is placed.

        An edit rebuild places a handful of files, a build into an empty folder all
        12,800. The first few stamps are read one by one; from then on all of them
        in one query (one per file was a second of a build into an empty folder;
        all of them, 0.05 s of an edit rebuild that places ten).
        """
        if self._recorded is None and len(self._linkable) >= _ONE_BY_ONE:
            self._recorded = self._stamps(None)
        stamp = (self._recorded or {}).get(digest) or self._stamps([digest]).get(digest)
        return stamp is not None and self._as_recorded(digest, stamp)

    def _as_recorded(self, digest: str, stamp: Stamp) -> bool:
        """The file has the size and time recorded; a file whose time changed (a cache restored
        elsewhere) is trusted only after its content hashes to its name, and its new time is
        recorded (in batches, and when the cache closes)."""
        assert self.files is not None
        if self.files.unchanged(digest, stamp):
            return True
        data = self.files.read(digest)
        if data is None or _check(data) != digest:
            return False
        size, mtime = self.files.stamp(digest)
        self._restamped.append((f"{size} {mtime}".encode(), FILE, digest))
        if len(self._restamped) >= _BATCH:
            self._record_stamps()
        return True

    def _record_stamps(self) -> None:
        """Write the new stamps of files found intact under another time, in one transaction."""
        if self._restamped:
            self._write("UPDATE entry SET value = ? WHERE kind = ? AND key = ?", self._restamped)
            self._restamped = []

    def kept_files(self, digests: Iterable[str]) -> set[str]:
        """The digests whose files are kept, as they were written."""
        if self.files is None:
            return set()
        stamps = self._stamps(digests)
        found = {digest for digest, stamp in stamps.items() if self._as_recorded(digest, stamp)}
        self._record_stamps()
        self._touch(FILE, found)
        return found

    def _stamps(self, digests: Iterable[str] | None) -> dict[str, Stamp]:
        """The recorded (size, mtime_ns) of kept files (None: of every kept file)."""
        stamps: dict[str, Stamp] = {}
        for key, value in self._select(FILE, digests, "value"):
            try:
                size, mtime = (int(part) for part in bytes(value).split())
            except ValueError:
                continue
            stamps[key] = (size, mtime)
        return stamps

    def holds(self, kind: str) -> bool:
        """Whether any entry of this kind is cached (a rebuild, not a first build)."""
        if self._db is None or not self._usable:
            return False
        self._write_waiting()
        try:
            query = "SELECT 1 FROM entry WHERE kind = ? LIMIT 1"
            return self._db.execute(query, (kind,)).fetchone() is not None
        except sqlite3.Error as exc:
            self._failed(exc)
            return False

    def _rows(self, kind: str, keys: Iterable[str]) -> list[tuple[str, Any]]:
        """(key, value) for stored keys; values are checked against their checksum."""
        return [
            (key, value)
            for key, checksum, value in self._select(kind, keys, "checksum, value")
            if isinstance(value, bytes) and _check(value) == checksum
        ]

    def _select(self, kind: str, keys: Iterable[str] | None, columns: str) -> list[Any]:
        """(key, *columns) of the stored keys (None: all of the kind).

        In two steps: the row ids from the index alone, then the rows in the table's
        order. Fetching them in key order (random: keys are digests) read a 64 KB
        page for nearly every row; in row order a page serves the rows it holds.
        That took loading 11,000 bodies from 0.085 to 0.037 s. A row replaced between
        the steps has a new id or another key: it is left out, a miss, never wrong.
        Batches, as SQLite limits the number of parameters.
        """
        if self._db is None or not self._usable:
            return []
        self._write_waiting()
        wanted = None if keys is None else list(dict.fromkeys(keys))
        rows: list[Any] = []
        try:
            ids: list[int] = []
            if wanted is None:
                query = "SELECT rowid FROM entry WHERE kind = ?"
                ids.extend(row[0] for row in self._db.execute(query, (kind,)))
            else:
                for batch in _batches(wanted):
                    marks = ",".join("?" * len(batch))
                    query = f"SELECT rowid FROM entry WHERE kind = ? AND key IN ({marks})"
                    ids.extend(row[0] for row in self._db.execute(query, (kind, *batch)))
            ids.sort()
            for chunk in _batches(ids):
                marks = ",".join("?" * len(chunk))
                # "+kind": a condition the index must not serve. Walking the index of
                # (kind, key) instead of looking the ids up brought back the key order.
                query = f"SELECT key, {columns} FROM entry WHERE +kind = ? AND rowid IN ({marks})"
                rows.extend(self._db.execute(query, (kind, *chunk)))
        except sqlite3.Error as exc:
            self._failed(exc)
            return []
        if wanted is not None:
            asked = set(wanted)
            rows = [row for row in rows if row[0] in asked]
        return rows

    def _touch(self, kind: str, keys: Iterable[str]) -> None:
        self._used.update((kind, key) for key in keys)

    def finish(self, *, ok: bool) -> None:
        """End the build's generation; a successful build sweeps once enough was made since."""
        if self._db is None or not self._usable or not self.writable:
            return
        self._write_waiting()
        self._store_bulks()
        made = self._made_before
        made += sum(count for name, count in self.counts.items() if name.endswith(" made"))
        try:
            self._db.execute("BEGIN")
            self._db.execute(
                "INSERT OR REPLACE INTO used VALUES (?, ?)",
                (self._generation, _pack(self._used)),
            )
            if ok:
                if made * SWEEP_SHARE >= len(self._used):
                    # The first build of a cache made every entry it holds: nothing to drop
                    # (reading every key to find that out took a cold build 0.1 s).
                    if self._generation > 1:
                        self._sweep()
                    made = 0
                self._db.execute("DELETE FROM used WHERE gen < ?", (self._last_ok,))
                self._db.execute("UPDATE meta SET value = ? WHERE name = 'ok'", (self._generation,))
            self._db.execute("UPDATE meta SET value = ? WHERE name = 'gen'", (self._generation,))
            self._db.execute("UPDATE meta SET value = ? WHERE name = 'made'", (made,))
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            self._failed(exc)

    def _store_bulks(self) -> None:
        """Keep all a build's bulk loads found of a kind as its new bulk, when rows gave much.

        That is the first rebuild after a clean build (whose values were all written
        one by one, many by workers), or one after many edits. The rows stay, as
        new values are written one by one; a bulk keeps values no longer asked for
        until it is made again (they cost reading, never a wrong value).
        """
        for kind, found in self._read_in_bulk.items():
            from_rows = self.counts[f"{kind} from rows"]
            if from_rows >= BULK_FROM and from_rows * BULK_SHARE > len(found):
                self.store(BULK, {kind: found})

    def _sweep(self) -> None:
        """Drop the entries that neither this build nor those since the last successful one used.

        (Undoing an edit then still hits.)
        """
        assert self._db is not None
        keep: set[str] = set()
        query = "SELECT entries FROM used WHERE gen >= ?"
        for (blob,) in self._db.execute(query, (self._last_ok,)):
            keep.update(_unpack(blob))
        gone = [
            (kind, key)
            for kind, key in self._db.execute("SELECT kind, key FROM entry")
            if _line(kind, key) not in keep and kind != TEMPLATE_CODE
        ]
        if self.files is not None:
            for kind, key in gone:
                if kind == FILE:
                    self.files.remove(key)
        self._db.executemany("DELETE FROM entry WHERE kind = ? AND key = ?", gone)

    def close(self) -> None:
        """Give the file back (lazily fetched outputs cannot be read after this)."""
        self._write_waiting()
        self._record_stamps()
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None
        if self._doomed is not None and self.path is not None:
            self._discard(self._doomed)
