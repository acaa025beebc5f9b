"""Margin notes and cross-links for the whole collection.

Gathers what the annotate and crosslink stages give each document and
hands the renderer its inline items and extra pages:

* margin notes from ``seeds/NAME.notes.yml`` and, from ``seeds/themes.yml``,
  a cross-reference note at every theme passage, numbered together in
  reading order;
* entity mentions found with the glossary (``seeds/glossary.yml``), the
  first in the body and in each comment linked to the entity's page;
* abbreviation definitions (from the glossary) at the end of every page
  that uses them, for Material's tooltips;
* the pages that cross the texts: who and what, themes, connections,
  timeline.
"""
from __future__ import annotations

import html
from pathlib import Path

from ..text import annotate, crosslink
from . import pages, render
from ..core.errors import EditionError, rel


class TextPageExtras:
    """What a text page needs of the collection besides its own notes and mentions: the
    glossary (entity links, abbreviations).  Small and picklable, so that text pages can be
    made in fresh worker processes that hold none of the collection."""

    def __init__(self, glossary):
        self.glossary = glossary

    def for_doc(self, doc, notes, mentions):
        def inline_extra(d):
            items = annotate.inline_items(d, notes)
            for bi, extra in crosslink.inline_items(d, mentions).items():
                items.setdefault(bi, []).extend(extra)
            return items

        def after_body(d):
            return crosslink.abbreviation_lines(self._page_words(d, notes), self.glossary.abbreviations)

        ctx = render.Context(link_entity=pages.entity_link(self.glossary, pages.text_path(doc)),
                             note_markup=lambda n, joined=False: annotate.note_markup(n, doc.slug, joined))
        return ctx, inline_extra, after_body

    @staticmethod
    def _page_words(d, notes) -> str:
        """Everything a text page shows in words, to see which abbreviations it uses."""
        parts = [d.text, d.meta.get("title") or "", d.meta.get("summary") or ""]
        parts += [str(v) for v in (d.meta.get("source") or {}).values() if v]
        parts += [html.unescape(n.text) for n in notes]
        parts += [c.sic + " " + c.corr for c in d.changes]
        parts += [" ".join(filter(None, (c.author, c.time))) for c in d.comments]
        return "\n".join(parts)


class Extras:
    def __init__(self, docs, seeds: Path, known_mentions: dict | None = None):
        """known_mentions: seed -> mentions already found with this glossary (serve's cache)."""
        self.docs = docs
        self.seeds = Path(seeds)
        # cross-links
        self.glossary = crosslink.load_glossary(crosslink.glossary_path(self.seeds))
        self.matcher = crosslink.matcher_for(self.glossary)
        self.text_pages = TextPageExtras(self.glossary)
        self.mentions = {}
        for d in docs:
            known = (known_mentions or {}).get(d.seed)
            d.mentions = known if known is not None else crosslink.find_mentions(d, self.matcher)
            self.mentions[d.seed] = d.mentions
        self.themes, self.short = pages.load_themes(pages.themes_path(self.seeds), docs, self.glossary)
        self.timeline = pages.load_timeline(pages.timeline_path(self.seeds), docs, self.glossary)
        xrefs = pages.theme_notes(self.themes, self.short)
        # margin notes: the files' and the cross-references, numbered together
        self.notes = {}
        for d in docs:
            path = annotate.notes_path(self.seeds, d)
            notes = annotate.place(d, annotate.load_notes(path), rel(path))
            ids = {n.id: n for n in notes}
            for x in xrefs.get(d.seed, []):
                if x.id in ids:
                    raise EditionError(rel(path), f"note id {x.id!r} is also the id of a cross-reference note "
                                                  f"made from {x.file}", line=ids[x.id].line,
                                       hint="ids starting 'x-' are kept for cross-references; rename the note")
                ids[x.id] = x
            notes = notes + xrefs.get(d.seed, [])
            annotate.number(d, notes)
            d.notes = notes
            self.notes[d.seed] = notes

    def for_doc(self, doc):
        return self.text_pages.for_doc(*self.page_inputs(doc)[:3])

    def page_inputs(self, doc) -> tuple:
        """(doc, its notes, its mentions, the short titles of texts): with text_pages, all a text page
        and the text's sections of the entity pages (pages.entity_sections) are made from."""
        return doc, self.notes.get(doc.seed, []), self.mentions.get(doc.seed, []), self.short

    def pages(self) -> dict[str, str]:
        """The pages that cross the texts (made from the texts' words, titles and slugs, not their summaries)."""
        return dict(self.iter_pages())

    def iter_pages(self, sections: dict | None = None):
        """pages(), one (path, page) at a time: a large collection's pages need not all be held at once.

        sections: the texts' sections of the entity pages made with their text pages (eid -> seed ->
        section; see pages.iter_entity_pages), taken from the mapping as they are used."""
        if self.glossary.entities:
            yield from pages.iter_entity_pages(self.glossary, self.docs, self.mentions, self.short, self.themes,
                                               sections)
        out: dict[str, str] = {}
        if self.themes:
            out.update(pages.theme_pages(self.themes, self.docs, self.short, self.glossary))
        if self.glossary.entities or self.themes:
            out["connections.md"] = pages.connections_page(self.glossary, self.docs, self.mentions,
                                                           self.themes, self.short)
        if self.timeline:
            out["timeline.md"] = pages.timeline_page(self.timeline, self.docs, self.short, self.glossary)
        yield from out.items()

    def site_pages(self) -> dict[str, str]:
        """The home and About pages again, with the definitions of the abbreviations they use."""
        if not self.glossary.abbreviations:
            return {}
        from . import tree as site
        out = {}
        for name, make in (("index.md", lambda: site.home_page(self.docs)), ("about.md", site.about_page)):
            try:
                body = make()
            except Exception:       # the site module changed shape: leave its pages alone
                continue
            lines = crosslink.abbreviation_lines(html.unescape(body), self.glossary.abbreviations)
            if lines and not any(line in body for line in lines if line):
                out[name] = body.rstrip("\n") + "\n" + "\n".join(lines).rstrip("\n") + "\n"
        return out
