"""Pages that cross the texts: who and what, themes, connections, timeline.

* ``who-and-what/ID.md``: one page per entity in the glossary, with its
  description and every mention in the collection, grouped by text, each
  with the words around it and a link to its paragraph;
  ``who-and-what/index.md`` lists them by kind.
* ``themes/ID.md``: passages that make the same claim or carry the same
  quote in several texts, side by side, from ``seeds/themes.yml``; each
  passage also gets a cross-reference note in its text's margin.
* ``connections.md``: which texts share which themes and people, drawn at
  build time as an inline SVG (no script), with a table for screen readers.
* ``timeline.md``: dated events the texts mention, from ``seeds/timeline.yml``.

Scraped words reach these pages only through ``escape.text``; our own data
(names, descriptions, summaries) is escaped the same way, so none of it can
become markup.
"""
from __future__ import annotations

import functools

import html
import math
import posixpath
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from ..core import anchors, datafiles, escape
from ..text.annotate import Note, page_block_order
from ..text.crosslink import KINDS, Glossary, Mention, abbreviation_lines, abbreviations_in, definition_lines
from ..core.errors import EditionError, did_you_mean, rel

ENTITY_DIR = "who-and-what"
THEME_DIR = "themes"
PREVIEW = '{: data-preview="" }'
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_WHEN = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


# --- paths and links ---------------------------------------------------------

def text_path(doc) -> str:
    return f"texts/{doc.slug}.md"


def entity_path(eid: str) -> str:
    return f"{ENTITY_DIR}/{eid}.md"


def theme_path(tid: str) -> str:
    return f"{THEME_DIR}/{tid}.md"


def md_link(from_page: str, to_page: str, anchor: str = "") -> str:
    """A relative Markdown link target from one generated page to another."""
    if to_page == from_page:
        return f"#{anchor}" if anchor else posixpath.basename(to_page)
    target = _relpath(to_page, posixpath.dirname(from_page) or ".")
    return target + (f"#{anchor}" if anchor else "")


@functools.lru_cache(maxsize=65536)
def _relpath(to_page: str, from_dir: str) -> str:
    return posixpath.relpath(to_page, from_dir)


@functools.lru_cache(maxsize=None)
def _use_directory_urls() -> bool:
    import yaml
    cfg = Path(__file__).resolve().parents[2] / "mkdocs.yml"
    try:
        data = yaml.load(cfg.read_text(encoding="utf-8"), Loader=yaml.BaseLoader) or {}
    except (OSError, yaml.YAMLError):
        return True
    return str(data.get("use_directory_urls", "true")).lower() != "false"


def _url_of(page: str, directory_urls: bool) -> str:
    if not directory_urls:
        return page[:-3] + ".html"
    if page == "index.md":
        return ""
    if page.endswith("/index.md"):
        return page[:-len("index.md")]
    return page[:-3] + "/"


def html_href(from_page: str, to_page: str, anchor: str = "", directory_urls: bool | None = None) -> str:
    """A relative URL for raw HTML (SVG links), as MkDocs will lay the pages out."""
    if directory_urls is None:
        directory_urls = _use_directory_urls()
    if from_page == to_page and anchor:
        return f"#{anchor}"
    src = _url_of(from_page, directory_urls)
    dst = _url_of(to_page, directory_urls)
    src_dir = src if (src.endswith("/") or not src) else posixpath.dirname(src)
    url = posixpath.relpath(dst or ".", src_dir or ".")
    if directory_urls and (dst.endswith("/") or not dst):
        url = url.rstrip("/") + "/"
    return url + (f"#{anchor}" if anchor else "")


def frag(s: str) -> str:
    """Escape text that does not start a line (escape.text escapes line starts)."""
    return escape.text("x" + s)[1:] if s else ""


def esc(s: str) -> str:
    return escape.text(" ".join(s.split())) if s else ""


def short_title(doc, short: dict) -> str:
    return short.get(doc.slug) or doc.meta.get("title") or doc.slug


