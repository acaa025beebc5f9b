"""The detector: does a text look spun?  The spin score counts distinct marker
items per 1,000 words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import SPECIALS, UNCERTAIN_BELOW, Lexicon, _norm
from .match import TOKEN, Match, find, tokenize


@dataclass
class Score:
    hits: int
    words: int
    per_thousand: float
    spun: bool
    threshold: float
    markers: list = field(default_factory=list)     # rule ids of the hits



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




@dataclass
class Verdict:
    spun: bool
    label: str                  # "spun", "not spun" or "unknown rewriter"
    score: Score
    evidence: list = field(default_factory=list)


def verdict(text: str, lexicon: Lexicon) -> Verdict:
    s = score(text, lexicon)
    return Verdict(s.spun, "spun" if s.spun else "not spun", s, list(s.markers))
