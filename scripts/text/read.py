"""Stage 1, read: raw bytes in, Unicode text out.

Decodes the scrape: UTF-16 or UTF-8 when it starts with their byte-order
mark, else UTF-8, else (a saved page) the charset the page declares, else a
legacy encoding (Windows-1252, Latin-1, GB18030, Shift-JIS, EUC-JP, Big5,
EUC-KR, Windows-1251/1250, KOI8-R) found by charset-normalizer.  A legacy
reading is taken only when it gives back the exact bytes when encoded again
and reads like text (its non-ASCII characters are letters inside words or
punctuation, not stray symbols); the encoding goes into the record, so the
raw bytes are rebuilt exactly, and into the page's source box.

A saved web page (.html, .htm) is then turned into text by ``html.extract``
(trafilatura): that whole conversion is ONE change in the record, whose
scraped reading is the page as decoded, so the record still rebuilds it.

Then: CRLF and lone CR become LF, mojibake is repaired with ftfy, and
control and direction-override characters are removed.  Every step is an
edit in the record, so the raw bytes can be rebuilt.  A scrape that cannot
be decoded, or that has no text left (empty, or only whitespace and
control characters), stops the build with an EditionError.
"""
from __future__ import annotations

import difflib
import re
import unicodedata

import ftfy

from ..core.errors import EditionError
from ..core.model import Document, Edit
from . import html

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


# Legacy encodings tried when a scrape is not UTF-8, in order of preference
# among the readings charset-normalizer finds equally good, with their names.
LEGACY = {
    "cp1252": "Windows-1252", "latin_1": "Latin-1 (ISO 8859-1)", "gb18030": "GB18030",
    "shift_jis": "Shift-JIS", "cp932": "Shift-JIS (Windows code page 932)", "euc_jp": "EUC-JP",
    "big5": "Big5", "euc_kr": "EUC-KR", "cp1251": "Windows-1251", "koi8_r": "KOI8-R",
    "cp1250": "Windows-1250", "iso8859_15": "Latin-9 (ISO 8859-15)",
}
# what a page's declared charset is read as (first that fits), after the
# WHATWG encoding standard: browsers read "iso-8859-1" as Windows-1252 and
# "gb2312" as GBK, whose superset is GB18030
DECLARED = {
    "iso-8859-1": ["cp1252", "latin_1"], "latin1": ["cp1252", "latin_1"], "us-ascii": ["cp1252", "latin_1"],
    "ascii": ["cp1252", "latin_1"], "windows-1252": ["cp1252", "latin_1"],
    "gb2312": ["gb18030"], "gbk": ["gb18030"], "x-gbk": ["gb18030"],
    "shift_jis": ["shift_jis", "cp932"], "shift-jis": ["shift_jis", "cp932"], "sjis": ["shift_jis", "cp932"],
    "x-sjis": ["shift_jis", "cp932"], "windows-31j": ["cp932"],
}


def encoding_name(enc: str) -> str:
    return LEGACY.get(enc) or {"utf-8": "UTF-8", "utf-16-le": "UTF-16", "utf-16-be": "UTF-16"}.get(enc, enc)


def _exact(raw: bytes, enc: str) -> str | None:
    """raw decoded with enc, when that reading encodes back to the very same bytes."""
    try:
        text = raw.decode(enc)
        return text if text.encode(enc) == raw else None
    except (UnicodeError, LookupError):
        return None


def reads_as_text(text: str) -> bool:
    """Whether a legacy reading looks like text rather than stray bytes.

    Each non-ASCII character counts for the reading when it is a letter
    beside another letter (café, 中文) or punctuation or a currency sign or a
    space (’ – € NBSP 、); against it when it is a lone letter (" ÿ "), a
    control, a private-use or unassigned character or another symbol.
    """
    good = bad = 0
    for i, ch in enumerate(text):
        if ch < "\x80":
            continue
        cat = unicodedata.category(ch)
        if cat[0] == "L" or cat == "Mn":
            near = text[i - 1:i] + text[i + 1:i + 2]
            if any(c.isalpha() for c in near):
                good += 1
            else:
                bad += 1
        elif cat[0] == "P" or cat in ("Sc", "Zs", "Nd", "No"):
            good += 1
        else:
            bad += 1
    return good > bad


