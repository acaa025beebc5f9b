"""Build orchestration: every seed through the stages, then the site.

``build`` writes the generated Markdown into a temporary folder, builds the
site from it into another, and only when both succeed swaps them in for
docs/ and site/.  A failed build leaves both exactly as they were.
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import sys
from pathlib import Path

from ..core import corpus, parallel
from ..text import annotate, crosslink, pipeline
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
    return despin.load_lexicon_cached(path)


# What `add` writes into a starter data file for a maintainer to replace.
PLACEHOLDER_SUMMARY = re.compile(r"\s*\(Write two or three sentences\b.*\)\s*", re.S)
SOURCE_FIELDS = ("kind", "publication", "author", "date", "url")


def placeholders(meta) -> list[str]:
    """The fields of a data file that still hold the starter placeholders."""
    found = []
    summary = meta.get("summary")
    if not (summary or "").strip() or PLACEHOLDER_SUMMARY.fullmatch(summary):
        found.append("summary")
    # "unknown" can be the truth for one field; all five unknown is the untouched starter block
    src = meta.get("source") or {}
    if all(str(src.get(k) or "").strip().casefold() == "unknown" for k in SOURCE_FIELDS):
        found.append("source")
    return found


def opening_sentences(doc, limit: int = 300) -> str:
    """The first sentences of a text's body (for a text whose summary is not written yet)."""
    from ..core.model import FORM_KINDS
    paras = [doc.block_text(b) for b in doc.blocks
             if b.kind not in FORM_KINDS and b.kind not in ("title", "heading", "tweet-head")]
    words = " ".join(" ".join(paras).split())
    out = ""
    for m in re.finditer(r".+?(?:[.!?。！？](?=\s|$)|$)", words):
        piece = m.group().strip()
        if out and len(out) + len(piece) > limit:
            break
        out = f"{out} {piece}".strip()
        if len(out) >= limit // 2:
            break
    if len(out) > limit:
        out = out[:limit].rsplit(" ", 1)[0] + "…"
    return out


def fill_placeholders(doc) -> None:
    """The site never shows a starter placeholder: an unwritten summary becomes the text's opening."""
    if "summary" in placeholders(doc.meta):
        doc.meta["summary"] = opening_sentences(doc)
        doc.meta["summary_from_text"] = True


def file_key(path: Path) -> str:
    """SHA-256 of a file's bytes ('-' when it does not exist)."""
    return corpus.sha256(path.read_bytes()) if path.exists() else "-"


def inputs_key(*parts: str) -> str:
    return corpus.sha256("\0".join(parts).encode("utf-8"))


class BuildCache:
    """What the last build made, each part with a hash of the inputs it came from.

    ``serve`` keeps one across rebuilds, so that saving one notes or data file
    processes, renders and writes only what depends on that file.  Keys hash
    file contents, never times: an edit undone is a cache hit again.  Changed
    code is not seen (the modules are already imported): restart serve.
    """

    def __init__(self):
        self.loaded: dict[str, tuple[str, object]] = {}     # rules, lexicon: name -> (key, value)
        self.docs: dict[str, tuple[str, object]] = {}       # seed -> (key, processed Document)
        self.doc_keys: dict[str, str] = {}                  # seed -> key of this build's Document
        self.shown_keys: dict[str, str] = {}                # seed -> key of what the collection pages show of it
        self.mentions: dict[str, tuple[str, list]] = {}     # seed -> (key, entity mentions)
        self.pages: dict[str, tuple[str, tuple]] = {}       # seed -> (key, (page, record)), for site.tree
        self.page_keys: dict[str, str] = {}
        self.collection: tuple[str, dict] | None = None     # (key, collection pages), for site.tree
        self.collection_key: str | None = None
        self.written: dict[str, str | bytes] | None = None  # what docs/ holds, as last written

    def load(self, name: str, path: Path, make, also: Path | None = None):
        key = file_key(path) if also is None else inputs_key(file_key(path), file_key(also))
        hit = self.loaded.get(name)
        if hit is None or hit[0] != key:
            hit = self.loaded[name] = (key, make())
        return hit


def _process(shared, path: Path):
    rules, lexicon, sums, *matcher = shared
    doc = pipeline.process(path, rules, lexicon, sums)
    if matcher:                     # in a worker (text_work): the cross-links too, while the text is at hand
        doc.mentions = crosslink.find_mentions(doc, matcher[0])
    return doc


def process_many(paths: list[Path], rules, lexicon, sums, workers=None) -> list:
    """pipeline.process for each path, in order; in worker processes for a large
    collection (core.parallel; workers: forked with text_work). A broken scrape
    raises the EditionError it raises alone."""
    if workers is not None:
        docs = list(workers.imap(_process, paths))
        workers.close(_process)                     # done: their memory is given back
        return docs
    return parallel.map_in_order(_process, paths, (rules, lexicon, sums))


