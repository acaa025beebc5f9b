"""Build orchestration: every seed through the stages, then the site.

``build`` writes the generated Markdown into a temporary folder, builds the
site from it into another, and only when both succeed swaps them in for
docs/ and site/.  A failed build leaves both exactly as they were.
"""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from . import corpus, pipeline
from .errors import EditionError

ROOT = corpus.ROOT
# Fixed build date, so that two builds from the same inputs are identical
# (MkDocs stamps it into sitemap.xml).  2025-02-01, the month the texts date from.
SOURCE_DATE_EPOCH = "1738368000"


def lexicon_or_none(seeds: Path):
    path = seeds / "spin-lexicon.yml"
    if not path.exists():
        return None
    from . import despin
    return despin.load_lexicon(path)


def process_all(seeds: Path = corpus.SEEDS):
    """Run the text stages on every seed; return (documents, rules, lexicon)."""
    rules = corpus.load_rules(seeds)
    sums = corpus.read_manifest(seeds)
    lexicon = lexicon_or_none(seeds)
    docs = [pipeline.process(p, rules, lexicon, sums) for p in corpus.seed_files(seeds)]
    listed = set(sums) - {p.name for p in corpus.seed_files(seeds)}
    if listed:
        raise EditionError("seeds/MANIFEST.sha256", f"lists scrapes that are not in seeds/: {', '.join(sorted(listed))}")
    slugs = {}
    for d in docs:
        if d.slug in slugs:
            raise EditionError(d.data_path, f"slug {d.slug!r} is already used by {slugs[d.slug]}",
                               hint="every text needs its own slug")
        slugs[d.slug] = d.data_path
    return docs, rules, lexicon


def find_seed(name: str, seeds: Path = corpus.SEEDS) -> Path:
    for p in corpus.seed_files(seeds):
        if name in (p.name, p.stem):
            return p
        meta, _ = corpus.load_seed_data(p)
        if meta.get("slug") == name:
            return p
    raise EditionError(name, "is not a seed file name, stem or slug")


def clean_text(name: str) -> str:
    seeds = corpus.SEEDS
    path = find_seed(name, seeds)
    doc = pipeline.process(path, corpus.load_rules(seeds), lexicon_or_none(seeds))
    return doc.text
