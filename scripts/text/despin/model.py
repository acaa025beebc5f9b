"""A model of English for the de-spinner: word and word-pair frequencies.

The counts are the ones symspellpy ships (frequency_dictionary_en_82_765.txt,
82,765 words, and frequency_bigramdictionary_en_243_342.txt, 243,342 word
pairs, both from Google Books n-grams), read straight from the installed
package: nothing is downloaded, and nothing is loaded until a spun text needs
a choice made (ordinary texts never load it).

The model answers one question: how well does a reading fit between the
word before it and the word after it.  It uses an interpolated bigram
estimate, P(w | left) = l * c(left w) / c(left) + (1 - l) * c(w) / N, on both
sides.  It is used to choose among the originals a spun reading may stand
for, and (with the learned odds) to decide whether to restore at all.
"""
from __future__ import annotations

import math
from functools import lru_cache

_LAMBDA = 0.7
_state: dict = {}


def _package_file(name: str):
    from importlib import resources
    return resources.files("symspellpy").joinpath(name)


def _counts(name: str) -> dict[str, int]:
    """A symspellpy frequency list: one entry a line, the count after the last space."""
    out: dict[str, int] = {}
    with _package_file(name).open(encoding="utf-8") as fh:
        for line in fh:
            w, _, c = line.rstrip("\n").rpartition(" ")
            if w:
                out[w] = int(c)
    return out


def _load() -> tuple[dict, dict, float]:
    if "uni" not in _state:
        uni = _counts("frequency_dictionary_en_82_765.txt")
        bi = _counts("frequency_bigramdictionary_en_243_342.txt")
        _state.update(uni=uni, bi=bi, total=float(sum(uni.values())))
    return _state["uni"], _state["bi"], _state["total"]


def unigram(word: str) -> int:
    return _load()[0].get(word.lower(), 0)


def bigram(a: str, b: str) -> int:
    return _load()[1].get(f"{a.lower()} {b.lower()}", 0)


def _p(word: str, left: str | None) -> float:
    uni, bi, total = _load()
    pw = (uni.get(word, 0) + 1.0) / total
    if not left:
        return pw
    cl = uni.get(left, 0)
    if not cl:
        return pw
    return _LAMBDA * bi.get(f"{left} {word}", 0) / cl + (1 - _LAMBDA) * pw


@lru_cache(maxsize=65536)
def fit(left: str | None, words: tuple, right: str | None) -> float:
    """log P of the words, given the word before, and of the word after, given the last word."""
    words = tuple(w.lower() for w in words)
    lp = math.log(_p(words[0], left.lower() if left else None))
    for a, b in zip(words, words[1:]):
        lp += math.log(_p(b, a))
    if right:
        lp += math.log(_p(right.lower(), words[-1])) - math.log(_p(right.lower(), None))
    return lp


def rate(words: tuple) -> float:
    """How often ordinary English has these words in a row, per word (an upper bound for phrases)."""
    uni, bi, total = _load()
    if len(words) == 1:
        return (uni.get(words[0], 0) + 1.0) / total
    pairs = [bi.get(f"{a} {b}", 0) for a, b in zip(words, words[1:])]
    return (min(pairs) + 1.0) / total


def known(word: str) -> bool:
    return word.lower() in _load()[0]


# --- choosing and deciding ----------------------------------------------------------------

RESTORE_AT = 0.5        # restore when the estimated chance the reading is the spinner's is at least this
CTX = 2.0               # weight of a word seen next to an original in the pairs
GAIN_SCALE = 0.5        # how far the model's preference moves the learned odds
LIFT_CAP = 0.75         # how far (log) the context's lift may move one original against another
# (leave-article-out runs, 5 and 7 folds: 1.0 closed 0.458 and 0.4635 of the gap, 0.75 closed 0.460
# and 0.4643, 0.5 closed 0.4595 in 5 folds; a cap of 1 let "are" (2 of 17 sightings) outvote "must"
# (13 of 17) for "should" wherever "are" simply fits the next word better)
# An original the pairs showed once, in one article, is a candidate too: measured by
# leave-article-out runs over the learning pairs (6 folds by article; evaluation.cross_validate),
# requiring two sightings in two articles closed 0.36 of the gap, none 0.435, and the share of
# restorations that made a text worse rose only from 3.7 % to 4.2 %.
MIN_SEEN = 1
MIN_ARTICLES = 1


def _gain(left: str | None, original: list, spun_words: tuple, right: str | None) -> float:
    """How much better (log) the original fits between left and right than the spun words,
    capped both ways; 0 when the model does not know a word of either (a hyphenated or
    misspelt word: its count is no evidence, only the model's gap) or a word is a
    contraction (the book counts behind the model hardly have them: "that's" would always
    lose to "that is")."""
    words = (*original, *spun_words)
    if any("'" in w or "’" in w for w in words) or not all(known(w) for w in words):
        return 0.0
    gain = fit(left, tuple(original), right) - fit(left, spun_words, right)
    return max(-2.0, min(2.0, gain))


