"""Scale: each corpus size runs in its own process (scale_child); its time, CPU and memory (PSS sampled from outside)."""
from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from ...core import corpus
from ...core.parallel import jobs_for
from .common import CHILD_TIMEOUT, GLOSSARY_SIZE, ROOT, copy_project, log, median
from .synthetic import lexicon_pairs, make_corpus, make_entities


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


def scale_child(seeds: str, runs: int, trace: bool, full: bool = False) -> None:
    """In a subprocess: time generate() on one corpus (and, with full, the whole build); JSON on stdout."""
    import resource
    import tracemalloc
    from .. import build as B
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

