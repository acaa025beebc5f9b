"""The despin stage: put back the words an article spinner swapped out.

An article spinner copies a text and swaps words for "synonyms" from its
own dictionary, so that search engines take the copy for new writing.
The spinner family behind the scraped copy of the New York Times article
works word by word and phrase by phrase with a fixed dictionary: "said"
always becomes "mentioned", "percent" becomes "p.c", "Chinese" becomes
"Chinese language", "parent" becomes "mum or dad", "last year" becomes
"final 12 months".  Because the dictionary is fixed, the damage can be
undone with a reverse dictionary.

The reverse dictionary lives in ``seeds/spin-lexicon.yml``.  It has two
kinds of item:

* **entries** map one spun reading to one original ("mum or dad" ->
  "parent").  An entry can carry a simple ``when`` (the context it needs)
  and ``unless`` (contexts that block it).  A ``pattern`` entry is a
  regular expression instead of a word sequence (used for the spinner's
  left-over ``{curly brace}`` markup).
* **rules** handle a spun word that stands for more than one original.
  "management" was "control", "leadership" or "management"; each case of
  the rule names the context that picks one original (the word after,
  the words before, words nearby), and ``otherwise`` says what to do when
  no case applies.

Every item has a scope.  ``always`` items are tortured phrases that
ordinary English never produces ("mum or dad", "synthetic intelligence"):
they are restored in any text.  ``spun`` items are ordinary words that the
spinner also produces ("firm", "expertise", "high", "mentioned"): they are
restored only in a text that scores as spun, so an ordinary text keeps its
"training data", "research" and "said".

The spin score counts the *marker* items that fire (all ``always`` items,
plus ``spun`` items flagged ``marker: true`` because ordinary writing
almost never has them) per 1,000 words.  A text at or above the lexicon's
``threshold`` counts as spun.

Every restoration is an Edit of kind "spin" with the lexicon item's id as
its rule, a plain-English reason and a confidence.  Restorations under 0.7
are marked uncertain (``data["uncertain"]``): they are applied and shown
as uncertain, never dropped silently.  Restorations never overlap and never
cross a paragraph break, so the change record can undo them exactly.
"""
from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..core import datafiles
from ..core.datafiles import Field
from ..core.errors import EditionError, did_you_mean, rel
from ..core.model import Document, Edit

UNCERTAIN_BELOW = 0.7

# --- lexicon schema ------------------------------------------------------------

datafiles.SCHEMAS.update({
    "spin-lexicon": {
        "threshold": Field("number", True),
        "note": Field("str"),
        "entries": Field("list:spin-entry", True),
        "rules": Field("list:spin-rule", True),
    },
    "spin-entry": {
        "id": Field("str", True),
        "spun": Field("str"),
        "pattern": Field("str"),
        "original": Field("str", True),
        "scope": Field("str", False, ["always", "spun"]),
        "marker": Field("bool"),
        "case": Field("str", False, ["any", "exact"]),
        "confidence": Field("number"),
        "when": Field("map:spin-condition"),
        "unless": Field("map:spin-condition"),
        "why": Field("str"),
        "ex": Field("list:str", True),
    },
    "spin-rule": {
        "id": Field("str", True),
        "spun": Field("str", True),
        "scope": Field("str", False, ["always", "spun"]),
        "marker": Field("bool"),
        "case": Field("str", False, ["any", "exact"]),
        "unless": Field("map:spin-condition"),
        "cases": Field("list:spin-case", True),
        "otherwise": Field("map:spin-otherwise"),
        "ex": Field("list:str", True),
    },
    "spin-case": {
        "to": Field("str"),
        "keep": Field("bool"),
        "confidence": Field("number"),
        "why": Field("str", True),
        "when": Field("map:spin-condition", True),
    },
    "spin-otherwise": {
        "to": Field("str"),
        "keep": Field("bool"),
        "confidence": Field("number"),
        "why": Field("str", True),
    },
    "spin-condition": {
        "before": Field("list:str"),
        "after": Field("list:str"),
        "near": Field("list:str"),
        "near_before": Field("list:str"),
        "window": Field("int"),
        "capitalized": Field("bool"),
        "sentence_start": Field("bool"),
        "possessive": Field("bool"),
        "either": Field("bool"),
    },
})

