"""The stages in order, one document model flowing through them.

    read -> clean -> structure -> despin -> annotate -> crosslink -> render

``process`` runs the text stages for one scrape and returns its Document;
the build then renders the whole collection.
"""
from __future__ import annotations

from pathlib import Path

from . import clean, read, structure
from ..core import corpus
from ..core.errors import rel
from ..core.model import Document


def load(path: Path, sums: dict[str, str] | None = None) -> Document:
    raw = Path(path).read_bytes()
    if sums is not None:
        corpus.verify_seed(Path(path), raw, sums)
    meta, data_path = corpus.load_seed_data(Path(path))
    return Document(seed=Path(path).name, raw=raw, meta=meta, data_path=rel(data_path))


def process(path: Path, rules: corpus.Rules, lexicon=None, sums=None) -> Document:
    doc = load(path, sums)
    read.run(doc)
    clean.run(doc, rules)
    structure.run(doc, rules)
    if lexicon is not None:
        from . import despin
        despin.run(doc, lexicon)
    return doc
