"""The benchmark: build time, scale, the edit loop, page weight and Lighthouse, against budgets.

    python -m scripts bench           the full run (an hour or more on a shared 2-core machine),
                                      writes BENCHMARKS.md
    python -m scripts bench --quick   fewer runs and sizes, no Lighthouse: a fast look

Everything is built in temporary copies of mkdocs.yml and seeds/; docs/ and
site/ in the project are never touched.  Timings on shared machines are
noisy, so the benchmark reports medians of several runs, CPU time beside
clock time, and ratios measured side by side in one run.

Before anything runs, the tools are checked: Debian's Chromium, and for a
full run Lighthouse (`npm ci` in scripts/tools/bench_npm, from its lock
file).  A missing tool stops the benchmark with a message; no section is
skipped silently.

Sections:

- Build: the text pipeline for the five seeds; the full build (pipeline,
  writing docs/, `mkdocs build`) against `mkdocs build` alone, interleaved.
- Scale: synthetic corpora made from the seeds (varied lengths, generated
  people and organisations mentioned in the text, spun copies, margin
  notes) of 100, 1,000 and 10,000 texts (--quick: 100 and 1,000), with a
  glossary of 1,000 entities.  Each size runs in its own process, which
  reports clock and CPU time, its peak resident memory and its peak Python
  allocations (tracemalloc, in a separate untimed run).  At 100 and 1,000
  texts the whole build, MkDocs included, is timed too.
- Edit loop: `serve` on a copy of the project (five seeds; 1,000 texts),
  a notes file and a data file saved in turn, time until the served page
  shows the change.
- Page weight of the longest text page, loaded in Chromium (Playwright)
  from a local server that gzips as GitHub Pages does, against a plain
  Material page of the same text.
- Lighthouse (mobile and desktop) on every text page and on a plain
  Material page of each text, runs interleaved, medians of three.

The tables are printed and written to BENCHMARKS.md with the command, date,
duration and machine.  Anything below the line ``<!-- notes -->`` in
BENCHMARKS.md is kept when it is rewritten.
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
from ..core.parallel import PARALLEL_FROM, jobs_for

ROOT = corpus.ROOT
NPM_DIR = Path(__file__).resolve().parent / "bench_npm"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --disable-sync --no-first-run")
NOTES_MARK = "<!-- notes -->"
GLOSSARY_SIZE = 1000
SCALES = (100, 1000, 10000)                         # texts in the synthetic corpora of a full run
QUICK_SCALES = (100, 1000)
FULL_BUILD_AT = (100, 1000)                         # sizes whose whole build (MkDocs included) is timed
CHILD_TIMEOUT = 1800                                # seconds: one scale's process gets this plus 1.2 s a text

BUDGETS = {
    "scale_time_s": 10.0,
    "scale_mem_mb": 500.0,
    "scale_ratio": 11.0,
    "build_ratio": 1.3,
    "own_gz_bytes": 15_000,
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
                    + _dump(data), encoding="utf-8")
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
    """The reverse of the lexicon: originals replaced with their spun readings, longest first, in one pass."""
    if not pairs:
        return text
    by_orig = {o.lower(): s for s, o in pairs}
    longest = max(len(o.split()) for o in by_orig)
    words = list(re.finditer(r"[A-Za-z0-9_']+", text))
    out, pos, i = [], 0, 0
    while i < len(words):
        for k in range(min(longest, len(words) - i), 0, -1):
            first, last = words[i], words[i + k - 1]
            phrase = text[first.start():last.end()]
            s = by_orig.get(phrase.lower())
            if s is not None and "\n" not in phrase:
                if rng.random() >= 0.15:            # spinners miss some
                    out += [text[pos:first.start()], s[0].upper() + s[1:] if phrase[0].isupper() else s]
                    pos = last.end()
                i += k
                break
        else:
            i += 1
    return "".join(out) + text[pos:]


def _dump(data) -> str:
    """YAML quickly: libyaml's emitter when PyYAML has it."""
    import yaml
    return yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True,
                     sort_keys=False, width=120)


def _paragraphs(raw: bytes) -> list[str]:
    text = raw.decode("utf-8", errors="surrogateescape").replace("\r\n", "\n")
    paras = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    if len(paras) < 3:          # a scrape with one paragraph a line and no blank lines
        paras = [p for p in text.split("\n") if p.strip()]
    return paras


PHRASE = re.compile(r"[A-Za-z]+(?: [A-Za-z]+){4}")


