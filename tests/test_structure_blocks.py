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


# --- headings need evidence; labels, placeholders and infoboxes -----------------

LONG = "This paragraph is long enough that a short line before it could pass for a heading. " * 2


def test_a_run_of_short_lines_holds_no_heading(tmp_path):
    # an address and a verse split by <br> (one line each, no blank line between): not headings
    raw = (f"A Title\n\n{LONG}\n\nJohn Smith\n12 Main Street\nSpringfield\n\n{LONG}\n\n"
           f"Roses are red\nViolets are blue\nSugar is sweet\n\n{LONG}\n\nA Real Heading\n\n{LONG}\n")
    doc = make_doc(tmp_path, raw)
    assert texts(doc, "heading") == ["A Real Heading"]
    assert "Springfield" in texts(doc, "para") and "Sugar is sweet" in texts(doc, "para")
    assert rebuilds(doc)


def test_a_short_line_standing_alone_needs_a_paragraph_after_it(tmp_path):
    raw = f"A Title\n\n{LONG}\n\nArchived\n\nMembers\n\nOnline\n\n{LONG}\n\nStep 1: Get a Linode\n\n{LONG}\n"
    doc = make_doc(tmp_path, raw)
    # "Members" may head the section "Online" opens; "Archived" is followed by neither text nor a sub-heading
    assert "Archived" not in texts(doc, "heading")
    assert "Step 1: Get a Linode" in texts(doc, "heading")


def test_datelines_captions_quotations_and_links_are_not_headings(tmp_path):
    raw = (f"A Title\n\n{LONG}\n\n2017-03-10 09:58 来源：网易科学人\n\n{LONG}\n\n图注：奥尔德林的圣餐杯回到了地球上\n\n{LONG}\n\n"
           f">Sokal Squared hoax[0]\n\n{LONG}\n\nCongestion Avoidance and Control by Van Jacobson: https://ee.lbl.gov\n\n"
           f"{LONG}\n")
    doc = make_doc(tmp_path, raw)
    assert not texts(doc, "heading")
    caption = next(b for b in doc.blocks if doc.block_text(b).startswith("图注"))
    assert caption.attrs.get("caption")
    assert texts(doc, "quote") == ["Sokal Squared hoax[0]"]


def test_callout_labels_are_bold_lead_ins_not_headings(tmp_path):
    raw = ("HTTP Basics\n\nHTTP is the protocol of the web, and this page says how it works.\n\n"
           "print(response.status_code)\nprint(response.json())\nTip\n"
           "Always check response.status_code before using response.json(). 200 means success.\n"
           "Warning\nNot handling network errors. Always wrap requests in try/except for ConnectionError.\n")
    doc = make_doc(tmp_path, raw)
    assert not texts(doc, "heading")
    labels = [doc.block_text(b) for b in doc.blocks if b.attrs.get("label")]
    assert labels == ["Tip", "Warning"]
    html = html_of(doc)
    assert '<p class="label" id="' in html and ">Tip</p>" in html and "<h2" not in html
    assert "Tip" in doc.text and "Warning" in doc.text             # kept in the text, nothing removed


def test_placeholder_line_is_not_the_title(tmp_path):
    raw = ("Coming soon\n174 points · 21 days ago\n\n"
           "There are also a bunch of examples of users guessing wrong, which created confusion.\n")
    doc = make_doc(tmp_path, raw)
    assert not texts(doc, "title") and "Coming soon" in texts(doc, "para")


def test_title_of_a_text_without_a_headline(tmp_path):
    from scripts.core import corpus
    from scripts.core.model import Document
    from scripts.tools.add import title_of
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "cleaning.yml").write_bytes((corpus.SEEDS / "cleaning.yml").read_bytes())

    def title(raw):
        probe = Document(seed="x.txt", raw=raw.encode(), meta={})
        probe.text = raw
        return title_of(probe, seeds)

    assert title("March 26, 2010\n\n\nCricket, chirp, chirp. Is this an experiment? How to blog?\n") == \
        "Cricket, chirp, chirp."
    assert title("Coming soon\n\nThere are also a bunch of examples of users guessing wrong, which created "
                 "all sorts of hilarious confusion.\n") == "There are also a bunch of examples of…"
    assert title("Yield Thought\n\nit's not as hard as you think\n\nLast week I promised to share all the "
                 "details about my cloud development setup - this is how I did it.\n") == \
        "Last week I promised to share all the…"


