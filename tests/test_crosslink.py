"""Cross-links: alias matching, one-pass matching, backlinks, permalinks, the pictures.

Run: .venv/bin/python -m pytest tests/test_crosslink.py -q
"""
from __future__ import annotations

import html
import posixpath
import re
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.core import corpus  # noqa: E402
from scripts.site import pages  # noqa: E402
from scripts.site.pages import common as page_links, entities as entity_pages  # noqa: E402
from scripts.text import crosslink, structure  # noqa: E402
from scripts.tools import build  # noqa: E402
from scripts.core.errors import EditionError  # noqa: E402
from scripts.core.model import Block, Document  # noqa: E402

SEEDS = corpus.SEEDS


# --- helpers -------------------------------------------------------------------

def glossary_from(tmp_path: Path, text: str) -> crosslink.Glossary:
    p = tmp_path / "glossary.yml"
    p.write_text(text, encoding="utf-8")
    return crosslink.load_glossary(p)


SMALL = """
entities:
  - id: liang-wenfeng
    name: Liang Wenfeng
    kind: person
    aliases: [Lian Wenfeng, Wenfeng, Liang]
    description: Founder of DeepSeek.
  - id: deepseek
    name: DeepSeek
    kind: organisation
    aliases: [Deepseek]
    description: A Chinese AI company.
  - id: deepseek-r1
    name: DeepSeek-R1
    kind: model
    aliases: [R1]
    description: A reasoning model.
  - id: chatgpt
    name: ChatGPT
    kind: product
    aliases: [ChatGTP]
    description: OpenAI's chatbot.
  - id: nvidia
    name: Nvidia
    kind: organisation
    aliases: [Nvidea]
    description: A chip designer.
  - id: motley-fool
    name: The Motley Fool
    kind: organisation
    aliases: [Motley Fool, TMF]
    case_sensitive: [TMF]
    description: An investment-advice company.
  - id: ai
    name: Artificial intelligence
    kind: concept
    aliases: [AI, A.I.]
    case_sensitive: [AI]
    description: Machines that seem to think.
  - id: raspberry-pi
    name: Raspberry Pi
    kind: product
    aliases: [Rasberry Pi, Pi]
    case_sensitive: [Pi]
    description: A small computer.
  - id: reuters
    name: Reuters
    kind: organisation
    description: A news agency.
  - id: wang-yangming
    name: Wang Yangming
    kind: person
    aliases: [王阳明]
    description: A philosopher.
abbreviations:
  TMF: The Motley Fool
  AI: artificial intelligence
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return glossary_from(tmp_path_factory.mktemp("g"), SMALL)


def found(matcher, text):
    return [(text[s:e], eid) for s, e, _, eid in matcher.find(text)]


@pytest.fixture(scope="module")
def site():
    """The processed collection and every generated page (what `build` writes to docs/)."""
    docs, files = build.generate(SEEDS)
    return docs, files


@pytest.fixture(scope="module")
def extras(site):
    from scripts.site.extras import Extras
    return Extras(site[0], SEEDS)


ENGINES = ["ahocorasick", "regex"] if crosslink.ahocorasick is not None else ["regex"]


# --- alias matching -----------------------------------------------------------------

@pytest.mark.parametrize("engine", ENGINES)
def test_case_insensitive_by_default(small, engine):
    m = crosslink.Matcher(small, engine)
    assert found(m, "deepseek and DEEPSEEK and DeepSeek") == [
        ("deepseek", "deepseek"), ("DEEPSEEK", "deepseek"), ("DeepSeek", "deepseek")]
    assert found(m, "LIANG said") == [("LIANG", "liang-wenfeng")]


@pytest.mark.parametrize("engine", ENGINES)
def test_case_sensitive_aliases(small, engine):
    m = crosslink.Matcher(small, engine)
    assert found(m, "That made me laugh at TMF.") == [("TMF", "motley-fool")]
    assert found(m, "tmf is not it") == []
    # "Pi" the computer, not the number
    assert found(m, "pop it into the Pi image; pi to a million digits") == [("Pi", "raspberry-pi")]
    assert found(m, "Ai and ai") == []


@pytest.mark.parametrize("engine", ENGINES)
def test_possessives_straight_and_curly(small, engine):
    m = crosslink.Matcher(small, engine)
    text = "Liang's team, DeepSeek’s model, Reuters’ report"
    hits = m.find(text)
    assert [(text[s:e], eid) for s, e, _, eid in hits] == [
        ("Liang's", "liang-wenfeng"), ("DeepSeek’s", "deepseek"), ("Reuters’", "reuters")]
    # the name itself ends before the possessive
    assert [text[s:n] for s, _, n, _ in hits] == ["Liang", "DeepSeek", "Reuters"]


@pytest.mark.parametrize("engine", ENGINES)
def test_misspellings_from_the_scrapes(small, engine):
    m = crosslink.Matcher(small, engine)
    text = "Lian Wenfeng built Deepseek; ChatGTP ran on Nvidea chips; the latest Rasberry Pi"
    assert found(m, text) == [("Lian Wenfeng", "liang-wenfeng"), ("Deepseek", "deepseek"),
                              ("ChatGTP", "chatgpt"), ("Nvidea", "nvidia"), ("Rasberry Pi", "raspberry-pi")]


@pytest.mark.parametrize("engine", ENGINES)
def test_no_match_inside_other_words(small, engine):
    m = crosslink.Matcher(small, engine)
    assert found(m, "the Liangzhu culture") == []
    assert found(m, "he said, AIDS, TAIWAN, MAIL, chair") == []
    assert found(m, "Wenfengs and preLiang and DeepSeeker") == []
    assert found(m, "R1D2 and XR1") == []
    # a hyphen or a quote is a boundary
    assert found(m, "DeepSeek-style ‘AI’") == [("DeepSeek", "deepseek"), ("AI", "ai")]


@pytest.mark.parametrize("engine", ENGINES)
def test_longest_alias_wins(small, engine):
    m = crosslink.Matcher(small, engine)
    assert found(m, "DeepSeek-R1 and Liang Wenfeng and R1") == [
        ("DeepSeek-R1", "deepseek-r1"), ("Liang Wenfeng", "liang-wenfeng"), ("R1", "deepseek-r1")]


@pytest.mark.parametrize("engine", ENGINES)
def test_chinese_alias_needs_no_spaces(small, engine):
    m = crosslink.Matcher(small, engine)
    assert found(m, "格物自知 + 跨越时空 +王阳明骨髓 = 👍") == [("王阳明", "wang-yangming")]


def test_dotted_alias(small):
    m = crosslink.Matcher(small)
    assert found(m, "the A.I. world and A.I.-driven") == [("A.I.", "ai"), ("A.I.", "ai")]


def test_both_engines_agree_on_the_real_texts(site):
    g = crosslink.load_glossary(crosslink.glossary_path(SEEDS))
    if crosslink.ahocorasick is None:
        pytest.skip("pyahocorasick is not installed")
    a, r = crosslink.Matcher(g, "ahocorasick"), crosslink.Matcher(g, "regex")
    for d in site[0]:
        assert a.find(d.text) == r.find(d.text), d.seed


def test_real_misspellings_are_found(site, extras):
    by_slug = {d.slug: d for d in site[0]}
    def forms(slug, eid):
        d = by_slug[slug]
        return {d.text[m.start:m.name_end] for m in extras.mentions[d.seed] if m.entity == eid}
    assert {"Lian Wenfeng", "Wenfeng"} <= forms("motley-fool-innovation-deepseek-china", "liang-wenfeng")
    assert "TMF" in forms("motley-fool-innovation-deepseek-china", "motley-fool")
    assert "ChatGTP" in forms("moon-of-alabama-chinese-beat-trump-openai", "chatgpt")
    assert "Nvidea" in forms("moon-of-alabama-chinese-beat-trump-openai", "nvidia")
    assert "Rasberry Pi" in forms("moon-of-alabama-chinese-beat-trump-openai", "raspberry-pi")
    assert "High Flyer" in forms("substack-comments-liang-wenfeng-interview", "high-flyer")
    assert "High-Flyer" in forms("moon-of-alabama-chinese-beat-trump-openai", "high-flyer")
    # "pi to a million digits" is not the computer
    moa = by_slug["moon-of-alabama-chinese-beat-trump-openai"]
    pis = [m for m in extras.mentions[moa.seed] if m.entity == "raspberry-pi"]
    assert all(moa.text[m.start:m.name_end] != "pi" for m in pis)


# --- one pass -----------------------------------------------------------------------

def test_one_pass_per_text(site, monkeypatch):
    g = crosslink.load_glossary(crosslink.glossary_path(SEEDS))
    m = crosslink.Matcher(g)
    calls = []
    real = m._raw
    monkeypatch.setattr(m, "_raw", lambda folded: calls.append(len(folded)) or real(folded))
    for d in site[0]:
        calls.clear()
        crosslink.find_mentions(d, m)
        assert calls == [len(d.text)], f"{d.seed}: scanned {len(calls)} times"


def test_matcher_builds_one_pattern_for_all_aliases(small):
    m = crosslink.Matcher(small, "regex")
    assert isinstance(m._regex, re.Pattern)       # one compiled pattern, not one per entity
    for e in small.entities.values():
        for a in e.aliases:
            key = crosslink.fold_alias(a)
            assert m._regex.match(key).group(1) == key, a
    if crosslink.ahocorasick is not None:
        a = crosslink.Matcher(small, "ahocorasick")
        assert len(a._automaton) == len(a.table)   # one automaton holding every alias


@pytest.mark.parametrize("engine", ENGINES)
def test_scales_to_a_thousand_entities(tmp_path, engine):
    rows = ["entities:"]
    for i in range(1000):
        rows += [f"  - id: e{i}", f"    name: Entity{i} Name", "    kind: concept",
                 f"    aliases: [Ent{i}, Alias{i}x]", "    description: A generated entity."]
    g = glossary_from(tmp_path, "\n".join(rows))
    m = crosslink.Matcher(g, engine)
    text = " ".join(f"word Entity{i % 1000} Name and ent{i % 997} plus filler" for i in range(20000))
    t0 = time.perf_counter()
    hits = m.find(text)
    elapsed = time.perf_counter() - t0
    assert len(hits) == 40000
    assert elapsed < 10, f"{engine}: {elapsed:.1f}s for {len(text)} characters"


# --- link policy --------------------------------------------------------------------

def test_first_mention_in_body_and_in_each_comment_is_linked(site, extras):
    for d in site[0]:
        ms = extras.mentions[d.seed]
        linked = [m for m in ms if m.linked]
        scopes = set()
        for m in linked:
            b = d.blocks[m.block]
            assert b.kind not in ("title", "heading")
            scope = ("comment", b.comment) if b.section == "comments" else ("body",)
            assert (scope, m.entity) not in scopes, f"{d.seed}: two links to {m.entity} in {scope}"
            scopes.add((scope, m.entity))
        # every entity mentioned in a scope outside titles and headings has its link there
        for m in ms:
            b = d.blocks[m.block]
            if b.kind in ("title", "heading"):
                continue
            scope = ("comment", b.comment) if b.section == "comments" else ("body",)
            assert (scope, m.entity) in scopes, (d.seed, m.entity)


def test_a_marked_change_inside_a_name_keeps_its_markup(site, extras):
    """'hard-core' restored from the board's word filter: the link covers 'innovation'."""
    from scripts.core.inline import INLINE_KINDS, final_positions
    docs, files = site
    mf = next(d for d in docs if d.slug == "motley-fool-innovation-deepseek-china")
    marked = [(p.start, p.end) for p in final_positions(mf) if p.change.kind in INLINE_KINDS]
    ms = [m for m in extras.mentions[mf.seed] if m.entity == "original-innovation"]
    assert ms and all(any(m.start < e and s < m.end for s, e in marked) for m in ms)
    linked = [m for m in ms if m.linked]
    assert len(linked) == 1 and mf.text[linked[0].link_start:linked[0].link_end] == "innovation"
    assert "[innovation](../who-and-what/original-innovation.md" in files[pages.text_path(mf)]