def _note_phrases(seeds: list[Path], paras: dict, rules, lexicon, pairs) -> dict[tuple[str, int], list[str]]:
    """Five-word phrases a note can anchor to, by (seed, raw paragraph number).

    A phrase qualifies when it occurs once in the seed's clean text, inside
    one block, and has no word the de-spinner might change; a synthetic text
    made of raw paragraphs then keeps the phrase as it is.  Only the five real
    seeds go through the pipeline here, so making a corpus costs little.
    """
    from ..text import pipeline
    spun_words = {w.lower() for s, o in pairs for w in re.findall(r"[A-Za-z]+", s + " " + o)}
    # every word any lexicon item (hand or learned) may restore: a synthetic text that mixes in
    # spun paragraphs is de-spun, and a note must not anchor on a word that may change
    spun_words |= {w.lower() for it in (getattr(lexicon, "items", None) or [])
                   for w in (getattr(it, "words", None) or ())}
    out = {}
    for p in seeds:
        doc = pipeline.process(p, rules, lexicon)
        if doc.spun:
            continue
        for j, para in enumerate(paras[p.stem]):
            good = []
            for m in PHRASE.finditer(para):
                ph = m.group()
                if any(w.lower() in spun_words for w in ph.split()) or doc.text.count(ph) != 1:
                    continue
                s = doc.text.index(ph)
                if any(bl.start <= s and s + len(ph) <= bl.end for bl in doc.blocks):
                    good.append(ph)
            out[(p.stem, j)] = good
    return out


def make_corpus(dest: Path, n_texts: int, entities: list[dict], pairs, notes: bool = True) -> dict:
    """A seeds/ folder of n_texts: the five real seeds and n_texts - 5 synthetic ones.

    The synthetic texts are not run through the pipeline here (that would
    cost as much as the run being measured): a pipeline crash or a note that
    does not anchor shows up as the measured run's error.
    """
    shutil.copytree(ROOT / "seeds", dest)
    seeds = corpus.seed_files(ROOT / "seeds")
    paras = {p.stem: _paragraphs(p.read_bytes()) for p in seeds}
    metas = {p.stem: corpus.load_seed_data(p)[0] for p in seeds}
    spun_seed = next((p.stem for p in seeds if "spun" in str(metas[p.stem].get("spun", "")).lower()
                      or "nyt" in metas[p.stem]["slug"]), seeds[min(2, len(seeds) - 1)].stem)
    stats = {"synthetic": 0, "spun": 0, "notes": 0, "glossary": None, "crashes": [],
             "words": sum(len("\n\n".join(ps).split()) for ps in paras.values())}
    names = [e["name"] for e in entities] + [a for e in entities for a in e["aliases"]]
    from .build import lexicon_or_none
    phrases = _note_phrases(seeds, paras, corpus.load_rules(dest), lexicon_or_none(dest), pairs) if notes else {}
    kinds = ["context", "fact-check", "editorial", "cross-reference"]
    pool = [(s.stem, j) for s in seeds for j in range(1, len(paras[s.stem]))]

    for i in range(n_texts - len(seeds)):
        rng = random.Random(i)
        base = seeds[i % len(seeds)].stem
        spun = i % 4 == 3
        if spun and not pairs:
            base = spun_seed                        # without a lexicon: copies of the real spun scrape
        ps = paras[base]
        k = max(3, int(len(ps) * rng.uniform(0.25, 2.0)))
        own = [(base, (j % (len(ps) - 1)) + 1) for j in range(k - 1)]
        chosen = [own[j] if j < len(ps) - 1 or spun else rng.choice(pool)
                  for j in range(k - 1)]
        body = [paras[s][j] for s, j in chosen]
        for _ in range(rng.randint(3, 15)):         # generated entities mentioned in the text
            j = rng.randrange(len(body))
            body[j] = body[j].rstrip() + rng.choice(SENTENCES).format(a=rng.choice(names), b=rng.choice(names))
        text = "\n\n".join([f"{ps[0].strip()} ({i + 1})"] + body) + "\n"
        if spun and pairs:
            text = spin(text, pairs, rng)
        stem = f"{900 + i:04d}_bench{i:05d}"
        path = dest / f"{stem}.txt"
        path.write_bytes(text.encode("utf-8", errors="surrogateescape"))
        data = {"slug": f"bench-{i + 1:04d}-{metas[base]['slug']}"[:60],
                "summary": f"Synthetic text {i + 1} for the benchmark, made from {base}.",
                "source": {"kind": "synthetic", "publication": "Benchmark corpus",
                           "date": f"2025-01-{1 + i % 28:02d}"}}
        path.with_suffix(".yml").write_text(_dump(data), encoding="utf-8")
        stats["spun"] += spun
        stats["words"] += len(text.split())
        stats["synthetic"] += 1
        if not notes or spun:
            continue
        candidates = [ph for key in dict.fromkeys(chosen) for ph in phrases.get(key, [])
                      if text.count(ph) == 1]
        rng.shuffle(candidates)
        picked = candidates[:rng.randint(1, 4)]
        if not picked:
            continue
        note_list = [{"id": f"bench{i}-{n + 1}", "kind": kinds[n % 4], "exact": ph, "text": f"A generated note on *{ph}*."}
                     for n, ph in enumerate(picked)]
        (dest / f"{stem}.notes.yml").write_text(_dump({"notes": note_list}), encoding="utf-8")
        stats["notes"] += len(note_list)
    sums = {p.name: corpus.sha256(p.read_bytes()) for p in corpus.seed_files(dest)}
    corpus.write_manifest(sums, dest)
    gl = dest / "glossary.yml"
    if gl.exists():
        stats["glossary"] = extend_glossary(gl, entities, GLOSSARY_SIZE)
    return stats


