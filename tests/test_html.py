"""Saved web pages: every HTML page of the gallery added with `add` and built.

Each page of tests/gallery/2*_html_* is added to a throwaway copy of the
project, as a maintainer would, and the collection is built.  The checks
are those of its expect.yml: the title, furniture gone, text kept, comments
with their authors, lists, tables, code and headings as such; and for every
page: the raw HTML rebuilt byte for byte from the record, the extraction
one recorded step, the page of a reasonable size, and no markup of the
scrape on the built page.
"""
from __future__ import annotations

import html as htmllib
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, copy_project
from scripts.core import corpus
from scripts.core.model import rebuild_raw, record_of
from scripts.text import html
from scripts.tools import build as build_mod
from scripts.tools.add import add

GALLERY = ROOT / "tests" / "gallery"
PAGES = sorted(p.name for p in GALLERY.iterdir() if p.is_dir() and (p / "raw.html").exists())


def expect(name: str) -> dict:
    return yaml.safe_load((GALLERY / name / "expect.yml").read_text(encoding="utf-8"))


def norm(s: str) -> str:
    return " ".join(htmllib.unescape(s).split())


@pytest.fixture(scope="module")
def gallery_site(tmp_path_factory):
    """(project root, {gallery name: Document}) with every HTML page added and the site built."""
    root = copy_project(tmp_path_factory.mktemp("html-project"))
    incoming = tmp_path_factory.mktemp("incoming")
    names = {}
    for name in PAGES:
        src = incoming / f"{name}.html"
        shutil.copyfile(GALLERY / name / "raw.html", src)
        names[add(str(src), seeds=root / "seeds").name] = name
    build_mod.build(root=root)
    docs, _ = build_mod.generate(root / "seeds")
    return root, {names[d.seed]: d for d in docs if d.seed in names}


def body_text(doc) -> str:
    return norm("\n".join(doc.block_text(b) for b in doc.blocks))


def page_of(root: Path, doc) -> str:
    return (root / "site" / "texts" / doc.slug / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", PAGES)
def test_title_from_the_page(gallery_site, name):
    root, docs = gallery_site
    doc = docs[name]
    title = norm(expect(name)["title"])
    assert norm(doc.meta["title"]) == title
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", page_of(root, doc), re.S).group(1)
    h1 = re.sub(r'<a class="headerlink".*?</a>', "", h1)
    assert norm(re.sub(r"<[^>]+>", "", h1)) == title


# furniture that trafilatura keeps inside the main content and no general rule removes yet
FURNITURE_LEFT: dict[str, str] = {}


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.xfail(reason=FURNITURE_LEFT[n], strict=True))
                                  if n in FURNITURE_LEFT else n for n in PAGES])
def test_furniture_is_gone(gallery_site, name):
    doc = gallery_site[1][name]
    text = body_text(doc)
    left = [f for f in expect(name)["furniture"] if norm(f) in text]
    assert not left, left


@pytest.mark.parametrize("name", PAGES)
def test_text_is_kept(gallery_site, name):
    doc = gallery_site[1][name]
    text = body_text(doc)
    lost = [k for k in expect(name)["keep"] if norm(k) not in text]
    assert not lost, lost


@pytest.mark.parametrize("name", [n for n in PAGES if expect(n)["comments"]])
def test_comments_with_their_authors(gallery_site, name):
    doc = gallery_site[1][name]
    found = []
    for c in doc.comments:
        first = next((doc.block_text(b) for b in doc.blocks if b.comment == c.index), "")
        found.append((c.author or None, norm(first), c.depth))
    pos = 0
    for want in expect(name)["comments"]:
        # the listed comments appear in this order among the page's comments
        for i in range(pos, len(found)):
            # "starts" is cut before quote marks the page writes as entities: near the start
            if norm(want["starts"]) in found[i][1][:len(norm(want["starts"])) + 12]:
                assert want["author"] is None or found[i][0] == want["author"], (want, found[i])
                # how deep in the thread, where the page nests its replies
                assert "depth" not in want or found[i][2] == want["depth"], (want, found[i])
                pos = i + 1
                break
        else:
            pytest.fail(f"no comment starting {want['starts']!r} (after comment {pos})")


@pytest.mark.parametrize("name", [n for n in PAGES if expect(n).get("not_headings")])
def test_short_lines_that_are_not_headings(gallery_site, name):
    """Labels, datelines, captions, quotations and runs of short lines stay text."""
    root, docs = gallery_site
    doc = docs[name]
    headings = {norm(doc.block_text(b)) for b in doc.blocks if b.kind == "heading"}
    assert not [s for s in expect(name)["not_headings"] if norm(s) in headings]
    page = page_of(root, doc).split('id="changes"')[0]
    shown = {norm(re.sub(r"<[^>]+>", "", h)) for h in re.findall(r"<h[2-4][^>]*>(.*?)</h[2-4]>", page, re.S)}
    assert not [s for s in expect(name)["not_headings"] if norm(s) in shown]


