"""Shared fixtures: the processed collection, and a built copy of the site."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts import build as build_mod, corpus  # noqa: E402


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
    if (ROOT / "scripts" / "overrides").is_dir():
        shutil.copytree(ROOT / "scripts" / "overrides", dest / "scripts" / "overrides")
    return dest


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The real collection built with MkDocs into a temporary folder; returns its root."""
    root = copy_project(tmp_path_factory.mktemp("project"))
    build_mod.build(root=root)
    return root
