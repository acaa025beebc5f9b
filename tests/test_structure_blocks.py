"""Lists, tables and code keep their form; short lines that are not headings stay paragraphs.

Each test runs a small made-up scrape through the real rules and checks the
blocks, the clean text and (where it matters) the Markdown the page gets
and the HTML that Markdown turns into.
"""
from __future__ import annotations

import hashlib

import markdown

from scripts.core.model import record_of, rebuild_raw
from scripts.site import render
from test_pipeline import make_doc, texts

EXTENSIONS = ["abbr", "attr_list", "md_in_html", "tables", "fenced_code", "admonition", "pymdownx.details"]


def html_of(doc) -> str:
    body = render.render_page(doc).split("## Changes from the scrape")[0]
    body = body.split("---", 2)[2]
    return markdown.markdown(body, extensions=EXTENSIONS)


def rebuilds(doc) -> bool:
    rec = record_of(doc)
    return rebuild_raw(doc.text, rec) == doc.raw and hashlib.sha256(doc.raw).hexdigest() == rec["sha256"]


def test_dash_list_separated_by_blank_lines_is_one_list(tmp_path):
    doc = make_doc(tmp_path, "A Title\n\nTake the bare bones of this project:\n\n- Canvas.\n\n- Websockets.\n\n"
                             "That's literally it, and it works well enough for us.\n")
    assert texts(doc, "list") == ["- Canvas.\n\n- Websockets."]
    assert not texts(doc, "quote")            # the paragraph after "...:" is not a guessed quotation
    html = html_of(doc)
    assert "<ul>" in html and "<li>Canvas.</li>" in html and "<li>Websockets.</li>" in html
    assert rebuilds(doc)


def test_numbered_and_bulleted_lists_keep_their_items(tmp_path):
    raw = ("Plugins\n\nMy list is:\n\n  1. acp.vim\n  2. a.vim\n  3. command-t.vim\n\n"
           "Some reasons follow here in a sentence.\n\n  • first point of it all\n  • second point\n")
    doc = make_doc(tmp_path, raw)
    lists = [b for b in doc.blocks if b.kind == "list"]
    assert [doc.block_text(b) for b in lists] == ["1. acp.vim\n2. a.vim\n3. command-t.vim",
                                                   "• first point of it all\n• second point"]
    assert lists[0].attrs["ordered"] and not lists[1].attrs["ordered"]
    html = html_of(doc)
    assert "<ol>" in html and "<li>command-t.vim</li>" in html and "<li>second point</li>" in html
    assert rebuilds(doc)


def test_pipe_table_is_a_table_with_escaped_cells(tmp_path):
    raw = ("Prices\n\n| Item | Price |\n|---|---|\n| a <b>tag</b> | 3 \\| 4 |\n| [x](y) | *z* |\n\n"
           "That is the whole table and nothing more.\n")
    doc = make_doc(tmp_path, raw)
    assert len(texts(doc, "table")) == 1
    html = html_of(doc)
    assert "<table>" in html and "<th>Item</th>" in html
    assert "&lt;b&gt;tag&lt;/b&gt;" in html and "<b>" not in html      # scraped markup stays text
    assert "<a " not in html and "<em>" not in html
    assert rebuilds(doc)


def test_key_value_rows_without_separator_are_a_table_not_headings(tmp_path):
    raw = ("Some Company\n\nCompany type | Private |\nFounded | 2023 |\nHeadquarters | Hangzhou |\n\n"
           "Some Company is a company that makes things and sells them to people.\n")
    doc = make_doc(tmp_path, raw)
    assert texts(doc, "table") == ["Company type | Private |\nFounded | 2023 |\nHeadquarters | Hangzhou |"]
    assert not texts(doc, "heading")
    assert "<td>Private</td>" in html_of(doc)


def test_python_code_keeps_lines_and_indentation(tmp_path):
    code = ("def greet(name):\n    if name:\n        return f\"hi {name}\"\n    return None\n"
            "print(greet(\"x\"))\n{\n}")
    doc = make_doc(tmp_path, f"Code Sample\n\nHere is some code that greets people nicely:\n\n{code}\n\n"
                             "That was the code, and it runs as it should.\n")
    assert texts(doc, "code") == [code]
    assert not texts(doc, "heading")          # a lone "{" is not a heading
    html = html_of(doc)
    assert "<pre><code>def greet(name):\n    if name:\n        return f&quot;hi {name}&quot;" in html
    assert rebuilds(doc)


