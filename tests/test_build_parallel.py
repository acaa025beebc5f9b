"""A large collection is processed and rendered in worker processes: the same
documents, in the same order, the same files, and the same error for a broken
scrape, as one process gives.

The worker cases run in a fresh interpreter: this test process may have
threads running (the browser tests' servers), and then the build rightly
uses no workers (a fork copies no thread but may copy a lock one holds).
"""
from __future__ import annotations

import json
import pickle
import subprocess
import sys
import textwrap

import pytest

from conftest import ROOT
from scripts.core import corpus, parallel
from scripts.core.errors import EditionError


def _fresh(code: str, **env) -> dict:
    """Run code in a new interpreter in the project; it prints one JSON line."""
    import os
    r = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, capture_output=True, text=True,
                       env={**os.environ, **env}, timeout=900)
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads(r.stdout.strip().splitlines()[-1])


SETUP = """
    import json, os
    from scripts.core import corpus, parallel
    from scripts.tools import build as B
    from scripts.site.tree import record_json
    def work(seeds):
        return corpus.load_rules(seeds), B.lexicon_or_none(seeds), corpus.read_manifest(seeds)
    def run(paths, seeds, jobs):
        os.environ["EDITION_JOBS"] = str(jobs)
        assert parallel.jobs_for(len(paths)) == jobs
        return B.process_many(paths, *work(seeds))
"""


def test_workers_give_what_one_process_gives():
    out = _fresh(SETUP + """
    paths = corpus.seed_files(corpus.SEEDS) * 6          # 30 texts: enough to use workers
    two, one = run(paths, corpus.SEEDS, 2), run(paths, corpus.SEEDS, 1)
    print(json.dumps({
        "order": [d.seed for d in two] == [p.name for p in paths],
        "records": [record_json(d) for d in two] == [record_json(d) for d in one],
        "spun": [d.spun for d in two] == [d.spun for d in one] and any(d.spun for d in two),
        "changes": any(d.changes for d in two),
        "lines": [d.meta.lines for d in two] == [d.meta.lines for d in one]}))
    """)
    assert out == {"order": True, "records": True, "spun": True, "changes": True, "lines": True}


def test_a_broken_scrape_fails_the_same_way_in_a_worker(tmp_path):
    import shutil
    seeds = tmp_path / "seeds"
    shutil.copytree(corpus.SEEDS, seeds)
    victim = corpus.seed_files(seeds)[3]
    victim.write_bytes(victim.read_bytes() + b"\nchanged after its checksum was taken\n")
    out = _fresh(SETUP + f"""
    from pathlib import Path
    from scripts.core.errors import EditionError
    seeds = Path({str(seeds)!r})
    paths = corpus.seed_files(seeds) * 6
    said = []
    for jobs in (2, 1):
        try:
            run(paths, seeds, jobs)
            said.append(None)
        except EditionError as exc:
            said.append(str(exc))
    print(json.dumps(said))
    """)
    assert out[0] is not None and out[0] == out[1]
    assert victim.name in out[0]


def test_a_large_collection_builds_the_same_with_workers(tmp_path):
    """Texts processed and pages rendered in workers: every generated file the same."""
    out = _fresh(f"""
    import json, os
    from pathlib import Path
    from scripts.core import corpus, parallel
    from scripts.tools import build as B
    from scripts.tools.bench import synthetic as bench
    seeds = Path({str(tmp_path / "seeds")!r})
    bench.make_corpus(seeds, 30, bench.make_entities(60), bench.lexicon_pairs(corpus.SEEDS / "spin-lexicon.yml"))
    made = {{}}
    for jobs in (2, 1):
        os.environ["EDITION_JOBS"] = str(jobs)
        assert parallel.jobs_for(30) == jobs
        docs, files = B.generate(seeds)
        made[jobs] = ([d.seed for d in docs], files)
    print(json.dumps({{"files": len(made[1][1]), "same": made[1] == made[2]}}))
    """)
    assert out["files"] > 60 and out["same"]


def test_both_the_text_stages_and_the_text_pages_run_in_the_workers(tmp_path):
    """With two workers, no text is processed, linked or rendered in the main process (its sections of the
    entity pages included), and both workers take part (one pool, forked before the texts are read,
    serves all: a second pool could not be forked beside it)."""
    out = _fresh(f"""
    import json, os
    from pathlib import Path
    from scripts.core import corpus
    from scripts.site import render
    from scripts.site.pages import entities
    from scripts.text import crosslink, pipeline
    from scripts.tools import build as B
    from scripts.tools.bench import synthetic as bench
    seeds = Path({str(tmp_path / "seeds")!r})
    bench.make_corpus(seeds, 30, bench.make_entities(60), bench.lexicon_pairs(corpus.SEEDS / "spin-lexicon.yml"))
    log = Path({str(tmp_path / "pids")!r})
    def logged(stage, fn):
        def run(*a, **k):
            with log.open("a") as f:
                f.write(f"{{stage}} {{os.getpid()}}\\n")
            return fn(*a, **k)
        return run
    pipeline.process = logged("text", pipeline.process)
    render.render_page = logged("page", render.render_page)
    crosslink.find_mentions = logged("links", crosslink.find_mentions)
    entities._entity_section = logged("sections", entities._entity_section)
    os.environ["EDITION_JOBS"] = "2"
    B.generate(seeds)
    seen = {{}}
    for line in log.read_text().splitlines():
        stage, pid = line.split()
        seen.setdefault(stage, []).append(int(pid))
    print(json.dumps({{stage: [len(pids) >= 30, os.getpid() in pids, len(set(pids))] for stage, pids in seen.items()}}))
    """)
    assert out == {stage: [True, False, 2] for stage in ("text", "links", "page", "sections")}


def test_edition_error_survives_pickling():
    err = EditionError("seeds/x.yml", "is broken", line=3, hint="fix it")
    back = pickle.loads(pickle.dumps(err))
    assert (back.path, back.message, back.line, back.hint) == ("seeds/x.yml", "is broken", 3, "fix it")
    assert str(back) == str(err)


def test_few_texts_running_threads_or_a_bad_setting(monkeypatch):
    import threading
    monkeypatch.delenv("EDITION_JOBS", raising=False)
    assert parallel.jobs_for(5) == 1                        # the five seeds: no workers
    monkeypatch.setenv("EDITION_JOBS", "2")
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        assert parallel.jobs_for(100) == 1                  # a thread is running: no fork
    finally:
        stop.set()
        t.join()
    monkeypatch.setenv("EDITION_JOBS", "many")
    with pytest.raises(EditionError, match="EDITION_JOBS"):
        parallel.jobs_for(100)
