"""The site in a real browser: Debian's Chromium driven by Playwright.

One built site, served under its project path (/REPO/, as GitHub Pages
serves it), one browser for the session.  Every page at 1440x900 and at
390x844: no console error, no request to another host; margin notes in the
margin (desktop) or opening inline by tap and keyboard (phone); restoration
marks showing the scraped reading on hover and focus; the "as scraped"
switch; link previews; search; the palette toggle; axe-core in both
palettes; the keyboard alone, with visible focus.

Skipped, saying why, when /usr/bin/chromium is missing (CI installs it).
Screenshots of each page type: set EDITION_SHOTS=/tmp/shots.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from browser_util import (AXE, VIEWPORTS, chromium_missing_reason, format_violations, guard_context,
                          browser_pages, page_paths, PAGE_TYPES, run_axe, set_palette,
                          take_screenshots)

_missing = chromium_missing_reason()
pytestmark = pytest.mark.skipif(_missing is not None, reason=_missing or "")

NYT = "texts/nyt-deepseek-china-talent/"


# ---------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def paths(site):
    return page_paths(site)


@pytest.fixture(scope="module")
def text_paths(paths):
    return [p for p in paths if p.startswith("texts/")]


class Tab:
    """A page in a fresh context at one viewport, recording console errors,
    failed local requests and requests to other hosts."""

    def __init__(self, browser, viewport: str, color_scheme: str = "light"):
        self.context = browser.new_context(viewport=VIEWPORTS[viewport], color_scheme=color_scheme,
                                           has_touch=viewport == "phone", is_mobile=False)
        self.foreign: list[str] = []
        self.errors: list[str] = []
        guard_context(self.context, self.foreign)
        self.page = self.context.new_page()
        # a failed load is reported by the response handler below (the 404
        # page's own status excepted) or recorded as a request to another host
        self.page.on("console", lambda m: m.type == "error" and not m.text.startswith("Failed to load resource")
                     and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        self.page.on("response", lambda r: r.status >= 400 and not r.url.endswith("/no-such-page/")
                     and self.errors.append(f"{r.status} {r.url}"))

    def goto(self, url: str):
        self.page.goto(url, wait_until="load")
        return self.page

    def close(self):
        self.context.close()


@pytest.fixture
def tab_factory(browser):
    tabs = []

    def make(viewport: str, color_scheme: str = "light") -> Tab:
        t = Tab(browser, viewport, color_scheme)
        tabs.append(t)
        return t
    yield make
    for t in tabs:
        t.close()


def _boxes(page, selector: str) -> list[dict]:
    return page.evaluate("""sel => [...document.querySelectorAll(sel)].map(e => {
        const r = e.getBoundingClientRect();
        return {x: r.left, y: r.top + scrollY, w: r.width, h: r.height,
                id: e.id || e.textContent.slice(0, 40)};
    })""", selector)


def _overlap(a: dict, b: dict, tol: float = 1.0) -> bool:
    return (a["x"] + tol < b["x"] + b["w"] and b["x"] + tol < a["x"] + a["w"]
            and a["y"] + tol < b["y"] + b["h"] and b["y"] + tol < a["y"] + a["h"])


def _pages_with(site: Path, paths: list[str], needle: str) -> list[str]:
    return [p for p in paths if needle in (site / p / "index.html" if p.endswith("/") or p == ""
                                           else site / p).read_text(encoding="utf-8")]


def _notes_in_seeds(built_site: Path) -> int:
    import yaml
    n = 0
    for f in sorted((built_site / "seeds").glob("*.notes.yml")):
        n += len((yaml.safe_load(f.read_text(encoding="utf-8")) or {}).get("notes") or [])
    return n


# ---------------------------------------------------------------- every page

@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_every_page_loads_cleanly_from_this_host_only(tab_factory, base, paths, viewport):
    tab = tab_factory(viewport)
    problems = []
    for path in browser_pages(paths) + ["no-such-page/"]:
        tab.errors.clear()
        tab.foreign.clear()
        page = tab.goto(base + path)
        page.wait_for_timeout(30)
        problems += [f"{path or '/'}: console: {e}" for e in tab.errors]
        problems += [f"{path or '/'}: request to another host: {u}" for u in tab.foreign]
        # nothing wider than the screen (a phone must not scroll sideways)
        wide = page.evaluate("document.documentElement.scrollWidth - innerWidth")
        if wide > 1:
            problems.append(f"{path or '/'}: the page is {wide}px wider than the {viewport} screen")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- margin notes

def test_sidenotes_sit_in_the_margin_on_a_wide_screen(tab_factory, base, site, paths, built_site):
    pages = _pages_with(site, paths, 'class="sidenote')
    if not pages:
        assert _notes_in_seeds(built_site) == 0, "seeds have margin notes but no page shows one"
        pytest.skip("no margin notes yet (no seeds/*.notes.yml with notes)")
    tab = tab_factory("desktop")
    problems = []
    for path in pages:
        page = tab.goto(base + path)
        notes = _boxes(page, ".md-content .sidenote")
        column = _boxes(page, ".md-typeset > :is(p, h1, h2, h3, h4, blockquote, ul, ol, .text-source)")
        content = page.evaluate("""(() => { const r = document.querySelector('.md-content').getBoundingClientRect();
                                    return {left: r.left, right: r.right}; })()""")
        for i, n in enumerate(notes):
            if n["w"] < 20 or n["h"] < 5:
                problems.append(f"{path}: note {n['id']} is not shown ({n['w']}x{n['h']})")
            if n["x"] + n["w"] > 1440 or n["x"] < content["left"]:
                problems.append(f"{path}: note {n['id']} runs off the page")
            for m in notes[i + 1:]:
                if _overlap(n, m):
                    problems.append(f"{path}: notes {n['id']} and {m['id']} overlap")
            for c in column:
                if _overlap(n, c):
                    problems.append(f"{path}: note {n['id']} overlaps the text ({c['id']!r})")
                    break
    assert not problems, "\n".join(problems)


def test_sidenotes_open_inline_by_tap_and_keyboard_on_a_phone(tab_factory, base, site, paths, built_site):
    pages = _pages_with(site, paths, 'class="sidenote')
    if not pages:
        assert _notes_in_seeds(built_site) == 0, "seeds have margin notes but no page shows one"
        pytest.skip("no margin notes yet (no seeds/*.notes.yml with notes)")
    tab = tab_factory("phone")
    problems = []
    for path in pages:
        page = tab.goto(base + path)
        refs = page.locator(".md-content label.sn-ref")
        for i in _sample(refs.count(), 6):
            ref = refs.nth(i)
            nid = ref.get_attribute("for")
            note = page.locator(f"#{nid} + .sidenote")
            if note.is_visible():
                problems.append(f"{path}: note {nid} is open before it is asked for")
                continue
            ref.scroll_into_view_if_needed()
            ref.tap()
            if not note.is_visible():
                problems.append(f"{path}: tapping note {nid}'s number does not open it")
                continue
            rb, nb = ref.bounding_box(), note.bounding_box()
            if nb["y"] < rb["y"] or nb["x"] < 0 or nb["x"] + nb["width"] > 391:
                problems.append(f"{path}: note {nid} opens at {nb}, not under its number at {rb}")
            ref.tap()
            if note.is_visible():
                problems.append(f"{path}: tapping the number again does not close note {nid}")
        # keyboard: Tab to the first toggle, Space opens it
        first = page.locator(".md-content input.sn-toggle").first
        nid = first.get_attribute("id")
        page.evaluate("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
        reached = False
        for _ in range(600):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement && document.activeElement.id") == nid:
                reached = True
                break
        if not reached:
            problems.append(f"{path}: Tab never reaches note {nid}'s toggle")
            continue
        note = page.locator(f"#{nid} + .sidenote")
        for key in ("Space", "Enter"):
            page.keyboard.press(key)
            if not note.is_visible():
                problems.append(f"{path}: {key} on note {nid}'s toggle does not open it")
            page.keyboard.press(key)
            if note.is_visible():
                problems.append(f"{path}: {key} again on note {nid}'s toggle does not close it")
        page.keyboard.press("Enter")
        violations = run_axe(page)
        if violations:
            problems.append(format_violations(f"{path} (phone, note open)", violations))
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- restoration marks

def test_the_restored_nyt_text_marks_its_restorations(collection, site):
    docs = {d.slug: d for d in collection[0].values()}
    doc = docs.get("nyt-deepseek-china-talent")
    assert doc is not None
    html = (site / NYT / "index.html").read_text(encoding="utf-8")
    if not doc.spun:
        pytest.skip("the NYT scrape is not detected as spun yet (the de-spinner has not landed)")
    assert html.count('class="chg chg-spin') >= 10, "the NYT text is spun but shows few restorations"
    assert 'class="view-switch"' in html and 'data-view="scraped"' in html


def _sample(n: int, k: int = 24) -> list[int]:
    if n <= k:
        return list(range(n))
    return sorted({round(i * (n - 1) / (k - 1)) for i in range(k)})


def _choose_view(page, view: str):
    page.locator(f".view-switch [data-view={view}]").click()
    assert page.locator(f".view-switch [data-view={view}]").get_attribute("aria-pressed") == "true"


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_restoration_marks_show_the_scraped_reading_on_hover_and_tap(tab_factory, base, site, paths, viewport):
    """Unmarked by default; in the "Changes marked" view a mark shows its
    scraped reading in a tooltip that stays on the screen."""
    pages = _pages_with(site, paths, 'class="chg ')
    if not pages:
        pytest.skip("no page has a restoration mark yet")
    tab = tab_factory(viewport)
    width = VIEWPORTS[viewport]["width"]
    problems = []
    for path in pages:
        page = tab.goto(base + path)
        page.evaluate("localStorage.removeItem('edition.view')")
        page.reload()
        marks = page.locator(".md-content .chg")
        deco = page.evaluate("getComputedStyle(document.querySelector('.md-content .chg')).textDecorationLine")
        if deco != "none":
            problems.append(f"{path}: changes are underlined before the reader asks for it ({deco})")
        if page.locator(".view-switch").count():
            _choose_view(page, "marked")
        else:
            page.evaluate("localStorage.setItem('edition.view', 'marked')")
            page.reload()
        n = marks.count()
        right = page.evaluate("""[...document.querySelectorAll('.md-content .chg')]
            .map((e, i) => [e.getBoundingClientRect().right, i]).sort((a, b) => b[0] - a[0]).slice(0, 3).map(x => x[1])""")
        tip = page.locator("#ed-tip")
        for i in sorted(set(_sample(n, 12)) | set(right)):
            mark = marks.nth(i)
            mark.scroll_into_view_if_needed()
            if viewport == "desktop":
                mark.hover()
            else:
                mark.tap()
            if not tip.is_visible():
                problems.append(f"{path}: {'hovering' if viewport == 'desktop' else 'tapping'} mark {i} "
                                "does not show the scraped reading")
                continue
            text = tip.inner_text()
            sic = mark.get_attribute("data-sic")
            if not text.startswith("Scraped:") or (sic and sic.split()[0] not in text):
                problems.append(f"{path}: mark {i}'s tooltip reads {text!r}, scraped reading {sic!r}")
            box = tip.bounding_box()
            if box["x"] < 0 or box["x"] + box["width"] > width + 0.5:
                problems.append(f"{path}: mark {i}'s tooltip runs off the {viewport} screen "
                                f"(x {box['x']:.0f} to {box['x'] + box['width']:.0f})")
            page.mouse.move(0, 0)
            page.keyboard.press("Escape")
        page.evaluate("localStorage.removeItem('edition.view')")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- the view switch

@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_view_switch_works_and_is_remembered(tab_factory, base, site, paths, viewport):
    pages = _pages_with(site, paths, 'class="view-switch"')
    if not pages:
        pytest.skip("no restored (spun) text yet, so no page has the view switch")
    tab = tab_factory(viewport)
    path = pages[0]
    page = tab.goto(base + path)
    assert page.locator(".view-switch").is_visible()
    assert page.locator(".view-switch [data-view=clean]").get_attribute("aria-pressed") == "true"
    mark = page.locator(".md-content .chg[data-sic]:not([data-sic=''])").first
    corr, sic = mark.text_content(), mark.get_attribute("data-sic")
    assert corr != sic
    _choose_view(page, "scraped")
    assert mark.text_content() == sic
    assert page.evaluate("document.documentElement.classList.contains('ed-scraped')")
    # remembered across a navigation and a full load
    other = next(p for p in paths if p != path)
    page.goto(base + other)
    page.goto(base + path)
    assert page.locator(".view-switch [data-view=scraped]").get_attribute("aria-pressed") == "true"
    assert page.locator(".md-content .chg[data-sic]:not([data-sic=''])").first.text_content() == sic
    _choose_view(page, "marked")
    mark = page.locator(".md-content .chg[data-sic]:not([data-sic=''])").first
    assert mark.text_content() == corr
    assert mark.evaluate("e => getComputedStyle(e).textDecorationLine") == "underline"
    _choose_view(page, "clean")
    page.reload()
    assert not page.evaluate("document.documentElement.classList.contains('ed-marked')")
    # texts that were not spun have no switch
    for p in [p for p in paths if p.startswith("texts/") and p not in pages][:1]:
        page.goto(base + p)
        assert page.locator(".view-switch").count() == 0


# ---------------------------------------------------------------- link previews

def test_link_previews_open(tab_factory, base, built_site, paths, site):
    """Cross-links that ask for a preview (data-preview: passages, themes)
    show the target in Material's preview, on the site's own address."""
    pages = _pages_with(site, paths, "data-preview")
    if not pages:
        pytest.skip("no link asks for a preview")
    tab = tab_factory("desktop")
    asked = []
    tab.page.on("request", lambda r: r.url.endswith("/sitemap.xml") and asked.append(r.url))
    page = tab.goto(base + ("themes/" if "themes/" in pages else pages[0]))
    page.wait_for_timeout(500)
    assert not asked, "the sitemap (read for previews) is fetched before any link is pointed at"
    link = page.locator(".md-content a[data-preview]").first
    link.hover()
    tip = page.locator(".md-tooltip2--active")
    tip.wait_for(state="visible", timeout=5000)
    assert tip.locator("h1, article, .md-typeset").count() > 0
    assert len(asked) == 1


def test_a_phone_never_fetches_the_sitemap_but_a_keyboard_does(tab_factory, base, site, paths):
    """Previews open on hover: on a phone the links are not set up for them
    (Material's work for nothing), and tapping through the page never fetches
    the sitemap Material reads for them; a keyboard reader on a computer
    moving to a link gets it, and the preview with it."""
    pages = _pages_with(site, paths, "data-preview")
    if not pages:
        pytest.skip("no link asks for a preview")
    path = "themes/" if "themes/" in pages else pages[0]
    phone = tab_factory("phone")
    asked = []
    phone.page.on("request", lambda r: r.url.endswith("/sitemap.xml") and asked.append(r.url))
    page = phone.goto(base + path)
    page.locator(".md-content p").first.tap()
    page.mouse.wheel(0, 600)
    page.wait_for_timeout(500)
    assert not asked
    # nothing can hover: the links are plain links, not set up for previews
    assert page.locator("a[data-preview]").count() == 0
    assert page.locator(".md-content a[href]").count() > 0
    desk = tab_factory("desktop")
    desk.page.on("request", lambda r: r.url.endswith("/sitemap.xml") and asked.append(r.url))
    page = desk.goto(base + path)
    assert page.locator(".md-content a[data-preview]").count() > 0
    page.locator(".md-content a[data-preview]").first.focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    page.locator(".md-tooltip2--active").wait_for(state="visible", timeout=5000)
    assert len(asked) == 1


# ---------------------------------------------------------------- search

def _distinctive_words(docs) -> dict[str, str]:
    """For each text a word (7+ letters) found in it and in no other text."""
    words = {}
    counts = {}
    for d in docs:
        ws = re.findall(r"\b[a-z]{7,}\b", d.text)
        counts[d.slug] = {}
        for w in ws:
            counts[d.slug][w] = counts[d.slug].get(w, 0) + 1
    for d in docs:
        others = set().union(*(set(counts[o]) for o in counts if o != d.slug))
        own = [(n, w) for w, n in counts[d.slug].items() if w not in others]
        assert own, f"{d.slug} has no word of its own"
        words[d.slug] = max(own)[1]
    return words


def _open_search(page, viewport: str):
    if viewport == "phone":
        page.locator("label.md-header__button[for=__search]").click()
    else:
        page.locator(".md-search__input").click()
    page.locator(".md-search__input").wait_for(state="visible")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_search_finds_a_distinctive_word_from_each_text(tab_factory, base, collection, viewport):
    docs = list(collection[0].values())
    words = _distinctive_words(docs)
    tab = tab_factory(viewport)
    page = tab.goto(base)
    problems = []
    for slug, word in words.items():
        _open_search(page, viewport)
        box = page.locator(".md-search__input")
        box.fill("")
        box.type(word, delay=5)
        try:
            page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=8000)
        except Exception:
            problems.append(f"searching for {word!r} (from {slug}) finds nothing")
            continue
        page.wait_for_timeout(100)
        hrefs = page.eval_on_selector_all(".md-search-result__item a", "as => as.map(a => a.href)")
        if not any(f"/texts/{slug}/" in h for h in hrefs):
            problems.append(f"searching for {word!r} does not find {slug}: {hrefs[:5]}")
        page.keyboard.press("Escape")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- palette

@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_palette_toggle_switches_and_is_remembered(tab_factory, base, viewport):
    tab = tab_factory(viewport)
    page = tab.goto(base)
    scheme = lambda: page.evaluate("document.body.getAttribute('data-md-color-scheme')")  # noqa: E731
    assert scheme() == "default"
    toggle = page.locator("form[data-ed-palette] label:visible")
    assert toggle.count() == 1
    toggle.first.click()
    assert scheme() == "slate"
    page.reload()
    assert scheme() == "slate"
    page.locator("form[data-ed-palette] label:visible").first.click()
    assert scheme() == "default"


# ---------------------------------------------------------------- accessibility

@pytest.fixture(scope="module")
def axe_available():
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `npm ci` in tests/ (`bash scripts/run test` does)")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_axe_finds_no_violations_on_any_page(axe_available, tab_factory, base, paths, viewport, scheme):
    """Every page on the wide screen; on the phone, one page of each type
    (the same markup and styles, laid out narrow), to keep the suite quick."""
    tab = tab_factory(viewport, "dark" if scheme == "slate" else "light")
    all_paths = paths
    paths = browser_pages(paths)
    if viewport == "phone":
        chosen = [pick(paths) for pick in PAGE_TYPES.values()]
        paths = sorted({p for p in chosen if p is not None} | {p for p in paths if p.startswith("texts/")})
    # the header, navigation and footer are the same on every page: checked
    # whole on one page of each type, the page's own content everywhere else
    full = {pick(all_paths) for pick in PAGE_TYPES.values()} | {"no-such-page/"}
    problems = []
    for path in paths + ["no-such-page/"]:
        page = tab.goto(base + path)
        set_palette(page, scheme)
        violations = run_axe(page, None if path in full else ".md-content")
        if violations:
            problems.append(format_violations(f"{path or '/'} ({viewport}, {scheme})", violations))
    if problems:
        print("\n".join(problems))
    assert not problems, "\n".join(problems)


_FOCUS_PROBE = """() => {
    window.__focused = [];
    document.addEventListener('focusin', ev => {
        const e = ev.target;
        const visible = el => {
            const s = getComputedStyle(el);
            const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
            const shadow = s.boxShadow && s.boxShadow !== 'none';
            return outline || shadow;
        };
        let ok = visible(e);
        // a visually hidden checkbox shows its focus on its label
        if (!ok && e.labels && e.labels.length) ok = [...e.labels].some(visible);
        const r = e.getBoundingClientRect();
        window.__focused.push({tag: e.tagName.toLowerCase(), id: e.id, cls: String(e.className),
            text: (e.getAttribute('aria-label') || e.textContent || '').trim().slice(0, 40),
            ok, seen: r.width > 0 && r.height > 0});
    }, true);
}"""


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_a_text_page_can_be_read_by_keyboard_alone_with_visible_focus(tab_factory, base, site, paths, viewport):
    marked = _pages_with(site, paths, 'class="chg ') + _pages_with(site, paths, 'class="sidenote')
    path = NYT if NYT in marked or not marked else marked[0]
    tab = tab_factory(viewport)
    page = tab.goto(base + path)
    page.evaluate(_FOCUS_PROBE)
    # from the top of the page: the skip link, header, navigation ...
    page.locator("body").click(position={"x": 1, "y": 200})
    for _ in range(40):
        page.keyboard.press("Tab")
    # ... and through the text itself, from its source box to "Changes from the scrape"
    page.evaluate("""() => { const s = document.querySelector('.text-source a, .text-source [tabindex]')
                             || document.querySelector('.md-content h1'); s.setAttribute('tabindex', '-1'); s.focus(); }""")
    for _ in range(3000):
        page.keyboard.press("Tab")
        done = page.evaluate("""() => { const c = document.getElementById('changes'), a = document.activeElement;
            return !c || a === document.body ||
                   !!(c.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING); }""")
        if done:
            break
    focused = page.evaluate("window.__focused")
    assert len(focused) > 5, "Tab moves focus through almost nothing"
    bad = [f for f in focused if f["seen"] and not f["ok"]]
    hidden = [f for f in focused if not f["seen"] and f["tag"] != "input"]
    problems = [f"no visible focus on <{f['tag']} id={f['id']!r} class={f['cls']!r}> {f['text']!r}" for f in bad]
    problems += [f"focus lands on something invisible: <{f['tag']} class={f['cls']!r}> {f['text']!r}"
                 for f in hidden]
    ids = {f["id"] for f in focused}
    # restorations are reached as a group (the view switch, the change tables), not one stop a word
    if len(focused) > 40 + 250:
        problems.append(f"{len(focused) - 40} Tab stops in the text (at most 250)")
    if viewport == "phone":
        for t in page.eval_on_selector_all(".md-content .sn-toggle", "es => es.map(e => e.id)"):
            if t not in ids:
                problems.append(f"margin note toggle #{t} is not reachable by Tab")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- screenshots

@pytest.mark.skipif(not os.environ.get("EDITION_SHOTS"), reason="set EDITION_SHOTS=DIR to take screenshots")
def test_screenshots_of_each_page_type(browser, site):
    shots = take_screenshots(site, Path(os.environ["EDITION_SHOTS"]), browser)
    assert shots
