"""Reading the edition as issue 13 asks: the figures a reader meets, measured
in Chromium (notes beside their lines, a quiet page, few Tab stops, a clean
search index, name previews from any address, page height on a phone, print)
and the site's own words (no fixed count of texts).

Skipped, saying why, when /usr/bin/chromium is missing (except the checks
that read the built files).
"""
from __future__ import annotations

import json
import re
import html as htmllib
from pathlib import Path

import pytest

from browser_util import chromium_missing_reason, page_paths, serve_site

NYT = "texts/nyt-deepseek-china-talent/"
_missing = chromium_missing_reason()
needs_browser = pytest.mark.skipif(_missing is not None, reason=_missing or "")


@pytest.fixture(scope="module")
def text_paths(site):
    """The text pages (not the texts' change-table pages, texts/SLUG/changes/)."""
    return [p for p in page_paths(site) if p.startswith("texts/") and p != "texts/" and not p.endswith("/changes/")]


def test_change_pages_stay_out_of_search_and_link_to_their_words(site):
    """Each text's change tables have a page of their own: not in the search index
    (scraped readings would garble results), every row's link reaching its word."""
    pages = [p for p in page_paths(site) if p.startswith("texts/") and p.endswith("/changes/")]
    assert pages, "no change-table pages were built"
    indexed = {d["location"].split("#")[0] for d in _search_index(site)}
    rows = 0
    for path in pages:
        assert path not in indexed, f"{path} is in the search index"
        text_path = path[:-len("changes/")]
        text_html = (site / text_path / "index.html").read_text(encoding="utf-8")
        assert f'href="changes/"' in text_html, f"{text_path} does not link to its change tables"
        ids = set(re.findall(r'id="([^"]+)"', text_html))
        for target in re.findall(r'<a href="\.\./#([^"]+)">In the text</a>',
                                 (site / path / "index.html").read_text(encoding="utf-8")):
            rows += 1
            assert target in ids, f"{path}: row links to #{target}, which {text_path} does not have"
    assert rows > 300          # the restored article alone has over 300 marked changes


def _page(browser, width: int, height: int = 900, **kw):
    ctx = browser.new_context(viewport={"width": width, "height": height}, **kw)
    return ctx, ctx.new_page()


_NOTE_DISTANCES = """() => [...document.querySelectorAll('.md-content .sidenote')].map(n => {
    const ref = document.getElementById(n.getAttribute('aria-labelledby'));
    const a = ref.getBoundingClientRect(), b = n.getBoundingClientRect();
    return {id: ref.id, d: b.top - a.top, top: b.top + scrollY, bottom: b.bottom + scrollY,
            left: b.left, right: b.right};
})"""


@needs_browser
def test_margin_notes_start_beside_their_calls_on_every_text_page(browser, base, text_paths):
    """At 1440 px: 90% of notes within 150 px of their call, none beyond 450, none overlapping."""
    ctx, page = _page(browser, 1440)
    problems, seen = [], 0
    for path in text_paths:
        page.goto(base + path, wait_until="load")
        notes = page.evaluate(_NOTE_DISTANCES)
        if not notes:
            continue
        seen += 1
        dist = [abs(n["d"]) for n in notes]
        near = sum(d <= 150 for d in dist) / len(dist)
        print(f"{path}: {len(dist)} notes, {near:.0%} within 150 px, farthest {max(dist):.0f} px")
        if near < 0.9:
            problems.append(f"{path}: only {near:.0%} of {len(dist)} notes start within 150 px of their call")
        for n, d in zip(notes, dist):
            if d > 450:
                problems.append(f"{path}: note {n['id']} starts {d:.0f} px from its call")
        ordered = sorted(notes, key=lambda n: n["top"])
        for a, b in zip(ordered, ordered[1:]):
            if b["top"] < a["bottom"] - 1 and b["left"] < a["right"] and a["left"] < b["right"]:
                problems.append(f"{path}: notes {a['id']} and {b['id']} overlap")
    ctx.close()
    assert seen, "no text page has margin notes"
    assert not problems, "\n".join(problems)