def text_work(seeds: Path, glossary) -> dict:
    """What workers need for the text stages (core.parallel.Workers' shared): the rules, lexicon,
    manifest, and the glossary's matcher (the workers find each text's mentions of it too)."""
    return {_process: (corpus.load_rules(seeds), lexicon_or_none(seeds), corpus.read_manifest(seeds),
                       crosslink.matcher_for(glossary))}


def process_all(seeds: Path = corpus.SEEDS, cache: BuildCache | None = None, workers=None):
    """Run the text stages on every seed; return (documents, rules, lexicon).

    workers: forked with text_work(seeds) (see generate); the rules and lexicon are then theirs."""
    if workers is not None:
        rules, lexicon = workers.shared[_process][:2]
    elif cache is None:
        rules, lexicon = corpus.load_rules(seeds), lexicon_or_none(seeds)
    else:
        rules_key, rules = cache.load("rules", seeds / "cleaning.yml", lambda: corpus.load_rules(seeds))
        lex_key, lexicon = cache.load("lexicon", seeds / "spin-lexicon.yml", lambda: lexicon_or_none(seeds),
                                      also=seeds / "spin-learned.json")
    sums = corpus.read_manifest(seeds)
    paths = corpus.seed_files(seeds)
    if cache is None:
        docs = process_many(paths, rules, lexicon, sums, workers)
    else:
        keys, bare = {}, {}
        for p in paths:
            raw = p.read_bytes()
            corpus.verify_seed(p, raw, sums)
            bare[p.name] = inputs_key(corpus.sha256(raw), rules_key, lex_key)
            keys[p.name] = inputs_key(bare[p.name], file_key(p.with_suffix(".yml")))
        todo = [p for p in paths if (hit := cache.docs.get(p.name)) is None or hit[0] != keys[p.name]]
        for p, doc in zip(todo, process_many(todo, rules, lexicon, sums)):
            cache.docs[p.name] = (keys[p.name], doc)
        cache.doc_keys = keys
        docs = [cache.docs[p.name][1] for p in paths]
        cache.shown_keys = {d.seed: shown_key(d, bare[d.seed]) for d in docs}
        for gone in set(cache.docs) - set(cache.doc_keys):
            del cache.docs[gone]
    for d in docs:
        if not d.meta.get("summary_from_text"):      # a cached Document is filled already
            d.placeholders = placeholders(d.meta)
            fill_placeholders(d)
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


def collection_extras(docs, seeds: Path, cache: BuildCache | None = None, mentions_found: bool = False):
    """Margin notes and cross-links, when their modules and data are present (mentions_found: each
    document's mentions were found with the glossary by the workers, see text_work)."""
    from ..site import extras
    if cache is None:
        return extras.Extras(docs, seeds, known_mentions={d.seed: d.mentions for d in docs} if mentions_found else None)
    gl_key = file_key(crosslink.glossary_path(seeds))
    known = {d.seed: hit[1] for d in docs
             if (hit := cache.mentions.get(d.seed)) and hit[0] == inputs_key(cache.doc_keys[d.seed], gl_key)}
    ex = extras.Extras(docs, seeds, known_mentions=known)
    cache.mentions = {d.seed: (inputs_key(cache.doc_keys[d.seed], gl_key), d.mentions) for d in docs}
    # the keys of the rendered pages: a text page depends on its document, its notes, the shared data
    # files and the titles and slugs of all texts (cross-references name them); the collection pages
    # on every document and the shared data files, not on the notes
    shared = inputs_key(gl_key, *(file_key(seeds / n) for n in ("themes.yml", "timeline.yml")),
                        file_key(corpus.ROOT / "mkdocs.yml"),
                        *(f"{d.slug}\0{d.meta.get('title')}" for d in docs))
    cache.page_keys = {d.seed: inputs_key(cache.doc_keys[d.seed], file_key(annotate.notes_path(seeds, d)), shared)
                       for d in docs}
    # the collection pages show each text's words, title and slug, never its summary or source line
    # (the home page does, and is made on every build): an edited summary leaves them as they are
    cache.collection_key = inputs_key(shared, *(cache.shown_keys[d.seed] for d in docs))
    return ex


# data-file fields that the text stages never read and the collection pages never show
NOT_IN_COLLECTION = ("summary", "source", "summary_from_text")


def shown_key(doc, doc_key_without_data: str) -> str:
    """What a text gives the collection pages: its inputs, its data file but for the fields above."""
    import json
    meta = {k: v for k, v in doc.meta.items() if k not in NOT_IN_COLLECTION}
    return inputs_key(doc_key_without_data, json.dumps(meta, sort_keys=True, ensure_ascii=False, default=str))


