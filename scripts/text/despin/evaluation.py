"""Evaluation: how much of the spinner's damage the de-spinner undoes on articles it never learned from.

For each held-out pair, both excerpts are cut to the stretch they share (from
the first to the last run of three equal words), the spun cut is de-spun as
any text would be (the detector decides; its verdict is printed), and each
version is compared with the original:

* acc = word-level F1 of a difflib alignment of the words (lower-cased,
  straight apostrophes, punctuation left out) against the original's words;
* gap closed = (acc(restored) - acc(spun)) / (1 - acc(spun));
* worse = restorations that replaced a word that was right with a wrong one,
  found by aligning each restoration's place in the spun text to the original.

It also runs the de-spinner over every unspun text given (tests/unspun,
tests/gallery/*/raw.txt and the unspun seeds by default) and counts the words
it would change there: the target is none.
"""
from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from ...core.model import apply_edits
from .learning import align, aligned_span, calibration_texts, read_pairs, read_split
from .match import tokenize

SEED_OPENING_ORIGINAL = (
    "To many Chinese, DeepSeek's success is a victory for China's education system, proof that it equals that "
    "of the United States or has even surpassed it. The core team of developers and scientists behind DeepSeek, "
    "the Chinese start-up that has jolted the A.I. world, all attended university in China, according to the "
    "company's founder. That's a contrast with many Chinese tech companies, which have often sought talent "
    "educated abroad. As Chinese commenters online basked in Americans' shocked reactions, some pointed to the "
    "high number of science Ph.D.s that China produces annually. ... The reality is more complicated. Yes, China "
    "has invested heavily in education, especially in science and technology, which has helped nurture a "
    "significant pool of talent, key to its ambition of becoming a world leader in A.I. by 2030. But outside of "
    "the classroom, those graduates must also contend with obstacles that include a grinding corporate culture "
    "and the political whims of the ruling Communist Party. Under its current top leader, Xi Jinping, the party "
    "has emphasized control, rather than economic growth, and has been willing to crack down on tech firms it "
    "deems too influential.")
# The same stretch of the spun seed: its first three paragraphs up to "yearly." and its fifth and sixth.
SEED_SPUN_CUTS = (("To many Chinese language,", "produces yearly."),
                  ("The fact is extra difficult.", "deems too influential."))


def words(text: str) -> list[str]:
    return [t.key for t in tokenize(text) if t.word]


def accuracy(candidate: list[str], original: list[str]) -> float:
    """Word-level F1 of a difflib alignment."""
    if not candidate and not original:
        return 1.0
    same = sum(b.size for b in difflib.SequenceMatcher(None, candidate, original, autojunk=False).get_matching_blocks())
    return 2.0 * same / (len(candidate) + len(original))


def gap_closed(spun: float, restored: float) -> float:
    return 0.0 if spun >= 1.0 else (restored - spun) / (1.0 - spun)


@dataclass
class Result:
    name: str
    words: int
    spun_acc: float
    restored_acc: float
    restorations: int
    worse: int
    verdict: str

    @property
    def gap(self) -> float:
        return gap_closed(self.spun_acc, self.restored_acc)


def cut_pair(spun: str, original: str) -> tuple[str, str]:
    """Both texts cut to the stretch they share (by character position)."""
    st = [t for t in tokenize(spun)]
    ot = [t for t in tokenize(original)]
    sk = [t.key for t in st]
    ok = [t.key for t in ot]
    lo, hi, olo, ohi = aligned_span(align(sk, ok))
    if hi <= lo:
        return spun, original
    return spun[st[lo].start:st[hi - 1].end], original[ot[olo].start:ot[ohi - 1].end]


def evaluate_text(name: str, spun: str, original: str, lexicon, edits=None, label: str | None = None) -> Result:
    """Score one spun text against its original; edits (with label, the verdict) when the
    restorations were made in a longer text the spun one is cut from."""
    from . import restore
    from .detector import verdict
    if edits is None:
        v = verdict(spun, lexicon)
        edits, label = restore(spun, lexicon, spun=v.spun), v.label
    restored = apply_edits(spun, edits, "despin")[0]
    ow = words(original)
    worse = _worse(spun, edits, ow)
    return Result(name, len(words(spun)), accuracy(words(spun), ow), accuracy(words(restored), ow),
                  len(edits), worse, label)


