"""Connections: which texts share which themes and people, drawn as an inline SVG with a table beside it."""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

from ...core import escape
from ...text.crosslink import KINDS, Glossary, abbreviation_lines
from .common import (entity_path, esc, front, html_href, md_link, plain_text, short_title, svg_text, svg_url,
                     text_path, theme_path)


@dataclass
class Row:
    kind: str                 # "theme" or an entity kind
    id: str
    label: str
    page: str                 # docs path of its page
    counts: dict              # slug -> number of passages / mentions


def connection_rows(glossary: Glossary, docs, mentions, themes) -> list[Row]:
    rows = []
    for t in themes:
        c = Counter(p.doc.slug for p in t.passages)
        rows.append(Row("theme", t.id, t.title, theme_path(t.id), dict(c)))
    ents = []
    counts: dict[str, Counter] = defaultdict(Counter)
    for d in docs:
        for m in mentions.get(d.seed, []):
            counts[m.entity][d.slug] += 1
    for eid, e in glossary.entities.items():
        c = counts.get(eid, Counter())
        if len(c) >= 2:
            ents.append(Row(e.kind, eid, e.name, entity_path(eid), dict(c)))
    kind_order = list(KINDS)
    ents.sort(key=lambda r: (kind_order.index(r.kind), -len(r.counts), -sum(r.counts.values()), r.label.casefold(), r.id))
    return rows + ents


def connections_svg(rows: list[Row], docs, short: dict, page: str = "connections.md",
                    directory_urls: bool | None = None) -> str:
    """The picture: one row per theme or shared entity, one column per text.

    The row names are an HTML column beside the drawing, drawn at the same
    pixel rows, that stays in view (sticky) while the marks scroll sideways:
    with many texts, or on a phone, the names never scroll away.
    """
    # rows 24 px apart: each row's name is a link, and a tap target needs 24 px (WCAG 2.5.8)
    col_w, top, row_h, head_h = 88, 74, 24, 24
    width = col_w * len(docs) + 10
    sections = []
    for r in rows:
        sec = "theme" if r.kind == "theme" else r.kind
        if not sections or sections[-1][0] != sec:
            sections.append((sec, []))
        sections[-1][1].append(r)
    height = top + sum(head_h + row_h * len(rs) for _, rs in sections) + 10
    col_x = {d.slug: col_w * i + col_w / 2 + 5 for i, d in enumerate(docs)}
    names = {"theme": "Claims and quotes"} | {k: v[1] for k, v in KINDS.items()}
    labels = ['<div class="xl-labels">', f'<div class="xl-lhead" style="height:{top}px"></div>']
    out = [f'<svg class="xl-connections" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="group" aria-labelledby="xl-connections-title" '
           f'font-family="inherit" font-size="12" fill="currentColor">',
           '<title id="xl-connections-title">Which texts share which themes, people, organisations and ideas</title>']
    # column heads: the texts, each word clipped to its column
    for d in docs:
        x = col_x[d.slug]
        words = [_clip(w, 13) for w in _wrap(short_title(d, short), 12)]
        href = html_href(page, text_path(d), directory_urls=directory_urls)
        out.append(f'<a href="{svg_url(href)}" class="xl-col">'
                   f'<title>{svg_text(d.meta.get("title") or d.slug)}</title>')
        for i, w in enumerate(words[:3]):
            y = top - 14 - 14 * (len(words[:3]) - 1 - i)
            out.append(f'<text x="{x:.0f}" y="{y}" text-anchor="middle" font-weight="700">{svg_text(w)}</text>')
        out.append("</a>")
        out.append(f'<line class="xl-grid" x1="{x:.0f}" y1="{top - 4}" x2="{x:.0f}" y2="{height - 8}" '
                   f'stroke="currentColor" stroke-opacity=".12"/>')
    y = top
    for sec, rs in sections:
        y += head_h
        labels.append(f'<div class="xl-lsec" style="height:{head_h}px">{svg_text(names[sec])}</div>')
        for r in rs:
            cy = y + row_h / 2
            href = html_href(page, r.page, directory_urls=directory_urls)
            labels.append(f'<a class="xl-lrow" style="height:{row_h}px" href="{svg_url(href)}" '
                          f'title="{svg_text(r.label)}: {svg_text(_count_phrase(r))}">{svg_text(r.label)}</a>')
            xs = [col_x[s] for s in r.counts]
            if len(xs) > 1:
                out.append(f'<line class="xl-link" x1="{min(xs):.0f}" y1="{cy:.0f}" x2="{max(xs):.0f}" y2="{cy:.0f}" '
                           f'stroke="currentColor" stroke-opacity=".45" stroke-width="2"/>')
            for d in docs:
                n = r.counts.get(d.slug)
                if not n:
                    continue
                rad = min(9.0, 3.5 + 1.6 * math.sqrt(n))
                target = html_href(page, r.page, f"in-{d.slug}", directory_urls=directory_urls)
                shape_cls = "xl-dot xl-theme" if r.kind == "theme" else "xl-dot"
                what = "passage" if r.kind == "theme" else "mention"
                label = f"{r.label} in the {short_title(d, short)}: {n} {what}{'s' if n != 1 else ''}"
                x = col_x[d.slug]
                if r.kind == "theme":
                    shape = (f'<rect class="{shape_cls}" x="{x - rad:.1f}" y="{cy - rad:.1f}" width="{2 * rad:.1f}" '
                             f'height="{2 * rad:.1f}" rx="2" fill="currentColor"/>')
                else:
                    shape = f'<circle class="{shape_cls}" cx="{x:.1f}" cy="{cy:.1f}" r="{rad:.1f}" fill="currentColor"/>'
                out.append(f'<a href="{svg_url(target)}" aria-label="{escape.attr(label)}"><title>{svg_text(label)}</title>'
                           f'{shape}</a>')
            y += row_h
    out.append("</svg>")
    labels.append("</div>")
    return "\n".join(['<div class="xl-scroll" tabindex="0" role="region" '
                      'aria-label="The picture of connections, scrolls sideways">']
                     + labels + out + ["</div>"])


