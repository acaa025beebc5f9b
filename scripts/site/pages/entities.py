"""Who and what: a name's links in the texts, the snippets around its mentions, one page per entity and the index."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ...core import escape
from ...text.annotate import page_block_order
from ...text.crosslink import KINDS, Glossary, Mention, abbreviation_lines, abbreviations_in, definition_lines
from .common import (ENTITY_DIR, PREVIEW, entity_path, esc, frag, front, md_link, para_number, plain_text,
                     short_title, text_path, theme_path)
from .passages import Theme


def entity_link(glossary: Glossary, from_page: str):
    """The renderer's link_entity callback for one page."""
    described: set[str] = set()

    def link(m: Mention, inner: str) -> str:
        e = glossary.entities[m.entity]
        target = md_link(from_page, entity_path(e.id))
        if e.id in described:
            return f"[{inner}]({target}){{: .ent }}"
        described.add(e.id)
        title = escape.attr(f"{e.name} ({e.kind_label.lower()}): {e.summary()}")
        # the description is the title of the name's first link on the page:
        # shown without script, and by edition.js at once on hover or focus
        # of any link to the same name (not repeated on each, to keep a long
        # page light)
        return f'[{inner}]({target} "{title}"){{: .ent }}'
    return link


_WORDS = 9


def snippet(doc, block, spans: list[tuple[int, int]]) -> str:
    """Words around the mentions in one block, the mentions in bold, all escaped."""
    text = doc.text
    pieces = []
    windows = []
    for s, e in spans:
        a = _back_words(text, s, block.start, _WORDS)
        z = _forward_words(text, e, block.end, _WORDS)
        if windows and a <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], z)
            windows[-1][2].append((s, e))
        else:
            windows.append([a, z, [(s, e)]])
    for a, z, marks in windows:
        out = ["…" if a > block.start else ""]
        pos = a
        for s, e in marks:
            out.append(frag(text[pos:s]))
            out.append("**" + frag(text[s:e]) + "**")
            pos = e
        out.append(frag(text[pos:z]))
        out.append("…" if z < block.end else "")
        pieces.append("".join(out))
    return " ".join(pieces)


def _back_words(text: str, pos: int, lo: int, n: int) -> int:
    i = pos
    for _ in range(n):
        j = text.rfind(" ", lo, max(lo, i - 1))
        if j < 0:
            return lo
        i = j + 1
    return i


def _forward_words(text: str, pos: int, hi: int, n: int) -> int:
    i = pos
    for _ in range(n):
        j = text.find(" ", min(hi, i + 1), hi)
        if j < 0:
            return hi
        i = j
    return i


@dataclass
class _EntityContext:
    """What every entity page is made from, worked out once for the collection."""
    glossary: Glossary
    short: dict
    by_entity: dict
    theme_of: dict
    doc_by_seed: dict
    position: dict
    sections: dict          # eid -> seed -> made beforehand (entity_sections), taken once
    orders: dict            # page order of a text's blocks, worked out once a text (for sections made here)

    def section(self, made: dict, d, eid: str) -> tuple[str, frozenset, dict]:
        if d.seed in made:
            return made[d.seed]
        order = self.orders.get(d.seed)
        if order is None:
            order = self.orders[d.seed] = page_block_order(d)
        return _entity_section(d, self.by_entity[eid][d.seed], order, self.short, self.glossary.abbreviations)


def iter_entity_pages(glossary: Glossary, docs, mentions: dict[str, list[Mention]], short: dict,
                      themes: list[Theme], sections: dict | None = None):
    """(path, page) of every entity, in the glossary's order, then the index of entities.

    sections: each text's sections of the entity pages made beforehand (entity_sections, in the text
    pages' workers, which hold the text already), as eid -> seed -> section; what is missing is made here.
    """
    by_entity: dict[str, dict[str, list[Mention]]] = defaultdict(lambda: defaultdict(list))
    for d in docs:
        for m in mentions.get(d.seed, []):
            by_entity[m.entity][d.seed].append(m)
    theme_of = defaultdict(list)
    for t in themes:
        for eid in t.entities:
            theme_of[eid].append(t)
    ctx = _EntityContext(glossary, short, by_entity, theme_of, {d.seed: d for d in docs},
                         {d.seed: i for i, d in enumerate(docs)}, sections if sections is not None else {}, {})
    # one page at a time, in this process: a page reads many texts, and a forked worker would copy every
    # page of this process's memory that it touched (measured: more memory than the time saved is worth)
    for eid in glossary.entities:
        yield _entity_page(ctx, eid)
    yield f"{ENTITY_DIR}/index.md", entity_index(glossary, by_entity)


def entity_pages(glossary: Glossary, docs, mentions: dict[str, list[Mention]], short: dict,
                 themes: list[Theme]) -> dict[str, str]:
    return dict(iter_entity_pages(glossary, docs, mentions, short, themes))


