"""Broken data files: the build stops with a message a maintainer can act on.

Each case breaks one file in a built copy of the project, then checks that

* the build raises an EditionError naming the file, the line (where it can
  be known), what is wrong and a hint;
* docs/ and site/ are byte for byte as they were;
* `python -m scripts check` (run on the copy through EDITION_ROOT) prints the
  same message, exits 1 and writes nothing at all.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_project
from scripts.tools import build as build_mod
from scripts.core.errors import EditionError

SEED = "004_9da44b2121f2c531"          # the essay: plain data file
NOTED = "000_73d145eee412dd19"         # a text with margin notes


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A copy of the project with docs/ and site/ built."""
    root = copy_project(tmp_path_factory.mktemp("built"))
    build_mod.build(root=root)
    return root


@pytest.fixture
def project(built, tmp_path):
    root = tmp_path / "p"
    shutil.copytree(built, root, symlinks=True)
    return root


def tree(path: Path) -> dict[str, bytes]:
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def edit(path: Path, old: str, new: str, count: int = 1) -> int:
    """Replace text in a data file; return the (1-based) line of the change."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    line = text[:text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return line


def fails(root: Path) -> EditionError:
    """Build must fail with an EditionError and leave docs/ and site/ as they were."""
    before = {d: tree(root / d) for d in ("docs", "site")}
    with pytest.raises(EditionError) as err:
        build_mod.build(root=root)
    for d in ("docs", "site"):
        assert tree(root / d) == before[d], f"the failed build changed {d}/"
    assert not (root / "docs.tmp").exists() and not (root / "site.tmp").exists()
    return err.value


def check_says(root: Path, err: EditionError) -> None:
    """`python -m scripts check` on the copy reports the same error and writes nothing."""
    before = tree(root)
    env = dict(os.environ, EDITION_ROOT=str(root))
    proc = subprocess.run([sys.executable, "-m", "scripts", "check"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert str(err) in proc.stderr, proc.stderr
    assert tree(root) == before, "check wrote something"


def assert_message(err: EditionError, file: str, line: int | None, *words: str, hint: str | None = ""):
    msg = str(err)
    assert err.path.endswith(file), msg
    if line is not None:
        assert err.line == line, msg
        assert f"{file}:{line}:" in msg, msg
    for w in words:
        assert w in msg, f"{w!r} not in {msg}"
    if hint is not None:
        assert err.hint and hint in err.hint, msg


def test_malformed_yaml(project):
    path = project / "seeds" / f"{SEED}.yml"
    line = edit(path, "slug: ", "slug: [unclosed, ")
    err = fails(project)
    assert_message(err, f"{SEED}.yml", None, "not valid YAML", hint="indentation")
    assert err.line is not None and abs(err.line - line) <= 2, str(err)
    check_says(project, err)


def test_missing_required_field(project):
    path = project / "seeds" / f"{SEED}.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^slug: .*\n", "", text), encoding="utf-8")
    err = fails(project)
    assert_message(err, f"{SEED}.yml", None, "missing the required field 'slug'", hint="slug")
    assert err.line is not None, str(err)
    check_says(project, err)


def test_unknown_field_suggests_the_real_one(project):
    path = project / "seeds" / f"{SEED}.yml"
    line = edit(path, "summary:", "sumary:")
    err = fails(project)
    assert_message(err, f"{SEED}.yml", line, "unknown field 'sumary'", hint="did you mean 'summary'")
    check_says(project, err)


def test_unknown_nested_field_suggests_the_real_one(project):
    path = project / "seeds" / f"{SEED}.yml"
    line = edit(path, "  publication:", "  publicaton:")
    err = fails(project)
    assert_message(err, f"{SEED}.yml", line, "unknown field 'publicaton'", "source",
                   hint="did you mean 'publication'")


def test_wrong_choice_suggests_the_real_one(project):
    path = project / "seeds" / f"{NOTED}.yml"
    line = edit(path, "kind: censor", "kind: censr")
    err = fails(project)
    assert_message(err, f"{NOTED}.yml", line, "'censr'", hint="did you mean 'censor'")


def _notes(project) -> Path:
    path = project / "seeds" / f"{NOTED}.notes.yml"
    if not path.exists():
        pytest.skip("no margin notes in seeds/ yet")
    return path


def test_note_anchor_that_matches_nothing_names_note_and_nearest_passage(project):
    path = _notes(project)
    text = path.read_text(encoding="utf-8")
    m = re.search(r"(?m)^  - id: (\S+)\n(?:    .*\n)*?    exact: (.+)\n", text)
    note_id, exact = m.group(1), m.group(2).strip().strip("'\"")
    broken = exact[:-1] + ("X" if exact[-1] != "X" else "Y")
    line = text[:m.start()].count("\n") + 1
    path.write_text(text[:m.start(2)] + repr(broken) + text[m.end(2):], encoding="utf-8")
    err = fails(project)
    assert_message(err, f"{NOTED}.notes.yml", line, f"note {note_id!r}", "matches nothing",
                   hint="nearest passage")
    assert exact[:10] in err.hint, str(err)
    check_says(project, err)


def test_note_anchor_that_matches_several_places(project):
    path = _notes(project)
    text = path.read_text(encoding="utf-8")
    m = re.search(r"(?m)^  - id: (\S+)\n(?:    .*\n)*?    exact: (.+)\n", text)
    note_id = m.group(1)
    line = text[:m.start()].count("\n") + 1
    block = text[m.start():]
    nxt = re.search(r"(?m)^  - id: ", block[5:])
    block = block[:nxt.start() + 5] if nxt else block
    new = re.sub(r"(?m)^    (prefix|suffix): .*\n", "", block)
    new = re.sub(r"(?m)^    exact: .*$", "    exact: DeepSeek", new)
    path.write_text(text[:m.start()] + new + text[m.start() + len(block):], encoding="utf-8")
    err = fails(project)
    assert_message(err, f"{NOTED}.notes.yml", line, f"note {note_id!r}", "places", hint="prefix")


def test_duplicate_note_id(project):
    path = _notes(project)
    text = path.read_text(encoding="utf-8")
    ids = re.findall(r"(?m)^  - id: (\S+)$", text)
    assert len(ids) >= 2
    second = text.index(f"  - id: {ids[1]}\n")
    line = text[:second].count("\n") + 1
    path.write_text(text[:second] + f"  - id: {ids[0]}\n" + text[second + len(f'  - id: {ids[1]}') + 1:],
                    encoding="utf-8")
    err = fails(project)
    assert_message(err, f"{NOTED}.notes.yml", line, f"note id {ids[0]!r} is used twice", hint="own id")
    check_says(project, err)


def test_note_id_used_in_two_notes_files(project):
    """An id already used in another text's notes: both files and lines are named."""
    first = _notes(project)
    other = project / "seeds" / f"{SEED}.notes.yml"
    if not other.exists():
        pytest.skip(f"no margin notes for {SEED}")
    first_text = first.read_text(encoding="utf-8")
    taken = re.search(r"(?m)^  - id: (\S+)$", first_text)
    first_line = first_text[:taken.start()].count("\n") + 1
    mine = re.search(r"(?m)^  - id: (\S+)$", other.read_text(encoding="utf-8")).group(1)
    line = edit(other, f"  - id: {mine}\n", f"  - id: {taken.group(1)}\n")
    err = fails(project)
    assert_message(err, f"{SEED}.notes.yml", line, f"note id {taken.group(1)!r} is already used in",
                   f"{NOTED}.notes.yml:{first_line}", hint="unique across all notes files")
    check_says(project, err)


