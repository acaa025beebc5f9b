"""The document model that flows through every stage.

A Document holds the current text of one scrape and the record of every
change made to it.  Stages never edit ``doc.text`` directly: they propose
Edits against the current text and call ``doc.apply``.  Each applied edit
becomes a Change that keeps the scraped reading (``sic``), the edition's
reading (``corr``), its kind and reason, and where the edition reading sits
in that stage's output.  Undoing the stages' changes in reverse order gives
back the raw scrape exactly (see ``rebuild_raw``).

After the structure stage the document also has Blocks (spans of the text
with a type: title, heading, paragraph, quote, tweet, list, table, code ...)
and Comments.  Later stages keep the spans in step with their edits.

Lists, tables and code (``FORM_KINDS``) keep the form the scrape gave them:
their lines are never joined, restored or linked, and the renderer draws
them as a list, a table or a code block.  The clean stage finds them first
(as provisional blocks, so that its own edits keep them in step) and the
structure stage makes them page blocks.
"""
from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass, field
from typing import Any


# Kinds of change the record knows.  Each is explained on the About page.
CHANGE_KINDS = {
    "encoding": "character encoding repaired (byte-order mark, mojibake)",
    "control": "invisible control or direction-override character removed",
    "whitespace": "line ends, blank lines and stray spaces normalised",
    "boilerplate": "page furniture of the scraped site removed",
    "structure": "a marker of structure (quote sign, comment header or signature) turned into page structure",
    "unwrap": "a line or paragraph broken mid-sentence joined again",
    "typo": "a slip in the scrape corrected",
    "censor": "an artefact of a site's word filter undone",
    "spin": "a word changed by an article spinner restored",
}


@dataclass
class Edit:
    """A proposed change to the current text: replace text[start:end] by ``new``."""
    start: int
    end: int
    new: str
    kind: str
    reason: str
    rule: str = ""
    confidence: float = 1.0
    data: dict = field(default_factory=dict)


@dataclass
class Change:
    """An applied edit, as kept in the record.

    ``start``/``end`` locate ``corr`` in the text the stage produced.
    """
    stage: str
    kind: str
    start: int
    end: int
    sic: str
    corr: str
    reason: str
    rule: str = ""
    confidence: float = 1.0
    data: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        d = {f: getattr(self, f) for f in _CHANGE_FIELDS}
        if self.data:
            d["data"] = dict(self.data)
        return d


_CHANGE_FIELDS = ("stage", "kind", "start", "end", "sic", "corr", "reason", "rule", "confidence")


# Blocks that keep their scraped form line by line.
FORM_KINDS = ("list", "table", "code")


@dataclass
class Block:
    kind: str                      # title, heading, para, quote, tweet, tweet-head, list, table, code
    start: int
    end: int
    section: str = "body"          # body or comments
    comment: int | None = None     # index into doc.comments
    group: int | None = None       # blocks of one quote or tweet share a group
    attrs: dict = field(default_factory=dict)
    id: str = ""                   # stable permalink, set by the render stage


@dataclass
class Comment:
    index: int
    author: str | None = None
    time: str | None = None
    number: str | None = None
    likes: str | None = None
    lost: bool = False             # the scrape kept the header but not the text
    depth: int = 0                 # 0: a comment on the post; 1: a reply to a comment; ...
    parent: int | None = None      # index of the comment this one replies to


@dataclass
class Document:
    seed: str                      # file name in seeds/
    raw: bytes
    meta: dict                     # the seed's data file, validated
    data_path: str = ""
    text: str = ""
    encoding: str = "utf-8"
    bom: bool = False
    changes: list[Change] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    likes: str | None = None       # like counter of the main post, if the scrape has one
    spin_score: float = 0.0
    spun: bool = False
    notes: list = field(default_factory=list)      # placed annotations
    mentions: list = field(default_factory=list)   # entity mentions
    placeholders: list = field(default_factory=list)  # data-file fields still holding starter text

    @property
    def stem(self) -> str:
        return self.seed.rsplit(".", 1)[0]

    @property
    def slug(self) -> str:
        return self.meta["slug"]

    def apply(self, stage: str, edits: list[Edit]) -> list[Change]:
        """Apply non-overlapping edits to the text, record them, keep spans in step."""
        new_text, changes = apply_edits(self.text, edits, stage)
        if changes:
            mapper = PositionMap(changes)
            for b in self.blocks:
                b.start, b.end = mapper.span(b.start, b.end)
        self.text = new_text
        self.changes.extend(changes)
        self.stages.append(stage)
        return changes

    def block_text(self, b: Block) -> str:
        return self.text[b.start:b.end]

    def form_spans(self) -> list[tuple[int, int]]:
        """Spans of the list, table and code blocks (kept as scraped: no restoring, no links)."""
        return [(b.start, b.end) for b in self.blocks if b.kind in FORM_KINDS]

    def in_form(self, start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in self.form_spans())


