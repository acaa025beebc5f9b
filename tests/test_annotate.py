"""Margin notes: anchoring by text quote, errors, numbering and markup."""
from __future__ import annotations

import pytest
import yaml
from bs4 import BeautifulSoup
import markdown

from scripts.text import annotate
from scripts.site import render
from scripts.core.errors import EditionError
from test_pipeline import make_doc

TEXT = ("A Title\n\nThe founder, Lian Wenfeng, spoke. Wenfeng said more.\n\n"
        "A second paragraph about Wenfeng and AGI.")


def notes_file(tmp_path, notes):
    path = tmp_path / "seeds" / "900_test.notes.yml"
    path.write_text(yaml.safe_dump({"notes": notes}, allow_unicode=True), encoding="utf-8")
    return path


def place(tmp_path, notes, text=TEXT, data=None):
    doc = make_doc(tmp_path, text, data)
    path = notes_file(tmp_path, notes)
    placed = annotate.place(doc, annotate.load_notes(path), str(path))
    annotate.number(doc, placed)
    return doc, placed


def note(id_, exact, **kw):
    return {"id": id_, "kind": kw.pop("kind", "context"), "exact": exact, "text": kw.pop("text", "A note."), **kw}


def test_exact_anchor(tmp_path):
    doc, (n,) = place(tmp_path, [note("name", "Lian Wenfeng")])
    assert doc.text[n.start:n.end] == "Lian Wenfeng"


def test_prefix_and_suffix_pick_one_of_several(tmp_path):
    doc, (a, b) = place(tmp_path, [note("a", "Wenfeng", prefix="spoke. "), note("b", "Wenfeng", suffix=" and AGI")])
    assert doc.text[a.start - 7:a.end] == "spoke. Wenfeng"
    assert doc.text[b.start:b.end + 8] == "Wenfeng and AGI"


def test_ambiguous_anchor_is_an_error_naming_file_note_and_places(tmp_path):
    with pytest.raises(EditionError) as err:
        place(tmp_path, [note("amb", "Wenfeng")])
    msg = str(err.value)
    assert "900_test.notes.yml" in msg and "'amb'" in msg and "3 places" in msg and "prefix" in msg


def test_missing_anchor_names_the_nearest_passage(tmp_path):
    with pytest.raises(EditionError) as err:
        place(tmp_path, [note("gone", "Liang Wenfang spoke")])
    msg = str(err.value)
    assert "'gone'" in msg and "matches nothing" in msg and "Wenfeng, spoke" in msg
    assert ":2" in msg.split(":", 1)[1][:40] or "notes.yml:" in msg   # a line number is given


def test_anchor_across_paragraphs_is_refused(tmp_path):
    with pytest.raises(EditionError) as err:
        place(tmp_path, [note("x", "more.\n\nA second")])
    assert "one paragraph" in str(err.value)


def test_anchor_survives_a_cleaning_change(tmp_path):
    """Notes quote the clean text, so a scrape that gains boilerplate and
    broken lines still anchors the same note."""
    quote = [note("name", "Lian Wenfeng, spoke")]
    clean_doc, (n0,) = place(tmp_path, quote)
    messy = "|\n" + TEXT.replace("Wenfeng, spoke", "Wenfeng,\nspoke") + "\n\n|\nLeave a Reply\n"
    doc, (n,) = place(tmp_path, quote, text=messy)
    assert doc.text[n.start:n.end] == "Lian Wenfeng, spoke"
    assert doc.text == clean_doc.text and (n.start, n.end) == (n0.start, n0.end)


def test_duplicate_note_ids_are_refused(tmp_path):
    with pytest.raises(EditionError) as err:
        place(tmp_path, [note("same", "Lian Wenfeng"), note("same", "AGI")])
    assert "used twice" in str(err.value)


