"""Stage: mentions of people, organisations, models and ideas across the texts.

The glossary (``seeds/glossary.yml``) lists each entity with its aliases,
including the misspellings the scrapes use ("Lian Wenfeng", "ChatGTP",
"Nvidea").  Every alias of every entity goes into one Aho-Corasick
automaton (or, without pyahocorasick, one compiled regular expression), and
each text is scanned once: the cost grows with the length of the text and
the number of matches, not with the number of entities.

A match counts only

* at word boundaries: "Liang" is not found in "Liangzhu", "AI" not in "said";
  aliases in scripts without spaces between words (Chinese) need none;
* with the right case when the alias is marked case-sensitive ("Pi" for the
  Raspberry Pi, not the "pi" of "pi to a million digits");
* inside one paragraph (block) of the clean text.

A possessive ("Liang's", "DeepSeek’s") belongs to the mention.  Where two
aliases overlap, the leftmost, then the longest wins ("DeepSeek-R1" over
"DeepSeek").

Link policy: the first mention of an entity in the body of a text, and the
first in each comment, links to the entity's page; the others stay plain
text so the page stays readable.  The entity page lists every mention.
Titles and headings never carry links.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..core import datafiles
from ..core.errors import EditionError, did_you_mean, rel
from ..core.inline import INLINE_KINDS, Inline, final_positions
from ..core.model import FORM_KINDS

try:  # one automaton for all aliases
    import ahocorasick
except ImportError:  # pragma: no cover - the regex fallback is tested directly
    ahocorasick = None

KINDS = {
    "person": ("Person", "People"),
    "organisation": ("Organisation", "Organisations"),
    "model": ("AI model", "AI models"),
    "product": ("Product", "Products and publications"),
    "place": ("Place", "Places"),
    "concept": ("Idea", "Ideas and terms"),
    "event": ("Event", "Events and policies"),
}

# Letters and digits of the scripts that put spaces between words.  A match
# may not touch one of these on either side; Chinese characters are not in
# the class, so a Chinese alias is found inside a run of Chinese text.
_WORD = re.compile(r"[0-9A-Za-z_\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF]")
_APOS = "'’"
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ABBR = re.compile(r"^[A-Za-z][A-Za-z0-9.&+-]*$")


def _is_word(ch: str) -> bool:
    return bool(ch) and bool(_WORD.match(ch))


def _fold_char(c: str) -> str:
    if c in _APOS:
        return "'"
    if c.isspace():
        return " "
    low = c.lower()
    return low if len(low) == 1 else c


def fold(s: str) -> str:
    """Lower case, one kind of apostrophe, one kind of space; same length as s."""
    low = s.lower()
    if len(low) != len(s):
        low = "".join(_fold_char(c) for c in s)
    return low.translate(_FOLD_TABLE)


def fold_alias(s: str) -> str:
    return fold(" ".join(s.split()))


_FOLD_TABLE = str.maketrans({"’": "'", "\u00a0": " ", "\t": " ", "\u2009": " ", "\u202f": " "})


def _exact_key(s: str) -> str:
    return " ".join(s.split()).translate(_FOLD_TABLE)


@dataclass
class Entity:
    id: str
    name: str
    kind: str
    description: str
    aliases: list[str] = field(default_factory=list)
    case_sensitive: set = field(default_factory=set)
    line: int | None = None

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind][0]

    def summary(self) -> str:
        """The first sentence of the description, for link titles."""
        d = " ".join(self.description.split())
        m = re.match(r"(.+?[.!?])(?:\s|$)", d)
        return m.group(1) if m else d


@dataclass
class Glossary:
    entities: dict[str, Entity] = field(default_factory=dict)
    abbreviations: dict[str, str] = field(default_factory=dict)
    file: str = ""

    def check_ids(self, ids, file: str, what: str, line: int | None = None) -> None:
        """Raise on an entity id the glossary does not know."""
        for i in ids or []:
            if i not in self.entities:
                raise EditionError(file, f"{what}: unknown entity {i!r}", line=line,
                                   hint=did_you_mean(i, self.entities) or
                                   f"entities are defined in {self.file or 'seeds/glossary.yml'}")


@dataclass
class Mention:
    entity: str
    start: int            # span in doc.text, possessive included
    end: int
    block: int            # index into doc.blocks
    name_end: int = 0     # end of the name itself (before a possessive)
    linked: bool = False
    link_start: int = 0   # the part drawn as a link (all of it, unless a marked change covers some)
    link_end: int = 0

    def __post_init__(self):
        self.name_end = self.name_end or self.end
        self.link_start = self.link_start or self.start
        self.link_end = self.link_end or self.end


def glossary_path(seeds: Path) -> Path:
    return Path(seeds) / "glossary.yml"


@datafiles.same_file_same_result
def load_glossary(path: Path) -> Glossary:
    """Read and check the glossary; a missing file is an empty glossary."""
    path = Path(path)
    file = rel(path)
    if not path.exists():
        return Glossary(file=file)
    data = datafiles.load_yaml(path)
    datafiles.validate(data, "glossary", file)
    g = Glossary(file=file)
    owner: dict[str, tuple[str, int | None]] = {}
    for e in data["entities"]:
        line = getattr(e, "line", None)
        lines = getattr(e, "lines", {})
        eid = e["id"]
        if not _ID.match(eid):
            raise EditionError(file, f"entity id {eid!r} is not a lower-case slug", line=lines.get("id", line),
                               hint="use lower-case letters, digits and single hyphens, e.g. 'liang-wenfeng'")
        if eid in g.entities:
            raise EditionError(file, f"entity id {eid!r} is used twice (first on line {g.entities[eid].line})",
                               line=line, hint="give each entity its own id")
        aliases = [e["name"]] + [a for a in (e.get("aliases") or []) if a != e["name"]]
        cs = list(e.get("case_sensitive") or [])
        for a in cs:
            if a not in aliases:
                same = [x for x in aliases if x.casefold() == a.casefold()]
                raise EditionError(file, f"entity {eid!r}: case_sensitive lists {a!r}, which is not one of its "
                                         "aliases", line=lines.get("case_sensitive", line),
                                   hint=(f"did you mean {same[0]!r}?" if same else did_you_mean(a, aliases))
                                   or "add it to 'aliases' first")
        for a in aliases:
            if not a.strip():
                raise EditionError(file, f"entity {eid!r} has an empty alias", line=lines.get("aliases", line))
            key = fold_alias(a)
            if key in owner and owner[key][0] != eid:
                other, oline = owner[key]
                raise EditionError(file, f"alias {a!r} of {eid!r} is also an alias of {other!r} (line {oline})",
                                   line=lines.get("aliases", line),
                                   hint="an alias must point to one entity; drop it from one of them")
            owner[key] = (eid, line)
        desc = " ".join(str(e["description"]).split())
        g.entities[eid] = Entity(eid, e["name"], e["kind"], desc, aliases, set(cs), line)
    abbr = data.get("abbreviations") or {}
    alines = getattr(abbr, "lines", {})
    for k, v in abbr.items():
        if not isinstance(k, str) or not _ABBR.match(k):
            raise EditionError(file, f"abbreviation {k!r} is not a plain abbreviation", line=alines.get(k),
                               hint="letters, digits and . & + - only, starting with a letter")
        if not isinstance(v, str) or not v.strip() or "\n" in v.strip():
            raise EditionError(file, f"abbreviation {k!r} needs a one-line meaning", line=alines.get(k))
        g.abbreviations[k] = " ".join(v.split())
    return g


# --- matching -------------------------------------------------------------

_last_matcher: list = []


def matcher_for(glossary: "Glossary") -> "Matcher":
    """The Matcher of this glossary object, made once (a glossary is never changed once loaded)."""
    if not _last_matcher or _last_matcher[0] is not glossary:
        _last_matcher[:] = [glossary, Matcher(glossary)]
    return _last_matcher[1]


class Matcher:
    """Finds every alias of every entity in a text in one pass."""

    def __init__(self, glossary: Glossary, engine: str | None = None):
        self.glossary = glossary
        # folded alias -> (entity id, the exact forms a case-sensitive alias
        # must have, or None when any case will do)
        self.table: dict[str, tuple[str, set | None]] = {}
        for e in glossary.entities.values():
            for a in e.aliases:
                key = fold_alias(a)
                _, exacts = self.table.get(key, (e.id, set()))
                if a in e.case_sensitive and exacts is not None:
                    exacts = exacts | {_exact_key(a)}
                else:
                    exacts = None
                self.table[key] = (e.id, exacts)
        self.engine = engine or ("ahocorasick" if ahocorasick is not None else "regex")
        self._automaton = None
        self._regex = None
        if not self.table:
            return
        if self.engine == "ahocorasick":
            if ahocorasick is None:
                raise RuntimeError("pyahocorasick is not installed")
            A = ahocorasick.Automaton()
            for key in self.table:
                A.add_word(key, key)
            A.make_automaton()
            self._automaton = A
        else:
            # one pattern for all aliases, built as a trie so that a position
            # costs one character test per alias prefix, not one per alias; the
            # optional (greedy) continuations give the longest alias first
            self._regex = re.compile("(?=(" + _trie_pattern(self.table) + "))")

    def _raw(self, folded: str):
        """(start, end, key) of every alias occurrence, overlapping ones included."""
        if self._automaton is not None:
            for end_index, key in self._automaton.iter(folded):
                yield end_index - len(key) + 1, end_index + 1, key
        elif self._regex is not None:
            for m in self._regex.finditer(folded):
                key = m.group(1)
                yield m.start(), m.start() + len(key), key
                # shorter aliases starting here (the lookahead gave only the longest)
                for k in _prefixes(key, self.table):
                    yield m.start(), m.start() + len(k), k

    def find(self, text: str) -> list[tuple[int, int, int, str]]:
        """Non-overlapping matches as (start, end, name_end, entity id)."""
        folded = fold(text)
        cands = []
        for s, e, key in self._raw(folded):
            eid, exacts = self.table[key]
            if exacts is not None and _exact_key(text[s:e]) not in exacts:
                continue
            if _is_word(key[0]) and s > 0 and _is_word(text[s - 1]):
                continue
            end = e
            if text[e:e + 1] in _APOS:
                if text[e + 1:e + 2] in ("s", "S") and not _is_word(text[e + 2:e + 3]):
                    end = e + 2                      # Liang's, DeepSeek’s
                elif key[-1] == "s" and not _is_word(text[e + 1:e + 2]):
                    end = e + 1                      # Reuters’
            if _is_word(key[-1]) and end == e and _is_word(text[e:e + 1]):
                continue
            cands.append((s, end, e, eid))
        cands.sort(key=lambda c: (c[0], -(c[2] - c[0])))
        out, last = [], -1
        for c in cands:
            if c[0] >= last:
                out.append(c)
                last = c[1]
        return out


def _trie_pattern(keys) -> str:
    trie: dict = {}
    for k in keys:
        node = trie
        for ch in k:
            node = node.setdefault(ch, {})
        node[""] = True

    def emit(node: dict) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        alt = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{alt})?" if "" in node else alt

    return emit(trie)


def _prefixes(key: str, table: dict) -> list[str]:
    out = []
    for i in range(len(key) - 1, 0, -1):
        if key[:i] in table:
            out.append(key[:i])
    return out


def find_mentions(doc, matcher: Matcher) -> list[Mention]:
    """Every mention in the document's clean text, each inside one block."""
    order = sorted(range(len(doc.blocks)), key=lambda i: doc.blocks[i].start)
    starts = [doc.blocks[i].start for i in order]
    out = []
    for s, e, name_end, eid in matcher.find(doc.text):
        k = bisect.bisect_right(starts, s) - 1
        if k < 0:
            continue
        bi = order[k]
        b = doc.blocks[bi]
        if not (b.start <= s and e <= b.end) or b.kind in FORM_KINDS:
            continue              # lists, tables and code are not linked
        out.append(Mention(eid, s, e, bi, name_end))
    choose_links(doc, out)
    return out


