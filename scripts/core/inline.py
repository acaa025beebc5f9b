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
    for p in placed:
        for b in doc.blocks:
            if b.start <= p.start and p.end <= b.end and (p.start < b.end or p.start == b.start):
                p.block = b
                break
    return placed