def apply_edits(text: str, edits: list[Edit], stage: str) -> tuple[str, list[Change]]:
    """Apply edits to text; return the new text and the changes they make.

    Edits must not overlap; an edit that changes nothing is dropped.
    """
    edits = sorted((e for e in edits if text[e.start:e.end] != e.new), key=lambda e: (e.start, e.end))
    out: list[str] = []
    changes: list[Change] = []
    pos = 0
    out_len = 0
    for e in edits:
        if e.start < pos:
            raise ValueError(f"overlapping edits in stage {stage!r} at {e.start}")
        if not (0 <= e.start <= e.end <= len(text)):
            raise ValueError(f"edit out of range in stage {stage!r}: {e.start}-{e.end}")
        keep = text[pos:e.start]
        out.append(keep)
        out_len += len(keep)
        out.append(e.new)
        changes.append(Change(stage, e.kind, out_len, out_len + len(e.new), _one(text[e.start:e.end]),
                              _one(e.new), _one(e.reason), e.rule, e.confidence, _one_data(e.data)))
        out_len += len(e.new)
        pos = e.end
    out.append(text[pos:])
    return "".join(out), changes


# A spun article has a thousand changes or more, most of them with a reason, words and data
# that other changes have too: one object for each distinct value keeps a large collection's
# documents small (a change's data is never changed once made).
_ONE: dict = {}


def _one(value, key=None):
    """The one object kept for this value (looked up by key, by default the value itself)."""
    key = value if key is None else key
    hit = _ONE.get(key)
    if hit is None:
        if len(_ONE) > 50_000:
            _ONE.clear()
        hit = _ONE[key] = value
    return hit


def _one_data(data: dict) -> dict:
    if not data:
        return {}
    try:
        key = ("data",) + tuple(sorted(data.items()))
        hash(key)
    except TypeError:               # a list or dict inside: a copy of its own
        return dict(data)
    return _one(dict(data), key)


class PositionMap:
    """Maps positions in a stage's input to positions in its output."""

    def __init__(self, changes: list[Change]):
        self.in_starts, self.in_ends, self.out_starts, self.out_ends = [], [], [], []
        self.prefix = [0]          # total length change of the first k changes
        delta = 0
        for c in changes:
            in_start = c.start - delta
            self.in_starts.append(in_start)
            self.in_ends.append(in_start + len(c.sic))
            self.out_starts.append(c.start)
            self.out_ends.append(c.end)
            delta += len(c.corr) - len(c.sic)
            self.prefix.append(delta)

    def pos(self, p: int, side: str = "left") -> int:
        """Output position of input position p.

        A position inside a replaced span snaps to the span's start (side
        "left") or end (side "right"); text inserted exactly at p counts as
        before p only for side "right".
        """
        k = bisect.bisect_right(self.in_ends, p)
        if k < len(self.in_starts) and self.in_starts[k] < p:
            return self.out_starts[k] if side == "left" else self.out_ends[k]
        if side == "left":
            while k > 0 and self.in_starts[k - 1] == self.in_ends[k - 1] == p:
                k -= 1
        return p + self.prefix[k]

    def span(self, start: int, end: int) -> tuple[int, int]:
        s = self.pos(start, "left")
        e = self.pos(end, "right") if end > start else s
        return s, max(s, e)


def rebuild_text(text: str, changes: list[Change]) -> str:
    """Undo changes (stage by stage, last stage first) to get the decoded scrape back."""
    stages: list[str] = []
    for c in changes:
        if not stages or stages[-1] != c.stage:
            stages.append(c.stage)
    for stage in reversed(stages):
        parts = []
        pos = 0
        for c in (c for c in changes if c.stage == stage):
            if text[c.start:c.end] != c.corr:
                raise ValueError(f"record does not match text at {c.start} in stage {stage!r}: "
                                 f"expected {c.corr!r}, found {text[c.start:c.end]!r}")
            parts.append(text[pos:c.start])
            parts.append(c.sic)
            pos = c.end
        parts.append(text[pos:])
        text = "".join(parts)
    return text


def rebuild_raw(text: str, record: dict[str, Any]) -> bytes:
    """Rebuild the exact raw bytes of a scrape from its clean text and its record."""
    changes = [Change(**c) for c in record["changes"]]
    decoded = rebuild_text(text, changes)
    enc = record.get("encoding", "utf-8")
    data = decoded.encode(enc)
    if record.get("bom"):
        bom = {"utf-8": b"\xef\xbb\xbf", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[enc]
        data = bom + data
    want = record.get("sha256")
    if want:
        import hashlib
        if hashlib.sha256(data).hexdigest() != want:
            raise ValueError("rebuilt scrape does not match the checksum in the record: "
                             "the clean text or the record has been altered")
    return data


def record_of(doc: Document) -> dict[str, Any]:
    """The change record of a document, as written next to its page."""
    return {
        "seed": doc.seed,
        "sha256": hashlib.sha256(doc.raw).hexdigest(),
        "encoding": doc.encoding,
        "bom": doc.bom,
        "stages": doc.stages,
        "changes": [c.to_json() for c in doc.changes],
    }
