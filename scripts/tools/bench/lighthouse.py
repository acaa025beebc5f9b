"""Lighthouse (installed from npm/'s lock file) on every text page and on a plain Material page of each, interleaved."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from .common import CHROME_FLAGS, CHROMIUM, NPM_DIR, log, median


def lighthouse_bin() -> Path:
    """Lighthouse from scripts/tools/bench/npm (npm ci from its lock file on first use), or a clear error."""
    lh = NPM_DIR / "node_modules" / ".bin" / "lighthouse"
    if lh.exists():
        return lh
    if not shutil.which("npm"):
        raise SystemExit("error: the benchmark needs npm to install Lighthouse (Debian: apt-get install npm); "
                         "`python -m scripts bench --quick` runs without it")
    log("installing Lighthouse (npm ci in scripts/tools/bench/npm) ...")
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