def _cpu() -> float:
    """User + system time of this process and of its finished worker processes."""
    import resource
    r, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime + c.ru_utime + c.ru_stime


def _tree_pids(pid: int) -> list[int]:
    """pid and every process under it (Linux: /proc/PID/task/TID/children)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for task in Path(f"/proc/{p}/task").glob("*/children"):
            try:
                todo += [int(c) for c in task.read_text().split()]
            except (OSError, ValueError):
                pass
    return out


def tree_pss_kb(pid: int) -> int:
    """Proportional set size of a process and its workers, in kB: each page shared by k of them
    counted 1/k in each, so the sum is the memory the group really holds (Linux smaps_rollup)."""
    total = 0
    for p in _tree_pids(pid):
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
        except (OSError, ValueError):
            pass
    return total


def run_sampled(cmd: list[str], phase_file: Path, timeout: float, every: float = 0.1):
    """subprocess.run for a scale child, sampling the PSS of it and its workers every `every`
    seconds from outside (no thread in the child, which would keep it from forking workers);
    the peak is kept per phase, the phase being what the child last wrote to phase_file.
    Returns (CompletedProcess, {phase: peak kB})."""
    import tempfile
    peaks: dict[str, int] = {}
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=err, text=True,
                                env=dict(os.environ, BENCH_PHASE_FILE=str(phase_file)))
        t0 = time.monotonic()
        try:
            while proc.poll() is None:
                if time.monotonic() - t0 > timeout:
                    proc.kill()
                    proc.wait()
                    raise subprocess.TimeoutExpired(cmd, timeout)
                try:
                    phase = phase_file.read_text().strip() or "start"
                except OSError:
                    phase = "start"
                kb = tree_pss_kb(proc.pid)
                peaks[phase] = max(peaks.get(phase, 0), kb)
                time.sleep(every)
        finally:
            if proc.poll() is None:
                proc.kill()
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(cmd, proc.returncode, out.read(), err.read()), peaks


def _phase(name: str) -> None:
    """Tell run_sampled what the scale child is doing now."""
    where = os.environ.get("BENCH_PHASE_FILE")
    if where:
        Path(where).write_text(name)


def _pss(r: dict) -> str:
    return f"{r['pss_kb'] / 1024:.0f} MB" if r.get("pss_kb") else "not measured (no /proc)"


def _workers(r: dict) -> str:
    """How the peak memory figure is made up, when worker processes ran."""
    if r.get("jobs", 1) > 1:
        return f" ({r['maxrss_kb'] / 1024:.0f} + {r['jobs']} × {r['worker_kb'] / 1024:.0f})"
    return ""


def scale_child(seeds: str, runs: int, trace: bool, full: bool = False) -> None:
    """In a subprocess: time generate() on one corpus (and, with full, the whole build); JSON on stdout."""
    import resource
    import tracemalloc
    from . import build as B
    seeds_p = Path(seeds)
    base_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    times, cpus = [], []
    out = seeds_p.parent / f"docs-{seeds_p.name}"
    _phase("pipeline")
    for _ in range(runs):                           # stop repeating once it has taken 30 s
        shutil.rmtree(out, ignore_errors=True)
        t, c = time.perf_counter(), _cpu()
        docs, files = B.generate(seeds_p, sink=B.tree_writer(out))
        times.append(time.perf_counter() - t)
        cpus.append(_cpu() - c)
        if sum(times) > 30:
            break
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    worker_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss     # the largest worker
    jobs = jobs_for(len(corpus.seed_files(seeds_p)))
    spun = sum(1 for d in docs if getattr(d, "spun", False))
    counts = {"texts": len(docs), "files": len(files), "bytes": sum(files.values())}
    del docs, files
    _phase("after")
    traced = None
    if trace and times[0] < 15:
        shutil.rmtree(out, ignore_errors=True)
        tracemalloc.start()
        B.generate(seeds_p, sink=B.tree_writer(out))
        traced = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    shutil.rmtree(out, ignore_errors=True)
    builds, build_cpus = [], []
    if full:                                        # the whole build: pipeline, docs/ written, mkdocs build
        proj = copy_project(seeds_p.parent / f"project-{seeds_p.name}", seeds_p)
        with contextlib.redirect_stderr(io.StringIO()):
            for _ in range(runs):
                t, c = time.perf_counter(), _cpu()
                B.build(root=proj)
                builds.append(time.perf_counter() - t)
                build_cpus.append(_cpu() - c)
                if sum(builds) > 60:
                    break
        shutil.rmtree(proj)
    print(json.dumps({"times": times, "cpus": cpus, "maxrss_kb": peak_kb, "worker_kb": worker_kb, "jobs": jobs,
                      "total_kb": peak_kb + (jobs * worker_kb if jobs > 1 else 0), "base_kb": base_kb, "traced": traced,
                      "spun": spun, "builds": builds, "build_cpus": build_cpus, **counts}))


def bench_scale(work: Path, scales: tuple, runs: int, trace: bool, full_at: tuple = ()) -> dict:
    entities = make_entities(GLOSSARY_SIZE)
    pairs = lexicon_pairs(ROOT / "seeds" / "spin-lexicon.yml")
    out = {"pairs": len(pairs), "scales": scales, "full_at": full_at}
    for n in scales:
        seeds = work / f"seeds-{n}"
        t = time.perf_counter()
        stats = make_corpus(seeds, n, entities, pairs)
        log(f"corpus of {n} texts made in {time.perf_counter() - t:.1f} s")
        timeout = CHILD_TIMEOUT + int(1.2 * n)          # a shared machine can be ten times slower than an idle one
        try:
            r, peaks = run_sampled([sys.executable, "-m", "scripts.tools.bench", "--scale-child", str(seeds),
                                    str(1 if n > 1000 else runs), "1" if trace and n <= 1000 else "0",
                                    "1" if n in full_at else "0"], work / f"phase-{n}", timeout)
        except subprocess.TimeoutExpired:
            out[n] = {"error": f"stopped after {timeout} s", "stats": stats}
            log(f"scale {n} timed out")
            continue
        if r.returncode != 0:
            out[n] = {"error": (r.stderr.strip().splitlines() or ["failed"])[-1], "stats": stats}
            log(f"scale {n} failed:\n{r.stderr[-3000:]}")
            continue
        res = json.loads(r.stdout.strip().splitlines()[-1])
        res["stats"] = stats
        res["pss_kb"] = peaks.get("pipeline", 0)
        res["time_s"] = median(res["times"])
        res["cpu_s"] = median(res["cpus"])
        res["build_s"] = median(res["builds"]) if res["builds"] else None
        res["build_cpu_s"] = median(res["build_cpus"]) if res["build_cpus"] else None
        out[n] = res
        log(f"scale {n}: {res['time_s']:.2f} s ({res['cpu_s']:.2f} s CPU), {res['maxrss_kb'] / 1024:.0f} MB"
            + (f"; full build {res['build_s']:.1f} s" if res["build_s"] else ""))
        if n > 1000:
            shutil.rmtree(seeds, ignore_errors=True)
    return out


# --- the edit loop -----------------------------------------------------------------

def free_port() -> int:
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fetch(url: str) -> str:
    import urllib.request
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read().decode("utf-8", errors="replace")


def _wait_until(url: str, pred, deadline: float, proc) -> float:
    """Poll url until pred(body); the time it happened (perf_counter)."""
    while True:
        try:
            if pred(_fetch(url)):
                return time.perf_counter()
        except OSError:
            pass
        if proc.poll() is not None:
            raise RuntimeError(f"serve stopped (exit {proc.returncode})")
        if time.perf_counter() > deadline:
            raise TimeoutError(url)
        time.sleep(0.02)


def _marked(path: Path, pattern: str, mark: str) -> str:
    """The file's text with `mark` put in front of the first value that `pattern` (a regex with a group 1) finds."""
    text = path.read_text(encoding="utf-8")
    m = re.search(pattern, text, re.MULTILINE)
    if not m:
        raise RuntimeError(f"{path.name}: nothing to edit for the edit-loop benchmark ({pattern!r})")
    return text[:m.start(1)] + mark + " " + text[m.start(1):]


