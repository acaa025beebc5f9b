"""`serve`: build, then serve the site with live reload; an edit under seeds/ shows in the browser in about a second.

The site is served at the root of dev_addr (not under the project path of
the published address), which is also where link previews work.

The edit loop: a watcher (inotify where the system has it) sees a saved
file under seeds/ or scripts/site/static/ and asks the live-reload server
for a rebuild; the rebuild regenerates docs/ with a BuildCache, so only
the texts whose inputs changed are processed and rendered and only the
files that differ are written, then runs a dirty MkDocs build, which
renders only those pages.  Browsers showing the site reload when it is done.
Changed Python code is not picked up: restart serve.  Dirty builds leave
the search index and sitemap of the first build partly stale; `build`
makes them whole.
"""
from __future__ import annotations

import functools
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.commands.build import build as mk_build
from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer
from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer

from ..core.errors import EditionError
from .build import ROOT, SOURCE_DATE_EPOCH, BuildCache, build, file_key, update_docs


class Rebuilds:
    """What one serve session's builds share: the project, its BuildCache, the
    MkDocs config and whether the next build is the first (a full one)."""

    def __init__(self, root: Path, dev_addr: str, site_dir: str):
        self.root, self.dev_addr, self.site_dir = root, dev_addr, site_dir
        self.serve_url = f"http://{dev_addr}/"
        self.cache = BuildCache()
        self.first = True
        self._key = self._cfg = None
        self._templates: set = set()

    def config(self):
        """The MkDocs config, loaded again only when mkdocs.yml changed.

        Kept between builds with its Jinja environment, so that the theme's
        templates are compiled and listed once, not on every rebuild.
        """
        key = file_key(self.root / "mkdocs.yml")
        if self._key != key:
            # not strict: a dirty build always warns that its navigation may be stale
            cfg = load_config(config_file=str(self.root / "mkdocs.yml"), site_dir=self.site_dir,
                              dev_addr=self.dev_addr, strict=False)
            cfg.site_url = self.serve_url
            env = cfg.theme.get_env()
            env.list_templates = functools.cache(env.list_templates)
            cfg.theme.get_env = lambda: env
            self._key, self._cfg, self._templates, self.first = key, cfg, set(cfg.theme.static_templates), True
        return self._cfg

    def __call__(self, _config=None) -> None:
        """One build: docs/ brought up to date (after the first), then MkDocs (dirty after the first)."""
        cfg = self.config()
        if not self.first:
            try:
                changed = update_docs(self.root, self.cache)
            except EditionError as exc:
                print(f"error: {exc}\n(docs/ left as it was)", file=sys.stderr)
                return
            print(f"regenerated {len(changed)} file(s) in docs/", file=sys.stderr)
            if not changed:
                return
        # 404.html and sitemap.xml only on full builds: an edit to a text does not change them
        cfg.theme.static_templates = self._templates if self.first else set()
        mk_build(cfg, serve_url=self.serve_url, dirty=not self.first)
        self.first = False


class SavedInputs(FileSystemEventHandler):
    """Asks the server for a rebuild when a file under seeds/ or the site's static files is saved
    (what MkDocs' own watcher does); a changed .py file only gets a reminder to restart."""

    def __init__(self, server: LiveReloadServer, root: Path):
        self.server = server
        self.watched = ((root / "seeds").resolve(), (root / "scripts" / "site" / "static").resolve())

    def on_any_event(self, event):
        if event.is_directory or event.event_type in ("opened", "closed_no_write"):
            return
        path = Path(str(event.src_path))
        if path.suffix == ".py":
            print(f"{path} changed: restart serve to use changed code", file=sys.stderr)
            return
        if not any(path.is_relative_to(d) for d in self.watched):
            return
        with self.server._rebuild_cond:
            self.server._want_rebuild = True
            self.server._rebuild_cond.notify_all()


def serve(dev_addr: str = "127.0.0.1:8000", root: Path = ROOT) -> None:
    """Build, then serve the site at dev_addr until interrupted (see the module's docstring)."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    site_dir = tempfile.mkdtemp(prefix="edition-serve-")
    rebuild = Rebuilds(root, dev_addr, site_dir)
    build(root=root, cache=rebuild.cache, site=False)
    host, port = dev_addr.rsplit(":", 1)

    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s")
    logging.getLogger("mkdocs.structure.nav").setLevel(logging.WARNING)   # not the list of pages outside nav
    server = LiveReloadServer(builder=rebuild, host=host, port=int(port), root=site_dir,
                              mount_path=urlsplit(rebuild.serve_url).path)

    def error_page(code):
        page = Path(site_dir) / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None
    server.error_handler = error_page

    rebuild()
    server.watch(str(root / "mkdocs.yml"))
    observer = Observer()
    for d in (root / "seeds", root / "scripts"):
        observer.schedule(SavedInputs(server, root), str(d.resolve()), recursive=True)
    observer.start()
    try:
        server.serve()
    except KeyboardInterrupt:
        print("shutting down", file=sys.stderr)
    finally:
        observer.stop()
        server.shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)