def _worse(spun: str, edits, original_words: list[str]) -> int:
    """Restorations whose spun words were already the original's and were changed."""
    toks = [t for t in tokenize(spun) if t.word]
    keys = [t.key for t in toks]
    sm = difflib.SequenceMatcher(None, keys, original_words, autojunk=False)
    right = bytearray(len(keys))
    for b in sm.get_matching_blocks():
        right[b.a:b.a + b.size] = b"\x01" * b.size
    n = 0
    for e in edits:
        idx = [k for k, t in enumerate(toks) if t.start >= e.start and t.end <= e.end]
        new = [t.key for t in tokenize(e.new) if t.word]
        if idx and all(right[k] for k in idx) and new != [keys[k] for k in idx]:
            n += 1
    return n


def _seed_cuts() -> tuple[str, list[tuple[int, int]]]:
    from ...core.corpus import SEEDS
    text = (SEEDS / "002_c871a5e50bffaf81.txt").read_text(encoding="utf-8")
    cuts = []
    for a, b in SEED_SPUN_CUTS:
        i = text.index(a)
        cuts.append((i, text.index(b, i) + len(b)))
    return text, cuts


def seed_opening() -> tuple[str, str]:
    text, cuts = _seed_cuts()
    return "\n\n".join(text[i:j] for i, j in cuts), SEED_OPENING_ORIGINAL.replace(" ... ", "\n\n")


def evaluate_seed(lexicon) -> Result:
    """The seed's opening as the edition shows it: the whole scraped article is de-spun (as the
    build does, so a restoration may use what the rest of the article shows, such as its
    spelling), and the restorations inside the opening's two stretches are scored."""
    from . import restore
    from .detector import verdict
    text, cuts = _seed_cuts()
    v = verdict(text, lexicon)
    edits, offset, kept = restore(text, lexicon, spun=v.spun), 0, []
    for i, j in cuts:
        for e in edits:
            if i <= e.start and e.end <= j:
                kept.append(replace(e, start=e.start - i + offset, end=e.end - i + offset))
        offset += (j - i) + 2           # the "\n\n" that joins the two stretches
    spun, original = seed_opening()
    return evaluate_text("seed opening", spun, original, lexicon, edits=kept, label=v.label)


def unspun_texts(root: Path) -> list[Path]:
    from ...core.corpus import SEEDS
    paths = sorted((root / "tests" / "unspun" / "texts").glob("*.txt"))
    paths += sorted((root / "tests" / "gallery").glob("*/raw.txt"))
    paths += [SEEDS / n for n in ("000_73d145eee412dd19.txt", "001_3dc2b41856cb6ad5.txt",
                                  "003_931163996799648f.txt", "004_9da44b2121f2c531.txt")]
    return paths


def unspun_changes(paths, lexicon) -> list[tuple[str, int]]:
    """(path, words changed) for every unspun text the de-spinner would change."""
    from . import restore
    out = []
    for p in paths:
        text = p.read_bytes().decode("utf-8", errors="replace")
        edits = restore(text, lexicon)
        if edits:
            out.append((str(p), sum(max(1, len(e.new.split())) for e in edits)))
    return out


def run(corpus, lexicon, root: Path, out=sys.stdout, names: list[str] | None = None) -> dict:
    corpus = Path(corpus)
    split = read_split(corpus)
    pairs = read_pairs(corpus, names or split["heldout"])
    results = []
    for p in pairs:
        s, o = cut_pair(p.spun, p.original)
        results.append(evaluate_text(p.name, s, o, lexicon))
    seed = evaluate_seed(lexicon)
    unspun = unspun_paths = unspun_texts(root)
    changed = unspun_changes(unspun_paths, lexicon)
    w = out.write
    w("| held-out pair | words | verdict | acc spun | acc restored | gap closed | restorations | made worse |\n")
    w("|---|---:|---|---:|---:|---:|---:|---:|\n")
    for r in results + [seed]:
        w(f"| {r.name} | {r.words} | {r.verdict} | {r.spun_acc:.3f} | {r.restored_acc:.3f} | {r.gap:.2f} | "
          f"{r.restorations} | {r.worse} |\n")
    mean = sum(r.gap for r in results) / len(results) if results else 0.0
    w(f"\nmean gap closed on {len(results)} held-out pairs: {mean:.2f}\n")
    w(f"seed article's public opening: {seed.gap:.2f}\n")
    w(f"unspun texts: {len(unspun)}, texts changed: {len(changed)}, "
      f"words changed: {sum(n for _, n in changed)}\n")
    for path, n in changed:
        w(f"  changed: {path} ({n} words)\n")
    det = detector_figures(corpus, split, unspun_paths, lexicon)
    w(f"\ndetector, spun = the spun copy of every pair ({det['spun']}: learn and held-out), "
      f"unspun = the unspun texts and the faithful copy of every pair ({det['unspun']}):\n")
    w(f"  spun judged spun: {det['tp']}, spun missed: {det['fn']} ({', '.join(det['missed']) or 'none'}), "
      f"unspun judged spun: {det['fp']} ({', '.join(det['false']) or 'none'})\n")
    w(f"  precision {det['precision']:.2f}, recall {det['recall']:.2f}\n")
    w(f"  highest score of an unspun text: {det['max_calibration']:.1f} per 1,000 words among the calibration "
      f"half of tests/unspun (learning counted ordinary occurrences there), {det['max_check']:.1f} among the "
      f"others (checking only); lowest judged-spun copy: {det['min_spun']:.1f}; threshold {lexicon.threshold:g}\n")
    w(f"  unknown rewriters ({len(det['rewriters'])}): " +
      ", ".join(f"{n}: {v}" for n, v in det["rewriters"]) + "\n")
    return {"results": results, "mean": mean, "seed": seed, "changed": changed, "detector": det}