# Special elements allowed in `before` / `after` phrases.
SPECIALS = {"<num>", "<cap>", "<end>", "<start>", "<ing>", "<ed>", "<ly>", "<sup>", "<plural>", "*"}

NUMBER_WORDS = {
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "fifteen", "twenty", "thirty", "forty", "fifty", "hundred", "thousand", "million",
    "billion", "trillion", "dozen", "dozens", "hundreds", "thousands", "millions", "billions",
    "several", "half",
}
QUOTES = set("\"“”‘’'«»")
END_PUNCT = set(".,;:!?)]—–-…")
SENTENCE_END = set(".!?:;")


# --- data ---------------------------------------------------------------------

@dataclass
class Condition:
    before: list = field(default_factory=list)      # list of phrases, each a list of elements
    after: list = field(default_factory=list)
    near: set = field(default_factory=set)
    near_before: set = field(default_factory=set)
    window: int = 8
    capitalized: bool | None = None
    sentence_start: bool | None = None
    possessive: bool | None = None
    either: bool = False        # in `when`: one key holding is enough


@dataclass
class Choice:
    original: str | None        # None: keep the scraped reading
    confidence: float
    why: str = ""
    when: Condition | None = None


@dataclass
class Item:
    """One lexicon entry or context rule, ready to match."""
    id: str
    kind: str                   # "entry", "rule" or "pattern"
    spun: str                   # as written in the lexicon
    words: tuple = ()           # lower-cased words to match (exact case when case_sensitive)
    regex: re.Pattern | None = None
    scope: str = "spun"
    marker: bool = False
    case_sensitive: bool = False
    unless: Condition | None = None
    choices: list = field(default_factory=list)
    examples: list = field(default_factory=list)    # (spun sentence, restored sentence)
    line: int | None = None


@dataclass
class Lexicon:
    path: str
    threshold: float
    items: list
    by_first: dict              # first word key -> items starting with it, longest first
    patterns: list
    probe: list | None = None   # the marker items, for the quick test in _may_score

    @property
    def entries(self):
        return [i for i in self.items if i.kind in ("entry", "pattern")]

    @property
    def rules(self):
        return [i for i in self.items if i.kind == "rule"]


@dataclass
class Score:
    hits: int
    words: int
    per_thousand: float
    spun: bool
    threshold: float
    markers: list = field(default_factory=list)     # rule ids of the hits


# --- loading --------------------------------------------------------------------

_APOSTROPHES = str.maketrans("’‘", "''")


def _norm(word: str) -> str:
    return word.translate(_APOSTROPHES) if ("’" in word or "‘" in word) else word


def _phrase_list(values, file, line, where, key) -> list:
    out = []
    for v in values or []:
        elems = _norm(v).split()
        if not elems:
            raise EditionError(file, f"{where}: an empty phrase in {key!r}", line=line)
        for e in elems:
            if e.startswith("<") and e not in SPECIALS:
                raise EditionError(file, f"{where}: unknown special word {e!r} in {key!r}", line=line,
                                   hint=did_you_mean(e, SPECIALS) or "known: " + ", ".join(sorted(SPECIALS)))
        out.append([e if e in SPECIALS else e.lower() for e in elems])
    return out