def entity_sections(d, mentions: list[Mention], short: dict, abbreviations: dict) -> dict[str, tuple]:
    """For each entity the text mentions: the text's section of that entity's page (its title and the
    passages, the mentions in bold), the forms of the name the text uses, and the abbreviations (of
    the glossary's) the section holds."""
    by_entity: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_entity[m.entity].append(m)
    order = page_block_order(d) if by_entity else {}
    return {eid: _entity_section(d, ms, order, short, abbreviations) for eid, ms in by_entity.items()}


def _entity_section(d, ms: list[Mention], order: dict, short: dict, abbreviations: dict) -> tuple[str, frozenset, dict]:
    page = f"{ENTITY_DIR}/index.md"     # every entity page is in this folder: links from each are the same
    lines = [f"### [{esc(short_title(d, short))}]({md_link(page, text_path(d))}) {{: #in-{d.slug} }}", ""]
    if short.get(d.slug) and d.meta.get("title"):
        lines += [esc(d.meta["title"]), "{: .ent-text-title }", ""]
    by_block = defaultdict(list)
    for m in ms:
        by_block[m.block].append(m)
    for bi in sorted(by_block, key=lambda i: (order.get(id(d.blocks[i]), 0), d.blocks[i].start)):
        spans = [(m.start, m.end) for m in sorted(by_block[bi], key=lambda m: m.start)]
        where = para_number(d, bi)
        lines.append(f"- [{esc(where)}]({md_link(page, text_path(d), d.blocks[bi].id)}){PREVIEW} "
                     f"{snippet(d, d.blocks[bi], spans)}")
    lines.append("")
    section = "\n".join(lines)
    return section, frozenset(doc_text(d, m) for m in ms), abbreviations_in(plain_text(section), abbreviations)


def _entity_page(ctx: _EntityContext, eid: str) -> tuple[str, str]:
    """The page of one entity: what it is, its other names, its themes, and every mention by text."""
    glossary = ctx.glossary
    e = glossary.entities[eid]
    page = entity_path(eid)
    per_doc = ctx.by_entity.get(eid, {})
    mentioned = [ctx.doc_by_seed[s] for s in sorted(per_doc, key=ctx.position.__getitem__)]
    made = ctx.sections.pop(eid, {})
    sections = [ctx.section(made, d, eid) for d in mentioned]
    n = sum(len(v) for v in per_doc.values())
    lines = front(e.name, e.summary())
    lines += [f"# {esc(e.name)}", ""]
    texts_word = "text" if len(per_doc) == 1 else "texts"
    lines += [f"{esc(e.kind_label)} · mentioned {n} {'time' if n == 1 else 'times'} in {len(per_doc)} {texts_word}",
              "{: .ent-meta }", "", esc(e.description), ""]
    seen_forms = sorted(frozenset().union(*(forms for _, forms, _ in sections)) - {e.name},
                        key=lambda f: (f.casefold(), f))
    if seen_forms:
        lines += ["Also written " + ", ".join(f"“{esc(f)}”" for f in seen_forms) + ".", "{: .ent-forms }", ""]
    if ctx.theme_of.get(eid):
        lines += ["Themes: " + ", ".join(f"[{esc(t.title)}]({md_link(page, theme_path(t.id))}){PREVIEW}"
                                         for t in ctx.theme_of[eid]) + ".", "{: .ent-themes }", ""]
    lines += ["## Mentions {: #mentions }", ""]
    if not per_doc:
        lines += ["No text mentions this by any of its names.", ""]
    head = "\n".join(lines)
    used = abbreviations_in(plain_text(head), glossary.abbreviations)      # and each section's, found with it
    for _, _, more in sections:
        used.update(more)
    body = "\n".join([head] + [section for section, _, _ in sections])
    body += "\n".join(definition_lines(used))
    return page, body.rstrip("\n") + "\n"


def doc_text(d, m: Mention) -> str:
    return d.text[m.start:m.name_end]


def entity_index(glossary: Glossary, by_entity) -> str:
    page = f"{ENTITY_DIR}/index.md"
    lines = front("Who and what", "People, organisations, AI models, places and ideas the texts mention, "
                                    "each with every mention across the collection.")
    lines += ["# Who and what", "",
              "Everyone and everything the texts mention that a reader may want to follow from one "
              "text to another. Each page gives a short description in the edition's words and lists "
              "every mention, grouped by text, with a link to the paragraph. In the texts themselves "
              "only the first mention of each name in the body and in each comment is a link.", ""]
    groups = defaultdict(list)
    for e in glossary.entities.values():
        groups[e.kind].append(e)
    for kind, (_, plural) in KINDS.items():
        if not groups.get(kind):
            continue
        lines += [f"## {esc(plural)} {{: #{kind} }}", ""]
        for e in sorted(groups[kind], key=lambda e: e.name.casefold()):
            per = by_entity.get(e.id, {})
            n = sum(len(v) for v in per.values())
            lines.append(f"- [{esc(e.name)}]({md_link(page, entity_path(e.id))}){PREVIEW} — {esc(e.summary())} "
                         f"({n} in {len(per)} {'text' if len(per) == 1 else 'texts'})")
        lines.append("")
    body = "\n".join(lines)
    body += "\n".join(abbreviation_lines(plain_text(body), glossary.abbreviations))
    return body.rstrip("\n") + "\n"
