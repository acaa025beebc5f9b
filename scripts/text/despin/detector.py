"""The detector: does a text look spun?  The spin score counts distinct marker
items per 1,000 words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import UNCERTAIN_BELOW, Lexicon, _norm
from .match import Match, find, tokenize


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


MIN_WORDS = 60          # shorter texts are never judged spun
MIN_DISTINCT = 3        # distinct marker readings a spun verdict needs at least
_NOT_NAMES = {"I", "A", "The", "In", "On", "At", "But", "And", "It", "He", "She", "They", "We", "This", "That"}


def _line_of(text: str, pos: int) -> str:
    a = text.rfind("\n", 0, pos) + 1
    b = text.find("\n", pos)
    return text[a:b if b != -1 else len(text)]


def counts_as_evidence(text: str, m: Match, first_line_end: int) -> bool:
    """A marker inside a title, an all-caps banner or a proper name is no evidence.

    Title: the text's first line.  Banner: a line whose letters are all
    capitals, or a short line (under six words) that does not end a sentence.
    Proper name: the match starts with a capital letter inside a sentence, or
    stands next to a capitalised word ("Worldwide Awards", "Bank Worldwide").
    """
    if m.start < first_line_end:
        return False
    line = _line_of(text, m.start)
    if line.isupper():              # every cased letter a capital: a banner
        return False
    if len(line.split()) < 6 and not line.rstrip().endswith((".", "?", "!", '"', "”")):
        return False
    before = text[max(0, m.start - 40):m.start]
    after = text[m.end:m.end + 40]
    mid_sentence = bool(before.strip()) and not re.search(r"[.!?:;\"“”(\n]\s*$", before)
    if mid_sentence and m.sic[:1].isupper():
        return False
    prev_word = re.search(r"([A-Za-z][\w'’-]*)\s*$", before)
    next_word = re.match(r"\s*([A-Za-z][\w'’-]*)", after)
    if mid_sentence and prev_word and prev_word.group(1)[0].isupper() and prev_word.group(1) not in _NOT_NAMES:
        return False
    if next_word and next_word.group(1)[0].isupper() and next_word.group(1) not in _NOT_NAMES \
            and not re.match(r"\s*[.!?]", after):
        return False
    return True


def _first_line_end(text: str) -> int:
    """Where the title ends: the first line, when it is short (under 25 words) and
    more text follows; otherwise 0 (no title)."""
    lead = len(text) - len(text.lstrip())
    nl = text.find("\n", lead)
    if nl == -1 or len(text[lead:nl].split()) >= 25:
        return 0
    return nl


def score(text: str, lexicon: Lexicon) -> Score:
    """Distinct marker readings per 1,000 words (each weighted by its strength as
    evidence), and whether the text looks spun.

    A spun verdict needs MIN_WORDS words, MIN_DISTINCT distinct marker
    readings that count as evidence, and distinct readings per 1,000 words at
    or above the lexicon's threshold.
    """
    words = tokenize(text).word_count()
    end = _first_line_end(text)
    hits = [m for m in find(text, lexicon, spun=True, markers_only=True)
            if _is_marker(m) and counts_as_evidence(text, m, end)]
    weights = {m.item.id: m.item.weight for m in hits}
    distinct = sorted(weights)
    per = 1000.0 * sum(weights.values()) / words if words else 0.0
    spun = words >= MIN_WORDS and len(distinct) >= MIN_DISTINCT and per >= lexicon.threshold
    return Score(len(hits), words, per, spun, lexicon.threshold, distinct)


@dataclass
class Verdict:
    spun: bool
    label: str                  # "spun", "not spun" or "unknown rewriter"
    score: Score
    evidence: list = field(default_factory=list)    # marker ids, or the other rewriters' phrases found


def rewriter_phrases(text: str, lexicon: Lexicon) -> list[str]:
    """Ids of the other rewriters' phrases (lexicon ``rewriters``) found in text."""
    if not lexicon.rewriters:
        return []
    flat = " ".join(_norm(text).lower().split())
    # a plain substring test first: far quicker than the search, and most texts hold none of them
    return [rid for rid, phrase, _ in lexicon.rewriters
            if phrase in flat and re.search(r"\b" + re.escape(phrase) + r"\b", flat)]


def verdict(text: str, lexicon: Lexicon) -> Verdict:
    """Spun by this family (restore), not spun (leave alone), or garbled by an
    unknown rewriter (two or more other rewriters' phrases and no spun verdict:
    reported, left alone)."""
    s = score(text, lexicon)
    if s.spun:
        return Verdict(True, "spun", s, list(s.markers))
    other = rewriter_phrases(text, lexicon)
    if len(other) >= 2:
        return Verdict(False, "unknown rewriter", s, other)
    return Verdict(False, "not spun", s, list(s.markers))