def test_mentions_lie_inside_blocks(site, extras):
    for d in site[0]:
        for m in extras.mentions[d.seed]:
            b = d.blocks[m.block]
            assert b.start <= m.start < m.end <= b.end


def test_entity_links_on_text_pages(site, extras):
    docs, files = site
    for d in docs:
        page = files[pages.text_path(d)]
        targets = set(re.findall(r'\]\(\.\./who-and-what/([a-z0-9-]+)\.md "', page))
        assert targets == {m.entity for m in extras.mentions[d.seed] if m.linked}
        for t in targets:
            assert pages.entity_path(t) in files
        # the title attribute of a name's first link carries its one-line
        # description; later links to the same name go without it
        for e in targets:
            links = re.findall(rf'\]\(\.\./who-and-what/{e}\.md( "[^"]+")?\)\{{: \.ent \}}', page)
            assert links[0] and not any(links[1:]), (d.slug, e, links)


# --- backlinks ----------------------------------------------------------------------

_LINK = re.compile(r"\]\(\.\./texts/([a-z0-9-]+)\.md#(p-[0-9a-f]{8}(?:-\d+)?)\)")


def _ids(page: str) -> set[str]:
    return set(re.findall(r"\{: #(p-[0-9a-f]{8}(?:-\d+)?)[ }]", page))


