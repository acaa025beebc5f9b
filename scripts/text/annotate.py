"""Stage: margin notes, anchored in the clean text.

Notes live in ``seeds/NAME.notes.yml`` beside each scrape.  Each is
anchored by a text-quote selector after the W3C Web Annotation model:
``exact`` (the quoted words), with optional ``prefix`` and ``suffix`` to
tell apart repeated words.  The anchor must match exactly one place and
lie inside one paragraph; if not, the build stops and names the data file,
the note and the nearest passage.

On the page a note is a numbered marker after the anchored words and the
note itself, which CSS places in the margin (wide screens), opens under
the line from the marker (narrow screens) or prints inline (print).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..core import anchors, datafiles
from ..core.errors import EditionError, rel
from ..core.inline import Inline

NOTE_LABEL = {"context": "Context", "fact-check": "Fact check", "editorial": "Editorial",
              "cross-reference": "Cross-reference"}


@dataclass
class Note:
    id: str
    kind: str
    text: str                       # our own words, inline Markdown
    start: int = 0
    end: int = 0
    verdict: str | None = None
    sources: list = field(default_factory=list)
    number: int = 0
    file: str = ""
    line: int | None = None


def notes_path(seeds: Path, doc) -> Path:
    return seeds / f"{doc.stem}.notes.yml"


@datafiles.same_file_same_result
def load_notes(path: Path) -> list[dict]:
    if not path.exists():
        return []
    data = datafiles.load_yaml(path)
    datafiles.validate(data, "notes", rel(path))
    seen = {}
    for n in data["notes"]:
        if n["id"] in seen:
            raise EditionError(rel(path), f"note id {n['id']!r} is used twice (first on line {seen[n['id']]})",
                               line=n.line, hint="give each note its own id")
        seen[n["id"]] = n.line
    return data["notes"]


def check_unique_ids(paths) -> None:
    """Refuse a note id used in two notes files.

    An id names its note everywhere in the edition (the anchor ``#sn-ID`` on
    the page, links to it, the search index), so one id must mean one note
    across the whole collection, not only within one file.  Paths are read in
    the order given; the error names the later file and line, and the first.
    """
    first: dict[str, tuple[str, int | None]] = {}
    for path in paths:
        file = rel(path)
        for n in load_notes(Path(path)):
            seen = first.get(n["id"])
            if seen and seen[0] != file:
                where = seen[0] if seen[1] is None else f"{seen[0]}:{seen[1]}"
                raise EditionError(file, f"note id {n['id']!r} is already used in {where}", line=n.line,
                                   hint="note ids must be unique across all notes files (the id is the "
                                        "note's anchor, #sn-ID); rename one of the two notes")
            first.setdefault(n["id"], (file, n.line))


# what quote marks never change inside: code spans, attribute lists, link targets, tags, web addresses
_PROTECTED = re.compile(r"`[^`]*`|\{:[^}]*\}|\]\([^)]*\)|<[^>\n]*>|https?://\S+")


def _curly(s: str) -> str:
    s = re.sub(r'(^|[\s(\[—–*_/])"', "\\1“", s).replace('"', "”")
    return re.sub(r"(^|[\s(\[—–*_/])'", "\\1‘", s).replace("'", "’")


def typographic(md: str) -> str:
    """Our own Markdown prose (a note, a source) with typographic quotes, "x" to “x”
    and it's to it’s, except in code spans, link targets, tags and addresses."""
    out, pos = [], 0
    for m in _PROTECTED.finditer(md):
        out += [_curly(md[pos:m.start()]), m.group()]
        pos = m.end()
    out.append(_curly(md[pos:]))
    return "".join(out)


