"""Stage 2, clean: remove page furniture and repair broken lines.

Each step is its own function, text in, edits out:

* ``boilerplate``  drops lines that match the general rules in
  seeds/cleaning.yml or the scrape's own ``boilerplate`` list;
* ``glued_labels`` drops a callout label's copy glued onto the line above it;
* ``masthead``     drops a blog's name and tagline above its posts;
* ``corrections``  applies the scrape's recorded corrections (typos,
  censor artefacts) from its data file;
* ``forms``        finds lists, tables and code, which keep their lines as
  scraped (the later steps leave them alone), and runs of blank lines;
* ``spaces``       strips spaces at line ends and starts, tabs included;
* ``stray_punctuation`` removes punctuation stranded at a paragraph start;
* ``unwrap``       joins lines and paragraphs broken mid-sentence;
* ``paragraphs``   makes every paragraph break one blank line.
"""
from __future__ import annotations

import re
import statistics

from ..core.corpus import Rules
from ..core.errors import EditionError
from ..core.model import FORM_KINDS, Block, Document, Edit


def lines_with_offsets(text: str):
    pos = 0
    for line in text.split("\n"):
        yield pos, line
        pos += len(line) + 1


HEADING_SIGN = re.compile(r"#{1,6}[ \t]+(?=\S)")
SIDEBAR_LINES = 12            # at most this many short lines go with a sidebar widget's heading
SIDEBAR_LINE = 100


def _furniture(s: str, own: set[str], rules: Rules) -> tuple[str, str] | None:
    """Why a whole line is furniture, and by which rule.  A '#'-marked heading is the page's own
    structure ("## 1 Answer"), furniture only when it heads a sidebar widget ("## About Community")."""
    if s in own:
        return "page furniture listed in the scrape's data file", "data:boilerplate"
    m = HEADING_SIGN.match(s)
    for pat, why in rules.boilerplate:
        if pat.fullmatch(s) or (m and pat in rules.sections and pat.fullmatch(s[m.end():])):
            return why, f"cleaning:{pat.pattern}"
    return None


def _sidebar(entries: list[tuple[int, str]], k: int, rules: Rules) -> int:
    """Lines after a sidebar widget's '#'-marked heading (entries[k]) that belong to the widget:
    short lines up to the next heading, marker or long paragraph.  Returns the last such index."""
    s = entries[k][1].strip()
    m = HEADING_SIGN.match(s)
    if not m or not any(p.fullmatch(s[m.end():]) for p in rules.sections):
        return k
    last, seen = k, 0
    for j in range(k + 1, len(entries)):
        t = entries[j][1].strip()
        if not t:
            continue
        if HEADING_SIGN.match(t) or rules.structural(t) or len(t) > SIDEBAR_LINE or seen == SIDEBAR_LINES:
            break
        last, seen = j, seen + 1
    return last


def boilerplate(doc: Document, rules: Rules) -> None:
    own = {s.strip() for s in doc.meta.get("boilerplate") or []}
    edits = []
    text = doc.text
    entries = list(lines_with_offsets(text))
    widget_end = -1
    for k, (off, line) in enumerate(entries):
        s = line.strip()
        if not s:
            continue
        found = _furniture(s, own, rules)
        reason = rule = None
        if k <= widget_end:
            reason, rule = "short line under a sidebar widget's heading", "cleaning:sidebar"
        elif found:
            (reason, rule), widget_end = found, _sidebar(entries, k, rules)
        if reason:
            end = off + len(line)
            if end < len(text):
                end += 1          # the line's newline goes with it
            edits.append(Edit(off, end, "", "boilerplate", reason, rule=rule))
            continue
        for pat, why in rules.inline:         # furniture inside a line ("[edit]" after a heading)
            for m in pat.finditer(line):
                if m.end() > m.start():
                    edits.append(Edit(off + m.start(), off + m.end(), "", "boilerplate", why,
                                      rule=f"cleaning:{pat.pattern}"))
    doc.apply("boilerplate", _disjoint(edits))


def _disjoint(edits: list[Edit]) -> list[Edit]:
    """Edits in order, dropping any that overlaps one before it."""
    out: list[Edit] = []
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if not out or e.start >= out[-1].end:
            out.append(e)
    return out


