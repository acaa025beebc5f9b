"""Stage 3, structure: recover the title, headings, quotes, tweets, comments,
lists, tables and code.

Input is the cleaned text, one paragraph per line with a blank line between
paragraphs (lists, tables and code keep their lines: the clean stage found
them and left them as provisional blocks).  Output is ``doc.blocks`` and
``doc.comments``.  Markers that only carried structure (a leading ">", a
"## " heading sign, a code fence, a commenter's avatar line, a "Posted by"
signature, a like counter, a comment counter) leave the text; each removal
is in the record with what it told us (author, time, number, likes).

What a rule cannot tell (where a quotation without quote marks begins and
ends, which short lines are headings, where the comment section begins)
comes from the scrape's data file; when the data file is silent, simple
rules give a first guess that a maintainer can correct there.  A guessed
heading needs evidence: it stands alone (not one of a run of consecutive
short lines, which the clean stage's record shows), text follows it, and it
is no callout label ("Tip"), dateline, caption, quotation or address.  A
reply's depth in a thread comes from its header ("Reply (depth 2) by …") or
from the indentation of the scrape's lines.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from ..core import anchors
from ..core.corpus import Rules
from ..core.model import FORM_KINDS, Block, Comment, Document, Edit

HEADING_END = re.compile(r"[.,;:!\"”’)。！？：，；]$")
ATX = re.compile(r"(?P<marks>#{1,6})[ \t]+(?=\S)")
# short lines that are never a title or a heading
URL = re.compile(r"(?i)(https?://|www\.)\S+|[\w.-]+\.(com|org|net|io|dev|edu|gov)(/\S*)?")
BRACES = re.compile(r"[\s{}\[\]()<>;,]+")
TAG = re.compile(r"</?[A-Za-z!][^>]*>")
BYLINE = re.compile(r"(?i)by [\w.'’-]+( [\w.'’-]+){0,3}( and [\w.'’-]+( [\w.'’-]+){0,3})?")
DATE = re.compile(r"(?i)(\w+,? )?(\d{1,2} )?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? "
                  r"(\d{1,2}(st|nd|rd|th)?,? )?\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}")

# a line that opens with a date ("2017-03-10 09:58 来源：…", "March 26, 2010 at 9:14") is a dateline
DATELINE = re.compile(r"(?i)\d{4}-\d{1,2}-\d{1,2}\b|\d{4}年\d{1,2}月\d{1,2}日|\d{1,2}/\d{1,2}/\d{2,4}\b|"
                      r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}(st|nd|rd|th)?,? \d{4}")


def paragraphs(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for p in text.split("\n\n"):
        if p:
            out.append((pos, p))
        pos += len(p) + 2
    return out


def never_heading(p: str) -> bool:
    """List items, table rows, addresses, braces, tags and code lines are not headings."""
    from .clean import LIST_ITEM, code_score, is_table_row
    s = p.strip()
    if not re.search(r"\w", s):
        return True               # a rule of dashes or stars, a lone sign
    return bool(LIST_ITEM.match(s) or is_table_row(s) or URL.fullmatch(s) or BRACES.fullmatch(s)
                or TAG.fullmatch(s) or BYLINE.fullmatch(s) or (code_score(s) == 2 and not ATX.match(s)) or "\n" in s)


def _looks_like_title(p: str, rules: Rules) -> bool:
    # a headline may end in a full stop, but holds no other sentence end
    one_sentence = p.endswith(".") and len(p.split()) <= 14 and not re.search(r"[.!?]\s", p)
    return len(p) <= 150 and not rules.structural(p) and (one_sentence or not re.search(r"[.:,;]$", p)) \
        and not never_heading(p) and not DATE.fullmatch(p.strip()) and not rules.is_placeholder(p)


def _looks_like_heading(p: str, nxt: str | None) -> bool:
    # what follows a heading starts a sentence; a sign-off ("Neal") may be followed by "p.s. ..."
    return (nxt is not None and len(p) < 100 and len(p.split()) <= 14 and not HEADING_END.search(p)
            and len(nxt) > 2 * len(p) and not never_heading(p) and not re.match(r"[a-z]", nxt))


def width(s: str) -> int:
    """Columns a line takes: a CJK character holds about two Latin letters' worth of text."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _short_line(p: str) -> bool:
    """A line too short to be a paragraph of its own: no sentence end, a few words."""
    # len first: a line is at least as wide as it is long, and width() looks at every character
    return "\n" not in p and len(p) <= 60 and width(p) <= 60 and not re.search(r"[.!?。！？…]$", p)