def _condition(raw, file, where) -> Condition | None:
    if raw is None:
        return None
    line = getattr(raw, "line", None)
    if not raw:
        raise EditionError(file, f"{where}: an empty condition", line=line,
                           hint="give at least one of before, after, near, capitalized, sentence_start")
    lines = getattr(raw, "lines", {})
    cond = Condition(
        before=_phrase_list(raw.get("before"), file, lines.get("before", line), where, "before"),
        after=_phrase_list(raw.get("after"), file, lines.get("after", line), where, "after"),
        near={_norm(w).lower() for w in raw.get("near") or []},
        near_before={_norm(w).lower() for w in raw.get("near_before") or []},
        window=raw.get("window") or 8,
        capitalized=raw.get("capitalized"),
        sentence_start=raw.get("sentence_start"),
        possessive=raw.get("possessive"),
        either=bool(raw.get("either")),
    )
    if cond.window < 1:
        raise EditionError(file, f"{where}: window must be at least 1", line=lines.get("window", line))
    return cond


def _confidence(value, default, file, line, where) -> float:
    c = default if value is None else float(value)
    if not 0.0 < c <= 1.0:
        raise EditionError(file, f"{where}: confidence {c} is not between 0 and 1", line=line)
    return c


def _examples(raw, file, line, where) -> list:
    if len(raw) < 2 or len(raw) % 2:
        raise EditionError(file, f"{where}: 'ex' needs pairs of sentences (spun, restored), found {len(raw)} item(s)",
                           line=line, hint='write ex: ["the spun sentence", "the same sentence restored"]')
    return [(raw[i], raw[i + 1]) for i in range(0, len(raw), 2)]


def load_lexicon(path) -> Lexicon:
    """Load and check seeds/spin-lexicon.yml; every problem is an EditionError with file and line."""
    file = rel(path)
    data = datafiles.load_yaml(Path(path))
    datafiles.validate(data, "spin-lexicon", file)
    items: list[Item] = []
    ids: dict[str, int] = {}
    seen: dict[tuple, tuple] = {}

    def check_id(raw, where):
        ident = raw["id"]
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", ident):
            raise EditionError(file, f"{where}: id {ident!r} should be lower-case words joined by hyphens",
                               line=raw.lines.get("id"))
        if ident in ids:
            raise EditionError(file, f"{where}: id {ident!r} is already used at line {ids[ident]}",
                               line=raw.lines.get("id"))
        ids[ident] = raw.lines.get("id")

    def check_spun(raw, where, case_sensitive) -> tuple:
        spun = raw["spun"].strip()
        words = tuple(_norm(spun).split())
        if not words:
            raise EditionError(file, f"{where}: 'spun' is empty", line=raw.lines.get("spun"))
        key = words if case_sensitive else tuple(w.lower() for w in words)
        if key in seen:
            raise EditionError(file, f"{where}: {spun!r} is already in the lexicon as {seen[key][0]!r} "
                                     f"(line {seen[key][1]})", line=raw.lines.get("spun"),
                               hint="one spun reading, one item: turn the two into a rule with cases")
        seen[key] = (raw["id"], raw.lines.get("spun"))
        return key

    for n, raw in enumerate(data["entries"]):
        where = f"entries[{n}] ({raw['id']})"
        check_id(raw, where)
        case_sensitive = raw.get("case") == "exact"
        if ("spun" in raw) == ("pattern" in raw):
            raise EditionError(file, f"{where}: give exactly one of 'spun' and 'pattern'", line=raw.line)
        scope = raw.get("scope", "spun")
        conf = _confidence(raw.get("confidence"), 0.9 if scope == "always" else 0.8, file,
                           raw.lines.get("confidence"), where)
        item = Item(id=raw["id"], kind="entry", spun=raw.get("spun") or raw.get("pattern"), scope=scope,
                    marker=raw.get("marker", scope == "always"), case_sensitive=case_sensitive,
                    unless=_condition(raw.get("unless"), file, where + " unless"),
                    examples=_examples(raw["ex"], file, raw.lines.get("ex"), where), line=raw.line)
        if "pattern" in raw:
            item.kind = "pattern"
            try:
                item.regex = re.compile(raw["pattern"], 0 if case_sensitive else re.IGNORECASE)
            except re.error as exc:
                raise EditionError(file, f"{where}: pattern is not a valid regular expression: {exc}",
                                   line=raw.lines.get("pattern"))
            if raw.get("when") or raw.get("unless"):
                raise EditionError(file, f"{where}: a pattern entry takes no when/unless", line=raw.line)
        else:
            item.words = check_spun(raw, where, case_sensitive)
            if _norm(raw["original"]).lower() == " ".join(item.words).lower() and not case_sensitive:
                raise EditionError(file, f"{where}: 'original' is the same as 'spun'", line=raw.lines.get("original"))
        item.choices = [Choice(raw["original"], conf, raw.get("why", ""),
                               _condition(raw.get("when"), file, where + " when"))]
        items.append(item)

    for n, raw in enumerate(data["rules"]):
        where = f"rules[{n}] ({raw['id']})"
        check_id(raw, where)
        case_sensitive = raw.get("case") == "exact"
        scope = raw.get("scope", "spun")
        item = Item(id=raw["id"], kind="rule", spun=raw["spun"], scope=scope,
                    marker=raw.get("marker", scope == "always"), case_sensitive=case_sensitive,
                    unless=_condition(raw.get("unless"), file, where + " unless"),
                    examples=_examples(raw["ex"], file, raw.lines.get("ex"), where), line=raw.line)
        item.words = check_spun(raw, where, case_sensitive)
        if not raw["cases"]:
            raise EditionError(file, f"{where}: a rule needs at least one case", line=raw.lines.get("cases"))
        outs = list(raw["cases"]) + ([raw["otherwise"]] if raw.get("otherwise") else [])
        for k, case in enumerate(outs):
            cw = f"{where} case {k + 1}" if k < len(raw["cases"]) else f"{where} otherwise"
            line = getattr(case, "line", raw.line)
            if ("to" in case) == bool(case.get("keep")):
                raise EditionError(file, f"{cw}: give either 'to' (the original) or 'keep: true'", line=line)
            conf = _confidence(case.get("confidence"), 0.8, file, case.lines.get("confidence", line), cw)
            when = _condition(case.get("when"), file, cw + " when") if k < len(raw["cases"]) else None
            item.choices.append(Choice(case.get("to"), conf, case["why"], when))
        items.append(item)

    by_first: dict[str, list] = {}
    for it in items:
        if it.kind != "pattern":
            by_first.setdefault(it.words[0] if it.case_sensitive else it.words[0].lower(), []).append(it)
    for lst in by_first.values():
        lst.sort(key=lambda it: (-len(it.words), not it.case_sensitive))
    return Lexicon(file, float(data["threshold"]), items, by_first,
                   [i for i in items if i.kind == "pattern"], _marker_probe(items))


