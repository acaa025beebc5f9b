"""The foundation: reading, cleaning, structure, the change record and the pages.

Each cleaning rule is tested on the real seeds and on a small made-up scrape.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from scripts.tools import build as build_mod
from scripts.core import corpus
from scripts.text import pipeline
from scripts.core.errors import EditionError
from scripts.core.model import rebuild_raw, record_of

SHARED = ROOT.parent / "shared" / "seeds"
SEED_NAMES = [p.stem for p in corpus.seed_files()]


def make_doc(tmp_path: Path, raw: bytes | str, data: dict | None = None, name="900_test.txt"):
    """Process a made-up scrape with the real cleaning rules."""
    seeds = tmp_path / "seeds"
    seeds.mkdir(exist_ok=True)
    shutil.copy(corpus.SEEDS / "cleaning.yml", seeds / "cleaning.yml")
    path = seeds / name
    path.write_bytes(raw.encode("utf-8") if isinstance(raw, str) else raw)
    meta = {"slug": "test", "summary": "A test.", "source": {}}
    meta.update(data or {})
    path.with_suffix(".yml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    return pipeline.process(path, corpus.load_rules(seeds))


def texts(doc, kind=None, section=None):
    return [doc.block_text(b) for b in doc.blocks
            if (kind is None or b.kind == kind) and (section is None or b.section == section)]


# --- seeds and manifest ---------------------------------------------------

@pytest.mark.skipif(not SHARED.exists(), reason="../shared/seeds not beside the project")
def test_seeds_are_byte_identical_to_shared():
    for p in SHARED.glob("*.txt"):
        assert (corpus.SEEDS / p.name).read_bytes() == p.read_bytes(), p.name


def test_manifest_lists_every_seed_with_its_checksum():
    sums = corpus.read_manifest()
    files = corpus.seed_files()
    assert sorted(sums) == sorted(p.name for p in files)
    for p in files:
        assert sums[p.name] == corpus.sha256(p.read_bytes())


# --- the record: every character accounted for -----------------------------

@pytest.mark.parametrize("stem", SEED_NAMES)
def test_raw_scrape_rebuilt_exactly_from_clean_text_and_record(collection, stem):
    doc = collection[0][stem]
    assert rebuild_raw(doc.text, record_of(doc)) == doc.raw


@pytest.mark.parametrize("stem", SEED_NAMES)
def test_published_record_rebuilds_the_seed(collection, stem):
    doc = collection[0][stem]
    rec = json.loads(collection[1][f"records/{doc.slug}.json"])
    assert rebuild_raw(rec["clean_text"], rec) == (corpus.SEEDS / doc.seed).read_bytes()


def test_a_tampered_record_is_detected(collection):
    doc = collection[0][SEED_NAMES[0]]
    rec = record_of(doc)
    with pytest.raises(ValueError):
        rebuild_raw(doc.text.replace("DeepSeek", "DeepSeak", 1), rec)


# --- reading ----------------------------------------------------------------

def test_bom_crlf_and_lone_cr_are_normalised_and_recorded(tmp_path):
    raw = b"\xef\xbb\xbfTitle line\r\n\r\nFirst paragraph.\rSecond paragraph.\r\n"
    doc = make_doc(tmp_path, raw)
    assert "\r" not in doc.text and not doc.text.startswith("\ufeff")
    assert texts(doc, "para") == ["First paragraph.", "Second paragraph."]
    assert rebuild_raw(doc.text, record_of(doc)) == raw


def test_mojibake_is_repaired_with_ftfy_and_recorded(tmp_path):
    raw = "Title\n\nThe caf\u00c3\u00a9 said it\u00e2\u20ac\u2122s open."
    doc = make_doc(tmp_path, raw)
    assert "café said it’s open." in doc.text
    assert any(c.kind == "encoding" for c in doc.changes)
    assert rebuild_raw(doc.text, record_of(doc)) == raw.encode()


def test_curly_quotes_are_not_restyled(tmp_path):
    doc = make_doc(tmp_path, "Title\n\n“Quoted” and ‘single’ — dash.")
    assert "“Quoted” and ‘single’ — dash." in doc.text


def test_non_utf8_scrape_is_a_clear_error(tmp_path):
    with pytest.raises(EditionError) as err:
        make_doc(tmp_path, b"Title\n\nBad byte \xff here.")
    assert "900_test.txt" in str(err.value) and "UTF-8" in str(err.value)


# --- cleaning rules on the real seeds ---------------------------------------

BOILERPLATE = ["Leave a Reply", "Leave a Comment", "Your email address will not be published",
               "User's avatar", "3 Comments", "5 Likes", "1 Like", "Posted by:"]


@pytest.mark.parametrize("stem", SEED_NAMES)
def test_no_boilerplate_left_in_clean_text(collection, stem):
    doc = collection[0][stem]
    for phrase in BOILERPLATE:
        assert phrase not in doc.text, phrase
    assert "\n|\n" not in f"\n{doc.text}\n"
    assert "avatar" not in doc.text


def test_boilerplate_removals_are_recorded_with_reasons(collection):
    doc = collection[0]["002_c871a5e50bffaf81"]
    removed = [c for c in doc.changes if c.kind == "boilerplate"]
    assert {c.sic.strip() for c in removed} >= {"Leave a Reply",
                                               "Your email address will not be published. Required fields are marked *"}
    assert all(c.reason for c in removed)


def test_hard_wrapped_comment_is_joined(collection):
    doc = collection[0]["003_931163996799648f"]
    assert "and there is some overlap, but let’s keep that aside." in doc.text
    assert "the token that they know will be piped in next" in doc.text
    assert "so a lot of connections" in doc.text  # "simulated\nneurons" joined
    # no paragraph of that comment ends mid-sentence
    cso = [doc.block_text(b) for b in doc.blocks if b.comment == 1]
    assert cso and all(p.rstrip()[-1] in ".!?)" for p in cso), [p[-30:] for p in cso]


def test_paragraph_broken_mid_sentence_is_joined(collection):
    doc = collection[0]["004_9da44b2121f2c531"]
    assert "China’s long-term backwardness in original innovation" in doc.text
    assert not any(p.endswith("China’s") for p in texts(doc))


def test_stray_punctuation_at_paragraph_start_is_removed(collection):
    doc = collection[0]["004_9da44b2121f2c531"]
    assert any(p.startswith("On the surface, the rise of DeepSeek") for p in texts(doc, "para"))
    assert any(c.kind == "typo" and c.sic.startswith(".") for c in doc.changes)


def test_censor_artefact_is_undone_and_recorded(collection):
    doc = collection[0]["000_73d145eee412dd19"]
    assert 'hard"apple"core' not in doc.text
    assert doc.text.count("hard-core innovation") == 2
    # the poster's own explanation stays
    assert "had to insert “apple” because of TMF censor" in doc.text
    assert [c.kind for c in doc.changes if c.sic == 'hard"apple"core'] == ["censor", "censor"]


# --- cleaning rules on made-up scrapes --------------------------------------

def test_made_up_widget_boilerplate(tmp_path):
    doc = make_doc(tmp_path, "A title\n\nBody text here.\n\n12 Comments\nUser's avatar\n"
                             "Ann Lee's avatar\n\nNice post.\n\n|\nLeave a Comment\n")
    assert texts(doc, "para", "body") == ["Body text here."]
    assert doc.comments[0].author == "Ann Lee"
    assert texts(doc, section="comments") == ["Nice post."]


def test_made_up_hard_wrap(tmp_path):
    line = "word " * 19
    body = "\n".join([line.strip() + " w" + str(i) for i in range(6)] + ["end of it."])
    doc = make_doc(tmp_path, f"Title\n\n{body}\n\nPosted by: Bo | Jan 1 2025 1:00 utc | 7")
    assert len(texts(doc, "para")) == 1


def test_short_lines_are_not_joined(tmp_path):
    doc = make_doc(tmp_path, "Title\n\nOne.\nTwo.\nThree.")
    assert texts(doc, "para") == ["One.", "Two.", "Three."]


def test_signatures_make_comments_and_an_empty_one_is_lost(tmp_path):
    doc = make_doc(tmp_path, "Title\n\nPost body.\n\nFirst comment.\nPosted by: Ann | Jan 1 2025 1:00 utc | 5\n"
                             "Posted by: Bob | Jan 1 2025 2:00 utc | 6\nThird.\nPosted by: Cy | Jan 2 2025 | 7",
                   {"structure": {"comments": {"start": "First comment."}}})
    assert [(c.author, c.number, c.lost) for c in doc.comments] == [("Ann", "5", False), ("Bob", "6", True),
                                                                     ("Cy", "7", False)]
    assert texts(doc, section="body") == ["Title", "Post body."]


def test_like_counters_close_forum_posts(tmp_path):
    doc = make_doc(tmp_path, "Thread\n\nOpening post.\n\n4 Likes\n\nA reply.\n\n1 Like\n\nAnother.\n\n2 Likes")
    assert doc.likes == "4"
    assert [c.likes for c in doc.comments] == ["1", "2"]


def test_forum_quote_marker_becomes_a_quotation(tmp_path):
    doc = make_doc(tmp_path, "Thread\n\nHe said:\n\n> Quoted words.\n\n> More quoted.\n\nMy reply.")
    quotes = [b for b in doc.blocks if b.kind == "quote"]
    assert [doc.block_text(b) for b in quotes] == ["Quoted words.", "More quoted."]
    assert len({b.group for b in quotes}) == 1


def test_tweet_header_is_recognised(tmp_path):
    doc = make_doc(tmp_path, "Title\n\nLook:\n\nJane Doe @jdoe – 9:19 UTC · Jan 24, 2025\n\nHello world.\n\nAfter.",
                   {"structure": {"quotes": []}})
    head = [b for b in doc.blocks if b.kind == "tweet-head"]
    assert head and head[0].attrs["handle"] == "jdoe"
    assert texts(doc, "tweet") == ["Hello world."]


def test_unmarked_quote_from_data_file(tmp_path):
    doc = make_doc(tmp_path, "Title\n\nWrites Forbes:\n\nQuoted one.\n\nQuoted two.\n\nMine.",
                   {"structure": {"quotes": [{"start": "Quoted one", "end": "Quoted two", "cite": "Forbes"}]}})
    assert texts(doc, "quote") == ["Quoted one.", "Quoted two."]


def test_bad_anchor_in_data_file_names_file_and_nearest(tmp_path):
    with pytest.raises(EditionError) as err:
        make_doc(tmp_path, "Title\n\nWrites Forbes:\n\nQuoted one.",
                 {"structure": {"quotes": [{"start": "Qoted one"}]}})
    msg = str(err.value)
    assert "900_test.yml" in msg and "Quoted one" in msg


# --- structure on the real seeds --------------------------------------------

def test_moon_of_alabama_comments(collection):
    doc = collection[0]["003_931163996799648f"]
    got = [(c.author, c.time, c.number, c.lost) for c in doc.comments]
    assert got == [("Tom Pfotzer", "Jan 24 2025 22:20 utc", "103", False),
                   ("CSOstsgx60", "Jan 25 2025 0:21 utc", "120", False),
                   ("fnord", "Jan 25 2025 1:53 utc", "138", True),
                   ("snake", "Jan 25 2025 2:09 utc", "127", False)]
    tweets = [b.attrs["handle"] for b in doc.blocks if b.kind == "tweet-head"]
    assert tweets == ["pmarca", "BrianRoemmele", "RnaudBertrand", "henrythe9ths"]
    assert any(b.attrs.get("cite") == "Forbes" for b in doc.blocks)


def test_substack_comment_authors(collection):
    doc = collection[0]["001_3dc2b41856cb6ad5"]
    assert [c.author for c in doc.comments] == ["James Wang", "jeff fultz", "Sally Wong"]
    assert not [b for b in doc.blocks if b.section == "body"]


def test_essay_headings(collection):
    doc = collection[0]["004_9da44b2121f2c531"]
    assert len(texts(doc, "heading")) == 3


# --- pages ------------------------------------------------------------------

def test_docs_folder_is_up_to_date(collection):
    """Regenerating docs/ would change nothing (run `python -m scripts build` if this fails)."""
    files = collection[1]
    on_disk = {str(p.relative_to(ROOT / "docs")): p.read_bytes()
               for p in (ROOT / "docs").rglob("*") if p.is_file()}
    generated = {k: (v.encode("utf-8") if isinstance(v, str) else v) for k, v in files.items()}
    assert sorted(on_disk) == sorted(generated), "docs/ has missing or extra files"
    stale = [k for k in generated if generated[k] != on_disk[k]]
    assert not stale, f"stale in docs/: {stale}"


def test_scraped_markup_characters_stay_text(built_site):
    from bs4 import BeautifulSoup
    html = (built_site / "site/texts/moon-of-alabama-chinese-beat-trump-openai/index.html").read_text()
    soup = BeautifulSoup(html, "html.parser")
    article = soup.select_one("article")
    assert "<=China's new DeepSeek-R1" in article.get_text()
    assert "=== and here, some followup for Johan:" in article.get_text()
    mf = BeautifulSoup((built_site / "site/texts/motley-fool-innovation-deepseek-china/index.html").read_text(),
                       "html.parser").select_one("article")
    assert "It’s *that* aspect" in mf.get_text()


def test_text_page_has_title_source_box_comments_and_changes(built_site):
    from bs4 import BeautifulSoup
    soup = BeautifulSoup((built_site / "site/texts/moon-of-alabama-chinese-beat-trump-openai/index.html").read_text(),
                         "html.parser")
    assert soup.select_one("h1").get_text(strip=True).startswith("How The Chinese Beat Trump And OpenAI")
    box = soup.select_one("aside.text-source")
    assert "Moon of Alabama" in box.get_text() and "Original address" in box.get_text()
    headings = [h.get_text(" ", strip=True) for h in soup.select("h3.comment-heading")]
    assert headings[0].startswith("Tom Pfotzer · Jan 24 2025 22:20 utc · No. 103")
    assert soup.select_one("#comment-138 + p.comment-lost")
    assert soup.select_one("h2#changes")


def test_home_page_lists_every_text(built_site, docs_by_slug):
    from bs4 import BeautifulSoup
    soup = BeautifulSoup((built_site / "site/index.html").read_text(), "html.parser")
    links = {a["href"].rstrip("/").split("/")[-1] for a in soup.select("article h3 a:not(.headerlink)")}
    assert links == set(docs_by_slug)


def test_no_request_to_another_host(built_site):
    import re
    from bs4 import BeautifulSoup
    for page in (built_site / "site").rglob("*.html"):
        soup = BeautifulSoup(page.read_text(), "html.parser")
        loads = [t.get("src") for t in soup.select("script[src], img[src], iframe[src], source[src]")]
        loads += [t.get("href") for t in soup.select("link[href]")
                  if not set(t.get("rel", [])) & {"canonical", "alternate"}]
        remote = [u for u in loads if re.match(r"(https?:)?//", u or "")]
        assert not remote, f"{page}: {remote}"
    for css in (built_site / "site").rglob("*.css"):
        assert not re.search(r"url\(['\"]?(https?:)?//", css.read_text()), css


# --- commands ---------------------------------------------------------------

def test_add_gives_a_new_scrape_a_page(tmp_path):
    from conftest import copy_project
    from scripts.tools.add import add
    root = copy_project(tmp_path / "p")
    new = tmp_path / "fresh scrape.txt"
    new.write_bytes(b"A Fresh Title\r\n\r\nSome text about a fresh topic.\r\n\r\n2 Comments\r\nUser's avatar\r\n")
    dest = add(str(new), seeds=root / "seeds")
    assert dest.read_bytes() == new.read_bytes()
    assert corpus.read_manifest(root / "seeds")[dest.name] == corpus.sha256(new.read_bytes())
    build_mod.build(site=False, root=root)
    page = (root / "docs/texts/a-fresh-title.md").read_text()
    assert "Some text about a fresh topic." in page and "User" not in page.split("## Changes")[0]


def test_failed_build_leaves_docs_and_site_as_they_were(tmp_path):
    from conftest import copy_project
    root = copy_project(tmp_path / "p")
    build_mod.build(site=False, root=root)
    before = {p: p.read_bytes() for p in (root / "docs").rglob("*") if p.is_file()}
    data = root / "seeds" / "004_9da44b2121f2c531.yml"
    data.write_text(data.read_text().replace("slug:", "slgu:"))
    with pytest.raises(EditionError) as err:
        build_mod.build(site=False, root=root)
    assert "004_9da44b2121f2c531.yml" in str(err.value) and "slug" in str(err.value)
    after = {p: p.read_bytes() for p in (root / "docs").rglob("*") if p.is_file()}
    assert before == after
    assert not (root / "docs.tmp").exists()


def test_markers_in_a_row_at_the_end_are_removed_cleanly(tmp_path):
    raw = "Thread\n\nOpening post.\n\n5 Likes\n\n1 Like"
    doc = make_doc(tmp_path, raw)
    assert doc.text == "Thread\n\nOpening post."
    assert rebuild_raw(doc.text, record_of(doc)) == raw.encode()