def generate(seeds: Path = corpus.SEEDS, cache: BuildCache | None = None, sink=None):
    """Process every seed and render every page; write nothing (sink: see site.tree.render_site)."""
    from ..site import tree
    with _early_workers(seeds, cache) as workers:
        docs, rules, lexicon = process_all(seeds, cache, workers)
        annotate.check_unique_ids([annotate.notes_path(seeds, d) for d in docs])
        extras = collection_extras(docs, seeds, cache, mentions_found=workers is not None)
        files = tree.render_site(docs, extras, cache, sink, workers)
    return docs, files


def _early_workers(seeds: Path, cache: BuildCache | None):
    """Workers for the text stages and the text pages, forked before any text is processed
    (core.parallel.Workers: the process is small then, so they stay small); none with a cache
    (serve works only on what changed, and forks workers only when that is much)."""
    from ..core import parallel
    from ..site import extras, tree
    n = len(corpus.seed_files(seeds))
    if cache is not None or parallel.jobs_for(n) == 1:
        return contextlib.nullcontext()                 # none: render_site makes the pages itself
    glossary = crosslink.load_glossary(crosslink.glossary_path(seeds))    # kept: Extras gets the same object
    return parallel.Workers(text_work(seeds, glossary) | tree.text_page_work(extras.TextPageExtras(glossary)), n)


def tree_writer(target: Path):
    """A sink for generate(): writes each file under target as it comes."""
    def write(rel_path: str, content: str | bytes) -> None:
        path = target / rel_path
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8", newline="\n")
        else:
            path.write_bytes(content)
    return write


def _write_tree(files: dict, target: Path) -> None:
    write = tree_writer(target)
    for rel_path, content in sorted(files.items()):
        write(rel_path, content)


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


def build(site: bool = True, root: Path = ROOT, seeds: Path | None = None, cache: BuildCache | None = None) -> None:
    seeds = seeds or root / "seeds"
    docs_dir, site_dir = root / "docs", root / "site"
    tmp_docs = root / "docs.tmp"
    tmp_site = root / "site.tmp"
    for t in (tmp_docs, tmp_site):
        if t.exists():
            shutil.rmtree(t)
    try:
        if cache is None:                   # each file written as it is made: not all held in memory
            docs, files = generate(seeds, sink=tree_writer(tmp_docs))
        else:                               # serve keeps them, to write only what changes later
            docs, files = generate(seeds, cache)
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
    if cache is not None:
        cache.written = files
    print(f"built {len(docs)} texts, {len(files)} files in docs/" + (", site in site/" if site else ""),
          file=sys.stderr)


def update_docs(root: Path, cache: BuildCache) -> list[str]:
    """Regenerate docs/ in place, writing only the files whose content changed; return their paths.

    Everything is generated before anything is written, so an error leaves
    docs/ as it was.  Unchanged files keep their modification times, which is
    what lets MkDocs rebuild only the changed pages (serve's dirty builds).
    """
    docs_dir = root / "docs"
    _, files = generate(root / "seeds", cache)
    old = cache.written or {}
    changed = [rel_path for rel_path, content in files.items() if old.get(rel_path) != content]
    _write_tree({k: files[k] for k in changed}, docs_dir)
    for gone in set(old) - set(files):
        (docs_dir / gone).unlink(missing_ok=True)
    cache.written = files
    return changed


def check(seeds: Path = corpus.SEEDS) -> int:
    """Validate everything a build reads; print findings; write nothing."""
    try:
        docs, files = generate(seeds)
    except EditionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for d in docs:
        for fieldname in d.placeholders:
            line = getattr(d.meta, "lines", {}).get(fieldname.split(".")[0])
            where = f"{d.data_path}" + (f", line {line}" if line else "")
            print(f"warning: {where}: {fieldname} still holds the starter placeholder"
                  + (" (the page shows the text's opening sentences instead)" if fieldname == "summary" else "")
                  + "; hint: write it in your own words", file=sys.stderr)
    print(f"{'seed':28} {'slug':44} {'spin/1000w':>10}  verdict")
    for d in docs:
        v = getattr(d, "spin_verdict", None)
        verdict = "spun: restored" if d.spun else (v.label if v is not None else "not spun")
        if v is not None and v.label == "unknown rewriter":
            verdict += " (garbled by a rewriter this lexicon does not know; left alone): " + ", ".join(v.evidence)
        print(f"{d.seed:28} {d.slug:44} {d.spin_score:10.1f}  {verdict}")
    print(f"ok: {len(docs)} seeds, {len(files)} files would be written", file=sys.stderr)
    return 0




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
