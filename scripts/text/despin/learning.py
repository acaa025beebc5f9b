"""Learning: read aligned (spun, original) pairs and learn the spinner's substitutions.

Each pair is one article spun by the family and the same article as published.
The two are aligned word by word (difflib's SequenceMatcher on lower-cased
tokens).  Every "replace" stretch of up to MAX_PHRASE words on each side is a
candidate substitution, kept whole (phrase level: "as a result of" -> "because",
"this system" -> "the program"); a stretch with as many words on both sides is
also split into its word pairs ("training division" -> "education department"
gives "training" -> "education" and "division" -> "department"), and each word
pair counts on its own (measured with leave-article-out runs over the learning
pairs, `despin-eval --folds 6`: counting them only when the pairs also showed
them alone closed 0.433 of the gap, counting them always 0.452).  A stretch
whose two sides differ in length ("had been despatched" -> "were sent", up to
MAX_STRETCH words) is cut into pieces where the substitutions a first pass
found, or equal words, back the cut (``segment``): "despatched" -> "sent" is
then learned too (5 folds: 0.452 -> 0.458 of the gap closed).

What is kept for each spun reading, counted over the learning articles only:

* ``seen``: how often the reading occurs inside the aligned part of the spun
  texts, and ``kept`` how often the original has the same words there: the
  share of occurrences that were substitutions is what decides whether a
  restoration is worth making (a word the spinner produces but ordinary
  writing also has, like "home", is restored only when it is usually spun);
* ``to``: each original with its count and the number of articles it came
  from, and the words seen just before and after it (the context features
  that tell one original from another).

Only these counts are written (seeds/spin-learned.json), never the texts.
Pairs are grouped by article: learning is given the learn side of a split and
never reads a held-out pair.
"""
from __future__ import annotations

import difflib
import json
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ...core.errors import EditionError
from .match import tokenize

MAX_PHRASE = 4
SEGMENT = True          # cut uneven stretches into pieces (``segment``)
SEGMENT_MIN = 1         # times a first-pass substitution must be seen to back a piece

FORMAT = 1
_WORD = re.compile(r"[A-Za-z]")


@dataclass
class Pair:
    name: str                   # the pair's folder name, e.g. "005"
    article: str                # pairs of one article share this (their title)
    spun: str
    original: str


@dataclass
class Learned:
    words: int = 0                                          # words in the aligned spun texts
    seen: Counter = field(default_factory=Counter)          # spun phrase -> occurrences in aligned spun text
    kept: Counter = field(default_factory=Counter)          # spun phrase -> times left as it was
    to: dict = field(default_factory=lambda: defaultdict(Counter))          # spun -> original -> count
    articles: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(set)))
    before: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(Counter)))
    after: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(Counter)))
    named: dict = field(default_factory=lambda: defaultdict(Counter))     # spun -> original -> times it was a name
    ordinary_words: int = 0                                 # words in the ordinary (unspun) texts counted
    ordinary: Counter = field(default_factory=Counter)      # spun phrase -> occurrences in ordinary texts


def words_of(text: str) -> list[tuple[str, str]]:
    """(key, text) of every token; key is lower-case with straight apostrophes."""
    return [(t.key if t.word else _punct(t.text), t.text) for t in tokenize(text)]


def _punct(s: str) -> str:
    return {"“": '"', "”": '"', "‘": "'", "’": "'"}.get(s, s)


def _is_word(key: str) -> bool:
    return bool(_WORD.search(key))


def align(spun: list[str], original: list[str]) -> list[tuple]:
    """difflib opcodes between two key lists, without the automatic junk heuristic."""
    return difflib.SequenceMatcher(None, spun, original, autojunk=False).get_opcodes()


def aligned_span(ops) -> tuple[int, int, int, int]:
    """The stretch of both texts between the first and last run of 3+ equal tokens
    (the excerpts start and stop at different places)."""
    eq = [op for op in ops if op[0] == "equal" and op[2] - op[1] >= 3]
    if not eq:
        return 0, 0, 0, 0
    return eq[0][1], eq[-1][2], eq[0][3], eq[-1][4]


