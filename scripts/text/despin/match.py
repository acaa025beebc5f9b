"""Matching: the text's tokens, the context around a token, and the restorations
the lexicon's items make in a text (non-overlapping, never across a paragraph).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from itertools import product
from dataclasses import dataclass

from . import spelling
from .lexicon import (END_PUNCT, NUMBER_WORDS, QUOTES, SENTENCE_END, Condition, Item, Lexicon, _norm)


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


_last_tokens: tuple = ("", None)   # the spin score and the restoration read the same text in turn
PARA_BREAK = re.compile(r"\s*\n\n\s*")      # a run of white space holding a blank line


class Tokens:
    """The tokens of a text, each made into a Tok only when it is looked at.

    Finding the spans and keys is a few C-level passes; most tokens of a text
    are never looked at closely (only those that may begin a lexicon item, and
    their neighbours), so building a Tok for every one was most of the cost.
    Indexing, slicing, len() and iteration behave as on a list of Tok.
    """

    __slots__ = ("text", "spans", "keys", "_breaks", "_made", "_every")

    def __init__(self, text: str):
        self.text = text
        self.spans = [m.span() for m in TOKEN.finditer(text)]
        low = _norm(text).lower()
        if len(low) == len(text) and "\u03a3" not in text:     # lower() kept every position (no final sigma)
            self.keys = [low[s:e] for s, e in self.spans]
        else:
            self.keys = [_norm(text[s:e]).lower() for s, e in self.spans]
        self._breaks = [m.start() for m in PARA_BREAK.finditer(text)]
        self._made: dict[int, Tok] = {}
        self._every: TokenList | None = None

    def __len__(self) -> int:
        return len(self.spans)

    def __iter__(self):
        return (self[i] for i in range(len(self.spans)))

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self.spans)))]
        if i < 0:
            i += len(self.spans)
        tok = self._made.get(i)
        if tok is None:
            tok = self._made[i] = self._make(i)
        return tok

    def _make(self, i: int) -> Tok:
        start, end = self.spans[i]
        t, key = self.text[start:end], self.keys[i]
        base = key[:-2] if key.endswith("'s") and len(key) > 2 else key
        newline = i == 0 or "\n" in self.text[self.spans[i - 1][1]:start]
        return Tok(start, end, t, t[0].isalnum(), bisect_left(self._breaks, start), key, base, newline)

    def word_count(self) -> int:
        return sum(1 for s, _ in self.spans if self.text[s].isalnum())

    def every(self) -> "TokenList":
        """Every Tok at once, as a list: for a pass that looks at most tokens (a restoration)."""
        if self._every is None:
            made, make = self._made, self._make
            self._every = TokenList([made[i] if i in made else make(i) for i in range(len(self.spans))])
            self._every.text, self._every.spans, self._every.keys = self.text, self.spans, self.keys
        return self._every


class TokenList(list):
    """The Toks of a text in a plain list, with the spans and keys of its Tokens beside them.

    A restoration looks at most tokens several times over (the words around each candidate,
    its sentence's start): a list answers each look without a Python call."""

    __slots__ = ("text", "spans", "keys")


def tokenize(text: str) -> Tokens:
    global _last_tokens
    if _last_tokens[0] is text or (len(_last_tokens[0]) == len(text) and _last_tokens[0] == text):
        return _last_tokens[1]
    toks = Tokens(text)
    _last_tokens = (text, toks)
    return toks


def _tokenize(text: str) -> list[Tok]:
    """Every token made at once (the reference the lazy Tokens is tested against)."""
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


_PLAIN = re.compile(r"[a-z0-9][a-z0-9'.-]*")
_split: dict[int, tuple] = {}       # id(phrase list) -> (the list, plain phrases by length, the others, longest)


def _split_phrases(phrases: list) -> tuple[dict, list, int]:
    """A condition's phrases split into those of plain words only (looked up as
    tuples, by length) and those with special or punctuation elements (tried one
    element at a time)."""
    hit = _split.get(id(phrases))
    if hit is None or hit[0] is not phrases:
        plain: dict[int, set] = {}
        other = []
        for ph in phrases:
            if all(_PLAIN.fullmatch(e) for e in ph):
                plain.setdefault(len(ph), set()).add(tuple(ph))
            else:
                other.append(ph)
        hit = _split[id(phrases)] = (phrases, plain, other, max(len(ph) for ph in phrases))
    return hit[1], hit[2], hit[3]


def _words_in(seq: list, wanted: set) -> bool:
    """Whether the tokens, in text order, are all words spelling one of the wanted
    tuples (a word may match by its key or by its base without a possessive 's)."""
    if any(t is None or not t.word for t in seq):
        return False
    if all(t.base == t.key for t in seq):
        return tuple(t.key for t in seq) in wanted
    return any(combo in wanted for combo in product(*((t.key, t.base) for t in seq)))


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

    def word_before(self, i: int) -> str | None:
        """The word just before token i in its sentence, or None."""
        prev = self._neighbours(i, -1, 1)
        t = prev[0] if prev else None
        return t.key if t is not None and t.word else None

    def word_after(self, j: int) -> str | None:
        nxt = self._neighbours(j, 1, 1)
        t = nxt[0] if nxt else None
        return t.key if t is not None and t.word else None

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
        plain, other, longest = _split_phrases(phrases)
        before = self._neighbours(i, -1, longest)      # a shorter walk gives a prefix of the longer one
        for n, wanted in plain.items():
            if len(before) >= n and _words_in(before[n - 1::-1], wanted):
                return True
        for ph in other:
            if ph == ["<start>"]:
                if self.sentence_start(i):
                    return True
                continue
            prev = before[:len(ph)]
            if len(prev) == len(ph) and all(self._elem_ok(e, t, False) for e, t in zip(reversed(ph), prev)):
                return True
            # punctuation elements must be checked without skipping quotes
        return False

    def phrase_after(self, j: int, phrases: list) -> bool:
        plain, other, longest = _split_phrases(phrases)
        after = self._neighbours(j, 1, longest)
        for n, wanted in plain.items():
            if len(after) >= n and _words_in(after[:n], wanted):
                return True
        for ph in other:
            nxt = after[:len(ph)]
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


# Some copy sites spin the narrative and leave direct quotes as they were (the harvest shows
# it on four sites).  Quotes are taken as left alone when they hold at least QUOTED_MIN words
# and the rest of the text has markers of spinning at a rate that would put at least
# QUOTED_EXPECTED of them in as many words, but the quotes hold under a quarter of that (none,
# or one word a writer may use, such as "mentioned"; by luck, none of 3 expected happens under
# 5 % of the time).  Nothing is restored inside them: their words are the writer's.
QUOTED = re.compile(r'“[^”\n]{1,3000}”|"[^"\n]{1,3000}"')
QUOTED_MIN = 40
QUOTED_EXPECTED = 3.0


def unspun_quotes(text: str, matches: list) -> list[tuple[int, int]]:
    """The spans of the text's quotations when they read as left unspun; [] otherwise."""
    spans = [m.span() for m in QUOTED.finditer(text)]
    if not spans:
        return []
    quoted_words = sum(len(text[a:b].split()) for a, b in spans)
    if quoted_words < QUOTED_MIN:
        return []
    inside = outside = 0
    for m in matches:
        if not m.item.marker:
            continue
        if any(a <= m.start and m.end <= b for a, b in spans):
            inside += 1
        else:
            outside += 1
    rest = max(1, len(text.split()) - quoted_words)
    expected = outside / rest * quoted_words
    return spans if expected >= QUOTED_EXPECTED and 4 * inside <= expected else []


# the item behind a restored spelling (spelling.py): not in the lexicon file, one rule for every text
SPELLING = Item(id="american-spelling", kind="spelling", spun="British -ise/-our/-re/-ence spelling",
                scope="spun", source="hand (spelling.py: a British form in a text spelled the American way)")


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
    if item.kind == "learned":
        from .model import choose
        left = ctx.word_before(i)
        right = ctx.word_after(j)
        name = ctx.toks[i].text[:1].isupper() and not ctx.sentence_start(i)
        return choose(item.learned, item.words, left, right, name)
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


def _starts(lexicon: Lexicon, markers_only: bool) -> tuple[frozenset, frozenset, frozenset]:
    """How the items begin, in lower case: the words of one-word items, the first
    two words of longer ones, and all first words (of the marker items only, with
    markers_only)."""
    cache = lexicon._first_keys
    if markers_only not in cache:
        items = [it for group in lexicon.by_first.values() for it in group if it.marker or not markers_only]
        singles = frozenset(it.words[0].lower() for it in items if len(it.words) == 1)
        pairs = frozenset((it.words[0].lower(), it.words[1].lower()) for it in items if len(it.words) > 1)
        cache[markers_only] = (singles, pairs, singles | {first for first, _ in pairs})
    return cache[markers_only]


def _candidates(keys: list[str], lexicon: Lexicon, markers_only: bool) -> list[int]:
    """Indices of the tokens that may begin an item: the token is a one-word item's
    word, or it and the next token are a longer item's first two words (a possessive
    's allowed where find allows it); every other token is passed over."""
    singles, pairs, firsts = _starts(lexicon, markers_only)
    last = len(keys) - 1
    out = []
    for i in [i for i, k in enumerate(keys) if k in firsts or "'" in k]:     # a cheap first sieve
        k = keys[i]
        k2 = keys[i + 1] if i < last else ""
        if k in singles or (k, k2) in pairs or (k.endswith("'s") and k[:-2] in singles) \
                or (k2.endswith("'s") and (k, k2[:-2]) in pairs):
            out.append(i)
    return out


_lowered: dict[int, tuple] = {}     # id(item) -> (the item, its words in lower case)


def _keys_may_match(keys: list[str], i: int, it: Item) -> bool:
    """Whether the keys from token i on can spell the item's words (a cheap test
    before the exact one, which looks at the tokens themselves)."""
    words = it.words
    if it.case_sensitive:
        hit = _lowered.get(id(it))
        if hit is None or hit[0] is not it:     # the item kept with its words: an id is never reused for another
            hit = _lowered[id(it)] = (it, tuple(w.lower() for w in it.words))
        words = hit[1]
    last = len(words) - 1
    for k, w in enumerate(words):
        got = keys[i + k]
        if got != w and not (k == last and got.endswith("'s") and got[:-2] == w):
            return False
    return True


def _pattern_matches(text: str, lexicon: Lexicon, spun: bool, markers_only: bool, taken: _Taken) -> list[Match]:
    """The matches of the lexicon's regular-expression items, first come first served."""
    out: list[Match] = []
    lowered = None
    for it in lexicon.patterns:
        if (it.scope == "spun" and not spun) or (markers_only and not it.marker):
            continue
        if it.needle:               # a literal every match holds is not in the text: no match
            if lowered is None and not it.case_sensitive:
                lowered = text.lower()
            if it.needle not in (text if it.case_sensitive else lowered):
                continue
        for m in it.regex.finditer(text):
            if "\n\n" in m.group() or taken.overlaps(m.start(), m.end()):
                continue
            ch = it.choices[0]
            out.append(Match(m.start(), m.end(), m.group(), _expand(m, ch.original), it, ch.confidence, ch.why))
            taken.append((m.start(), m.end()))
    return out


def _first_word_index(lexicon: Lexicon, markers_only: bool) -> dict:
    """Items by their first word: all of them, or only the marker items (far fewer
    tokens then have candidates)."""
    if not markers_only:
        return lexicon.by_first
    if lexicon._marker_index is None:
        index = {k: [it for it in v if it.marker] for k, v in lexicon.by_first.items()}
        lexicon._marker_index = {k: v for k, v in index.items() if v}
    return lexicon._marker_index


def _items_at(text: str, toks: Tokens, i: int, by_first: dict) -> list[Item]:
    """The items whose first word token i could be (as it stands, normalised, or
    without a possessive 's), longest first; of a single group, only those whose
    second word can be the next token (_by_second_word)."""
    t_start, t_end = toks.spans[i]
    key = toks.keys[i]
    normed = _norm(text[t_start:t_end])
    possessive_form = key.endswith("'s") and len(key) > 2
    found = [by_first.get(key), by_first.get(key[:-2]) if possessive_form else None,
             by_first.get(normed) if normed != key else None,
             by_first.get(normed[:-2]) if possessive_form else None]
    groups = [group for group in found if group]
    if len(groups) <= 1:            # each group is sorted already, longest first
        if not groups:
            return []
        following = toks.keys[i + 1] if i + 1 < len(toks.keys) else None
        return _by_second_word(groups[0], following)
    return sorted({id(item): item for group in groups for item in group}.values(),
                  key=lambda item: (-len(item.words), not item.case_sensitive))


# id(group) -> (the group, {second word: the group's items that can follow it})
_second_index: dict[int, tuple[list, dict]] = {}


def _by_second_word(group: list[Item], following: str | None) -> list[Item]:
    """The items of a group (in its order) that the next token's key does not rule out: the
    one-word items, and the longer ones whose second word (in lower case) is that key.

    A common first word ("in", "the") begins dozens of items, and _keys_may_match turns
    away all but a few on their second word; this asks a dict instead.  A next key with a
    possessive 's (which _keys_may_match lets end a two-word item) or no next token gets
    the whole group, so nothing _keys_may_match would accept is left out."""
    if following is None or following.endswith("'s"):
        return group
    hit = _second_index.get(id(group))
    if hit is None or hit[0] is not group:
        if len(_second_index) >= 50_000:    # lexicons loaded one after another (the evaluation's folds)
            _second_index.clear()
        hit = _second_index[id(group)] = (group, _second_word_lists(group))
    index = hit[1]
    return index.get(following, index[None])


def _second_word_lists(group: list[Item]) -> dict:
    """{second word: the items that can follow it, in the group's order}; None: the one-word items."""
    seconds = {it.words[1].lower() for it in group if len(it.words) > 1}
    return {w: [it for it in group if len(it.words) == 1 or it.words[1].lower() == w]
            for w in (*seconds, None)}


def _spelled(text: str, toks: Tokens, i: int, it: Item) -> tuple[bool, bool]:
    """(whether tokens i on spell the item's words within one paragraph, with nothing
    but spaces between them; whether the last one carries a possessive 's)."""
    n = len(it.words)
    possessive = False
    for k, (tok, w) in enumerate(zip(toks[i:i + n], it.words)):
        got = _norm(tok.text) if it.case_sensitive else tok.key
        gotbase = got[:-2] if got.lower().endswith("'s") and len(got) > 2 else got
        last = k == n - 1
        if not tok.word or (got != w and not (last and gotbase == w)):
            return False, False
        if last and got != w:
            possessive = True
        if k and (toks[i + k - 1].para != tok.para or text[toks[i + k - 1].end:tok.start].strip()):
            return False, False
    return True, possessive


def _with_article(text: str, toks: Tokens, taken: _Taken, i: int, start: int, new: str, original: str):
    """(start, new) with an "a"/"an" just before the restored word put in step with it."""
    if i > 0 and toks[i - 1].key in ("a", "an") and text[toks[i - 1].end:start] == " " \
            and not taken.overlaps(toks[i - 1].start, toks[i - 1].end):
        art = toks[i - 1]
        # a word in capitals for emphasis ("a HUGE cut" -> "LARGE") is read as the
        # word it is, not letter by letter as an initialism would be
        shouted = new.isupper() and original.islower() and " " not in original
        want = "an" if _vowel_sound(original if shouted else new) else "a"
        if want != art.key:
            want = want.capitalize() if art.text[0].isupper() else want
            return art.start, f"{want} {new}"
    return start, new


def _restore_at(text: str, toks: Tokens, ctx: Context, taken: _Taken, i: int, spun: bool, markers_only: bool,
                by_first: dict, out: list[Match]) -> int:
    """Try the items that may begin at token i, longest first; the first that applies
    is restored (appended to out) or kept as scraped.  Returns the index of the
    token after it, or i when no item took the place."""
    keys = toks.keys
    for it in _items_at(text, toks, i, by_first):
        if (it.scope == "spun" and not spun) or (markers_only and not it.marker):
            continue
        n = len(it.words)
        if i + n > len(keys) or not _keys_may_match(keys, i, it):
            continue
        ok, possessive = _spelled(text, toks, i, it)
        if not ok:
            continue
        start = toks[i].start
        end = toks[i + n - 1].end - (2 if possessive else 0)
        if taken.overlaps(start, end):
            continue
        if markers_only and it.kind == "learned":     # the spin score needs no choice made
            decision = (it.learned.outcomes[0].original, it.learned.odds, "")
        else:
            decision = _decide(it, ctx, i, i + n - 1, possessive)
        if decision is None:
            continue
        original, conf, why = decision
        if original is None:            # kept as scraped: shorter readings inside may still apply
            return i
        new = _cased(text[start:end], original, ctx.sentence_start(i))
        start, new = _with_article(text, toks, taken, i, start, new, original)
        sic = text[start:end]
        if new != sic:
            out.append(Match(start, end, sic, new, it, conf, why))
        taken.append((start, end))
        return i + n
    return i


def _spun_text_extras(text: str, toks: Tokens, taken: _Taken, out: list[Match]) -> list[Match]:
    """In a spun text: nothing restored inside quotations the copy site left
    unspun; the spinner's British spellings put back where the text is American."""
    quoted = unspun_quotes(text, out)
    if quoted:
        out = [m for m in out if not any(a <= m.start and m.end <= b for a, b in quoted)]
    for k, twin in spelling.british_forms(toks):
        start, end = toks.spans[k]
        if not taken.overlaps(start, end):
            out.append(Match(start, end, text[start:end], twin, SPELLING, spelling.CONFIDENCE,
                             "the spinner's dictionary is British; the rest of this text spells the American way"))
    return out


def find(text: str, lexicon: Lexicon, spun: bool, markers_only: bool = False) -> list[Match]:
    """All restorations the lexicon makes in text, in order, non-overlapping.

    markers_only looks only at the items the spin score counts (much faster
    on long texts, since most context rules are then never tried).
    """
    taken = _Taken(len(text))
    out = _pattern_matches(text, lexicon, spun, markers_only, taken)
    toks = tokenize(text)
    if not markers_only:            # the spin score looks at few tokens; a restoration at most
        toks = toks.every()
    ctx = Context(text, toks)
    by_first = _first_word_index(lexicon, markers_only)
    i = 0
    for c in _candidates(toks.keys, lexicon, markers_only):
        if c < i:                   # inside an item restored just before
            continue
        i = c
        t_start, t_end = toks.spans[i]
        if not text[t_start].isalnum() or taken.overlaps(t_start, t_end):
            continue
        i = _restore_at(text, toks, ctx, taken, i, spun, markers_only, by_first, out)
    if spun and not markers_only:
        out = _spun_text_extras(text, toks, taken, out)
    out.sort(key=lambda m: m.start)
    return out