def _in_short_run(plan: "Plan", i: int) -> bool:
    """Paragraph i and a neighbour were consecutive lines of the scrape, both short: a run of
    short lines (a verse, an address, a caption block, labels split by <br>), not a heading."""
    texts, kind, glued = plan.texts, plan.kind, plan.glued
    before = glued[i] and i > 0 and plan.form[i - 1] is None and kind[i - 1] != "title" and _short_line(texts[i - 1])
    after = i + 1 < len(texts) and glued[i + 1] and plan.form[i + 1] is None and _short_line(texts[i + 1])
    return before or after


@dataclass
class Plan:
    """What each paragraph is, before the blocks are made."""
    texts: list[str]
    kind: list[str]
    group: list[int | None]
    attrs: list[dict]
    form: list[int | None]              # index of the list/table/code block the paragraph is in
    glued: list[bool] = field(default_factory=list)   # on the scrape's next line after the one before
    next_group: int = 0
    forms: list[Block] = field(default_factory=list)

    def new_group(self) -> int:
        self.next_group += 1
        return self.next_group - 1


def _plan(doc: Document, paras, provisional: list[Block]) -> Plan:
    texts = [p for _, p in paras]
    n = len(texts)
    plan = Plan(texts, ["para"] * n, [None] * n, [dict() for _ in range(n)], [None] * n)
    plan.glued = _glued(doc, paras)
    plan.forms = [b for b in provisional if b.kind in FORM_KINDS]
    for i, (off, p) in enumerate(paras):
        for fi, b in enumerate(plan.forms):
            if b.start <= off and off + len(p) <= b.end:
                plan.form[i] = fi
                plan.kind[i] = b.kind
                break
    return plan


def _glued(doc: Document, paras) -> list[bool]:
    """For each paragraph: did it stand on the line right after the paragraph before it (no blank
    line between)?  The clean stage's last step made each such line break a paragraph break and
    recorded it; its changes are placed in the text as this stage receives it."""
    breaks = {c.end for c in doc.changes if c.stage == "paragraphs" and c.sic == "\n" and c.corr == "\n\n"}
    return [off in breaks for off, _ in paras]


def _title(plan: Plan, data, rules: Rules, file, lines) -> None:
    texts, n = plan.texts, len(plan.texts)
    title_i = None
    if data.get("title"):
        title_i = anchors.start_of(texts, data["title"], file, "structure.title", lines.get("title"))
    elif n and plan.form[0] is None and (_looks_like_title(texts[0], rules) or ATX.match(texts[0])):
        title_i = 1 if _site_name_above_headline(plan, rules) else 0
    if title_i is not None:
        plan.kind[title_i] = "title"
        if ATX.match(texts[title_i]):
            plan.attrs[title_i]["atx"] = True


def _site_name_above_headline(plan: Plan, rules: Rules) -> bool:
    """'The Verge' above 'Apple announces a phone that folds in three': a short name standing alone
    (one to four capitalised words, no figures) over a longer line that reads as a headline, with
    text under it.  The headline is the title; the site's name stays in the text."""
    from .clean import site_name
    texts = plan.texts
    if len(texts) < 3 or plan.form[1] is not None or plan.glued[1] or ATX.match(texts[0]):
        return False
    name, head = texts[0], texts[1]
    return site_name(name) and len(name.split()) <= 4 and not re.search(r"\d", name) \
        and all(w[:1].isupper() or not w[:1].isalpha() for w in name.split()) \
        and _looks_like_title(head, rules) and len(head.split()) >= len(name.split()) + 3 \
        and not DATELINE.match(head) and not BYLINE.fullmatch(head) and not rules.is_label(head) \
        and not re.match(r"(?i)(step|part|chapter|section|day|week|lesson|question) \d+\b", head) \
        and (plan.form[2] is not None or not _short_line(texts[2]) or bool(BYLINE.fullmatch(texts[2])))


