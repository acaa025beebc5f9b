"""Finding the place a piece of editorial data refers to.

Data files point into a text by quoting it, never by line numbers, so they
survive changes in cleaning.  Two kinds of pointer:

* a paragraph anchor: the first words of a paragraph (``start_of``);
* a text-quote selector after the W3C Web Annotation model: ``exact`` text
  with optional ``prefix`` and ``suffix`` just before and after it
  (``select``).

Both must match exactly one place; otherwise an EditionError names the data
file, the entry, and the nearest passage that does exist.
"""
from __future__ import annotations

import difflib
import re

from .errors import EditionError


def _squash(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def nearest(needle: str, haystack: str, width: int | None = None) -> str | None:
    """The passage of haystack most like needle (for error messages)."""
    if not haystack:
        return None
    width = width or max(len(needle), 20)
    best, best_ratio = None, 0.0
    step = max(1, width // 4)
    sm = difflib.SequenceMatcher(autojunk=False)
    sm.set_seq2(needle)
    for i in range(0, max(1, len(haystack) - width + 1), step):
        sm.set_seq1(haystack[i:i + width])
        if sm.real_quick_ratio() <= best_ratio or sm.quick_ratio() <= best_ratio:
            continue
        r = sm.ratio()
        if r > best_ratio:
            best, best_ratio = i, r
    if best is None or best_ratio <= 0.3:
        return None
    # widen the window to whole words, with a little context on each side
    s = haystack.rfind(" ", 0, max(0, best - 5)) + 1
    e = haystack.find(" ", min(len(haystack), best + width + 5))
    e = len(haystack) if e < 0 else e
    return _squash(haystack[s:e])


def start_of(paragraphs: list[str], anchor: str, file: str, what: str, line: int | None = None) -> int:
    """Index of the one paragraph that begins with anchor."""
    hits = [i for i, p in enumerate(paragraphs) if p.startswith(anchor)]
    if len(hits) == 1:
        return hits[0]
    if not hits:
        starts = {p[:len(anchor)]: p for p in paragraphs}
        close = difflib.get_close_matches(anchor, list(starts), n=1, cutoff=0.4)
        shown = starts[close[0]][:len(anchor) + 30] if close else ""
        raise EditionError(file, f"{what}: no paragraph begins with {anchor!r}", line=line,
                           hint=f"the nearest paragraph begins {shown!r}" if close else
                           "copy the first words of the paragraph exactly, curly quotes included")
    raise EditionError(file, f"{what}: {len(hits)} paragraphs begin with {anchor!r}", line=line,
                       hint="quote more of the paragraph's first words so that one paragraph matches")


def select(text: str, exact: str, prefix: str = "", suffix: str = "", *, file: str = "",
           what: str = "anchor", line: int | None = None) -> tuple[int, int]:
    """Span of the one occurrence of exact with the given prefix and suffix."""
    if not exact:
        raise EditionError(file, f"{what}: 'exact' is empty", line=line)
    hits = []
    for m in re.finditer(re.escape(exact), text):
        s, e = m.start(), m.end()
        if prefix and not text[:s].endswith(prefix):
            continue
        if suffix and not text[e:].startswith(suffix):
            continue
        hits.append((s, e))
    if len(hits) == 1:
        return hits[0]
    if not hits:
        near = nearest(prefix + exact + suffix, text)
        raise EditionError(file, f"{what}: the quote {exact!r} matches nothing in the text", line=line,
                           hint=f"the nearest passage is {near!r}" if near else
                           "the text may have changed; quote it again from the page")
    shown = "; ".join(repr(_squash(text[max(0, s - 30):e + 30])) for s, e in hits[:3])
    raise EditionError(file, f"{what}: the quote {exact!r} matches {len(hits)} places: {shown}", line=line,
                       hint="add a 'prefix' or 'suffix' (a few words before or after) to tell them apart")
