"""Helpers for the site and browser tests: serve a built site under the
project path GitHub Pages gives it, find its pages, launch Debian's Chromium.

The site is served at http://127.0.0.1:PORT/REPO/ where /REPO/ is the path
of ``site_url`` in mkdocs.yml (GitHub Pages serves a project site at
https://USER.github.io/REPO/).  Anything outside /REPO/, and any missing
file, gets the site's own 404.html with status 404, as on GitHub Pages.
"""
from __future__ import annotations

import http.server
import io
import os
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
CHROMIUM = Path("/usr/bin/chromium")
AXE = TESTS / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORTS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml, ignoring its !!python and !ENV tags."""


def _env(loader, node):
    """!ENV [NAME, default]: the variable's value, else the default (as MkDocs reads it)."""
    items = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else [loader.construct_scalar(node)]
    for name in items[:-1] if len(items) > 1 else items:
        if os.environ.get(name):
            return os.environ[name]
    return items[-1] if len(items) > 1 else None


_Loader.add_constructor("!ENV", _env)
_Loader.add_multi_constructor("", lambda loader, suffix, node: None)


def mkdocs_config(root: Path = ROOT) -> dict:
    return yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader) or {}


def site_prefix(root: Path = ROOT) -> str:
    """The project path the site lives under, e.g. '/annotated-edition/'."""
    path = urlsplit(mkdocs_config(root).get("site_url") or "").path or "/"
    return path if path.endswith("/") else path + "/"


def theme_features(root: Path = ROOT) -> list[str]:
    return list((mkdocs_config(root).get("theme") or {}).get("features") or [])


def page_paths(site: Path) -> list[str]:
    """Every HTML page of a built site as a path under the prefix ('' for
    the home page, 'about/' ...), 404.html left out."""
    out = []
    for p in sorted(site.rglob("*.html")):
        rel = p.relative_to(site).as_posix()
        if rel == "404.html":
            continue
        out.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return out


def browser_pages(paths: list[str], per_family: int = 3) -> list[str]:
    """The pages the browser tests visit one by one.

    Every page, when EDITION_ALL_PAGES is set (CI sets it).  Otherwise every
    page except that of a family of generated pages made from one template
    (a folder holding more than five, such as the entity pages) only the
    first, middle and last are visited, to keep the suite to a few minutes;
    test_pages_site checks every page's links and tags without a browser.
    """
    if os.environ.get("EDITION_ALL_PAGES"):
        return list(paths)
    families: dict[str, list[str]] = {}
    for p in paths:
        if p.count("/") >= 2 and not p.startswith("texts/"):
            families.setdefault(p.split("/")[0], []).append(p)
    keep = set(paths)
    for members in families.values():
        if len(members) > 5:
            chosen = {members[i] for i in sorted({0, len(members) // 2, len(members) - 1})[:per_family]}
            keep -= set(members) - chosen
    return [p for p in paths if p in keep]


class _Handler(http.server.SimpleHTTPRequestHandler):
    prefix = "/"
    site: Path = Path(".")

    def log_message(self, *args):  # quiet
        pass

    def _not_found(self):
        body = (self.site / "404.html").read_bytes() if (self.site / "404.html").exists() else b"not found"
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_head(self):
        path = unquote(urlsplit(self.path).path)
        if path + "/" == self.prefix:
            self.send_response(301)
            self.send_header("Location", self.prefix)
            self.end_headers()
            return None
        if not path.startswith(self.prefix):
            return self._not_found()
        rel = path[len(self.prefix):]
        target = (self.site / rel).resolve()
        if self.site not in target.parents and target != self.site:
            return self._not_found()
        if target.is_dir():
            if not path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", path + "/")
                self.end_headers()
                return None
            target = target / "index.html"
        if not target.is_file():
            return self._not_found()
        ctype = self.guess_type(str(target))
        data = target.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)


@contextmanager
def serve_site(site: Path, prefix: str, port: int = 0):
    """Serve ``site`` at http://127.0.0.1:PORT{prefix}; yields the base URL."""
    handler = type("Handler", (_Handler,), {"prefix": prefix, "site": site.resolve()})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


def chromium_missing_reason() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.exists():
        return ("no Chromium at /usr/bin/chromium: install Debian's (`apt-get install chromium`; "
                "`bash scripts/run test` does so when run as root)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (requirements-dev.txt)"
    return None


def launch(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.hostname == "127.0.0.1"


def guard_context(context, foreign: list):
    """Abort (and record) every request to a host other than 127.0.0.1."""
    def route(r):
        if is_local(r.request.url):
            r.continue_()
        else:
            foreign.append(r.request.url)
            r.abort()
    context.route("**/*", route)


def run_axe(page, include: str | None = None) -> list[dict]:
    """Run axe-core on the page (or only on the elements matching
    ``include``); return its violations (WCAG A/AA and best practice)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate("""async include => {
        const r = await axe.run(include ? {include: [include]} : document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))}));
    }""", include)


def format_violations(where: str, violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{where}: [{v['impact']}] {v['id']}: {v['help']}")
        for n in v["nodes"][:8]:
            summary = " ".join((n["summary"] or "").split())
            lines.append(f"    {n['target']}\n        {summary[:300]}")
        if len(v["nodes"]) > 8:
            lines.append(f"    ... and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


def set_palette(page, scheme: str):
    """Switch Material's palette to 'default' or 'slate' by its own toggle."""
    for _ in range(3):
        if page.evaluate("document.body.getAttribute('data-md-color-scheme')") == scheme:
            return
        page.locator("form[data-ed-palette] label:visible").first.click()
        # move off the toggle, or its tooltip is caught fading in
        page.mouse.move(0, page.viewport_size["height"] - 1)
        page.wait_for_timeout(300)
    raise AssertionError(f"could not switch the palette to {scheme}")


