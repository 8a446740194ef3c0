"""stable_digest: the same value gives the same hash, whatever was hashed before."""

from __future__ import annotations

import hashlib
import io
import pickle
import threading

import pytest

from generator.digests import stable_digest

VALUES = [("a", 1, (2.5, None)), "x" * 100_000, ("a", "a"), (("s", ("t",)),), ()]


def fresh(value: object) -> str:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump(value)
    return hashlib.sha256(buffer.getvalue()).hexdigest()


def test_each_hash_is_that_of_the_value_alone() -> None:
    # A long value first, then short ones: nothing of an earlier value may remain.
    assert [stable_digest(v) for v in VALUES] == [fresh(v) for v in VALUES]
    assert [stable_digest(v) for v in reversed(VALUES)] == [fresh(v) for v in reversed(VALUES)]


def test_a_value_that_cannot_be_pickled_leaves_nothing_behind() -> None:
    with pytest.raises((pickle.PicklingError, TypeError, AttributeError)):
        stable_digest(("ok", lambda: None))
    assert stable_digest(VALUES[0]) == fresh(VALUES[0])


def test_shared_and_equal_objects_hash_alike() -> None:
    word = "gedeeld" * 3
    assert stable_digest((word, word)) == stable_digest((word, "gedeeld" * 3))


def test_threads_hash_alike() -> None:
    found: list[str] = []
    threads = [
        threading.Thread(target=lambda: found.extend(stable_digest(v) for v in VALUES * 50))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(found) == sorted([fresh(v) for v in VALUES * 50] * 4)


class _Nested:
    """Pickled as the digest of its inner value: stable_digest is asked for while pickling."""

    def __init__(self, inner: object) -> None:
        self.inner = inner

    def __reduce__(self) -> tuple[object, ...]:
        return (str, (stable_digest(self.inner),))


def test_a_digest_asked_for_while_pickling_gets_a_pickler_of_its_own() -> None:
    value = ("a", _Nested(("b", _Nested("c"))), "d")
    expected = fresh(value)  # a pickler of its own all through
    assert stable_digest(value) == expected  # (the shared pickler used twice crashed)
    assert stable_digest(VALUES[0]) == fresh(VALUES[0])  # and the shared one is intact