def place(doc, raw_notes: list[dict], file: str) -> list[Note]:
    """Anchor every note in doc.text; number them in reading order."""
    placed = []
    for n in raw_notes:
        what = f"note {n['id']!r}"
        s, e = anchors.select(doc.text, n["exact"], n.get("prefix") or "", n.get("suffix") or "",
                              file=file, what=what, line=n.line)
        if not any(b.start <= s and e <= b.end for b in doc.blocks):
            raise EditionError(file, f"{what}: the quote {n['exact']!r} is not inside one paragraph "
                                     "(it spans a paragraph break, or lies in removed text)", line=n.line,
                               hint="quote words from a single paragraph of the clean text "
                                    "(`python -m scripts text SEED` prints it)")
        placed.append(Note(n["id"], n["kind"], typographic(n["text"]), s, e, n.get("verdict"),
                           [typographic(str(x)) for x in (n.get("sources") or [])], file=file, line=n.line))
    return placed


def number(doc, notes: list[Note]) -> None:
    """Number notes in the order a reader meets them (blocks in page order)."""
    page_order = page_block_order(doc)
    def key(n):
        b = block_of(doc, n)
        return (page_order.get(id(b), 0), n.end)
    for i, n in enumerate(sorted(notes, key=key), 1):
        n.number = i


def page_block_order(doc) -> dict:
    """Blocks in the order the page shows them: title, body, then comments by comment."""
    title = [b for b in doc.blocks if b.kind == "title"]
    body = [b for b in doc.blocks if b.section == "body" and b.kind != "title"]
    comments = sorted((b for b in doc.blocks if b.section == "comments"),
                      key=lambda b: (b.comment if b.comment is not None else -1, b.start))
    return {id(b): i for i, b in enumerate(title + body + comments)}


def block_of(doc, n: Note):
    for b in doc.blocks:
        if b.start <= n.start and n.end <= b.end:
            return b
    return None


def inline_items(doc, notes: list[Note]) -> dict[int, list[Inline]]:
    index = {id(b): i for i, b in enumerate(doc.blocks)}
    out: dict[int, list[Inline]] = {}
    for n in notes:
        b = block_of(doc, n)
        out.setdefault(index[id(b)], []).append(Inline(n.start, n.end, "note", n, order=n.number))
    return out


_URL = re.compile(r"https?://\S+")


def _source(s: str) -> str:
    """A source line; a bare address becomes a link."""
    s = " ".join(s.split())
    return _URL.sub(lambda m: f"<{m.group().rstrip('.,;)')}>" + m.group()[len(m.group().rstrip('.,;)')):], s)


# A note longer than this (its words and sources, as written) shows in the
# margin as its heading and first sentence, with the whole note among the
# notes in full at the end of the page: the margin keeps each note near its call.
MARGIN_CHARS = 200
LEAD_CHARS = 120
_SENTENCE_END = re.compile(r"[.!?][”’\"')]*\s")


def is_long(n: Note) -> bool:
    return len(" ".join(n.text.split())) + sum(len(s) for s in n.sources) > MARGIN_CHARS


def lead_split(body: str, limit: int = LEAD_CHARS) -> tuple[str, str, bool]:
    """A note's Markdown as (lead, rest, cut): the first sentence if it is short,
    else the words up to ``limit`` (cut=True); never inside a link or a tag."""
    depth, space, star = 0, 0, False
    for i, ch in enumerate(body):
        if ch == "*":
            star = not star
            continue
        if star:
            continue
        if ch in "[(<":
            depth += 1
        elif ch in "])>":
            depth = max(0, depth - 1)
        elif depth == 0 and ch == " ":
            if i > limit:
                break
            space = i
        elif depth == 0 and ch in ".!?" and i >= 20:
            m = _SENTENCE_END.match(body, i)
            if m and m.end() <= limit + 1:
                return body[:m.end()].rstrip(), body[m.end() - 1:], False
    if len(body) <= limit:
        return body, "", False
    if not space:
        return "", " " + body, False
    return body[:space], body[space:], True


def _head(n: Note) -> str:
    return f"{NOTE_LABEL[n.kind]}" + (f": {n.verdict}" if n.verdict else "")


def _sources(n: Note, cls: str) -> str:
    if not n.sources:
        return ""
    return (f'<span class="{cls}">Source{"s" if len(n.sources) > 1 else ""}: '
            + "; ".join(_source(s) for s in n.sources) + "</span>")


