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
# At most this many items go to a worker at a time.
CHUNK = 4
_state: dict = {}           # function -> what it is given first, for the forked workers


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


def _one(call):
    fn, item = call
    try:
        return True, fn(_state[fn], item)
    except EditionError as exc:
        return False, exc


def imap_in_order(fn, items: list, shared=None):
    """fn(shared, item) for each item, yielded in order as they are made; in
    worker processes when there are many.

    An EditionError is raised as one process would raise it: the first in
    the items' order.  Any other exception is a bug and propagates as is.
    """
    with Workers({fn: shared}, len(items)) as workers:
        yield from workers.imap(fn, items)


class Workers:
    """Worker processes forked now, for fn(shared[fn], item) calls made later (imap).

    shared maps each function the workers will run to what it gets as its first
    argument (loaded before the fork, so not pickled).  Each function has a pool
    of its own, all forked here, one after the other: a worker that has done one
    kind of work keeps the memory it grew to, and the next kind starts small.
    (A pool forked later would see the first one's threads and fork nothing;
    forked here, its workers never touch the other pools' queues or locks.)

    Forking early, while this process is small, and sending each item as a copy
    (pickled) keeps the workers small: a worker forked from a process that holds
    a whole collection copies every page of it that the worker writes to, and
    even reading an object writes its reference count.
    """

    def __init__(self, shared: dict, n_items: int):
        self.shared = shared
        self.jobs = jobs_for(n_items)
        self.pools: dict = {}
        if self.jobs > 1:
            import gc
            import multiprocessing
            global _state
            _state = shared
            # what this process holds goes to the collector's permanent generation before the fork:
            # the workers' collections then never write to those objects, so their pages stay shared
            gc.freeze()
            try:
                for fn in shared:
                    self.pools[fn] = multiprocessing.get_context("fork").Pool(self.jobs)
            except BaseException:
                self.close()
                raise
            finally:
                _state = {}
                gc.unfreeze()

    def imap(self, fn, items: list):
        """fn(self.shared[fn], item) for each item, in order (fn: a module-level function)."""
        pool = self.pools.get(fn)
        if pool is None:
            for item in items:
                yield fn(self.shared[fn], item)
            return
        calls = [(fn, item) for item in items]
        # a few items a task: a chunk's items and results are all held at once, on both sides
        for ok, value in pool.imap(_one, calls, chunksize=max(1, min(CHUNK, len(items) // (self.jobs * 8)))):
            if not ok:
                raise value
            yield value

    def close(self, fn=None) -> None:
        """Stop the workers of fn (when done with it: their memory is given back), or all."""
        for key in [fn] if fn is not None else list(self.pools):
            pool = self.pools.pop(key, None)
            if pool is not None:
                pool.terminate()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def map_in_order(fn, items: list, shared=None) -> list:
    """The list of imap_in_order's results."""
    return list(imap_in_order(fn, items, shared))