def substitutions(s: list[str], o: list[str], ops, known: dict | None = None) -> list[tuple[int, int, tuple, tuple]]:
    """(start, end, spun words, original words, split, original start) of each learnable
    substitution, in spun positions; split is True for a word pair taken out of a longer stretch.

    known: substitutions counted in a first pass (spun words -> original words -> count); with
    it, a stretch whose two sides differ in length is also cut into pieces (``segment``)."""
    out = []
    for op, i1, i2, j1, j2 in ops:
        if op != "replace":
            continue
        # trim punctuation off both ends: a changed quote mark is not a word substitution
        while i1 < i2 and not _is_word(s[i1]):
            i1 += 1
        while i2 > i1 and not _is_word(s[i2 - 1]):
            i2 -= 1
        while j1 < j2 and not _is_word(o[j1]):
            j1 += 1
        while j2 > j1 and not _is_word(o[j2 - 1]):
            j2 -= 1
        sp, og = tuple(s[i1:i2]), tuple(o[j1:j2])
        if known and sp and og and len(sp) != len(og) and max(len(sp), len(og)) <= MAX_STRETCH \
                and all(_is_word(w) for w in sp + og) and not any(w[0].isdigit() for w in sp + og):
            for a, b, x, y in segment(sp, og, known):
                out.append((i1 + a, i1 + a + len(x), x, y, True, j1 + b))
        if not sp or not og or len(sp) > MAX_PHRASE or len(og) > MAX_PHRASE:
            continue
        if not all(_is_word(w) for w in sp + og):
            continue
        if any(w[0].isdigit() for w in sp + og):      # numbers are facts, not synonyms
            continue
        out.append((i1, i2, sp, og, False, j1))
        if len(sp) == len(og) > 1:
            for k, (a, b) in enumerate(zip(sp, og)):
                if a != b:
                    out.append((i1 + k, i1 + k + 1, (a,), (b,), True, j1 + k))
    return out


MAX_STRETCH = 12        # the longest replaced stretch that is cut into pieces
PIECE = 3               # the longest piece on either side


def segment(sp: tuple, og: tuple, known: dict) -> list[tuple[int, int, tuple, tuple]]:
    """Cut a replaced stretch whose sides differ in length into pieces that follow each other
    on both sides: "had been despatched" / "were sent" into "had been" -> "were" (a
    substitution the first pass counted) and "despatched" -> "sent".  A piece scores by
    what backs it: the same word on both sides or a known substitution scores 3, a new
    one-for-one word 0.5, any other new piece -1; the best cut is kept when at least one
    piece is backed and at most one new piece is not one-for-one.  Returns (spun offset,
    original offset, spun words, original words) of the pieces that change words."""
    n, m = len(sp), len(og)
    NEG = float("-inf")
    best = [[NEG] * (m + 1) for _ in range(n + 1)]
    back = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if best[i][j] == NEG:
                continue
            for x in range(1, PIECE + 1):
                for y in range(1, PIECE + 1):
                    if i + x > n or j + y > m:
                        continue
                    a, b = sp[i:i + x], og[j:j + y]
                    if a == b or known.get(a, {}).get(b):
                        gain, backed = 3.0, True
                    elif x == y == 1:
                        gain, backed = 0.5, False
                    else:
                        gain, backed = -1.0, False
                    v = best[i][j] + gain
                    if v > best[i + x][j + y]:
                        best[i + x][j + y] = v
                        back[i + x][j + y] = (i, j, backed)
    if best[n][m] == NEG:
        return []
    pieces, i, j = [], n, m
    while (i, j) != (0, 0):
        pi, pj, backed = back[i][j]
        pieces.append((pi, pj, sp[pi:i], og[pj:j], backed))
        i, j = pi, pj
    pieces.reverse()
    loose = [p for p in pieces if not p[4] and (len(p[2]) != 1 or len(p[3]) != 1)]
    if not any(p[4] for p in pieces) or len(loose) > 1:
        return []
    if len(pieces) == 1:        # the stretch whole: counted as it is
        return []
    # with a new piece that is not one-for-one, where the cut falls around it is a guess
    # ("additionally requires conserving" / "also calls for keeping": "requires" -> "calls"
    # or "calls for"?): only the backed pieces are kept then
    return [(a, b, x, y) for a, b, x, y, backed in pieces if x != y and (backed or not loose)]


def is_name(texts: list[str], j: int) -> bool:
    """True when token j of a text is a capitalised word inside a sentence (a proper name:
    the spinner turned "Destiny 2" into "future 2"; a name is not its vocabulary)."""
    t = texts[j]
    if not t[:1].isupper() or j == 0:
        return False
    prev = texts[j - 1]
    return prev not in (".", "!", "?", ":", '"', "“", "”", "'", "(", "—", "-") and not prev.endswith(".")


