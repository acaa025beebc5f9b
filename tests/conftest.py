"""Shared fixtures: the processed collection, and a built copy of the site."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.tools import build as build_mod  # noqa: E402
from scripts.core import corpus  # noqa: E402


@pytest.fixture(scope="session")
def collection():
    """(documents by seed stem, generated files) for the real seeds."""
    docs, files = build_mod.generate(corpus.SEEDS)
    return {d.stem: d for d in docs}, files


@pytest.fixture(scope="session")
def docs_by_slug(collection):
    return {d.slug: d for d in collection[0].values()}


def copy_project(dest: Path) -> Path:
    """A throwaway copy of what a build reads: mkdocs.yml, seeds/ and the theme overrides."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(ROOT / "seeds", dest / "seeds")
    # theme.custom_dir in mkdocs.yml is relative to the config file
    if (ROOT / "scripts" / "site" / "overrides").is_dir():
        shutil.copytree(ROOT / "scripts" / "site" / "overrides", dest / "scripts" / "site" / "overrides")
    return dest


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The real collection built with MkDocs into a temporary folder; returns its root.

    The site is built for the address the browser tests serve it at
    (root/"site-port" holds the port), as GitHub Pages builds it for its
    own: Material's link previews only work on the site's own address.
    """
    import os
    root = copy_project(tmp_path_factory.mktemp("project"))
    port = free_port()
    (root / "site-port").write_text(str(port))
    site_url = f"http://127.0.0.1:{port}/annotated-edition/"
    (root / "site-url").write_text(site_url)
    old = os.environ.get("EDITION_SITE_URL")
    os.environ["EDITION_SITE_URL"] = site_url
    try:
        build_mod.build(root=root)
    finally:
        if old is None:
            del os.environ["EDITION_SITE_URL"]
        else:
            os.environ["EDITION_SITE_URL"] = old
    return root


@pytest.fixture(scope="session")
def browser():
    """One Chromium for every browser test module (Playwright's sync API allows one at a time)."""
    from playwright.sync_api import sync_playwright
    from browser_util import launch
    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


# --- the built site, served (for the browser test modules) -------------------

@pytest.fixture(scope="module")
def site(built_site):
    return built_site / "site"


@pytest.fixture(scope="module")
def base(site, built_site):
    """The address of the built site, served under its project path on a local port."""
    from browser_util import serve_site, site_prefix
    port = int((built_site / "site-port").read_text())
    with serve_site(site, site_prefix(built_site), port) as url:
        yield url