def _headings(plan: Plan, data, rules: Rules, file, lines) -> None:
    texts, n, kind = plan.texts, len(plan.texts), plan.kind
    for i in range(n):       # "## Heading": the scrape says so itself
        if kind[i] == "para" and ATX.match(texts[i]) and "\n" not in texts[i]:
            kind[i] = "heading"
            plan.attrs[i]["atx"] = True
    if "headings" in data:
        for h in data["headings"] or []:
            kind[anchors.start_of(texts, h, file, "structure.headings", lines.get("headings"))] = "heading"
        return
    for i in range(n):       # a callout's label ("Tip", "Warning") stays with its text
        if kind[i] == "para" and rules.is_label(texts[i]):
            plan.attrs[i]["label"] = True
    # the cheap tests on a paragraph's length and neighbours first: _guessable runs several
    # searches over the whole paragraph, and few paragraphs are short enough to be a heading
    for i in range(1, n):
        if _looks_like_heading(texts[i], texts[i + 1] if i + 1 < n else None) and _guessable(plan, i, rules) \
                and not (plan.form[i + 1] is None and _short_line(texts[i + 1])):
            kind[i] = "heading"
            plan.attrs[i]["guessed"] = True
    first = {i for i in range(n) if kind[i] == "heading" and plan.attrs[i].get("guessed")}
    for i in range(n - 2, 0, -1):   # a section heading right above a sub-heading (one, not a ladder)
        if i + 1 in first and not plan.glued[i + 1] and len(texts[i]) <= 40 and len(texts[i].split()) <= 6 \
                and _guessable(plan, i, rules) and not HEADING_END.search(texts[i]) and not never_heading(texts[i]):
            kind[i] = "heading"
            plan.attrs[i]["guessed"] = True


def _guessable(plan: Plan, i: int, rules: Rules) -> bool:
    """A paragraph the heading rules may take: not a label, a marker, a quotation, a dateline, a
    caption, a line holding an address, or one of a run of short lines."""
    t = plan.texts[i]
    return plan.kind[i] == "para" and not plan.attrs[i].get("label") and not rules.structural(t) \
        and not rules.quote_marker.match(t) and not DATELINE.match(t) and not CAPTION_LABEL.match(t) \
        and not URL.search(t) and not re.search(r"(?i)\bdoi:", t) and not _in_short_run(plan, i)


def _data_quotes(plan: Plan, data, rules: Rules, file) -> None:
    texts, kind = plan.texts, plan.kind
    for q in data.get("quotes") or []:
        qline = getattr(q, "line", None)
        a = anchors.start_of(texts, q["start"], file, "structure.quotes start", qline)
        b = anchors.start_of(texts, q["end"], file, "structure.quotes end", qline) if q.get("end") else a
        if b < a:
            raise_order(file, q, qline)
        is_tweet = q.get("kind") == "tweet" or bool(rules.tweet_header.fullmatch(texts[a]))
        g = plan.new_group()
        for i in range(a, b + 1):
            kind[i] = "tweet" if is_tweet else "quote"
            plan.group[i] = g
        if is_tweet:
            kind[a] = "tweet-head"
        if q.get("cite"):
            plan.attrs[a]["cite"] = q["cite"]


def _tweets(plan: Plan, rules: Rules) -> None:
    """Tweets the data file does not mention: header plus one paragraph."""
    texts, kind, n = plan.texts, plan.kind, len(plan.texts)
    for i in range(n):
        if kind[i] == "para" and rules.tweet_header.fullmatch(texts[i]):
            kind[i] = "tweet-head"
            plan.group[i] = g = plan.new_group()
            if i + 1 < n and kind[i + 1] == "para":
                kind[i + 1], plan.group[i + 1] = "tweet", g
    for i in range(n):
        if kind[i] == "tweet-head":
            m = rules.tweet_header.fullmatch(texts[i])
            if m:
                plan.attrs[i].update(m.groupdict())