def _notes_at(path, notes):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump({"notes": notes}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_an_id_used_in_two_notes_files_is_refused_naming_both(tmp_path):
    a = _notes_at(tmp_path / "900_a.notes.yml", [note("intro", "AGI"), note("shared", "Lian Wenfeng")])
    b = _notes_at(tmp_path / "901_b.notes.yml", [note("own", "AGI"), note("other", "AGI"), note("shared", "AGI")])
    with pytest.raises(EditionError) as err:
        annotate.check_unique_ids([a, b])
    e = err.value

    def line_of(path):
        return path.read_text(encoding="utf-8").splitlines().index("- id: shared") + 1
    # the later use is the error's place; the first use is named in the message
    assert e.path.endswith("901_b.notes.yml") and e.line == line_of(b), str(e)
    assert "'shared'" in e.message and f"900_a.notes.yml:{line_of(a)}" in e.message, str(e)
    assert e.hint and "unique" in e.hint


def test_ids_unique_across_files_pass_and_missing_files_are_skipped(tmp_path):
    a = _notes_at(tmp_path / "900_a.notes.yml", [note("one", "AGI")])
    b = _notes_at(tmp_path / "901_b.notes.yml", [note("two", "AGI")])
    annotate.check_unique_ids([a, tmp_path / "902_none.notes.yml", b])


def test_unknown_kind_suggests_the_right_one(tmp_path):
    with pytest.raises(EditionError) as err:
        place(tmp_path, [note("k", "AGI", kind="fact_check")])
    assert "did you mean 'fact-check'" in str(err.value)


def test_notes_are_numbered_in_reading_order(tmp_path):
    doc, placed = place(tmp_path, [note("late", "AGI"), note("early", "Lian Wenfeng")])
    assert {n.id: n.number for n in placed} == {"early": 1, "late": 2}


def test_two_calls_with_nothing_between_are_joined_and_no_other(tmp_path):
    """Only a call that directly follows another call is marked for the comma
    that keeps "1" and "2" from reading "12"; a call after words is not."""
    doc, placed = place(tmp_path, [note("a", "Lian Wenfeng"), note("b", "Lian Wenfeng", text="Second."),
                                   note("c", "Wenfeng said more"), note("d", "AGI")])
    ctx = render.Context(note_markup=lambda n, joined=False: annotate.note_markup(n, "test", joined))
    page = render.render_page(doc, ctx, lambda d: annotate.inline_items(d, placed))
    html = markdown.markdown(page.split("---", 2)[2], extensions=["attr_list", "md_in_html"])
    refs = {label["id"]: label["class"] for label in BeautifulSoup(html, "html.parser").select("label.sn-ref")}
    assert refs == {"sn-a-ref": ["sn-ref"], "sn-b-ref": ["sn-ref", "sn-joined"],
                    "sn-c-ref": ["sn-ref"], "sn-d-ref": ["sn-ref"]}


def test_markup_renders_marker_toggle_and_note_after_the_anchor(tmp_path):
    doc, placed = place(tmp_path, [note("fc", "Lian Wenfeng", kind="fact-check", verdict="inaccurate",
                                        text="The name is *Liang* Wenfeng.", sources=["https://example.org/a"])])
    ctx = render.Context(note_markup=lambda n: annotate.note_markup(n, "test"))
    page = render.render_page(doc, ctx, lambda d: annotate.inline_items(d, placed))
    html = markdown.markdown(page.split("---", 2)[2], extensions=["attr_list", "md_in_html", "tables",
                                                                  "pymdownx.details", "admonition"])
    soup = BeautifulSoup(html, "html.parser")
    label = soup.select_one("label.sn-ref")
    toggle = soup.select_one("input.sn-toggle")
    side = soup.select_one("small.sidenote.sn-fact-check")
    assert label["for"] == toggle["id"] == "sn-fc"
    assert label.previous_sibling.endswith("Lian Wenfeng")
    assert side["role"] == "note"
    assert "Fact check: inaccurate" in side.get_text()
    assert side.find("em").get_text() == "Liang"
    assert side.find("a")["href"] == "https://example.org/a"


def test_a_long_notes_words_are_on_the_page_once_its_margin_has_the_lead_and_a_link(tmp_path):
    """The margin shows a long note's heading, first sentence and a link to
    the note in full; the rest of its words and its sources are on the page
    only there (edition.js copies them in when the note is opened on a phone)."""
    rest = ("Its second sentence runs on for a while, with a word no other note has: "
            "quincunx. And a third one, to be well over the margin's limit of two hundred characters.")
    doc, placed = place(tmp_path, [note("fc", "Lian Wenfeng", kind="fact-check", verdict="inaccurate",
                                        text="The name is *Liang* Wenfeng. " + rest,
                                        sources=["https://example.org/only-here"])])
    assert annotate.is_long(placed[0])
    ctx = render.Context(note_markup=lambda n, joined=False: annotate.note_markup(n, "test", joined))
    page = render.render_page(doc, ctx, lambda d: annotate.inline_items(d, placed))
    html = markdown.markdown(page.split("---", 2)[2], extensions=["attr_list", "md_in_html", "tables"])
    assert html.count("quincunx") == 1 and html.count('href="https://example.org/only-here"') == 1
    soup = BeautifulSoup(html, "html.parser")
    side = soup.select_one("small.sidenote.sn-long")
    assert "Fact check: inaccurate" in side.get_text() and side.find("em").get_text() == "Liang"
    assert "quincunx" not in side.get_text()
    more = side.select_one("a.sn-more")
    full = soup.find(id=more["href"][1:])
    assert "endnote" in full["class"]
    assert "quincunx" in full.get_text() and full.find("a", href="https://example.org/only-here")
    assert full.select_one("a.en-back")["href"] == "#sn-fc-ref"


def test_our_notes_use_typographic_quotes_but_code_and_addresses_keep_theirs():
    from scripts.text.annotate import typographic
    assert typographic('He said "no"; it\'s (“so”) *"em"*') == "He said “no”; it’s (“so”) *“em”*"
    md = 'see [the "x" page](https://a.org/q?"b") and `print("hi")` and <abbr title="A">A</abbr>'
    assert typographic(md) == 'see [the “x” page](https://a.org/q?"b") and `print("hi")` and <abbr title="A">A</abbr>'


def test_every_note_on_the_site_has_typographic_quotes(collection):
    """Our own prose in notes and their sources: no straight quote outside code, links and tags."""
    import re
    protected = re.compile(r"`[^`]*`|\{:[^}]*\}|\]\([^)]*\)|<[^>\n]*>|https?://\S+")
    found = []
    for d in collection[0].values():
        for n in getattr(d, "notes", []) or []:
            if not getattr(n, "file", None):          # cross-references are made, not written
                continue
            for part in [n.text, *n.sources]:
                bare = protected.sub("", part)
                if '"' in bare:
                    found.append((n.id, bare[max(0, bare.index('"') - 30):bare.index('"') + 30]))
    assert not found, found[:5]