# --- anchoring passages --------------------------------------------------------

@dataclass
class Passage:
    doc: object
    start: int
    end: int
    block: int
    note: str = ""
    file: str = ""
    line: int | None = None
    sent_start: int = 0
    sent_end: int = 0

    @property
    def block_id(self) -> str:
        return self.doc.blocks[self.block].id


@dataclass
class Theme:
    id: str
    title: str
    summary: str
    entities: list[str]
    passages: list[Passage]
    line: int | None = None


@dataclass
class Event:
    id: str
    when: str
    date: str
    title: str
    text: str
    status: str
    sources: list[str]
    entities: list[str]
    mentions: list[Passage]
    line: int | None = None


def find_doc(name: str, docs, file: str, what: str, line: int | None):
    for d in docs:
        if name in (d.seed, d.stem, d.slug):
            return d
    names = [d.slug for d in docs] + [d.stem for d in docs]
    raise EditionError(file, f"{what}: no text called {name!r}", line=line,
                       hint=did_you_mean(name, names) or "use a text's slug: " + ", ".join(d.slug for d in docs))


_SENT_END = re.compile(r"[.!?…](?:[”’\"')\]]*)(?=\s|$)")


def sentence_span(text: str, s: int, e: int, b0: int, b1: int) -> tuple[int, int]:
    """The sentence(s) of the block [b0, b1) around the span [s, e)."""
    start = b0
    for m in _SENT_END.finditer(text, b0, s):
        start = m.end()
    while start < s and text[start].isspace():
        start += 1
    m = _SENT_END.search(text, max(e - 1, b0), b1)
    end = m.end() if m else b1
    return start, max(end, e)


def locate(doc, entry, file: str, what: str) -> Passage:
    line = getattr(entry, "line", None)
    s, e = anchors.select(doc.text, entry["exact"], entry.get("prefix") or "", entry.get("suffix") or "",
                          file=file, what=what, line=line)
    for i, b in enumerate(doc.blocks):
        if b.start <= s and e <= b.end:
            ss, se = sentence_span(doc.text, s, e, b.start, b.end)
            return Passage(doc, s, e, i, " ".join(str(entry.get("note") or "").split()), file, line, ss, se)
    raise EditionError(file, f"{what}: the quote {entry['exact']!r} is not inside one paragraph "
                             "(it spans a paragraph break, or lies in removed text)", line=line,
                       hint="quote words from a single paragraph of the clean text "
                            "(`python -m scripts text SEED` prints it)")


def _check_id(value: str, file: str, what: str, line, seen: dict) -> None:
    if not _ID.match(value):
        raise EditionError(file, f"{what} id {value!r} is not a lower-case slug", line=line,
                           hint="use lower-case letters, digits and single hyphens")
    if value in seen:
        raise EditionError(file, f"{what} id {value!r} is used twice (first on line {seen[value]})", line=line,
                           hint=f"give each {what} its own id")
    seen[value] = line


def themes_path(seeds: Path) -> Path:
    return Path(seeds) / "themes.yml"


def timeline_path(seeds: Path) -> Path:
    return Path(seeds) / "timeline.yml"