def bench_edit_loop(work: Path, seeds: Path, label: str, edits: int = 5) -> dict:
    """Start `serve` on a copy of the project, save edits, time until the served page shows each.

    Two kinds of edit, both on the first seed: a margin note's words (its
    notes file) and the summary in its data file (shown in the page's
    description).  Each time is from the file's write to the first fetch of
    the page that contains the new words: what a browser with the page open
    sees, less its reload.
    """
    from ..core import corpus as C
    proj = copy_project(work / f"edit-{label}", seeds)
    first = C.seed_files(proj / "seeds")[0]
    meta, _ = C.load_seed_data(first)
    notes = first.with_name(first.stem + ".notes.yml")
    data = first.with_suffix(".yml")
    port = free_port()
    url = f"http://127.0.0.1:{port}/texts/{meta['slug']}/"
    env = dict(os.environ, EDITION_ROOT=str(proj), EDITION_SITE_URL=f"http://127.0.0.1:{port}/")
    logf = (work / f"serve-{label}.log").open("w")
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "scripts", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                            cwd=ROOT, env=env, stdout=logf, stderr=subprocess.STDOUT, start_new_session=True)
    res = {"label": label, "texts": len(C.seed_files(proj / "seeds")), "notes": [], "data": []}
    try:
        _wait_until(url, lambda body: True, time.perf_counter() + CHILD_TIMEOUT * 2, proc)
        res["start_s"] = time.perf_counter() - t0
        kinds = [("notes", notes, r"^\s+text: (?:>-?\s*\n\s+)?(\S)"), ("data", data, r"^summary: (?:>-?\s*\n\s+)?(\S)")]
        for i in range(edits):
            for kind, path, pattern in kinds:
                if kind == "notes" and not path.exists():
                    continue
                mark = f"Editloop{kind}{i}mark"
                new = _marked(path, pattern, mark)
                time.sleep(0.5)                     # let the server settle after the last rebuild
                t = time.perf_counter()
                path.write_text(new, encoding="utf-8")
                seen = _wait_until(url, lambda body: mark in body, t + 120, proc)
                res[kind].append(seen - t)
        log(f"edit loop, {label}: notes {[f'{x:.2f}' for x in res['notes']]} s, data {[f'{x:.2f}' for x in res['data']]} s")
    except Exception as exc:
        res["error"] = f"{type(exc).__name__}: {exc} (log: {logf.name})"
        log(f"edit loop, {label}: {res['error']}")
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, 15)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=20)
        logf.close()
    return res


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
    proj = work / f"plain-{doc.slug}"
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
        html_body = b""
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
            if kind == "HTML" and not html_body:
                html_body = body
            rows.append({"url": r.url, "host": u.netloc, "kind": kind, "owner": owner, "bytes": len(body),
                         "gz": len(gz(body)) if ctype.startswith(COMPRESSIBLE) else len(body),
                         "external": u.netloc != host and u.scheme in ("http", "https")})
        browser.close()
    # the edition's styles are written into each page's head: counted as our
    # CSS (raw, and gzipped on their own), not as HTML
    requests = len(rows)
    m = re.search(rb"<style>\s*/\* The edition's own styles.*?</style>", html_body, re.S)
    if m:
        css, doc = m.group(0), next(row for row in rows if row["kind"] == "HTML")
        css_gz = len(gz(css))
        rows.append({**doc, "kind": "CSS", "owner": "ours", "bytes": len(css), "gz": css_gz,
                     "url": doc["url"] + " (styles in the page)"})
        doc["bytes"] -= len(css)
        doc["gz"] -= css_gz
    agg = {}
    for row in rows:
        key = row["kind"] if row["kind"] in ("HTML", "other") else f"{row['kind']} {row['owner']}"
        a = agg.setdefault(key, [0, 0, 0])
        a[0] += row["bytes"]
        a[1] += row["gz"]
        a[2] += 1
    return {"rows": rows, "agg": agg, "requests": requests, "external": [r["url"] for r in rows if r["external"]]}


