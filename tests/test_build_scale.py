"""What keeps a large collection's build linear: the capped connections page, the short navigation."""
from __future__ import annotations

import random
from types import SimpleNamespace

import yaml

from scripts.core import corpus
from scripts.site import pages, tree


def fake_docs(n):
    return [SimpleNamespace(slug=f"t{i:04d}", meta={"title": f"Text {i}"}) for i in range(n)]


def test_connections_show_everything_in_a_small_collection():
    docs = fake_docs(5)
    rows = [pages.Row("person", f"e{i}", f"Name {i}", f"who-and-what/e{i}.md", {"t0000": 1, "t0001": 2})
            for i in range(30)]
    shown, cols, note = pages.shown_connections(rows, docs)
    assert shown == rows and cols == docs and note == ""


def test_connections_are_capped_in_a_large_collection():
    rng = random.Random(3)
    docs = fake_docs(600)
    busy = {d.slug for d in docs[100:130]}            # texts that mention far more names than the rest
    rows = []
    for i in range(900):
        pool = sorted(busy) if i % 2 else [d.slug for d in docs]
        rows.append(pages.Row("person", f"e{i}", f"Name {i}", f"who-and-what/e{i}.md",
                              {s: rng.randint(1, 3) for s in rng.sample(pool, 4)}))
    shown, cols, note = pages.shown_connections(rows, docs)
    assert len(cols) == pages.MAX_COLUMNS and len(shown) <= pages.MAX_ROWS
    assert {d.slug for d in cols} <= busy
    kept = {d.slug for d in cols}
    assert all(len(r.counts) >= 2 and set(r.counts) <= kept for r in shown)
    assert "600 texts" in note and "900 shared" in note


def test_navigation_is_short_and_texts_are_listed_by_title():
    config = yaml.load((corpus.ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    nav = [next(iter(item.values())) for item in config["nav"]]
    assert "texts/index.md" in nav
    assert not [p for p in nav if p.startswith("texts/") and p != "texts/index.md"]
    docs = [SimpleNamespace(slug=s, meta={"title": t, "source": {}, "summary": ""}, spun=False)
            for s, t in (("a-zebra", "Zebra crossings"), ("b-apple", "apples and pears"), ("c-mango", "Mango"))]
    page = tree.texts_page(docs)
    order = [page.index(t) for t in ("apples and pears", "Mango", "Zebra crossings")]
    assert order == sorted(order)
    assert "(../texts/b-apple.md)" in page