@needs_browser
def test_hovering_a_note_moves_no_other_note(browser, base, text_paths):
    ctx, page = _page(browser, 1440)
    page.goto(base + text_paths[0], wait_until="load")
    def where():
        return [(n["id"], round(n["top"]), round(n["bottom"]), round(n["left"])) for n in page.evaluate(_NOTE_DISTANCES)]
    before = where()
    notes = page.locator(".md-content .sidenote")
    for i in range(min(notes.count(), 6)):
        notes.nth(i).locator(".sn-kind").hover()
        page.wait_for_timeout(100)
        assert where() == before, f"hovering note {i} moved the notes"
    ctx.close()


_MARKED_WORDS = """() => {
  const root = document.querySelector('.md-content .md-typeset');
  const stop = document.getElementById('notes') || document.getElementById('changes');
  let total = 0, marked = 0;
  const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (w.nextNode()) {
    const t = w.currentNode, el = t.parentElement;
    if (stop && (stop.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING)) break;
    if (el.closest('.sidenote, .sn-ref, .text-source, .headerlink') || !el.getClientRects().length) continue;
    const n = (t.textContent.match(/\\S+/g) || []).length;
    total += n;
    for (let e = el; e && e !== root; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.textDecorationLine !== 'none' || parseFloat(s.borderBottomWidth) > 0) { marked += n; break; }
    }
  }
  return {total, marked};
}"""

_LUMINANCE = """(c) => {
  const m = c.match(/[\\d.]+/g).map(Number);
  const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(m[0]) + 0.7152 * f(m[1]) + 0.0722 * f(m[2]);
}"""


@needs_browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_restored_article_is_quiet_and_its_marks_have_contrast(browser, base, scheme):
    ctx, page = _page(browser, 1440, color_scheme=scheme)
    page.goto(base + NYT, wait_until="load")
    page.evaluate("localStorage.removeItem('edition.view')")
    page.reload()
    m = page.evaluate(_MARKED_WORDS)
    share = m["marked"] / m["total"]
    print(f"{scheme}: {m['marked']} of {m['total']} words underlined ({share:.1%})")
    assert m["total"] > 500
    assert share <= 0.15, f"{share:.0%} of the restored article's words are underlined"
    # the marks shown in "Changes marked", names and abbreviations: 3:1 against the page
    page.locator(".view-switch [data-view=marked]").click()
    ratios = page.evaluate("""lum => {
        const L = eval(lum);
        const bg = L(getComputedStyle(document.body).backgroundColor);
        const out = {};
        for (const sel of ['.md-content .chg', '.md-content a.ent', '.md-content abbr[title]']) {
            const e = document.querySelector(sel);
            if (!e) continue;
            const s = getComputedStyle(e);
            // a translucent colour is drawn over the page background
            const m = s.textDecorationColor.match(/[\\d.]+/g).map(Number);
            const a = m.length > 3 ? m[3] : 1;
            const bgc = getComputedStyle(document.body).backgroundColor.match(/[\\d.]+/g).map(Number);
            const mix = [0, 1, 2].map(i => m[i] * a + bgc[i] * (1 - a));
            const fg = L(`rgb(${mix.join(',')})`);
            out[sel] = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
        }
        return out;
    }""", _LUMINANCE)
    page.evaluate("localStorage.removeItem('edition.view')")
    ctx.close()
    low = {k: round(v, 2) for k, v in ratios.items() if v < 3}
    assert ratios and not low, f"marks under 3:1 contrast ({scheme}): {low}"


_TAB_STOPS = """() => {
  const stop = document.getElementById('changes');
  return [...document.querySelectorAll('.md-content :is(a[href], button, input, summary, [tabindex])')].filter(e => {
    if (e.tabIndex < 0 || e.disabled) return false;
    if (stop && (stop.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING)) return false;
    const s = getComputedStyle(e);
    if (s.display === 'none' || s.visibility === 'hidden') return false;
    if (e.tagName !== 'SUMMARY' && e.closest('details:not([open])')) return false;
    return e.getClientRects().length > 0 || e.type === 'checkbox';
  }).length;
}"""


