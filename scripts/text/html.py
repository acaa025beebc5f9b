"""Saved web pages: from the HTML to the text form the other stages read.

A page saved as ``.html`` or ``.htm`` is kept in seeds/ as it was saved.  At
build time its main content is extracted with trafilatura (pinned in
requirements.txt) and written out in a plain text form with the structure
the HTML states, in the conventions the clean and structure stages know:

* the page title as a first line ``# TITLE``; headings as ``## Heading``;
* paragraphs separated by blank lines; ``- item`` and ``1. item`` lists;
* tables as pipe tables with a ``|---|`` separator row;
* block quotes as ``> `` lines; code as fenced blocks, line breaks and
  indentation kept;
* link text kept, addresses dropped; images dropped;
* after the post, each comment the page holds as a line
  ``Comment by AUTHOR · DATE`` (or ``Comment · DATE`` when the page names
  nobody; ``Reply (depth N) by AUTHOR · DATE`` for a reply N levels down
  the thread) and its paragraphs; ``comment_header`` in seeds/cleaning.yml
  turns that line into the comment's heading.

Comments are found here, not by trafilatura (which keeps their text but not
who wrote them): a short table of the markup that common comment systems
use (WordPress, Epoch, Hacker News, Reddit), with beautifulsoup4.  Tables
that only lay out the page (a table holding another table or whole
paragraphs) are unwrapped before extraction, so that the layout of a page
built with tables does not come out as a pipe table; data tables are
written from the page itself, cell by cell.

Nothing of the HTML reaches the page as markup: the text form is plain
text, and the renderer escapes it like any scrape.  The read stage records
the whole conversion as one change (see ``read.extract_html``).
"""
from __future__ import annotations

import importlib.metadata
import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, NavigableString, Tag, Comment as HtmlComment

SUFFIXES = (".html", ".htm")
EXTRACTOR = f"trafilatura {importlib.metadata.version('trafilatura')}"


def is_html(name: str) -> bool:
    return name.lower().endswith(SUFFIXES)


# --- charset -----------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{1,40})""", re.I)


def declared_charset(raw: bytes) -> str | None:
    """The charset a page declares in its first 4 KB (meta tag or XML declaration), or None."""
    head = raw[:4096]
    m = _XML_DECL.match(head) or _META_CHARSET.search(head)
    return m.group(1).decode("ascii").lower() if m else None


# --- metadata ----------------------------------------------------------------

@dataclass
class PageMeta:
    title: str = ""
    author: str = ""
    date: str = ""
    sitename: str = ""
    url: str = ""
    language: str = ""
    description: str = ""


def _attr(soup, selector: str, name: str) -> str:
    el = soup.select_one(selector)
    value = el.get(name) if el else None
    return " ".join(value.split()) if isinstance(value, str) else ""


def _title(soup, found: str, sitename: str) -> str:
    """The headline: the page's own first heading when the <title> holds it plus the site's name."""
    head = " ".join(soup.title.get_text().split()) if soup.title else ""
    og = _attr(soup, 'meta[property="og:title"]', "content")
    for h in soup.find_all(["h1", "h2"], limit=12):
        text = " ".join(h.get_text().split())
        if 3 <= len(text) <= 200 and (text == og or (head.startswith(text) and text != head)):
            return text
    title = og or found or head
    # "Headline ＜Site＞", "Headline 【Site】"
    title = re.sub(r"(?<=\S)\s*(?:＜[^＜＞]{2,60}＞|【[^【】]{2,60}】)$", "", title)
    # "Headline | Site" or "Headline - Site"
    m = re.fullmatch(r"(.{3,}?)\s+[|\-–—:·]\s+([^|\-–—]{2,60})", title)
    if m and sitename and (m.group(2).casefold().startswith(sitename.casefold().split(".")[0])
                           or sitename.casefold().startswith(m.group(2).casefold())):
        return m.group(1)
    return title


def _author(found: str) -> str:
    parts = []
    for p in re.split(r"\s*;\s*", found or ""):
        p = re.sub(r"^(?:view all posts by|posts by|by)\s+", "", p.strip(), flags=re.I)
        # a bare label ("作者", "Author") is no name
        if p and p.casefold() not in {x.casefold() for x in parts} and \
                p.casefold() not in ("author", "作者", "by", "admin"):
            parts.append(p)
    return "; ".join(parts)