def _blocks(doc, kind):
    return norm(" ".join(doc.block_text(b) for b in doc.blocks if b.kind == kind))


FORMS = (("list", "lists", ("<ul>", "<ol>")), ("table", "tables", ("<table>",)), ("code", "code", ("<pre",)),
         ("heading", "headings", ("<h2", "<h3", "<h4")))
# forms the extractor loses on a page
FORMS_LOST: dict = {}
FORM_CASES = [pytest.param(n, k, marks=pytest.mark.xfail(reason=FORMS_LOST[n, k], strict=True))
              if (n, k) in FORMS_LOST else (n, k)
              for n in PAGES for k, key, _ in FORMS if expect(n)[key]]


@pytest.mark.parametrize("name,kind", FORM_CASES)
def test_lists_tables_code_and_headings_keep_their_form(gallery_site, name, kind):
    root, docs = gallery_site
    doc = docs[name]
    key, tags = next((key, tags) for k, key, tags in FORMS if k == kind)
    have = _blocks(doc, kind)
    missing = [s for s in expect(name)[key] if norm(s) not in have]
    assert not missing, missing
    page = page_of(root, doc).split('id="changes"')[0]
    assert any(t in page for t in tags)


@pytest.mark.parametrize("name", PAGES)
def test_raw_html_rebuilt_exactly_from_the_record(gallery_site, name):
    root, docs = gallery_site
    doc = docs[name]
    raw = (GALLERY / name / "raw.html").read_bytes()
    assert rebuild_raw(doc.text, record_of(doc)) == raw
    rec = json.loads((root / "docs" / "records" / f"{doc.slug}.json").read_text(encoding="utf-8"))
    assert rebuild_raw(rec["clean_text"], rec) == raw
    # and the seed itself is the saved page, byte for byte, in the manifest
    assert (root / "seeds" / doc.seed).read_bytes() == raw
    assert corpus.read_manifest(root / "seeds")[doc.seed] == corpus.sha256(raw)


@pytest.mark.parametrize("name", PAGES)
def test_extraction_is_one_recorded_step_and_the_page_is_small(gallery_site, name):
    root, docs = gallery_site
    doc = docs[name]
    steps = [c for c in doc.changes if c.stage == "extract"]
    assert len(steps) == 1
    step = steps[0]
    pinned = re.search(r"^trafilatura==(\S+)$", (ROOT / "requirements.txt").read_text(), re.M).group(1)
    assert step.data["extractor"] == f"trafilatura {pinned}" and f"trafilatura {pinned}" in step.reason
    assert step.sic == (GALLERY / name / "raw.html").read_bytes().decode(doc.encoding)
    md = (root / "docs" / "texts" / f"{doc.slug}.md").read_bytes()
    # the page grows with the text kept, not with the markup: at most about twice
    # the extracted text (the change table repeats a little of it), never the page's size
    assert len(md) < 2 * len(step.corr.encode("utf-8")) + 20_000, (len(md), len(step.corr))
    assert len(doc.changes) < 200


def test_the_same_page_extracts_to_the_same_text(gallery_site):
    """The extraction is deterministic: what the record holds comes again from the kept HTML."""
    doc = gallery_site[1]["26_html_wordpress_wptavern"]
    step = next(c for c in doc.changes if c.stage == "extract")
    assert html.extract(step.sic).text == step.corr


@pytest.mark.parametrize("name", PAGES)
def test_no_markup_of_the_scrape_reaches_the_page(gallery_site, name):
    root, docs = gallery_site
    page = page_of(root, docs[name])
    article = page.split('id="changes"')[0]
    # scripts and styles on the page are the theme's own, loaded from the site
    for tag in re.findall(r"<script\b[^>]*>", article):
        assert "src=" not in tag or "assets/" in tag or "javascripts/" in tag, tag
    for bad in ("<iframe", "<form", "<img", "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1.0\">"
                "<table class=\"itemlist\"", "onclick=", "<input"):
        assert bad not in article.split("<article", 1)[-1], bad


def test_page_metadata_fills_the_starter_data_file(gallery_site):
    root, docs = gallery_site
    doc = docs["25_html_code_pluralsight"]
    src = doc.meta["source"]
    assert src["author"] == "John Walk" and src["date"] == "2020-01-10"
    assert src["url"] == expect("25_html_code_pluralsight")["url"]
    assert src["publication"] == "pluralsight.com" and src["language"] == "en-us"
    assert src["kind"] == "saved web page"
    page = page_of(root, doc)
    assert "text extracted with trafilatura" in page and "Language" in page