def load_themes(path: Path, docs, glossary: Glossary) -> tuple[list[Theme], dict[str, str]]:
    """The themes and the short titles of the texts; nothing when the file is missing."""
    path = Path(path)
    file = rel(path)
    if not path.exists():
        return [], {}
    data = datafiles.load_yaml(path)
    datafiles.validate(data, "themes", file)
    short = {}
    slines = getattr(data.get("short_titles") or {}, "lines", {})
    for k, v in (data.get("short_titles") or {}).items():
        d = find_doc(str(k), docs, file, "short_titles", slines.get(k))
        if not isinstance(v, str) or not v.strip():
            raise EditionError(file, f"short_titles: the title of {k!r} should be a line of text", line=slines.get(k))
        short[d.slug] = " ".join(v.split())
    themes, seen = [], {}
    for t in data["themes"]:
        line = getattr(t, "line", None)
        _check_id(t["id"], file, "theme", line, seen)
        glossary.check_ids(t.get("entities"), file, f"theme {t['id']!r}", getattr(t, "lines", {}).get("entities", line))
        passages = []
        for k, p in enumerate(t["passages"]):
            pline = getattr(p, "line", line)
            what = f"theme {t['id']!r}, passage {k + 1}"
            d = find_doc(p["text"], docs, file, what, pline)
            passages.append(locate(d, p, file, what))
        texts = {p.doc.slug for p in passages}
        if len(texts) < 2:
            raise EditionError(file, f"theme {t['id']!r} has passages in only one text", line=line,
                               hint="a theme links the same claim across texts: add a passage from another text")
        spans = sorted((p.doc.slug, p.start, p.end, p.line) for p in passages)
        for a, b in zip(spans, spans[1:]):
            if a[0] == b[0] and b[1] < a[2]:
                raise EditionError(file, f"theme {t['id']!r}: two passages overlap (lines {a[3]} and {b[3]})",
                                   line=b[3], hint="quote each passage once")
        themes.append(Theme(t["id"], " ".join(t["title"].split()), " ".join(t["summary"].split()),
                            list(t.get("entities") or []), passages, line))
    # a passage may belong to one theme only: its margin note names one theme
    where = {}
    for t in themes:
        for p in t.passages:
            key = (p.doc.slug, p.sent_start, p.sent_end)
            if key in where:
                raise EditionError(file, f"theme {t.id!r}: the sentence of the passage on line {p.line} is already "
                                         f"a passage of theme {where[key][0]!r} (line {where[key][1]})", line=p.line,
                                   hint="quote another sentence, or keep the passage in one theme")
            where[key] = (t.id, p.line)
    return themes, short


def load_timeline(path: Path, docs, glossary: Glossary) -> list[Event]:
    path = Path(path)
    file = rel(path)
    if not path.exists():
        return []
    data = datafiles.load_yaml(path)
    import datetime
    for ev in (data.get("events") or []) if isinstance(data, dict) else []:
        # YAML reads an unquoted 2025-01-20 as a date; a bare 2015 as a number
        if isinstance(ev, dict) and isinstance(ev.get("when"), (datetime.date, int)):
            ev["when"] = ev["when"].isoformat() if isinstance(ev["when"], datetime.date) else str(ev["when"])
    datafiles.validate(data, "timeline", file)
    events, seen = [], {}
    for ev in data["events"]:
        line = getattr(ev, "line", None)
        lines = getattr(ev, "lines", {})
        _check_id(ev["id"], file, "event", line, seen)
        if not _WHEN.match(ev["when"]):
            raise EditionError(file, f"event {ev['id']!r}: 'when' is {ev['when']!r}, not a date", line=lines.get("when"),
                               hint="write YYYY, YYYY-MM or YYYY-MM-DD (quote a bare year: \"2015\")")
        glossary.check_ids(ev.get("entities"), file, f"event {ev['id']!r}", lines.get("entities", line))
        if ev["status"] == "verified" and not ev.get("sources"):
            raise EditionError(file, f"event {ev['id']!r} is marked verified but lists no sources", line=line,
                               hint="list where the date was checked, or mark it 'unverified'")
        mentions = []
        for k, m in enumerate(ev["mentions"]):
            what = f"event {ev['id']!r}, mention {k + 1}"
            d = find_doc(m["text"], docs, file, what, getattr(m, "line", line))
            mentions.append(locate(d, m, file, what))
        if not mentions:
            raise EditionError(file, f"event {ev['id']!r} has no mentions", line=line,
                               hint="the timeline lists events the texts mention; quote where")
        events.append(Event(ev["id"], ev["when"], " ".join(str(ev["date"]).split()), " ".join(ev["title"].split()),
                            " ".join(ev["text"].split()), ev["status"], [" ".join(s.split()) for s in ev.get("sources") or []],
                            list(ev.get("entities") or []), mentions, line))
    events.sort(key=lambda e: (e.when, e.line or 0))
    return events


