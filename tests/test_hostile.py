"""Hostile scrapes: whatever a scrape holds reaches the reader as text.

Every case below is added to a throwaway copy of the project with
``python -m scripts add`` (the function behind it), the whole collection is
built once with MkDocs, and each page is then read back with BeautifulSoup:

* nothing in the page comes from the scrape but text: no element, no
  attribute, no script, no included file (the tags and attributes inside the
  article are those the edition itself writes for the real texts);
* every paragraph shows exactly the text of the edition (the scraped text,
  or the edition's recorded correction of it);
* the build either succeeds or stops with an EditionError naming the scrape
  (invalid UTF-8, an empty scrape, a scrape of only whitespace).

The last test prints "hostile cases: N tried, N passed".
"""
from __future__ import annotations

import html as htmlmod
import json
import re
from pathlib import Path

from pagetext import shown_words, shows
import pytest
from bs4 import BeautifulSoup, Comment

from conftest import ROOT, copy_project
from scripts.tools import build as build_mod
from scripts.core import corpus
from scripts.tools.add import add
from scripts.core.errors import EditionError

# a paragraph long enough that a short line before it is taken for a heading
LONG = ("The company said its model was trained for a fraction of the cost, and "
        "the claim was repeated in many places without much checking at first.")

# --- the corpus -------------------------------------------------------------
# name -> raw bytes of the scrape.  Strings are written as UTF-8.

