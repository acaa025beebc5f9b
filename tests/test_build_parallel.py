"""A large collection is processed in worker processes: the same documents, in the
same order, and the same error for a broken scrape, as one process gives."""
from __future__ import annotations

import pickle

import pytest

from scripts.core import corpus, parallel
from scripts.core.errors import EditionError
from scripts.tools import build as B


def _work(seeds):
    rules = corpus.load_rules(seeds)
    return rules, B.lexicon_or_none(seeds), corpus.read_manifest(seeds)


def _record(doc) -> bytes:
    from scripts.site.tree import record_json
    return record_json(doc).encode("utf-8")


def test_workers_give_what_one_process_gives(monkeypatch):
    paths = corpus.seed_files(corpus.SEEDS) * 6            # 30 texts: enough to use workers
    rules, lexicon, sums = _work(corpus.SEEDS)
    monkeypatch.setenv("EDITION_JOBS", "2")
    assert parallel.jobs_for(len(paths)) == 2
    in_workers = B.process_many(paths, rules, lexicon, sums)
    monkeypatch.setenv("EDITION_JOBS", "1")
    assert parallel.jobs_for(len(paths)) == 1
    serial = B.process_many(paths, rules, lexicon, sums)
    assert [d.seed for d in in_workers] == [p.name for p in paths]
    assert [_record(d) for d in in_workers] == [_record(d) for d in serial]
    assert [d.spun for d in in_workers] == [d.spun for d in serial]
    assert any(d.spun for d in in_workers) and any(d.changes for d in in_workers)
    assert [d.meta.lines for d in in_workers] == [d.meta.lines for d in serial]     # line numbers for errors kept


def test_a_broken_scrape_fails_the_same_way_in_a_worker(tmp_path, monkeypatch):
    import shutil
    seeds = tmp_path / "seeds"
    shutil.copytree(corpus.SEEDS, seeds)
    victim = corpus.seed_files(seeds)[3]
    victim.write_bytes(victim.read_bytes() + b"\nchanged after its checksum was taken\n")
    paths = corpus.seed_files(seeds) * 6
    rules, lexicon, sums = _work(seeds)
    monkeypatch.setenv("EDITION_JOBS", "2")
    with pytest.raises(EditionError) as in_worker:
        B.process_many(paths, rules, lexicon, sums)
    monkeypatch.setenv("EDITION_JOBS", "1")
    with pytest.raises(EditionError) as alone:
        B.process_many(paths, rules, lexicon, sums)
    assert str(in_worker.value) == str(alone.value)
    assert victim.name in str(in_worker.value)


def test_edition_error_survives_pickling():
    err = EditionError("seeds/x.yml", "is broken", line=3, hint="fix it")
    back = pickle.loads(pickle.dumps(err))
    assert (back.path, back.message, back.line, back.hint) == ("seeds/x.yml", "is broken", 3, "fix it")
    assert str(back) == str(err)


def test_few_texts_or_a_bad_setting(monkeypatch):
    monkeypatch.delenv("EDITION_JOBS", raising=False)
    assert parallel.jobs_for(5) == 1                               # the five seeds: no workers
    monkeypatch.setenv("EDITION_JOBS", "many")
    with pytest.raises(EditionError, match="EDITION_JOBS"):
        parallel.jobs_for(100)


def test_a_large_collection_builds_the_same_with_workers(tmp_path, monkeypatch):
    """Texts processed and pages rendered in workers: every generated file the same."""
    from scripts.tools import bench
    seeds = tmp_path / "seeds"
    bench.make_corpus(seeds, 30, bench.make_entities(60), bench.lexicon_pairs(corpus.SEEDS / "spin-lexicon.yml"))
    monkeypatch.setenv("EDITION_JOBS", "2")
    assert parallel.jobs_for(30) == 2
    docs2, files2 = B.generate(seeds)
    monkeypatch.setenv("EDITION_JOBS", "1")
    docs1, files1 = B.generate(seeds)
    assert len(files1) > 60 and files1 == files2
    assert [d.seed for d in docs1] == [d.seed for d in docs2]
