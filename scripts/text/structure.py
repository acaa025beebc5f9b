"""Stage 3, structure: recover the title, headings, quotes, tweets and comments.

Input is the cleaned text, one paragraph per line with a blank line between
paragraphs.  Output is ``doc.blocks`` and ``doc.comments``.  Markers that
only carried structure (a leading ">", a commenter's avatar line, a
"Posted by" signature, a like counter) leave the text; each removal is in
the record with what it told us (author, time, number, likes).

What a rule cannot tell (where a quotation without quote marks begins and
ends, which short lines are headings, where the comment section begins)
comes from the scrape's data file; when the data file is silent, simple
rules give a first guess that a maintainer can correct there.
"""
from __future__ import annotations

import hashlib
import re

from ..core import anchors
from ..core.corpus import Rules
from ..core.model import Block, Comment, Document, Edit

HEADING_END = re.compile(r"[.,;:!\"”’)]$")


def paragraphs(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for p in text.split("\n\n"):
        if p:
            out.append((pos, p))
        pos += len(p) + 2
    return out


def _looks_like_title(p: str, rules: Rules) -> bool:
    return len(p) <= 150 and not rules.structural(p) and not re.search(r"[.:,;]$", p)


def _looks_like_heading(p: str, nxt: str | None) -> bool:
    return (nxt is not None and len(p) < 100 and len(p.split()) <= 14 and not HEADING_END.search(p)
            and len(nxt) > 2 * len(p))


def run(doc: Document, rules: Rules) -> None:
    data = doc.meta.get("structure") or {}
    file = doc.data_path
    paras = paragraphs(doc.text)
    texts = [p for _, p in paras]
    n = len(texts)
    lines = getattr(data, "lines", {})

    kind = ["para"] * n
    group: list[int | None] = [None] * n
    attrs: list[dict] = [dict() for _ in range(n)]
    next_group = 0

    # title
    title_i = None
    if data.get("title"):
        title_i = anchors.start_of(texts, data["title"], file, "structure.title", lines.get("title"))
    elif n and _looks_like_title(texts[0], rules):
        title_i = 0
    if title_i is not None:
        kind[title_i] = "title"

    # headings
    if "headings" in data:
        for h in data["headings"] or []:
            kind[anchors.start_of(texts, h, file, "structure.headings", lines.get("headings"))] = "heading"
    else:
        for i in range(n):
            if kind[i] == "para" and i > 0 and _looks_like_heading(texts[i], texts[i + 1] if i + 1 < n else None) \
                    and not rules.structural(texts[i]):
                kind[i] = "heading"
                attrs[i]["guessed"] = True

    # quotations marked in the data file
    if "quotes" in data:
        for q in data["quotes"] or []:
            qline = getattr(q, "line", None)
            a = anchors.start_of(texts, q["start"], file, "structure.quotes start", qline)
            b = anchors.start_of(texts, q["end"], file, "structure.quotes end", qline) if q.get("end") else a
            if b < a:
                raise_order(file, q, qline)
            is_tweet = q.get("kind") == "tweet" or bool(rules.tweet_header.fullmatch(texts[a]))
            for i in range(a, b + 1):
                kind[i] = "tweet" if is_tweet else "quote"
                group[i] = next_group
            if is_tweet:
                kind[a] = "tweet-head"
            if q.get("cite"):
                attrs[a]["cite"] = q["cite"]
            next_group += 1

    # tweets the data file does not mention: header plus one paragraph
    for i in range(n):
        if kind[i] == "para" and rules.tweet_header.fullmatch(texts[i]):
            kind[i] = "tweet-head"
            group[i] = next_group
            if i + 1 < n and kind[i + 1] == "para":
                kind[i + 1], group[i + 1] = "tweet", next_group
            next_group += 1
    for i in range(n):
        if kind[i] == "tweet-head":
            m = rules.tweet_header.fullmatch(texts[i])
            if m:
                attrs[i].update(m.groupdict())

    # a guess when the data file has no quotes: a paragraph that follows one
    # ending in a colon is quoted
    if "quotes" not in data:
        for i in range(1, n):
            if kind[i] == "para" and kind[i - 1] == "para" and texts[i - 1].endswith(":") \
                    and not rules.structural(texts[i]) and not rules.quote_marker.match(texts[i]):
                kind[i], group[i] = "quote", next_group
                attrs[i]["guessed"] = True
                next_group += 1

    comments_start = None
    cdata = data.get("comments") or {}
    if cdata.get("start"):
        comments_start = anchors.start_of(texts, cdata["start"], file, "structure.comments start",
                                          lines.get("comments"))

    edits: list[Edit] = []
    blocks: list[Block] = []
    comments: list[Comment] = []
    section = "body"
    current: Comment | None = None

    removals: list[tuple[int, str, dict]] = []

    def remove(i: int, reason: str, info: dict) -> None:
        removals.append((i, reason, info))

    def open_comment() -> Comment:
        c = Comment(index=len(comments))
        comments.append(c)
        return c

    for i, (off, p) in enumerate(paras):
        if i == comments_start:
            section = "comments"
            current = open_comment()
        m_head = rules.comment_header.fullmatch(p)
        m_sig = rules.comment_signature.fullmatch(p)
        m_end = rules.post_end.fullmatch(p)
        if m_head:
            section = "comments"
            current = open_comment()
            current.author = m_head.group("author")
            remove(i, "commenter's avatar line turned into the comment's heading", m_head.groupdict())
            continue
        if m_sig:
            section = "comments"
            if current is None or current.author is not None:
                current = open_comment()
            current.author = m_sig.group("author").strip()
            current.time = m_sig.group("time").strip()
            current.number = m_sig.group("number")
            if not any(b.comment == current.index for b in blocks):
                current.lost = True
            remove(i, "comment signature moved to the comment's heading", m_sig.groupdict())
            current = None
            continue
        if m_end:
            likes = m_end.group("likes")
            if section == "body":
                doc.likes = likes
                section = "comments"
            elif current is not None:
                current.likes = likes
            remove(i, "like counter shown in the post's heading", m_end.groupdict())
            current = None
            continue
        if section == "comments" and current is None:
            current = open_comment()

        k = kind[i]
        a = dict(attrs[i])
        start = off
        mq = rules.quote_marker.match(p) if k == "para" else None
        if mq:
            k = "quote"
            edits.append(Edit(off, off + mq.end(), "", "structure", "quote sign turned into a quotation block",
                              rule="structure:quote-marker"))
            # adjacent marked paragraphs form one quotation
            if blocks and blocks[-1].kind == "quote" and blocks[-1].attrs.get("marked") \
                    and blocks[-1].comment == (current.index if current else None):
                group[i] = blocks[-1].group
            else:
                group[i] = next_group
                next_group += 1
            a["marked"] = True
        blocks.append(Block(k, start, off + len(p), section=section,
                            comment=current.index if (current is not None and section == "comments") else None,
                            group=group[i], attrs=a))

    # a comment opened by an avatar line whose body never came: lost
    for c in comments:
        if not any(b.comment == c.index for b in blocks):
            c.lost = True

    # a removed marker takes the paragraph break after it, or, when no kept
    # paragraph follows, the one before it (so that removals never overlap)
    removed = {i for i, _, _ in removals}
    for i, reason, info in removals:
        off, p = paras[i]
        kept_after = any(j not in removed for j in range(i + 1, n))
        start, end = off, off + len(p)
        if kept_after:
            end += 2
        elif start >= 2:
            start -= 2
        edits.append(Edit(start, end, "", "structure", reason, rule="structure", data=info))

    doc.blocks = blocks
    doc.comments = comments
    assign_ids(doc.text, blocks)
    doc.apply("structure", edits)


def block_id(text: str) -> str:
    """A permalink id that depends only on the paragraph's own words."""
    words = re.findall(r"\w+", text.casefold())
    return "p-" + hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()[:8]


def assign_ids(text: str, blocks: list[Block]) -> None:
    seen: dict[str, int] = {}
    for b in blocks:
        base = block_id(text[b.start:b.end])
        seen[base] = seen.get(base, 0) + 1
        b.id = base if seen[base] == 1 else f"{base}-{seen[base]}"


def raise_order(file, q, line):
    from ..core.errors import EditionError
    raise EditionError(file, f"structure.quotes: the quote starting {q['start']!r} ends before it begins",
                       line=line)
