"""`python -m scripts add PATH`: bring a new scrape into the collection.

Copies the file into seeds/ byte for byte (under its own name, or a
numbered name when it has none that fits), records its SHA-256 in the
manifest, and writes a starter data file.  The next build gives it a page
with the same cleaning as every other scrape; the data file is where a
maintainer then fills in what rules cannot know.  A saved web page (.html,
.htm) is kept as saved too; its title, author, date, site name, address and
language, as the page states them, fill the starter data file.  A scrape
the build could not read (in no encoding that reads it cleanly, or with no
text at all) is refused before anything is written.
"""
from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

from ..core import corpus
from ..text import html, read
from ..core.errors import EditionError, rel
from ..core.model import Document

# characters a YAML file may not hold (or reads as line breaks)
_YAML_UNSAFE = re.compile("[^\t\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029\ufeff]")

STARTER = """\
# Editorial data for {name} (the raw scrape is never edited).
# Fill in what the rules cannot know; `python -m scripts check` validates it.
slug: {slug}
title: {title}
summary: >-
  (Write two or three sentences, in your own words, on what this text is and says.)
spun: auto                # true / false / auto (decided by the spin detector)
source:
  kind: {kind}
  publication: {publication}
  author: {author}
  date: {date}
  url: {url}{language}
boilerplate: []           # whole lines to drop that the general rules in cleaning.yml miss
corrections: []           # - {{sic: "...", corr: "...", kind: typo|censor, reason: "..."}}
structure: {{}}
# structure can hold:
#   headings: [first words of each heading paragraph]    (omit: short lines are guessed)
#   quotes:                                              (omit: a paragraph after "...:" is guessed)
#     - {{start: "first words", end: "first words of last paragraph", cite: "who"}}
#   comments: {{start: "first words of the first comment"}}
"""


def slugify(s: str, limit: int = 60) -> str:
    s = re.sub(r"['’]", "", s.casefold())                       # "don't" -> "dont"
    s = re.sub(r"[^\w\s-]", " ", s, flags=re.ASCII)              # "r/place" -> "r place"
    s = re.sub(r"[\s_-]+", "-", s).strip("-")
    if len(s) > limit:            # end at a word boundary
        cut = s[:limit + 1]
        s = cut.rsplit("-", 1)[0] if "-" in cut else s[:limit]
    return s or "text"


def title_of(probe: Document, seeds: Path) -> str:
    """The headline as the build will find it: the title block after cleaning, never a menu,
    a skip link, a comment counter or a doctype; else the opening words of the text."""
    from ..text import clean, structure
    try:
        rules = corpus.load_rules(seeds)
    except EditionError:
        return ""
    doc = Document(seed=probe.seed, raw=probe.raw, meta={"slug": "x", "summary": "", "source": {}})
    doc.text, doc.encoding, doc.bom = probe.text, probe.encoding, probe.bom
    clean.run(doc, rules)
    structure.run(doc, rules)
    block = next((b for b in doc.blocks if b.kind == "title"), None)
    if block is not None:
        title = doc.block_text(block)
        return re.sub(r"\s+\((?:[\w-]+\.)+[a-z]{2,}\)$", "", title)     # "(example.com)" after a link title
    return opening_words(doc, rules)


def opening_words(doc: Document, rules) -> str:
    """A title for a text without a headline: its first sentence when short, else its first
    words; never a date line, a placeholder ("Coming soon") or a callout label."""
    from ..text.structure import DATE
    texts = [doc.block_text(b) for b in doc.blocks if b.kind not in ("code", "table")]
    first = next((t for t in texts if not DATE.fullmatch(t.strip()) and not rules.is_placeholder(t)
                  and not rules.is_label(t)), texts[0] if texts else "")
    first = re.sub(r"^\s*(?:[-*•‣◦▪]|\d{1,3}[.)])\s+", "", first)      # a list item without its mark
    sentence = re.match(r".+?[.!?](?=\s|$)", first)
    if sentence and 2 <= len(sentence.group().split()) <= 16:
        return sentence.group()
    words = first.split()
    return " ".join(words[:8]) + ("…" if len(words) > 8 else "")