def _overlap_test(spans: list[tuple[int, int]]):
    """A function telling whether start..end overlaps any of the spans (sorted by start)."""
    from bisect import bisect_left
    starts = [s for s, _ in spans]
    reach, furthest = [], -1            # reach[k]: the furthest end among the first k + 1 spans
    for _, e in spans:
        furthest = max(furthest, e)
        reach.append(furthest)

    def overlaps(start: int, end: int) -> bool:
        k = bisect_left(starts, end)    # spans[:k] start before end
        return k > 0 and reach[k - 1] > start
    return overlaps


def choose_links(doc, mentions: list[Mention]) -> None:
    """Link the first mention of each entity in the body and in each comment.

    Titles and headings are skipped.  Where a change marked in the running
    text covers part of a mention (a restored word, an undone censor), the
    change keeps its own markup and the link covers the rest of the name
    ("hard-core [innovation]"); a mention with too little left is skipped.
    """
    from .annotate import page_block_order
    page = page_block_order(doc)
    marked = sorted((p.start, p.end) for p in final_positions(doc)
                    if p.change.kind in INLINE_KINDS and p.block is not None)
    overlaps = _overlap_test(marked)
    seen = set()
    for m in sorted(mentions, key=lambda m: (page.get(id(doc.blocks[m.block]), 0), m.start)):
        b = doc.blocks[m.block]
        m.linked = False
        m.link_start, m.link_end = m.start, m.end
        if b.kind in ("title", "heading"):
            continue
        if overlaps(m.start, m.end):
            part = _unmarked_part(doc.text, m, marked)
            if part is None:
                continue
            m.link_start, m.link_end = part
        scope = ("comment", b.comment) if b.section == "comments" else ("body",)
        if (scope, m.entity) in seen:
            continue
        seen.add((scope, m.entity))
        m.linked = True