def _guessed_quotes(plan: Plan, rules: Rules) -> None:
    """A paragraph that follows one ending in a colon is quoted (a guess)."""
    texts, kind = plan.texts, plan.kind
    for i in range(1, len(texts)):
        if kind[i] == "para" and kind[i - 1] == "para" and texts[i - 1].endswith(":") \
                and not rules.structural(texts[i]) and not rules.structural(texts[i - 1]) and not rules.quote_marker.match(texts[i]) \
                and not ATX.match(texts[i]):
            kind[i], plan.group[i] = "quote", plan.new_group()
            plan.attrs[i]["guessed"] = True


CREDIT = re.compile(r"(?i).*(\((photo|photograph|image|picture|video|credit)s?( by)?:? [^)]{1,80}\)|"
                    r"(photo|photograph|image|picture|credit)s?( by)?: [^.]{1,80}|"
                    r"\b(REUTERS|AP Photo|AFP|Getty Images|EPA|Xinhua)(/[^.]{1,60})?|\((Jan|Feb|Mar|Apr|May|Jun|"
                    r"Jul|Aug|Sept?|Oct|Nov|Dec)\.? \d{1,2}\))\.?")


# a caption that says so: "图注：…" (a Chinese news site's photo caption), "Photo: …"
CAPTION_LABEL = re.compile(r"(?i)(图注|圖註|图片说明|圖片說明|图片来源|圖片來源|caption|photo|image)\s?[:：]\s*\S.*")


def _captions(plan: Plan) -> None:
    """Photo and video captions stay on the page, marked as captions: a paragraph ending in a
    credit ("(Photo: NAME/AGENCY)", "REUTERS/NAME", an AP video's "(Aug. 30)"), or the one
    paragraph between a headline and its byline."""
    texts, kind = plan.texts, plan.kind
    for i, t in enumerate(texts):
        if kind[i] != "para":
            continue
        between = i >= 1 and kind[i - 1] == "title" and i + 1 < len(texts) and BYLINE.fullmatch(texts[i + 1])
        if (len(t) <= 600 and (CREDIT.fullmatch(t) or CAPTION_LABEL.fullmatch(t))) or between:
            plan.attrs[i]["caption"] = True
        elif len(t) <= 100 and BYLINE.fullmatch(t):
            plan.attrs[i]["byline"] = True


def _gap_comments(doc: Document, paras, provisional: list[Block], plan: Plan, rules: Rules) -> set[int]:
    """Paragraphs that open a comment on a page whose comments are parted only by blank-line runs.

    Forum scrapes that lost every comment header still part one comment from
    the next with a run of blank lines, and a comment's own paragraphs with
    one blank line.  The rule applies when the page has two such runs or
    more, or one run after a single paragraph under no title (a comment and
    its reply), or one run after nothing but a date (an empty post with
    comments under it), and no comment marker of another kind.  The part
    before the first run is the post, unless it is a single paragraph under
    no title.
    """
    if any(rules.structural(p) for p in plan.texts):
        return set()
    gaps = [b.end for b in provisional if b.kind == "gap"]
    starts = [i for i, (off, _) in enumerate(paras) if off in gaps]
    if not starts:
        return set()
    before = [i for i in range(starts[0]) if plan.kind[i] != "title"]
    if len(starts) == 1 and len(before) == 1 and DATE.fullmatch(plan.texts[before[0]].strip()):
        # an empty post (nothing but its date): every paragraph under it is a comment of its own
        return set(range(starts[0], len(paras)))
    if len(starts) == 1 and not (len(before) == 1 and "title" not in plan.kind):
        return set()
    opens = set(starts)
    if len(before) == 1 and "title" not in plan.kind:
        opens.add(before[0])
    return opens


