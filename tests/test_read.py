"""Reading: legacy encodings detected, decoded, recorded and rebuilt byte for byte.

The bytes of each test are made by encoding real text from the gallery
(Japanese from 27_html_ja_hukumusume, Chinese from 11_wiki_zh_infobox) or
ordinary English and French sentences.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT
from scripts.core.errors import EditionError
from scripts.core.model import rebuild_raw, record_of
from scripts.site import render
from scripts.text import read
from test_pipeline import make_doc

GALLERY = ROOT / "tests" / "gallery"


def japanese() -> str:
    page = (GALLERY / "27_html_ja_hukumusume" / "raw.html").read_text(encoding="utf-8")
    i = page.index("肉をくわえたイヌが")
    return re.sub(r"<[^>]+>", "", page[i:page.index("おしまい", i) + 4]).replace("\u3000", "")


def chinese() -> str:
    text = (GALLERY / "11_wiki_zh_infobox" / "raw.txt").read_text(encoding="utf-8")
    return "\n".join(line for line in text.split("\n")[:40] if line.strip())


def _fits(c: str, codec: str) -> bool:
    try:
        c.encode(codec)
        return True
    except UnicodeEncodeError:
        return False


ENGLISH = ("Café owners said they’re “worried” – prices rose by 5 € in a week.\n\n"
           "A naïve résumé of the year’s events follows… and then the façade.\n")
FRENCH = "Le café à la gare, où l'on était. Ça va très bien.\n\nGrüße aus Köln, sagte Jürgen.\n"

CASES = {
    "Windows-1252": (lambda: "Prices\n\n" + ENGLISH, "cp1252"),
    "Latin-1": (lambda: "Gare\n\n" + FRENCH, "latin_1"),
    "GB18030": (lambda: chinese(), "gb18030"),
    "GBK": (lambda: "".join(c for c in chinese() if _fits(c, "gbk")), "gbk"),
    "Shift-JIS": (lambda: "欲張りなイヌ\n\n" + japanese(), "shift_jis"),
}


@pytest.mark.parametrize("label", CASES)
def test_legacy_encoding_is_detected_decoded_recorded_and_rebuilt(tmp_path, label):
    make_text, codec = CASES[label]
    text = make_text()
    raw = text.encode(codec)
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    doc = make_doc(tmp_path, raw)
    # the reading is the text that was encoded: every sentence is there as written
    for para in text.split("\n\n"):
        first = para.strip().split("\n")[0][:30]
        assert first in doc.text
    assert doc.encoding in read.LEGACY
    rec = record_of(doc)
    assert rec["encoding"] == doc.encoding
    assert rebuild_raw(doc.text, rec) == raw
    box = "\n".join(render.source_box(doc))
    assert f"decoded from {read.encoding_name(doc.encoding)}" in box


def test_latin1_and_windows1252_read_alike_and_the_euro_sign_decides(tmp_path):
    doc = make_doc(tmp_path, "Price\n\nIt costs 5 € at the café.\n".encode("cp1252"))
    assert "5 € at the café" in doc.text and doc.encoding == "cp1252"


def test_utf8_stays_utf8_and_its_box_says_nothing_of_decoding(tmp_path):
    doc = make_doc(tmp_path, "Title\n\nCafé 中文 ok.\n".encode("utf-8"))
    assert doc.encoding == "utf-8" and read.describe(doc) == ""


@pytest.mark.parametrize("raw", [b"Title\n\nBad byte \xff here.\n",
                                 b"Title\n\n\xff \xff \xff\n"])
def test_bytes_no_encoding_reads_cleanly_are_refused_naming_the_file(tmp_path, raw):
    with pytest.raises(EditionError) as err:
        make_doc(tmp_path, raw)
    msg = str(err.value)
    assert "900_test.txt" in msg and "UTF-8" in msg and "legacy encoding" in msg and "hint" in msg


def test_add_refuses_an_unreadable_file_and_writes_nothing(tmp_path):
    from conftest import copy_project
    from scripts.tools.add import add
    root = copy_project(tmp_path / "p")
    before = sorted(p.name for p in (root / "seeds").iterdir())
    manifest = (root / "seeds" / "MANIFEST.sha256").read_bytes()
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Title\n\nBad byte \xff here.\n")
    with pytest.raises(EditionError) as err:
        add(str(bad), seeds=root / "seeds")
    assert "bad.txt" in str(err.value)
    assert sorted(p.name for p in (root / "seeds").iterdir()) == before
    assert (root / "seeds" / "MANIFEST.sha256").read_bytes() == manifest


def test_html_page_read_in_its_declared_charset(tmp_path):
    story = japanese()
    page = ('<html lang="ja"><head><meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">'
            "<title>欲張りなイヌ</title></head><body><h1>欲張りなイヌ</h1>"
            + "".join(f"<p>{s}</p>" for s in story.split("\n") if s.strip()) + "</body></html>")
    raw = page.encode("shift_jis")
    doc = make_doc(tmp_path, raw, name="900_test.html")
    assert doc.encoding == "shift_jis"
    assert "肉をくわえたイヌが、橋を渡っていました。" in doc.text
    assert rebuild_raw(doc.text, record_of(doc)) == raw
    assert read.describe(doc) == ("saved web page, text extracted with " + __import__("scripts.text.html").text.html.EXTRACTOR
                                  + "; decoded from Shift-JIS")


def test_html_page_without_a_charset_is_detected(tmp_path):
    page = ("<html><head><title>Prices</title></head><body><article><h1>Prices</h1><p>"
            + ENGLISH.replace("\n\n", "</p><p>") + "</p></article></body></html>")
    raw = page.encode("cp1252")
    doc = make_doc(tmp_path, raw, name="900_test.htm")
    assert doc.encoding == "cp1252" and "prices rose by 5 € in a week" in doc.text
    assert rebuild_raw(doc.text, record_of(doc)) == raw


def test_markup_in_a_saved_page_stays_text(tmp_path):
    page = ("<html><head><title>T &lt;script&gt;</title><script>alert(1)</script><style>p{}</style></head>"
            "<body><article><h1>T &lt;script&gt;</h1><p>" + "Plain words and a &lt;b&gt;tag&lt;/b&gt; shown as text. " * 6
            + "</p></article></body></html>")
    doc = make_doc(tmp_path, page, name="900_test.html")
    assert "alert(1)" not in doc.text and "p{}" not in doc.text
    assert "<b>tag</b> shown as text" in doc.text
    page_md = render.render_page(doc).split("## Changes")[0]
    assert "<b>tag" not in page_md and "&lt;b&gt;tag" in page_md