def test_entity_pages_list_every_mention_with_working_links(site, extras):
    docs, files = site
    ids = {d.slug: _ids(files[pages.text_path(d)]) for d in docs}
    for eid in extras.glossary.entities:
        page = files[pages.entity_path(eid)]
        listed = _LINK.findall(page)
        for slug, pid in listed:
            assert pid in ids[slug], f"{eid}: link to {slug}#{pid}, which is not a paragraph there"
        expected = {(d.slug, d.blocks[m.block].id) for d in docs for m in extras.mentions[d.seed] if m.entity == eid}
        assert set(listed) == expected, eid
        n = sum(1 for d in docs for m in extras.mentions[d.seed] if m.entity == eid)
        assert page.count("**") // 2 == n, f"{eid}: {n} mentions but {page.count('**') // 2} marked"


def test_links_resolve_in_docs_folder_too():
    """The pages written by `python -m scripts build` (docs/), when present."""
    docs_dir = ROOT / "docs"
    if not (docs_dir / "who-and-what").is_dir():
        pytest.skip("docs/ has not been built")
    ids = {p.stem: _ids(p.read_text(encoding="utf-8")) for p in (docs_dir / "texts").glob("*.md")}
    for p in (docs_dir / "who-and-what").glob("*.md"):
        for slug, pid in _LINK.findall(p.read_text(encoding="utf-8")):
            assert pid in ids[slug], f"{p.name}: {slug}#{pid}"