def add(path: str, slug: str | None = None, seeds: Path = corpus.SEEDS) -> Path:
    src = Path(path)
    if not src.is_file():
        raise EditionError(path, "no such file")
    raw = src.read_bytes()
    # read it as the build will: a scrape the build cannot read is refused here
    probe = Document(seed=src.name, raw=raw, meta={})
    try:
        read.run(probe)
    except EditionError as exc:
        raise EditionError(path, exc.message, line=exc.line, hint=exc.hint) from None
    sums = corpus.read_manifest(seeds) if (seeds / corpus.MANIFEST).exists() else {}
    digest = corpus.sha256(raw)
    for name, h in sums.items():
        if h == digest:
            raise EditionError(path, f"is already in the collection as seeds/{name}")
    suffix = src.suffix.lower() if src.suffix.lower() in corpus.SEED_SUFFIXES else ".txt"
    name = src.stem + suffix
    taken_stems = {p.stem for p in corpus.seed_files(seeds)}
    if not re.fullmatch(r"[\w.-]+", src.stem, flags=re.ASCII) or src.stem in taken_stems:
        n = len(corpus.seed_files(seeds))
        name = f"{n:03d}_{digest[:16]}{suffix}"
    dest = seeds / name
    shutil.copyfile(src, dest)
    if dest.read_bytes() != raw:
        dest.unlink()
        raise EditionError(path, "copy into seeds/ is not byte-identical; nothing added")
    sums[name] = digest
    corpus.write_manifest(sums, seeds)

    # a YAML file cannot hold every character a scrape can
    first = _YAML_UNSAFE.sub("", " ".join(title_of(probe, seeds).split()))
    title = first if 0 < len(first) <= 120 else Path(name).stem
    source = dict(kind="unknown", publication="unknown", author="unknown", date="unknown", url="unknown",
                  language="")
    if html.is_html(name):
        # the page as decoded is the scraped reading of the extraction's change
        page = html.metadata(next(c.sic for c in probe.changes if c.stage == "extract"))
        title = _yaml_safe(page.title)[:200] or title
        source.update({k: _yaml_quote(_yaml_safe(v)) for k, v in
                       dict(publication=page.sitename, author=page.author, date=page.date, url=page.url).items()
                       if _yaml_safe(v)})
        source["kind"] = "saved web page"
        if _yaml_safe(page.language):
            source["language"] = f"\n  language: {_yaml_quote(_yaml_safe(page.language))}"
    taken = set()
    for p in corpus.seed_files(seeds):
        y = p.with_suffix(".yml")
        if y.exists():
            m = re.search(r"^slug:\s*(\S+)", y.read_text(encoding="utf-8"), re.M)
            if m:
                taken.add(m.group(1))
    base = slug or slugify(title)
    if base == "text" and source["url"] != "unknown":
        # a title in a script slugify keeps nothing of: the last part of the page's address
        tail = re.sub(r"\.[a-z]+$", "", source["url"].strip("'").rstrip("/").rsplit("/", 1)[-1])
        base = slugify(tail)
    if base == "text":
        base = slugify(Path(name).stem)
    final, i = base, 2
    while final in taken:
        final, i = f"{base}-{i}", i + 1
    data = dest.with_suffix(".yml")
    if not data.exists():
        data.write_text(STARTER.format(name=name, slug=final, title=_yaml_quote(title), **source),
                        encoding="utf-8")
    print(f"added seeds/{name} (sha256 {digest[:12]}…), data file {rel(data)}, slug {final}", file=sys.stderr)
    return dest


def _yaml_quote(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _yaml_safe(s: str) -> str:
    """One line a YAML file can hold."""
    return " ".join(_YAML_UNSAFE.sub("", s or "").split())