def note_markup(n: Note, slug: str = "", joined: bool = False) -> str:
    """Inline markup for one note: its number, a keyboard/tap toggle, and the note.

    ``joined``: the call follows another call with no text between; it is
    marked (class sn-joined) so that a comma keeps "1" and "2" from reading "12".

    The note is a <small> (a side comment) that the search index skips, so
    no note is glued to the words of the text in it.  A long note shows
    its heading, first sentence and a link here; its whole text is on the
    page once, printed and indexed among the notes in full (``endnote_lines``).
    """
    nid = f"sn-{n.id}"
    label = NOTE_LABEL[n.kind]
    body = " ".join(n.text.split())
    head = f'<span class="sn-kind">{n.number} · {_head(n)}</span>'
    if is_long(n):
        # the rest of a long note is on the page once, among the notes in
        # full; opened on a phone, edition.js copies it in under the lead
        lead, _rest, cut = lead_split(body)
        word = "check" if n.kind == "fact-check" else "note"
        inner = (f'{head} {lead}' + ("…" if cut else "")
                 + f' <a class="sn-more" href="#en-{n.id}">Whole {word}</a>')
        cls = f"sidenote sn-{n.kind} sn-long"
    else:
        inner = f"{head} {body}{_sources(n, 'sn-src')}"
        cls = f"sidenote sn-{n.kind}"
    ref_cls = "sn-ref sn-joined" if joined else "sn-ref"
    return (f'<label for="{nid}" class="{ref_cls}" id="{nid}-ref" data-search-exclude="1">{n.number}</label>'
            f'<input type="checkbox" id="{nid}" class="sn-toggle" aria-label="Note {n.number}, {label.lower()}: show or hide">'
            f'<small class="{cls}" role="note" aria-labelledby="{nid}-ref" data-search-exclude="1">{inner}</small>')


def endnote_lines(notes: list[Note]) -> list[str]:
    """The long notes in full, in page order, each with a link back to its call."""
    long_notes = [n for n in notes if is_long(n)]
    if not long_notes:
        return []
    out = ["## Notes in full {: #notes .endnotes-head }", ""]
    paras, lines = [], 0
    for n in long_notes:
        body = " ".join(n.text.split())
        paras += [f'<small class="en-kind" data-search-exclude="1">{n.number} · {_head(n)}</small> {body}'
                  f'{_sources(n, "en-src")} [Back to the text](#sn-{n.id}-ref){{: .en-back }}',
                  f"{{: #en-{n.id} .endnote }}", ""]
        lines += _phone_lines(body, n)
    # The notes stand in a box that a browser lays out only when it is
    # scrolled near (content-visibility in the edition's styles): a long page's first
    # layout on a phone skips them.  Until then the box takes the height
    # given here, at least the notes' height on the narrowest phone, so
    # that nothing after it is drawn over before it is laid out.
    height = lines * ENDNOTE_LINE_REM + len(long_notes) * ENDNOTE_GAP_REM
    out += [f'<div class="endnotes" style="contain-intrinsic-size: auto {height:.0f}rem" markdown>', ""]
    return out + paras + ["</div>", ""]


# A note in full on a 320 px phone: about 34 characters a line, each line
# 1.125rem high (.75rem type, line height 1.5), .75rem between notes.
ENDNOTE_CHARS_PER_LINE = 34
ENDNOTE_LINE_REM = 1.125
ENDNOTE_GAP_REM = 0.75
_MARKUP = re.compile(r"<[^>]+>|\]\([^)]*\)|[*\[]")


def _phone_lines(body: str, n: Note) -> int:
    """The lines a note in full takes on the narrowest phone, rounded up:
    its heading and words, its sources (a line of their own) and the link back."""
    words = len(_MARKUP.sub("", body)) + len(_head(n)) + 8 + len("Back to the text")
    lines = -(-words // ENDNOTE_CHARS_PER_LINE) + 1
    if n.sources:
        lines += -(-(len("Sources: ") + sum(len(s) + 2 for s in n.sources)) // ENDNOTE_CHARS_PER_LINE)
    return lines