def test_two_clicks_between_texts_sharing_a_name(site, extras):
    """Text A -> entity page -> text B, for every entity two texts share."""
    docs, files = site
    for eid in extras.glossary.entities:
        texts = [d for d in docs if any(m.entity == eid for m in extras.mentions[d.seed])]
        if len(texts) < 2:
            continue
        page = files[pages.entity_path(eid)]
        for d in texts:
            assert f"../who-and-what/{eid}.md" in files[pages.text_path(d)], (eid, d.slug)
            assert f"../texts/{d.slug}.md#" in page, (eid, d.slug)


def test_theme_passages_are_linked_both_ways(site, extras):
    docs, files = site
    ids = {d.slug: _ids(files[pages.text_path(d)]) for d in docs}
    assert len(extras.themes) >= 6
    for t in extras.themes:
        theme_page = files[pages.theme_path(t.id)]
        for k, p in enumerate(t.passages, 1):
            assert f"../texts/{p.doc.slug}.md#{p.block_id}" in theme_page
            text_page = files[pages.text_path(p.doc)]
            note = re.search(rf'id="sn-x-{t.id}-{k}".*?</span></span>|id="sn-x-{t.id}-{k}".*?</span>(?=\s|$)',
                             text_page, re.S)
            assert f'for="sn-x-{t.id}-{k}"' in text_page
            assert 'sn-cross-reference' in text_page
            # the note links to the theme page (which lists every passage) and
            # to the first passage of the theme in every other text
            # (a long note: its margin has the first words, the notes in full the rest)
            start = text_page.index(f'id="sn-x-{t.id}-{k}"')
            body = text_page[start:text_page.index("</small>", start)]
            if 'class="sn-more"' in body:
                end = text_page.index(f"{{: #en-x-{t.id}-{k} .endnote }}")
                body += text_page[text_page.rindex("\n", 0, end - 1):end]
            assert f"../themes/{t.id}.md" in body
            firsts = {}
            for q in t.passages:
                if q is not p:
                    firsts.setdefault(q.doc.slug, q)
            for q in firsts.values():
                target = f"#{q.block_id}" if q.doc is p.doc else f"{q.doc.slug}.md#{q.block_id}"
                assert target in body, (t.id, k, target)
                assert q.block_id in ids[q.doc.slug]


