"""The benchmark: build time, scale, page weight and Lighthouse, against budgets.

    python -m scripts bench           the full run (about ten minutes), writes BENCHMARKS.md
    python -m scripts bench --quick   fewer runs, no Lighthouse: a fast look

Everything is built in temporary copies of mkdocs.yml and seeds/; docs/ and
site/ in the project are never touched.  Timings on shared machines are
noisy, so the benchmark reports medians of several runs and ratios measured
side by side in one run; absolute figures are context.

Sections:

- Build: the text pipeline (process and render, no MkDocs) for the five
  seeds; the full build (pipeline, writing docs/, `mkdocs build`) against
  `mkdocs build` alone on the same generated docs/, interleaved.
- Scale: a synthetic corpus made from the seeds (varied lengths, generated
  people and organisations mentioned in the text, spun and unspun copies,
  margin notes), 100 and 1,000 texts, with a glossary of 1,000 entities
  when seeds/glossary.yml exists (the real glossary plus generated entries
  of the same shape).  Each size runs in its own process, which reports
  its peak resident memory (ru_maxrss) and its peak Python allocations
  (tracemalloc, in a separate untimed run).
- Page weight of one text page, loaded in Chromium (Playwright) from a
  local server that gzips as GitHub Pages does: HTML, CSS and JS, raw and
  gzipped, Material's own and ours (assets/edition.*), requests and hosts;
  against a plain Material page of the same text.
- Lighthouse (npm package in scripts/tools/bench_npm, Debian's Chromium), mobile
  and desktop presets, median of three runs, for both pages.

The tables are printed and written to BENCHMARKS.md with the command, date
and machine.  Anything below the line ``<!-- notes -->`` in BENCHMARKS.md
is kept when it is rewritten.
"""
from __future__ import annotations

import contextlib
import copy
import datetime
import gzip
import http.server
import io
import json
import mimetypes
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from ..core import corpus

ROOT = corpus.ROOT
NPM_DIR = Path(__file__).resolve().parent / "bench_npm"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --disable-sync --no-first-run")
NOTES_MARK = "<!-- notes -->"
GLOSSARY_SIZE = 1000
SCALES = (100, 1000)
CHILD_TIMEOUT = 600                                 # seconds for one scale's process

BUDGETS = {
    "scale_time_s": 10.0,
    "scale_mem_mb": 500.0,
    "scale_ratio": 11.0,
    "build_ratio": 1.3,
    "own_gz_bytes": 15_000,
    "lh_perf_mobile": 97,
    "lh_perf_desktop": 100,
}