def repeats(doc: Document) -> None:
    """A line repeated right after itself, or the headline repeated near the top, is removed."""
    entries = [(off, line) for off, line in lines_with_offsets(doc.text) if line.strip()]
    edits = []
    headline = entries[0][1].strip() if entries else ""
    for k in range(1, len(entries)):
        off, line = entries[k]
        s = line.strip()
        why = None
        if s == entries[k - 1][1].strip() and len(s) <= 150:
            why = "line repeated right after itself (a headline shown twice, a tab label repeated as a panel title)"
        elif k <= 30 and s == headline and len(s.split()) >= 2:
            why = "headline repeated by the page"
        if why:
            end = off + len(line) + (1 if off + len(line) < len(doc.text) else 0)
            edits.append(Edit(off, end, "", "boilerplate", why, rule="repeated-line"))
    doc.apply("repeats", edits)


_NAME_WORD = re.compile(r"[A-Z0-9][\w'’&.-]*|of|the|and|a|an|in|on|for|to|at|by|&")
_DOMAIN = re.compile(r"(?i)(formerly |also at |at )?(https?://)?([\w-]+\.)+[a-z]{2,}(/\S*)?")


def _tagline(lines: list[str]) -> bool:
    """A blog's motto under its name: one to three short lines without a sentence end, written
    in lower case ("it's not as hard as you think") or naming the blog's address."""
    return 1 <= len(lines) <= 3 and all(len(l) <= 60 and not re.search(r"[.!?:;,]$", l) for l in lines) \
        and (lines[0][:1].islower() or any(_DOMAIN.fullmatch(l) for l in lines))


def masthead(doc: Document) -> None:
    """The blog's name and tagline at the top of a page scraped from its list of posts: a short
    title-case name standing alone, then, after a blank line, a tagline paragraph (see _tagline)
    and a blank line.  Both are removed; a headline is never written in lower case under itself."""
    m = re.match(r"\s*([^\n]{1,40})\n[ \t]*\n((?:[^\n]*\S[^\n]*\n){1,3})[ \t]*\n", doc.text)
    edits = []
    if m and site_name(m.group(1).strip()) and _tagline([l.strip() for l in m.group(2).splitlines()]):
        why = "the blog's name and tagline above its posts (the site's masthead), not the text's title"
        edits.append(Edit(m.start(1), m.end(2), "", "boilerplate", why, rule="masthead"))
    doc.apply("masthead", edits)


def site_name(name: str) -> bool:
    """A site's name: one to five title-case words, no sentence end."""
    words = name.split()
    return 1 <= len(words) <= 5 and words[0][:1].isupper() and all(_NAME_WORD.fullmatch(w) for w in words) \
        and not re.search(r"[.!?:;,]$", name)


def glued_labels(doc: Document, rules: Rules) -> None:
    """A callout's label glued onto the end of the line above it ('print(x)Tip'), when the label
    stands on its own line right after: the glued copy is removed (the label stays)."""
    entries = list(lines_with_offsets(doc.text))
    edits = []
    for (off, line), (_, nxt) in zip(entries, entries[1:]):
        label, body = nxt.strip(), line.rstrip()
        if label and rules.is_label(label) and body.endswith(label) and len(body) > len(label) \
                and not body[-len(label) - 1].isalnum() and not body[-len(label) - 1].isspace():
            edits.append(Edit(off + len(body) - len(label), off + len(body), "", "boilerplate",
                              "a callout's label glued onto the line above it, repeated on its own line",
                              rule="glued-label"))
    doc.apply("glued-labels", edits)


def corrections(doc: Document) -> None:
    edits = []
    items = doc.meta.get("corrections") or []
    for i, c in enumerate(items):
        found = [m.start() for m in re.finditer(re.escape(c["sic"]), doc.text)]
        line = c.lines.get("sic") if hasattr(c, "lines") else None
        if not found:
            raise EditionError(doc.data_path, f"correction {i} ({c['sic']!r}) matches nothing in the scrape",
                               line=line, hint="the scraped reading must be copied exactly, quotes included")
        if len(found) > 1 and not c.get("all"):
            raise EditionError(doc.data_path, f"correction {i} ({c['sic']!r}) matches {len(found)} places",
                               line=line, hint="make 'sic' longer so it matches one place, or set 'all: true'")
        for start in found:
            edits.append(Edit(start, start + len(c["sic"]), c["corr"], c["kind"], c["reason"],
                              rule="data:corrections"))
    doc.apply("corrections", edits)

