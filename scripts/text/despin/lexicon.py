"""The de-spinner's lexicon: the hand-written items in seeds/spin-lexicon.yml and the
learned ones in seeds/spin-learned.json, loaded into one Lexicon of matchable Items.

Every item says where it came from (``source``: "hand", or "learned from N
articles").
"""
from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ...core import datafiles
from ...core.datafiles import Field
from ...core.errors import EditionError, did_you_mean, rel

UNCERTAIN_BELOW = 0.7

# --- lexicon schema ------------------------------------------------------------

datafiles.SCHEMAS.update({
    "spin-lexicon": {
        "threshold": Field("number", True),
        "note": Field("str"),
        "entries": Field("list:spin-entry", True),
        "rules": Field("list:spin-rule", True),
        "rewriters": Field("list:spin-rewriter"),
    },
    "spin-rewriter": {
        "id": Field("str", True),
        "spun": Field("str", True),
        "why": Field("str", True),
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
    needle: str = ""             # a pattern's literal run that every match holds (required_literal)
    scope: str = "spun"
    marker: bool = False
    case_sensitive: bool = False
    unless: Condition | None = None
    choices: list = field(default_factory=list)
    examples: list = field(default_factory=list)    # (spun sentence, restored sentence)
    line: int | None = None
    source: str = "hand"        # "hand", or "learned from N articles"
    weight: float = 1.0         # as evidence of spinning: 1 for hand markers, by lift for learned ones
    learned: "LearnedItem | None" = None


@dataclass
class Lexicon:
    path: str
    threshold: float
    items: list
    by_first: dict              # first word key -> items starting with it, longest first
    patterns: list
    rewriters: list = field(default_factory=list)   # (id, lower-case phrase, why) of other rewriters' phrases
    _marker_index: dict | None = None   # by_first restricted to marker items (built on first use)
    _first_keys: dict = field(default_factory=dict)    # markers_only -> how items begin (match._starts)

    @property
    def entries(self):
        return [i for i in self.items if i.kind in ("entry", "pattern")]

    @property
    def rules(self):
        return [i for i in self.items if i.kind == "rule"]



# --- loading --------------------------------------------------------------------

_QUANTIFIERS = "?*+{"
_COUNTED = re.compile(r"\{\d*(?:,\d*)?\}")


def _class_end(pattern: str, i: int) -> int:
    """Index just past the character class that opens at pattern[i] ("[")."""
    j = i + 1
    if pattern[j:j + 1] == "^":
        j += 1
    if pattern[j:j + 1] == "]":                 # a "]" first is a member
        j += 1
    while j < len(pattern) and pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j + 1


def required_literal(pattern: str) -> str:
    """The longest run of plain characters that every match of pattern contains
    ("" when none can be told): find skips a pattern whose run is not in the text.

    Only the top level is read: characters inside groups or classes, before a
    quantifier, or anywhere in a pattern with a top-level "|" do not count.
    """
    runs, run, depth, i = [], "", 0, 0
    while i < len(pattern):
        c, lit = pattern[i], None
        if c == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            lit = None if nxt.isalnum() else nxt        # \b \d \1 ... are not characters of the text
            i += 2
        elif c == "[":
            i = _class_end(pattern, i)
        elif c == "{" and (counted := _COUNTED.match(pattern, i)):
            i = counted.end()
        elif c in "()":
            depth += 1 if c == "(" else -1
            i += 1
        elif c == "|" and depth == 0:
            return ""
        else:
            lit = c if (c.isalnum() or c in " -,'’:;/@#%&=<>!\"") else None
            i += 1
        if depth or lit is None or pattern[i:i + 1] in tuple(_QUANTIFIERS):
            runs.append(run)                        # the run ends (a quantified character may be absent)
            run = ""
            continue
        run += lit
    runs.append(run)
    return max(runs, key=len)


_APOSTROPHES = str.maketrans("’‘", "''")


def _norm(word: str) -> str:
    return word.replace("’", "'").replace("‘", "'") if ("’" in word or "‘" in word) else word


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


class _Checks:
    """The checks that span items of one lexicon file: ids used once, a spun reading in one item only."""

    def __init__(self, file: str):
        self.file = file
        self.ids: dict[str, int] = {}
        self.seen: dict[tuple, tuple] = {}

    def id(self, raw, where) -> None:
        ident = raw["id"]
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", ident):
            raise EditionError(self.file, f"{where}: id {ident!r} should be lower-case words joined by hyphens",
                               line=raw.lines.get("id"))
        if ident in self.ids:
            raise EditionError(self.file, f"{where}: id {ident!r} is already used at line {self.ids[ident]}",
                               line=raw.lines.get("id"))
        self.ids[ident] = raw.lines.get("id")

    def spun(self, raw, where, case_sensitive) -> tuple:
        """The item's spun words (lower-cased unless the case is exact), checked to be new."""
        spun = raw["spun"].strip()
        words = tuple(_norm(spun).split())
        if not words:
            raise EditionError(self.file, f"{where}: 'spun' is empty", line=raw.lines.get("spun"))
        key = words if case_sensitive else tuple(w.lower() for w in words)
        if key in self.seen:
            raise EditionError(self.file, f"{where}: {spun!r} is already in the lexicon as {self.seen[key][0]!r} "
                                          f"(line {self.seen[key][1]})", line=raw.lines.get("spun"),
                               hint="one spun reading, one item: turn the two into a rule with cases")
        self.seen[key] = (raw["id"], raw.lines.get("spun"))
        return key


def _entry_item(raw, where: str, checks: _Checks) -> Item:
    """An `entries` item: one spun reading (or a pattern) and its original."""
    file = checks.file
    checks.id(raw, where)
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
        item.needle = required_literal(raw["pattern"])
        if not case_sensitive:      # letters beyond ASCII may fold in ways lower() does not show
            item.needle = item.needle.lower() if item.needle.isascii() else ""
        if raw.get("when") or raw.get("unless"):
            raise EditionError(file, f"{where}: a pattern entry takes no when/unless", line=raw.line)
    else:
        item.words = checks.spun(raw, where, case_sensitive)
        if _norm(raw["original"]).lower() == " ".join(item.words).lower() and not case_sensitive:
            raise EditionError(file, f"{where}: 'original' is the same as 'spun'", line=raw.lines.get("original"))
    item.choices = [Choice(raw["original"], conf, raw.get("why", ""),
                           _condition(raw.get("when"), file, where + " when"))]
    return item


def _rule_item(raw, where: str, checks: _Checks) -> Item:
    """A `rules` item: one spun reading, cases that choose among originals (or keep it), an otherwise."""
    file = checks.file
    checks.id(raw, where)
    case_sensitive = raw.get("case") == "exact"
    scope = raw.get("scope", "spun")
    item = Item(id=raw["id"], kind="rule", spun=raw["spun"], scope=scope,
                marker=raw.get("marker", scope == "always"), case_sensitive=case_sensitive,
                unless=_condition(raw.get("unless"), file, where + " unless"),
                examples=_examples(raw["ex"], file, raw.lines.get("ex"), where), line=raw.line)
    item.words = checks.spun(raw, where, case_sensitive)
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
    return item


def _merge_learned(items: list[Item], learned) -> None:
    """The learned items after the hand-written ones: a learned item for the same spun words is
    tried only where the hand item does not apply; its evidence of spinning counts for the hand item."""
    hand = {tuple(w.lower() for w in it.words): it for it in items if it.words}
    for it in load_learned(learned):
        same = hand.get(it.words)
        items.append(it)
        if same is not None and it.marker and not same.marker:
            # the hand item decides what to restore; the pairs show it is evidence of spinning
            same.marker, same.weight = True, it.weight
            same.source = f"hand; marker {it.source}"


def _by_first_word(items: list[Item]) -> dict[str, list]:
    """Word items by their first word (lower-cased unless exact), longest first, exact case before folded."""
    by_first: dict[str, list] = {}
    for it in items:
        if it.kind != "pattern":
            by_first.setdefault(it.words[0] if it.case_sensitive else it.words[0].lower(), []).append(it)
    for lst in by_first.values():
        lst.sort(key=lambda it: (-len(it.words), not it.case_sensitive))
    return by_first


def load_lexicon(path, learned=None) -> Lexicon:
    """Load and check seeds/spin-lexicon.yml; every problem is an EditionError with file and line.

    The learned items (``learned``, by default spin-learned.json beside the
    lexicon; False for none) are merged in; a hand-written item for the same
    spun words is tried first; the learned one only where the hand item does
    not apply (a hand item that says "keep" keeps).
    """
    file = rel(path)
    data = datafiles.load_yaml(Path(path))
    datafiles.validate(data, "spin-lexicon", file)
    checks = _Checks(file)
    items = [_entry_item(raw, f"entries[{n}] ({raw['id']})", checks) for n, raw in enumerate(data["entries"])]
    items += [_rule_item(raw, f"rules[{n}] ({raw['id']})", checks) for n, raw in enumerate(data["rules"])]
    if learned is None:
        learned = Path(path).with_name("spin-learned.json")
    if learned and Path(learned).exists():
        _merge_learned(items, learned)
    rewriters = [(r["id"], " ".join(_norm(r["spun"]).lower().split()), r["why"]) for r in data.get("rewriters") or []]
    return Lexicon(file, float(data["threshold"]), items, _by_first_word(items),
                   [i for i in items if i.kind == "pattern"], rewriters)



# --- a parsed lexicon kept on disk -------------------------------------------------------

def cache_dir() -> Path:
    """Where parsed lexicons are kept: EDITION_CACHE, else the user's cache folder (XDG_CACHE_HOME or
    ~/.cache), never the project (``check`` writes nothing there)."""
    base = os.environ.get("EDITION_CACHE") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "edition"
    return Path(base) / "lexicon"


_in_memory: dict[str, Lexicon] = {}      # key -> lexicon loaded by this process (the last few)


def load_lexicon_cached(path, learned=None) -> Lexicon:
    """load_lexicon, kept on disk as a pickle keyed by the bytes of both data files, their paths and
    this module's source: parsing and checking 350 KB of YAML costs about 0.4 s, unpickling 0.05-0.1 s;
    and kept in this process under the same key (a lexicon is not changed once loaded; what matching
    adds to it is worked out from it alone), so a process that builds again does neither.

    A changed file, a changed loader or another project is a new key; an unreadable or stale cache
    file is ignored and rewritten; a cache that cannot be written is no error.
    """
    import hashlib
    import pickle
    path = Path(path)
    if learned is None:
        learned = path.with_name("spin-learned.json")
    h = hashlib.sha256()
    for part in (path, learned):
        h.update(str(Path(part).resolve() if part else part).encode("utf-8") + b"\0")
        h.update(Path(part).read_bytes() if part and Path(part).exists() else b"-")
        h.update(b"\0")
    h.update(Path(__file__).read_bytes())
    key = h.hexdigest()[:32]
    if key in _in_memory:
        return _in_memory[key]
    if len(_in_memory) >= 4:
        _in_memory.clear()
    where = cache_dir() / f"{key}.pickle"
    try:
        with open(where, "rb") as fh:
            found = pickle.load(fh)
        if isinstance(found, Lexicon):
            _in_memory[key] = found
            return found
    except Exception:                   # absent, half-written, or from another version: load afresh
        pass
    lexicon = _in_memory[key] = load_lexicon(path, learned)   # a broken file raises its EditionError here, never cached
    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        tmp = where.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(lexicon, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, where)
        kept = sorted(where.parent.glob("*.pickle"), key=lambda f: f.stat().st_mtime, reverse=True)
        for old in kept[8:]:            # a few recent lexicons (tests, other projects), not every one ever
            old.unlink(missing_ok=True)
    except OSError:
        pass
    return lexicon




# --- learned items -----------------------------------------------------------------------

@dataclass
class Outcome:
    original: str
    count: int                  # times aligned to this original
    articles: int               # in how many learning articles
    before: dict                # word just before -> count
    after: dict                 # word just after -> count
    names: int = 0              # times the original was a proper name (capitalised inside a sentence)

    @property
    def name_only(self) -> bool:
        return self.names >= NAME_SHARE * self.count


@dataclass
class LearnedItem:
    seen: int                   # occurrences in the aligned spun texts
    kept: int                   # of which the original had the same words
    outcomes: list              # Outcome, most frequent first

    @property
    def substituted(self) -> int:
        return sum(o.count for o in self.outcomes)

    @property
    def odds(self) -> float:
        """The share of occurrences that were the spinner's (smoothed towards keeping)."""
        n = self.substituted
        return n / (n + self.kept + 0.5)


# A learned reading counts towards the spin score when the learning articles
# show it is nearly always the spinner's (substituted at least MIN_COUNT times,
# in MIN_ARTICLES articles, with MIN_ODDS odds), its original is not a proper
# name, and ordinary writing has it at most MAX_ORDINARY times as often per
# word as the spun texts do.  Ordinary writing is the learning pairs'
# originals (same subjects, not spun) and the calibration half of
# tests/unspun (learning.calibration_texts); its count is smoothed by one.  The
# weight as evidence grows with how much rarer it is there: "debtors",
# "division", "nonetheless" weigh 1; "within" and "however", which the spinner
# writes often but everyone else writes too, weigh little or nothing.  A
# ceiling on the reading's frequency in English at large (Zipf) was measured
# and not adopted: it dropped "division" and "within" and lost recall without
# removing a false verdict.  Calibrated on the calibration texts and the
# learning pairs, checked on the other unspun texts (BENCHMARKS.md).
MARKER_MIN_COUNT = 2
MARKER_MIN_ARTICLES = 2
MARKER_MIN_ODDS = 0.75
MARKER_MIN_LIFT = 5.0
MARKER_MAX_ORDINARY = 0.15
NAME_SHARE = 0.6            # an original that was a proper name this often is restored only in names


def _ordinary_ratio(raw: dict, li: "LearnedItem", data: dict) -> float | None:
    """How often ordinary writing has the reading per word, over how often the spun texts
    do (the ordinary count smoothed by one); None for a file without ordinary counts."""
    if "u" not in raw or not data.get("ordinary_words") or not data.get("words") or not li.seen:
        return None
    return ((int(raw["u"]) + 1) / data["ordinary_words"]) / (li.seen / data["words"])


def learned_weight(raw: dict, li: "LearnedItem", words: tuple, data: dict) -> float:
    """The reading's weight as evidence of spinning, 0 when it is no marker."""
    top = li.outcomes[0]
    if li.substituted < MARKER_MIN_COUNT or max(o.articles for o in li.outcomes) < MARKER_MIN_ARTICLES:
        return 0.0
    if li.odds < MARKER_MIN_ODDS or any("'" in w for w in words) or top.name_only:
        return 0.0          # the model has no counts for contractions; a name is no evidence
    ratio = _ordinary_ratio(raw, li, data)
    if ratio is None:       # an older file: by lift against English at large
        lift = float(raw.get("lift", 0))
        return min(1.0, math.log10(lift) / 2) if lift >= MARKER_MIN_LIFT else 0.0
    if ratio > MARKER_MAX_ORDINARY:
        return 0.0
    return min(1.0, math.log10(1.0 / ratio) / 2)


def load_learned(path) -> list[Item]:
    """Items from seeds/spin-learned.json (written by `despin-learn`)."""
    import json
    file = rel(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except ValueError as exc:
        raise EditionError(file, f"is not valid JSON: {exc}", hint="regenerate it with `python -m scripts despin-learn`")
    if not isinstance(data, dict) or data.get("format") != 1 or not isinstance(data.get("items"), list):
        raise EditionError(file, "is not a learned spin file (format 1)",
                           hint="regenerate it with `python -m scripts despin-learn`")
    out = []
    for n, raw in enumerate(data["items"]):
        try:
            outcomes = [Outcome(o["o"], int(o["n"]), int(o["a"]), o.get("b", {}), o.get("f", {}), int(o.get("c", 0)))
                        for o in raw["to"]]
            li = LearnedItem(int(raw["seen"]), int(raw["kept"]), outcomes)
            words = tuple(raw["s"].split())
        except (KeyError, TypeError, ValueError) as exc:
            raise EditionError(file, f"item {n} is malformed ({exc!r})",
                               hint="regenerate it with `python -m scripts despin-learn`")
        arts = max(o.articles for o in outcomes)
        weight = learned_weight(raw, li, words, data)
        marker = weight > 0
        weight = weight or min(1.0, math.log10(max(1.0, float(raw.get("lift", 1)))) / 2)
        out.append(Item(id="learned-" + "-".join(re.sub(r"[^a-z0-9]+", "", w) or "x" for w in words),
                        kind="learned", spun=raw["s"], words=words, scope="spun", marker=marker, weight=weight,
                        source=f"learned from {arts} article{'s' if arts != 1 else ''}", learned=li))
    return out