def log(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def copy_project(dest: Path, seeds: Path | None = None) -> Path:
    """A throwaway copy of what a build reads (as tests/conftest.py does), plus a link to scripts/."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(seeds or ROOT / "seeds", dest / "seeds")
    # mkdocs.yml may point into scripts/ (theme overrides, hooks): link it, never copy or change it
    (dest / "scripts").symlink_to(ROOT / "scripts", target_is_directory=True)
    return dest


# --- build ------------------------------------------------------------------

def bench_build(work: Path, runs: int) -> dict:
    from . import build as B
    seeds = ROOT / "seeds"
    B.generate(seeds)                                   # warm imports and caches
    pipe = []
    for _ in range(runs):
        t = time.perf_counter()
        docs, files = B.generate(seeds)
        pipe.append(time.perf_counter() - t)
    proj = copy_project(work / "project")
    quiet = io.StringIO()
    with contextlib.redirect_stderr(quiet):
        B.build(root=proj)                              # warm: MkDocs, Material, plugins
        B.mkdocs_build(proj / "docs", work / "site-mk", proj / "mkdocs.yml")
        full, mk = [], []
        for _ in range(runs):
            t = time.perf_counter()
            B.build(root=proj)
            full.append(time.perf_counter() - t)
            t = time.perf_counter()
            B.mkdocs_build(proj / "docs", work / "site-mk", proj / "mkdocs.yml")
            mk.append(time.perf_counter() - t)
    ratios = [f / m for f, m in zip(full, mk)]
    return {"texts": len(docs), "files": len(files), "runs": runs, "pipeline_s": median(pipe),
            "full_s": median(full), "mkdocs_s": median(mk), "ratio": median(ratios),
            "ratio_of_medians": median(full) / median(mk), "project": proj, "docs": docs}


# --- synthetic corpus ----------------------------------------------------------

FIRST = ["Wei", "Li", "Chen", "Mei", "Hao", "Jun", "Lan", "Rui", "Xin", "Yu", "Anna", "Marek", "Priya", "Tomas",
         "Ingrid", "Kofi", "Lucia", "Omar", "Sven", "Yuki", "Dara", "Felix", "Nadia", "Ravi", "Elena", "Hugo"]
LAST = ["Zhao", "Qian", "Sun", "Zhou", "Wu", "Zheng", "Feng", "Chu", "Wei", "Jiang", "Halvorsen", "Okafor",
        "Brandt", "Moreau", "Kowalski", "Nakamura", "Varga", "Lindqvist", "Castellano", "Ibrahim", "Petrov"]
ORG_A = ["Vantor", "Quillon", "Sereno", "Halcyon", "Meridian", "Kestrel", "Orbis", "Lumen", "Tessaract",
         "Corvid", "Ardent", "Solace", "Nimbus", "Parallax", "Helix", "Zephyr", "Cobalt", "Juniper"]
ORG_B = ["Labs", "AI", "Systems", "Capital", "Institute", "Semiconductor", "Robotics", "Research", "Cloud"]
MODEL = ["Falcon", "Ibis", "Heron", "Lynx", "Otter", "Marten", "Egret", "Puffin", "Bison", "Viper"]
CONCEPT_A = ["sparse", "adaptive", "federated", "latent", "recursive", "distilled", "modular", "quantised"]
CONCEPT_B = ["routing", "attention", "pretraining", "alignment", "inference", "tokenisation", "scaling law"]
PLACE = ["Hangzhou", "Shenzhen", "Chengdu", "Suzhou", "Tianjin", "Wuhan", "Xiamen", "Nanjing", "Hefei"]
SENTENCES = [
    " {a} said much the same about {b}.",
    " According to {a}, {b} had seen it coming.",
    " {a} and {b} were cited in the same report.",
    " Compare what {a} wrote about {b} last year.",
    " {a} has disputed this, as has {b}.",
]


def make_entities(n: int, seed: int = 7) -> list[dict]:
    """n generated entities: name, kind, aliases (one of them misspelt), description."""
    rng = random.Random(seed)
    out, seen = [], set()
    kinds = ["person", "organisation", "model", "place", "concept"]
    while len(out) < n:
        kind = kinds[len(out) % len(kinds)]
        if kind == "person":
            first, last = rng.choice(FIRST), rng.choice(LAST)
            name = f"{last} {first}{rng.choice(['', 'an', 'ming', 'ling', 'ton', 'son'])}"
            aliases = [name.split()[1]]
        elif kind == "organisation":
            name = f"{rng.choice(ORG_A)}{rng.choice(['', 'ix', 'a', 'on'])} {rng.choice(ORG_B)}"
            aliases = [name.split()[0]]
        elif kind == "model":
            name = f"{rng.choice(MODEL)}-{rng.randint(2, 99)}{rng.choice(['B', 'X', 'Pro', ''])}"
            aliases = [name.replace("-", " ")]
        elif kind == "place":
            name = f"{rng.choice(PLACE)} {rng.choice(['Bay', 'Park', 'District', 'Zone'])} {rng.randint(1, 99)}"
            aliases = []
        else:
            name = f"{rng.choice(CONCEPT_A)} {rng.choice(CONCEPT_B)} {rng.randint(1, 999)}"
            aliases = []
        if name.lower() in seen:
            continue
        seen.add(name.lower())
        word = name.split()[0]
        if len(word) > 4:                               # a misspelling, as scrapes have them
            i = rng.randint(1, len(word) - 3)
            aliases.append(name.replace(word, word[:i] + word[i + 1] + word[i] + word[i + 2:], 1))
        aliases = [a for a in aliases if a.lower() not in seen and len(a) > 3]
        seen.update(a.lower() for a in aliases)
        out.append({"name": name, "kind": kind, "aliases": aliases,
                    "description": f"A generated {kind} for the benchmark's synthetic corpus."})
    return out


def _slugify(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")


def _entity_container(data):
    """(container, template) of the glossary's entity entries, whatever its top-level shape."""
    def is_entity(x):
        return isinstance(x, dict) and any(k in x for k in ("name", "title", "label", "term", "aliases"))
    if isinstance(data, list) and data and is_entity(data[0]):
        return data, data[0]
    if isinstance(data, dict):
        for key in ("entities", "glossary", "terms", "items"):
            v = data.get(key)
            if isinstance(v, list) and v and is_entity(v[0]):
                return v, v[0]
            if isinstance(v, dict) and v and all(isinstance(x, dict) for x in v.values()):
                return v, next(iter(v.values()))
        vals = [v for v in data.values() if isinstance(v, dict)]
        if vals and len(vals) == len(data) and is_entity(vals[0]):
            return data, vals[0]
        lists = [v for v in data.values() if isinstance(v, list) and v and is_entity(v[0])]
        if lists:
            return max(lists, key=len), max(lists, key=len)[0]
    return None, None


def _entity_like(template: dict, ent: dict, kinds: list[str]) -> dict:
    new = copy.deepcopy(template)
    for k, v in list(new.items()):
        kl = k.lower()
        if kl in ("name", "title", "label", "term"):
            new[k] = ent["name"]
        elif kl in ("id", "slug", "key"):
            new[k] = "bench-" + _slugify(ent["name"])
        elif kl in ("kind", "type", "category"):
            new[k] = ent["kind"] if ent["kind"] in kinds or not kinds else kinds[hash(ent["name"]) % len(kinds)]
        elif kl in ("aliases", "alias", "misspellings", "variants", "names"):
            new[k] = list(ent["aliases"]) if isinstance(v, list) else (ent["aliases"][0] if ent["aliases"] else "")
        elif kl in ("description", "desc", "text", "summary", "about", "note"):
            new[k] = ent["description"]
        elif isinstance(v, list):
            new[k] = []
        elif isinstance(v, dict):
            new[k] = {}
    return new


def extend_glossary(path: Path, generated: list[dict], total: int) -> tuple[int, int] | None:
    """Add generated entities to the glossary at path until it holds `total`; (real, added) or None."""
    import yaml
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    container, template = _entity_container(data)
    if container is None:
        return None
    real = len(container)
    kinds = sorted({str(e.get("kind") or e.get("type")) for e in
                    (container.values() if isinstance(container, dict) else container)
                    if isinstance(e, dict) and (e.get("kind") or e.get("type"))})
    add = max(0, total - real)
    for ent in generated[:add]:
        new = _entity_like(template, ent, kinds)
        if isinstance(container, dict):
            container["bench-" + _slugify(ent["name"])] = new
        else:
            container.append(new)
    path.write_text("# Real glossary plus generated entities, for the benchmark.\n"
                    + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")
    return real, add


def lexicon_pairs(path: Path) -> list[tuple[str, str]]:
    """(spun, original) pairs from the spin lexicon, whatever its layout."""
    import yaml
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    spun_keys = ("spun", "spin", "sic", "from", "scraped")
    orig_keys = ("original", "orig", "corr", "to", "restore", "restored")
    pairs = []

    def walk(x):
        if isinstance(x, dict):
            s = next((x[k] for k in spun_keys if isinstance(x.get(k), str)), None)
            o = next((x[k] for k in orig_keys if isinstance(x.get(k), str)), None)
            if s and o:
                pairs.append((s, o))
                return
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
    walk(data)
    if not pairs and isinstance(data, dict):       # a plain mapping, spun: original
        for k in ("lexicon", "entries", "substitutions"):
            m = data.get(k)
            if isinstance(m, dict):
                pairs += [(s, o) for s, o in m.items() if isinstance(s, str) and isinstance(o, str)]
    seen, out = set(), []
    for s, o in pairs:                              # one spun reading per original
        if o.lower() not in seen and s != o and re.fullmatch(r"[\w' -]+", o):
            seen.add(o.lower())
            out.append((s, o))
    return out


def spin(text: str, pairs: list[tuple[str, str]], rng: random.Random) -> str:
    """The reverse of the lexicon: originals replaced with their spun readings, in one pass."""
    if not pairs:
        return text
    by_orig = {o.lower(): s for s, o in pairs}
    pat = re.compile(r"\b(" + "|".join(re.escape(o) for o in sorted(by_orig, key=len, reverse=True)) + r")\b",
                     re.IGNORECASE)

    def sub(m):
        if rng.random() < 0.15:                     # spinners miss some
            return m.group()
        s = by_orig[m.group().lower()]
        return s[0].upper() + s[1:] if m.group()[0].isupper() else s
    return pat.sub(sub, text)


def _paragraphs(raw: bytes) -> list[str]:
    text = raw.decode("utf-8", errors="surrogateescape").replace("\r\n", "\n")
    paras = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    if len(paras) < 3:          # a scrape with one paragraph a line and no blank lines
        paras = [p for p in text.split("\n") if p.strip()]
    return paras


def make_corpus(dest: Path, n_texts: int, entities: list[dict], pairs, notes: bool = True) -> dict:
    """A seeds/ folder of n_texts: the five real seeds and n_texts - 5 synthetic ones."""
    import yaml
    from ..text import annotate, pipeline
    from ..core.errors import EditionError
    shutil.copytree(ROOT / "seeds", dest)
    seeds = corpus.seed_files(ROOT / "seeds")
    paras = {p.stem: _paragraphs(p.read_bytes()) for p in seeds}
    metas = {p.stem: corpus.load_seed_data(p)[0] for p in seeds}
    spun_seed = next((p.stem for p in seeds if "spun" in str(metas[p.stem].get("spun", "")).lower()
                      or "nyt" in metas[p.stem]["slug"]), seeds[min(2, len(seeds) - 1)].stem)
    stats = {"synthetic": 0, "spun": 0, "notes": 0, "glossary": None,
             "words": sum(len("\n\n".join(ps).split()) for ps in paras.values())}
    names = [e["name"] for e in entities] + [a for e in entities for a in e["aliases"]]
    rules = corpus.load_rules(dest)
    from .build import lexicon_or_none
    lexicon = lexicon_or_none(dest)
    kinds = ["context", "fact-check", "editorial", "cross-reference"]
    crashes = stats["crashes"] = []

    def make_text(i: int, rng: random.Random) -> tuple[str, str, bool]:
        base = seeds[i % len(seeds)].stem
        ps = paras[base]
        spun = i % 4 == 3
        if spun and not pairs:
            base, ps = spun_seed, paras[spun_seed]  # without a lexicon: copies of the real spun scrape
        k = max(3, int(len(ps) * rng.uniform(0.25, 2.0)))
        pool = ps[1:] + [q for s in seeds for q in paras[s.stem][1:] if s.stem != base and not spun]
        body = [ps[(j % (len(ps) - 1)) + 1] if j < len(ps) - 1 or spun else rng.choice(pool)
                for j in range(k - 1)]
        for _ in range(rng.randint(3, 15)):         # generated entities mentioned in the text
            j = rng.randrange(len(body))
            body[j] = body[j].rstrip() + rng.choice(SENTENCES).format(a=rng.choice(names), b=rng.choice(names))
        text = "\n\n".join([f"{ps[0].strip()} ({i + 1})"] + body) + "\n"
        if spun and pairs:
            text = spin(text, pairs, rng)
        return text, base, spun

    for i in range(n_texts - len(seeds)):
        stem = f"{900 + i:04d}_bench{i:05d}"
        path = dest / f"{stem}.txt"
        for attempt in range(8):
            rng = random.Random(i + 1_000_003 * attempt)
            text, base, spun = make_text(i, rng)
            path.write_bytes(text.encode("utf-8", errors="surrogateescape"))
            data = {"slug": f"bench-{i + 1:04d}-{metas[base]['slug']}"[:60],
                    "summary": f"Synthetic text {i + 1} for the benchmark, made from {base}.",
                    "source": {"kind": "synthetic", "publication": "Benchmark corpus",
                               "date": f"2025-01-{1 + i % 28:02d}"}}
            path.with_suffix(".yml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                                encoding="utf-8")
            try:
                doc = pipeline.process(path, rules, lexicon)
                break
            except Exception as exc:                # the pipeline must not crash; keep one copy, try another
                crashes.append(f"{type(exc).__name__}: {exc}")
                keep = dest.parent / "crashes"
                keep.mkdir(exist_ok=True)
                shutil.copy(path, keep / f"{stem}-{attempt}.txt")
        else:
            raise RuntimeError(f"the pipeline fails on every variant of synthetic text {i}: {crashes[-1]}")
        stats["spun"] += spun
        stats["words"] += len(text.split())
        stats["synthetic"] += 1
        if not notes:
            continue
        chosen = []                                 # margin notes, anchored where they will hold
        blocks = [b for b in doc.blocks if b.kind == "para"]
        rng.shuffle(blocks)
        want = rng.randint(1, 4)
        for b in blocks:
            words = re.findall(r"[A-Za-z]+(?: [A-Za-z]+){4}", doc.text[b.start:b.end])
            if words and doc.text.count(words[0]) == 1:
                chosen.append({"id": f"b{len(chosen) + 1}", "kind": kinds[len(chosen) % 4],
                               "exact": words[0], "text": f"A generated note on *{words[0]}*."})
            if len(chosen) >= want:
                break
        if not chosen:
            continue
        npath = annotate.notes_path(dest, doc)
        npath.write_text(yaml.safe_dump({"notes": chosen}, allow_unicode=True, sort_keys=False), encoding="utf-8")
        try:
            annotate.number(doc, annotate.place(doc, annotate.load_notes(npath), "bench"))
        except EditionError:
            npath.unlink()
            continue
        stats["notes"] += len(chosen)
    sums = {p.name: corpus.sha256(p.read_bytes()) for p in corpus.seed_files(dest)}
    corpus.write_manifest(sums, dest)
    gl = dest / "glossary.yml"
    if gl.exists():
        stats["glossary"] = extend_glossary(gl, entities, GLOSSARY_SIZE)
    return stats


def scale_child(seeds: str, runs: int, trace: bool) -> None:
    """In a subprocess: time generate() on one corpus; report JSON on stdout."""
    import resource
    import tracemalloc
    from . import build as B
    seeds_p = Path(seeds)
    base_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    times = []
    for _ in range(runs):                           # stop repeating once it has taken 30 s
        t = time.perf_counter()
        docs, files = B.generate(seeds_p)
        times.append(time.perf_counter() - t)
        if sum(times) > 30:
            break
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    spun = sum(1 for d in docs if getattr(d, "spun", False))
    counts = {"texts": len(docs), "files": len(files), "bytes": sum(len(v) for v in files.values())}
    del docs, files
    traced = None
    if trace and times[0] < 15:
        tracemalloc.start()
        B.generate(seeds_p)
        traced = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    print(json.dumps({"times": times, "maxrss_kb": peak_kb, "base_kb": base_kb, "traced": traced,
                      "spun": spun, **counts}))


def bench_scale(work: Path, runs: int, trace: bool) -> dict:
    entities = make_entities(GLOSSARY_SIZE)
    pairs = lexicon_pairs(ROOT / "seeds" / "spin-lexicon.yml")
    out = {"pairs": len(pairs)}
    for n in SCALES:
        seeds = work / f"seeds-{n}"
        t = time.perf_counter()
        stats = make_corpus(seeds, n, entities, pairs)
        log(f"corpus of {n} texts made in {time.perf_counter() - t:.1f} s")
        prev = out.get(SCALES[0]) if n != SCALES[0] else None
        if prev and "time_s" in prev and prev["time_s"] * n / SCALES[0] > CHILD_TIMEOUT:
            out[n] = {"error": f"not run: {SCALES[0]} texts took {prev['time_s']:.0f} s, so {n} would take "
                               f"about {prev['time_s'] * n / SCALES[0]:.0f} s", "stats": stats}
            log(f"scale {n} skipped")
            continue
        try:
            r = subprocess.run([sys.executable, "-m", "scripts.bench", "--scale-child", str(seeds), str(runs),
                                "1" if trace else "0"], cwd=ROOT, capture_output=True, text=True,
                               timeout=CHILD_TIMEOUT)
        except subprocess.TimeoutExpired:
            out[n] = {"error": f"stopped after {CHILD_TIMEOUT} s", "stats": stats}
            log(f"scale {n} timed out")
            continue
        if r.returncode != 0:
            out[n] = {"error": (r.stderr.strip().splitlines() or ["failed"])[-1], "stats": stats}
            log(f"scale {n} failed:\n{r.stderr[-3000:]}")
            continue
        res = json.loads(r.stdout.strip().splitlines()[-1])
        res["stats"] = stats
        res["time_s"] = median(res["times"])
        out[n] = res
        log(f"scale {n}: {res['time_s']:.2f} s, {res['maxrss_kb'] / 1024:.0f} MB")
    return out


# --- serving and page weight ----------------------------------------------------

COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")


def gz(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=6, mtime=0)


class GzipHandler(http.server.BaseHTTPRequestHandler):
    """Static files with gzip Content-Encoding and a 10-minute cache, as GitHub Pages serves them."""
    root: Path = Path(".")
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_HEAD(self):
        self.do_GET(head=True)

    def do_GET(self, head=False):
        from urllib.parse import unquote, urlsplit
        path = unquote(urlsplit(self.path).path)
        target = (self.root / path.lstrip("/")).resolve()
        status = 200
        if self.root.resolve() not in (target, *target.parents):
            target = self.root / "404.html"
            status = 404
        if target.is_dir():
            if not path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            target = target / "index.html"
        if not target.is_file():
            target, status = self.root / "404.html", 404
        body = target.read_bytes() if target.is_file() else b"not found"
        ctype = mimetypes.guess_type(str(target))[0] or "application/octet-stream"
        if ctype.startswith("text/") or ctype == "application/javascript":
            ctype += "; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Cache-Control", "max-age=600")
        if ctype.startswith(COMPRESSIBLE) and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gz(body)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)


@contextlib.contextmanager
def serve(root: Path):
    handler = type("H", (GzipHandler,), {"root": Path(root)})
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    th = threading.Thread(target=srv.serve_forever, daemon=True)
    th.start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}"
    finally:
        srv.shutdown()
        srv.server_close()