# ---------------------------------------------------------------- forms
# Lists, tables and code keep their lines.  They are found here, before any
# line is touched, and kept as provisional blocks (doc.apply moves their
# spans with every later edit); the structure stage turns them into page
# blocks.  Runs of two or more blank lines are kept the same way ("gap"):
# on some forums they are all that separates one comment from the next.

LIST_ITEM = re.compile(r"(?P<indent>[ \t]*)(?P<marker>[-*•‣◦▪]|\d{1,3}[.)])[ \t]+(?=\S)")
TABLE_SEPARATOR = re.compile(r"\|?[ \t]*:?-{2,}:?[ \t]*(\|[ \t]*:?-{2,}:?[ \t]*)+\|?|\|[ \t]*:?-{2,}:?[ \t]*\|")
FENCE = re.compile(r"[ \t]*(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[\w+#.-]*)[ \t]*")
LANGUAGE_LINE = re.compile(r"(?i)python[23]?|javascript|js|typescript|ts|bash|shell|sh|zsh|console|yaml|yml|"
                           r"json|html|xml|css|sql|go|golang|rust|java|kotlin|swift|c|c\+\+|cpp|c#|csharp|"
                           r"ruby|php|perl|r|lua|toml|ini|dockerfile|makefile|powershell|plaintext|text")
_PROSE_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_CODE_STRONG = [re.compile(p) for p in (
    r"\s*(>>>|\.\.\.)( .*)?",                                  # interactive prompt
    r"\s*(def|class)\s+\w+.*:",                                # Python definitions
    r"\s*(if|elif|for|while|with|try|except|else|finally|switch|case)\b[^.!?]*:",
    r"\s*(return|import|raise|yield|pass|break|continue|const|let|var|func|fn|public|private)\b.*",
    r"\s*from\s+[\w.]+\s+import\s+.+",
    r"\s*[\w.\[\]'\"]+\s*[-+*/%|&]?=(?!=)\s*\S.*",             # assignment
    r"\s*[\w.]+\(.*\)[;,]?(\s*#.*)?",                          # call statement
    r"\s*[\w.]+\(.*",                                          # call opened
    r"\s*[{}\[\]()]+[;,]?",                                    # lone braces
    r".*[{(\[]",                                               # line ends with an opener
    r"\s*[})\]].*",                                            # line starts with a closer
    r".*[(=].*;",                                              # C-like statement
    r"\s*</?[a-zA-Z][\w-]*(\s[^>]*)?/?>.*",                    # a tag
    r"\s*\"[^\"]+\"\s*:\s*.*",                                 # JSON key
    r"\s{2,}(- )?[\w.-]+:(\s.*)?",                             # indented YAML key
    r"\s*- [\w.-]+:(\s.*)?",                                   # YAML list of mappings
    r"\s*//.*",                                                # comment
    r"\s*\$ \S.*",                                             # shell prompt
    r"\s*\[.*[,(].*\]",                                        # printed list
)]
_CODE_WEAK = [re.compile(p) for p in (
    r"\s*#.*",                                                 # a comment (or a heading)
    r"\s*[\w.-]+:",                                            # YAML key alone
)]


# longer lines are not taken for code (and the patterns never see a hostile 1 MB line)
MAX_CODE_LINE = 400


def _prose(line: str) -> bool:
    """A line that reads as a sentence: words, and a sentence end."""
    s = line.strip()
    tokens = s.split()
    if s.startswith(("#", "//", ">>>", "$ ")) or "=" in s:
        return False
    words = [t for t in tokens if _PROSE_WORD.fullmatch(t.strip("\"“”'‘’(),.;:!?—–-"))]
    if len(words) >= 8 and len(words) >= 0.85 * len(tokens):
        return True               # a run of plain words, wherever the line was broken
    return len(words) >= 6 and len(words) >= 0.7 * len(tokens) and bool(re.search(r"[.!?\"”’)]$", s))


def code_score(line: str) -> int:
    """2: reads as code; 1: may be code (a comment, a key); 0: neither; -1: prose."""
    if not line.strip() or len(line) > MAX_CODE_LINE:
        return 0
    if _prose(line):
        return -1
    if any(p.fullmatch(line.rstrip()) for p in _CODE_STRONG):
        return 2
    if any(p.fullmatch(line.rstrip()) for p in _CODE_WEAK):
        return 1
    return 0