# --- cross-reference notes -----------------------------------------------------

def _para_number(doc, block_index: int) -> str:
    """How links name a paragraph (see _block_labels)."""
    labels = getattr(doc, "_xl_labels", None)
    if labels is None or len(labels) != len(doc.blocks):
        labels = _block_labels(doc)
        doc._xl_labels = labels
    return labels[block_index]


def _block_labels(doc) -> list[str]:
    """How a link names a paragraph: readers see no paragraph numbers, so a
    paragraph of the body is named by its opening words, a comment's by its
    author (and opening words when the comment has several)."""
    index = {id(b): i for i, b in enumerate(doc.blocks)}
    labels = ["the title"] * len(doc.blocks)
    for x in doc.blocks:
        if x.section == "body" and x.kind != "title":
            labels[index[id(x)]] = _opening(doc, x)
    per_comment = defaultdict(list)
    for x in doc.blocks:
        if x.section == "comments" and x.comment is not None:
            per_comment[x.comment].append(x)
    for ci, own in per_comment.items():
        c = doc.comments[ci]
        who = (f"{c.author}’s comment" if c.author else
               f"reply {c.index + 1}" if doc.likes is not None else f"comment {c.index + 1}")
        for x in own:
            labels[index[id(x)]] = who + (f", {_opening(doc, x)}" if len(own) > 1 else "")
    return labels


def _opening(doc, block, words: int = 5) -> str:
    """A paragraph's first few words in quotation marks: “China has long…”."""
    text = " ".join(doc.text[block.start:block.end].split())
    parts = text.split(" ")
    shown = " ".join(parts[:words]).rstrip(",;:.")
    return f"“{shown}{'…' if len(parts) > words else ''}”"


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


# --- entity links in the text ----------------------------------------------------

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


# --- snippets ----------------------------------------------------------------------

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


# --- entity pages --------------------------------------------------------------------

def _front(title: str, description: str, hide_toc: bool = False) -> list[str]:
    q = escape.front_matter
    hide = ["hide:", "  - toc"] if hide_toc else []
    return ["---", f"title: {q(title)}", f"description: {q(description)}", *hide, "---", ""]


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
        where = _para_number(d, bi)
        lines.append(f"- [{esc(where)}]({md_link(page, text_path(d), d.blocks[bi].id)}){PREVIEW} "
                     f"{snippet(d, d.blocks[bi], spans)}")
    lines.append("")
    section = "\n".join(lines)
    return section, frozenset(doc_text(d, m) for m in ms), abbreviations_in(_plain(section), abbreviations)


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
    lines = _front(e.name, e.summary())
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
    used = abbreviations_in(_plain(head), glossary.abbreviations)      # and each section's, found with it
    for _, _, more in sections:
        used.update(more)
    body = "\n".join([head] + [section for section, _, _ in sections])
    body += "\n".join(definition_lines(used))
    return page, body.rstrip("\n") + "\n"


def doc_text(d, m: Mention) -> str:
    return d.text[m.start:m.name_end]


def _plain(md: str) -> str:
    """Page text for finding abbreviations (character references decoded)."""
    return html.unescape(md)