CASES: dict[str, bytes | str] = {
    # HTML
    "script": "<script>alert('title')</script>\n\nBody <script src=//evil.example/x.js></script> text.\n\n"
              "<script>\ndocument.write('x')\n</script>\n",
    "style": "Styles\n\n<style>body{display:none}</style>\n\nAfter <style>*{color:red}</style> it.\n",
    "iframe": '<iframe src="https://evil.example/"></iframe>\n\nText <iframe srcdoc="<script>x</script>">.\n',
    "img-onerror": "Images\n\n<img src=x onerror=alert(1)>\n\nText <img src=x onerror=\"alert(1)\"> inline.\n",
    "a-javascript": '<a href="javascript:alert(1)">click me</a>\n\nAnd <a href=javascript:alert(2)>here</a>.\n',
    "event-handlers": '<div onclick="alert(1)" onmouseover=alert(2)>hover</div>\n\n'
                      '<p onload=x>para</p> <body onload=alert(3)> <svg onload=alert(4)>\n',
    "html-comment": "Comments in HTML\n\n<!-- hidden -->\n\nText <!-- also hidden --> after.\n\n"
                    "<!--\nmulti line\n-->\n\n<![CDATA[ x ]]> <?php echo 1; ?> <!DOCTYPE html>\n",
    "unclosed-div": 'Unclosed\n\n<div class="x"\n\nStill text <div\n\n<span style="color:red"\n\n</div></div>\n',
    "entities": "Entities\n\n&lt;script&gt;alert(1)&lt;/script&gt;\n\n"
                '<a href="&#106;avascript:alert(1)">x</a> &#106;avascript:alert(1) &amp; &copy; &#x3C;b&#x3E;\n\n'
                "&#0; &#xD800; &bogus; &#99999999;\n",
    "html-block": "<table><tr><td onclick=x>cell</td></tr></table>\n\n<details open><summary>s</summary>d</details>\n\n"
                  "<object data=x></object><embed src=x><form action=x><input name=y><button>b</button></form>\n",
    # Markdown and the extensions mkdocs.yml enables (and some it does not)
    "headings": "# H1 heading\n\n## H2\n\n###### H6\n\nSetext one\n===\n\nSetext two\n---\n\n#hashtag\n",
    "lists": "- a\n- b\n* c\n+ d\n1. one\n2) two\n10. ten\n- [ ] task\n- [x] done\n",
    "tables": "| a | b |\n|---|---|\n| 1 | 2 |\n\na | b\n--|--\n1 | 2\n",
    "links": '[click](javascript:alert(1)) [x](http://evil.example "t") <http://evil.example> '
             "<mailto:a@b.c> https://bare.example/url www.example.com\n",
    "images": "![alt](x.png) ![x](javascript:alert(1)) ![x][ref] ![y](data:text/html;base64,PHNjcmlwdD4=)\n",
    "reference-definitions": '[ref]: http://evil.example\n[ref2]: javascript:alert(1) "t"\n\n'
                             "see [ref] and [text][ref2] and [ref][]\n",
    "footnotes": "Text with a footnote[^1] and another[^note].\n\n[^1]: http://evil.example footnote\n\n"
                 "[^note]:\n    indented <b>note</b>\n",
    "abbreviations": "HTML and DeepSeek are here\n\n*[HTML]: Hyper <script>x</script>\n*[DeepSeek]: evil\n"
                     "*[here]: <img src=x onerror=alert(1)>\n",
    "attribute-lists": 'Para text\n{: onclick="alert(1)" }\n\n# Head {: #evil onclick=x }\n\n'
                       '`code`{: .x } word{: style="color:red" }\n\n{: #top .cls onmouseover=alert(1) }\n',
    "admonitions": '!!! note "Title <b>x</b>"\n    Body <b>x</b>\n\n!!! danger\n    text\n\n'
                   "!!!warning\n    no space\n",
    "details": '??? note "Open me"\n    hidden\n\n???+ warning\n    shown\n',
    "tabs": '=== "Tab 1"\n    one\n\n=== "Tab 2"\n    two\n',
    "criticmarkup": "CriticMarkup\n\n{++added++} {--deleted--} {~~old~>new~~} {==marked==} {>>comment<<}\n",
    "front-matter": "---\ntitle: Evil <script>alert(1)</script>\nhide: [navigation]\ntemplate: x.html\n---\n"
                    "Body after front matter.\n",
    "setext-and-rules": "Paragraph line\n===\n\nOther\n---\n\n***\n\n___\n\n- - -\n\n* * *\n",
    "fenced-code": "Code\n\n```html\n<script>alert(1)</script>\n```\n\n~~~\ntilde code\n~~~\n\n"
                   "    indented code\n\n\t\ttabbed code\n\n`inline <b>code</b>`\n",
    "md-in-html": '<div markdown="1">\n**bold** <script>x</script>\n</div>\n\n'
                  "<details markdown><summary>x</summary>*y*</details>\n\n<div markdown>\n# inner\n</div>\n",
    "snippets": '--8<-- "/etc/passwd"\n\n--8<-- "../../mkdocs.yml"\n\n;--8<-- "seeds/cleaning.yml"\n\n'
                "--8<--\n/etc/passwd\nmkdocs.yml\n--8<--\n\ntext --8<-- \"/etc/hostname\" inline\n\n"
                '--8<-- "https://evil.example/x.md"\n\n-8<- "/etc/passwd"\n',
    "other-extensions": ":smile: $x^2$ $$y$$ ^^ins^^ ~~del~~ ==mark== H~2~O ++ctrl+alt++ :material-home: "
                        "[[wikilink]] [TOC] \\[ x \\] {#id}\n",
    "heading-guess": "<img src=x onerror=alert(1)>\n\n<b>Short</b> *line*\n\n" + LONG + "\n\n"
                     "# Not a heading {: #x }\n\n" + LONG + "\n",
    "comment-structure": "A post\n\nBody of the post.\n\n<script>x</script>'s avatar\n\nComment <b>text</b>.\n\n"
                         "Posted by: <img src=x onerror=alert(1)> | Jan 1 <i>2025</i> | 5\n\n"
                         "Second *comment*.\n\n7 Likes\n",
    "tweet": "Tweets\n\nLook:\n\n<b>Evil</b> @evil – <script>x</script> · Jan 24, 2025\n\nTweet <i>text</i> [x](y).\n\n"
             "> quoted <script>x</script>\n\n>> nested\n",
    # template-like text
    "templates": "{{ config }}\n\n{% include 'x.html' %}\n\n{{ page.meta }} {# c #} ${var} <%= x %> {{7*7}}\n\n"
                 "{%raw%}{{ config.site_name }}{%endraw%}\n",
    "backslashes": "\\<script\\> \\*not em\\* \\\\ C:\\Windows\\ \\\n\nend \\\n",
    # text edge cases
    "nul-and-controls": b"Control\x00 title\n\nText\x00with\x01controls\x1b[31mred\x1b[0m\x7f and \xc2\x85 NEL "
                        b"and \x0b\x0c form.\x02stx\x03etx \x1c\x1d\x1e\x1f seps\n",
    "utf16-le-bom": "Sixteen bits\r\n\r\n<script>x</script> café 中文 😀\r\n".encode("utf-16"),
    "utf16-be-bom": b"\xfe\xff" + "Big end\n\n<b>x</b> naïve\n".encode("utf-16-be"),
    "utf8-bom": b"\xef\xbb\xbf# Title with BOM\n\nText.\n",
    "mojibake": "Mojibake\n\nThe cafÃ© said itâ€™s open.\n\nÃ©Ã¨ â€œquotedâ€\x9d and <Ã©>\n",
    "crlf-and-cr": b"Line ends\r\n\r\nLine one\r\nLine two\rLine three\r\r\rEnd\r\n- item\r* item\r",
    "bidi-and-zero-width": "Direction\n\nfile\u202etxt.exe \u200bzero\u200cwidth\u200d joiner \u2066iso\u2069 "
                           "\ufeffbom-in-middle \u2028line-sep\u2029para-sep \u00adsoft \u061c alm\n",
    "noncharacters": "\ufffe\uffff title <script>x</script> \"quoted\" \\ back\n\n\ufdd0 \U0010ffff text\n",
    "emoji": "Emoji 😀\n\n👍🏽 family 👨‍👩‍👧 flag 🇨🇳 heart ♥️ keycap 1️⃣\n",
    "chinese": "深度求索的创新\n\n中国的创新。“引号”，《书名》——破折号。<script>中文</script>\n\n"
               "＜script＞全角＜/script＞ ｛｛ config ｝｝\n",
    "one-megabyte-line": ("Lorem <b>ipsum</b> dolor *sit* amet & [x](y) {{ z }} `q` | t " * 20000)[:1_000_000],
}