def plain_site(work: Path, doc) -> Path:
    """A minimal Material project with the text's words as plain Markdown paragraphs."""
    from ..core import escape
    proj = work / "plain"
    (proj / "docs").mkdir(parents=True, exist_ok=True)
    (proj / "mkdocs.yml").write_text(
        "site_name: DeepSeek and Chinese innovation\ntheme:\n  name: material\n  font: false\n", encoding="utf-8")
    title = doc.meta.get("title") or doc.slug
    paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", doc.text) if p.strip()]
    if paras and paras[0] == " ".join(title.split()):
        paras = paras[1:]
    md = f"# {escape.text(title)}\n\n" + "\n\n".join(escape.text(p) for p in paras) + "\n"
    (proj / "docs" / "index.md").write_text(md, encoding="utf-8")
    from mkdocs.commands.build import build as mk_build
    from mkdocs.config import load_config
    cfg = load_config(config_file=str(proj / "mkdocs.yml"), site_dir=str(proj / "site"))
    with contextlib.redirect_stderr(io.StringIO()):
        mk_build(cfg)
    return proj / "site"


def page_weight(url: str) -> dict:
    """Load url in Chromium; every response's size, raw and gzipped, by kind and owner."""
    from urllib.parse import urlsplit
    from playwright.sync_api import sync_playwright
    seen = []
    with sync_playwright() as p:
        kw = {"executable_path": CHROMIUM} if Path(CHROMIUM).exists() else {}
        browser = p.chromium.launch(args=["--no-sandbox", "--disable-gpu"], **kw)
        ctx = browser.new_context(viewport={"width": 1280, "height": 900})
        ctx.on("request", lambda r: seen.append(r))
        page = ctx.new_page()
        page.goto(url, wait_until="networkidle")
        page.wait_for_timeout(1500)                 # lazy loads: search worker and index
        rows = []
        host = urlsplit(url).netloc
        for r in seen:
            resp = r.response()
            try:
                body = resp.body() if resp else b""
            except Exception:
                body = b""
            u = urlsplit(r.url)
            path = u.path
            if r.resource_type == "document" or path.endswith((".html", "/")):
                kind = "HTML"
            elif path.endswith(".css"):
                kind = "CSS"
            elif path.endswith(".js"):
                kind = "JS"
            else:
                kind = "other"
            owner = "ours" if "/assets/edition." in path else "Material"
            ctype = (resp.headers.get("content-type", "") if resp else "")
            rows.append({"url": r.url, "host": u.netloc, "kind": kind, "owner": owner, "bytes": len(body),
                         "gz": len(gz(body)) if ctype.startswith(COMPRESSIBLE) else len(body),
                         "external": u.netloc != host and u.scheme in ("http", "https")})
        browser.close()
    agg = {}
    for row in rows:
        key = row["kind"] if row["kind"] in ("HTML", "other") else f"{row['kind']} {row['owner']}"
        a = agg.setdefault(key, [0, 0, 0])
        a[0] += row["bytes"]
        a[1] += row["gz"]
        a[2] += 1
    return {"rows": rows, "agg": agg, "requests": len(rows), "external": [r["url"] for r in rows if r["external"]]}