def test_comment_header_of_the_text_form_is_a_general_rule(tmp_path):
    from test_pipeline import make_doc
    raw = ("A Post\n\nThe post says one thing at some length here.\n\n"
           "Comment by Ann Lee · May 2, 2024\n\nI agree with the post.\n\n"
           "Comment · 3 yr. ago\n\nNo name on this one.\n\n"
           "Commentary by others follows in the next paragraph of text.\n")
    doc = make_doc(tmp_path, raw)
    assert [(c.author or None, c.time) for c in doc.comments] == [("Ann Lee", "May 2, 2024"), (None, "3 yr. ago")]
    second = [doc.block_text(b) for b in doc.blocks if b.comment == 1]
    assert second == ["No name on this one.", "Commentary by others follows in the next paragraph of text."]
    assert rebuild_raw(doc.text, record_of(doc)) == raw.encode()


def test_layout_table_is_unwrapped_and_data_table_kept():
    page = ("<html><head><title>T</title></head><body><table><tr><td><div><h1>Headline here</h1>"
            "<p>" + "A long paragraph of the article body that says a great deal. " * 8 + "</p>"
            "<table><tr><th>file</th><th>speed</th></tr><tr><td>twitter</td><td>2 GB/s</td></tr>"
            "<tr><td>github</td><td>3 GB/s</td></tr></table>"
            "<p>" + "Another paragraph that carries on with the article in detail. " * 8 + "</p>"
            "</div></td><td><ul><li>menu</li></ul></td></tr></table></body></html>")
    text = html.extract(page).text
    assert "| file | speed |\n|---|---|\n| twitter | 2 GB/s |\n| github | 3 GB/s |" in text
    assert "| A long paragraph" not in text


def test_comment_system_markup_gives_authors_and_dates():
    page = ("<html><body><article><h1>Post</h1><p>" + "The post body goes on for a while here. " * 10 + "</p>"
            "</article><ol class='comment-list'><li><article class='comment-body'><footer>"
            "<div class='comment-author'><b class='fn'>Jo &lt;b&gt;</b></div>"
            "<div class='comment-metadata'><time>May 1, 2020</time></div></footer>"
            "<div class='comment-content'><p>First line<br>second line</p><blockquote><p>quoted</p></blockquote>"
            "<pre>  code\n    more</pre></div><div class='reply'>Reply</div></article></li></ol></body></html>")
    ex = html.extract(page)
    assert ex.comments == 1 and ex.comment_system == "WordPress"
    tail = ex.text.split("Comment by ", 1)[1]
    # lines parted by <br> stay lines of one block, as in the main text: the clean stage knows them
    # for consecutive lines (a verse, an address: no headings among them)
    assert tail == "Jo <b> · May 1, 2020\n\nFirst line\nsecond line\n\n> quoted\n\n```\n  code\n    more\n```\n"


def test_breadcrumb_trail_is_dropped_but_a_sentence_with_links_is_not():
    from bs4 import BeautifulSoup
    soup = BeautifulSoup("<body><div id='crumbs'><a href='/'>Home</a> &gt; <a href='/s'>Stories</a> &gt; The Dog</div>"
                         "<p id='text'>Read <a href='/a'>one</a> / <a href='/b'>two</a> / both of them.</p></body>",
                         "lxml")
    html.drop_breadcrumbs(soup)
    assert soup.find(id="crumbs") is None and soup.find(id="text") is not None
    page = (GALLERY / "27_html_ja_hukumusume" / "raw.html").read_text(encoding="utf-8")
    assert "きょうのイソップ童話 >" not in html.extract(page).text


def test_section_headings_the_extractor_drops_come_back_before_their_text():
    raw = (GALLERY / "24_html_table_factorio" / "raw.html").read_text(encoding="utf-8")
    text = html.extract(raw).text
    assert "## The release plan (kovarex)\n\nThis week was the time to close" in text
    assert "### After release plan\n\nSince there are a lot of things" in text


def test_editor_in_charge_line_of_a_chinese_news_site_is_furniture(tmp_path):
    from test_pipeline import make_doc
    doc = make_doc(tmp_path, "标题\n\n这是一段正文，讲述了一件事情的经过。\n\n[责任编辑:肖春芳]\n")
    assert "责任编辑" not in doc.text
    assert any(c.kind == "boilerplate" and "责任编辑" in c.sic for c in doc.changes)


