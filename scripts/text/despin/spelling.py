"""Spelling: the spinner's British forms in a text whose own spelling is American.

The spinner family's dictionary is British ("p.c" for per cent, "mum or dad",
"12 months"), and the words it puts in come out spelled the British way even
when the article is American: the New York Times' "has emphasized control"
came back as "has emphasised control".  Such a form is restored only when the
rest of the text shows American spelling: at least AMERICAN_MIN words spelled
the American way and at least AMERICAN_RATIO times as many as the British
ones.  A British article (the Guardian, the BBC) has no American forms and is
left as it is, and so is an article that mixes both.

Only the regular pairs are read: -ise/-ize (with -ised, -ises, -ising,
-isation, -iser), -our/-or, -re/-er and -ence/-ense, each for a closed list of
stems or, for -ise, where both forms are English words and the -ize form is
not rare (the model's counts): "emphasise" has "emphasize", "promise" and
"exercise" have no such twin.  Doubled consonants (travelled, cancelled) are
left alone: American writers use both.  Capitalised words are left alone too:
names and titles keep their spelling ("Labour", "Centre for ...").
"""
from __future__ import annotations

import re
from functools import lru_cache

AMERICAN_MIN = 2
AMERICAN_RATIO = 2.0
CONFIDENCE = 0.75

# stems whose -our, -re or -ence form is British and whose -or, -er, -ense form is American
_OUR = frozenset("col fav hon lab neighb behavi harb hum rum vap vig sav flav arm endeav "
                 "parl od clam val splend ranc ferv cand ard tum savi".split())
_RE = frozenset("cent theat fib lit meag somb spect calib sab lust".split())
_ENCE = frozenset("defe offe prete".split())
_ENDINGS = "e|ed|es|ing|ation|ations|er|ers"
_IS = re.compile(rf"^([a-z]{{3,}})is({_ENDINGS})$")
_IZ = re.compile(rf"^([a-z]{{3,}})iz({_ENDINGS})$")
_OUR_RE = re.compile(r"^([a-z]+)our(s|ed|ing|ite|ites|able|ably|less|ful)?$")
_OR_RE = re.compile(r"^([a-z]+)or(s|ed|ing|ite|ites|able|ably|less|ful)?$")
_CENTRE = re.compile(r"^([a-z]+)re(s|d)?$")
_CENTER = re.compile(r"^([a-z]+)er(s|ed)?$")
_DEFENCE = re.compile(r"^([a-z]+)nce(s)?$")
_DEFENSE = re.compile(r"^([a-z]+)nse(s)?$")
RARE_TWIN = 0.2         # the -ize form must be at least this common, against the -ise form


# Both are asked about every lower-case word of a spun text, and a text repeats its words:
# each answer is worked out once (they depend on the word and the model's fixed counts only).
@lru_cache(maxsize=1 << 16)
def american(word: str) -> str | None:
    """The American spelling of a lower-case British form, or None when the word is no such form."""
    m = _IS.match(word)
    if m:
        from . import model
        twin = f"{m.group(1)}iz{m.group(2)}"
        if model.known(twin) and model.unigram(twin) >= RARE_TWIN * model.unigram(word):
            return twin
        return None
    m = _OUR_RE.match(word)
    if m and m.group(1) in _OUR:
        return f"{m.group(1)}or{m.group(2) or ''}"
    m = _CENTRE.match(word)
    if m and m.group(1) in _RE:
        return f"{m.group(1)}er{'ed' if m.group(2) == 'd' else m.group(2) or ''}"
    m = _DEFENCE.match(word)
    if m and m.group(1) in _ENCE:
        return f"{m.group(1)}nse{m.group(2) or ''}"
    return None


@lru_cache(maxsize=1 << 16)
def is_american(word: str) -> bool:
    """Whether a lower-case word is the American member of one of the pairs above."""
    m = _IZ.match(word)
    if m:
        return american(f"{m.group(1)}is{m.group(2)}") == word
    m = _OR_RE.match(word)
    if m and m.group(1) in _OUR:
        return True
    m = _CENTER.match(word)
    if m and m.group(1) in _RE:
        return True
    m = _DEFENSE.match(word)
    return bool(m and m.group(1) in _ENCE)


def british_forms(toks) -> list[tuple[int, str]]:
    """(token index, American spelling) of each British form to restore in a text whose
    own spelling is American; none when the text is British or mixed."""
    us, uk = 0, []
    for i in range(len(toks)):
        s, e = toks.spans[i]
        first = toks.text[s]
        if not first.islower():         # names, titles, sentence starts, numbers: not counted
            continue
        key = toks.keys[i]
        if not key.isalpha():
            continue
        twin = american(key)
        if twin:
            uk.append((i, twin))
        elif is_american(key):
            us += 1
    if not uk or us < AMERICAN_MIN or us < AMERICAN_RATIO * len(uk):
        return []
    return uk