def metadata(html_text: str, soup=None) -> PageMeta:
    import trafilatura
    soup = soup or BeautifulSoup(html_text, "lxml")
    found = trafilatura.extract_metadata(html_text)
    sitename = (found.sitename if found else "") or _attr(soup, 'meta[property="og:site_name"]', "content")
    url = _attr(soup, 'link[rel="canonical"]', "href") or _attr(soup, 'meta[property="og:url"]', "content") \
        or (found.url if found and found.url else "")
    lang = _attr(soup, "html", "lang") or _attr(soup, 'meta[http-equiv="content-language" i]', "content")
    return PageMeta(title=_title(soup, found.title if found and found.title else "", sitename or ""),
                    author=_author(found.author if found else ""), date=(found.date if found else "") or "",
                    sitename=sitename or "", url=url if url.startswith(("http://", "https://")) else "",
                    language=lang, description=(found.description if found else "") or "")


# --- comments ----------------------------------------------------------------

# (comment, author, date, body): CSS selectors of the markup of common
# comment systems.  The first system whose comment selector finds comments
# that have a body is used.
COMMENT_SYSTEMS = [
    ("WordPress", "article.comment-body, div.comment-body", ".comment-author .fn, .fn",
     ".comment-metadata time, time, .comment-metadata a", ".comment-content, .comment-text"),
    ("Epoch", "article.epoch-comment-body", ".epoch-author-link, .epoch-comment-author",
     ".epoch-comment-link, time", ".epoch-comment-content"),
    ("Hacker News", "tr.athing.comtr", ".hnuser", ".age", ".commtext"),
    ("Reddit", "div.Comment", '[data-testid="comment_author_link"]', '[data-testid="comment_timestamp"]',
     '[data-testid="comment"]'),
    ("Disqus", "div.post-content", ".post-byline .author, .author", ".post-meta time, time", ".post-message"),
]

# parts of a comment body that are its buttons, not its text
_BUTTONS = re.compile(r"(?:^|[-_ ])(?:reply|report|share|vote|flag|permalink|actions?)(?:$|[-_ ])", re.I)


@dataclass
class PageComment:
    author: str
    date: str
    blocks: list[str] = field(default_factory=list)
    depth: int = 0                 # 0 for a comment on the post, 1 for a reply to it, ...


MAX_DEPTH = 30
_LEVEL_LABEL = re.compile(r"\s*level ([1-9]\d?)\s*")


def comment_depths(elements: list[Tag]) -> list[int]:
    """How deep each comment stands in the thread, as the page's markup says: Hacker News writes
    it on the comment's indent cell (<td class="ind" indent="2">, or its spacer image 80 px wide),
    Reddit in a screen-reader label ("level 2"); threaded systems (WordPress, Disqus) put a reply
    inside the element that holds its parent."""
    holders = {id(el.parent) for el in elements if el.parent is not None}
    depths = []
    for el in elements:
        ind = el.select_one("td.ind")
        label = el.find(string=lambda t: bool(_LEVEL_LABEL.fullmatch(t)))
        if ind is not None:
            img = ind.find("img")
            level = ind.get("indent") or (int(img.get("width", 0)) // 40 if img and
                                          str(img.get("width", "")).isdigit() else 0)
            depths.append(min(int(level) if str(level).isdigit() else 0, MAX_DEPTH))
            continue
        if label is not None:
            depths.append(min(int(_LEVEL_LABEL.fullmatch(label).group(1)) - 1, MAX_DEPTH))
            continue
        # ancestors that hold another comment (not this one's own holder) are its parents' holders
        own = el.parent
        n = sum(1 for a in el.parents if a is not own and id(a) in holders)
        depths.append(min(n, MAX_DEPTH))
    return depths


def find_comments(soup) -> tuple[str, list[PageComment], list[Tag]]:
    """(system name, comments in page order, their elements) of the first comment system found."""
    for name, box, who, when, body in COMMENT_SYSTEMS:
        found, elements = [], []
        for el in soup.select(box):
            content = el.select_one(body)
            if content is None:
                continue
            for b in content.find_all(True):
                if b.parent is not None and _BUTTONS.search(" ".join(b.get("class") or [])):
                    b.decompose()
            blocks = to_blocks(content)
            if blocks:
                # a name box may hold the date too ("Ammon · March 11, 2017"): the name comes first
                author = _first_text(el, who, content).split(" · ")[0].strip()
                found.append(PageComment(author, _first_text(el, when, content), blocks))
                elements.append(el)
        if found:
            for c, depth in zip(found, comment_depths(elements)):
                c.depth = depth
            return name, found, elements
    return "", [], []