def test_cross_reference_notes_are_numbered_with_the_other_notes(extras):
    for seed, notes in extras.notes.items():
        assert sorted(n.number for n in notes) == list(range(1, len(notes) + 1)), seed
        assert len({n.id for n in notes}) == len(notes)


# --- stable permalinks --------------------------------------------------------------------

def _blocks(text: str) -> list[Block]:
    out, pos = [], 0
    for p in text.split("\n\n"):
        out.append(Block("para", pos, pos + len(p)))
        pos += len(p) + 2
    return out


def test_permalinks_survive_edits_to_other_paragraphs():
    paras = ["DeepSeek was founded in 2023.", "Liang Wenfeng runs it.", "High-Flyer pays for it."]
    text = "\n\n".join(paras)
    blocks = _blocks(text)
    structure.assign_ids(text, blocks)
    before = [b.id for b in blocks]
    # change the middle paragraph, insert one at the top
    paras2 = ["A new opening paragraph.", paras[0], "Liang Wenfeng still runs it, they say.", paras[2]]
    text2 = "\n\n".join(paras2)
    blocks2 = _blocks(text2)
    structure.assign_ids(text2, blocks2)
    after = [b.id for b in blocks2]
    assert after[1] == before[0] and after[3] == before[2]
    assert after[2] != before[1]
    # the id depends on the words only, not on spacing, case or punctuation
    assert structure.block_id("Liang  Wenfeng runs it.") == structure.block_id("liang wenfeng runs it")
    # repeated paragraphs get distinct ids
    rep = "Same words.\n\nSame words."
    rb = _blocks(rep)
    structure.assign_ids(rep, rb)
    assert rb[0].id != rb[1].id and rb[1].id.startswith(rb[0].id)


def test_real_permalinks_are_unique_and_match_the_paragraph_words(site):
    for d in site[0]:
        ids = [b.id for b in d.blocks]
        assert len(ids) == len(set(ids)), d.seed
        for b in d.blocks:
            assert re.fullmatch(r"p-[0-9a-f]{8}(-\d+)?", b.id)


# --- pages and pictures -------------------------------------------------------------------

def _resolve(from_page: str, href: str, files: dict) -> tuple[str, str]:
    """The generated .md file and anchor a directory-style URL in raw HTML points to."""
    url, _, anchor = href.partition("#")
    if not url:
        return from_page, anchor
    base = posixpath.dirname(page_links._url_of(from_page, True).rstrip("/")) if from_page != "index.md" else ""
    src_dir = page_links._url_of(from_page, True)
    path = posixpath.normpath(posixpath.join(src_dir, url)).strip("/")
    for cand in (f"{path}.md", f"{path}/index.md", "index.md" if path in ("", ".") else None):
        if cand and cand in files:
            return cand, anchor
    raise AssertionError(f"{from_page}: {href} points to no page (tried {path}) {base}")


def _anchors(page: str) -> set[str]:
    return set(re.findall(r"\{: #([A-Za-z0-9_-]+)", page)) | set(re.findall(r'id="([^"]+)"', page))