def legacy(raw: bytes) -> tuple[str, str] | None:
    """(encoding, text) of a legacy reading of raw that is exact and reads as text, or None."""
    from charset_normalizer import from_bytes
    results = list(from_bytes(raw))
    if not results:
        return None
    best = min(r.chaos for r in results)
    close = [r.encoding for r in results if r.chaos <= best + 0.02]
    order = list(LEGACY)
    # among single-byte Latin readings that tie, Windows-1252 is by far the most common
    if any(e.startswith(("cp125", "iso8859", "latin", "mac_", "cp8", "cp4")) for e in close):
        close.append("cp1252")
    ranked = sorted({e for e in close if e in LEGACY}, key=order.index)
    for enc in ranked:
        for candidate in (["shift_jis", "cp932"] if enc == "cp932" else [enc]):
            text = _exact(raw, candidate)
            if text is not None and reads_as_text(text):
                return candidate, text
    return None


def decode(doc: Document) -> None:
    raw = doc.raw
    for bom, enc in BOMS:
        if raw.startswith(bom):
            doc.bom, doc.encoding, raw = True, enc, raw[len(bom):]
            break
    if doc.bom:
        try:
            doc.text = raw.decode(doc.encoding)
        except UnicodeDecodeError as exc:
            _undecodable(doc, raw, exc, doc.encoding.upper().replace("-LE", "").replace("-BE", ""))
        doc.stages.append("read")
        return
    tried = []
    if html.is_html(doc.seed):
        declared = html.declared_charset(raw)
        if declared and declared not in ("utf-8", "utf8"):
            tried = DECLARED.get(declared, [declared])
    for enc in tried + ["utf-8"]:
        text = _exact(raw, enc)
        if text is not None:
            doc.encoding, doc.text = enc, text
            doc.stages.append("read")
            return
    found = legacy(raw)
    if found is None:
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            _undecodable(doc, raw, exc, "UTF-8", legacy_tried=True)
    doc.encoding, doc.text = found
    doc.stages.append("read")


def _undecodable(doc: Document, raw: bytes, exc: UnicodeDecodeError, name: str, legacy_tried=False):
    line = raw[:exc.start].count(b"\n") + 1
    also = (" nor in any legacy encoding that reads it cleanly (Windows-1252, Latin-1, GB18030, Shift-JIS, "
            "EUC-JP, Big5, EUC-KR, Windows-1251/1250, KOI8-R)" if legacy_tried else "")
    raise EditionError(f"seeds/{doc.seed}", f"is not valid {name}{also}: byte "
                       f"{raw[exc.start:exc.start + 1]!r} at offset {exc.start} cannot be decoded",
                       line=line, hint="save the scrape as UTF-8 (for example with iconv -f ENCODING -t UTF-8) "
                                       "and add it again; the file was not changed")


def extract_html(doc: Document) -> None:
    """A saved web page: its markup and furniture out, its text in the text form, as one change."""
    if not html.is_html(doc.seed):
        return
    page = doc.text
    ex = html.extract(page)
    comments = (f"; {ex.comments} comments with their authors from its {ex.comment_system} comment markup"
                if ex.comments else "")
    reason = (f"HTML markup and page furniture removed by {html.EXTRACTOR}: the saved page's "
              f"{len(page):,} characters became {len(ex.text):,} characters of text{comments}")
    doc.apply("extract", [Edit(0, len(page), ex.text, "boilerplate", reason, rule=f"html:{html.EXTRACTOR}",
                               data={"extractor": html.EXTRACTOR, "comments": ex.comments})])


def describe(doc: Document) -> str:
    """How the scrape was read, for the page's source box ("" for a plain UTF-8 text)."""
    parts = []
    if html.is_html(doc.seed):
        rule = next((c.rule for c in doc.changes if c.stage == "extract"), "")
        parts.append(f"saved web page, text extracted with {rule.removeprefix('html:') or html.EXTRACTOR}")
    if doc.encoding in LEGACY:
        parts.append(f"decoded from {encoding_name(doc.encoding)}")
    return "; ".join(parts)


def line_ends(doc: Document) -> None:
    edits = [Edit(m.start(), m.end(), "\n", "whitespace", "Windows or old Mac line end made a plain newline",
                  rule="line-end")
             for m in re.finditer(r"\r\n?", doc.text)]
    doc.apply("line-ends", edits)


def mojibake(doc: Document) -> None:
    edits = []
    pos = 0
    for line in doc.text.split("\n"):
        # ftfy leaves an ASCII line as it is (with these fixes), and most lines are
        fixed = line if line.isascii() else ftfy.fix_text(line, FTFY)
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
    extract_html(doc)
    line_ends(doc)
    mojibake(doc)
    controls(doc)
    has_text(doc)