def is_list_item(line: str, rules: Rules) -> bool:
    return bool(LIST_ITEM.match(line)) and not rules.structural(line)


def is_table_row(line: str) -> bool:
    s = line.strip()
    if TABLE_SEPARATOR.fullmatch(s):
        return True
    cells = [c for c in s.strip("|").split("|")]
    return len(cells) >= 2 and (s.startswith("|") or s.endswith("|") or " | " in s) and \
        all(len(c.strip()) <= 80 for c in cells)


def _cells(line: str) -> int:
    return len(line.strip().strip("|").split("|"))


def _runs(lines: list[str], test, allow_blank: bool = False) -> list[tuple[int, int]]:
    """Maximal runs [a, b] of lines passing ``test`` (blank lines inside if allowed)."""
    out, i, n = [], 0, len(lines)
    while i < n:
        if not test(i):
            i += 1
            continue
        j = i
        while True:
            k = j + 1
            if allow_blank:
                while k < n and not lines[k].strip():
                    k += 1
            if k < n and test(k):
                j = k
            else:
                break
        out.append((i, j))
        i = j + 1
    return out


def find_forms(lines: list[str], rules: Rules) -> list[tuple[int, int, str, dict]]:
    """Lists, tables and code among the lines: (first, last, kind, attrs), line numbers from 0."""
    taken = [False] * len(lines)
    forms: list[tuple[int, int, str, dict]] = []

    def take(a, b, kind, attrs):
        forms.append((a, b, kind, attrs))
        for k in range(a, b + 1):
            taken[k] = True

    _fenced(lines, take)
    _code_runs(lines, taken, take)
    _lists(lines, taken, take, rules)
    _tables(lines, taken, take, rules)
    return sorted(forms)


def _fenced(lines, take) -> None:
    i = 0
    while i < len(lines):
        m = FENCE.fullmatch(lines[i])
        if m:
            fence = m.group("fence")
            for j in range(i + 1, len(lines)):
                close = FENCE.fullmatch(lines[j])
                if close and close.group("fence")[0] == fence[0] and len(close.group("fence")) >= len(fence) \
                        and not close.group("info"):
                    take(i, j, "code", {"fenced": True, "lang": m.group("info")})
                    i = j
                    break
        i += 1


def _code_runs(lines, taken, take) -> None:
    scores = [code_score(l) if not taken[i] else -1 for i, l in enumerate(lines)]
    i, n = 0, len(lines)
    while i < n:
        if scores[i] < 1 or not lines[i].strip():
            i += 1
            continue
        # extend over adjacent lines that are code, may be code, or neutral between code lines
        j = i
        while j + 1 < n and lines[j + 1].strip() and scores[j + 1] >= 0:
            j += 1
        while j > i and scores[j] < 1:
            j -= 1
        strong = sum(1 for k in range(i, j + 1) if scores[k] == 2)
        likely = sum(1 for k in range(i, j + 1) if scores[k] >= 1)
        if strong >= 2 and likely >= 0.6 * (j - i + 1):
            attrs = {}
            if i > 0 and not taken[i - 1] and LANGUAGE_LINE.fullmatch(lines[i - 1].strip()):
                i -= 1
                attrs["lang"] = lines[i].strip().casefold()
                attrs["lang_line"] = True
            take(i, j, "code", attrs)
        i = j + 1


def _lists(lines, taken, take, rules) -> None:
    def item(k):
        return not taken[k] and is_list_item(lines[k], rules)

    def cont(k, indent):
        # an indented line under an item continues it
        l = lines[k]
        return not taken[k] and l.strip() and not is_list_item(l, rules) and \
            len(l) - len(l.lstrip()) > indent

    i, n = 0, len(lines)
    while i < n:
        if not item(i):
            i += 1
            continue
        j, items = i, 1
        indent = len(LIST_ITEM.match(lines[i]).group("indent"))
        while True:
            k = j + 1
            while k < n and cont(k, indent):
                k += 1
            if k > j + 1:
                j = k - 1
                continue
            b = k
            while b < n and not lines[b].strip():
                b += 1
            if b < n and item(b):
                j, items = b, items + 1
                continue
            break
        if items >= 2 or LIST_ITEM.match(lines[i]).group("marker") in "•‣◦▪":
            ordered = bool(re.match(r"\d", LIST_ITEM.match(lines[i]).group("marker")))
            take(i, j, "list", {"ordered": ordered})
        i = j + 1


