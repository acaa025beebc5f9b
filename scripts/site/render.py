"""Stage: render one Document as a Markdown page for MkDocs.

Everything from the scrape goes through ``escape.text``; the only markup on
the page is ours: headings, quotation blocks, attribute lists for permalinks,
and a few inline elements (restoration marks, margin notes, entity links).

The page has: front matter, the title, a source box, the body, the
comments, and "Changes from the scrape" with every change in the record.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

from ..core import escape
from ..text import read, structure

from ..core.model import FORM_KINDS, Block, Document, PositionMap
from ..core.inline import INLINE_KINDS, Inline, Placed, final_positions
from ..text import annotate

KIND_LABEL = {
    "encoding": "Encoding", "control": "Control character", "whitespace": "Whitespace",
    "boilerplate": "Boilerplate", "structure": "Structure", "unwrap": "Line join",
    "typo": "Typo", "censor": "Censor artefact", "spin": "Spin restored",
}


def _change_markup(p: Placed) -> tuple[str, str]:
    """One element per change: the edition's reading, the scraped one in a data attribute.

    The reason and the scraped reading reach the reader on demand (the
    script's tooltip, the "as scraped" view) and always in the change
    tables; they are kept out of the running text, the search index and
    the keyboard's path through the page.
    """
    c = p.change
    uncertain = c.data.get("uncertain") or c.confidence < 0.7
    cls = f"chg chg-{c.kind}" + (" chg-uncertain" if uncertain else "")
    # the reason's label is not repeated on every mark: the script reads it
    # from the class (its names are KIND_LABEL's for the inline kinds)
    return f'<span class="{cls}" id="chg-{p.number}" data-sic="{escape.attr(c.sic)}">', "</span>"


def render_inline(doc: Document, block: Block, items: list[Inline], ctx) -> str:
    """The block's text, escaped, with our inline markup woven in."""
    text = doc.text
    s0, e0 = block.start, block.end
    # drop spans that overlap an earlier-chosen span (changes first, then mentions)
    spans = sorted((i for i in items if i.kind != "note"), key=lambda i: (i.order, i.start))
    chosen: list[Inline] = []
    for i in spans:
        if i.start < s0 or i.end > e0:
            continue
        if any(i.start < j.end and j.start < i.end or (i.start == j.start and i.end == j.end) for j in chosen):
            continue
        chosen.append(i)
    chosen.sort(key=lambda i: i.start)
    notes = sorted((i for i in items if i.kind == "note"), key=lambda i: (i.end, i.order))
    # a note inside a span moves to the span's end
    for n in notes:
        for j in chosen:
            if j.start < n.end < j.end:
                n.end = j.end
    events = [(n.end, 0, n) for n in notes] + [(j.start, 1, j) for j in chosen]
    events.sort(key=lambda e: (e[0], e[1], e[2].order))
    out = []
    pos = s0
    last_note_at = None      # where the last call went, to join two calls with nothing between
    for p, _, obj in events:
        out.append(_esc_at(text, pos, p, s0))
        pos = max(pos, p)
        if obj.kind == "note":
            out.append(ctx.note_markup(obj.payload, joined=last_note_at == pos))
            last_note_at = pos
        elif obj.kind == "change":
            o, c = _change_markup(obj.payload)
            out.append(o + _esc_at(text, obj.start, obj.end, s0) + c)
            pos = obj.end
        else:
            out.append(ctx.mention_markup(obj.payload, _esc_at(text, obj.start, obj.end, s0)))
            pos = obj.end
    out.append(_esc_at(text, pos, e0, s0))
    return "".join(out)


def _esc_at(text: str, a: int, b: int, line_start: int) -> str:
    """Escape text[a:b]; only a piece that starts the line gets line-start escaping."""
    if b <= a:
        return ""
    piece = text[a:b]
    if a == line_start:
        return escape.text(piece)
    # not at the start of a line: protect against nothing line-initial
    return escape.text("x" + piece)[1:]


class Context:
    """What the renderer needs from the rest of the collection."""

    def __init__(self, link_entity=None, note_markup=None):
        self._link = link_entity
        self._note = note_markup
        self.notes_shown: list = []      # in page order, for the notes in full at the end

    def mention_markup(self, mention, inner: str) -> str:
        return self._link(mention, inner) if self._link else inner

    def note_markup(self, note, joined: bool = False) -> str:
        """A note's call and note; ``joined``: the call follows another call directly."""
        if not self._note:
            return ""
        self.notes_shown.append(note)
        return self._note(note, joined=True) if joined else self._note(note)


def comment_id(c) -> str:
    if c.number:
        return f"comment-{c.number}"
    return f"comment-{c.index + 1}"


def comment_heading(doc: Document, c) -> str:
    parts = []
    if c.author:
        parts.append(escape.text(c.author))
    else:
        parts.append(f"Reply {c.index + 1}" if doc.likes is not None else f"Comment {c.index + 1}")
    if c.time:
        parts.append(escape.text(c.time))
    if c.number:
        parts.append(f"No. {escape.text(c.number)}")
    if c.likes:
        parts.append(f"{escape.text(c.likes)} {'like' if c.likes == '1' else 'likes'}")
    if c.parent is not None:
        up = doc.comments[c.parent]
        parts.append("reply to " + (escape.text(up.author) if up.author else f"comment {up.index + 1}"))
    return " · ".join(parts)


MAX_SHOWN_DEPTH = 6     # deeper replies are drawn at this indent (the heading still names the parent)


def reply_box(c) -> tuple[list[str], list[str]]:
    """The lines that open and close a reply's indented box (none for a comment on the post)."""
    if not c.depth:
        return [], []
    return [f'<div class="comment-reply depth-{min(c.depth, MAX_SHOWN_DEPTH)}" markdown>', ""], ["</div>", ""]


def source_box(doc: Document) -> list[str]:
    src = doc.meta.get("source") or {}
    rows = [("Publication", src.get("publication")), ("Author", src.get("author")),
            ("Date", src.get("date")), ("Original address", src.get("url")), ("Kind", src.get("kind"))]
    out = ['<aside class="text-source" aria-label="About this text" markdown>', "",
           "<dl>"]
    for label, value in rows:
        value = " ".join((value or "unknown").split())
        if label == "Original address" and value.startswith(("http://", "https://")):
            shown = f'<a href="{escape.attr(value)}">{escape.text(value)}</a>'
        else:
            shown = escape.text(value)
        out.append(f"<dt>{label}</dt> <dd>{shown}</dd>")
    if src.get("language"):
        out.append(f"<dt>Language</dt> <dd>{escape.text(' '.join(src['language'].split()))}</dd>")
    reading = read.describe(doc)
    out.append(f"<dt>Scrape</dt> <dd><code class=\"seed-name\">{_breakable(doc.seed)}</code>"
               + (f" ({escape.text(reading)})" if reading else "") + "</dd>")
    out.append("</dl>")
    if src.get("note"):
        out += ["", escape.text(" ".join(src["note"].split())), "{: .source-note }"]
    if any(c.kind in INLINE_KINDS for c in doc.changes):
        out += ["", view_switch()]
    out += ["", "</aside>", ""]
    return out


VIEWS = (("clean", "Edition"), ("marked", "Changes marked"), ("scraped", "As scraped"))


def view_switch() -> str:
    """Three ways to read a changed text; shown only where the script can run it."""
    buttons = "".join(f'<button type="button" class="md-button view-{v}" data-view="{v}" aria-pressed="false">'
                      f"{label}</button>" for v, label in VIEWS)
    return (f'<p class="view-switch" hidden><span class="view-label" id="view-label">Show the text:</span> '
            f'<span role="group" aria-labelledby="view-label">{buttons}</span></p>')


def _breakable(name: str) -> str:
    """A file name that may break after its underscores and before its extension, nowhere else."""
    parts = [escape.text(x) for x in name.replace(".", "\0.").replace("_", "_\0").split("\0")]
    return "<wbr/>".join(p for p in parts if p)   # self-closed: parsers that know no void tags stay balanced


def render_page(doc: Document, ctx: Context | None = None, inline_extra=None, after_body=None) -> str:
    """The Markdown page for one document.

    ``inline_extra(doc)`` may return more Inline items (entity mentions,
    notes) keyed by block; ``after_body(doc)`` may add sections.
    """
    ctx = ctx or Context()
    placed = final_positions(doc)
    items: dict[int, list[Inline]] = defaultdict(list)
    block_index = {id(b): i for i, b in enumerate(doc.blocks)}
    for p in placed:
        if p.change.kind in INLINE_KINDS and p.block is not None:
            items[block_index[id(p.block)]].append(Inline(p.start, p.end, "change", p, order=0))
    if inline_extra:
        for bi, extra in inline_extra(doc).items():
            items[bi].extend(extra)

    title = doc.meta.get("title") or ""
    title_block = next((b for b in doc.blocks if b.kind == "title"), None)
    description = " ".join((doc.meta.get("summary") or "").split())
    lines = ["---", f"title: {escape.front_matter(title or (doc.block_text(title_block) if title_block else doc.slug))}",
             f"description: {escape.front_matter(description)}", "hide:", "  - toc",
             # marks the page as a text page for the template (classes ed-text), so the
             # styles that lay out text and margin notes need no costly :has() selector
             "edition_page: text", "---", ""]
    if title_block is not None:
        bi = block_index[id(title_block)]
        lines += [f"# {render_inline(doc, title_block, items[bi], ctx)} {{: #{title_block.id} }}", ""]
    else:
        lines += [f"# {escape.text(title)} {{: #title }}", "",
                  "The scrape has no title; this one is the edition’s.", "{: .edition-remark }", ""]
    lines += source_box(doc)

    body = [b for b in doc.blocks if b.section == "body" and b.kind != "title"]
    lines += _render_blocks(doc, body, items, block_index, ctx)

    if doc.comments:
        label = ((doc.meta.get("structure") or {}).get("comments") or {}).get("label") or \
            ("Replies" if doc.likes is not None else "Comments")
        lines += [f"## {escape.text(label)} {{: #comments }}", ""]
        if doc.likes is not None:
            lines += [f"The opening post above has {escape.text(doc.likes)} "
                      f"{'like' if doc.likes == '1' else 'likes'} on the board. The scrape kept no names "
                      "of the people who replied, so replies are numbered here in page order.",
                      "{: .edition-remark }", ""]
        for c in doc.comments:
            opening, closing = reply_box(c)
            lines += opening
            lines += [f"### {comment_heading(doc, c)} {{: #{comment_id(c)} .comment-heading }}", ""]
            cblocks = [b for b in doc.blocks if b.comment == c.index]
            if c.lost:
                lines += ["The scrape kept this comment's signature but not its text.",
                          "{: .edition-remark .comment-lost }", ""]
            lines += _render_blocks(doc, cblocks, items, block_index, ctx)
            lines += closing
    lines += annotate.endnote_lines(ctx.notes_shown)
    if after_body:
        lines += after_body(doc)
    lines += render_changes(doc, placed)
    return "\n".join(lines).rstrip("\n") + "\n"


def _render_blocks(doc, blocks, items, block_index, ctx) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if b.kind in ("quote", "tweet", "tweet-head"):
            group = [b]
            while i + 1 < len(blocks) and blocks[i + 1].group == b.group and b.group is not None:
                i += 1
                group.append(blocks[i])
            kinds = {g.kind for g in group}
            out.append('<blockquote class="' + ("tweet" if "tweet-head" in kinds or "tweet" in kinds else "quote")
                       + '" markdown>')
            out.append("")
            cite = None
            for g in group:
                inner = render_inline(doc, g, items[block_index[id(g)]], ctx)
                cls = " .tweet-head" if g.kind == "tweet-head" else ""
                out += _para(inner, items[block_index[id(g)]], g.id, cls)
                cite = cite or g.attrs.get("cite")
            if cite:
                out += [f"— {escape.text(cite)}", "{: .quote-cite }", ""]
            if any(g.attrs.get("guessed") for g in group):
                out += ["Marked as a quotation by a rule, not by the scrape.", "{: .quote-cite }", ""]
            out += ["</blockquote>", ""]
        elif b.kind in FORM_KINDS:
            out += render_form(doc, b)
        elif b.kind == "heading":
            level = "##" if b.section == "body" else "####"
            out += [f"{level} {render_inline(doc, b, items[block_index[id(b)]], ctx)} {{: #{b.id} }}", ""]
        else:
            its = items[block_index[id(b)]]
            cls = next((f" .{k}" for k in ("caption", "byline", "label") if b.attrs.get(k)), "")
            out += _para(render_inline(doc, b, its, ctx), its, b.id, cls)
        i += 1
    return out


# ------------------------------------------------------- lists, tables, code
# They keep the scrape's lines: no restoration marks, notes or entity links
# inside them.  Each sits in a <div> carrying its permalink id.

_ITEM = re.compile(r"[ \t]*(?P<marker>[-*•‣◦▪]|\d{1,3}[.)])[ \t]+")
_SEPARATOR = re.compile(r"\|?[ \t]*:?-{2,}:?[ \t]*(\|[ \t]*:?-{2,}:?[ \t]*)*\|?")
_LANG = re.compile(r"[\w+#.-]{1,30}")


def render_form(doc: Document, b: Block) -> list[str]:
    lines = doc.block_text(b).split("\n")
    body = {"list": _list_lines, "table": _table_lines, "code": _code_lines}[b.kind](lines, b.attrs)
    return [f'<div class="scraped-{b.kind}" id="{b.id}" markdown>', ""] + body + ["", "</div>", ""]


def _list_lines(lines: list[str], attrs: dict) -> list[str]:
    out = []
    for line in lines:
        if not line.strip():
            continue
        m = _ITEM.match(line)
        if m:
            mark = "1." if attrs.get("ordered") else "-"
            out.append(f"{mark} {escape.text(line[m.end():].strip())}")
        else:                      # a line continuing the item above it
            out.append("    " + escape.text(line.strip()))
    return out


def _table_lines(lines: list[str], attrs: dict) -> list[str]:
    rows = [l.strip() for l in lines if l.strip()]
    if attrs.get("infobox"):
        return _infobox_lines(rows)
    cells = [[c.strip() for c in r.strip("|").split("|")] for r in rows if not _SEPARATOR.fullmatch(r)]
    width = max(len(r) for r in cells)
    head = cells.pop(0) if attrs.get("header") and cells else [""] * width

    def row(cs):
        cs = list(cs) + [""] * (width - len(cs))
        return "| " + " | ".join(escape.text(c) if c else " " for c in cs) + " |"

    return [row(head), "|" + "---|" * width] + [row(r) for r in cells]


def _infobox_lines(rows: list[str]) -> list[str]:
    """A flattened infobox as a table of labels and values (a row header per label), without a
    header row; a line that is not split into the two spans both columns."""
    pairs = structure.infobox_rows(rows)
    out = ['<table class="infobox">', "<tbody>"]
    for key, value in pairs:
        if value is None:
            out.append(f'<tr><td colspan="2">{escape.text(key)}</td></tr>')
        else:
            out.append(f'<tr><th scope="row">{escape.text(key)}</th><td>{escape.text(value)}</td></tr>')
    return out + ["</tbody>", "</table>"]


def _code_lines(lines: list[str], attrs: dict) -> list[str]:
    out = []
    lang = attrs.get("lang") or ""
    if attrs.get("lang_line") and lines:
        out += [escape.text(lines[0].strip()), "{: .code-lang }", ""]
        lines = lines[1:]
    runs = [len(r) for r in re.findall(r"`+", "\n".join(lines))]
    fence = "`" * max(3, max(runs, default=0) + 1)
    info = lang.casefold() if _LANG.fullmatch(lang) else ""
    return out + [fence + info] + lines + [fence]


# Python-Markdown's inline pass takes time quadratic in the escapes of one
# paragraph: a very long one (a hostile scrape's 1 MB line) goes onto the page
# as the HTML it would render to, when it holds nothing but escaped text and
# change marks (both plain HTML already).
LONG_PARAGRAPH = 20_000


def _para(inner: str, its, bid: str, cls: str = "") -> list[str]:
    if len(inner) > LONG_PARAGRAPH and all(i.kind == "change" for i in its):
        klass = f' class="{cls.strip().lstrip(".")}"' if cls else ""
        return [f'<p id="{bid}"{klass}>{inner}</p>', ""]
    return [inner, f"{{: #{bid}{cls} }}", ""]


def changes_path(doc: Document) -> str:
    """Where a text's change tables stand: a page of their own beside the text's."""
    return f"texts/{doc.slug}/changes.md"


def render_changes(doc: Document, placed: list[Placed]) -> list[str]:
    """The text page's last section: what was changed, in counts, and where the tables are.

    The tables have a page of their own (render_changes_page): hundreds of
    rows would make the text page slow on a phone, even closed.
    """
    counts = Counter(p.change.kind for p in placed)
    out = ['## Changes from the scrape {: #changes data-search-exclude="1" }', ""]
    if not placed:
        return out + ["The edition changed nothing in this scrape.", ""]
    summary = ", ".join(f"{n} {KIND_LABEL.get(k, k).lower()}" for k, n in sorted(counts.items()))
    out += [f"The edition made {len(placed)} changes to the scrape ({summary}). The marked words in the "
            "text show their scraped reading when pointed at or tapped.", "",
            f"[Every change, with the scraped reading, the edition’s reading and the reason]({doc.slug}/changes.md)"
            f" · the full record, with which the raw scrape can be rebuilt byte for byte: "
            f"[{doc.slug}.json](../records/{doc.slug}.json)", "{: .changes-links }", ""]
    return out


CHANGE_GROUPS = [("Corrections and restorations", ["spin", "typo", "censor", "encoding", "control"]),
                 ("Structure and boilerplate", ["boilerplate", "structure", "unwrap"]),
                 ("Whitespace", ["whitespace"])]


def render_changes_page(doc: Document, placed: list[Placed] | None = None) -> str:
    """The page of a text's change tables: one row a change, each linked to its place in the text."""
    placed = final_positions(doc) if placed is None else placed
    title = doc.meta.get("title") or doc.slug
    q = escape.front_matter
    lines = ["---", f"title: {q('Changes: ' + title)}",
             f"description: {q(f'Every change the edition made to the scrape of {title}, with the reasons.')}",
             "hide:", "  - toc", "search:", "  exclude: true", "---", "",
             f"# Changes from the scrape {{: #changes-page }}", "",
             f"Every change the edition made to the scrape of [{escape.text(title)}](../{doc.slug}.md): "
             "the scraped reading, the edition’s reading, the reason, and a link to the place in the text. "
             f"The full record is [{doc.slug}.json](../../records/{doc.slug}.json).", ""]
    if not placed:
        return "\n".join(lines + ["The edition changed nothing in this scrape."]) + "\n"
    for group, kinds in CHANGE_GROUPS:
        rows = [p for p in placed if p.change.kind in kinds]
        if not rows:
            continue
        lines += [f"## {group} ({len(rows)})", "",
                  "| No. | Kind | Scraped | Edition | Reason | Where |",
                  "|---:|---|---|---|---|---|"]
        for p in rows:
            c = p.change
            where = ""
            if p.block is not None:
                target = f"chg-{p.number}" if c.kind in INLINE_KINDS else p.block.id
                where = f"[In the text](../{doc.slug}.md#{target})"
            conf = " (uncertain)" if (c.data.get("uncertain") or c.confidence < 0.7) else ""
            lines.append("| {} | {} | {} | {} | {} | {} |".format(
                p.number, KIND_LABEL.get(c.kind, c.kind) + conf, _cell(c.sic), _cell(c.corr),
                _reason_cell(c.reason), where))
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


# A text's change rows share a few dozen reasons ("Windows or old Mac line end made a plain
# newline", the spinner's readings): each is made into a cell once.
@lru_cache(maxsize=4096)
def _reason_cell(reason: str) -> str:
    return escape.text(curly(" ".join(reason.split())))


def curly(s: str) -> str:
    """The edition's own prose with typographic quotes: "x" to “x”, it's to it’s."""
    s = re.sub(r'(^|[\s(\[—–])"', "\\1“", s).replace('"', "”")
    return re.sub(r"(^|[\s(\[—–])'", "\\1‘", s).replace("'", "’")


@lru_cache(maxsize=4096)     # readings repeat too: a line end, a spun word and its original
def _cell(s: str, limit: int = 400) -> str:
    if not s:
        return "∅"
    shown = escape.visible_ws(s)
    if len(shown) > limit:
        shown = shown[:limit] + f" … ({len(s)} characters in all)"
    return escape.text(shown)
