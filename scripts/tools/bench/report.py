"""The report: tables for each section, budgets judged PASS or FAIL, BENCHMARKS.md written with its notes kept."""
from __future__ import annotations

import contextlib
import datetime
import os
import platform
import re
import subprocess
from pathlib import Path

from ...core.parallel import PARALLEL_FROM
from .common import BUDGETS, CHROME_FLAGS, CHROMIUM, NOTES_MARK, ROOT, median


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


def _pss(r: dict) -> str:
    return f"{r['pss_kb'] / 1024:.0f} MB" if r.get("pss_kb") else "not measured (no /proc)"


def _workers(r: dict) -> str:
    """How the peak memory figure is made up, when worker processes ran."""
    if r.get("jobs", 1) > 1:
        return f" ({r['maxrss_kb'] / 1024:.0f} + {r['jobs']} × {r['worker_kb'] / 1024:.0f})"
    return ""


def verdict(ok) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")


def report(b: dict, s: dict, w: dict, edit: list, lhres: dict | None, lh_note: str) -> tuple[str, list]:
    """The report's Markdown and its budgets, as (name, measured, passed) rows: one section a part of the run."""
    budgets = []
    L = (build_section(b, budgets) + scale_section(s, budgets) + full_build_section(s, budgets)
         + weight_section(w, budgets) + edit_loop_section(edit, budgets) + lighthouse_section(lhres, lh_note, budgets))
    L += ["## Budgets", "", "| budget | measured | |", "|---|---:|---|"]
    L += [f"| {name} | {val} | **{verdict(ok)}** |" for name, val, ok in budgets]
    L.append("")
    return "\n".join(L), budgets


def _scales_ok(s: dict) -> dict:
    """Which corpus sizes ran to the end."""
    return {n: isinstance(s.get(n), dict) and "error" not in s[n] for n in s["scales"]}


def build_section(b: dict, budgets: list) -> list[str]:
    L = ["## Build (five seeds)", "",
          f"Median of {b['runs']} runs; the two builds interleaved on the same generated docs/.", "",
          "| measure | value |", "|---|---:|",
          f"| texts, generated files | {b['texts']}, {b['files']} |",
          f"| pipeline (process + render, no MkDocs) | {b['pipeline_s'] * 1000:.0f} ms |",
          f"| full build (pipeline, write docs/, mkdocs build) | {b['full_s'] * 1000:.0f} ms |",
          f"| `mkdocs build` alone | {b['mkdocs_s'] * 1000:.0f} ms |",
          f"| **full build / mkdocs build** (median of per-run ratios) | **{b['ratio']:.2f}x** |", ""]
    budgets.append((f"Full build at most {BUDGETS['build_ratio']}x `mkdocs build` alone",
                    f"{b['ratio']:.2f}x", b["ratio"] <= BUDGETS["build_ratio"]))
    return L


def scale_section(s: dict, budgets: list) -> list[str]:
    scales, ok = s["scales"], _scales_ok(s)
    st = next((s[n]["stats"] for n in scales if isinstance(s.get(n), dict) and "stats" in s[n]), {})
    gl = st.get("glossary")
    gl_txt = (f"{gl[0]} real + {gl[1]} generated entities" if gl else
              "no seeds/glossary.yml (or a layout the generator does not know): entities mentioned "
              "in the texts but no glossary")
    lex_txt = (f"spun copies made with the reverse of {s['pairs']} spin-lexicon entries" if s.get("pairs")
               else "no seeds/spin-lexicon.yml: spun copies are copies of the real spun scrape")
    L = ["## Scale (synthetic corpus)", "",
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
    return L


def full_build_section(s: dict, budgets: list) -> list[str]:
    ok = _scales_ok(s)
    full = [n for n in s.get("full_at", ()) if ok.get(n) and s[n].get("build_s")]
    L = []
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
    return L


def weight_section(w: dict, budgets: list) -> list[str]:
    L = ["## Page weight (one text page)", "",
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
    return L


def lighthouse_section(lhres: dict | None, lh_note: str, budgets: list) -> list[str]:
    L = ["## Lighthouse, every text page", ""]
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
    return L


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

