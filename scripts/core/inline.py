"""Where changes, notes and mentions sit in a document's final text.

Shared by the text stages that place things inside blocks (annotate,
crosslink) and by the renderer that draws them.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .model import Block, Document, PositionMap

# kinds of change marked in the running text (the rest are listed only)
INLINE_KINDS = {"spin", "typo", "censor", "encoding"}


@dataclass
class Inline:
    """Something drawn inside a block's text."""
    start: int
    end: int
    kind: str                 # change, mention, note
    payload: object = None
    order: int = 0


@dataclass
class Placed:
    """A change as located in the final text."""
    change: object
    number: int
    start: int
    end: int
    block: Block | None = None


def final_positions(doc: Document) -> list[Placed]:
    """Where each change's edition reading sits in the final text."""
    stages = []
    for c in doc.changes:
        if not stages or stages[-1] != c.stage:
            stages.append(c.stage)
    by_stage = defaultdict(list)
    for c in doc.changes:
        by_stage[c.stage].append(c)
    maps = {s: PositionMap(by_stage[s]) for s in stages}
    placed = []
    for n, c in enumerate(doc.changes, 1):
        s, e = c.start, c.end
        later = stages[stages.index(c.stage) + 1:]
        for st in later:
            s, e = maps[st].span(s, e) if e > s else (maps[st].pos(s), maps[st].pos(s))
        placed.append(Placed(c, n, s, e))
    find = _block_finder(doc.blocks)
    for p in placed:
        p.block = find(p.start, p.end)
    return placed


def _holds(b: Block, start: int, end: int) -> bool:
    return b.start <= start and end <= b.end and (start < b.end or start == b.start)


def _block_finder(blocks: list[Block]):
    """A function giving the first block that holds a span (or None).

    Blocks in text order that do not overlap (as the structure stage makes
    them) are searched by bisection; any other list block by block.
    """
    from bisect import bisect_left
    ordered = all(a.start <= a.end <= b.start for a, b in zip(blocks, blocks[1:]))
    if not ordered:
        return lambda start, end: next((b for b in blocks if _holds(b, start, end)), None)
    ends = [b.end for b in blocks]

    def find(start: int, end: int):
        k = bisect_left(ends, start)            # the first block that ends at or after start
        while k < len(blocks) and blocks[k].start <= start:
            if _holds(blocks[k], start, end):
                return blocks[k]
            k += 1
        return None
    return find
