"""Work on many texts in forked worker processes, results in order.

Used by the build for the text stages and for rendering the text pages of a
large collection.  The workers are forked, so they share what the main
process has loaded (rules, lexicon, glossary) without pickling it; only each
item and its result cross between processes.
"""
from __future__ import annotations

import os

from .errors import EditionError

# Workers are used when there are at least this many items.
PARALLEL_FROM = 24
_state: tuple = ()          # (function, shared) for the forked workers


def jobs_for(n: int) -> int:
    """How many processes to use for n items: EDITION_JOBS when set, else one per
    CPU this process may use; one when n is small or threads are running (a
    fork copies no thread but may copy a lock one of them holds)."""
    import threading
    wanted = os.environ.get("EDITION_JOBS", "").strip()
    if wanted:
        try:
            jobs = int(wanted)
        except ValueError:
            raise EditionError("EDITION_JOBS", f"is {wanted!r}; it should be a whole number of processes") from None
    else:
        jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if n < PARALLEL_FROM or threading.active_count() > 1 or not hasattr(os, "fork"):
        return 1
    return max(1, min(jobs, n // 8))


def _one(item):
    fn, shared = _state
    try:
        return True, fn(shared, item)
    except EditionError as exc:
        return False, exc


def imap_in_order(fn, items: list, shared=None, size: int | None = None):
    """fn(shared, item) for each item, yielded in order as they are made; in
    worker processes when there are many (or when ``size``, a count of texts the
    work is proportional to, is large: many cheap items are not worth a fork).

    An EditionError is raised as one process would raise it: the first in
    the items' order.  Any other exception is a bug and propagates as is.
    """
    jobs = jobs_for(len(items) if size is None else min(size, len(items)))
    if jobs == 1:
        for item in items:
            yield fn(shared, item)
        return
    import multiprocessing
    global _state
    _state = (fn, shared)
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for ok, value in pool.imap(_one, items, chunksize=max(1, len(items) // (jobs * 8))):
                if not ok:
                    raise value
                yield value
    finally:
        _state = ()


def map_in_order(fn, items: list, shared=None) -> list:
    """The list of imap_in_order's results."""
    return list(imap_in_order(fn, items, shared))