def _marker_probe(items) -> list:
    """The items the spin score counts, for the quick test in _may_score."""
    return [it for it in items if it.marker]


# --- tokens and context ---------------------------------------------------------

TOKEN = re.compile(r"\d+(?:,\d{3})+(?:\.\d+)?|[A-Za-z0-9]+(?:[-.'’][A-Za-z0-9]+)*|\S")


@dataclass(slots=True)
class Tok:
    start: int
    end: int
    text: str
    word: bool
    para: int
    key: str = ""               # lower-case, straight apostrophes
    base: str = ""              # key without a possessive 's
    newline_before: bool = False


_last_tokens: tuple = ("", [])     # the spin score and the restoration read the same text in turn


def tokenize(text: str) -> list[Tok]:
    global _last_tokens
    if _last_tokens[0] is text or (len(_last_tokens[0]) == len(text) and _last_tokens[0] == text):
        return _last_tokens[1]
    toks = _tokenize(text)
    _last_tokens = (text, toks)
    return toks


def _tokenize(text: str) -> list[Tok]:
    toks: list[Tok] = []
    para = 0
    prev_end = 0
    append = toks.append
    for m in TOKEN.finditer(text):
        start, end = m.span()
        newline = not toks
        if start != prev_end:
            gap = text[prev_end:start]
            if "\n" in gap:
                newline = True
                if "\n\n" in gap:
                    para += 1
        t = m.group()
        key = _norm(t).lower()
        base = key[:-2] if key.endswith("'s") and len(key) > 2 else key
        append(Tok(start, end, t, t[0].isalnum(), para, key, base, newline))
        prev_end = end
    return toks


