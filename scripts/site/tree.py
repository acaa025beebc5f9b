"""The whole site as files: every page and asset the build writes to docs/.

``render_site`` is pure: documents in, a mapping of relative path to
content out.  ``build`` writes it; ``check`` renders it and throws it away,
so both see the same errors.
"""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from ..core import escape, parallel
from . import pages, render
from ..core.model import CHANGE_KINDS, Document, record_of

STATIC = Path(__file__).resolve().parent / "static"


def text_path(doc: Document) -> str:
    return f"texts/{doc.slug}.md"


# json.dumps with options builds an encoder at each call; a record makes one call a change
_RECORD_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True)


def record_json(doc: Document) -> str:
    """The record as JSON: one field a line, and one change a line (easy to read in a
    diff; each line is made by json's C encoder, which an indent would turn off)."""
    rec = record_of(doc)
    rec["clean_text"] = doc.text
    dump = _RECORD_ENCODER.encode
    lines = []
    for key in sorted(rec):
        value = rec[key]
        if isinstance(value, list) and value:
            value = "[\n  " + ",\n  ".join(dump(v) for v in value) + "\n ]"
        else:
            value = dump(value)
        lines.append(f" {dump(key)}: {value}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def shown_title(doc: Document) -> str:
    return doc.meta.get("title") or doc.slug


def by_title(docs: list[Document]) -> list[Document]:
    """Texts in the order a reader looks for them: by the title the site shows, then slug."""
    return sorted(docs, key=lambda d: (_title_key(d), d.slug))


def _text_entries(docs: list[Document], page: str, heading: str) -> list[str]:
    """Title (a `heading`, linked from `page`), source line and summary of every text, in the order given."""
    rows = []
    up = "../" * page.count("/")
    for d in docs:
        src = d.meta.get("source") or {}
        title = d.meta.get("title") or d.slug
        summary = " ".join((d.meta.get("summary") or "").split())
        rows += [f"{heading} [{escape.text(title)}]({up}{text_path(d)})", "",
                 f"{escape.text(src.get('publication') or 'unknown')} · {escape.text(src.get('date') or 'date unknown')}"
                 + (" · restored from a spun copy" if d.spun else ""),
                 "{: .text-meta }", "", escape.text(summary), ""]
    return rows


# A long list of texts is split into pages of this many, by title: an edit to one text's summary then
# changes one short page (MkDocs renders a page's headings in time that grows faster than their number).
TEXTS_PER_PAGE = 100
# The home page lists every text up to this many; a larger collection is reached through the Texts pages.
HOME_TEXTS = 12


def texts_page_path(k: int) -> str:
    """The k-th page (from 1) of the list of texts by title."""
    return "texts/index.md" if k == 1 else f"texts/by-title/{k}.md"


def _title_key(doc: Document) -> str:
    words = " ".join(shown_title(doc).split())
    return words.lstrip("\"'“‘«([¿¡ ").casefold() or words.casefold()


def _shortest_apart(a: str, b: str, most: int = 4) -> int:
    """Characters of a needed to tell it from b (at least one, at most `most`)."""
    n = 1
    while n < min(len(a), most) and a[:n] == b[:n]:
        n += 1
    return n


def texts_pages(docs: list[Document]) -> list[tuple[str, str, list[Document]]]:
    """The list of texts cut into pages: (path, label, texts) each, by title; a label is the span of
    titles the page holds ("Ap–Ch"), as short as telling it from its neighbours allows."""
    ordered = by_title(docs)
    chunks = [ordered[i:i + TEXTS_PER_PAGE] for i in range(0, len(ordered), TEXTS_PER_PAGE)] or [[]]
    out = []
    for k, chunk in enumerate(chunks):
        if not chunk:
            out.append((texts_page_path(k + 1), "", chunk))
            continue
        first, last = _title_key(chunk[0]), _title_key(chunk[-1])
        before = _title_key(chunks[k - 1][-1]) if k else ""
        after = _title_key(chunks[k + 1][0]) if k + 1 < len(chunks) else ""
        a = first[:_shortest_apart(first, before)] if before else first[:1]
        z = last[:_shortest_apart(last, after)] if after else last[:1]
        label = a.capitalize() if a == z else f"{a.capitalize()}–{z.capitalize()}"
        out.append((texts_page_path(k + 1), label, chunk))
    return out


def _pager(pages: list[tuple[str, str, list]], here: str | None) -> str:
    """Links to every page of the list of texts (the one shown, `here`, not a link)."""
    up = "../" * here.count("/") if here else ""
    links = []
    for path, label, chunk in pages:
        shown = escape.text(label or "–")
        if path == here:
            links.append(f"**{shown}**")
        else:
            span = f"{shown_title(chunk[0])} to {shown_title(chunk[-1])}, " if chunk else ""
            tip = escape.attr(f"{span}{len(chunk)} text{'' if len(chunk) == 1 else 's'}")
            links.append(f'[{shown}]({up}{path} "{tip}")')
    return " · ".join(links)


def home_page(docs: list[Document]) -> str:
    intro = (STATIC / "index.md").read_text(encoding="utf-8")
    intro = intro.replace("<!-- count -->", count_word(len(docs)))
    if len(docs) <= HOME_TEXTS:
        listing = _text_entries(by_title(docs), "index.md", "###")
    else:
        pages = texts_pages(docs)
        listing = [f"All {len(docs):,} texts are listed by title on [Texts](texts/index.md)"
                   + (f", {TEXTS_PER_PAGE} to a page:" if len(pages) > 1 else "."), ""]
        if len(pages) > 1:
            listing += [_pager(pages, None), "{: .texts-pager }", ""]
    return intro.replace("<!-- texts -->", "\n".join(listing).rstrip("\n"))


def texts_page(docs: list[Document]) -> str:
    """texts/index.md: the first (or only) page of the list of texts by title (see all_texts_pages)."""
    return all_texts_pages(docs)["texts/index.md"]


def all_texts_pages(docs: list[Document]) -> dict[str, str]:
    """Every text once, by title, with its source and summary, in pages of TEXTS_PER_PAGE (the
    navigation links to the first, not to each text); a pager on each page when there are several."""
    q = escape.front_matter
    pages = texts_pages(docs)
    out = {}
    for k, (path, label, chunk) in enumerate(pages, 1):
        if len(pages) == 1:
            title, desc = "Texts", f"All {len(docs)} texts of the edition, by title, with their source and summary."
        else:
            title = f"Texts {label}" if k > 1 else "Texts"
            desc = (f"Texts {label} of the edition's {len(docs):,}, by title, with their source and summary "
                    f"(page {k} of {len(pages)}).")
        head = ["---", f"title: {q(title)}", f"description: {q(desc)}", "---", "", f"# {escape.text(title)}", ""]
        pager = [_pager(pages, path), "{: .texts-pager }", ""] if len(pages) > 1 else []
        body = head + pager + _text_entries(chunk, path, "##") + pager
        out[path] = "\n".join(body).rstrip("\n") + "\n"
    return out


_NUMBER_WORDS = "no one two three four five six seven eight nine ten eleven twelve".split()


def count_word(n: int) -> str:
    """A count in words up to twelve, in figures after that (the collection's size in prose)."""
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else f"{n:,}"


def about_page() -> str:
    about = (STATIC / "about.md").read_text(encoding="utf-8")
    rows = ["| Kind | What it means |", "|---|---|"]
    for kind, meaning in CHANGE_KINDS.items():
        rows.append(f"| {render.KIND_LABEL.get(kind, kind)} | {escape.text(meaning[0].upper() + meaning[1:])} |")
    return about.replace("<!-- change-kinds -->", "\n".join(rows))


def _render_text(text_pages, item: tuple) -> tuple[str, str, str, dict]:
    """The page, the changes page and the record of one text, and its sections of the entity pages
    (item: extras.Extras.page_inputs, or the document and three Nones)."""
    d, notes, mentions, short = item
    ctx, inline_extra, after_body = (text_pages.for_doc(d, notes, mentions) if text_pages else (None, None, None))
    sections = (pages.entity_sections(d, mentions, short, text_pages.glossary.abbreviations)
                if text_pages and mentions else {})
    return (render.render_page(d, ctx, inline_extra, after_body), render.render_changes_page(d), record_json(d),
            sections)


def text_page_work(text_pages) -> dict:
    """What workers need for the text pages (core.parallel.Workers' shared); text_pages:
    extras.TextPageExtras, or None for pages without notes and links."""
    return {_render_text: text_pages}


def render_site(docs: list[Document], extras=None, cache=None, sink=None, workers=None) -> dict[str, str | bytes | int]:
    """Every generated file, keyed by its path inside docs/.

    sink(path, content), when given, receives each file as soon as it is
    made (the build writes it out), and the mapping returned holds only each
    file's length: a large collection's pages are then not all held in
    memory at once.

    cache (tools/build.BuildCache, used by serve) remembers each text's page
    and record, and the collection pages, under a hash of everything they
    are made from (cache.page_keys, cache.collection_key); a page whose key
    has not changed is taken from it instead of rendered again.  The text
    pages of a large collection are rendered in worker processes
    (core.parallel), in order.
    """
    files: dict[str, str | bytes | int] = {}

    def emit(path: str, content: str | bytes) -> None:
        if sink is None:
            files[path] = content
        else:
            sink(path, content)
            files[path] = len(content)

    for p in sorted(STATIC.rglob("*")):
        if p.is_file() and p.name not in ("index.md", "about.md"):
            emit(str(p.relative_to(STATIC)), p.read_bytes())
    for path, page in all_texts_pages(docs).items():
        emit(path, page)
    later = {"index.md": home_page(docs), "about.md": about_page()}   # extras may add abbreviations to them
    keys = {d.seed: cache.page_keys.get(d.seed) if cache else None for d in docs}
    hits = {d.seed: hit[1] for d in docs
            if keys[d.seed] and (hit := cache.pages.get(d.seed)) and hit[0] == keys[d.seed]}
    todo = [d for d in docs if d.seed not in hits]
    # each text goes to the workers as a copy (workers: forked early with text_page_work)
    inputs = [extras.page_inputs(d) if extras else (d, None, None, None) for d in todo]
    if workers is not None and todo:
        made = workers.imap(_render_text, inputs)
    else:
        made = parallel.imap_in_order(_render_text, inputs, extras.text_pages if extras else None)
    sections: dict[str, dict] = defaultdict(dict)     # eid -> seed -> the text's section of the entity's page
    for d in docs:
        if d.seed in hits:
            page, changes, record = hits[d.seed]
        else:
            page, changes, record, made_sections = next(made)
            if not cache:
                for eid, section in made_sections.items():
                    sections[eid][d.seed] = section
            if keys[d.seed]:
                cache.pages[d.seed] = (keys[d.seed], (page, changes, record))
        emit(text_path(d), page)
        emit(render.changes_path(d), changes)
        emit(f"records/{d.slug}.json", record)
    made.close()
    if workers is not None:
        workers.close(_render_text)                 # done: their memory is given back before the collection pages
    if extras:
        key = cache.collection_key if cache else None
        if cache and key and cache.collection and cache.collection[0] == key:
            later.update(cache.collection[1])
        elif cache and key:
            cache.collection = (key, extras.pages())
            later.update(cache.collection[1])
        else:                                       # each page written as it is made
            for path, content in extras.iter_pages(sections):
                later.pop(path, None)
                emit(path, content)
        later.update(extras.site_pages())           # home and About, with the abbreviations they use
    for path, content in later.items():
        emit(path, content)
    return files