# cases the build must refuse, with a word the message must contain
FAILING = {
    "invalid-utf8": (b"Title\n\nBad byte \xff here.\n", "UTF-8"),
    "invalid-utf16": (b"\xff\xfeA\x00\x00\xd8", "UTF-16"),  # a lone surrogate
    "empty": (b"", "no text"),
    "only-whitespace": (b" \n\t\n \r\n\xc2\xa0\n", "no text"),
    "only-controls": (b"\x00\x01\x02\n\x7f", "no text"),
}

RESULTS: dict[str, bool] = {}

INCLUDED = ["root:x:0", "/bin/bash", "site_name:", "markdown_extensions", "comment_header:"]
DANGEROUS_TAGS = {"script", "style", "iframe", "img", "object", "embed", "form", "input", "svg", "base",
                  "link", "meta", "frame", "frameset", "applet", "audio", "video", "source", "math"}


def _bytes(raw) -> bytes:
    return raw.encode("utf-8") if isinstance(raw, str) else raw


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """One project holding the real texts and every hostile case, built once."""
    root = copy_project(tmp_path_factory.mktemp("hostile"))
    src = tmp_path_factory.mktemp("scrapes")
    added = {}
    for name, raw in CASES.items():
        f = src / f"{name}.txt"
        f.write_bytes(_bytes(raw))
        dest = add(str(f), slug=f"hostile-{name}", seeds=root / "seeds")
        added[name] = dest.name
    # a plain page to compare against
    f = src / "benign.txt"
    f.write_bytes(b"A plain title\n\nA plain paragraph of text.\n\nAnother one.\n")
    added["benign"] = add(str(f), slug="hostile-benign", seeds=root / "seeds").name
    before = {p.name: p.read_bytes() for p in (root / "seeds").glob("*.txt")}
    # keep the documents the build made, rather than processing everything twice
    made = {}
    real_generate = build_mod.generate

    def generate(seeds, *args, **kwargs):
        made["docs"], files = real_generate(seeds, *args, **kwargs)
        return made["docs"], files

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(build_mod, "generate", generate)
        build_mod.build(root=root)
    after = {p.name: p.read_bytes() for p in (root / "seeds").glob("*.txt")}
    assert before == after, "the build changed a raw scrape"
    return root, {d.seed: d for d in made["docs"]}, added


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _inventory(el) -> tuple[set, set]:
    tags, attrs = set(), set()
    for t in el.find_all(True):
        tags.add(t.name)
        for a in t.attrs:
            attrs.add((t.name, a))
    return tags, attrs