class Context:
    """Looks at the tokens around a match."""

    def __init__(self, text: str, toks: list[Tok]):
        self.text, self.toks = text, toks

    def _neighbours(self, i: int, step: int, n: int) -> list[Tok | None]:
        out, j, para = [], i, self.toks[i].para
        while len(out) < n:
            j += step
            if not (0 <= j < len(self.toks)) or self.toks[j].para != para:
                out.append(None)
                break
            if self.toks[j].text in QUOTES or self._abbrev_stop(j):
                continue
            out.append(self.toks[j])
        return out

    def _abbrev_stop(self, j: int) -> bool:
        """A full stop that ends an abbreviation such as "A.I." rather than a sentence."""
        t = self.toks[j]
        if t.text != "." or j == 0:
            return False
        prev = self.toks[j - 1]
        return prev.end == t.start and "." in prev.text and prev.word

    def sentence_start(self, i: int) -> bool:
        toks = self.toks
        j = i - 1
        while j >= 0 and toks[j].text in QUOTES | {"(", "["}:
            if toks[j + 1].newline_before:
                return True
            j -= 1
        if j < 0 or toks[j + 1].newline_before or toks[j].para != toks[i].para:
            return True
        return toks[j].text in SENTENCE_END

    @staticmethod
    def _elem_ok(elem: str, tok: Tok | None, first_after: bool) -> bool:
        if elem == "<end>":
            return tok is None or (not tok.word and tok.text in END_PUNCT | QUOTES)
        if tok is None or not tok.word:
            return elem == tok.text if tok is not None else False
        if elem == "*":
            return True
        if elem == "<num>":
            return tok.key[0].isdigit() or tok.key in NUMBER_WORDS
        if elem == "<cap>":
            return tok.text[0].isupper()
        if elem == "<ing>":
            return tok.key.endswith("ing") and len(tok.key) > 4
        if elem == "<ed>":
            return tok.key.endswith("ed") and len(tok.key) > 3
        if elem == "<ly>":
            return tok.key.endswith("ly") and len(tok.key) > 3
        if elem == "<plural>":
            return tok.key.endswith("s") and not tok.key.endswith("ss") and len(tok.key) > 3
        if elem == "<sup>":
            return (tok.key.endswith("est") and len(tok.key) > 4) or tok.key in ("most", "least", "best", "worst")
        if elem.startswith("'") and len(elem) > 1:
            return tok.key.endswith(elem)
        return elem == tok.key or elem == tok.base

    def phrase_before(self, i: int, phrases: list) -> bool:
        for ph in phrases:
            if ph == ["<start>"]:
                if self.sentence_start(i):
                    return True
                continue
            prev = self._neighbours(i, -1, len(ph))
            if len(prev) == len(ph) and all(self._elem_ok(e, t, False) for e, t in zip(reversed(ph), prev)):
                return True
            # punctuation elements must be checked without skipping quotes
        return False

    def phrase_after(self, j: int, phrases: list) -> bool:
        for ph in phrases:
            nxt = self._neighbours(j, 1, len(ph))
            nxt += [None] * (len(ph) - len(nxt))
            ok = True
            for e, t in zip(ph, nxt):
                if not self._elem_ok(e, t, True):
                    ok = False
                    break
                if t is None:           # past the paragraph: only <end> may match, and then stop
                    break
            if ok:
                return True
        return False

    def near(self, i: int, j: int, words: set, window: int, before_only: bool = False) -> bool:
        para = self.toks[i].para
        lo, hi = max(0, i - window), (j if before_only else min(len(self.toks) - 1, j + window))
        for k in range(lo, hi + 1):
            if i <= k <= j:
                continue
            t = self.toks[k]
            if t.para == para and (t.key in words or t.base in words):
                return True
        return False

    def test(self, cond: Condition, i: int, j: int, possessive: bool) -> dict:
        """Which keys of the condition hold for the match spanning tokens i..j."""
        res = {}
        if cond.before:
            res["before"] = self.phrase_before(i, cond.before)
        if cond.after:
            res["after"] = self.phrase_after(j, cond.after)
        if cond.near:
            res["near"] = self.near(i, j, cond.near, cond.window)
        if cond.near_before:
            res["near_before"] = self.near(i, j, cond.near_before, cond.window, before_only=True)
        if cond.capitalized is not None:
            res["capitalized"] = self.toks[i].text[0].isupper() == cond.capitalized
        if cond.sentence_start is not None:
            res["sentence_start"] = self.sentence_start(i) == cond.sentence_start
        if cond.possessive is not None:
            res["possessive"] = possessive == cond.possessive
        return res


