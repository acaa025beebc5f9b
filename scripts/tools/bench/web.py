"""Serving a built site gzipped (as GitHub Pages does), a plain Material page of a text, and a page's weight in Chromium."""
from __future__ import annotations

import contextlib
import gzip
import http.server
import io
import mimetypes
import re
import threading
from pathlib import Path

from .common import CHROMIUM


COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")


def gz(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=6, mtime=0)


class GzipHandler(http.server.BaseHTTPRequestHandler):
    """Static files with gzip Content-Encoding and a 10-minute cache, as GitHub Pages serves them."""
    root: Path = Path(".")
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_HEAD(self):
        self.do_GET(head=True)

    def do_GET(self, head=False):
        from urllib.parse import unquote, urlsplit
        path = unquote(urlsplit(self.path).path)
        target = (self.root / path.lstrip("/")).resolve()
        status = 200
        if self.root.resolve() not in (target, *target.parents):
            target = self.root / "404.html"
            status = 404
        if target.is_dir():
            if not path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            target = target / "index.html"
        if not target.is_file():
            target, status = self.root / "404.html", 404
        body = target.read_bytes() if target.is_file() else b"not found"
        ctype = mimetypes.guess_type(str(target))[0] or "application/octet-stream"
        if ctype.startswith("text/") or ctype == "application/javascript":
            ctype += "; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Cache-Control", "max-age=600")
        if ctype.startswith(COMPRESSIBLE) and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gz(body)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)


@contextlib.contextmanager
def serve(root: Path):
    handler = type("H", (GzipHandler,), {"root": Path(root)})
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    th = threading.Thread(target=srv.serve_forever, daemon=True)
    th.start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}"
    finally:
        srv.shutdown()
        srv.server_close()


def plain_site(work: Path, doc) -> Path:
    """A minimal Material project with the text's words as plain Markdown paragraphs."""
    from ...core import escape
    proj = work / f"plain-{doc.slug}"
    (proj / "docs").mkdir(parents=True, exist_ok=True)
    (proj / "mkdocs.yml").write_text(
        "site_name: DeepSeek and Chinese innovation\ntheme:\n  name: material\n  font: false\n", encoding="utf-8")
    title = doc.meta.get("title") or doc.slug
    paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", doc.text) if p.strip()]
    if paras and paras[0] == " ".join(title.split()):
        paras = paras[1:]
    md = f"# {escape.text(title)}\n\n" + "\n\n".join(escape.text(p) for p in paras) + "\n"
    (proj / "docs" / "index.md").write_text(md, encoding="utf-8")
    from mkdocs.commands.build import build as mk_build
    from mkdocs.config import load_config
    cfg = load_config(config_file=str(proj / "mkdocs.yml"), site_dir=str(proj / "site"))
    with contextlib.redirect_stderr(io.StringIO()):
        mk_build(cfg)
    return proj / "site"


def page_weight(url: str) -> dict:
    """Load url in Chromium; every response's size, raw and gzipped, by kind and owner."""
    from urllib.parse import urlsplit
    from playwright.sync_api import sync_playwright
    seen = []
    with sync_playwright() as p:
        kw = {"executable_path": CHROMIUM} if Path(CHROMIUM).exists() else {}
        browser = p.chromium.launch(args=["--no-sandbox", "--disable-gpu"], **kw)
        ctx = browser.new_context(viewport={"width": 1280, "height": 900})
        ctx.on("request", lambda r: seen.append(r))
        page = ctx.new_page()
        page.goto(url, wait_until="networkidle")
        page.wait_for_timeout(1500)                 # lazy loads: search worker and index
        rows = []
        html_body = b""
        host = urlsplit(url).netloc
        for r in seen:
            resp = r.response()
            try:
                body = resp.body() if resp else b""
            except Exception:
                body = b""
            u = urlsplit(r.url)
            path = u.path
            if r.resource_type == "document" or path.endswith((".html", "/")):
                kind = "HTML"
            elif path.endswith(".css"):
                kind = "CSS"
            elif path.endswith(".js"):
                kind = "JS"
            else:
                kind = "other"
            owner = "ours" if "/assets/edition." in path else "Material"
            ctype = (resp.headers.get("content-type", "") if resp else "")
            if kind == "HTML" and not html_body:
                html_body = body
            rows.append({"url": r.url, "host": u.netloc, "kind": kind, "owner": owner, "bytes": len(body),
                         "gz": len(gz(body)) if ctype.startswith(COMPRESSIBLE) else len(body),
                         "external": u.netloc != host and u.scheme in ("http", "https")})
        browser.close()
    # the edition's styles are written into each page's head: counted as our
    # CSS (raw, and gzipped on their own), not as HTML
    requests = len(rows)
    m = re.search(rb"<style>\s*/\* The edition's own styles.*?</style>", html_body, re.S)
    if m:
        css, doc = m.group(0), next(row for row in rows if row["kind"] == "HTML")
        css_gz = len(gz(css))
        rows.append({**doc, "kind": "CSS", "owner": "ours", "bytes": len(css), "gz": css_gz,
                     "url": doc["url"] + " (styles in the page)"})
        doc["bytes"] -= len(css)
        doc["gz"] -= css_gz
    agg = {}
    for row in rows:
        key = row["kind"] if row["kind"] in ("HTML", "other") else f"{row['kind']} {row['owner']}"
        a = agg.setdefault(key, [0, 0, 0])
        a[0] += row["bytes"]
        a[1] += row["gz"]
        a[2] += 1
    return {"rows": rows, "agg": agg, "requests": requests, "external": [r["url"] for r in rows if r["external"]]}