def _score(o, total: int, left: str | None, right: str | None, several: bool) -> float:
    """log of how likely this original is, given the reading and its neighbours: its share of
    the reading's substitutions, the words seen next to it in the pairs, and (among several
    candidates) how much likelier the model finds it between left and right than on its own
    (the context's lift, not the raw probability, which would favour common words)."""
    s = math.log(o.count / total)
    if left is not None and o.before.get(left.lower()):
        s += math.log(1 + CTX * o.before[left.lower()])
    if right is not None and o.after.get(right.lower()):
        s += math.log(1 + CTX * o.after[right.lower()])
    if several:
        words = tuple(o.original.split())
        s += max(-LIFT_CAP, min(LIFT_CAP, fit(left, words, right) - fit(None, words, None)))
    return s


# "that's", "it's", "they're": a form of "be" that a verb's -ing form follows (a name's "'s" is
# usually a possessive, "China's beginning", so only these contractions count)
_BE = frozenset("is are was were be been being am isn't aren't wasn't weren't that's it's there's here's "
                "what's who's he's she's we're they're you're i'm".split())


def _ing_forms(word: str) -> tuple:
    """The -ing forms a verb may take: start -> starting, make -> making, stop -> stopping."""
    return (word + "ing", word[:-1] + "ing" if word.endswith("e") else "", word + word[-1:] + "ing")


def _inflected_for(outs: list, spun_words: tuple, left: str | None) -> list:
    """After a form of "be", a spun -ing word stands for an -ing form: of two originals that are
    one verb ("start", "starting"), the bare one is dropped ("that's beginning to change" is
    "starting", where "the beginning" is "the start")."""
    if not left or len(spun_words) != 1 or not spun_words[0].lower().endswith("ing") \
            or left.lower().replace("’", "'") not in _BE:
        return outs
    ing = {o.original.lower() for o in outs if o.original.lower().endswith("ing") and " " not in o.original}
    return [o for o in outs if not ing.intersection(_ing_forms(o.original.lower()))]


# choose's answers: a spun text has the same reading between the same words again and again
# ("mentioned" after "he"), and a choice costs a dozen model look-ups.  Keyed by the learned
# item's id, the item kept beside the answer (an id is reused only once the item is gone).
_chosen: dict[tuple, tuple] = {}
CHOSEN_MAX = 50_000         # answers kept at most (about 20 MB); then forgotten all at once


def choose(learned, spun_words: tuple, left: str | None, right: str | None, name: bool = False):
    """_choose, each answer worked out once per process (it depends on its arguments alone)."""
    key = (id(learned), spun_words, left, right, name)
    hit = _chosen.get(key)
    if hit is None or hit[0] is not learned:
        if len(_chosen) >= CHOSEN_MAX:
            _chosen.clear()
        hit = _chosen[key] = (learned, _choose(learned, spun_words, left, right, name))
    return hit[1]


def _choose(learned, spun_words: tuple, left: str | None, right: str | None, name: bool = False):
    """(original, confidence, why) for a learned reading between left and right, or None to keep it.

    Each original the pairs showed is scored by how often it was seen, by the
    words seen around it in the pairs (the context features), and by how much
    likelier the model of English finds it between left and right than on its
    own (``_score``); the best one gets its share of the scores.  The learned
    odds that this reading is the spinner's are moved by how much better the
    original fits here than the spun reading does (p); the best original is
    restored when p is at least RESTORE_AT and p times its share (the
    confidence) is above 1 - p, the chance the writer wrote the reading.  An
    original the pairs showed only as a proper name
    ("Destiny", spun "Future") is a candidate only where the reading is one
    (``name``: capitalised inside a sentence).
    """
    total = learned.substituted
    outs = [o for o in learned.outcomes
            if o.count >= MIN_SEEN and o.articles >= MIN_ARTICLES and (name or not o.name_only)]
    # the chosen original's share in context; originals that cannot apply here (names, where
    # the reading is none) keep their share of the substitutions: they argue for keeping
    excluded = sum(o.count for o in learned.outcomes if o not in outs) / total
    outs = _inflected_for(outs, spun_words, left)
    if not outs:
        return None
    scores = [_score(o, total, left, right, len(outs) > 1) for o in outs]
    top = max(scores)
    best = outs[scores.index(top)]
    share = 1.0 / (sum(math.exp(x - top) for x in scores) + excluded * math.exp(-top))
    odds = learned.odds
    # context: how much better the original fits here than the spun reading (capped both ways)
    gain = _gain(left, best.original.split(), spun_words, right)
    p = odds / (odds + (1 - odds) * math.exp(-GAIN_SCALE * gain)) if odds < 1 else 1.0
    # restore when this original is likelier than the reading as it stands: the chance the
    # reading is the spinner's times the share of its substitutions that were this one,
    # against the chance it is the writer's own (1 - p) or stands for an original that cannot
    # apply here; and p itself at least RESTORE_AT
    conf = p * share
    keep = 1.0 - p + p * excluded * math.exp(-top) * share    # the writer's own, or a name's
    if p < RESTORE_AT or conf <= keep:
        return None
    why = (f"seen {total} time{'s' if total != 1 else ''} as the spinner's in the learning articles "
           f"({best.count} for \"{best.original}\"), kept {learned.kept}")
    return best.original, conf, why