@needs_browser
@pytest.mark.parametrize("width", [1440, 390])
def test_the_restored_article_has_at_most_250_tab_stops(browser, base, width):
    ctx, page = _page(browser, width)
    page.goto(base + NYT, wait_until="load")
    n = page.evaluate(_TAB_STOPS)
    # and the count agrees with what Tab does
    page.evaluate("""() => { window.__stops = 0; document.addEventListener('focusin', e => {
        if (e.target.closest('.md-content')) window.__stops++; }); }""")
    page.locator(".md-content h1").evaluate("e => { e.tabIndex = -1; e.focus(); }")
    for _ in range(n + 5):
        page.keyboard.press("Tab")
        if page.evaluate("""() => { const c = document.getElementById('changes'), a = document.activeElement;
            return !!(c.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING) || a === document.body; }"""):
            break
    pressed = page.evaluate("window.__stops")
    ctx.close()
    print(f"{width} px: {n} Tab stops in the restored article's main content ({pressed} reached by Tab)")
    assert n <= 250 and pressed <= 251, f"{n} Tab stops ({pressed} by Tab)"


@needs_browser
def test_notes_open_and_close_with_enter_and_space_on_a_phone(browser, base):
    ctx, page = _page(browser, 390, 844, has_touch=True)
    page.goto(base + NYT, wait_until="load")
    toggle = page.locator(".md-content .sn-toggle").first
    note = page.locator(".md-content .sn-toggle + .sidenote").first
    toggle.focus()
    for key in ("Enter", "Space"):
        page.keyboard.press(key)
        assert note.is_visible(), f"{key} does not open the note"
        page.keyboard.press(key)
        assert not note.is_visible(), f"{key} does not close the note"
    ctx.close()


@needs_browser
def test_a_long_note_opened_on_a_phone_reads_whole_and_stays_short_in_the_margin(browser, base):
    """A long note's words are on the page once, under "Notes in full"; opened
    by its number on a phone, the note shows them all under its line, and on
    a wide screen the margin still shows its first words and the link."""
    ctx, page = _page(browser, 390, 844, has_touch=True)
    page.goto(base + NYT, wait_until="load")
    note = page.locator(".md-content .sn-toggle + .sidenote.sn-long").first
    toggle_id = note.evaluate("n => n.previousElementSibling.id")
    full = page.locator("#" + note.locator("a.sn-more").get_attribute("href")[1:])
    whole = full.evaluate("""e => { const c = e.cloneNode(true);
        c.querySelectorAll('.en-kind, .en-back').forEach(x => x.remove()); return c.textContent; }""").split()
    assert len(whole) > 25
    shut = "".join(note.evaluate("n => n.textContent").split())
    assert "".join(whole) not in shut, "the whole note is in the margin markup twice"
    page.locator(f"label[for='{toggle_id}']").tap()
    assert note.is_visible()
    # (compared without spaces: the sources line is a block of its own)
    assert "".join(whole) in "".join(note.inner_text().split())
    assert not note.locator("a.sn-more").is_visible()
    page.set_viewport_size({"width": 1440, "height": 900})
    assert note.locator("a.sn-more").is_visible()
    assert "".join(whole) not in "".join(note.inner_text().split())
    ctx.close()


def test_the_edition_styles_are_in_every_page_head_once(site):
    """The edition's styles are written into each page's head (one request
    fewer before a phone can paint), after Material's, never as a stray file."""
    styles = Path(__file__).resolve().parents[1] / "scripts/site/overrides/partials/edition-styles.html"
    source = styles.read_text(encoding="utf-8")
    body = source.split("-#}", 1)[1]
    assert not re.search(r"\{\{|\{%|\{#", body), "the styles hold a template delimiter"
    for path in page_paths(site) + ["404.html"]:
        page = (site / path / "index.html" if not path.endswith(".html") else site / path).read_text(encoding="utf-8")
        head = page[:page.index("</head>")]
        assert head.count("The edition's own styles") == 1, path
        assert head.index("The edition's own styles") > head.index("assets/stylesheets/main."), path
        assert "edition.css" not in page, path
    assert not (site / "edition.css").exists() and not (site / "assets" / "edition.css").exists()