def _first_text(el: Tag, selectors: str, body: Tag) -> str:
    """The text of the first element the selectors find, in their order, outside the body, that has text."""
    for sel in selectors.split(","):
        for found in el.select(sel.strip()):
            if body in found.parents or found is body:
                continue
            text = _one_line(found.get_text())
            if text:
                return text
    return ""


def _one_line(s: str) -> str:
    return " ".join(s.split())


def drop_comment_section(elements: list[Tag]) -> None:
    """Remove the comments from the page, with the section around them when it holds little else.

    The section's own furniture ("22 more replies", vote counts, the reply
    form) goes with it; a container that also holds much other text (the
    post itself) stays, and only the comments leave it.
    """
    if not elements:
        return
    section = elements[0].parent
    while section is not None and not all(section in el.parents for el in elements):
        section = section.parent
    if section is not None and section.name not in ("body", "html", "[document]"):
        own = len(section.get_text(" ", strip=True))
        theirs = sum(len(el.get_text(" ", strip=True)) for el in elements)
        if own - theirs <= 0.5 * own:
            section.decompose()
            return
    for el in elements:
        el.decompose()


# --- HTML fragments to text blocks (comment bodies, data tables) ----------------

_BLOCK_TAGS = {"p", "div", "section", "article", "blockquote", "pre", "ul", "ol", "table", "h1", "h2", "h3",
               "h4", "h5", "h6", "figure", "figcaption", "dl", "hr", "form", "header", "footer", "aside"}
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "button", "input", "select", "textarea",
              "iframe", "img", "video", "audio", "canvas", "object", "head"}


def to_blocks(el: Tag) -> list[str]:
    """The text blocks of an HTML fragment in the text form (paragraphs, quotes, code, lists)."""
    blocks: list[str] = []
    buf: list[str] = []

    def flush():
        # lines parted by <br> stay one block, a line each (as in the main text)
        text = "".join(buf)
        buf.clear()
        lines = [_one_line(line) for line in text.split("\n")]
        if any(lines):
            blocks.append("\n".join(line for line in lines if line))

    for node in el.children:
        if isinstance(node, HtmlComment):
            continue
        if isinstance(node, NavigableString):
            # line ends inside an HTML text are spaces; only <br> breaks a line
            buf.append(re.sub(r"\s+", " ", str(node)))
            continue
        if not isinstance(node, Tag) or node.name in _SKIP_TAGS:
            continue
        if node.name == "br":
            buf.append("\n")
        elif node.name == "pre":
            flush()
            blocks.append(fence(node.get_text()))
        elif node.name in ("ul", "ol"):
            flush()
            items = [_one_line(li.get_text(" ")) for li in node.find_all("li", recursive=False)]
            items = [i for i in items if i]
            if items:
                blocks.append("\n".join(f"{n}. {i}" if node.name == "ol" else f"- {i}"
                                        for n, i in enumerate(items, 1)))
        elif node.name == "blockquote":
            flush()
            blocks += [quote(b) for b in to_blocks(node)]
        elif node.name == "table":
            flush()
            table = pipe_table(node)
            if table:
                blocks.append(table)
        elif node.name in _BLOCK_TAGS:
            flush()
            blocks += to_blocks(node)
        else:
            inner = to_blocks(node)
            buf.append(" ".join(inner) if len(inner) <= 1 else "\n".join(inner))
    flush()
    return blocks


def fence(code: str) -> str:
    code = code.strip("\n")
    ticks = "```"
    while ticks in code:
        ticks += "`"
    return f"{ticks}\n{code}\n{ticks}"


def quote(block: str) -> str:
    return "\n".join("> " + line if line else ">" for line in block.split("\n"))


def _cell(text: str) -> str:
    return _one_line(text).replace("|", "\\|")


def table_rows(table: Tag) -> list[list[str]]:
    rows = []
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:
            continue
        cells = [_cell(c.get_text(" ")) for c in tr.find_all(["td", "th"], recursive=False)]
        if any(cells):
            rows.append(cells)
    return rows


def pipe_table(table: Tag | list[list[str]]) -> str:
    rows = table_rows(table) if isinstance(table, Tag) else table
    if not rows:
        return ""
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return "\n".join(lines)


