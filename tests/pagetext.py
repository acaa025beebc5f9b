"""What a reader should see of a block, for tests that compare a built page with the edition's text."""
from __future__ import annotations

import re


def shown_words(kind: str, text: str) -> str:
    """The words of a block as the page shows them, spaces squashed.

    A table shows its cells without the pipes and the separator row; a list
    shows its items without their markers; every other block shows its text
    as it is.
    """
    if kind == "table":
        rows = [ln for ln in text.splitlines() if not re.fullmatch(r"[\s|:\-]*", ln)]
        text = " ".join(c for ln in rows for c in ln.strip().strip("|").split("|"))
    elif kind == "list":
        text = " ".join(re.sub(r"^\s*(?:[-*+•‣◦▪]|\d+[.)])\s+", "", ln) for ln in text.splitlines())
    return " ".join(text.split())


def shows(kind: str, shown: str, text: str) -> bool:
    """Whether a block's visible words are its text's.  A table may put a cell border where the
    scrape had no space (an infobox label glued to its value, "Type of siteSocial news")."""
    want = shown_words(kind, text)
    got = " ".join(shown.split())
    return got == want or (kind == "table" and "".join(got.split()) == "".join(want.split()))
