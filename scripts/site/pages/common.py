"""Paths and links between the edition's pages: a text's, an entity's, a theme's; Markdown and HTML hrefs."""
from __future__ import annotations

import functools
import html
import posixpath
from collections import defaultdict
from pathlib import Path

from ...core import escape


ENTITY_DIR = "who-and-what"
THEME_DIR = "themes"
PREVIEW = '{: data-preview="" }'


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


def svg_url(url: str) -> str:
    """A URL of ours (built from slugs and ids) for an HTML attribute."""
    return html.escape(url, quote=True)


def svg_text(s: str) -> str:
    """Text for SVG inside Markdown: escaped so no Markdown or HTML can form."""
    return escape.attr(s)


def front(title: str, description: str, hide_toc: bool = False) -> list[str]:
    q = escape.front_matter
    hide = ["hide:", "  - toc"] if hide_toc else []
    return ["---", f"title: {q(title)}", f"description: {q(description)}", *hide, "---", ""]


def plain_text(md: str) -> str:
    """Page text for finding abbreviations (character references decoded)."""
    return html.unescape(md)


def para_number(doc, block_index: int) -> str:
    """How links name a paragraph (see _block_labels)."""
    labels = getattr(doc, "_xl_labels", None)
    if labels is None or len(labels) != len(doc.blocks):
        labels = block_labels(doc)
        doc._xl_labels = labels
    return labels[block_index]


def block_labels(doc) -> list[str]:
    """How a link names a paragraph: readers see no paragraph numbers, so a
    paragraph of the body is named by its opening words, a comment's by its
    author (and opening words when the comment has several)."""
    index = {id(b): i for i, b in enumerate(doc.blocks)}
    labels = ["the title"] * len(doc.blocks)
    for x in doc.blocks:
        if x.section == "body" and x.kind != "title":
            labels[index[id(x)]] = opening(doc, x)
    per_comment = defaultdict(list)
    for x in doc.blocks:
        if x.section == "comments" and x.comment is not None:
            per_comment[x.comment].append(x)
    for ci, own in per_comment.items():
        c = doc.comments[ci]
        who = (f"{c.author}’s comment" if c.author else
               f"reply {c.index + 1}" if doc.likes is not None else f"comment {c.index + 1}")
        for x in own:
            labels[index[id(x)]] = who + (f", {opening(doc, x)}" if len(own) > 1 else "")
    return labels


def opening(doc, block, words: int = 5) -> str:
    """A paragraph's first few words in quotation marks: “China has long…”."""
    text = " ".join(doc.text[block.start:block.end].split())
    parts = text.split(" ")
    shown = " ".join(parts[:words]).rstrip(",;:.")
    return f"“{shown}{'…' if len(parts) > words else ''}”"
