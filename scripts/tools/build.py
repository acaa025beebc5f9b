"""Build orchestration: every seed through the stages, then the site.

``build`` writes the generated Markdown into a temporary folder, builds the
site from it into another, and only when both succeed swaps them in for
docs/ and site/.  A failed build leaves both exactly as they were.
"""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from ..core import corpus
from ..text import pipeline
from ..core.errors import EditionError

ROOT = corpus.ROOT
# Fixed build date, so that two builds from the same inputs are identical
# (MkDocs stamps it into sitemap.xml).  2025-02-01, the month the texts date from.
SOURCE_DATE_EPOCH = "1738368000"


def lexicon_or_none(seeds: Path):
    path = seeds / "spin-lexicon.yml"
    if not path.exists():
        return None
    from ..text import despin
    return despin.load_lexicon(path)


def process_all(seeds: Path = corpus.SEEDS):
    """Run the text stages on every seed; return (documents, rules, lexicon)."""
    rules = corpus.load_rules(seeds)
    sums = corpus.read_manifest(seeds)
    lexicon = lexicon_or_none(seeds)
    docs = [pipeline.process(p, rules, lexicon, sums) for p in corpus.seed_files(seeds)]
    listed = set(sums) - {p.name for p in corpus.seed_files(seeds)}
    if listed:
        raise EditionError("seeds/MANIFEST.sha256", f"lists scrapes that are not in seeds/: {', '.join(sorted(listed))}")
    slugs = {}
    for d in docs:
        if d.slug in slugs:
            raise EditionError(d.data_path, f"slug {d.slug!r} is already used by {slugs[d.slug]}",
                               hint="every text needs its own slug")
        slugs[d.slug] = d.data_path
    return docs, rules, lexicon


def find_seed(name: str, seeds: Path = corpus.SEEDS) -> Path:
    for p in corpus.seed_files(seeds):
        if name in (p.name, p.stem):
            return p
        meta, _ = corpus.load_seed_data(p)
        if meta.get("slug") == name:
            return p
    raise EditionError(name, "is not a seed file name, stem or slug")


def clean_text(name: str) -> str:
    seeds = corpus.SEEDS
    path = find_seed(name, seeds)
    doc = pipeline.process(path, corpus.load_rules(seeds), lexicon_or_none(seeds))
    return doc.text


def collection_extras(docs, seeds: Path):
    """Margin notes and cross-links, when their modules and data are present."""
    from ..site import extras
    return extras.Extras(docs, seeds)


def generate(seeds: Path = corpus.SEEDS):
    """Process every seed and render every page; write nothing."""
    from ..site.tree import render_site
    docs, rules, lexicon = process_all(seeds)
    files = render_site(docs, collection_extras(docs, seeds))
    return docs, files


def _write_tree(files: dict, target: Path) -> None:
    for rel_path, content in sorted(files.items()):
        path = target / rel_path
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8", newline="\n")
        else:
            path.write_bytes(content)


def _swap(new: Path, final: Path) -> None:
    old = final.with_name(final.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if final.exists():
        final.rename(old)
    new.rename(final)
    if old.exists():
        shutil.rmtree(old)


def mkdocs_build(docs_dir: Path, site_dir: Path, config_file: Path = ROOT / "mkdocs.yml") -> None:
    """Run `mkdocs build --strict` on docs_dir into site_dir."""
    import logging
    from mkdocs import exceptions
    from mkdocs.commands.build import build as mk_build
    from mkdocs.config import load_config

    os.environ.setdefault("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    cfg = load_config(config_file=str(config_file), docs_dir=str(docs_dir), site_dir=str(site_dir), strict=True)
    # MkDocs counts warnings and aborts a strict build on any; show them plainly
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    try:
        mk_build(cfg)
    except exceptions.Abort as exc:
        raise EditionError("mkdocs.yml", f"mkdocs build --strict failed: {exc}",
                           hint="the warnings above name the page and the problem")


def build(site: bool = True, root: Path = ROOT, seeds: Path | None = None) -> None:
    seeds = seeds or root / "seeds"
    docs_dir, site_dir = root / "docs", root / "site"
    tmp_docs = root / "docs.tmp"
    tmp_site = root / "site.tmp"
    for t in (tmp_docs, tmp_site):
        if t.exists():
            shutil.rmtree(t)
    try:
        docs, files = generate(seeds)
        _write_tree(files, tmp_docs)
        if site:
            mkdocs_build(tmp_docs, tmp_site, root / "mkdocs.yml")
    except BaseException:
        for t in (tmp_docs, tmp_site):
            if t.exists():
                shutil.rmtree(t)
        raise
    _swap(tmp_docs, docs_dir)
    if site:
        _swap(tmp_site, site_dir)
    print(f"built {len(docs)} texts, {len(files)} files in docs/" + (", site in site/" if site else ""),
          file=sys.stderr)


def check(seeds: Path = corpus.SEEDS) -> int:
    """Validate everything a build reads; print findings; write nothing."""
    try:
        docs, files = generate(seeds)
    except EditionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{'seed':28} {'slug':44} {'spin/1000w':>10}  verdict")
    for d in docs:
        v = getattr(d, "spin_verdict", None)
        verdict = "spun: restored" if d.spun else (v.label if v is not None else "not spun")
        if v is not None and v.label == "unknown rewriter":
            verdict += " (garbled by a rewriter this lexicon does not know; left alone): " + ", ".join(v.evidence)
        print(f"{d.seed:28} {d.slug:44} {d.spin_score:10.1f}  {verdict}")
    print(f"ok: {len(docs)} seeds, {len(files)} files would be written", file=sys.stderr)
    return 0


def serve(dev_addr: str = "127.0.0.1:8000", root: Path = ROOT) -> None:
    """Serve docs/ with live reload; regenerate docs/ when seeds/ or scripts/ change.

    The site is served at the root of dev_addr (not under the project path of
    the published address), which is also where link previews work.
    """
    import threading
    import time
    from mkdocs.commands.serve import serve as mk_serve

    def stamp():
        paths = list((root / "seeds").rglob("*")) + list((root / "scripts").rglob("*.py")) + \
            list((root / "scripts" / "site" / "static").rglob("*"))
        return max((p.stat().st_mtime for p in paths if p.is_file()), default=0)

    def watch():
        last = stamp()
        while True:
            time.sleep(1.0)
            now = stamp()
            if now != last:
                last = now
                try:
                    build(site=False, root=root)
                except EditionError as exc:
                    print(f"error: {exc}\n(docs/ left as it was)", file=sys.stderr)
                except Exception as exc:  # keep serving whatever goes wrong
                    print(f"error while regenerating: {exc!r}", file=sys.stderr)

    threading.Thread(target=watch, daemon=True).start()
    os.environ.setdefault("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    mk_serve(config_file=str(root / "mkdocs.yml"), livereload=True, dev_addr=dev_addr)


def rebuild_command(slug: str, output: str | None) -> None:
    import json
    from ..core.model import rebuild_raw
    path = ROOT / "docs" / "records" / f"{slug}.json"
    if not path.exists():
        raise EditionError(str(path), "no such record", hint="run `python -m scripts build` first")
    rec = json.loads(path.read_text(encoding="utf-8"))
    raw = rebuild_raw(rec["clean_text"], rec)
    if output:
        Path(output).write_bytes(raw)
    else:
        sys.stdout.buffer.write(raw)
