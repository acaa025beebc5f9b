"""The edit loop: `serve` on a copy of the project; a saved notes or data file, and the time until the page shows it."""
from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from .common import CHILD_TIMEOUT, ROOT, copy_project, log


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
    from ...core import corpus as C
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