# --- Lighthouse -------------------------------------------------------------------

def lighthouse_bin() -> Path | None:
    lh = NPM_DIR / "node_modules" / ".bin" / "lighthouse"
    if not lh.exists() and shutil.which("npm"):
        log("installing Lighthouse (npm ci in scripts/tools/bench_npm) ...")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=NPM_DIR)
    return lh if lh.exists() else None


def lighthouse(lh: Path, url: str, preset: str, out: Path) -> dict:
    cmd = [str(lh), url, "--output=json", f"--output-path={out}", "--quiet",
           "--only-categories=performance,accessibility,best-practices,seo", f"--chrome-flags={CHROME_FLAGS}"]
    if preset == "desktop":
        cmd.append("--preset=desktop")
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    if r.returncode != 0 or not out.exists():
        raise RuntimeError(f"lighthouse failed: {r.stderr[-1500:]}")
    rep = json.loads(out.read_text(encoding="utf-8"))
    cats = rep["categories"]
    aud = rep["audits"]
    failing = sorted(f"{k}: {a.get('title')}" for c in ("accessibility", "best-practices", "seo")
                     for k in [x["id"] for x in cats[c]["auditRefs"] if x.get("weight", 0) > 0]
                     for a in [aud[k]] if a.get("score") is not None and a["score"] < 1)
    return {"performance": round(cats["performance"]["score"] * 100),
            "accessibility": round(cats["accessibility"]["score"] * 100),
            "best-practices": round(cats["best-practices"]["score"] * 100),
            "seo": round(cats["seo"]["score"] * 100),
            "lcp": aud["largest-contentful-paint"]["numericValue"],
            "tbt": aud["total-blocking-time"]["numericValue"],
            "cls": aud["cumulative-layout-shift"]["numericValue"],
            "failing": failing, "version": rep.get("lighthouseVersion")}


