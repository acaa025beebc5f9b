"""Margin notes and cross-links for the whole collection.

Gathers what the annotate and crosslink stages give each document and
hands the renderer its inline items and extra pages.
"""
from __future__ import annotations

from pathlib import Path

from . import annotate, render
from .errors import rel


class Extras:
    def __init__(self, docs, seeds: Path):
        self.docs = docs
        self.seeds = seeds
        self.notes = {}
        for d in docs:
            path = annotate.notes_path(seeds, d)
            notes = annotate.place(d, annotate.load_notes(path), rel(path))
            annotate.number(d, notes)
            self.notes[d.seed] = notes

    def for_doc(self, doc):
        notes = self.notes.get(doc.seed, [])

        def inline_extra(d):
            return annotate.inline_items(d, notes)

        ctx = render.Context(note_markup=lambda n: annotate.note_markup(n, doc.slug))
        return ctx, inline_extra, None

    def pages(self) -> dict[str, str]:
        return {}