def test_connections_picture_is_there_and_its_links_work(site):
    docs, files = site
    page = files["connections.md"]
    svg = re.search(r"<svg class=\"xl-connections\".*?</svg>", page, re.S)
    assert svg, "no SVG on the connections page"
    svg = svg.group()
    assert "<script" not in svg and "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "currentColor" in svg              # drawn in the text colour: readable in both palettes
    assert "\n\n" not in svg                  # one raw HTML block for Markdown
    hrefs = re.findall(r'href="([^"]+)"', svg)
    assert len(hrefs) > 50
    for d in docs:                            # every text is a column
        assert any(h.startswith(f"../texts/{d.slug}/") for h in hrefs)
    for h in hrefs:
        target, anchor = _resolve("connections.md", html.unescape(h), files)
        if anchor:
            assert anchor in _anchors(files[target]), f"{h}: no #{anchor} on {target}"
    # the table version carries the same rows
    assert "## As a table" in page
    assert page.count("](themes/") >= 6 and "](who-and-what/deepseek.md)" in page


def test_timeline_page_links_to_where_events_are_mentioned(site, extras):
    docs, files = site
    page = files["timeline.md"]
    ids = {d.slug: _ids(files[pages.text_path(d)]) for d in docs}
    assert len(extras.timeline) >= 20
    for ev in extras.timeline:
        assert f"{{: #{ev.id} .xl-event }}" in page
    for slug, pid in re.findall(r"\]\(texts/([a-z0-9-]+)\.md#(p-[0-9a-f]{8}(?:-\d+)?)\)", page):
        assert pid in ids[slug]
    svg = re.search(r"<svg class=\"xl-timeline-strip\".*?</svg>", page, re.S).group()
    for h in re.findall(r'href="([^"]+)"', svg):
        target, anchor = _resolve("timeline.md", html.unescape(h), files)
        assert target == "timeline.md" and anchor in {e.id for e in extras.timeline}
    whens = [e.when for e in extras.timeline]
    assert whens == sorted(whens)
    assert all(e.sources for e in extras.timeline if e.status == "verified")


def test_who_and_what_index_and_abbreviations(site, extras):
    docs, files = site
    index = files["who-and-what/index.md"]
    for eid in extras.glossary.entities:
        assert f"]({eid}.md)" in index
    mf = files["texts/motley-fool-innovation-deepseek-china.md"]
    assert "*[TMF]: The Motley Fool" in mf
    # definitions come from the glossary only, one per abbreviation used on the page
    defs = re.findall(r"^\*\[([^\]]+)\]: (.*)$", mf, re.M)
    assert defs and all(extras.glossary.abbreviations[k] == v for k, v in defs)
    assert len({k for k, _ in defs}) == len(defs)


def test_snippets_escape_scraped_text(tmp_path, small):
    text = "A <script>alert(1)</script> *note* [link](x) by Liang {: #x } and more words here"
    doc = Document(seed="x.txt", raw=b"", meta={"slug": "x"}, text=text)
    doc.blocks = [Block("para", 0, len(text))]
    m = crosslink.Matcher(small)
    ms = crosslink.find_mentions(doc, m)
    out = entity_pages.snippet(doc, doc.blocks[0], [(x.start, x.end) for x in ms])
    assert "<script>" not in out and "[link]" not in out and "{:" not in out and "*note*" not in out
    assert "**Liang**" in out


# --- errors in the data files ------------------------------------------------------------------

def _write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_unknown_entity_in_a_theme_says_did_you_mean(tmp_path, site, extras):
    p = _write(tmp_path, "themes.yml", """themes:
  - id: t
    title: T
    summary: S
    entities: [liang-wenfen]
    passages:
      - text: motley-fool-innovation-deepseek-china
        exact: Hungry ambitious
      - text: deepseek-shock-wave-essay
        exact: Among the 140 members
""")
    with pytest.raises(EditionError) as exc:
        pages.load_themes(p, site[0], extras.glossary)
    e = exc.value
    assert e.path.endswith("themes.yml") and e.line == 5
    assert "liang-wenfen" in e.message and "did you mean 'liang-wenfeng'" in e.hint


def test_unknown_entity_in_the_timeline_says_did_you_mean(tmp_path, site, extras):
    p = _write(tmp_path, "timeline.yml", """events:
  - id: e
    when: "2025"
    date: "2025"
    title: T
    text: X
    status: unverified
    entities: [deepsek]
    mentions:
      - text: deepseek-shock-wave-essay
        exact: Among the 140 members
""")
    with pytest.raises(EditionError) as exc:
        pages.load_timeline(p, site[0], extras.glossary)
    assert exc.value.line == 8 and "did you mean 'deepseek'" in exc.value.hint