def bench_lighthouse(lh: Path, pages: dict[str, str], work: Path, runs: int = 3) -> dict:
    res = {}
    for name, url in pages.items():
        for preset in ("mobile", "desktop"):
            rs = []
            for i in range(runs):
                rs.append(lighthouse(lh, url, preset, work / f"lh-{name}-{preset}-{i}.json"))
                log(f"lighthouse {name} {preset} run {i + 1}: perf {rs[-1]['performance']}")
            keys = ("performance", "accessibility", "best-practices", "seo", "lcp", "tbt", "cls")
            med = {k: median([r[k] for r in rs]) for k in keys}
            med["failing"] = sorted({f for r in rs for f in r["failing"]})
            med["version"] = rs[0]["version"]
            med["runs"] = rs
            res[(name, preset)] = med
    return res


# --- report ---------------------------------------------------------------------------

def kb(n: float) -> str:
    return f"{n / 1000:.1f} KB"


def machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        m = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
        cpu = m.group(1).strip() if m else cpu
    mem = ""
    with contextlib.suppress(OSError):
        m = re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text())
        mem = f", {int(m.group(1)) / 1024 / 1024:.0f} GiB memory" if m else ""
    versions = []
    with contextlib.suppress(Exception):
        from importlib.metadata import version
        versions += [f"MkDocs {version('mkdocs')}", f"Material {version('mkdocs-material')}"]
    with contextlib.suppress(Exception):
        v = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=20).stdout.strip()
        versions.append(v)
    return (f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores{mem}; "
            f"Python {platform.python_version()}; " + ", ".join(versions))