# --- matching ---------------------------------------------------------------------

@dataclass
class Match:
    start: int
    end: int
    sic: str
    new: str
    item: Item
    confidence: float
    why: str


def _vowel_sound(word: str) -> bool:
    w = word.lower()
    if w[:1].isdigit():
        return w.startswith(("8", "11", "18"))
    if w.startswith(("uni", "use", "usu", "uti", "ure", "eu", "one", "once", "ubi")):
        return False
    if w.startswith(("hour", "honest", "honor", "honour", "heir")):
        return True
    if word.isupper() and len(word) > 1:
        return word[0] in "AEFHILMNORSX"
    return w[:1] in ("a", "e", "i", "o", "u")


def _cased(sic: str, original: str, at_start: bool = False) -> str:
    letters = [c for c in sic if c.isalpha()]
    first = sic.split()[0]
    if len(letters) > 1 and all(c.isupper() for c in letters) and original.lower() == original \
            and (" " in sic or len(sic) > 3):
        new = original.upper()
    elif sic[:1].isupper() and original[:1].islower() and (at_start or not (first.isupper() and len(first) > 1)):
        new = original[0].upper() + original[1:]
    else:
        new = original
    if "’" in sic:
        new = new.replace("'", "’")
    return new


def _decide(item: Item, ctx: Context, i: int, j: int, possessive: bool):
    """(original or None to keep, confidence, why) for a match, or None when the item does not apply."""
    if item.unless is not None and any(ctx.test(item.unless, i, j, possessive).values()):
        return None
    for ch in item.choices:
        if ch.when is None:
            return ch.original, ch.confidence, ch.why
        held = ctx.test(ch.when, i, j, possessive).values()
        if any(held) if ch.when.either else all(held):
            return ch.original, ch.confidence, ch.why
    return None


def _expand(regex_match: re.Match, template: str) -> str:
    return regex_match.expand(template)


class _Taken:
    """Spans of the text already restored; an overlap test costs the length of the span
    asked about, not the number of spans taken (a 1 MB scrape has very many)."""

    def __init__(self, n: int):
        self.mask = bytearray(n + 1)

    def append(self, span: tuple[int, int]) -> None:
        s, e = span
        self.mask[s:e] = b"\x01" * (e - s)

    def overlaps(self, start: int, end: int) -> bool:
        return self.mask.find(1, start, end) != -1


