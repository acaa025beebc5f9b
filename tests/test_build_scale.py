"""What keeps a large collection's build linear: the capped connections page, the short navigation."""
from __future__ import annotations

import random
from types import SimpleNamespace

import yaml

from scripts.core import corpus
from scripts.site import tree
from scripts.site.pages import connections


def fake_docs(n):
    return [SimpleNamespace(slug=f"t{i:04d}", meta={"title": f"Text {i}"}) for i in range(n)]


def test_connections_show_everything_in_a_small_collection():
    docs = fake_docs(5)
    rows = [connections.Row("person", f"e{i}", f"Name {i}", f"who-and-what/e{i}.md", {"t0000": 1, "t0001": 2})
            for i in range(30)]
    shown, cols, note = connections.shown_connections(rows, docs)
    assert shown == rows and cols == docs and note == ""


def test_connections_are_capped_in_a_large_collection():
    rng = random.Random(3)
    docs = fake_docs(600)
    busy = {d.slug for d in docs[100:130]}            # texts that mention far more names than the rest
    rows = []
    for i in range(900):
        pool = sorted(busy) if i % 2 else [d.slug for d in docs]
        rows.append(connections.Row("person", f"e{i}", f"Name {i}", f"who-and-what/e{i}.md",
                              {s: rng.randint(1, 3) for s in rng.sample(pool, 4)}))
    shown, cols, note = connections.shown_connections(rows, docs)
    assert len(cols) == connections.MAX_COLUMNS and len(shown) <= connections.MAX_ROWS
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


def listed_docs(titles):
    return [SimpleNamespace(slug=f"s{i}", meta={"title": t, "source": {}, "summary": f"Summary {i}."}, spun=False)
            for i, t in enumerate(titles)]


TITLES = ["Apple pie", "apricots", "“Banana” split", "Bandana", "Cherry", "Chestnut", "Date", "Zebra"]


def test_a_long_list_of_texts_is_paged_by_title_and_each_text_listed_once(monkeypatch):
    monkeypatch.setattr(tree, "TEXTS_PER_PAGE", 3)
    out = tree.all_texts_pages(listed_docs(TITLES))
    assert list(out) == ["texts/index.md", "texts/by-title/2.md", "texts/by-title/3.md"]
    listed = [line.split("](")[0][4:] for page in out.values() for line in page.splitlines() if line.startswith("## [")]
    # by title, leading quotation marks and case ignored; every text once
    assert listed == ["Apple pie", "apricots", "“Banana” split", "Bandana", "Cherry", "Chestnut", "Date", "Zebra"]
    second = out["texts/by-title/2.md"]
    assert 'title: "Texts Band–C"' in second and "page 2 of 3" in second
    # the pager, above and below, links the other pages (relative to this one) and names the page shown
    pager = "[A–Bana](../../texts/index.md \"Apple pie to “Banana” split, 3 texts\") · **Band–C** · " \
            "[D–Z](../../texts/by-title/3.md \"Date to Zebra, 2 texts\")"
    assert second.count(pager) == 2


def test_a_summary_edit_changes_only_the_page_of_the_list_that_holds_the_text(monkeypatch):
    monkeypatch.setattr(tree, "TEXTS_PER_PAGE", 3)
    docs = listed_docs(TITLES)
    before = tree.all_texts_pages(docs)
    docs[4].meta["summary"] = "A new summary."                     # "Cherry", on the second page
    after = tree.all_texts_pages(docs)
    assert [p for p in after if after[p] != before[p]] == ["texts/by-title/2.md"]
    assert "A new summary." in after["texts/by-title/2.md"]


def test_a_short_collection_has_one_list_and_the_home_page_lists_every_text():
    docs = listed_docs(TITLES)
    assert list(tree.all_texts_pages(docs)) == ["texts/index.md"]
    assert "texts-pager" not in tree.all_texts_pages(docs)["texts/index.md"]
    home = tree.home_page(docs)
    assert all(f"[{tree.escape.text(t)}](texts/s" in home for t in TITLES)


def test_a_large_collection_home_page_links_the_list_instead_of_every_text(monkeypatch):
    monkeypatch.setattr(tree, "TEXTS_PER_PAGE", 3)
    docs = listed_docs(TITLES * 2)
    home = tree.home_page(docs)
    assert "### [" not in home and "All 16 texts are listed by title on [Texts](texts/index.md), 3 to a page:" in home
    assert "(texts/by-title/6.md " in home and "(texts/by-title/7.md" not in home


def test_titles_in_the_pager_are_escaped(monkeypatch):
    monkeypatch.setattr(tree, "TEXTS_PER_PAGE", 1)
    out = tree.all_texts_pages(listed_docs(["<b>bold</b> move", "[x](javascript:alert(1))"]))
    page = out["texts/index.md"]
    assert "<b>" not in page and "](javascript" not in page
