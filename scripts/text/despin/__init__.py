"""The despin stage: put back the words an article spinner swapped out.

An article spinner copies a text and swaps words for "synonyms" from its
own dictionary, so that search engines take the copy for new writing.
The spinner family behind the scraped copy of the New York Times article
works word by word and phrase by phrase with a fixed dictionary: "said"
becomes "mentioned" or "stated", "percent" becomes "p.c", "Chinese" becomes
"Chinese language", "borrowers" becomes "debtors".  Because the dictionary
is fixed and the same in every article it spins, it can be learned and
undone.

The package, one job a module:

* ``lexicon``: the hand-written items (seeds/spin-lexicon.yml: entries with
  simple context conditions, rules with cases) and the learned ones
  (seeds/spin-learned.json), merged into one Lexicon; every item says where
  it came from (``source``).
* ``learning``: aligns spun/original pairs word by word and counts the
  substitutions, how often each spun reading was the spinner's, and the
  words around it (``python -m scripts despin-learn --corpus DIR``).
* ``model``: a model of English (word and word-pair counts shipped by
  symspellpy) that chooses among a learned reading's originals and, with
  the learned odds, decides whether to restore.
* ``match``: tokens, context, and the non-overlapping restorations.
* ``detector``: spun, not spun, or garbled by an unknown rewriter, with the
  evidence.  Nothing is restored in a text that is not judged spun.
* ``evaluation``: gap closed on held-out pairs, words changed in unspun
  texts, detector precision and recall (``python -m scripts despin-eval``).

Every restoration is an Edit of kind "spin" with the item's id as its rule,
a plain-English reason and a confidence.  Restorations under 0.7 are marked
uncertain (``data["uncertain"]``): they are applied and shown as uncertain,
never dropped silently.  Restorations never overlap and never cross a
paragraph break, so the change record can undo them exactly.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from ...core.errors import EditionError
from ...core.model import Document, Edit
from .lexicon import UNCERTAIN_BELOW, Item, Lexicon, load_lexicon, load_lexicon_cached  # noqa: F401
from .match import Match, find, tokenize  # noqa: F401
from .detector import Score, Verdict, _is_marker, score, verdict  # noqa: F401


def _reason(m: Match) -> str:
    r = f'The article spinner writes "{m.sic}" for "{m.new}"'
    if m.why:
        r += f"; {m.why}"
    if m.confidence < UNCERTAIN_BELOW:
        r += " (uncertain: the context does not settle it)"
    return r + "."


def restore(text: str, lexicon: Lexicon, spun: bool | None = None) -> list[Edit]:
    """One Edit per restored word or phrase, positions into text.

    spun=None lets the detector decide.  A text that is not judged spun gets
    no restorations at all, not even of ``always`` items: nothing fires on
    ordinary text.
    """
    if spun is None:
        spun = verdict(text, lexicon).spun
    if not spun:
        return []
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
    v = verdict(doc.text, lexicon)
    doc.spin_score = round(v.score.per_thousand, 2)
    doc.spin_verdict = v
    forced = _forced(doc)
    doc.spun = v.spun if forced is None else forced
    if doc.spun:
        # lists, tables and code keep their words as scraped
        edits = [e for e in restore(doc.text, lexicon, spun=True) if not doc.in_form(e.start, e.end)]
        doc.apply("despin", edits)


def default_lexicon_path() -> Path:
    from ...core.corpus import SEEDS
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
        lexicon = load_lexicon_cached(default_lexicon_path())
    except EditionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    edits = restore(text, lexicon)
    if record:
        rows = [{"start": e.start, "end": e.end, "scraped": text[e.start:e.end], "restored": e.new,
                 "rule": e.rule, "confidence": e.confidence, "uncertain": e.data["uncertain"]} for e in edits]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
    else:
        from ...core.model import apply_edits
        new_text, _ = apply_edits(text, edits, "despin")
        sys.stdout.write(new_text)
    return 0
