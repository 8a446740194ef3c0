"""Python's cycle collector, paused while a build runs.

A build allocates millions of objects that live until it ends (items, parsed
bodies, views, cache entries) and makes almost no reference cycles (a whole
build of 10,000 articles leaves fewer than ten). The collector would still
rescan the growing heap again and again: that was a quarter of the time of a
rebuild after one edit. Objects without cycles are freed by reference counting
as before; what cycles there are are collected when the build is over. Worker
processes forked during the build inherit the pause.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused(*, resume: bool = True) -> Iterator[None]:
    """Run the body without cyclic garbage collection; turn it back on after, if it was on.

    `resume=False` leaves it off: for a process that ends right after.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled and resume:
            gc.enable()
