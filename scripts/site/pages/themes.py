"""Themes: the cross-reference notes in each passage's margin, and one page per theme with its passages side by side."""
from __future__ import annotations

from collections import defaultdict

from ...core import escape
from ...text.annotate import Note
from ...text.crosslink import Glossary, abbreviation_lines
from .common import (PREVIEW, THEME_DIR, entity_path, esc, front, md_link, para_number, plain_text,
                     short_title, text_path, theme_path)
from .passages import Passage, Theme


def theme_notes(themes: list[Theme], short: dict) -> dict[str, list[Note]]:
    """A cross-reference margin note at every theme passage, keyed by seed."""
    out: dict[str, list[Note]] = defaultdict(list)
    for t in themes:
        for k, p in enumerate(t.passages):
            page = text_path(p.doc)
            others = defaultdict(list)
            for q in t.passages:
                if q is not p:
                    others[q.doc.slug].append(q)
            parts = []
            for slug, qs in others.items():
                d, q = qs[0].doc, qs[0]
                if d is p.doc:
                    label = "earlier on this page" if q.start < p.start else "later on this page"
                else:
                    label = short_title(d, short)
                parts.append(f"[{esc(label)}]({md_link(page, text_path(d), q.block_id)}){PREVIEW}")
            text = (f"[{esc(t.title)}]({md_link(page, theme_path(t.id))}){PREVIEW}"
                    + (f": {esc(p.note)}. " if p.note else ". ")
                    + "Also in " + ", ".join(parts) + ".")
            out[p.doc.seed].append(Note(f"x-{t.id}-{k + 1}", "cross-reference", text,
                                        p.sent_end, p.sent_end, file=p.file, line=p.line))
    return out


def passage_text(p: Passage, limit: int = 700) -> str:
    """The sentence(s) of a passage, escaped for the start of a line."""
    text = p.doc.text
    s, e = p.sent_start, p.sent_end
    lead = tail = ""
    if e - s > limit:
        s = max(s, p.start - limit // 3)
        e = min(e, max(p.end + limit // 3, s + limit))
        lead = "…" if s > p.sent_start else ""
        tail = "…" if e < p.sent_end else ""
    return escape.text(lead + text[s:e] + tail)


def theme_pages(themes: list[Theme], docs, short: dict, glossary: Glossary) -> dict[str, str]:
    pages = {}
    for t in themes:
        page = theme_path(t.id)
        lines = front(t.title, t.summary[:200])
        texts = []
        for p in t.passages:
            if p.doc not in texts:
                texts.append(p.doc)
        lines += [f"# {esc(t.title)}", "",
                  f"{len(t.passages)} passages in {len(texts)} texts", "{: .ent-meta }", "",
                  esc(t.summary), "{: .theme-summary }", ""]
        if t.entities:
            lines += ["Who and what: " + ", ".join(
                f"[{esc(glossary.entities[i].name)}]({md_link(page, entity_path(i))}){PREVIEW}" for i in t.entities)
                + ".", "{: .ent-themes }", ""]
        for d in [d for d in docs if d in texts]:
            lines += [f"## {esc(short_title(d, short))} {{: #in-{d.slug} }}", ""]
            if d.meta.get("title"):
                lines += [f"[{esc(d.meta['title'])}]({md_link(page, text_path(d))})", "{: .ent-text-title }", ""]
            for p in [p for p in t.passages if p.doc is d]:
                lines += ['<blockquote class="theme-passage" markdown>', "", passage_text(p), ""]
                where = para_number(d, p.block)
                lines += [f"[{esc(where)}, in context]({md_link(page, text_path(d), p.block_id)}){PREVIEW}"
                          + (f" · {esc(p.note)}" if p.note else ""), "{: .quote-cite }", "", "</blockquote>", ""]
        body = "\n".join(lines)
        body += "\n".join(abbreviation_lines(plain_text(body), glossary.abbreviations))
        pages[page] = body.rstrip("\n") + "\n"
    lines = front("Themes", "Claims and quotes that recur across the texts, set side by side.")
    lines += ["# Themes", "",
              "The texts often make the same claim or quote the same words. Each theme sets those "
              "passages side by side, with a few lines on where the texts agree and where they part. In the "
              "texts, a cross-reference note in the margin marks each passage and links to the others.", ""]
    for t in themes:
        n_texts = len({p.doc.slug for p in t.passages})
        lines += [f"- [{esc(t.title)}]({md_link(f'{THEME_DIR}/index.md', theme_path(t.id))}){PREVIEW} — "
                  f"{len(t.passages)} passages in {n_texts} texts"]
    lines.append("")
    body = "\n".join(lines)
    body += "\n".join(abbreviation_lines(plain_text(body), glossary.abbreviations))
    pages[f"{THEME_DIR}/index.md"] = body.rstrip("\n") + "\n"
    return pages