_EDGE_WORD_START = re.compile(r"(?:of|the|and|in|on|at|for|to|a|an)\b\s*", re.I)
_EDGE_WORD_END = re.compile(r"\s*\b(?:of|the|and|in|on|at|for|to|a|an)$", re.I)


def _unmarked_part(text: str, m: Mention, marked) -> tuple[int, int] | None:
    """The longest stretch of the mention outside marked changes, if it holds a word."""
    pieces, pos = [], m.start
    for s, e in marked:
        if e <= m.start or s >= m.end:
            continue
        if s > pos:
            pieces.append((pos, s))
        pos = max(pos, e)
    if pos < m.end:
        pieces.append((pos, m.end))
    best = None
    for s, e in pieces:
        while True:       # trim spaces, punctuation and little words at the edges
            while s < e and not _is_word(text[s]):
                s += 1
            while e > s and not _is_word(text[e - 1]):
                e -= 1
            m1 = _EDGE_WORD_START.match(text, s, e)
            m2 = _EDGE_WORD_END.search(text, s, e)
            if m1 and m1.end() < e:
                s = m1.end()
            elif m2 and m2.start() > s:
                e = m2.start()
            else:
                break
        if e - s >= 3 and (best is None or e - s > best[1] - best[0]):
            best = (s, e)
    return best