# --- Lighthouse -------------------------------------------------------------------

def lighthouse_bin() -> Path:
    """Lighthouse from scripts/tools/bench_npm (npm ci from its lock file on first use), or a clear error."""
    lh = NPM_DIR / "node_modules" / ".bin" / "lighthouse"
    if lh.exists():
        return lh
    if not shutil.which("npm"):
        raise SystemExit("error: the benchmark needs npm to install Lighthouse (Debian: apt-get install npm); "
                         "`python -m scripts bench --quick` runs without it")
    log("installing Lighthouse (npm ci in scripts/tools/bench_npm) ...")
    r = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=NPM_DIR)
    if r.returncode != 0 or not lh.exists():
        raise SystemExit(f"error: `npm ci` in {NPM_DIR} failed (exit {r.returncode}); the lines above say why")
    return lh


def require_tools(quick: bool) -> Path | None:
    """Check for every tool a run needs before it starts: a missing one stops it, never skips a section."""
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"error: no {CHROMIUM}: the benchmark loads pages in Debian's Chromium "
                         "(apt-get install chromium; `bash scripts/run bench` installs it when run as root)")
    return None if quick else lighthouse_bin()


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


def bench_lighthouse(lh: Path, pages: dict[str, tuple[str, str]], work: Path, runs: int = 3) -> dict:
    """Every page, edition and plain, mobile and desktop: runs interleaved, medians.

    pages: name -> (edition URL, plain URL).  The result is keyed by
    (name, "edition" or "plain", preset).
    """
    raw: dict[tuple, list] = {}
    total = len(pages) * 2 * 2 * runs
    done = 0
    for i in range(runs):
        for name, urls in pages.items():
            for preset in ("mobile", "desktop"):
                for variant, url in zip(("edition", "plain"), urls):
                    r = lighthouse(lh, url, preset, work / f"lh-{name}-{variant}-{preset}-{i}.json")
                    raw.setdefault((name, variant, preset), []).append(r)
                    done += 1
                    log(f"lighthouse {done}/{total}: {name} {variant} {preset}: perf {r['performance']}, "
                        f"TBT {r['tbt']:.0f} ms")
    res = {}
    keys = ("performance", "accessibility", "best-practices", "seo", "lcp", "tbt", "cls")
    for k, rs in raw.items():
        med = {key: median([r[key] for r in rs]) for key in keys}
        med["failing"] = sorted({f for r in rs for f in r["failing"]})
        med["version"] = rs[0]["version"]
        med["runs"] = rs
        res[k] = med
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


