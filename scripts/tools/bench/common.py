"""What every part of the benchmark shares: where things are, the budgets, logging, a throwaway project copy."""
from __future__ import annotations

import shutil
import statistics
import sys
from pathlib import Path

from ...core import corpus


ROOT = corpus.ROOT
NPM_DIR = Path(__file__).resolve().parent / "npm"     # Lighthouse, pinned by its lock file
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

