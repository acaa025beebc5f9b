"""The build cache behind serve's edit loop: reuse what did not change, never serve a stale page."""
from __future__ import annotations

import shutil

import pytest

from conftest import copy_project
from scripts.tools import build as B
from scripts.core import corpus

NOTES = "000_73d145eee412dd19.notes.yml"
DATA = "001_3dc2b41856cb6ad5.yml"


@pytest.fixture()
def seeds(tmp_path):
    dest = tmp_path / "seeds"
    shutil.copytree(corpus.SEEDS, dest)
    return dest


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer contains {old!r}: pick another edit for this test"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_cached_regeneration_gives_what_a_fresh_build_gives(seeds):
    cache = B.BuildCache()
    docs0, files0 = B.generate(seeds, cache)
    assert files0 == B.generate(seeds)[1]
    before = {d.seed: d for d in docs0}

    edit(seeds / NOTES, "The title of a thread", "The title of a discussion thread")
    edit(seeds / DATA, "summary: ", "summary: Edited for the cache test. ")
    docs1, files1 = B.generate(seeds, cache)
    fresh = B.generate(seeds)[1]
    assert files1 == fresh
    assert files1 != files0
    assert "The title of a discussion thread" in files1[f"texts/{before[NOTES.replace('.notes.yml', '.txt')].slug}.md"]

    # only the seed whose data file changed was processed again; the others are the cached objects
    after = {d.seed: d for d in docs1}
    changed = DATA.replace(".yml", ".txt")
    assert after[changed] is not before[changed]
    assert all(after[s] is before[s] for s in before if s != changed)


def test_a_notes_edit_rewrites_only_its_page(tmp_path):
    root = copy_project(tmp_path / "project")
    cache = B.BuildCache()
    B.build(site=False, root=root, cache=cache)
    assert B.update_docs(root, cache) == []             # nothing changed, nothing written

    other = root / "docs" / "index.md"
    stamp = other.stat().st_mtime_ns
    edit(root / "seeds" / NOTES, "The title of a thread", "The title of a discussion thread")
    changed = B.update_docs(root, cache)
    slug = next(d.slug for d in B.generate(root / "seeds")[0] if d.seed == NOTES.replace(".notes.yml", ".txt"))
    assert f"texts/{slug}.md" in changed
    assert not [c for c in changed if c.startswith("texts/") and c != f"texts/{slug}.md"]
    assert other.stat().st_mtime_ns == stamp
    assert "The title of a discussion thread" in (root / "docs" / "texts" / f"{slug}.md").read_text(encoding="utf-8")
    # and docs/ is what a full build writes
    full = tmp_path / "full"
    full.mkdir()
    shutil.copy(root / "mkdocs.yml", full / "mkdocs.yml")
    shutil.copytree(root / "seeds", full / "seeds")
    B.build(site=False, root=full)
    listing = lambda d: {p.relative_to(d): p.read_bytes() for p in d.rglob("*") if p.is_file()}  # noqa: E731
    assert listing(root / "docs") == listing(full / "docs")


def test_a_broken_edit_leaves_docs_as_they_were(tmp_path):
    root = copy_project(tmp_path / "project")
    cache = B.BuildCache()
    B.build(site=False, root=root, cache=cache)
    before = {p: p.read_bytes() for p in (root / "docs").rglob("*") if p.is_file()}
    edit(root / "seeds" / NOTES, "exact: Innovation, DeepSeek, and China", "exact: words that are not in the text")
    with pytest.raises(B.EditionError):
        B.update_docs(root, cache)
    assert {p: p.read_bytes() for p in (root / "docs").rglob("*") if p.is_file()} == before


# --- the parsed lexicon kept on disk ----------------------------------------------------

def test_the_lexicon_cache_follows_the_files_and_survives_a_broken_cache_file(seeds, tmp_path, monkeypatch):
    from scripts.text.despin import lexicon as L
    monkeypatch.setenv("EDITION_CACHE", str(tmp_path / "cache"))
    path = seeds / "spin-lexicon.yml"
    first = L.load_lexicon_cached(path)
    kept = list((tmp_path / "cache" / "lexicon").glob("*.pickle"))
    assert len(kept) == 1
    assert L.load_lexicon_cached(path) is first                               # kept in this process
    L._in_memory.clear()                                                      # as a new process finds it:
    again = L.load_lexicon_cached(path)
    assert again is not first and len(again.items) == len(first.items)      # read back from disk

    # an edited lexicon is a new key: the edit is seen, never the old pickle
    text = path.read_text(encoding="utf-8")
    assert "threshold: " in text
    path.write_text(text.replace("\nthreshold:", "\nthreshold: 99 #", 1), encoding="utf-8")
    edited = L.load_lexicon_cached(path)
    assert edited.threshold == 99 and first.threshold != 99
    assert len(list((tmp_path / "cache" / "lexicon").glob("*.pickle"))) == 2

    # so is another learned file (here: none)
    without = L.load_lexicon_cached(path, learned=False)
    assert len(without.items) < len(edited.items)

    # a damaged cache file is ignored and replaced; a broken lexicon is an error, never cached
    for f in kept:
        f.write_bytes(b"not a pickle")
    L._in_memory.clear()
    path.write_text(text, encoding="utf-8")
    assert len(L.load_lexicon_cached(path).items) == len(first.items)
    path.write_text(text.replace("\nthreshold:", "\nthreshold: [", 1), encoding="utf-8")
    with pytest.raises(B.EditionError) as err:
        L.load_lexicon_cached(path)
    assert "spin-lexicon.yml" in str(err.value)


def test_serve_cache_sees_a_new_learned_file(seeds):
    cache = B.BuildCache()
    B.process_all(seeds, cache)
    before = cache.loaded["lexicon"]
    learned = seeds / "spin-learned.json"
    learned.write_text(learned.read_text(encoding="utf-8").replace("\n", "\n ", 1), encoding="utf-8")
    B.process_all(seeds, cache)
    assert cache.loaded["lexicon"][0] != before[0] and cache.loaded["lexicon"][1] is not before[1]


def test_a_summary_edit_keeps_the_collection_pages_and_a_title_edit_remakes_them(seeds):
    cache = B.BuildCache()
    B.generate(seeds, cache)
    collection = cache.collection
    assert collection is not None and any(p.startswith("who/") or p.startswith("themes/") for p in collection[1])

    edit(seeds / DATA, "summary: ", "summary: A new first sentence. ")
    docs, files = B.generate(seeds, cache)
    assert cache.collection is collection                   # entity, theme, connection pages taken as they were
    assert "A new first sentence." in files["texts/index.md"]
    assert files == B.generate(seeds)[1]

    edit(seeds / DATA, "title: Comments on", "title: Reader comments on")
    docs, files = B.generate(seeds, cache)
    assert cache.collection is not collection
    assert files == B.generate(seeds)[1]
    assert any("Reader comments on" in content for path, content in files.items()
               if path.startswith(("who/", "themes/", "connections")))