def test_a_quote_that_matches_nothing_names_file_line_and_nearest(tmp_path, site, extras):
    p = _write(tmp_path, "timeline.yml", """events:
  - id: e
    when: 2025-01
    date: January 2025
    title: T
    text: X
    status: unverified
    mentions:
      - text: deepseek-shock-wave-essay
        exact: Among the 141 members
""")
    with pytest.raises(EditionError) as exc:
        pages.load_timeline(p, site[0], extras.glossary)
    assert exc.value.line == 9 and "matches nothing" in exc.value.message
    assert "Among the 140 members" in exc.value.hint


def test_unknown_text_and_bad_dates(tmp_path, site, extras):
    p = _write(tmp_path, "timeline.yml", """events:
  - id: e
    when: 2025-01
    date: January 2025
    title: T
    text: X
    status: unverified
    mentions:
      - text: deepseek-shock-wave-esay
        exact: Among the 140 members
""")
    with pytest.raises(EditionError) as exc:
        pages.load_timeline(p, site[0], extras.glossary)
    assert "did you mean 'deepseek-shock-wave-essay'" in exc.value.hint
    p = _write(tmp_path, "timeline.yml", """events:
  - id: e
    when: January 2025
    date: January 2025
    title: T
    text: X
    status: unverified
    mentions:
      - text: deepseek-shock-wave-essay
        exact: Among the 140 members
""")
    with pytest.raises(EditionError) as exc:
        pages.load_timeline(p, site[0], extras.glossary)
    assert exc.value.line == 3 and "YYYY" in exc.value.hint


def test_glossary_errors(tmp_path):
    with pytest.raises(EditionError) as exc:
        glossary_from(tmp_path, """entities:
  - id: a
    name: A
    kind: person
    aliases: [Liang]
    description: x
  - id: b
    name: B
    kind: person
    aliases: [liang]
    description: y
""")
    assert "also an alias of 'a'" in exc.value.message and exc.value.line == 10
    with pytest.raises(EditionError) as exc:
        glossary_from(tmp_path, """entities:
  - id: a
    name: A
    kind: persn
    description: x
""")
    assert exc.value.line == 4 and "did you mean 'person'" in exc.value.hint
    with pytest.raises(EditionError) as exc:
        glossary_from(tmp_path, """entities:
  - id: a
    name: Pi
    kind: product
    aliases: [Raspberry Pi]
    case_sensitive: [PI]
    description: x
""")
    assert "case_sensitive" in exc.value.message and "did you mean 'Pi'" in exc.value.hint
    with pytest.raises(EditionError) as exc:
        glossary_from(tmp_path, """entities:
  - id: a
    name: A
    kind: person
    descripton: x
""")
    assert "did you mean 'description'" in exc.value.hint


def test_a_theme_needs_two_texts(tmp_path, site, extras):
    p = _write(tmp_path, "themes.yml", """themes:
  - id: t
    title: T
    summary: S
    passages:
      - text: deepseek-shock-wave-essay
        exact: Among the 140 members
""")
    with pytest.raises(EditionError) as exc:
        pages.load_themes(p, site[0], extras.glossary)
    assert "only one text" in exc.value.message and exc.value.line == 2


def test_pages_do_not_depend_on_hash_order():
    """Two builds in processes with different hash seeds give the same cross-link pages."""
    import subprocess
    code = ("import hashlib, sys; sys.path.insert(0, %r)\n"
            "from scripts.core import corpus\nfrom scripts.tools import build\n"
            "d, f = build.generate(corpus.SEEDS)\n"
            "keys = sorted(k for k in f if k.startswith(('who-and-what/', 'themes/', 'texts/')) "
            "or k in ('connections.md', 'timeline.md'))\n"
            "print(hashlib.sha256(''.join(k + f[k] for k in keys).encode()).hexdigest())\n") % str(ROOT)
    outs = set()
    for seed in ("1", "2"):
        env = {"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"}
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT)
        assert r.returncode == 0, r.stderr
        outs.add(r.stdout.strip())
    assert len(outs) == 1