def learn(pairs: list[Pair], ordinary: list[str] = ()) -> Learned:
    """Count substitutions and occurrences over the given pairs.

    ordinary: texts that are not spun (calibration texts); with the pairs'
    originals they give how often each learned spun reading occurs in ordinary
    writing (``ordinary``), which decides whether it can be a detector marker.
    """
    L = Learned()
    aligned, originals = [], []
    prepared = []
    for pair in pairs:
        sw, ow = words_of(pair.spun), words_of(pair.original)
        s, o = [k for k, _ in sw], [k for k, _ in ow]
        ops = align(s, o)
        prepared.append((pair, s, o, [t for _, t in ow], ops, aligned_span(ops)))
    # a first pass gives the substitutions the stretches of equal length show; the second cuts
    # the uneven stretches with their help (``segment``)
    known: dict = defaultdict(Counter)
    if SEGMENT:
        for pair, s, o, _, ops, (lo, hi, _, _) in prepared:
            for i1, i2, sp, og, _, _ in substitutions(s, o, ops):
                if lo <= i1 and i2 <= hi:
                    known[sp][og] += 1
        known = {sp: {og: c for og, c in outs.items() if c >= SEGMENT_MIN} for sp, outs in known.items()}
    for pair, s, o, otext, ops, (lo, hi, _, _) in prepared:
        originals.append(o)
        subs = [x for x in substitutions(s, o, ops, known) if lo <= x[0] and x[1] <= hi]
        for i1, i2, sp, og, _, j1 in subs:
            _count(L, pair, s, i1, i2, sp, og)
            if is_name(otext, j1):
                L.named[sp][og] += 1
        aligned.append((s, ops, lo, hi))
        L.words += sum(1 for w in s[lo:hi] if _is_word(w))
    _count_seen(L, aligned)
    _count_ordinary(L, originals + [[k for k, _ in words_of(t)] for t in ordinary])
    return L


def _count(L: Learned, pair: Pair, s: list[str], i1: int, i2: int, sp: tuple, og: tuple) -> None:
    L.to[sp][og] += 1
    L.articles[sp][og].add(pair.article)
    L.before[sp][og][s[i1 - 1] if i1 > 0 else "<s>"] += 1
    L.after[sp][og][s[i2] if i2 < len(s) else "</s>"] += 1


def _ngrams(keys: list[str], lengths, lo: int = 0, hi: int | None = None):
    hi = len(keys) if hi is None else hi
    for n in lengths:
        for i in range(lo, hi - n + 1):
            yield i, n, tuple(keys[i:i + n])


def _count_seen(L: Learned, aligned) -> None:
    """How often each learned spun reading occurs in the aligned spun text, and how often it was kept."""
    keys = set(L.to)
    lengths = sorted({len(k) for k in keys})
    for s, ops, lo, hi in aligned:
        equal = bytearray(len(s))
        for op, i1, i2, _, _ in ops:
            if op == "equal":
                equal[i1:i2] = b"\x01" * (i2 - i1)
        for i, n, g in _ngrams(s, lengths, lo, hi):
            if g in keys:
                L.seen[g] += 1
                if all(equal[i:i + n]):
                    L.kept[g] += 1


def _count_ordinary(L: Learned, texts: list[list[str]]) -> None:
    """How often each learned spun reading occurs in ordinary (unspun) writing."""
    keys = set(L.to)
    lengths = sorted({len(k) for k in keys})
    for keys_of_text in texts:
        L.ordinary_words += sum(1 for w in keys_of_text if _is_word(w))
        for _, _, g in _ngrams(keys_of_text, lengths):
            if g in keys:
                L.ordinary[g] += 1


def to_json(L: Learned, min_count: int = 1) -> dict:
    """The learned counts as a compact, sorted JSON-ready dict."""
    items = []
    for sp in sorted(L.to, key=lambda k: (" ".join(k))):
        outs = []
        for og, c in sorted(L.to[sp].items(), key=lambda kv: (-kv[1], kv[0])):
            if c < min_count:
                continue
            outs.append({
                "o": " ".join(og), "n": c, "a": len(L.articles[sp][og]), "c": L.named[sp][og],
                "b": dict(L.before[sp][og].most_common(8)),
                "f": dict(L.after[sp][og].most_common(8)),
            })
        if outs:
            item = {"s": " ".join(sp), "seen": L.seen[sp], "kept": L.kept[sp], "to": outs,
                    "u": L.ordinary[sp]}
            item["lift"] = lift(sp, L)
            items.append(item)
    return {"format": FORMAT, "words": L.words, "ordinary_words": L.ordinary_words, "items": items}


