"""Stage 2, clean: remove page furniture and repair broken lines.

Each step is its own function, text in, edits out:

* ``boilerplate``  drops lines that match the general rules in
  seeds/cleaning.yml or the scrape's own ``boilerplate`` list;
* ``corrections``  applies the scrape's recorded corrections (typos,
  censor artefacts) from its data file;
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
from ..core.model import Document, Edit


def lines_with_offsets(text: str):
    pos = 0
    for line in text.split("\n"):
        yield pos, line
        pos += len(line) + 1


def boilerplate(doc: Document, rules: Rules) -> None:
    own = {s.strip() for s in doc.meta.get("boilerplate") or []}
    edits = []
    text = doc.text
    for off, line in lines_with_offsets(text):
        s = line.strip()
        if not s:
            continue
        reason = None
        if s in own:
            reason, rule = "page furniture listed in the scrape's data file", "data:boilerplate"
        else:
            for pat, why in rules.boilerplate:
                if pat.fullmatch(s):
                    reason, rule = why, f"cleaning:{pat.pattern}"
                    break
        if reason:
            end = off + len(line)
            if end < len(text):
                end += 1          # the line's newline goes with it
            edits.append(Edit(off, end, "", "boilerplate", reason, rule=rule))
    doc.apply("boilerplate", edits)


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


def spaces(doc: Document) -> None:
    edits = []
    for off, line in lines_with_offsets(doc.text):
        lead = len(line) - len(line.lstrip(" \t\u00a0\u3000"))
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
             for m in STRAY.finditer(doc.text)]
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
    widths: dict[int, int] = {}
    run: list[tuple[int, int, str]] = []

    def close(run):
        w = _wrap_width([l for _, _, l in run])
        if w:
            for i, _, _ in run:
                widths[i] = w

    for k, item in enumerate(content):
        i, off, line = item
        if run and (i != run[-1][0] + 1 or rules.structural(line)):
            close(run)
            run = []
        if not rules.structural(line):
            run.append(item)
    close(run)

    edits = []
    for (i, off, line), (j, off2, nxt) in zip(content, content[1:]):
        if rules.structural(line) or rules.structural(nxt) or i == content[0][0]:
            continue
        if rules.quote_marker.match(nxt):
            continue
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
        if m.start() == 0 or m.end() == len(text):
            edits.append(Edit(m.start(), m.end(), "", "whitespace", "blank lines at the start or end removed",
                              rule="paragraphs"))
        elif m.group() != "\n\n":
            why = ("line break made a paragraph break" if m.group() == "\n"
                   else "run of blank lines made one paragraph break")
            edits.append(Edit(m.start(), m.end(), "\n\n", "whitespace", why, rule="paragraphs"))
    doc.apply("paragraphs", edits)


def run(doc: Document, rules: Rules) -> None:
    boilerplate(doc, rules)
    corrections(doc)
    spaces(doc)
    stray_punctuation(doc)
    unwrap(doc, rules)
    paragraphs(doc)