def find(text: str, lexicon: Lexicon, spun: bool, markers_only: bool = False) -> list[Match]:
    """All restorations the lexicon makes in text, in order, non-overlapping.

    markers_only looks only at the items the spin score counts (much faster
    on long texts, since most context rules are then never tried).
    """
    out: list[Match] = []
    taken = _Taken(len(text))
    for it in lexicon.patterns:
        if (it.scope == "spun" and not spun) or (markers_only and not it.marker):
            continue
        for m in it.regex.finditer(text):
            if "\n\n" in m.group() or taken.overlaps(m.start(), m.end()):
                continue
            ch = it.choices[0]
            out.append(Match(m.start(), m.end(), m.group(), _expand(m, ch.original), it, ch.confidence, ch.why))
            taken.append((m.start(), m.end()))

    toks = tokenize(text)
    ctx = Context(text, toks)
    by_first = lexicon.by_first
    i = 0
    while i < len(toks):
        t = toks[i]
        if not t.word or taken.overlaps(t.start, t.end):
            i += 1
            continue
        # items whose first word this token could be (most tokens have none)
        normed = _norm(t.text)
        possessive_form = t.base != t.key
        found = [by_first.get(t.key), by_first.get(t.base) if possessive_form else None,
                 by_first.get(normed) if normed != t.key else None,
                 by_first.get(normed[:-2]) if possessive_form else None]
        if not any(found):
            i += 1
            continue
        cands = [c for group in found if group for c in group]
        cands = sorted({id(c): c for c in cands}.values(), key=lambda c: (-len(c.words), not c.case_sensitive))
        done = False
        for it in cands:
            if (it.scope == "spun" and not spun) or (markers_only and not it.marker):
                continue
            n = len(it.words)
            if i + n > len(toks):
                continue
            span = toks[i:i + n]
            ok, possessive = True, False
            for k, (tok, w) in enumerate(zip(span, it.words)):
                got = _norm(tok.text) if it.case_sensitive else tok.key
                gotbase = got[:-2] if got.lower().endswith("'s") and len(got) > 2 else got
                last = k == n - 1
                if not tok.word or (got != w and not (last and gotbase == w)):
                    ok = False
                    break
                if last and got != w:
                    possessive = True
                if k and (toks[i + k - 1].para != tok.para or text[toks[i + k - 1].end:tok.start].strip()):
                    ok = False
                    break
            if not ok:
                continue
            start = span[0].start
            end = span[-1].end - (2 if possessive else 0)
            if taken.overlaps(start, end):
                continue
            decision = _decide(it, ctx, i, i + n - 1, possessive)
            if decision is None:
                continue
            original, conf, why = decision
            if original is None:            # kept as scraped: shorter readings inside may still apply
                break
            done = True
            if original is not None:
                sic = text[start:end]
                new = _cased(sic, original, ctx.sentence_start(i))
                # keep "a"/"an" in step with the restored word
                if i > 0 and toks[i - 1].key in ("a", "an") and text[toks[i - 1].end:start] == " " \
                        and not taken.overlaps(toks[i - 1].start, toks[i - 1].end):
                    art = toks[i - 1]
                    want = "an" if _vowel_sound(new) else "a"
                    if want != art.key:
                        want = want.capitalize() if art.text[0].isupper() else want
                        start, new = art.start, f"{want} {new}"
                        sic = text[start:end]
                if new != sic:
                    out.append(Match(start, end, sic, new, it, conf, why))
            taken.append((start, end))
            i += n
            break
        if not done:
            i += 1
    out.sort(key=lambda m: m.start)
    return out


# --- the public interface -----------------------------------------------------------

def _is_marker(m: Match) -> bool:
    return m.item.marker and m.confidence >= UNCERTAIN_BELOW


def _may_score(text: str, markers: list) -> bool:
    """False when no marker item can match anywhere in text.

    Each item's words, run together, must occur in the text with all its
    whitespace taken out (matching tokens are separated by whitespace or
    nothing, so this never says no where the full pass would find the item).
    Substring tests are cheap, so most ordinary texts skip the token-by-token
    pass.
    """
    squeezed = re.sub(r"\s+", "", _norm(text))
    lowered = squeezed.lower()
    tokens = {_norm(t) for t in TOKEN.findall(text)}
    tokens |= {t[:-2] for t in tokens if t.endswith("'s")}
    tokens_lower = {t.lower() for t in tokens}
    for it in markers:
        if it.kind == "pattern":
            if it.regex.search(text):
                return True
            continue
        if len(it.words) == 1:          # one word: it must be a whole token
            if (it.words[0] in tokens) if it.case_sensitive else (it.words[0].lower() in tokens_lower):
                return True
            continue
        hay = squeezed if it.case_sensitive else lowered
        pieces, run = [], []
        for w in it.words:
            if w in SPECIALS or w.startswith("<"):
                pieces.append("".join(run))
                run = []
            else:
                run.append(w if it.case_sensitive else w.lower())
        pieces.append("".join(run))
        if all(p in hay for p in pieces if p):
            return True
    return False


