"""Properties that must hold for any input (hypothesis), and for every build.

* For arbitrary text (markup, control characters, CR/LF mixes, any Unicode)
  the raw scrape is rebuilt exactly from the clean text plus the record.
* The page's visible text is the edition's text: the Markdown the renderer
  writes, converted with the extensions mkdocs.yml configures, shows each
  paragraph's text and nothing else.
* Two builds from the same inputs give byte-identical docs/ and site/.
* No command ever modifies a raw scrape in seeds/.
"""
from __future__ import annotations


import os
import shutil
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
import yaml
from bs4 import BeautifulSoup
from pagetext import shows
from hypothesis import HealthCheck, example, given, settings, strategies as st

from conftest import ROOT, copy_project
from scripts.tools import build as build_mod
from scripts.core import corpus
from scripts.text import pipeline
from scripts.site import render
from scripts.core.errors import EditionError
from scripts.core.model import FORM_KINDS, Document, rebuild_raw, record_of

RULES = corpus.load_rules(corpus.SEEDS)
META = {"slug": "prop", "summary": "A test.", "source": {}}


def process_text(raw: bytes) -> Document:
    """The text stages on a made-up scrape, in memory (no files, no MkDocs)."""
    doc = Document(seed="900_prop.txt", raw=raw, meta=dict(META), data_path="seeds/900_prop.yml")
    from scripts.text import clean, read, structure
    read.run(doc)
    clean.run(doc, RULES)
    structure.run(doc, RULES)
    return doc


# text with everything a scrape can hold: markup characters, line ends of
# every kind, controls, direction marks, and any other character
MARKUP = list("<>&\\`*_[]{}|~^=#$!?-+.:;()\"'/@%") + ["\r\n", "\r", "\n", "\n\n", "\t", "  ", "    ",
                                                      "--8<--", "!!! ", "??? ", "=== ", "{: ", "*[", "[^",
                                                      "&#106;", "&lt;", "<script>", "<!--", "-->", "{{", "{%",
                                                      "\x00", "\x1b", "\x85", "\u202e", "\u200b", "\ufeff",
                                                      "\u2028", "Ã©", "â€™", "’s avatar", "Posted by: ",
                                                      " | ", "Likes", "> ", "1. ", "- ", "# ",
                                                      "*em*", "**strong**", "_em_", "`code`", "[a](b)",
                                                      "![i](x.png)", "<b>x</b>", "~~s~~", "==m==", "{++a++}",
                                                      "<a href=javascript:x>y</a>", "[^1]: n", "*[A]: b",
                                                      "{: onclick=x }", "<http://x.y>"]
text_strategy = st.lists(st.one_of(st.sampled_from(MARKUP), st.text(min_size=1, max_size=8),
                                   st.sampled_from(["DeepSeek", "The", "said", "a", "中文", "😀"])),
                         max_size=60).map("".join)


def _encode(text: str, how: int) -> bytes:
    if how == 1:
        return b"\xef\xbb\xbf" + text.encode("utf-8", "surrogatepass")
    if how == 2:
        return "\ufeff".encode("utf-16-le") + text.encode("utf-16-le", "surrogatepass")
    return text.encode("utf-8", "surrogatepass")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text_strategy, st.integers(0, 2))
def test_raw_scrape_is_rebuilt_exactly_from_clean_text_and_record(text, how):
    raw = _encode(text, how)
    try:
        doc = process_text(raw)
    except EditionError as exc:
        # the only refusals: undecodable bytes (lone surrogates) or no text at all
        assert "900_prop.txt" in str(exc) and ("no text" in exc.message or "not valid" in exc.message), str(exc)
        return
    assert rebuild_raw(doc.text, record_of(doc)) == raw
    for b in doc.blocks:
        assert 0 <= b.start <= b.end <= len(doc.text)
        if b.kind not in FORM_KINDS:        # lists, tables and code keep their lines; the rest is one line
            assert "\n" not in doc.block_text(b)


def _mkdocs_extensions():
    with open(ROOT / "mkdocs.yml", encoding="utf-8") as f:
        # mkdocs.yml may hold !!python tags; only the extension list is needed
        cfg = yaml.load(f, Loader=_Loose)
    names, configs = [], {}
    for e in cfg.get("markdown_extensions") or []:
        if isinstance(e, dict):
            (name, conf), = e.items()
            names.append(name)
            configs[name] = conf or {}
        else:
            names.append(e)
    return names, configs