@dataclass
class Build:
    """The blocks, comments and edits made while walking the paragraphs."""
    blocks: list[Block] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    edits: list[Edit] = field(default_factory=list)
    removals: list[tuple[int, str, dict]] = field(default_factory=list)
    indent: dict[int, int] = field(default_factory=dict)      # comment index: indentation of its first line
    section: str = "body"
    current: Comment | None = None

    def open_comment(self) -> Comment:
        c = Comment(index=len(self.comments))
        self.comments.append(c)
        self.section, self.current = "comments", c
        return c

    def remove(self, i: int, reason: str, info: dict) -> None:
        self.removals.append((i, reason, info))


def _thread(comments: list[Comment], c: Comment, depth: str | None) -> None:
    """A reply's place in the thread: its depth as the header says, and its parent, the nearest
    comment above it one level up (a depth with no such comment above it is taken as it stands)."""
    if not depth:
        return
    c.depth = int(depth)
    c.parent = next((p.index for p in reversed(comments[:-1]) if p.depth < c.depth), None)
    if c.parent is not None:
        c.depth = min(c.depth, comments[c.parent].depth + 1)


def _marker(doc: Document, i: int, p: str, rules: Rules, st: Build) -> bool:
    """Handle a paragraph that only marks structure; True when it was one."""
    m_head = rules.comment_header.fullmatch(p)
    if m_head:
        c = st.open_comment()
        c.author = m_head.group("author")
        c.time = m_head.groupdict().get("time")
        _thread(st.comments, c, m_head.groupdict().get("depth"))
        st.remove(i, "comment header turned into the comment's heading",
                  {k: v for k, v in m_head.groupdict().items() if v is not None})
        return True
    m_sig = rules.comment_signature.fullmatch(p)
    if m_sig:
        st.section = "comments"
        if st.current is None or st.current.author is not None:
            st.open_comment()
        c = st.current
        c.author = m_sig.group("author").strip()
        c.time = m_sig.group("time").strip()
        c.number = m_sig.group("number")
        if not any(b.comment == c.index for b in st.blocks):
            c.lost = True
        st.remove(i, "comment signature moved to the comment's heading", m_sig.groupdict())
        st.current = None
        return True
    m_end = rules.post_end.fullmatch(p)
    if m_end:
        likes = m_end.group("likes")
        if st.section == "body":
            doc.likes = likes
            st.section = "comments"
        elif st.current is not None:
            st.current.likes = likes
        st.remove(i, "like counter shown in the post's heading", m_end.groupdict())
        st.current = None
        return True
    if rules.comments_open is not None and rules.comments_open.fullmatch(p):
        st.section, st.current = "comments", None
        st.remove(i, "comment counter turned into the start of the comment section", {})
        return True
    if rules.comment_end is not None and rules.comment_end.fullmatch(p):
        if st.section == "body" and not any(b.section == "comments" for b in st.blocks):
            # the first comment ends here: what came before (after the title) was a comment too
            c = st.open_comment()
            for b in st.blocks:
                if b.kind != "title":
                    b.section, b.comment = "comments", c.index
        st.current = None
        st.section = "comments"
        st.remove(i, "button under a comment marks where the comment ends", {})
        return True
    return False


