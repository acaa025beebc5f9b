"""`serve`: the site is served, a saved notes file shows on its page, and a broken one leaves the page as it was."""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import ROOT, copy_project, free_port
from scripts.core import corpus

pytestmark = pytest.mark.skipif(not hasattr(os, "killpg"), reason="stops serve with its process group (POSIX)")


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.read().decode("utf-8", errors="replace")


def _wait_for(url: str, pred, proc, log, limit: float = 180.0) -> str:
    """The page's body once pred(body) holds; fails with serve's log if it never does."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if proc.poll() is not None:
            pytest.fail(f"serve stopped (exit {proc.returncode}):\n{log.read_text()[-3000:]}")
        with contextlib.suppress(OSError):
            body = _get(url)
            if pred(body):
                return body
        time.sleep(0.2)
    pytest.fail(f"{url} never showed what was expected; serve's log:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`python -m scripts serve` on a copy of the project: (page url, notes file, process, log)."""
    root = copy_project(tmp_path_factory.mktemp("serve"))
    first = corpus.seed_files(root / "seeds")[0]
    slug = corpus.load_seed_data(first)[0]["slug"]
    notes = first.with_name(first.stem + ".notes.yml")
    port = free_port()
    log = root / "serve.log"
    env = dict(os.environ, EDITION_ROOT=str(root), EDITION_SITE_URL=f"http://127.0.0.1:{port}/")
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "scripts", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/texts/{slug}/"
    try:
        _wait_for(url, lambda body: "<article" in body, proc, log)
        yield url, notes, proc, log
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=20)


def _page(body: str) -> str:
    """The page without the live-reload script serve adds to every response (its epochs change)."""
    return body[:body.rfind("<script")]


def _with_mark(notes_text: str, mark: str) -> str:
    """The notes file with `mark` put before the words of its first note."""
    head, sep, rest = notes_text.partition("  text: ")
    assert sep, "the first seed's notes file has a note with a text"
    if rest.startswith((">", "|")):                   # a folded or literal block: the words start on the next line
        line, nl, words = rest.partition("\n")
        indent = len(words) - len(words.lstrip())
        return head + sep + line + nl + words[:indent] + mark + " " + words[indent:]
    return head + sep + mark + " " + rest


def test_a_saved_note_shows_on_its_page(served):
    url, notes, proc, log = served
    original = notes.read_text(encoding="utf-8")
    notes.write_text(_with_mark(original, "Servemarkone"), encoding="utf-8")
    body = _wait_for(url, lambda b: "Servemarkone" in b, proc, log)
    assert "<article" in body
    notes.write_text(original, encoding="utf-8")
    _wait_for(url, lambda b: "Servemarkone" not in b, proc, log)


def test_a_broken_notes_file_leaves_the_page_and_says_where(served):
    url, notes, proc, log = served
    original = notes.read_text(encoding="utf-8")
    before = _get(url)
    notes.write_text(original + "\n  - id: [unclosed\n", encoding="utf-8")
    end = time.monotonic() + 120
    while notes.name not in log.read_text() and time.monotonic() < end:
        time.sleep(0.2)
    text = log.read_text()
    assert notes.name in text and "docs/ left as it was" in text, text[-2000:]
    assert _page(_get(url)) == _page(before)           # the page is served as it was
    notes.write_text(_with_mark(original, "Servemarktwo"), encoding="utf-8")
    _wait_for(url, lambda b: "Servemarktwo" in b, proc, log)    # and the next good save is picked up
    notes.write_text(original, encoding="utf-8")