def _tables(lines, taken, take, rules) -> None:
    def row(k):
        return not taken[k] and is_table_row(lines[k]) and not rules.structural(lines[k])

    for a, b in _runs(lines, row):
        rows = [lines[k] for k in range(a, b + 1)]
        sep = any(TABLE_SEPARATOR.fullmatch(r.strip()) for r in rows)
        counts = [_cells(r) for r in rows if not TABLE_SEPARATOR.fullmatch(r.strip())]
        if len(rows) >= 2 and (sep or max(counts) - min(counts) <= 1):
            take(a, b, "table", {"header": sep})

    # an infobox flattened to short label/value lines, one after another
    def short(k):
        s = lines[k].strip()
        return not taken[k] and 0 < len(s) <= 60 and len(s.split()) <= 8 and \
            re.search(r"\w", s) is not None and \
            not re.search(r"[.!?。！？…:;,]$", s) and not is_list_item(lines[k], rules) and \
            not rules.structural(lines[k])

    for a, b in _runs(lines, short):
        if b - a + 1 >= 5 and statistics.median(len(lines[k].strip()) for k in range(a, b + 1)) <= 30:
            take(a, b, "table", {"infobox": True})


def forms(doc: Document, rules: Rules) -> None:
    """Mark lists, tables, code and long blank runs as provisional blocks."""
    entries = list(lines_with_offsets(doc.text))
    lines = [l for _, l in entries]
    blocks = []
    for a, b, kind, attrs in find_forms(lines, rules):
        start = entries[a][0]
        end = entries[b][0] + len(entries[b][1])
        blocks.append(Block(kind, start, end, attrs=attrs))
    for g in doc.blocks:
        if g.kind in ("gap", "indent") and not any(b.start <= g.start < b.end for b in blocks):
            blocks.append(g)
    doc.blocks = sorted(blocks, key=lambda b: b.start)


def gaps(doc: Document) -> None:
    """Runs of two or more blank lines in the scrape itself (not left by removed furniture), and the
    indentation of each indented line (kept as "indent" blocks: a reply may be indented under the
    comment it answers, and the spaces step removes the indentation)."""
    doc.blocks = [Block("gap", m.start(), m.end())
                  for m in re.finditer(r"\n[ \t\u00a0\u3000]*\n([ \t\u00a0\u3000]*\n)+", doc.text)]
    for off, line in lines_with_offsets(doc.text):
        lead = len(line) - len(line.lstrip(" \t\u00a0\u3000"))
        if 0 < lead < len(line):
            doc.blocks.append(Block("indent", off, off + len(line),
                                    attrs={"width": len(line[:lead].expandtabs(4))}))
    doc.blocks.sort(key=lambda b: b.start)


def _form_at(doc: Document, pos: int, end: int | None = None) -> Block | None:
    """The provisional form block holding text[pos:end] (a position, when end is None)."""
    end = pos if end is None else end
    for b in doc.blocks:
        if b.kind in FORM_KINDS and b.start <= pos and end <= b.end:
            return b
    return None



def spaces(doc: Document) -> None:
    edits = []
    for off, line in lines_with_offsets(doc.text):
        form = _form_at(doc, off, off + len(line)) if line.strip() else None
        lead = len(line) - len(line.lstrip(" \t\u00a0\u3000"))
        if form is not None and form.kind == "code":
            lead = 0              # code keeps its indentation
        trail = len(line) - len(line.rstrip(" \t\u00a0\u3000"))
        if lead == len(line) and line:
            edits.append(Edit(off, off + len(line), "", "whitespace", "line of spaces emptied", rule="spaces"))
            continue
        if lead:
            edits.append(Edit(off, off + lead, "", "whitespace", "spaces at a line start removed", rule="spaces"))
        if trail:
            edits.append(Edit(off + len(line) - trail, off + len(line), "", "whitespace",
                              "spaces at a line end removed", rule="spaces"))
    doc.apply("spaces", edits)


STRAY = re.compile(r"(?m)^[.,;:]+ +(?=\S)")


def stray_punctuation(doc: Document) -> None:
    edits = [Edit(m.start(), m.end(), "", "typo", "punctuation stranded at the start of a paragraph "
                  "(it belongs to the line before) removed", rule="stray-punctuation")
             for m in STRAY.finditer(doc.text) if _form_at(doc, m.start()) is None]
    doc.apply("stray-punctuation", edits)


