"""The timeline: dated events the texts mention, drawn as an inline SVG and listed."""
from __future__ import annotations

from ...core import escape
from ...text.crosslink import Glossary, abbreviation_lines
from .common import (PREVIEW, entity_path, esc, front, html_href, md_link, para_number, plain_text,
                     short_title, svg_text, svg_url, text_path)
from .passages import Event


STATUS_LABEL = {"verified": "Date checked", "unverified": "Date as the text gives it, not checked",
                "disputed": "Sources disagree, or the text has it wrong"}


# marks on the timeline strip stand this far apart (SVG units), across and up:
# room for the larger marks drawn on phones (the edition's styles), which never overlap
LANE = 15


def _timeline_lanes(xs: list[float]) -> list[tuple[float, int]]:
    """Each mark's x and its lane: the lowest lane whose last mark is far enough to the left."""
    lanes: dict[int, float] = {}
    placed = []
    for x in xs:
        lane = 0
        while lane in lanes and x - lanes[lane] < LANE:
            lane += 1
        lanes[lane] = x
        placed.append((x, lane))
    return placed


def timeline_svg(events: list[Event], page: str = "timeline.md", directory_urls: bool | None = None) -> str:
    """A strip of the years with one mark per event; the years since 2014 get more room."""
    def year_of(e):
        y = int(e.when[:4])
        return y + (int(e.when[5:7]) - 1) / 12 if len(e.when) >= 7 else y
    y0, split, y1 = 1960, 2014, 2025.4
    x0, xs, x1 = 24, 210, 700
    def xpos(y):
        if y <= split:
            return x0 + (xs - x0) * (y - y0) / (split - y0)
        return xs + (x1 - xs) * (y - split) / (y1 - split)
    placed = _timeline_lanes([xpos(year_of(e)) for e in events])
    top_lane = max((lane for _, lane in placed), default=0)
    axis = 9 + top_lane * LANE + 16
    height = axis + 26
    out = [f'<svg class="xl-timeline-strip" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 720 {height}" '
           f'width="100%" role="group" aria-labelledby="xl-timeline-title" font-family="inherit" font-size="13" '
           f'fill="currentColor">', '<title id="xl-timeline-title">The events on a line of years</title>',
           f'<line x1="{x0}" y1="{axis}" x2="{x1}" y2="{axis}" stroke="currentColor" stroke-opacity=".5"/>',
           f'<line x1="{xs}" y1="{max(4, axis - 60)}" x2="{xs}" y2="{axis + 4}" stroke="currentColor" stroke-opacity=".35" '
           f'stroke-dasharray="3 3"/>']
    for y in (1960, 1980, 2000, 2014, 2016, 2018, 2020, 2022, 2024):
        x = xpos(y)
        out.append(f'<line x1="{x:.0f}" y1="{axis}" x2="{x:.0f}" y2="{axis + 5}" stroke="currentColor" '
                   f'stroke-opacity=".5"/>')
        out.append(f'<text x="{x:.0f}" y="{axis + 20}" text-anchor="middle" fill-opacity=".85">{y}</text>')
    for e, (x, lane) in zip(events, placed):
        cy = axis - 9 - lane * LANE
        href = html_href(page, page, e.id, directory_urls=directory_urls)
        label = f"{e.date}: {e.title}"
        out.append(f'<a href="{svg_url(href)}" aria-label="{escape.attr(label)}"><title>{svg_text(label)}</title>'
                   f'<circle class="xl-dot xl-{e.status}" cx="{x:.1f}" cy="{cy:.0f}" r="5" fill="currentColor"/></a>')
    out.append("</svg>")
    return "\n".join(out)


def timeline_page(events: list[Event], docs, short: dict, glossary: Glossary) -> str:
    page = "timeline.md"
    lines = front("Timeline", "Dated events the texts mention, each linked to where it is mentioned.")
    lines += ["# Timeline", "",
              "Dated events the texts mention or rest on, from the first chatbot to the week DeepSeek shook "
              "the markets. Each says where the texts mention it. Dates were checked against the sources "
              "listed; those that could not be checked, or that the texts get wrong, are marked.", ""]
    if events:
        lines += ['<figure class="xl-figure">', timeline_svg(events, page),
                  "<figcaption>One mark per event; the years since 2014 are drawn wider. Each mark links to "
                  "its entry below. "
                  '<span class="xl-legend"><span class="xl-key xl-key-verified"></span> date checked · '
                  '<span class="xl-key xl-key-unverified"></span> not checked · '
                  '<span class="xl-key xl-key-disputed"></span> sources disagree, or the text has it wrong'
                  "</span></figcaption>", "</figure>", ""]
    for e in events:
        lines += [f"## {esc(e.date)}: {esc(e.title)} {{: #{e.id} .xl-event }}", "", esc(e.text), ""]
        where, seen = [], set()
        for m in e.mentions:
            if (m.doc.slug, m.block) in seen:
                continue
            seen.add((m.doc.slug, m.block))
            where.append(f"[{esc(short_title(m.doc, short))}, {esc(para_number(m.doc, m.block))}]"
                         f"({md_link(page, text_path(m.doc), m.block_id)}){PREVIEW}")
        meta = [f"Mentioned in: {'; '.join(where)}."]
        if e.entities:
            meta.append("Who and what: " + ", ".join(
                f"[{esc(glossary.entities[i].name)}]({md_link(page, entity_path(i))}){PREVIEW}" for i in e.entities) + ".")
        status = STATUS_LABEL[e.status]
        if e.sources:
            status += ": " + "; ".join(esc(s) for s in e.sources)
        meta.append(f"{status}.")
        lines += ["<br>".join(meta), f"{{: .xl-event-meta .xl-{e.status} }}", ""]
    body = "\n".join(lines)
    body += "\n".join(abbreviation_lines(plain_text(body), glossary.abbreviations))
    return body.rstrip("\n") + "\n"