def _walk(doc: Document, paras, plan: Plan, rules: Rules, comments_start, gap_opens: set[int],
          indents: dict[int, int]) -> Build:
    st = Build()
    last_form: dict[int, Block] = {}
    for i, (off, p) in enumerate(paras):
        opened = len(st.comments)
        if i == comments_start or i in gap_opens:
            st.open_comment()
        if plan.form[i] is None and _marker(doc, i, p, rules, st):
            _note_indent(st, opened, indents.get(off, 0))
            continue
        if st.section == "comments" and st.current is None:
            st.open_comment()
        _note_indent(st, opened, indents.get(off, 0))
        comment = st.current.index if (st.current is not None and st.section == "comments") else None
        fi = plan.form[i]
        if fi is not None:
            prev = last_form.get(fi)
            if prev is not None and st.blocks and st.blocks[-1] is prev:
                prev.end = off + len(p)          # one list, table or code block across blank lines
                continue
            b = Block(plan.kind[i], off, off + len(p), section=st.section, comment=comment,
                      attrs=dict(plan.forms[fi].attrs))
            last_form[fi] = b
            st.blocks.append(b)
            continue
        k, a = plan.kind[i], dict(plan.attrs[i])
        mq = rules.quote_marker.match(p) if k == "para" else None
        if mq and not p[mq.end():].strip():
            mq = None                             # a bare quote sign quotes nothing: left as text
        m_atx = ATX.match(p) if a.get("atx") else None
        if mq:
            k = "quote"
            st.edits.append(Edit(off, off + mq.end(), "", "structure", "quote sign turned into a quotation block",
                                 rule="structure:quote-marker"))
            prev = st.blocks[-1] if st.blocks else None
            if prev is not None and prev.kind == "quote" and prev.attrs.get("marked") and prev.comment == comment:
                plan.group[i] = prev.group        # adjacent marked paragraphs form one quotation
            else:
                plan.group[i] = plan.new_group()
            a["marked"] = True
        elif m_atx:
            st.edits.append(Edit(off, off + m_atx.end(), "", "structure",
                                 f"heading sign {m_atx.group('marks')!r} turned into a heading",
                                 rule="structure:heading-marker"))
        st.blocks.append(Block(k, off, off + len(p), section=st.section, comment=comment,
                               group=plan.group[i], attrs=a))
    return st


def _note_indent(st: Build, opened: int, width: int) -> None:
    """The indentation of the line that opened each comment opened just now."""
    for c in st.comments[opened:]:
        st.indent[c.index] = width


def _indented_replies(st: Build) -> None:
    """On a page whose comments are indented by how deep they stand (a thread copied as text),
    each indentation step is one reply level, when no header said how deep a comment stands."""
    if any(c.depth for c in st.comments) or len(set(st.indent.values())) < 2:
        return
    levels = sorted(set(st.indent.values()))
    for c in st.comments:
        _thread(st.comments[:c.index + 1], c, str(levels.index(st.indent.get(c.index, levels[0]))))


def _fences(doc: Document, st: Build) -> None:
    """A fenced code block's fence lines leave the text; the language goes into the block."""
    for b in st.blocks:
        if b.kind != "code" or not b.attrs.get("fenced"):
            continue
        body = doc.text[b.start:b.end]
        first = body.find("\n")
        last = body.rfind("\n")
        if first < 0 or last <= first:
            continue
        st.edits.append(Edit(b.start, b.start + first + 1, "", "structure", "code fence turned into a code block",
                             rule="structure:code-fence", data={"lang": b.attrs.get("lang") or ""}))
        st.edits.append(Edit(b.start + last, b.end, "", "structure", "code fence turned into a code block",
                             rule="structure:code-fence"))


def _removal_edits(paras, st: Build) -> None:
    """A removed marker takes the paragraph break after it, or, when no kept
    paragraph follows, the one before it (so that removals never overlap)."""
    n = len(paras)
    removed = {i for i, _, _ in st.removals}
    for i, reason, info in st.removals:
        off, p = paras[i]
        kept_after = any(j not in removed for j in range(i + 1, n))
        start, end = off, off + len(p)
        if kept_after:
            end += 2
        elif start >= 2:
            start -= 2
        st.edits.append(Edit(start, end, "", "structure", reason, rule="structure", data=info))


def run(doc: Document, rules: Rules) -> None:
    data = doc.meta.get("structure") or {}
    file = doc.data_path
    lines = getattr(data, "lines", {})
    provisional = list(doc.blocks)          # lists, tables, code and blank runs found by the clean stage
    paras = paragraphs(doc.text)
    plan = _plan(doc, paras, provisional)

    _title(plan, data, rules, file, lines)
    _headings(plan, data, rules, file, lines)
    if "quotes" in data:
        _data_quotes(plan, data, rules, file)
    _tweets(plan, rules)
    if "quotes" not in data:
        _guessed_quotes(plan, rules)
    _captions(plan)

    comments_start = None
    cdata = data.get("comments") or {}
    if cdata.get("start"):
        comments_start = anchors.start_of(plan.texts, cdata["start"], file, "structure.comments start",
                                          lines.get("comments"))
    gap_opens = set() if comments_start is not None else _gap_comments(doc, paras, provisional, plan, rules)

    indents = {b.start: b.attrs["width"] for b in provisional if b.kind == "indent"}
    st = _walk(doc, paras, plan, rules, comments_start, gap_opens, indents)
    _indented_replies(st)
    # a comment opened by a header whose body never came: lost
    for c in st.comments:
        if not any(b.comment == c.index for b in st.blocks):
            c.lost = True
    _fences(doc, st)
    _removal_edits(paras, st)

    doc.blocks = st.blocks
    doc.comments = st.comments
    assign_ids(doc.text, st.blocks)
    doc.apply("structure", st.edits)


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