def report(quick: bool, b: dict, s: dict, w: dict, edit: list, lhres: dict | None, lh_note: str) -> tuple[str, list]:
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

    scales = s["scales"]
    ok = {n: isinstance(s.get(n), dict) and "error" not in s[n] for n in scales}
    st = next((s[n]["stats"] for n in scales if isinstance(s.get(n), dict) and "stats" in s[n]), {})
    gl = st.get("glossary")
    gl_txt = (f"{gl[0]} real + {gl[1]} generated entities" if gl else
              "no seeds/glossary.yml (or a layout the generator does not know): entities mentioned "
              "in the texts but no glossary")
    lex_txt = (f"spun copies made with the reverse of {s['pairs']} spin-lexicon entries" if s.get("pairs")
               else "no seeds/spin-lexicon.yml: spun copies are copies of the real spun scrape")
    L += ["## Scale (synthetic corpus)", "",
          f"The five seeds plus synthetic texts made from them: lengths 0.25x to 2x a seed, mixed paragraphs, "
          f"3 to 15 mentions of generated people, organisations, models, places and ideas (with misspelt "
          f"aliases) per text, one text in four spun, one to four margin notes on the others; {lex_txt}; "
          f"glossary: {gl_txt}. Each size runs in its own process: time is the median of its runs of "
          f"`build.generate` (process and render, each file written to disk as it is made, as `build` does; "
          f"no MkDocs; one run at 10,000; the texts are processed by one worker process per CPU, as `build` "
          f"does from {PARALLEL_FROM} texts), CPU is the user + "
          f"system time of that process and its workers for the same runs (less disturbed by other work on "
          f"the machine than the clock); peak memory is the highest proportional set size (PSS: a page "
          f"shared by k processes counts 1/k in each) of the process and its workers together, sampled "
          f"every 0.1 s from outside during the timed runs (interpreter included; a spike shorter than "
          f"0.1 s can be missed); peak RSS is the process's ru_maxrss plus, when workers ran, their number "
          f"times the largest worker's ru_maxrss (an upper bound: pages the workers share with the main "
          f"process are counted again); traced is tracemalloc's peak in a separate untimed run of the main "
          f"process.", "",
          "| texts | words | spun (detected) | notes | time | CPU | per text | peak memory (PSS) | peak RSS | traced peak | generated |",
          "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for n in scales:
        r = s.get(n) or {}
        if not ok[n]:
            L.append(f"| {n:,} | | | | failed: {r.get('error', 'not run')} | | | | | | |")
            continue
        stt = r["stats"]
        tr = f"{r['traced'] / 2**20:.0f} MB" if r.get("traced") else "–"
        L.append(f"| {n:,} | {stt['words']:,} | {stt['spun']} ({r.get('spun', '?')}) | {stt['notes']} | "
                 f"{r['time_s']:.2f} s | {r['cpu_s']:.2f} s | {r['time_s'] / n * 1000:.1f} ms | "
                 f"{_pss(r)} | {r.get('total_kb', r['maxrss_kb']) / 1024:.0f} MB{_workers(r)} | {tr} | {r['bytes'] / 1e6:.1f} MB in {r['files']:,} files |")
    growth = {}
    for lo, hi in zip(scales, scales[1:]):
        if ok[lo] and ok[hi]:
            growth[(lo, hi)] = (s[hi]["time_s"] / s[lo]["time_s"], s[hi]["cpu_s"] / s[lo]["cpu_s"])
            L.append(f"| **{hi:,} / {lo:,}** | | | | **{growth[(lo, hi)][0]:.1f}x** | **{growth[(lo, hi)][1]:.1f}x** "
                     f"| | | | | |")
    L.append("")
    big = s.get(1000, {})
    budgets.append((f"Pipeline for 1,000 texts with 1,000 entities under {BUDGETS['scale_time_s']:.0f} s (clock; CPU)",
                    f"{big['time_s']:.2f} s; {big['cpu_s']:.2f} s" if ok.get(1000) else "failed",
                    bool(ok.get(1000)) and big["time_s"] < BUDGETS["scale_time_s"]))
    budgets.append((f"... and under {BUDGETS['scale_mem_mb']:.0f} MB peak memory (PSS of the process and its workers)",
                    _pss(big) if ok.get(1000) else "failed",
                    bool(ok.get(1000)) and 0 < big.get("pss_kb", 0) / 1024 < BUDGETS["scale_mem_mb"]))
    for (lo, hi), (g, gc) in growth.items():
        budgets.append((f"{hi:,} texts cost at most {BUDGETS['scale_ratio']:.0f}x {lo:,} texts (clock; CPU)",
                        f"{g:.1f}x; {gc:.1f}x", g <= BUDGETS["scale_ratio"]))
    for n in scales:
        if not ok[n] and n > 1000:
            budgets.append((f"{n:,} texts run", s.get(n, {}).get("error", "not run"), False))

    full = [n for n in s.get("full_at", ()) if ok.get(n) and s[n].get("build_s")]
    if full:
        L += ["## Full build at scale", "",
              "The whole build (pipeline, docs/ written, `mkdocs build --strict` with Material) of the same "
              "synthetic corpora, in the same processes; median of its runs (one when a run takes over a minute).",
              "", "| texts | full build | CPU | per text |", "|---:|---:|---:|---:|"]
        for n in full:
            L.append(f"| {n:,} | {s[n]['build_s']:.1f} s | {s[n]['build_cpu_s']:.1f} s | "
                     f"{s[n]['build_s'] / n * 1000:.0f} ms |")
        if len(full) >= 2:
            lo, hi = full[0], full[-1]
            g, gc = s[hi]["build_s"] / s[lo]["build_s"], s[hi]["build_cpu_s"] / s[lo]["build_cpu_s"]
            L.append(f"| **{hi:,} / {lo:,}** | **{g:.1f}x** | **{gc:.1f}x** | |")
            budgets.append((f"Full build grows linearly: {hi:,} texts at most {hi / lo * 1.1:.0f}x {lo:,} "
                            f"(clock; CPU)", f"{g:.1f}x; {gc:.1f}x", g <= hi / lo * 1.1))
        L.append("")
    L += ["## Page weight (one text page)", "",
          f"`{w['page']}` against a plain Material page of the same text (only `theme: material`, `font: false`, "
          f"the text as plain Markdown paragraphs), loaded in Chromium from a local server that gzips; "
          f"all requests until the network is idle.  The edition's styles are written into each page's "
          f"head: they count as our CSS (gzipped on their own), not as HTML.", "",
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

    L += edit_loop_section(edit, budgets)
    L += ["## Lighthouse, every text page", ""]
    if lhres:
        v = next(iter(lhres.values()))["version"]
        names = list(dict.fromkeys(k[0] for k in lhres))
        L += [f"Lighthouse {v}, Debian Chromium (`CHROME_PATH={CHROMIUM}`, `--chrome-flags=\"{CHROME_FLAGS}\"`). "
              f"Each text page of the edition against a plain Material page of the same text (only "
              f"`theme: material`, `font: false`, the text as plain Markdown paragraphs), both served by the same "
              f"local gzip server; runs interleaved (edition, plain, for each page and preset in turn), median of "
              f"{len(next(iter(lhres.values()))['runs'])} runs each.", "",
              "| text | preset | performance: edition | plain | TBT: edition | plain | LCP: edition | plain "
              "| CLS: edition | accessibility, best practices, SEO: edition | plain |",
              "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for name in names:
            for preset in ("mobile", "desktop"):
                e, pl = lhres[(name, "edition", preset)], lhres[(name, "plain", preset)]
                L.append(f"| {name} | {preset} | {e['performance']:.0f} | {pl['performance']:.0f} | "
                         f"{e['tbt']:.0f} ms | {pl['tbt']:.0f} ms | {e['lcp'] / 1000:.2f} s | {pl['lcp'] / 1000:.2f} s | "
                         f"{e['cls']:.3f} | {e['accessibility']:.0f}, {e['best-practices']:.0f}, {e['seo']:.0f} | "
                         f"{pl['accessibility']:.0f}, {pl['best-practices']:.0f}, {pl['seo']:.0f} |")
        L.append("")
        for (name, variant, preset), r in lhres.items():
            if r["failing"] and variant == "edition":
                L.append(f"- {name}, {preset}: failing audits: " + "; ".join(r["failing"]))
        L.append("")
        E = lambda n, p: lhres[(n, "edition", p)]  # noqa: E731
        worst = lambda key, p, f=min: f(names, key=lambda n: E(n, p)[key])  # noqa: E731
        behind = [n for n in names if E(n, "mobile")["performance"] < lhres[(n, "plain", "mobile")]["performance"]]
        budgets.append(("Lighthouse mobile performance at least the plain page's, every text page (same run)",
                        f"{len(names) - len(behind)} of {len(names)} pages" +
                        ("; behind: " + ", ".join(f"{n} {E(n, 'mobile')['performance']:.0f} vs "
                                                  f"{lhres[(n, 'plain', 'mobile')]['performance']:.0f}" for n in behind)
                         if behind else ""), not behind))
        n = worst("tbt", "mobile", max)
        budgets.append(("Mobile TBT at most 200 ms, every text page", f"worst {E(n, 'mobile')['tbt']:.0f} ms ({n})",
                        E(n, "mobile")["tbt"] <= 200))
        n = worst("performance", "desktop")
        budgets.append(("Lighthouse desktop performance 100, every text page",
                        f"lowest {E(n, 'desktop')['performance']:.0f} ({n})", E(n, "desktop")["performance"] >= 100))
        for cat, label in (("accessibility", "accessibility"), ("best-practices", "best practices"), ("seo", "SEO")):
            low = min(E(n, p)[cat] for n in names for p in ("mobile", "desktop"))
            budgets.append((f"Lighthouse {label} 100, every text page (mobile, desktop)", f"lowest {low:.0f}",
                            low >= 100))
        high = max(E(n, p)["cls"] for n in names for p in ("mobile", "desktop"))
        budgets.append(("CLS 0, every text page (as Lighthouse shows it, three decimals)", f"highest {high:.5f}",
                        round(high, 3) == 0))
    else:
        L += [lh_note, ""]
        budgets.append(("Lighthouse on every text page", "not measured", None))

    L += ["## Budgets", "", "| budget | measured | |", "|---|---:|---|"]
    L += [f"| {name} | {val} | **{verdict(ok)}** |" for name, val, ok in budgets]
    L.append("")
    return "\n".join(L), budgets


def edit_loop_section(edit: list, budgets: list) -> list[str]:
    L = ["## Edit loop (serve)", "",
         "`python -m scripts serve` started on a copy of the project; then, one at a time, a margin note's words "
         "(the first seed's notes file) and the summary in its data file (shown in the page's description) are "
         "changed and saved, and the text's page is fetched every 20 ms until it shows the new words. Times "
         "from the save to that fetch; a browser with the page open reloads on the server's signal at about "
         "the same moment.", "",
         "| texts | serve ready after | notes edit: median | all | data edit: median | all |",
         "|---:|---:|---:|---|---:|---|"]
    limits = {5: 1.0, 1000: 3.0}
    for r in edit:
        if "error" in r:
            L.append(f"| {r['texts']:,} | failed: {r['error']} | | | | |")
        else:
            fmt = lambda xs: ", ".join(f"{x:.2f}" for x in xs)  # noqa: E731
            L.append(f"| {r['texts']:,} | {r['start_s']:.0f} s | {median(r['notes']):.2f} s | {fmt(r['notes'])} | "
                     f"{median(r['data']):.2f} s | {fmt(r['data'])} |")
        limit = limits.get(r["texts"], 3.0)
        worst = max(median(r["notes"]), median(r["data"])) if "error" not in r and r["notes"] else None
        budgets.append((f"Edit loop with {r['texts']:,} texts: a saved notes or data file shows under {limit:.0f} s "
                        f"(median)", f"notes {median(r['notes']):.2f} s, data {median(r['data']):.2f} s"
                        if worst is not None else r.get("error", "failed"), worst is not None and worst < limit))
    return L + [""]


def write_markdown(body: str, quick: bool, load: str = "", took: float = 0.0) -> None:
    path = ROOT / "BENCHMARKS.md"
    notes = ""
    if path.exists():
        old = path.read_text(encoding="utf-8")
        if NOTES_MARK in old:
            notes = old[old.index(NOTES_MARK):]
    cmd = "python -m scripts bench" + (" --quick" if quick else "")
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    head = ["# Benchmarks", "",
            f"Written by `{cmd}` (or `bash scripts/run bench`) on {now}; the run took {took / 60:.0f} minutes.", "",
            f"Machine: {machine()}. Load average (1 min): {load}; on 2 cores, above 2 means other work was "
            "running and clock times are stretched (CPU times less so).", "",
            "Budgets are goals, not timed tests; timings on shared machines are noisy, so read the ratios, "
            "measured side by side in one run, before the absolute figures." +
            (" **This was a --quick run: fewer runs and no Lighthouse.**" if quick else ""), ""]
    path.write_text("\n".join(head) + "\n" + body + ("\n" + notes if notes else "\n" + NOTES_MARK + "\n"),
                    encoding="utf-8")


def main(quick: bool = False) -> int:
    start = time.perf_counter()
    runs = 3 if quick else 7
    load0 = os.getloadavg()[0]
    lh = require_tools(quick)
    with tempfile.TemporaryDirectory(prefix="edition-bench-") as tmp:
        work = Path(tmp)
        log("build: pipeline and full build against mkdocs build ...")
        b = bench_build(work, runs)
        log(f"build: ratio {b['ratio']:.2f}x")
        log("scale: synthetic corpora ...")
        scales = QUICK_SCALES if quick else SCALES
        s = bench_scale(work, scales, 1 if quick else 3, trace=not quick, full_at=() if quick else FULL_BUILD_AT)
        log("edit loop ...")
        edit = [bench_edit_loop(work, ROOT / "seeds", "seeds", edits=3 if quick else 5)]
        if not quick:
            edit.append(bench_edit_loop(work, work / "seeds-1000", "1000", edits=5))
        docs = b["docs"]
        doc = max(docs, key=lambda d: len(d.text))
        site = b["project"] / "site"
        plains = {d.slug: plain_site(work, d) for d in (docs if not quick else [doc])}
        page = f"texts/{doc.slug}/"
        with contextlib.ExitStack() as stack:
            e_url = stack.enter_context(serve(site))
            p_urls = {slug: stack.enter_context(serve(path)) for slug, path in plains.items()}
            log("page weight ...")
            w = {"page": page, "edition": page_weight(f"{e_url}/{page}"), "plain": page_weight(f"{p_urls[doc.slug]}/")}
            lhres, lh_note = None, "Not run (--quick)."
            if lh:
                pages = {d.slug: (f"{e_url}/texts/{d.slug}/", f"{p_urls[d.slug]}/") for d in docs}
                log(f"lighthouse ({len(pages) * 12} runs) ...")
                lhres = bench_lighthouse(lh, pages, work)
        body, budgets = report(quick, b, s, w, edit, lhres, lh_note)
    took = time.perf_counter() - start
    load = f"{load0:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    print(body)
    print(f"\nload average (1 min): {load} (2 cores: above 2, other work was running)")
    write_markdown(body, quick, load, took)
    log(f"wrote BENCHMARKS.md; the run took {took / 60:.1f} minutes")
    return 0


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--scale-child":
        scale_child(sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1", len(sys.argv) > 5 and sys.argv[5] == "1")
    else:
        sys.exit(main(quick="--quick" in sys.argv))
