"""The built site as GitHub Pages serves a project site: under /REPO/.

Serves the real build at http://127.0.0.1:PORT/REPO/ (REPO from site_url),
crawls every page from the home page and checks links, fragments, the 404
page, the sitemap and each page's description and Open Graph tags.  Also
checks the Pages workflow uses the maintainer's commands and GitHub's
official actions.  No browser needed.
"""
from __future__ import annotations

import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

import pytest
import yaml

from browser_util import ROOT, mkdocs_config, page_paths, serve_site, site_prefix


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []     # (tag, attribute, value)
        self.ids: set[str] = set()
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("id", "name"):
            if a.get(key) and (key == "id" or tag == "a"):
                self.ids.add(a[key])
        for attr in ("href", "src"):
            if a.get(attr) is not None and tag in ("a", "link", "script", "img", "iframe", "source", "area"):
                if tag == "link" and (a.get("rel") or "") in ("canonical", "alternate"):
                    tag = "a"       # names an address; loads nothing
                self.links.append((tag, attr, a[attr]))
        if tag == "meta":
            k = a.get("name") or a.get("property")
            if k:
                self.meta[k] = a.get("content") or ""


def fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read(), r.headers.get("Content-Type", "")
    except urllib.error.HTTPError as e:
        return e.code, e.read(), e.headers.get("Content-Type", "")


@pytest.fixture(scope="module")
def served(built_site):
    with serve_site(built_site / "site", site_prefix(built_site)) as base:
        yield base


@pytest.fixture(scope="module")
def crawl(served, built_site):
    """Every page reachable from the home page: {url: parsed page}, and every
    problem met on the way."""
    prefix = site_prefix(built_site)
    origin = served[: -len(prefix)]
    pages: dict[str, _Page] = {}
    other: dict[str, int] = {}
    problems: list[str] = []
    fragments: list[tuple[str, str, str]] = []      # (from page, target page, fragment)
    queue = [served]
    while queue:
        url = queue.pop(0)
        if url in pages:
            continue
        status, body, ctype = fetch(url)
        if status != 200:
            problems.append(f"{url}: status {status}")
            continue
        page = _Page()
        page.feed(body.decode("utf-8"))
        pages[url] = page
        for tag, attr, value in page.links:
            value = value.strip()
            if value.startswith(("mailto:", "tel:", "javascript:", "data:")):
                continue
            parts = urlsplit(value)
            if parts.scheme in ("http", "https") or value.startswith("//"):
                if tag != "a":
                    problems.append(f"{url}: <{tag} {attr}> loads from another host: {value}")
                continue
            if value.startswith("/") and not value.startswith(prefix):
                problems.append(f"{url}: <{tag} {attr}={value!r}> assumes the site is at the root of its host")
            target = urljoin(url, value)
            t = urlsplit(target)
            no_frag = urlunsplit((t.scheme, t.netloc, t.path, t.query, ""))
            if not no_frag.startswith(served):
                problems.append(f"{url}: <{tag} {attr}={value!r}> points outside the site ({no_frag})")
                continue
            if t.fragment and tag == "a":
                fragments.append((url, no_frag, unquote(t.fragment)))
            if no_frag.endswith("/") or no_frag.endswith(".html"):
                queue.append(no_frag)
            elif no_frag not in other:
                other[no_frag] = fetch(no_frag)[0]
                if other[no_frag] != 200:
                    problems.append(f"{url}: <{tag} {attr}={value!r}> is broken (status {other[no_frag]})")
    for src, target, frag in fragments:
        if target in pages and frag not in pages[target].ids:
            problems.append(f"{src}: link to #{frag} on {target}, which has no element with that id")
    return {"pages": pages, "problems": problems, "origin": origin, "prefix": prefix}


def test_every_page_is_reachable_and_every_link_works_under_a_project_path(crawl, built_site, served):
    assert not crawl["problems"], "\n".join(crawl["problems"])
    found = {u[len(served):] for u in crawl["pages"]}
    missing = set(page_paths(built_site / "site")) - found
    assert not missing, f"pages no link leads to: {sorted(missing)}"


def test_every_page_has_a_description_and_open_graph_tags(crawl):
    bad = []
    for url, page in crawl["pages"].items():
        for key in ("description", "og:title", "og:description"):
            if not page.meta.get(key, "").strip():
                bad.append(f"{url}: no {key}")
    assert not bad, "\n".join(bad)