# ------------------------------------------------------------ infobox rows
# An infobox flattened to short lines (the clean stage's "infobox" table) holds
# label/value pairs: on one line with a separator ("Born: 1950"), glued where
# the page had a cell border ("Type of siteSocial news", "网址wikipedia.org"),
# or on two lines (a label, then its value).  A line none of these fit stays a
# row of its own.

_SEPARATED = re.compile(r"(?P<key>[^:：\t]{1,40}?)[ \t]*(?:[:：](?!//)[ \t]*|\t+| {2,})(?P<value>\S.*)")
_CJK = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff]"
_CJK_GLUE = re.compile(rf"(?P<key>{_CJK}{{2,6}})(?P<value>[A-Za-z0-9].*)")


def _pair(line: str) -> tuple[str, str] | None:
    """(label, value) of one line; the label keeps the line's separator ("Born:"), so that the
    two cells together show every character of the line."""
    for pat in (_SEPARATED, _CJK_GLUE):
        m = pat.fullmatch(line)
        if m and len(m.group("key")) >= 2 and m.group("value").strip():
            return line[:m.start("value")].strip(), m.group("value").strip()
    return _camel_glue(line)


def _camel_glue(line: str) -> tuple[str, str] | None:
    """'Type of siteSocial news': a lower-case word run into a capitalised one.  Only in a line of
    several words, and only where the word before the seam starts in lower case (so 'JavaScript',
    'YouTube', 'iPhone' and 'macOS' stay whole)."""
    if " " not in line.strip():
        return None
    for m in re.finditer(r"(?<=[a-z])(?=[A-Z][a-z]|[0-9])", line):
        key = line[:m.start()]
        left = key[key.rfind(" ") + 1:]
        if len(left) >= 3 and left[0].islower():
            return key.strip(), line[m.start():].strip()
    return None


def _label(line: str) -> bool:
    """A line that can name a field: a few words (five CJK characters), no sentence end, no figures,
    and no capital after the first word ("Type of site", not "Owner Y Combinator", which may be a
    label and its value run together)."""
    limit = 10 if re.search(_CJK, line) else 24
    words = line.split()
    return width(line) <= limit and len(words) <= 4 and not re.search(r"[\d.!?。！？]", line) \
        and not any(w[:1].isupper() for w in words[1:])


def infobox_rows(lines: list[str]) -> list[tuple[str, str | None]]:
    """The rows of a flattened infobox: (label, value), or (line, None) for a line that is neither."""
    rows = [l.strip() for l in lines if l.strip()]
    pairs = [_pair(r) for r in rows]
    out: list[tuple[str, str | None]] = []
    i = 0
    while i < len(rows):
        if pairs[i]:
            out.append(pairs[i])
            i += 1
            continue
        j = i
        while j < len(rows) and pairs[j] is None:
            j += 1
        out += _label_lines(rows[i:j])
        i = j
    return out


def _label_lines(run: list[str]) -> list[tuple[str, str | None]]:
    """Lines that are each a label or a value: label, value, label, value... only when the run is
    even and every other line can be a label.  Anything less certain stays one row a line: a label
    shown beside the wrong value would tell the reader something the page did not say."""
    if len(run) >= 2 and len(run) % 2 == 0 and all(_label(run[k]) for k in range(0, len(run), 2)):
        return [(run[k], run[k + 1]) for k in range(0, len(run), 2)]
    return [(r, None) for r in run]