class _Loose(yaml.SafeLoader):
    pass


_Loose.add_multi_constructor("", lambda loader, suffix, node: None)
_Loose.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def _visible(el) -> str:
    for junk in el.select(".sic, .tip, .headerlink, .sidenote, .sn-ref, input"):
        junk.decompose()
    return el.get_text()


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text_strategy)
@example("Title\n\nSome *em* and **b** and _u_ and `c` and [a](b) and ~~s~~ text, ok.")
@example("Title\n\nA <b>x</b> <script>alert(1)</script> <img src=x onerror=alert(1)> &#106;avascript:x &lt;")
@example("Title\n\nx\n--8<-- \"/etc/passwd\"\n!!! note\n    body\n*[x]: y\n{: onclick=x }\n=== \"t\"\n")
@example("Heading\n===\n\nPara\n---\n\n| a | b |\n|---|---|\n\n1. one\n- two\n> q\n    code")
def test_rendered_page_shows_exactly_the_edition_text(text):
    try:
        doc = process_text(text.encode("utf-8", "surrogatepass"))
    except EditionError:
        return
    page = render.render_page(doc)
    body = page.split("\n---\n", 1)[1]          # MkDocs strips the front matter
    names, configs = _mkdocs_extensions()
    html = markdown.markdown(body, extensions=names, extension_configs=configs)
    soup = BeautifulSoup(html, "html.parser")
    for bad in soup.find_all(["script", "style", "iframe", "img", "object", "embed"]):
        pytest.fail(f"element <{bad.name}> from the scrape")
    for t in soup.find_all(True):
        assert not any(a.startswith("on") for a in t.attrs), t
    for b in doc.blocks:
        el = soup.find(id=b.id)
        assert el is not None, (b.id, doc.block_text(b), body)
        assert shows(b.kind, _visible(el), doc.block_text(b)), body


# --- builds -----------------------------------------------------------------

def _tree(path: Path) -> dict[str, bytes]:
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(tmp_path):
    a = copy_project(tmp_path / "a")
    b = copy_project(tmp_path / "b")
    saved = os.environ.pop("SOURCE_DATE_EPOCH", None)
    try:
        build_mod.build(root=a)
        os.environ.pop("SOURCE_DATE_EPOCH", None)
        build_mod.build(root=b)
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    for d in ("docs", "site"):
        ta, tb = _tree(a / d), _tree(b / d)
        assert sorted(ta) == sorted(tb), f"{d}/ has different files"
        differ = [k for k in ta if ta[k] != tb[k]]
        assert not differ, f"{d}/ differs in {differ[:10]}"


def test_no_command_modifies_a_raw_scrape(tmp_path):
    root = copy_project(tmp_path / "p")
    seeds = root / "seeds"
    new = tmp_path / "new scrape.txt"
    new.write_bytes(b"New title\r\n\r\nNew text <b>x</b>.\r\n")

    def scrapes():
        return {p.name: p.read_bytes() for p in seeds.glob("*.txt")}

    originals = {p.name: p.read_bytes() for p in corpus.SEEDS.glob("*.txt")}
    before = scrapes()
    assert before == originals
    env = dict(os.environ, EDITION_ROOT=str(root))
    stem = corpus.seed_files(seeds)[0].stem
    commands = [["build"], ["check"], ["text", stem], ["despin", str(seeds / f"{stem}.txt")],
                ["add", str(new)], ["build", "--docs-only"], ["check"]]
    for args in commands:
        if args[0] == "despin" and not (ROOT / "scripts" / "despin.py").exists():
            continue
        proc = subprocess.run([sys.executable, "-m", "scripts", *args], cwd=ROOT, env=env,
                              capture_output=True, timeout=300)
        assert proc.returncode == 0, (args, proc.stderr.decode(errors="replace"))
        now = scrapes()
        assert {k: v for k, v in now.items() if k in before} == before, f"`{' '.join(args)}` changed a scrape"
    added = set(scrapes()) - set(before)
    assert len(added) == 1 and scrapes()[added.pop()] == new.read_bytes()
    # and the checkout's own seeds were not touched by commands run on the copy
    assert {p.name: p.read_bytes() for p in corpus.SEEDS.glob("*.txt")} == originals