def test_scripts_wait_until_the_text_is_in(site, text_paths):
    """A text page can be painted before any script file arrives: Material's
    bundle and edition.js are deferred (once each), and the edition's two
    scripts that must run before the bundle stand after the text, not in
    the head where they would delay it."""
    for path in ["", *text_paths]:
        page = (site / path / "index.html").read_text(encoding="utf-8")
        tags = re.findall(r"<script\b[^>]*\bsrc=[^>]*>", page)
        assert any("bundle." in t for t in tags) and any("edition.js" in t for t in tags), path
        for tag in tags:
            assert len(re.findall(r"\bdefer\b", tag)) == 1, f"{path}: {tag}"
        body = page.index("<body")
        for marker in ("SVGAElement", "search_index"):
            at = page.index(marker)
            assert at > body and at > page.rindex("</article>"), f"{path}: the {marker} script comes before the text"
            assert at < page.index("bundle."), f"{path}: the {marker} script runs after Material's bundle"


@needs_browser
def test_the_search_index_is_fetched_when_the_search_is_opened_not_on_load(browser, base):
    """The site's search index is large; a page asks for it only when the
    reader opens the search, which then finds words as before."""
    for width in (390, 1440):
        ctx, page = _page(browser, width, 844, has_touch=width < 600)
        asked = []
        page.on("request", lambda r: asked.append(r.url) if "search_index.json" in r.url else None)
        page.goto(base + NYT, wait_until="load")
        page.wait_for_timeout(800)
        assert not asked, f"{width} px: the search index is fetched on load"
        if width < 600:
            page.locator("label.md-header__button[for=__search]").click()
        else:
            page.locator(".md-search__input").click()
        page.locator(".md-search__input").fill("Zhejiang")
        page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=8000)
        assert len(asked) == 1, asked
        ctx.close()


@needs_browser
def test_the_notes_in_full_keep_room_for_themselves_until_laid_out(browser, base, text_paths):
    """The notes in full are laid out only when scrolled near; until then
    their box is at least as tall as they are, down to a 320 px phone, so
    nothing after them is drawn over (links on top of links)."""
    ctx, page = _page(browser, 320, 700)
    measured = 0
    for path in text_paths:
        page.goto(base + path, wait_until="load")
        r = page.evaluate("""() => { const e = document.querySelector('.md-content .endnotes');
            if (!e) return null;
            const held = e.getBoundingClientRect().height;
            e.style.contentVisibility = 'visible';
            return [held, e.getBoundingClientRect().height, getComputedStyle(e).contentVisibility]; }""")
        if r is None:
            continue
        measured += 1
        assert r[0] >= r[1] > 100, f"{path}: the notes' box holds {r[0]:.0f} px, they take {r[1]:.0f} px"
    assert measured >= 3
    ctx.close()


@needs_browser
def test_the_restored_article_is_at_most_30000_px_tall_on_a_phone(browser, base):
    ctx, page = _page(browser, 390, 844)
    page.goto(base + NYT, wait_until="load")
    # scroll through, so that parts laid out only when near are measured at their real size
    h = page.evaluate("document.documentElement.scrollHeight")
    for y in range(0, h, 800):
        page.evaluate(f"window.scrollTo(0, {y})")
    page.wait_for_timeout(100)
    h = page.evaluate("document.documentElement.scrollHeight")
    ctx.close()
    print(f"restored article at 390 px: {h} px tall")
    assert h <= 30000


# Lighthouse's mobile device: its accessibility audits run once the page has
# loaded, without scrolling, so what lies below the first screen is measured
# as laid out then
_LIGHTHOUSE_PHONE = dict(viewport={"width": 412, "height": 823}, device_scale_factor=1.75,
                         is_mobile=True, has_touch=True)

_OVERLAPPING_LINKS = """() => {
    const rects = [...document.querySelectorAll('.md-content :is(a[href], button, summary)')]
        .map(e => [e, [...e.getClientRects()].filter(r => r.width && r.height)]);
    const out = [];
    rects.forEach(([a, ra], i) => rects.slice(i + 1).forEach(([b, rb]) => {
        if (a.contains(b) || b.contains(a)) return;
        if (ra.some(p => rb.some(q => p.left < q.right - 1 && q.left < p.right - 1
                                       && p.top < q.bottom - 1 && q.top < p.bottom - 1)))
            out.push(`${a.outerHTML.slice(0, 70)} / ${b.outerHTML.slice(0, 70)} (y ${Math.round(ra[0].top + scrollY)})`);
    }));
    return out;
}"""


