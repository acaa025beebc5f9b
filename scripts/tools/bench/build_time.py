"""The five seeds: the text pipeline alone, and the full build against `mkdocs build` alone, interleaved."""
from __future__ import annotations

import contextlib
import io
import time
from pathlib import Path

from .common import ROOT, copy_project, median


def bench_build(work: Path, runs: int) -> dict:
    from .. import build as B
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

