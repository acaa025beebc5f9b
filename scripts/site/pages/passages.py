"""Passages the data files point at (themes.yml, timeline.yml), found in their texts; the files loaded and checked."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ...core import anchors, datafiles
from ...core.errors import EditionError, did_you_mean, rel
from ...text.crosslink import Glossary

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_WHEN = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


@dataclass
class Passage:
    doc: object
    start: int
    end: int
    block: int
    note: str = ""
    file: str = ""
    line: int | None = None
    sent_start: int = 0
    sent_end: int = 0

    @property
    def block_id(self) -> str:
        return self.doc.blocks[self.block].id


@dataclass
class Theme:
    id: str
    title: str
    summary: str
    entities: list[str]
    passages: list[Passage]
    line: int | None = None


@dataclass
class Event:
    id: str
    when: str
    date: str
    title: str
    text: str
    status: str
    sources: list[str]
    entities: list[str]
    mentions: list[Passage]
    line: int | None = None


def find_doc(name: str, docs, file: str, what: str, line: int | None):
    for d in docs:
        if name in (d.seed, d.stem, d.slug):
            return d
    names = [d.slug for d in docs] + [d.stem for d in docs]
    raise EditionError(file, f"{what}: no text called {name!r}", line=line,
                       hint=did_you_mean(name, names) or "use a text's slug: " + ", ".join(d.slug for d in docs))


_SENT_END = re.compile(r"[.!?…](?:[”’\"')\]]*)(?=\s|$)")


def sentence_span(text: str, s: int, e: int, b0: int, b1: int) -> tuple[int, int]:
    """The sentence(s) of the block [b0, b1) around the span [s, e)."""
    start = b0
    for m in _SENT_END.finditer(text, b0, s):
        start = m.end()
    while start < s and text[start].isspace():
        start += 1
    m = _SENT_END.search(text, max(e - 1, b0), b1)
    end = m.end() if m else b1
    return start, max(end, e)


def locate(doc, entry, file: str, what: str) -> Passage:
    line = getattr(entry, "line", None)
    s, e = anchors.select(doc.text, entry["exact"], entry.get("prefix") or "", entry.get("suffix") or "",
                          file=file, what=what, line=line)
    for i, b in enumerate(doc.blocks):
        if b.start <= s and e <= b.end:
            ss, se = sentence_span(doc.text, s, e, b.start, b.end)
            return Passage(doc, s, e, i, " ".join(str(entry.get("note") or "").split()), file, line, ss, se)
    raise EditionError(file, f"{what}: the quote {entry['exact']!r} is not inside one paragraph "
                             "(it spans a paragraph break, or lies in removed text)", line=line,
                       hint="quote words from a single paragraph of the clean text "
                            "(`python -m scripts text SEED` prints it)")


def _check_id(value: str, file: str, what: str, line, seen: dict) -> None:
    if not _ID.match(value):
        raise EditionError(file, f"{what} id {value!r} is not a lower-case slug", line=line,
                           hint="use lower-case letters, digits and single hyphens")
    if value in seen:
        raise EditionError(file, f"{what} id {value!r} is used twice (first on line {seen[value]})", line=line,
                           hint=f"give each {what} its own id")
    seen[value] = line


def themes_path(seeds: Path) -> Path:
    return Path(seeds) / "themes.yml"


def timeline_path(seeds: Path) -> Path:
    return Path(seeds) / "timeline.yml"


def load_themes(path: Path, docs, glossary: Glossary) -> tuple[list[Theme], dict[str, str]]:
    """The themes and the short titles of the texts; nothing when the file is missing."""
    path = Path(path)
    file = rel(path)
    if not path.exists():
        return [], {}
    data = datafiles.load_yaml(path)
    datafiles.validate(data, "themes", file)
    short = {}
    slines = getattr(data.get("short_titles") or {}, "lines", {})
    for k, v in (data.get("short_titles") or {}).items():
        d = find_doc(str(k), docs, file, "short_titles", slines.get(k))
        if not isinstance(v, str) or not v.strip():
            raise EditionError(file, f"short_titles: the title of {k!r} should be a line of text", line=slines.get(k))
        short[d.slug] = " ".join(v.split())
    themes, seen = [], {}
    for t in data["themes"]:
        line = getattr(t, "line", None)
        _check_id(t["id"], file, "theme", line, seen)
        glossary.check_ids(t.get("entities"), file, f"theme {t['id']!r}", getattr(t, "lines", {}).get("entities", line))
        passages = []
        for k, p in enumerate(t["passages"]):
            pline = getattr(p, "line", line)
            what = f"theme {t['id']!r}, passage {k + 1}"
            d = find_doc(p["text"], docs, file, what, pline)
            passages.append(locate(d, p, file, what))
        texts = {p.doc.slug for p in passages}
        if len(texts) < 2:
            raise EditionError(file, f"theme {t['id']!r} has passages in only one text", line=line,
                               hint="a theme links the same claim across texts: add a passage from another text")
        spans = sorted((p.doc.slug, p.start, p.end, p.line) for p in passages)
        for a, b in zip(spans, spans[1:]):
            if a[0] == b[0] and b[1] < a[2]:
                raise EditionError(file, f"theme {t['id']!r}: two passages overlap (lines {a[3]} and {b[3]})",
                                   line=b[3], hint="quote each passage once")
        themes.append(Theme(t["id"], " ".join(t["title"].split()), " ".join(t["summary"].split()),
                            list(t.get("entities") or []), passages, line))
    # a passage may belong to one theme only: its margin note names one theme
    where = {}
    for t in themes:
        for p in t.passages:
            key = (p.doc.slug, p.sent_start, p.sent_end)
            if key in where:
                raise EditionError(file, f"theme {t.id!r}: the sentence of the passage on line {p.line} is already "
                                         f"a passage of theme {where[key][0]!r} (line {where[key][1]})", line=p.line,
                                   hint="quote another sentence, or keep the passage in one theme")
            where[key] = (t.id, p.line)
    return themes, short


def load_timeline(path: Path, docs, glossary: Glossary) -> list[Event]:
    path = Path(path)
    file = rel(path)
    if not path.exists():
        return []
    data = datafiles.load_yaml(path)
    import datetime
    for ev in (data.get("events") or []) if isinstance(data, dict) else []:
        # YAML reads an unquoted 2025-01-20 as a date; a bare 2015 as a number
        if isinstance(ev, dict) and isinstance(ev.get("when"), (datetime.date, int)):
            ev["when"] = ev["when"].isoformat() if isinstance(ev["when"], datetime.date) else str(ev["when"])
    datafiles.validate(data, "timeline", file)
    events, seen = [], {}
    for ev in data["events"]:
        line = getattr(ev, "line", None)
        lines = getattr(ev, "lines", {})
        _check_id(ev["id"], file, "event", line, seen)
        if not _WHEN.match(ev["when"]):
            raise EditionError(file, f"event {ev['id']!r}: 'when' is {ev['when']!r}, not a date", line=lines.get("when"),
                               hint="write YYYY, YYYY-MM or YYYY-MM-DD (quote a bare year: \"2015\")")
        glossary.check_ids(ev.get("entities"), file, f"event {ev['id']!r}", lines.get("entities", line))
        if ev["status"] == "verified" and not ev.get("sources"):
            raise EditionError(file, f"event {ev['id']!r} is marked verified but lists no sources", line=line,
                               hint="list where the date was checked, or mark it 'unverified'")
        mentions = []
        for k, m in enumerate(ev["mentions"]):
            what = f"event {ev['id']!r}, mention {k + 1}"
            d = find_doc(m["text"], docs, file, what, getattr(m, "line", line))
            mentions.append(locate(d, m, file, what))
        if not mentions:
            raise EditionError(file, f"event {ev['id']!r} has no mentions", line=line,
                               hint="the timeline lists events the texts mention; quote where")
        events.append(Event(ev["id"], ev["when"], " ".join(str(ev["date"]).split()), " ".join(ev["title"].split()),
                            " ".join(ev["text"].split()), ev["status"], [" ".join(s.split()) for s in ev.get("sources") or []],
                            list(ev.get("entities") or []), mentions, line))
    events.sort(key=lambda e: (e.when, e.line or 0))
    return events