@needs_browser
def test_no_link_overlaps_another_on_a_phone_as_lighthouse_measures(browser, base, site, text_paths):
    """Lighthouse's target-size audit (axe, at 412 px, before any scrolling)
    finds every link, button and summary where the page shows it: none lies
    over another, and axe's own target-size rule passes, on every text page
    and every index page (the connections picture's row names among them)."""
    from browser_util import AXE
    ctx = browser.new_context(**_LIGHTHOUSE_PHONE)
    page = ctx.new_page()
    problems = []
    for path in text_paths + [p for p in page_paths(site) if p.count("/") <= 1]:
        page.goto(base + path, wait_until="load")
        problems += [f"{path}: {o}" for o in page.evaluate(_OVERLAPPING_LINKS)]
        if AXE.exists():
            page.add_script_tag(path=str(AXE))
            failing = page.evaluate("""async () => (await axe.run(document, {runOnly: ['target-size']}))
                .violations.flatMap(v => v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary))""")
            problems += [f"{path}: target size: {' '.join(f.split())[:300]}" for f in failing]
    ctx.close()
    assert not problems, "\n".join(problems)


_LONE_PERMALINKS = """() => [...document.querySelectorAll('.md-content :is(h1, h2, h3, h4) > .headerlink')]
    .filter(a => a.getClientRects().length)
    .filter(a => {
        const h = a.parentElement, r = document.createRange();
        r.setStart(h, 0);
        r.setEndBefore(a);
        const words = [...r.getClientRects()].filter(x => x.width > 0);
        const link = a.getClientRects()[0];
        return !words.some(x => x.top < link.bottom && link.top < x.bottom);
    }).map(a => a.parentElement.id)"""


@needs_browser
@pytest.mark.parametrize("width", [1440, 390])
def test_no_heading_permalink_wraps_onto_a_line_of_its_own(browser, base, site, width):
    """The hidden ¶ after a heading never takes a line alone (a blank line
    under a title), on every text page and every index page."""
    ctx, page = _page(browser, width)
    problems = []
    for path in page_paths(site):
        if path.count("/") > 1 and not path.startswith("texts/"):   # entity and theme pages: as their indexes
            continue
        page.goto(base + path, wait_until="load")
        problems += [f"{path or '/'} #{h}" for h in page.evaluate(_LONE_PERMALINKS)]
    ctx.close()
    assert not problems, f"at {width} px, a heading's ¶ wraps alone: " + ", ".join(problems)


@needs_browser
def test_the_connections_picture_shows_whole_on_a_wide_screen(browser, base, site, width=1440):
    """Row names and marks side by side need about 800 px for this collection;
    a wide screen gives the picture that width, so nothing is cut off at the
    right (a picture wider than any screen still scrolls, with row names kept)."""
    path = next(p for p in page_paths(site) if p.startswith("connections"))
    ctx, page = _page(browser, width)
    page.goto(base + path, wait_until="load")
    need, have = page.evaluate("""() => {
        const box = document.querySelector('.xl-scroll');
        const parts = [...box.children].reduce((w, c) => w + c.getBoundingClientRect().width, 0);
        return [parts, box.clientWidth]; }""")
    ctx.close()
    print(f"{width} px: the picture needs {need:.0f} px and has {have} px")
    if need <= 0.6 * width:
        assert need <= have + 1, f"the picture needs {need:.0f} px but is cut to {have} px"


def _search_index(site: Path) -> list[dict]:
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