def _count(n: int) -> str:
    from ..tree import count_word
    return count_word(n)


def _count_phrase(r: Row) -> str:
    n = sum(r.counts.values())
    what = "passage" if r.kind == "theme" else "mention"
    return f"{n} {what}{'s' if n != 1 else ''} in {len(r.counts)} texts"


def _clip(s: str, n: int) -> str:
    return s if len(s) <= n else s[:n - 1].rstrip() + "…"


def _wrap(s: str, width: int) -> list[str]:
    words, lines = s.split(), []
    for w in words:
        if lines and len(lines[-1]) + 1 + len(w) <= width:
            lines[-1] += " " + w
        else:
            lines.append(w)
    return lines


MAX_COLUMNS, MAX_ROWS = 20, 100     # what the connections picture and tables show at most


def shown_connections(rows: list[Row], docs) -> tuple[list[Row], list, str]:
    """The rows and texts the connections page has room for, and a sentence saying what was left out.

    A small collection shows everything.  A large one would grow as names x
    texts (and the pairs table as texts x texts): it shows the MAX_COLUMNS
    texts that share the most rows and the first MAX_ROWS rows (themes, then
    the names most widely shared) that still join two of those texts.
    """
    if len(docs) <= MAX_COLUMNS and len(rows) <= MAX_ROWS:
        return rows, list(docs), ""
    weight = Counter(slug for r in rows for slug in r.counts)
    keep = {slug for slug, _ in weight.most_common(MAX_COLUMNS)}
    cols = [d for d in docs if d.slug in keep]
    cut = [Row(r.kind, r.id, r.label, r.page, {s: n for s, n in r.counts.items() if s in keep}) for r in rows]
    cut = [r for r in cut if len(r.counts) >= 2 or (r.kind == "theme" and r.counts)][:MAX_ROWS]
    note = (f"With {len(docs):,} texts and {len(rows):,} shared themes and names, the picture and the tables show "
            f"the {len(cols)} texts that share the most and {len(cut)} of the rows; each theme's and name's own "
            f"page lists all of its passages and mentions.")
    return cut, cols, note


def connections_page(glossary: Glossary, docs, mentions, themes, short: dict) -> str:
    page = "connections.md"
    rows, docs, note = shown_connections(connection_rows(glossary, docs, mentions, themes), docs)
    # no contents sidebar: the picture needs the width (it listed only the two table headings)
    lines = front("Connections", "Which texts share which themes, people, organisations and ideas.", hide_toc=True)
    lines += ["# Connections", "",
              "Each row is a claim that recurs across the texts (squares) or a person, organisation, model "
              "or idea that more than one text mentions (circles); each column is one of the "
              f"{_count(len(docs))} texts. "
              "The bigger the mark, the more passages or mentions; a line joins the texts that share the "
              "row. Every name and mark is a link: a row’s name leads to its page, a mark to that text’s "
              "mentions on it. The same information follows as tables.", ""]
    if note:
        lines += [esc(note), ""]
    lines += ['<figure class="xl-figure">', connections_svg(rows, docs, short, page),
              f"<figcaption>Themes and shared names across the {_count(len(docs))} texts, drawn from the edition’s data "
              "when the site is built. "
              '<span class="xl-legend"><span class="xl-key xl-key-theme"></span> a claim or quote the texts share · '
              '<span class="xl-key xl-key-name"></span> a name more than one text mentions · the bigger the mark, '
              "the more often; a line joins the texts that share a row.</span> "
              "The row names stay in view while the picture scrolls sideways.</figcaption>", "</figure>", ""]
    # table version
    heads = [f"[{esc(short_title(d, short))}]({md_link(page, text_path(d))})" for d in docs]
    lines += ["## As a table {: #table }", "",
              "Numbers are passages (for themes) or mentions (for everything else) in each text.", ""]
    lines += ["| Theme or name | Kind | " + " | ".join(heads) + " |",
              "|---|---|" + "---:|" * len(docs)]
    for r in rows:
        kind = "Theme" if r.kind == "theme" else KINDS[r.kind][0]
        cells = []
        for d in docs:
            n = r.counts.get(d.slug)
            cells.append(f"[{n}]({md_link(page, r.page, f'in-{d.slug}')})" if n else "—")
        lines.append(f"| [{esc(r.label)}]({md_link(page, r.page)}) | {kind} | " + " | ".join(cells) + " |")
    lines.append("")
    # text by text: how much they share
    lines += ["## Text by text {: #pairs }", "",
              "How many themes and names each pair of texts has in common.", ""]
    sets = {d.slug: {r.id for r in rows if d.slug in r.counts} for d in docs}
    lines += ["| Text | " + " | ".join(heads) + " |", "|---|" + "---:|" * len(docs)]
    for i, a in enumerate(docs):
        cells = []
        for b in docs:
            cells.append("—" if a is b else str(len(sets[a.slug] & sets[b.slug])))
        lines.append(f"| {heads[i]} | " + " | ".join(cells) + " |")
    lines.append("")
    body = "\n".join(lines)
    body += "\n".join(abbreviation_lines(plain_text(body), glossary.abbreviations))
    return body.rstrip("\n") + "\n"
