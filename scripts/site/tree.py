"""The whole site as files: every page and asset the build writes to docs/.

``render_site`` is pure: documents in, a mapping of relative path to
content out.  ``build`` writes it; ``check`` renders it and throws it away,
so both see the same errors.
"""
from __future__ import annotations

import json
from pathlib import Path

from ..core import escape
from . import render
from ..core.model import CHANGE_KINDS, Document, record_of

STATIC = Path(__file__).resolve().parent / "static"


def text_path(doc: Document) -> str:
    return f"texts/{doc.slug}.md"


def record_json(doc: Document) -> str:
    rec = record_of(doc)
    rec["clean_text"] = doc.text
    return json.dumps(rec, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def home_page(docs: list[Document]) -> str:
    intro = (STATIC / "index.md").read_text(encoding="utf-8")
    rows = []
    for d in docs:
        src = d.meta.get("source") or {}
        title = d.meta.get("title") or d.slug
        summary = " ".join((d.meta.get("summary") or "").split())
        rows += [f"### [{escape.text(title)}]({text_path(d)})", "",
                 f"{escape.text(src.get('publication') or 'unknown')} · {escape.text(src.get('date') or 'date unknown')}"
                 + (" · restored from a spun copy" if d.spun else ""),
                 "{: .text-meta }", "", escape.text(summary), ""]
    intro = intro.replace("<!-- count -->", count_word(len(docs)))
    return intro.replace("<!-- texts -->", "\n".join(rows).rstrip("\n"))


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


def render_site(docs: list[Document], extras=None) -> dict[str, str | bytes]:
    """Every generated file, keyed by its path inside docs/."""
    files: dict[str, str | bytes] = {}
    for p in sorted(STATIC.rglob("*")):
        if p.is_file() and p.name not in ("index.md", "about.md"):
            files[str(p.relative_to(STATIC))] = p.read_bytes()
    files["index.md"] = home_page(docs)
    files["about.md"] = about_page()
    for d in docs:
        ctx, inline_extra, after_body = (extras.for_doc(d) if extras else (None, None, None))
        files[text_path(d)] = render.render_page(d, ctx, inline_extra, after_body)
        files[f"records/{d.slug}.json"] = record_json(d)
    if extras:
        files.update(extras.pages())
    return files
