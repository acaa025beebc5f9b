"""Stage 1, read: raw bytes in, Unicode text out.

Decodes UTF-8 (or UTF-16 when the file starts with its byte-order mark),
drops a byte-order mark, turns CRLF and lone CR into LF, repairs mojibake
with ftfy, and removes control and direction-override characters.  Every
step is an edit in the record, so the raw bytes can be rebuilt.  A scrape
that cannot be decoded, or that has no text left (empty, or only
whitespace and control characters), stops the build with an EditionError.
"""
from __future__ import annotations

import difflib
import re

import ftfy

from ..core.errors import EditionError
from ..core.model import Document, Edit

BOMS = [(b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")]

# ftfy repairs encoding errors only; it must not restyle the text
# (curly quotes, ligatures, width, Unicode normalisation stay as scraped).
FTFY = ftfy.TextFixerConfig(
    unescape_html=False, remove_terminal_escapes=False, fix_encoding=True,
    restore_byte_a0=True, replace_lossy_sequences=True, decode_inconsistent_utf8=True,
    fix_c1_controls=True, fix_latin_ligatures=False, fix_character_width=False,
    uncurl_quotes=False, fix_line_breaks=False, fix_surrogates=True,
    remove_control_chars=False, normalization=None, explain=False,
)

# C0 controls other than tab and newline, DEL, C1 controls, bidirectional
# embeddings/overrides/isolates: invisible, and able to disguise text.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]+")


def decode(doc: Document) -> None:
    raw = doc.raw
    for bom, enc in BOMS:
        if raw.startswith(bom):
            doc.bom, doc.encoding, raw = True, enc, raw[len(bom):]
            break
    try:
        doc.text = raw.decode(doc.encoding)
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise EditionError(f"seeds/{doc.seed}", f"is not valid {doc.encoding.upper()}: byte "
                           f"{raw[exc.start:exc.start + 1]!r} at offset {exc.start} cannot be decoded",
                           line=line, hint="save the scrape as UTF-8 (for example with iconv) and add it again")
    doc.stages.append("read")


def line_ends(doc: Document) -> None:
    edits = [Edit(m.start(), m.end(), "\n", "whitespace", "Windows or old Mac line end made a plain newline",
                  rule="line-end")
             for m in re.finditer(r"\r\n?", doc.text)]
    doc.apply("line-ends", edits)


def mojibake(doc: Document) -> None:
    edits = []
    pos = 0
    for line in doc.text.split("\n"):
        fixed = ftfy.fix_text(line, FTFY)
        if fixed != line:
            sm = difflib.SequenceMatcher(None, line, fixed, autojunk=False)
            for op, a1, a2, b1, b2 in sm.get_opcodes():
                if op != "equal":
                    edits.append(Edit(pos + a1, pos + a2, fixed[b1:b2], "encoding",
                                      "mis-decoded characters (mojibake) repaired", rule="ftfy"))
        pos += len(line) + 1
    doc.apply("mojibake", edits)


def controls(doc: Document) -> None:
    edits = [Edit(m.start(), m.end(), "", "control", "invisible control character removed",
                  rule="control-characters")
             for m in CONTROL.finditer(doc.text)]
    doc.apply("controls", edits)


def has_text(doc: Document) -> None:
    """Stop on a scrape with nothing to read: a page for it would be empty."""
    if not doc.text.strip():
        what = "is empty" if not doc.raw else "holds only whitespace or control characters"
        raise EditionError(f"seeds/{doc.seed}", f"has no text: the scrape {what}",
                           hint="a page needs some text; remove the scrape, its data file and its line in "
                                "seeds/MANIFEST.sha256, or add the complete scrape in its place")


def run(doc: Document) -> None:
    decode(doc)
    line_ends(doc)
    mojibake(doc)
    controls(doc)
    has_text(doc)