def _first_word(line: str) -> str:
    return line.split(" ", 1)[0]


def _wrap_width(lines: list[str]) -> int | None:
    """The width a run of lines was hard-wrapped at, or None if it was not."""
    if len(lines) < 5:
        return None
    candidates = [len(l) for l in lines if 50 <= len(l) <= 160]
    if len(candidates) < 5:
        return None
    width = max(candidates)
    near = [n for n in candidates if n >= width - 15]
    if len(near) >= 0.5 * len(lines) and statistics.pstdev(near) < 6:
        return width
    return None


def unwrap(doc: Document, rules: Rules) -> None:
    """Join lines broken mid-sentence.

    Two rules.  A line that does not end like a sentence, followed (perhaps
    after blank lines) by one that starts in lower case or with a digit, is
    joined to it.  And inside a run of lines hard-wrapped at a fixed width,
    a line is joined to the next when the next one's first word would have
    fitted on it only past that width.
    """
    text = doc.text
    entries = list(lines_with_offsets(text))
    content = [(i, off, line) for i, (off, line) in enumerate(entries) if line.strip()]
    # runs of adjacent lines (no blank line between), broken at structural lines
    # each line's structural test once: both passes below ask it of every line, some twice
    structural = [rules.structural(line) for _, _, line in content]
    widths: dict[int, int] = {}
    run: list[tuple[int, int, str]] = []

    def close(run):
        w = _wrap_width([l for _, _, l in run])
        if w:
            for i, _, _ in run:
                widths[i] = w

    for k, item in enumerate(content):
        i, off, line = item
        if run and (i != run[-1][0] + 1 or structural[k]):
            close(run)
            run = []
        if not structural[k]:
            run.append(item)
    close(run)

    edits = []
    for k, ((i, off, line), (j, off2, nxt)) in enumerate(zip(content, content[1:])):
        if structural[k] or structural[k + 1] or i == content[0][0]:
            continue
        if _form_at(doc, off, off + len(line)) or _form_at(doc, off2, off2 + len(nxt)):
            continue              # lists, tables and code keep their lines
        if rules.quote_marker.match(nxt) or HEADING_SIGN.match(line):
            continue              # a quotation starts, or a '#'-marked heading ends, where it is
        if j > i + 1 and len(line.split()) <= 2:
            continue              # a name or a sign-off standing alone ("Neal")
        ends_sentence = bool(rules.terminal.search(line[-1:]))
        starts_low = bool(re.match(r"[a-z0-9\u00df-\u00ff]", nxt))
        reason = None
        if not ends_sentence and starts_low:
            reason, rule = "paragraph broken mid-sentence joined", "unwrap:mid-sentence"
        elif j == i + 1 and i in widths and j in widths and \
                len(line) + 1 + len(_first_word(nxt)) > widths[i] - 3:
            reason, rule = "line hard-wrapped at a fixed width joined", "unwrap:hard-wrap"
        if reason:
            edits.append(Edit(off + len(line), off2, " ", "unwrap", reason, rule=rule))
    doc.apply("unwrap", edits)


def paragraphs(doc: Document) -> None:
    edits = []
    text = doc.text
    for m in re.finditer(r"\n+", text):
        form = _form_at(doc, m.start(), m.end())
        if form is not None and form.start < m.start() and m.end() < form.end:
            if len(m.group()) > 2:    # inside a list, table or code: lines stay lines
                edits.append(Edit(m.start(), m.end(), "\n\n", "whitespace",
                                  "run of blank lines made one blank line", rule="paragraphs"))
            continue
        if m.start() == 0 or m.end() == len(text):
            edits.append(Edit(m.start(), m.end(), "", "whitespace", "blank lines at the start or end removed",
                              rule="paragraphs"))
        elif m.group() != "\n\n":
            why = ("line break made a paragraph break" if m.group() == "\n"
                   else "run of blank lines made one paragraph break")
            edits.append(Edit(m.start(), m.end(), "\n\n", "whitespace", why, rule="paragraphs"))
    doc.apply("paragraphs", edits)


def run(doc: Document, rules: Rules) -> None:
    gaps(doc)
    boilerplate(doc, rules)
    repeats(doc)
    glued_labels(doc, rules)
    masthead(doc)
    corrections(doc)
    forms(doc, rules)
    spaces(doc)
    stray_punctuation(doc)
    unwrap(doc, rules)
    paragraphs(doc)