def lift(sp: tuple, L: Learned) -> float:
    """How many times more common the reading is in the spun texts than in English at
    large (the model's rate; for a phrase, the rate of its rarest word pair)."""
    from . import model
    return round(L.seen[sp] / max(1, L.words) / model.rate(sp), 1)


# --- the corpus on disk ------------------------------------------------------------------

def _meta(path: Path) -> dict:
    import yaml
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def read_split(corpus: Path) -> dict:
    """split.yml: {learn: [names], heldout: [names]}; an error names the file when it is missing."""
    path = corpus / "split.yml"
    if not path.exists():
        raise EditionError(str(path), "no split.yml in the corpus",
                           hint="list the pair folders under 'learn:' and 'heldout:', split by article")
    data = _meta(path)
    for key in ("learn", "heldout"):
        if not isinstance(data.get(key), list):
            raise EditionError(str(path), f"'{key}' should be a list of pair folder names")
    both = set(map(str, data["learn"])) & set(map(str, data["heldout"]))
    if both:
        raise EditionError(str(path), f"pairs on both sides of the split: {', '.join(sorted(both))}")
    return {"learn": [str(x) for x in data["learn"]], "heldout": [str(x) for x in data["heldout"]]}


def read_pairs(corpus: Path, names: list[str]) -> list[Pair]:
    out = []
    for name in names:
        d = corpus / "pairs" / name
        if not (d / "spun.txt").exists() or not (d / "original.txt").exists():
            raise EditionError(str(d), "a pair folder needs spun.txt and original.txt")
        meta = _meta(d / "meta.yml") if (d / "meta.yml").exists() else {}
        out.append(Pair(name, str(meta.get("title") or name),
                        (d / "spun.txt").read_text(encoding="utf-8"),
                        (d / "original.txt").read_text(encoding="utf-8")))
    return out


def sources_lines(corpus: Path, names: list[str]) -> list[str]:
    """One line per learning article: title, spun address, faithful address (tab-separated)."""
    lines = []
    for name in names:
        meta = _meta(corpus / "pairs" / name / "meta.yml")
        lines.append("\t".join([name, str(meta.get("title", "")), str(meta.get("spun_url", "")),
                                str(meta.get("faithful_url", ""))]))
    return lines


def calibration_texts(root: Path) -> list[Path]:
    """The unspun texts learning counts ordinary occurrences in: every other text of
    tests/unspun/texts (the first, third, ...).  The rest of that set, the gallery
    scrapes and the unspun seeds are left for checking (evaluation.unspun_texts)."""
    return sorted((root / "tests" / "unspun" / "texts").glob("*.txt"))[::2]


def learned_path() -> Path:
    from ...core.corpus import SEEDS
    return SEEDS / "spin-learned.json"


def sources_path() -> Path:
    from ...core.corpus import SEEDS
    return SEEDS / "spin-sources.tsv"


def cli(corpus, out: str | None = None) -> int:
    """`python -m scripts despin-learn --corpus DIR`: rewrite seeds/spin-learned.json (and its sources)."""
    corpus = Path(corpus)
    split = read_split(corpus)
    pairs = read_pairs(corpus, split["learn"])
    from ...core.corpus import ROOT
    L = learn(pairs, [p.read_bytes().decode("utf-8", errors="replace") for p in calibration_texts(ROOT)])
    data = to_json(L)
    data["learned_from"] = len({p.article for p in pairs})
    path = Path(out) if out else learned_path()
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n",
                    encoding="utf-8")
    if out is None:
        head = "# The articles the de-spinner learned from: pair, title, spun address, faithful address.\n"
        sources_path().write_text(head + "\n".join(sources_lines(corpus, split["learn"])) + "\n", encoding="utf-8")
    print(f"learned {len(data['items'])} spun readings from {len(pairs)} pairs "
          f"({data['learned_from']} articles) -> {path}")
    return 0
