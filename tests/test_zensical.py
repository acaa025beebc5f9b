"""The same mkdocs.yml and docs/ build with Zensical, Material's successor (pinned in requirements-dev.txt).

What is checked on Zensical's output: every text has its page, with the same
margin notes and the same restorations as the generated Markdown asks for,
the edition's own CSS and JS are loaded, and the search index holds the
texts' words with addresses of pages that exist.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ZENSICAL = Path(sys.executable).with_name("zensical")


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory):
    if not ZENSICAL.exists():
        pytest.fail(f"no {ZENSICAL}: zensical is pinned in requirements-dev.txt; "
                    "`bash scripts/run test` installs it into .venv")
    proj = tmp_path_factory.mktemp("zensical")
    shutil.copy(ROOT / "mkdocs.yml", proj / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", proj / "docs")
    shutil.copytree(ROOT / "scripts" / "site" / "overrides", proj / "scripts" / "site" / "overrides")
    r = subprocess.run([str(ZENSICAL), "build"], cwd=proj, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, f"zensical build failed:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    assert (proj / "site" / "index.html").is_file(), r.stdout[-2000:]
    return proj


def text_pages(proj: Path) -> dict[str, str]:
    """slug -> the generated Markdown of every text."""
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted((proj / "docs" / "texts").glob("*.md"))
            if p.name != "index.md"}


def test_every_text_page_has_its_notes_and_restorations(zensical_site):
    texts = text_pages(zensical_site)
    assert len(texts) >= 5
    spun_pages = 0
    for slug, md in texts.items():
        page = zensical_site / "site" / "texts" / slug / "index.html"
        assert page.is_file(), f"zensical wrote no page for {slug}"
        html = page.read_text(encoding="utf-8")
        for pattern in (r'class="sidenote\b', r'class="chg\b', r'class="sn-ref"'):
            want = len(re.findall(pattern, md))
            assert len(re.findall(pattern, html)) == want, f"{slug}: {pattern} {want} times in the Markdown"
        spun_pages += bool(re.search(r'class="chg chg-spin', html))
        # the note words survive too: the first note's text, without its markup
        m = re.search(r'class="sidenote[^>]*>(.*?)</', md, re.S)
        if m:
            words = re.sub(r"<[^>]+>", " ", m.group(1)).split()[:4]
            assert " ".join(words) in " ".join(re.sub(r"<[^>]+>", " ", html).split())
        assert "assets/edition.js" in html
        # the edition's styles, written into the page's head as with MkDocs
        assert html.count("The edition's own styles") == 1 and "md-typeset .sidenote" in html
    assert spun_pages >= 1, "no page with restorations of a spun text"


def test_search_index_holds_the_texts(zensical_site):
    site = zensical_site / "site"
    index = json.loads((site / "search.json").read_text(encoding="utf-8"))
    items = index["items"]
    for slug, md in text_pages(zensical_site).items():
        found = [i for i in items if i["location"].split("#")[0] == f"texts/{slug}/"]
        assert found, f"{slug} is not in the search index"
        title = re.search(r'^title: "(.*)"$', md, re.M).group(1)
        assert any(title[:20] in i["title"] or title[:20] in i["text"] for i in found), slug
    for item in items:
        target = site / item["location"].split("#")[0]
        assert (target / "index.html").is_file() or target.is_file(), item["location"]
    assert (site / "assets" / "javascripts" / "workers").is_dir()     # the search worker ships