def verdict(ok) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")


def report(quick: bool, b: dict, s: dict, w: dict, lhres: dict | None, lh_note: str) -> tuple[str, list]:
    L = []
    budgets = []
    L += ["## Build (five seeds)", "",
          f"Median of {b['runs']} runs; the two builds interleaved on the same generated docs/.", "",
          "| measure | value |", "|---|---:|",
          f"| texts, generated files | {b['texts']}, {b['files']} |",
          f"| pipeline (process + render, no MkDocs) | {b['pipeline_s'] * 1000:.0f} ms |",
          f"| full build (pipeline, write docs/, mkdocs build) | {b['full_s'] * 1000:.0f} ms |",
          f"| `mkdocs build` alone | {b['mkdocs_s'] * 1000:.0f} ms |",
          f"| **full build / mkdocs build** (median of per-run ratios) | **{b['ratio']:.2f}x** |", ""]
    budgets.append((f"Full build at most {BUDGETS['build_ratio']}x `mkdocs build` alone",
                    f"{b['ratio']:.2f}x", b["ratio"] <= BUDGETS["build_ratio"]))

    st = next((s[n]["stats"] for n in SCALES if isinstance(s.get(n), dict) and "stats" in s[n]), {})
    gl = st.get("glossary")
    gl_txt = (f"{gl[0]} real + {gl[1]} generated entities" if gl else
              "no seeds/glossary.yml (or a layout the generator does not know): entities mentioned "
              "in the texts but no glossary")
    lex_txt = (f"spun copies made with the reverse of {s['pairs']} spin-lexicon entries" if s.get("pairs")
               else "no seeds/spin-lexicon.yml: spun copies are copies of the real spun scrape")
    L += ["## Scale (synthetic corpus)", "",
          f"The five seeds plus synthetic texts made from them: lengths 0.25x to 2x a seed, mixed paragraphs, "
          f"3 to 15 mentions of generated people, organisations, models, places and ideas (with misspelt "
          f"aliases) per text, one text in four spun; {lex_txt}; glossary: {gl_txt}. "
          f"Each size runs in its own process: time is the median of its runs of `build.generate` "
          f"(process and render, no MkDocs); peak memory is the process's ru_maxrss (interpreter included), "
          f"traced is tracemalloc's peak in a separate untimed run.", "",
          "| texts | words | spun (detected) | notes | time | per text | peak RSS | traced peak | generated |",
          "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for n in SCALES:
        r = s.get(n) or {}
        if "error" in r:
            L.append(f"| {n} | | | | failed: {r['error']} | | | | |")
            continue
        stt = r["stats"]
        tr = f"{r['traced'] / 2**20:.0f} MB" if r.get("traced") else "–"
        L.append(f"| {n} | {stt['words']:,} | {stt['spun']} ({r.get('spun', '?')}) | {stt['notes']} | {r['time_s']:.2f} s | "
                 f"{r['time_s'] / n * 1000:.1f} ms | {r['maxrss_kb'] / 1024:.0f} MB | {tr} | "
                 f"{r['bytes'] / 1e6:.1f} MB in {r['files']:,} files |")
    ok_small, ok_big = "error" not in s.get(SCALES[0], {"error": 1}), "error" not in s.get(SCALES[1], {"error": 1})
    ratio = s[SCALES[1]]["time_s"] / s[SCALES[0]]["time_s"] if ok_small and ok_big else None
    L += [f"| **{SCALES[1]} / {SCALES[0]}** | | | | **{ratio:.1f}x** | | | | |" if ratio else "", ""]
    crashes = [c for n in SCALES for c in (s.get(n) or {}).get("stats", {}).get("crashes", [])]
    if crashes:
        L += [f"**The pipeline crashed on {len(crashes)} synthetic text(s)** while the corpus was made (each was "
              f"replaced by another variant so the run could go on): " + "; ".join(sorted(set(crashes))[:5]) + ".", ""]
    big = s.get(SCALES[1], {})
    budgets.append((f"Pipeline for 1,000 texts with 1,000 entities under {BUDGETS['scale_time_s']:.0f} s",
                    f"{big['time_s']:.2f} s" if ok_big else "failed", ok_big and big["time_s"] < BUDGETS["scale_time_s"]))
    budgets.append((f"... and under {BUDGETS['scale_mem_mb']:.0f} MB peak memory",
                    f"{big['maxrss_kb'] / 1024:.0f} MB" if ok_big else "failed",
                    ok_big and big["maxrss_kb"] / 1024 < BUDGETS["scale_mem_mb"]))
    budgets.append((f"1,000 texts cost at most {BUDGETS['scale_ratio']:.0f}x 100 texts",
                    f"{ratio:.1f}x" if ratio else "failed", ratio is not None and ratio <= BUDGETS["scale_ratio"]))

    L += ["## Page weight (one text page)", "",
          f"`{w['page']}` against a plain Material page of the same text (only `theme: material`, `font: false`, "
          f"the text as plain Markdown paragraphs), loaded in Chromium from a local server that gzips; "
          f"all requests until the network is idle.", "",
          "| | edition: bytes | edition: gzipped | plain: bytes | plain: gzipped |", "|---|---:|---:|---:|---:|"]
    keys = ["HTML", "CSS Material", "CSS ours", "JS Material", "JS ours", "other"]
    for k in keys:
        e, p = w["edition"]["agg"].get(k, [0, 0, 0]), w["plain"]["agg"].get(k, [0, 0, 0])
        L.append(f"| {k} | {kb(e[0])} | {kb(e[1])} | {kb(p[0])} | {kb(p[1])} |")
    tot = lambda a: [sum(v[i] for v in a.values()) for i in (0, 1)]  # noqa: E731
    te, tp = tot(w["edition"]["agg"]), tot(w["plain"]["agg"])
    own = lambda a, i: sum(v[i] for k, v in a.items() if k.endswith("ours"))  # noqa: E731
    mat = lambda a, i: sum(v[i] for k, v in a.items() if k.endswith("Material"))  # noqa: E731
    ea, pa = w["edition"]["agg"], w["plain"]["agg"]
    L += [f"| CSS + JS, Material | {kb(mat(ea, 0))} | {kb(mat(ea, 1))} | {kb(mat(pa, 0))} | {kb(mat(pa, 1))} |",
          f"| **CSS + JS, ours** | {kb(own(ea, 0))} | **{kb(own(ea, 1))}** | {kb(own(pa, 0))} | {kb(own(pa, 1))} |",
          f"| total | {kb(te[0])} | {kb(te[1])} | {kb(tp[0])} | {kb(tp[1])} |",
          f"| requests | {w['edition']['requests']} | | {w['plain']['requests']} | |",
          f"| requests to another host | {len(w['edition']['external'])} | | {len(w['plain']['external'])} | |", "",
          "Other requests: " + "; ".join(f"{name}: " + ", ".join(
              f"{r['url'].split('/', 3)[-1] or '/'} ({kb(r['gz'])})" for r in w[name]["rows"] if r["kind"] == "other")
              for name in ("edition", "plain")) + ".", ""]
    budgets.append((f"Our own CSS and JS under {BUDGETS['own_gz_bytes'] // 1000} KB gzipped",
                    kb(own(ea, 1)), own(ea, 1) < BUDGETS["own_gz_bytes"]))
    budgets.append(("No request to another host",
                    f"{len(w['edition']['external'])} requests" + (": " + ", ".join(w["edition"]["external"][:3])
                                                                   if w["edition"]["external"] else ""),
                    not w["edition"]["external"]))

    L += ["## Lighthouse", ""]
    if lhres:
        v = next(iter(lhres.values()))["version"]
        L += [f"Lighthouse {v}, Debian Chromium (`CHROME_PATH={CHROMIUM}`, `--chrome-flags=\"{CHROME_FLAGS}\"`), "
              f"median of 3 runs each; both pages served by the same local gzip server.", "",
              "| page | preset | performance | accessibility | best practices | SEO | LCP | TBT | CLS |",
              "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
        for (name, preset), r in lhres.items():
            L.append(f"| {name} | {preset} | {r['performance']:.0f} | {r['accessibility']:.0f} | "
                     f"{r['best-practices']:.0f} | {r['seo']:.0f} | {r['lcp'] / 1000:.2f} s | {r['tbt']:.0f} ms | "
                     f"{r['cls']:.5f} |")
        L.append("")
        for (name, preset), r in lhres.items():
            if r["failing"]:
                L.append(f"- {name}, {preset}: failing audits: " + "; ".join(r["failing"]))
        L.append("")
        em, ed = lhres[("edition", "mobile")], lhres[("edition", "desktop")]
        budgets.append((f"Lighthouse mobile performance >= {BUDGETS['lh_perf_mobile']}", f"{em['performance']:.0f}",
                        em["performance"] >= BUDGETS["lh_perf_mobile"]))
        budgets.append(("Lighthouse desktop performance 100", f"{ed['performance']:.0f}", ed["performance"] >= 100))
        for cat, label in (("accessibility", "accessibility"), ("best-practices", "best practices"), ("seo", "SEO")):
            budgets.append((f"Lighthouse {label} 100 (mobile, desktop)", f"{em[cat]:.0f}, {ed[cat]:.0f}",
                            em[cat] >= 100 and ed[cat] >= 100))
        budgets.append(("CLS 0 (mobile, desktop; as Lighthouse shows it, three decimals)",
                        f"{em['cls']:.5f}, {ed['cls']:.5f}", round(em["cls"], 3) == 0 and round(ed["cls"], 3) == 0))
    else:
        L += [lh_note, ""]
        for label in ("Lighthouse mobile performance >= 97", "Lighthouse desktop performance 100",
                      "Lighthouse accessibility, best practices, SEO 100", "CLS 0"):
            budgets.append((label, "not measured", None))

    L += ["## Budgets", "", "| budget | measured | |", "|---|---:|---|"]
    L += [f"| {name} | {val} | **{verdict(ok)}** |" for name, val, ok in budgets]
    L.append("")
    return "\n".join(L), budgets


def write_markdown(body: str, quick: bool, load: str = "") -> None:
    path = ROOT / "BENCHMARKS.md"
    notes = ""
    if path.exists():
        old = path.read_text(encoding="utf-8")
        if NOTES_MARK in old:
            notes = old[old.index(NOTES_MARK):]
    cmd = "python -m scripts bench" + (" --quick" if quick else "")
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    head = ["# Benchmarks", "",
            f"Written by `{cmd}` (or `bash scripts/run bench`) on {now}.", "", f"Machine: {machine()}.", "",
            "Budgets are goals, not timed tests; timings on shared machines are noisy, so read the ratios, "
            "measured side by side in one run, before the absolute figures." +
            (" **This was a --quick run: fewer runs and no Lighthouse.**" if quick else ""), ""]
    path.write_text("\n".join(head) + "\n" + body + ("\n" + notes if notes else "\n" + NOTES_MARK + "\n"),
                    encoding="utf-8")


def main(quick: bool = False) -> int:
    runs = 3 if quick else 7
    load0 = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="edition-bench-") as tmp:
        work = Path(tmp)
        log("build: pipeline and full build against mkdocs build ...")
        b = bench_build(work, runs)
        log(f"build: ratio {b['ratio']:.2f}x")
        log("scale: synthetic corpora ...")
        s = bench_scale(work, 1 if quick else 3, trace=not quick)
        docs = b["docs"]
        doc = max(docs, key=lambda d: len(d.text))
        site = b["project"] / "site"
        plain = plain_site(work, doc)
        page = f"texts/{doc.slug}/"
        with serve(site) as e_url, serve(plain) as p_url:
            log("page weight ...")
            w = {"page": page, "edition": page_weight(f"{e_url}/{page}"), "plain": page_weight(f"{p_url}/")}
            lhres, lh_note = None, ""
            if quick:
                lh_note = "Not run (--quick)."
            else:
                lh = lighthouse_bin()
                if not lh:
                    lh_note = "Not run: Lighthouse is not installed (npm ci in scripts/tools/bench_npm failed)."
                elif not Path(CHROMIUM).exists():
                    lh_note = f"Not run: no {CHROMIUM}."
                else:
                    log("lighthouse (12 runs) ...")
                    lhres = bench_lighthouse(lh, {"edition": f"{e_url}/{page}", "plain": f"{p_url}/"}, work)
        body, budgets = report(quick, b, s, w, lhres, lh_note)
    print(body)
    load = f"{load0:.1f} at the start, {os.getloadavg()[0]:.1f} at the end (2 cores: above 2, other work was running)"
    print(f"\nload average (1 min): {load}")
    write_markdown(body, quick, load)
    log("wrote BENCHMARKS.md")
    return 0


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--scale-child":
        scale_child(sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1")
    else:
        sys.exit(main(quick="--quick" in sys.argv))