@pytest.fixture(scope="module")
def allowed(hostile_site):
    """Tags and attributes the edition writes in the articles of the real texts and a plain one."""
    root, docs, added = hostile_site
    tags, attrs = set(), set()
    real = [d for d in docs.values() if not d.slug.startswith("hostile-")] + [docs[added["benign"]]]
    for d in real:
        art = _soup(root / "site/texts" / d.slug / "index.html").select_one("article")
        t, a = _inventory(art)
        tags |= t
        attrs |= a
    # what the renderer writes for changes the real texts happen not to need
    tags |= {"span", "table", "thead", "tbody", "tr", "th", "td", "details", "summary", "a", "code", "p",
             "blockquote", "h1", "h2", "h3", "h4", "aside", "dl", "dt", "dd", "div", "hr",
             "ul", "ol", "li", "pre"}           # lists and code blocks the rules recognise
    attrs |= {("div", "class"), ("div", "id"), ("code", "class"), ("pre", "class"), ("ol", "start")}
    return tags, attrs


def _visible(el) -> str:
    """An element's text as a reader sees it in the running text (restoration marks read as the edition)."""
    el = BeautifulSoup(str(el), "html.parser")
    for junk in el.select(".sic, .tip, .headerlink, .sidenote, .sn-ref, input"):
        junk.decompose()
    return el.get_text()


def _squash(s: str) -> str:
    return " ".join(s.split())


def check_page(root: Path, doc, allowed_tags, allowed_attrs, benign_head) -> list[str]:
    """Every problem with one built page (empty when it is sound)."""
    problems = []
    page = root / "site/texts" / doc.slug / "index.html"
    if not page.exists():
        return [f"no page {page}"]
    source = page.read_text(encoding="utf-8")
    soup = BeautifulSoup(source, "html.parser")
    article = soup.select_one("article")
    if article is None:
        return ["no <article>"]
    tags, attrs = _inventory(article)
    if tags - allowed_tags:
        problems.append(f"tags from the scrape: {sorted(tags - allowed_tags)}")
    if attrs - allowed_attrs:
        problems.append(f"attributes from the scrape: {sorted(attrs - allowed_attrs)}")
    if tags & DANGEROUS_TAGS:
        problems.append(f"dangerous tags in the article: {sorted(tags & DANGEROUS_TAGS)}")
    # the whole page: same head and script elements as a plain page
    head = sorted(str(t.name) for t in soup.head.find_all(True))
    if head != benign_head:
        problems.append("the page's <head> differs in its elements from a plain page's")
    for t in soup.find_all(True):
        for a, v in t.attrs.items():
            if a.lower().startswith("on"):
                problems.append(f"event handler {a}= on <{t.name}>")
            vals = v if isinstance(v, list) else [v]
            for val in vals:
                squashed = re.sub(r"[\s\x00-\x1f]+", "", htmlmod.unescape(str(val))).lower()
                if squashed.startswith(("javascript:", "vbscript:", "data:")):
                    problems.append(f"{a}={val!r} on <{t.name}>")
    for c in soup.find_all(string=lambda s: isinstance(s, Comment)):
        problems.append(f"HTML comment in the page: {c[:40]!r}")
    for s in soup.find_all("script"):
        if s.get("src") is None and s.string and "alert" in s.string:
            problems.append("inline script from the scrape")
    title = soup.title.get_text() if soup.title else ""
    want_title = doc.meta.get("title") or doc.slug
    if _squash(title) != _squash(f"{want_title} - " + "DeepSeek and Chinese innovation — an annotated reading edition"):
        problems.append(f"<title> is {title[:80]!r}, not the text's title {want_title[:60]!r}")
    for leak in INCLUDED:
        if leak in source:
            problems.append(f"included file content {leak!r} in the page")
    # every paragraph, heading and quotation shows the edition's text
    for b in doc.blocks:
        el = article.find(id=b.id)
        if el is None:
            problems.append(f"block {b.id} ({doc.block_text(b)[:40]!r}) is not on the page")
            continue
        want = shown_words(b.kind, doc.block_text(b))
        got = _squash(_visible(el))
        if not shows(b.kind, got, doc.block_text(b)):
            problems.append(f"block {b.id} shows {got[:80]!r}, the edition's text is {want[:80]!r}")
    return problems