PAGE_TYPES = {
    # name: a function (page paths) -> the path of one page of that type, or None
    "home": lambda paths: "" if "" in paths else None,
    "about": lambda paths: "about/" if "about/" in paths else None,
    "text": lambda paths: next((p for p in paths if p.startswith("texts/")
                                and "nyt-" not in p), None),
    "nyt": lambda paths: next((p for p in paths if p.startswith("texts/nyt-")), None),
    "entity": lambda paths: next((p for p in paths if p.startswith("who-and-what/")
                                  and p != "who-and-what/"), None),
    "entities": lambda paths: "who-and-what/" if "who-and-what/" in paths else None,
    "theme": lambda paths: next((p for p in paths if p.startswith("themes/") and p != "themes/"),
                                "themes/" if "themes/" in paths else None),
    "connections": lambda paths: next((p for p in paths if p.startswith("connections")), None),
    "timeline": lambda paths: next((p for p in paths if p.startswith("timeline")), None),
}


def take_screenshots(site: Path, out: Path, browser) -> list[Path]:
    """Full-page screenshots of one page of each type, both widths, both palettes."""
    out.mkdir(parents=True, exist_ok=True)
    paths = page_paths(site)
    shots = []
    with serve_site(site, site_prefix()) as base:
        for scheme, media in (("default", "light"), ("slate", "dark")):
            for vname, vp in VIEWPORTS.items():
                ctx = browser.new_context(viewport=vp, color_scheme=media)
                foreign: list = []
                guard_context(ctx, foreign)
                page = ctx.new_page()
                for kind, pick in PAGE_TYPES.items():
                    path = pick(paths)
                    if path is None:
                        continue
                    page.goto(base + path, wait_until="load")
                    set_palette(page, scheme)
                    f = out / f"{kind}-{vname}-{scheme}.png"
                    page.screenshot(path=str(f), full_page=True)
                    top = out / f"{kind}-{vname}-{scheme}-top.png"
                    page.screenshot(path=str(top))
                    shots += [f, top]
                ctx.close()
    return shots


if __name__ == "__main__":
    # python tests/browser_util.py SITE_DIR [OUT_DIR]: screenshots for looking at
    import sys
    from playwright.sync_api import sync_playwright
    site_dir = Path(sys.argv[1])
    out_dir = Path(sys.argv[2] if len(sys.argv) > 2 else "/tmp/shots")
    with sync_playwright() as p:
        b = launch(p)
        for f in take_screenshots(site_dir, out_dir, b):
            print(f)
        b.close()