# --- breadcrumbs ----------------------------------------------------------------

_CRUMB_SEP = re.compile(r"\s+[>›»/]\s+")


def drop_breadcrumbs(soup) -> None:
    """Remove breadcrumb trails: "Home > Section > Page", every part but the last a link."""
    for el in soup.find_all(["p", "div", "td", "li", "span", "nav"]):
        if el.parent is None or el.find(["p", "div", "table", "ul", "ol", "h1", "h2", "h3"]):
            continue
        links = {_one_line(a.get_text()) for a in el.find_all("a")}
        if len(links) < 2:
            continue
        parts = _CRUMB_SEP.split(_one_line(el.get_text(" ")))
        if len(parts) >= 3 and all(part in links for part in parts[:-1]):
            el.decompose()


# --- layout tables -------------------------------------------------------------

def is_layout_table(table: Tag) -> bool:
    """A table that arranges the page rather than holding data."""
    if (table.get("role") or "").lower() in ("presentation", "none"):
        return True
    if table.find("table"):
        return True
    # one column: a stack of boxes, not a table of data
    if max((len(tr.find_all(["td", "th"], recursive=False)) for tr in table.find_all("tr")), default=0) <= 1:
        return True
    for cell in table.find_all(["td", "th"]):
        if cell.find(["p", "div", "ul", "ol", "h1", "h2", "h3", "blockquote", "pre", "form", "center"]):
            return True
        if len(cell.get_text()) > 400:
            return True
    return False


def unwrap_layout_tables(soup) -> list[Tag]:
    """Turn layout tables into plain containers; return the data tables left."""
    data = []
    for table in soup.find_all("table"):
        if is_layout_table(table):
            for el in [table, *table.find_all(["tbody", "thead", "tfoot", "tr", "td", "th", "caption"])]:
                if el.find_parent("table") in (table, None) or el is table:
                    el.name = "div"
        else:
            data.append(table)
    return [t for t in data if t.name == "table"]


# --- trafilatura's XML to the text form -----------------------------------------