@pytest.fixture(scope="module")
def benign_head(hostile_site):
    root, docs, added = hostile_site
    soup = _soup(root / "site/texts" / docs[added["benign"]].slug / "index.html")
    return sorted(str(t.name) for t in soup.head.find_all(True))


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_scrape_stays_text(hostile_site, allowed, benign_head, name):
    root, docs, added = hostile_site
    RESULTS[name] = False
    doc = docs[added[name]]
    problems = check_page(root, doc, *allowed, benign_head)
    assert not problems, f"{name}:\n  " + "\n  ".join(problems)
    RESULTS[name] = True


def test_no_included_file_anywhere(hostile_site):
    """Snippet-like lines read no file: nothing of /etc/passwd or the project's files is in the site."""
    root, _, _ = hostile_site
    for p in list((root / "site").rglob("*.html")) + list((root / "site").rglob("*.json")) + \
            list((root / "docs").rglob("*.md")):
        text = p.read_text(encoding="utf-8")
        for leak in ("root:x:0", "/usr/sbin/nologin"):
            assert leak not in text, p


def test_search_index_holds_no_markup_from_scrapes(hostile_site):
    root, docs, _ = hostile_site
    index = json.loads((root / "site/search/search_index.json").read_text(encoding="utf-8"))
    for entry in index["docs"]:
        for field in ("title", "text"):
            value = entry.get(field) or ""
            assert not re.search(r"<\s*(script|img|iframe|style|svg|a\s|div\s)", value, re.I), \
                (entry["location"], value[:200])


def test_records_rebuild_every_hostile_scrape(hostile_site):
    from scripts.core.model import rebuild_raw
    root, docs, added = hostile_site
    for name, seed in added.items():
        doc = docs[seed]
        rec = json.loads((root / "docs/records" / f"{doc.slug}.json").read_text(encoding="utf-8"))
        assert rebuild_raw(rec["clean_text"], rec) == (root / "seeds" / seed).read_bytes(), name


@pytest.mark.parametrize("name", sorted(FAILING))
def test_unreadable_scrape_stops_the_build_naming_it(tmp_path, name):
    """A scrape the edition cannot read stops add, and (placed in seeds/ by hand) the build, clearly."""
    raw, word = FAILING[name]
    RESULTS[name] = False
    root = copy_project(tmp_path / "p")
    src = tmp_path / f"{name}.txt"
    src.write_bytes(raw)
    manifest = (root / "seeds/MANIFEST.sha256").read_bytes()
    with pytest.raises(EditionError) as err:
        add(str(src), seeds=root / "seeds")
    assert word in str(err.value) and f"{name}.txt" in str(err.value), str(err.value)
    assert (root / "seeds/MANIFEST.sha256").read_bytes() == manifest, "a refused scrape was added"
    assert not (root / "seeds" / f"{name}.txt").exists()
    # placed by hand, with a data file and a manifest line
    seed = root / "seeds" / f"950_{name}.txt"
    seed.write_bytes(raw)
    seed.with_suffix(".yml").write_text("slug: bad\nsummary: x\nsource: {}\n", encoding="utf-8")
    sums = corpus.read_manifest(root / "seeds")
    sums[seed.name] = corpus.sha256(raw)
    corpus.write_manifest(sums, root / "seeds")
    with pytest.raises(EditionError) as err:
        build_mod.build(root=root)
    msg = str(err.value)
    assert seed.name in msg and word in msg and "hint:" in msg, msg
    assert not (root / "docs").exists() and not (root / "site").exists()
    RESULTS[name] = True


def test_zz_hostile_summary(capsys):
    tried = len(CASES) + len(FAILING)
    passed = sum(RESULTS.values())
    line = f"hostile cases: {tried} tried, {passed} passed"
    with capsys.disabled():
        print("\n" + line, flush=True)
    assert len(RESULTS) == tried, "run the whole file to count every case"
    assert passed == tried, line
