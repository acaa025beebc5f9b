"""The seeds folder: scrapes, their checksums, their data files, the rules.

    seeds/NAME.txt          a raw scrape, never edited
    seeds/NAME.yml          editorial data for it (metadata, structure hints, corrections)
    seeds/NAME.notes.yml    margin notes anchored in its clean text
    seeds/MANIFEST.sha256   SHA-256 of every scrape, as `sha256sum` writes it
    seeds/cleaning.yml      cleaning rules for all scrapes
    seeds/spin-lexicon.yml  the de-spinner's lexicon and context rules
    seeds/glossary.yml      people, organisations, ideas; abbreviations
    seeds/themes.yml        passages that say the same thing in several texts
    seeds/timeline.yml      dated events the texts mention
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import datafiles
from .errors import EditionError, rel

# The project the commands work on: this checkout, or the folder named by the
# environment variable EDITION_ROOT (holding mkdocs.yml and seeds/; docs/ and
# site/ are written there).  The tests use it to run commands on a copy.
ROOT = Path(os.environ.get("EDITION_ROOT") or Path(__file__).resolve().parents[2]).resolve()
SEEDS = ROOT / "seeds"
MANIFEST = "MANIFEST.sha256"


# a scrape is a plain-text file or a saved web page
SEED_SUFFIXES = (".txt", ".html", ".htm")


def seed_files(seeds: Path = SEEDS) -> list[Path]:
    return sorted(p for p in seeds.iterdir() if p.suffix.lower() in SEED_SUFFIXES and p.is_file()) \
        if seeds.is_dir() else []


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_manifest(seeds: Path = SEEDS) -> dict[str, str]:
    path = seeds / MANIFEST
    if not path.exists():
        raise EditionError(rel(path), "is missing", hint="run `python -m scripts add PATH` for each scrape, "
                           "or write it with `sha256sum *.txt > MANIFEST.sha256` inside seeds/")
    sums = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        m = re.fullmatch(r"([0-9a-f]{64}) [ *](\S.*)", line.strip())
        if not m:
            raise EditionError(rel(path), f"line is not 'SHA256  FILENAME': {line!r}", line=n)
        sums[m.group(2)] = m.group(1)
    return sums


def write_manifest(sums: dict[str, str], seeds: Path = SEEDS) -> None:
    lines = [f"{h}  {name}\n" for name, h in sorted(sums.items())]
    (seeds / MANIFEST).write_text("".join(lines), encoding="utf-8")


def verify_seed(path: Path, raw: bytes, sums: dict[str, str]) -> None:
    name = path.name
    if name not in sums:
        raise EditionError(rel(path), "is not listed in seeds/MANIFEST.sha256",
                           hint=f"add it with `python -m scripts add {rel(path)}`")
    actual = sha256(raw)
    if actual != sums[name]:
        raise EditionError(rel(path), f"does not match its checksum in seeds/MANIFEST.sha256 "
                                      f"(expected {sums[name][:12]}…, found {actual[:12]}…)",
                           hint="raw scrapes are never edited; restore the file from the original "
                                "(for example `git checkout -- seeds/`), or add a new scrape as a new file")


def load_seed_data(path: Path) -> tuple[dict, Path]:
    data_path = path.with_suffix(".yml")
    if not data_path.exists():
        raise EditionError(rel(path), f"has no data file {data_path.name}",
                           hint="`python -m scripts add` writes a starter one")
    data = datafiles.load_yaml(data_path)
    datafiles.validate(data, "seed", rel(data_path))
    return data, data_path


@dataclass
class Rules:
    boilerplate: list
    comment_header: re.Pattern
    comment_signature: re.Pattern
    post_end: re.Pattern
    tweet_header: re.Pattern
    quote_marker: re.Pattern
    terminal: re.Pattern
    comments_open: re.Pattern | None = None    # a line that opens the comment section
    comment_end: re.Pattern | None = None      # a line that closes one comment
    inline: list = field(default_factory=list)  # furniture inside a line: (pattern, reason)
    sections: list = field(default_factory=list)  # furniture headings whose short lines go with them
    placeholder: re.Pattern | None = None     # a line that is never a title ("Coming soon")
    label: re.Pattern | None = None           # a callout label kept as text, never a heading ("Tip")

    def is_placeholder(self, line: str) -> bool:
        return self.placeholder is not None and bool(self.placeholder.fullmatch(line.strip()))

    def is_label(self, line: str) -> bool:
        return self.label is not None and bool(self.label.fullmatch(line.strip()))

    def structural(self, line: str) -> bool:
        s = line.strip()
        return any(p is not None and p.fullmatch(s)
                   for p in (self.comment_header, self.comment_signature, self.post_end, self.tweet_header,
                             self.comments_open, self.comment_end))


def load_rules(seeds: Path = SEEDS) -> Rules:
    path = seeds / "cleaning.yml"
    name = rel(path)
    data = datafiles.load_yaml(path)
    datafiles.validate(data, "cleaning", name)
    comp = datafiles.compile_pattern
    bp = [(comp(item["pattern"], name, item.lines.get("pattern")), item["reason"])
          for item in data["boilerplate"] if not item.get("inline")]
    sections = [comp(item["pattern"], name, item.lines.get("pattern"))
                for item in data["boilerplate"] if item.get("section")]
    inline = [(comp(item["pattern"], name, item.lines.get("pattern"), whole=False), item["reason"])
              for item in data["boilerplate"] if item.get("inline")]
    st = data["structure"]
    pats = {k: comp(v, name, st.lines.get(k), whole=(k != "quote_marker")) for k, v in st.items()}
    terminal = comp(data["unwrap"]["terminal"], name, data["unwrap"].lines.get("terminal"), whole=False)
    return Rules(bp, terminal=terminal, inline=inline, sections=sections, **pats)
