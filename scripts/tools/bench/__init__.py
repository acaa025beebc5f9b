"""The benchmark: build time, scale, the edit loop, page weight and Lighthouse, against budgets.

    python -m scripts bench           the full run (an hour or more on a shared 2-core machine),
                                      writes BENCHMARKS.md
    python -m scripts bench --quick   fewer runs and sizes, no Lighthouse: a fast look

Everything is built in temporary copies of mkdocs.yml and seeds/; docs/ and
site/ in the project are never touched.  Timings on shared machines are
noisy, so the benchmark reports medians of several runs, CPU time beside
clock time, and ratios measured side by side in one run.

Before anything runs, the tools are checked: Debian's Chromium, and for a
full run Lighthouse (`npm ci` in scripts/tools/bench/npm, from its lock
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

One module a section: common (paths, budgets, logging), build_time,
synthetic (the corpora), scale, edit_loop, web (serving, page weight, the
plain page), lighthouse, report; npm/ holds Lighthouse's pinned install.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
import time
from pathlib import Path

from .build_time import bench_build
from .common import FULL_BUILD_AT, QUICK_SCALES, ROOT, SCALES, log
from .edit_loop import bench_edit_loop
from .lighthouse import bench_lighthouse, require_tools
from .report import report, write_markdown
from .scale import bench_scale
from .web import page_weight, plain_site, serve


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
        body, budgets = report(b, s, w, edit, lhres, lh_note)
    took = time.perf_counter() - start
    load = f"{load0:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    print(body)
    print(f"\nload average (1 min): {load} (2 cores: above 2, other work was running)")
    write_markdown(body, quick, load, took)
    log(f"wrote BENCHMARKS.md; the run took {took / 60:.1f} minutes")
    return 0