def inline_items(doc, mentions: list[Mention]) -> dict[int, list[Inline]]:
    out: dict[int, list[Inline]] = {}
    for m in mentions:
        if m.linked:
            out.setdefault(m.block, []).append(Inline(m.link_start, m.link_end, "mention", m, order=1))
    return out


# --- abbreviations ----------------------------------------------------------

def abbreviations_in(text: str, abbreviations: dict[str, str]) -> dict[str, str]:
    """The abbreviations that occur in text as whole words (as the abbr extension matches them)."""
    if not abbreviations:
        return {}
    keys = sorted((k for k in abbreviations if k in text), key=len, reverse=True)   # a cheap test first
    if not keys:
        return {}
    found = set(re.findall(r"\b(?:" + "|".join(re.escape(k) for k in keys) + r")\b", text))
    return {k: abbreviations[k] for k in sorted(found)}


def abbreviation_lines(text: str, abbreviations: dict[str, str]) -> list[str]:
    """Markdown abbreviation definitions for the ones used in text (our data only)."""
    return definition_lines(abbreviations_in(text, abbreviations))


def definition_lines(used: dict[str, str]) -> list[str]:
    """Markdown abbreviation definitions for abbreviations already found (abbreviations_in), by name."""
    if not used:
        return []
    return [""] + [f"*[{k}]: {v}" for k, v in sorted(used.items())] + [""]