def test_hacker_news_replies_keep_their_depth_and_parent(gallery_site):
    root, docs = gallery_site
    doc = docs["22_html_hn_best_papers"]
    by = {c.author: c for c in doc.comments}
    assert (by["PaulRobinson"].depth, by["PaulRobinson"].parent) == (0, None)
    assert by["cvwright"].depth == 1 and doc.comments[by["cvwright"].parent].author == "PaulRobinson"
    assert by["aggsigme"].depth == 2 and doc.comments[by["aggsigme"].parent].author == "madphilosopher"
    assert max(c.depth for c in doc.comments) >= 3
    page = page_of(root, doc)
    assert '<div class="comment-reply depth-1">' in page and '<div class="comment-reply depth-2">' in page
    head = re.search(r'<h3[^>]*id="comment-2"[^>]*>(.*?)</h3>', page, re.S).group(1)
    assert "cvwright" in head and "reply to PaulRobinson" in head
    # the depth is in the record, with the header it was read from
    assert any(c.data.get("depth") == "2" and "aggsigme" in c.sic for c in doc.changes)


def test_threaded_comment_markup_gives_reply_depth():
    def comment(name, text, replies=""):
        return (f"<li class='comment'><article class='comment-body'><footer><b class='fn'>{name}</b>"
                f"<time>May 1, 2020</time></footer><div class='comment-content'><p>{text}</p></div></article>"
                + (f"<ol class='children'>{replies}</ol>" if replies else "") + "</li>")
    page = ("<html><body><article><h1>Post</h1><p>" + "The post body goes on for a while here. " * 10 +
            "</p></article><ol class='comment-list'>" +
            comment("Ann", "Top comment.", comment("Bob", "A reply.", comment("Cy", "A reply to the reply."))) +
            comment("Di", "Another top comment.") + "</ol></body></html>")
    text = html.extract(page).text
    assert "Comment by Ann · May 1, 2020\n\nTop comment." in text
    assert "Reply (depth 1) by Bob · May 1, 2020\n\nA reply." in text
    assert "Reply (depth 2) by Cy · May 1, 2020" in text
    assert "Comment by Di · May 1, 2020" in text


def test_reddit_level_label_gives_reply_depth():
    def comment(level, text):
        return (f"<div class='Comment'><span>level {level}</span><a data-testid='comment_author_link'>u{level}</a>"
                f"<div data-testid='comment'><p>{text}</p></div></div>")
    page = ("<html><body><h1>Q</h1><p>" + "A question asked at some length here. " * 10 + "</p>" +
            comment(1, "Top answer.") + comment(2, "An answer to it.") + comment(1, "Other answer.") + "</body></html>")
    heads = [l for l in html.extract(page).text.split("\n") if l.startswith(("Comment", "Reply"))]
    assert heads == ["Comment by u1", "Reply (depth 1) by u2", "Comment by u1"]


def test_replies_indented_in_a_text_scrape_keep_their_depth(tmp_path):
    from test_pipeline import make_doc
    raw = ("A Thread Title\n\n\n\nFirst comment here, at the top level of the thread.\n\n\n"
           "    A reply to the first comment, indented under it.\n\n\n"
           "        A reply to that reply, indented further.\n\n\n"
           "Second top-level comment here, back at the margin.\n")
    doc = make_doc(tmp_path, raw)
    assert [(c.depth, c.parent) for c in doc.comments] == [(0, None), (1, 0), (2, 1), (0, None)]
    assert rebuild_raw(doc.text, record_of(doc)) == raw.encode()
    flat = make_doc(tmp_path, raw.replace("    ", ""), name="901_flat.txt")
    assert [c.depth for c in flat.comments] == [0, 0, 0, 0]


def test_short_lines_parted_by_br_in_a_comment_are_not_headings(tmp_path):
    from test_pipeline import make_doc
    page = ("<html><body><article><h1>Post</h1><p>" + "The post body goes on for a while here. " * 10 + "</p>"
            "</article><ol class='comment-list'><li><article class='comment-body'><footer><b class='fn'>Jo</b>"
            "</footer><div class='comment-content'><p>Roses are red<br>Violets are blue<br>Sugar is sweet</p>"
            "<p>" + "And so is the rest of this comment, which goes on at some length. " * 3 + "</p></div>"
            "</article></li></ol></body></html>")
    doc = make_doc(tmp_path, page, name="900_test.html")
    assert not [b for b in doc.blocks if b.kind == "heading"]
    assert [doc.block_text(b) for b in doc.blocks if b.comment == 0][:3] == [
        "Roses are red", "Violets are blue", "Sugar is sweet"]
    assert rebuild_raw(doc.text, record_of(doc)) == page.encode()