def score(text: str, lexicon: Lexicon) -> Score:
    """Tortured phrases per 1,000 words, and whether the text looks spun."""
    if lexicon.probe is not None and not _may_score(text, lexicon.probe):
        words = sum(1 for t in TOKEN.findall(text) if t[0].isalnum())
        return Score(0, words, 0.0, False, lexicon.threshold, [])
    words = sum(1 for t in tokenize(text) if t.word)
    hits = [m for m in find(text, lexicon, spun=True, markers_only=True) if _is_marker(m)]
    per = 1000.0 * len(hits) / words if words else 0.0
    return Score(len(hits), words, per, per >= lexicon.threshold, lexicon.threshold,
                 [m.item.id for m in hits])


def _reason(m: Match) -> str:
    r = f'The article spinner writes "{m.sic}" for "{m.new}"'
    if m.why:
        r += f"; {m.why}"
    if m.confidence < UNCERTAIN_BELOW:
        r += " (uncertain: the context does not settle it)"
    return r + "."


def restore(text: str, lexicon: Lexicon, spun: bool | None = None) -> list[Edit]:
    """One Edit per restored word or phrase, positions into text.

    spun=None decides from the text's own spin score: in a text that does not
    look spun only the ``always`` items (unmistakable tortured phrases) apply.
    """
    if spun is None:
        spun = score(text, lexicon).spun
    return [Edit(m.start, m.end, m.new, kind="spin", reason=_reason(m), rule=m.item.id,
                 confidence=round(m.confidence, 2), data={"uncertain": m.confidence < UNCERTAIN_BELOW})
            for m in find(text, lexicon, spun)]


def _forced(doc: Document):
    value = doc.meta.get("spun", "auto")
    if value is None or value == "auto":
        return None
    if isinstance(value, bool):
        return value
    v = str(value).strip().lower()
    if v in ("true", "yes"):
        return True
    if v in ("false", "no"):
        return False
    raise EditionError(doc.data_path or doc.seed, f"'spun' is {value!r}; it should be true, false or auto",
                       line=getattr(doc.meta, "lines", {}).get("spun"))


def run(doc: Document, lexicon: Lexicon) -> None:
    """Score the document; when it is spun, restore it (stage "despin")."""
    s = score(doc.text, lexicon)
    doc.spin_score = round(s.per_thousand, 2)
    forced = _forced(doc)
    doc.spun = s.spun if forced is None else forced
    if doc.spun:
        # lists, tables and code keep their words as scraped
        edits = [e for e in restore(doc.text, lexicon, spun=True) if not doc.in_form(e.start, e.end)]
        doc.apply("despin", edits)


def default_lexicon_path() -> Path:
    from ..core.corpus import SEEDS
    return SEEDS / "spin-lexicon.yml"


def cli(path, record: bool = False) -> int:
    """`python -m scripts despin PATH [--record]`: restored text, or the restorations as JSON."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        print(f"error: {path}: no such file", file=sys.stderr)
        return 1
    except UnicodeDecodeError as exc:
        print(f"error: {path}: is not UTF-8 text ({exc.reason} at byte {exc.start})", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: {path}: {exc.strerror}", file=sys.stderr)
        return 1
    try:
        lexicon = load_lexicon(default_lexicon_path())
    except EditionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    edits = restore(text, lexicon)
    if record:
        rows = [{"start": e.start, "end": e.end, "scraped": text[e.start:e.end], "restored": e.new,
                 "rule": e.rule, "confidence": e.confidence, "uncertain": e.data["uncertain"]} for e in edits]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
    else:
        from ..core.model import apply_edits
        new_text, _ = apply_edits(text, edits, "despin")
        sys.stdout.write(new_text)
    return 0