def test_unknown_entity_in_themes(project):
    themes = project / "seeds" / "themes.yml"
    if not (ROOT / "scripts" / "crosslink.py").exists() or not themes.exists():
        pytest.skip("no cross-links (scripts/crosslink.py and seeds/themes.yml) yet")
    text = themes.read_text(encoding="utf-8")
    m = re.search(r"(?m)^    entities: \[([\w-]+)", text)
    assert m, "no 'entities: [...]' in themes.yml"
    real = m.group(1)
    fake = real[:-1] + ("x" if real[-1] != "x" else "y")
    line = text[:m.start()].count("\n") + 1
    themes.write_text(text[:m.start(1)] + fake + text[m.end(1):], encoding="utf-8")
    err = fails(project)
    assert_message(err, "themes.yml", None, f"unknown entity {fake!r}", hint=f"did you mean {real!r}")
    assert err.line is not None and line - 3 <= err.line <= line, str(err)
    check_says(project, err)


def test_seed_whose_checksum_no_longer_matches(project):
    seed = project / "seeds" / f"{SEED}.txt"
    seed.write_bytes(seed.read_bytes().replace(b"DeepSeek", b"DeepSeak", 1))
    err = fails(project)
    assert_message(err, f"{SEED}.txt", None, "does not match its checksum", "MANIFEST.sha256",
                   hint="never edited")
    check_says(project, err)


def test_seed_missing_from_manifest(project):
    manifest = project / "seeds" / "MANIFEST.sha256"
    lines = manifest.read_text(encoding="utf-8").splitlines(keepends=True)
    manifest.write_text("".join(l for l in lines if SEED not in l), encoding="utf-8")
    err = fails(project)
    assert_message(err, f"{SEED}.txt", None, "not listed", hint="scripts add")


def test_malformed_manifest_line(project):
    manifest = project / "seeds" / "MANIFEST.sha256"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text + "not a checksum line\n", encoding="utf-8")
    err = fails(project)
    assert_message(err, "MANIFEST.sha256", text.count("\n") + 1, "SHA256", hint=None)


def test_bad_regular_expression_in_cleaning_rules(project):
    path = project / "seeds" / "cleaning.yml"
    line = edit(path, "'Leave a (Reply|Comment)", "'Leave a (Reply|Comment")
    err = fails(project)
    assert_message(err, "cleaning.yml", line, "not a valid regular expression", hint=None)


def test_structure_anchor_that_matches_nothing(project):
    path = project / "seeds" / f"{NOTED}.yml"
    line = edit(path, "start: The future of the Chinese economy", "start: The futur of the Chinese economy")
    err = fails(project)
    assert_message(err, f"{NOTED}.yml", None, "no paragraph begins with", hint="The future of the Chinese economy")
    assert err.line is not None and line - 3 <= err.line <= line, str(err)


def test_a_good_check_writes_nothing(built, tmp_path):
    root = tmp_path / "p"
    shutil.copytree(built, root, symlinks=True)
    before = tree(root)
    proc = subprocess.run([sys.executable, "-m", "scripts", "check"], cwd=ROOT,
                          env=dict(os.environ, EDITION_ROOT=str(root)), capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert tree(root) == before