def _inline(el) -> str:
    """The text of an element of trafilatura's XML, line breaks (<lb/>) kept."""
    parts = [el.text or ""]
    for child in el:
        if child.tag == "lb":
            parts.append("\n")
        elif child.tag != "graphic":
            parts.append(_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _para(el) -> str:
    lines = [_one_line(line) for line in _inline(el).split("\n")]
    return "\n".join(line for line in lines if line)


def _heading(el) -> str:
    level = {"h1": 2, "h2": 2, "h3": 3}.get(el.get("rend", ""), 4)
    text = _one_line(_inline(el))
    return f"{'#' * level} {text}" if text else ""


def _list(el, depth: int = 0) -> list[str]:
    lines = []
    ordered = el.get("rend") == "ol"
    n = 0
    for item in el:
        if item.tag != "item":
            continue
        n += 1
        nested = [c for c in item if c.tag == "list"]
        for c in nested:
            item.remove(c)
        text = _one_line(_inline(item))
        if text:
            lines.append("  " * depth + (f"{n}. " if ordered else "- ") + text)
        for c in nested:
            lines += _list(c, depth + 1)
    return lines


def _xml_table(el) -> list[list[str]]:
    rows = []
    for row in el.iter("row"):
        cells = [_cell(_inline(c)) for c in row if c.tag == "cell"]
        if any(cells):
            rows.append(cells)
    return rows


def _matching_table(rows: list[list[str]], tables: list[Tag], used: set) -> Tag | None:
    """The page's data table that trafilatura's table came from (most cells in common)."""
    cells = {c for r in rows for c in r if c}
    best, score = None, 0.0
    for i, t in enumerate(tables):
        if i in used:
            continue
        theirs = {c for r in table_rows(t) for c in r if c}
        if not theirs:
            continue
        s = len(cells & theirs) / len(cells | theirs)
        if s > score:
            best, score = i, s
    if best is not None and score >= 0.5:
        used.add(best)
        return tables[best]
    return None


def xml_to_blocks(root, tables: list[Tag]) -> list[str]:
    blocks: list[str] = []
    used: set = set()
    for el in root.iter("head", "p", "list", "table", "quote", "code"):
        # only top-level blocks: an element inside one already written is part of it
        if any(a.tag in ("list", "table", "quote", "code", "p", "head") for a in el.iterancestors()):
            continue
        if el.tag == "head":
            blocks.append(_heading(el))
        elif el.tag == "p":
            blocks.append(_para(el))
        elif el.tag == "list":
            blocks.append("\n".join(_list(el)))
        elif el.tag == "table":
            rows = _xml_table(el)
            source = _matching_table(rows, tables, used)
            blocks.append(pipe_table(source if source is not None else rows))
        elif el.tag == "quote":
            inner = [_para(c) if c.tag == "p" else _inline(c) for c in el] or [_inline(el)]
            blocks += [quote(_para_text(b)) for b in inner if _para_text(b)]
        elif el.tag == "code":
            text = "".join(el.itertext())
            blocks.append(fence(text) if "\n" in text.strip("\n") or el.getparent().tag == "main"
                          else _one_line(text))
    return [b for b in blocks if b.strip()]


def _para_text(s: str) -> str:
    return "\n".join(_one_line(line) for line in s.split("\n") if line.strip())


def restore_headings(soup, blocks: list[str]) -> list[str]:
    """Put back the section headings the extractor dropped, before the text that follows them on the page.

    trafilatura sometimes keeps a section's paragraphs but not its <h2>/<h3>
    (it falls back to a simpler extraction when a page holds a large table).
    A heading comes back only where the paragraph after it on the page
    starts a block of the extracted text.
    """
    have = {re.sub(r"^#+ ", "", b) for b in blocks if b.startswith("#")}
    starts = [_one_line(b)[:80] for b in blocks]
    inserts: dict[int, list[str]] = {}
    for h in soup.find_all(["h2", "h3", "h4"]):
        text = _one_line(h.get_text(" "))
        if not text or text in have or len(text) > 150:
            continue
        nxt = h.find_next(["p", "ul", "ol", "table", "pre", "blockquote"])
        after = _one_line(nxt.get_text(" "))[:80] if nxt else ""
        if len(after) < 20:
            continue
        for i, start in enumerate(starts):
            if start.startswith(after[:60]) or after.startswith(start[:60]) and len(start) >= 20:
                level = {"h2": 2, "h3": 3}.get(h.name, 4)
                inserts.setdefault(i, []).append(f"{'#' * level} {text}")
                have.add(text)
                break
    out = []
    for i, b in enumerate(blocks):
        out += inserts.get(i, [])
        out.append(b)
    return out


# --- the whole conversion ---------------------------------------------------------

# trafilatura's settings: its XML (whose elements say what each block is),
# with formatting, tables, no comments (found above, with their authors),
# no link targets or images; recall favoured over precision, since the
# clean stage's furniture rules come after
EXTRACT_OPTIONS = dict(output_format="xml", include_formatting=True, include_tables=True, include_comments=False,
                       include_links=False, include_images=False, deduplicate=False, with_metadata=False,
                       favor_recall=True)


@dataclass
class Extraction:
    text: str
    meta: PageMeta
    comment_system: str = ""
    comments: int = 0


def comment_header(c: PageComment) -> str:
    kind = f"Reply (depth {c.depth})" if c.depth else "Comment"
    head = f"{kind} by {c.author}" if c.author else kind
    return f"{head} · {c.date or 'undated'}" if (c.date or not c.author) else head


def extract(html_text: str) -> Extraction:
    """The text form of a saved page: title, main content, then its comments."""
    import trafilatura
    from lxml import etree

    soup = BeautifulSoup(html_text, "lxml")
    meta = metadata(html_text, soup)
    system, comments, elements = find_comments(soup)
    drop_comment_section(elements)
    drop_breadcrumbs(soup)
    tables = unwrap_layout_tables(soup)
    xml = trafilatura.extract(str(soup), **EXTRACT_OPTIONS)
    blocks = []
    if xml:
        root = etree.fromstring(xml.encode("utf-8"))
        main = root.find("main")
        blocks = xml_to_blocks(main if main is not None else root, tables)
    # the headline once, as the first line; the page's own copy of it goes
    blocks = restore_headings(soup, blocks)
    title = meta.title
    blocks = [b for b in blocks if not (title and re.fullmatch(r"(?:#+ )?" + re.escape(title), b))]
    parts = ([f"# {title}"] if title else []) + blocks
    for c in comments:
        parts.append(comment_header(c))
        parts += c.blocks
    return Extraction("\n\n".join(parts) + "\n", meta, system, len(comments))