def detector_figures(corpus: Path, split: dict, unspun_paths, lexicon) -> dict:
    """Precision and recall of the spun verdict: spun copies against unspun texts."""
    from .detector import verdict
    pairs = read_pairs(corpus, split["learn"] + split["heldout"])
    missed = [p.name for p in pairs if not verdict(p.spun, lexicon).spun]
    false = [f"faithful {p.name}" for p in pairs if verdict(p.original, lexicon).spun]
    from ...core.corpus import ROOT
    calibration = set(calibration_texts(ROOT))
    scores = {path: verdict(path.read_bytes().decode("utf-8", errors="replace"), lexicon).score
              for path in unspun_paths}
    false += [str(path.relative_to(path.parents[1])) for path, sc in scores.items() if sc.spun]
    spun_scores = [sc.per_thousand for sc in (verdict(p.spun, lexicon).score for p in pairs) if sc.spun]
    tp = len(pairs) - len(missed)
    rewriters = [(f.name, verdict(f.read_text(encoding="utf-8"), lexicon).label)
                 for f in sorted((corpus / "unknown_rewriter").glob("*.txt"))]
    return {"spun": len(pairs), "unspun": len(pairs) + len(unspun_paths), "tp": tp, "fn": len(missed),
            "fp": len(false), "missed": missed, "false": false,
            "precision": tp / (tp + len(false)) if tp + len(false) else 0.0,
            "recall": tp / len(pairs) if pairs else 0.0, "rewriters": rewriters,
            "max_calibration": max([sc.per_thousand for p, sc in scores.items() if p in calibration], default=0.0),
            "max_check": max([sc.per_thousand for p, sc in scores.items() if p not in calibration], default=0.0),
            "min_spun": min(spun_scores, default=0.0)}


def cross_validate(corpus, folds: int, out=sys.stdout) -> dict:
    """Leave-article-out runs over the learn side only: the learning articles are dealt into
    `folds` groups (copies of one article stay together); each group is de-spun with what the
    others teach.  The held-out pairs are never read, so choices can be tuned on this figure
    and the held-out one stays honest."""
    import json
    import tempfile
    from . import default_lexicon_path, learning, load_lexicon
    from ...core.corpus import ROOT
    corpus = Path(corpus)
    pairs = read_pairs(corpus, read_split(corpus)["learn"])
    ordinary = [p.read_bytes().decode("utf-8", errors="replace") for p in calibration_texts(ROOT)]
    articles = sorted({p.article for p in pairs})
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(folds):
            test = [p for p in pairs if articles.index(p.article) % folds == k]
            train = [p for p in pairs if articles.index(p.article) % folds != k]
            path = Path(tmp) / f"fold{k}.json"
            path.write_text(json.dumps(learning.to_json(learning.learn(train, ordinary))), encoding="utf-8")
            lexicon = load_lexicon(default_lexicon_path(), learned=path)
            results += [evaluate_text(p.name, *cut_pair(p.spun, p.original), lexicon) for p in test]
    mean = sum(r.gap for r in results) / len(results) if results else 0.0
    n, worse = sum(r.restorations for r in results), sum(r.worse for r in results)
    out.write(f"leave-article-out, {folds} folds, {len(results)} learn pairs ({len(articles)} articles): "
              f"mean gap closed {mean:.3f}, restorations {n}, made worse {worse}\n")
    return {"results": results, "mean": mean, "restorations": n, "worse": worse}


def cli(corpus, folds: int = 0) -> int:
    from . import default_lexicon_path, load_lexicon
    from ...core.corpus import ROOT
    if folds:
        return 0 if cross_validate(corpus, folds)["results"] else 1
    lexicon = load_lexicon(default_lexicon_path())
    r = run(corpus, lexicon, ROOT)
    return 0 if r["results"] else 1