def test_the_search_index_holds_the_text_readers_see(site, text_paths):
    docs = _search_index(site)
    problems = []
    for path in text_paths:
        page_html = (site / path / "index.html").read_text(encoding="utf-8")
        h1 = re.search(r"<h1[^>]*>(.*?)</h1>", page_html, re.S).group(1)
        h1 = re.sub(r'<small[^>]*sidenote.*?</small>|<label[^>]*sn-ref.*?</label>|<a[^>]*headerlink.*?</a>', "", h1)
        seen_title = " ".join(htmllib.unescape(re.sub(r"<[^>]+>", "", h1)).split())
        entries = [d for d in docs if d["location"].split("#")[0] == path]
        top = next((d for d in entries if "#" not in d["location"]), None)
        if top is None or " ".join(htmllib.unescape(re.sub(r"<[^>]+>", "", top["title"])).split()) != seen_title:
            problems.append(f"{path}: index title {top and top['title']!r}, page title {seen_title!r}")
        for d in entries:
            text = htmllib.unescape(d["title"] + " " + d["text"])
            for bad in ("Scraped:", "Spin restored", " · rule ", "show or hide", "· Context", "· Fact check",
                        "· Editorial", "· Cross-reference"):
                if bad in text:
                    problems.append(f"{d['location']}: the index holds {bad!r}")
        # a call's number must not be glued onto the word before it
        calls = re.findall(r'(\w+)(?:</[a-z]+>)*<label[^>]*class="sn-ref"[^>]*>(\d+)</label>', page_html)
        index_text = " ".join(htmllib.unescape(d["title"] + " " + d["text"]) for d in entries)
        for word, num in calls:
            if re.search(rf"\b{re.escape(word)}{num}\b", index_text):
                problems.append(f"{path}: the index glues note {num} onto {word!r}")
    assert not problems, "\n".join(problems[:30])


@needs_browser
def test_a_name_shows_its_description_from_another_address(browser, built_site, site):
    """Served from a folder whose address differs from site_url, hovering or
    focusing a name shows its description within half a second."""
    page_html = (site / NYT / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a[^>]*class="ent"[^>]*title="[^"]+"|<a[^>]*title="[^"]+"[^>]*class="ent"', page_html), \
        "names carry no description in the HTML (needed without script)"
    with serve_site(site, "/somewhere/else/") as other:
        ctx, page = _page(browser, 1440)
        page.goto(other + NYT, wait_until="load")
        name = page.locator(".md-content a.ent").first
        desc = name.get_attribute("title")
        name.hover()
        tip = page.locator("#ed-tip")
        tip.wait_for(state="visible", timeout=500)
        assert tip.inner_text() == desc
        page.mouse.move(0, 0)
        page.locator(".md-content a.ent").nth(1).focus()
        tip.wait_for(state="visible", timeout=500)
        assert page.locator(".md-content a.ent").nth(1).get_attribute("aria-describedby") == "ed-tip"
        ctx.close()


@needs_browser
def test_the_restored_article_prints_in_at_most_25_pages(browser, base, tmp_path):
    ctx, page = _page(browser, 1440)
    page.goto(base + NYT, wait_until="load")
    page.emulate_media(media="print")
    # notes stand beside the text, not inside a sentence; change tables left out
    inline = page.evaluate("""[...document.querySelectorAll('.md-content .sidenote')]
        .filter(n => getComputedStyle(n).float === 'none').length""")
    tables = page.evaluate("""[...document.querySelectorAll('.md-content details')]
        .filter(d => getComputedStyle(d).display !== 'none').length""")
    pdf = page.pdf(format="A4", print_background=False)
    ctx.close()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    (tmp_path / "nyt.pdf").write_bytes(pdf)
    print(f"the restored article prints in {pages} pages (A4)")
    assert inline == 0, f"{inline} notes print inside the running text"
    assert tables == 0, "change tables print although nobody opened them"
    assert 0 < pages <= 25


ROOT = Path(__file__).resolve().parent.parent


def test_the_site_names_no_fixed_number_of_texts(collection):
    """"five" is nowhere in the site's own sources; the count follows the collection."""
    from scripts.site import tree
    problems = []
    sources = [ROOT / "mkdocs.yml", ROOT / "scripts" / "site" / "tree.py"]
    sources += sorted((ROOT / "scripts" / "site" / "pages").glob("*.py"))
    sources += sorted((ROOT / "scripts" / "site" / "static").rglob("*.md"))
    sources += sorted((ROOT / "scripts" / "site" / "overrides").rglob("*.html"))
    for f in sources:
        for i, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\bfive\b", line, re.I) and "_NUMBER_WORDS" not in line:
                problems.append(f"{f.relative_to(ROOT)}:{i}: {line.strip()}")
    assert not problems, "\n".join(problems)
    docs = list(collection[0].values())
    assert "edition of three texts" in tree.home_page(docs[:3])
    assert f"edition of {tree.count_word(len(docs))} texts" in tree.home_page(docs)