def test_fenced_code_loses_its_fences_into_the_record_and_backticks_stay(tmp_path):
    raw = "Title Here\n\nRun this:\n\n```python\nx = 1\ny = \"```\"\n```\n\nDone with all of it now.\n"
    doc = make_doc(tmp_path, raw)
    assert texts(doc, "code") == ["x = 1\ny = \"```\""]
    assert [c.sic for c in doc.changes if c.rule == "structure:code-fence"] == ["```python\n", "\n```"]
    page = render.render_page(doc)
    assert "````python\nx = 1\ny = \"```\"\n````" in page       # the fence is longer than any run inside
    assert rebuilds(doc)


def test_yaml_block_between_paragraphs_is_code(tmp_path):
    yaml_code = "trigger:\n  - platform: numeric_state\n    entity_id:\n      - climate.study\n    below: 20"
    doc = make_doc(tmp_path, f"Automations\n\nA trigger fires when the value changes:\n\n{yaml_code}\n\n"
                             "it will not fire again until the temperature rises above 20C.\n")
    assert texts(doc, "code") == [yaml_code]
    # the lower-case paragraph after the code is not joined onto it
    assert any(t.startswith("it will not fire") for t in texts(doc, "para"))


def test_indented_prose_is_not_code(tmp_path):
    raw = ("A Post\n\nThe post says something worth saying here.\n\n"
           "    \"explain carefully to each other\"\n\n    This is some exceptionally well deployed shade.\n")
    doc = make_doc(tmp_path, raw)
    assert not texts(doc, "code")


def test_short_lines_that_are_not_headings(tmp_path):
    long = "This paragraph is long enough that a short line before it could pass for a heading. " * 2
    raw = (f"A Title\n\n{long}\n\nhttps://example.com/page\n\n{long}\n\n<div>\n\n{long}\n\n"
           f"By Nick Brown\n\n{long}\n\nA Real Heading\n\n{long}\n")
    doc = make_doc(tmp_path, raw)
    assert texts(doc, "heading") == ["A Real Heading"]


def test_despin_leaves_code_and_lists_alone(tmp_path):
    from scripts.text import despin
    code = "ai_name = \"synthetic intelligence\"\nprint(ai_name)"
    raw = (f"T Title\n\nAdvances in synthetic intelligence are here, it said.\n\n{code}\n\n"
           "- synthetic intelligence\n- man-made brainpower\n\nAnd that is all there is.\n")
    doc = make_doc(tmp_path, raw, {"spun": True})
    despin.run(doc, despin.load_lexicon(despin.default_lexicon_path()))
    assert "Advances in artificial intelligence" in doc.text          # the prose is restored
    assert texts(doc, "code") == [code]                                # the code is not
    assert texts(doc, "list") == ["- synthetic intelligence\n- man-made brainpower"]
    assert rebuilds(doc)


def test_atx_heading_and_title_lose_their_marks(tmp_path):
    doc = make_doc(tmp_path, "# The Title\n\nA question about sorting dictionaries by value.\n\n## 1 Answer\n\n"
                             "Well, dictionaries are inherently orderless, so you cannot sort them.\n")
    assert texts(doc, "title") == ["The Title"] and texts(doc, "heading") == ["1 Answer"]
    assert rebuilds(doc)


def test_photo_captions_stay_as_captions(tmp_path):
    raw = ("Agency Says It Will Keep Providing Water\n\n"
           "A car is buried under the remains of a building in Humacao, Puerto Rico January 25, 2018.\n\n"
           "By Nick Brown\n\nNEW YORK (Reuters) - The agency said on Wednesday it would keep providing water.\n\n"
           "Workers clear a road near the plant on Thursday. REUTERS/Alvin Baez\n\n"
           "The plant's operator said the fire will happen, and it did happen later on Thursday.\n")
    doc = make_doc(tmp_path, raw)
    captions = [doc.block_text(b)[:20] for b in doc.blocks if b.attrs.get("caption")]
    assert captions == ["A car is buried unde", "Workers clear a road"]
    page = render.render_page(doc)
    assert "{: #" in page and page.count(" .caption }") == 2
    assert not texts(doc, "heading")                 # the byline is not a heading


def test_hard_wrapped_prose_with_calls_and_signs_is_not_code(tmp_path):
    raw = ("An Essay\n\nThe function we looked at last week was simple enough for most of\n"
           "f(x) returns the square of what it is given, and nothing else at all in\n"
           "x = 3 gives nine, which is what every reader of this essay expected it\n"
           "to give, so we will move on to the harder cases in the next part now.\n")
    doc = make_doc(tmp_path, raw)
    assert not texts(doc, "code")