def test_flattened_infobox_is_a_label_value_table(tmp_path):
    raw = (f"Hacker News\n\n{LONG}\n\nType of site\nSocial news\nOwner\nY Combinator\nFounded: February 19, 2007\n"
           f"Key peopleJack Dorsey\n网址wikipedia.org\nRegistration optional with a long note here\n\n{LONG}\n")
    doc = make_doc(tmp_path, raw)
    assert len(texts(doc, "table")) == 1
    html = html_of(doc)
    for key, value in (("Type of site", "Social news"), ("Owner", "Y Combinator"), ("Founded:", "February 19, 2007"),
                       ("Key people", "Jack Dorsey"), ("网址", "wikipedia.org")):
        assert f'<th scope="row">{key}</th>\n<td>{value}</td>' in html, key
    assert '<td colspan="2">Registration optional with a long note here</td>' in html
    assert "<thead>" not in html                  # no empty header row
    assert rebuilds(doc)                          # the text keeps its lines: the split is the page's, not the text's


def test_infobox_markup_in_a_scrape_stays_text(tmp_path):
    raw = f"A Title\n\n{LONG}\n\n<b>Type</b>\n<i>Social</i>\nOwner: <script>x</script>\nA\nB\n\n{LONG}\n"
    doc = make_doc(tmp_path, raw)
    html = html_of(doc)
    assert "<script>" not in html and "<b>" not in html and "&lt;script&gt;" in html


def test_label_glued_onto_the_code_above_it_leaves_the_code(tmp_path):
    raw = ("HTTP Basics\n\nHTTP is the protocol of the web, and this page says how it works.\n\n"
           "resp = get(url)\nprint(resp.status)\nsimulate_request(\"GET\", url)Tip\nTip\n"
           "Always check the status code before using the body of the response.\n\n"
           "The word Tip ends this sentence and the next line says Tip\nTip\nA second tip, a long line of text.\n")
    doc = make_doc(tmp_path, raw)
    assert texts(doc, "code") == ["resp = get(url)\nprint(resp.status)\nsimulate_request(\"GET\", url)"]
    assert [c.sic for c in doc.changes if c.rule == "glued-label"] == ["Tip"]   # a word ending prose stays
    assert "the next line says Tip" in doc.text
    assert rebuilds(doc)


def test_infobox_rows_split_only_where_the_line_says_so():
    from scripts.text.structure import infobox_rows
    rows = infobox_rows(["FoundedApril 2007", "Written in JavaScript", "Made for iPhone", "Runs on macOS X",
                         "YouTube"])
    assert all(v is None for _, v in rows)         # words run together by their own spelling stay whole
    assert infobox_rows(["Type of siteSocial news", "网址wikipedia.org", "语言活躍的語言版本有275種"]) == [
        ("Type of site", "Social news"), ("网址", "wikipedia.org"), ("语言活躍的語言版本有275種", None)]
    # label/value lines: paired when they alternate, not when a run cannot say which is which
    assert infobox_rows(["Owner", "Y Combinator", "URL", "news.ycombinator.com"]) == [
        ("Owner", "Y Combinator"), ("URL", "news.ycombinator.com")]
    assert all(v is None for _, v in infobox_rows(["YouTube", "Owner", "Y Combinator"]))
    # lines that may each be a label and its value run together are never paired up
    assert all(v is None for _, v in infobox_rows(["Type of site", "News aggregator", "Available in English",
                                                   "Owner Y Combinator", "Registration Optional",
                                                   "Website news.ycombinator.com"]))
    assert infobox_rows(["Born:  12 May 1950"]) == [("Born:", "12 May 1950")]


def test_site_name_above_the_headline_is_not_the_title(tmp_path):
    body = "The company said on Tuesday that the phone would go on sale in the spring, at a price not yet set.\n"
    doc = make_doc(tmp_path, "The Verge\n\nApple announces a phone that folds in three\n\n" + body)
    assert texts(doc, "title") == ["Apple announces a phone that folds in three"]
    assert "The Verge" in texts(doc, "para")                     # the name stays in the text
    # a section's kicker above the headline is not the title either
    doc = make_doc(tmp_path, "Hurricane Harvey\n\n2 explosions rock flooded Houston-area chemical plant\n\n"
                   "By Ann Lee\n\n" + body, name="902_kicker.txt")
    assert texts(doc, "title") == ["2 explosions rock flooded Houston-area chemical plant"]
    # a name over a short line, over the first step of a list post, over a dateline: the first line stays
    for top in ("Hacker News\n\nType of site\n\n", "Yield Thought\n\nStep 1: Get a Linode on the cheap\n\n",
                "Friday Facts 282\n\nPosted by kovarex on 2019-02-15, all posts\n\n"):
        doc = make_doc(tmp_path, top + body, name="901_other.txt")
        assert texts(doc, "title") == [top.split("\n")[0]], top