def test_the_404_page_works_under_the_project_path(served, built_site):
    for missing in ("no-such-page/", "texts/no-such-text/", "a/b/c.html"):
        status, body, ctype = fetch(served + missing)
        assert status == 404
        html = body.decode("utf-8")
        assert "Page not found" in html
        page = _Page()
        page.feed(html)
        prefix = site_prefix(built_site)
        assets = [(t, v) for t, a, v in page.links if t in ("link", "script") and not v.startswith("http")]
        assert assets, "the 404 page loads no styles or scripts"
        for tag, value in assets + [(t, v) for t, a, v in page.links if t == "a" and v.startswith("/")]:
            assert value.startswith(prefix), \
                f"404 page <{tag}> {value!r} would not work under {prefix}"
            target = urljoin(served + missing, value)
            assert fetch(target)[0] == 200, f"404 page: {value} does not load from {served + missing}"
        assert any(v.rstrip("/") + "/" == prefix for t, a, v in page.links if t == "a"), \
            "the 404 page has no link to the home page"
    # the project path without its slash is redirected, not a 404
    status, _, _ = fetch(served.rstrip("/"))
    assert status == 200


def test_the_sitemap_lists_every_page(served, built_site):
    # the address the fixture built the site for (see conftest.built_site)
    built_for = built_site / "site-url"
    site_url = built_for.read_text() if built_for.exists() else mkdocs_config(built_site)["site_url"]
    site_url = site_url.rstrip("/") + "/"
    status, body, _ = fetch(served + "sitemap.xml")
    assert status == 200
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text.strip() for e in ET.fromstring(body).findall("s:url/s:loc", ns)]
    assert all(loc.startswith(site_url) for loc in locs), [l for l in locs if not l.startswith(site_url)]
    listed = {loc[len(site_url):] for loc in locs}
    pages = set(page_paths(built_site / "site"))
    assert pages - listed == set(), f"pages missing from sitemap.xml: {sorted(pages - listed)}"
    assert listed - pages == set(), f"sitemap.xml lists pages that do not exist: {sorted(listed - pages)}"
    for path in listed:
        assert fetch(served + path)[0] == 200
    assert fetch(served + "sitemap.xml.gz")[0] == 200


def _workflows() -> dict[str, dict]:
    out = {}
    for p in sorted((ROOT / ".github" / "workflows").glob("*.y*ml")):
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
        # YAML reads the key `on` as True
        if True in data:
            data["on"] = data.pop(True)
        out[p.name] = data
    return out


def _steps(workflow: dict):
    for name, job in (workflow.get("jobs") or {}).items():
        for step in job.get("steps") or []:
            yield name, job, step


def test_the_pages_workflow_builds_like_a_maintainer_and_deploys_with_the_official_actions():
    wf = _workflows()["pages.yml"]
    steps = list(_steps(wf))
    uses = {s.get("uses", "").split("@")[0] for _, _, s in steps}
    assert {"actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"} <= uses
    runs = [s.get("run", "") for _, _, s in steps]
    assert any(re.search(r"^bash scripts/run build$", r, re.M) for r in runs)
    upload = next(s for _, _, s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == mkdocs_config().get("site_dir", "site")
    deploy = next(j for _, j, s in steps if s.get("uses", "").startswith("actions/deploy-pages"))
    perms = {**(wf.get("permissions") or {}), **(deploy.get("permissions") or {})}
    assert perms.get("pages") == "write" and perms.get("id-token") == "write"
    assert deploy.get("environment", {}).get("name") == "github-pages"
    # deploys only from main, and only after the tests pass
    assert "pull_request" not in str(deploy.get("if", "")) or "!=" in str(deploy.get("if", ""))
    needs = deploy.get("needs")
    needs = [needs] if isinstance(needs, str) else list(needs or [])
    test_jobs = {n for n, j, s in steps if re.search(r"^bash scripts/run test", s.get("run", ""), re.M)}
    assert test_jobs and test_jobs <= set(needs), "deploy does not wait for the test job"


def test_ci_runs_the_test_command_on_push_and_pull_request():
    found = False
    for name, wf in _workflows().items():
        on = wf.get("on") or {}
        on = {on: None} if isinstance(on, str) else (dict.fromkeys(on) if isinstance(on, list) else on)
        if {"push", "pull_request"} <= set(on) and any(
                re.search(r"^bash scripts/run test", s.get("run", ""), re.M) for _, _, s in _steps(wf)):
            found = True
    assert found, "no workflow runs `bash scripts/run test` on push and pull_request"