def entity_index(glossary: Glossary, by_entity) -> str:
    page = f"{ENTITY_DIR}/index.md"
    lines = _front("Who and what", "People, organisations, AI models, places and ideas the texts mention, "
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
    body += "\n".join(abbreviation_lines(_plain(body), glossary.abbreviations))
    return body.rstrip("\n") + "\n"


# --- theme pages ------------------------------------------------------------------------

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
        lines = _front(t.title, t.summary[:200])
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
                where = _para_number(d, p.block)
                lines += [f"[{esc(where)}, in context]({md_link(page, text_path(d), p.block_id)}){PREVIEW}"
                          + (f" · {esc(p.note)}" if p.note else ""), "{: .quote-cite }", "", "</blockquote>", ""]
        body = "\n".join(lines)
        body += "\n".join(abbreviation_lines(_plain(body), glossary.abbreviations))
        pages[page] = body.rstrip("\n") + "\n"
    lines = _front("Themes", "Claims and quotes that recur across the texts, set side by side.")
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
    body += "\n".join(abbreviation_lines(_plain(body), glossary.abbreviations))
    pages[f"{THEME_DIR}/index.md"] = body.rstrip("\n") + "\n"
    return pages


# --- connections --------------------------------------------------------------------------

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
        out.append(f'<a href="{_u(href)}" class="xl-col">'
                   f'<title>{_x(d.meta.get("title") or d.slug)}</title>')
        for i, w in enumerate(words[:3]):
            y = top - 14 - 14 * (len(words[:3]) - 1 - i)
            out.append(f'<text x="{x:.0f}" y="{y}" text-anchor="middle" font-weight="700">{_x(w)}</text>')
        out.append("</a>")
        out.append(f'<line class="xl-grid" x1="{x:.0f}" y1="{top - 4}" x2="{x:.0f}" y2="{height - 8}" '
                   f'stroke="currentColor" stroke-opacity=".12"/>')
    y = top
    for sec, rs in sections:
        y += head_h
        labels.append(f'<div class="xl-lsec" style="height:{head_h}px">{_x(names[sec])}</div>')
        for r in rs:
            cy = y + row_h / 2
            href = html_href(page, r.page, directory_urls=directory_urls)
            labels.append(f'<a class="xl-lrow" style="height:{row_h}px" href="{_u(href)}" '
                          f'title="{_x(r.label)}: {_x(_count_phrase(r))}">{_x(r.label)}</a>')
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
                out.append(f'<a href="{_u(target)}" aria-label="{escape.attr(label)}"><title>{_x(label)}</title>'
                           f'{shape}</a>')
            y += row_h
    out.append("</svg>")
    labels.append("</div>")
    return "\n".join(['<div class="xl-scroll" tabindex="0" role="region" '
                      'aria-label="The picture of connections, scrolls sideways">']
                     + labels + out + ["</div>"])


def _count(n: int) -> str:
    from .tree import count_word
    return count_word(n)


def _count_phrase(r: Row) -> str:
    n = sum(r.counts.values())
    what = "passage" if r.kind == "theme" else "mention"
    return f"{n} {what}{'s' if n != 1 else ''} in {len(r.counts)} texts"


def _u(url: str) -> str:
    """A URL of ours (built from slugs and ids) for an HTML attribute."""
    return html.escape(url, quote=True)


def _x(s: str) -> str:
    """Text for SVG inside Markdown: escaped so no Markdown or HTML can form."""
    return escape.attr(s)


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
    lines = _front("Connections", "Which texts share which themes, people, organisations and ideas.", hide_toc=True)
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
    body += "\n".join(abbreviation_lines(_plain(body), glossary.abbreviations))
    return body.rstrip("\n") + "\n"


# --- timeline ------------------------------------------------------------------------------

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
        out.append(f'<a href="{_u(href)}" aria-label="{escape.attr(label)}"><title>{_x(label)}</title>'
                   f'<circle class="xl-dot xl-{e.status}" cx="{x:.1f}" cy="{cy:.0f}" r="5" fill="currentColor"/></a>')
    out.append("</svg>")
    return "\n".join(out)


def timeline_page(events: list[Event], docs, short: dict, glossary: Glossary) -> str:
    page = "timeline.md"
    lines = _front("Timeline", "Dated events the texts mention, each linked to where it is mentioned.")
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
            where.append(f"[{esc(short_title(m.doc, short))}, {esc(_para_number(m.doc, m.block))}]"
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
    body += "\n".join(abbreviation_lines(_plain(body), glossary.abbreviations))
    return body.rstrip("\n") + "\n"
