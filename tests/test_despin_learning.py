"""Tests for what issue 12 added to the de-spinner: learning from aligned pairs,
the learned file, the detector's evidence rules, and the guarantee that
nothing fires on an unspun text."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from scripts.core.errors import EditionError
from scripts.core.model import apply_edits, rebuild_text
from scripts.text import despin
from scripts.text.despin import detector, evaluation, learning

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
LEXICON_PATH = SEEDS / "spin-lexicon.yml"


@pytest.fixture(scope="module")
def lexicon():
    return despin.load_lexicon(LEXICON_PATH)


# --- learning on a small made-up pair ------------------------------------------------------

# (learning only counts inside the stretch both texts share, which starts at the
# first run of three equal words: here "In a statement")
ORIGINAL = ("In a statement the agency said on Monday that borrowers will see lower payments. Officials said the plan "
            "would help borrowers in the program, and the agency said more details would follow by the end of May.")
SPUN = ("In a statement the company mentioned on Monday that debtors will see decrease funds. Officials mentioned the plan "
        "would assist debtors in this system, and the company stated extra particulars would comply with by the end of May.")


def _made_up_corpus(tmp_path: Path) -> Path:
    for name, (spun, original) in {"001": (SPUN, ORIGINAL),
                                   "002": ("Nothing here is mentioned twice.", "Nothing here is said twice.")}.items():
        d = tmp_path / "pairs" / name
        d.mkdir(parents=True)
        (d / "spun.txt").write_text(spun, encoding="utf-8")
        (d / "original.txt").write_text(original, encoding="utf-8")
        (d / "meta.yml").write_text(f'title: "Article {name}"\nspun_url: "https://spun.example/{name}"\n'
                                    f'faithful_url: "https://news.example/{name}"\n', encoding="utf-8")
    (tmp_path / "split.yml").write_text('learn: ["001"]\nheldout: ["002"]\n', encoding="utf-8")
    return tmp_path


def test_learning_counts_word_and_phrase_substitutions():
    L = learning.learn([learning.Pair("p", "a", SPUN, ORIGINAL)])
    assert L.to[("mentioned",)] == {("said",): 2}
    assert L.to[("debtors",)] == {("borrowers",): 2}
    assert L.to[("company", "stated", "extra", "particulars")] == {("agency", "said", "more", "details"): 1}
    assert L.to[("this", "system")][("the", "program")] == 1         # kept as a phrase
    assert L.to[("decrease", "funds")][("lower", "payments")] == 1
    # changed (issue 12, all learn pairs): a word pair split out of a longer stretch of as many
    # words on each side counts on its own too (leave-article-out runs: more of the gap closed)
    assert L.to[("stated",)] == {("said",): 1} and L.to[("system",)] == {("program",): 1}
    assert ("comply",) not in L.to                  # "comply with" -> "follow": no word pairs
    both = learning.learn([learning.Pair("p", "a", SPUN, ORIGINAL),
                           learning.Pair("q", "b", "In a statement the funds were late again.",
                                         "In a statement the payments were late again.")])
    assert both.to[("funds",)][("payments",)] == 2 and both.articles[("funds",)][("payments",)] == {"a", "b"}
    assert ("monday",) not in L.to and ("the",) not in L.to            # equal words are not substitutions
    # context features: the words seen around each substitution
    assert L.before[("debtors",)][("borrowers",)] == {"that": 1, "assist": 1}
    # occurrences: "the" occurs, but only substitutions are counted as readings
    assert L.seen[("debtors",)] == 2 and L.kept[("debtors",)] == 0


def test_uneven_stretches_are_cut_with_what_the_first_pass_learned():
    """A replaced stretch whose two sides differ in length ("had been despatched" for "were
    sent") is cut into pieces when a piece is a substitution the pairs show elsewhere; the
    rest of the stretch is then learned word for word."""
    known = {("had", "been"): {("were",): 2}}
    assert learning.segment(("had", "been", "despatched"), ("were", "sent"), known) == [
        (0, 0, ("had", "been"), ("were",)), (2, 1, ("despatched",), ("sent",))]
    # the same word on both sides backs a cut too
    assert learning.segment(("kids", "with", "out", "secure"), ("children", "without", "stable"),
                            {("with", "out"): {("without",): 1}}) == [
        (0, 0, ("kids",), ("children",)), (1, 1, ("with", "out"), ("without",)), (3, 2, ("secure",), ("stable",))]
    # nothing known: no cut (a guess would pair words at random)
    assert learning.segment(("had", "been", "despatched"), ("were", "sent"), {}) == []
    # a stretch that is one known substitution whole is not counted twice
    assert learning.segment(("had", "been"), ("were",), known) == []
    # (learning counts between the first and the last run of three equal words)
    original = "In a statement the letters were sent on Monday, the agency said."
    spun = "In a statement the letters had been despatched on Monday, the agency said."
    pair = learning.Pair("p", "a", spun, original)
    L = learning.learn([pair, learning.Pair("q", "b", "In a statement they had been late on Monday, the agency said.",
                                            "In a statement they were late on Monday, the agency said.")])
    assert L.to[("despatched",)] == {("sent",): 1}
    assert L.to[("had", "been")][("were",)] == 2
    assert L.to[("had", "been", "despatched")][("were", "sent")] == 1      # and the stretch whole
    learning.SEGMENT = False
    try:
        assert ("despatched",) not in learning.learn([pair]).to
    finally:
        learning.SEGMENT = True


def test_learned_file_has_counts_and_provenance_but_no_text(tmp_path):
    corpus = _made_up_corpus(tmp_path / "corpus")
    out = tmp_path / "learned.json"
    assert learning.cli(corpus, str(out)) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == 1 and data["learned_from"] == 1
    by = {it["s"]: it for it in data["items"]}
    assert by["debtors"]["to"][0]["o"] == "borrowers" and by["debtors"]["to"][0]["n"] == 2
    assert "twice" not in out.read_text(encoding="utf-8")               # the held-out pair was never read
    assert "Officers mentioned the plan" not in out.read_text(encoding="utf-8")
    items = despin.lexicon.load_learned(out)
    assert {i.source for i in items} == {"learned from 1 article"}


def test_learning_refuses_a_split_that_shares_a_pair(tmp_path):
    corpus = _made_up_corpus(tmp_path)
    (corpus / "split.yml").write_text('learn: ["001"]\nheldout: ["001"]\n', encoding="utf-8")
    with pytest.raises(EditionError) as exc:
        learning.read_split(corpus)
    assert "both sides" in str(exc.value) and "split.yml" in exc.value.path


def test_a_broken_learned_file_is_an_edition_error(tmp_path):
    p = tmp_path / "spin-learned.json"
    p.write_text('{"format": 1, "items": [{"s": "x"}]}', encoding="utf-8")
    with pytest.raises(EditionError) as exc:
        despin.lexicon.load_learned(p)
    assert "despin-learn" in exc.value.hint


def _learned_only(tmp_path, items: list) -> object:
    """A lexicon with no hand-written items and these learned ones."""
    data = {"format": 1, "words": 1000, "items": items}
    (tmp_path / "spin-learned.json").write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "spin-lexicon.yml").write_text("threshold: 5\nentries: []\nrules: []\n", encoding="utf-8")
    return despin.load_lexicon(tmp_path / "spin-lexicon.yml")


def test_learned_items_choose_by_context(tmp_path):
    """One spun reading, two originals: the words seen around each pick one."""
    lx = _learned_only(tmp_path, [
        {"s": "compensation", "seen": 6, "kept": 0, "lift": 50, "to": [
            {"o": "repayment", "n": 4, "a": 3, "b": {"loan": 4}, "f": {"plan": 4}},
            {"o": "pay", "n": 2, "a": 2, "b": {"executive": 2}, "f": {}}]}])
    text = "The loan compensation plan changed. Executive compensation rose."
    out = apply_edits(text, despin.restore(text, lx, spun=True), "despin")[0]
    assert out == "The loan repayment plan changed. Executive pay rose."


def test_after_a_form_of_be_an_ing_reading_restores_to_the_ing_form(tmp_path):
    """"beginning" was "start" three times (after "the") and "starting" once: after "that's" or
    "is" it is the verb's -ing form; after "the" (and after a name's "'s") it stays the noun."""
    lx = _learned_only(tmp_path, [
        {"s": "beginning", "seen": 4, "kept": 0, "lift": 3, "to": [
            {"o": "start", "n": 3, "a": 2, "b": {"the": 3}, "f": {"of": 2}},
            {"o": "starting", "n": 1, "a": 1, "b": {",": 1}, "f": {}}]}])
    text = ("By some metrics, that\u2019s beginning to change. The market is beginning to move. "
            "China's beginning was slow, and the beginning of the year was quiet.")
    out = apply_edits(text, despin.restore(text, lx, spun=True), "despin")[0]
    assert out == ("By some metrics, that\u2019s starting to change. The market is starting to move. "
                   "China's start was slow, and the start of the year was quiet.")


# --- the detector ------------------------------------------------------------------------------

MADE_UP_SPUN = (
    "Officers mentioned on Tuesday that the scholar mortgage debtors would see decrease month-to-month "
    "funds beneath the brand new plan, whereas critics stated the modifications would harm tens of millions "
    "of households. The training division mentioned it might proceed to evaluate the coverage. "
    "Within the meantime, debtors ought to make their funds as a result of curiosity will proceed to "
    "accrue, in line with the division's steering. One other 12 months of delays would price the "
    "authorities billions, the company mentioned, and the courtroom will rule subsequent month.")
MADE_UP_PLAIN = (
    "Officials said on Tuesday that student loan borrowers would see lower monthly payments under the new "
    "plan, while critics said the changes would hurt millions of families. The education department said it "
    "would continue to review the policy. In the meantime, borrowers should make their payments because "
    "interest will continue to accrue, according to the department's guidance. Another year of delays would "
    "cost the government billions, the agency said, and the court will rule next month.")


def test_detector_on_made_up_texts(lexicon):
    v = despin.verdict(MADE_UP_SPUN, lexicon)
    assert v.spun and v.label == "spun" and len(v.evidence) >= detector.MIN_DISTINCT
    v = despin.verdict(MADE_UP_PLAIN, lexicon)
    assert not v.spun and v.label == "not spun"


def test_a_short_text_is_never_judged_spun(lexicon):
    short = "Officers mentioned the scholar mortgage debtors whereas the training division stated 5 p.c."
    assert len(short.split()) < detector.MIN_WORDS
    assert not despin.verdict(short, lexicon).spun and despin.restore(short, lexicon) == []


def test_markers_in_titles_banners_and_names_are_no_evidence(lexicon):
    """The same tortured words in a title line, an all-caps banner and proper names
    give no spun verdict."""
    body = (" ".join(["The council met on Tuesday and agreed the budget for the coming year."] * 8))
    text = ("Synthetic Intelligence Worldwide Awards: mum or dad firms\n\n"
            "MUM OR DAD AWARDS WORLDWIDE P.C JONES\n\n"
            f"{body} The prize went to Scholar Mortgage Debtors Ltd and P.C. Jones. {body}")
    s = despin.score(text, lexicon)
    assert not s.spun and s.markers == [], s.markers


def test_ordinary_english_is_left_alone_even_in_a_spun_looking_context(lexicon):
    for text in ("P.C. Jones said the final 12 months of the contract were hard.",
                 "The set {1, 2, 3} has three members.", '{"name": "x", "items": [1, 2]}',
                 "<title>{{ config.site_name }}</title>"):
        padded = text + "\n\n" + MADE_UP_PLAIN
        assert despin.restore(padded, lexicon) == [], text


def test_braces_are_undone_only_round_words_in_spun_text(lexicon):
    text = MADE_UP_SPUN + "\n\nA professor {of electrical} and {{ config.site_name }} and {1, 2, 3} and {\"a\": 1}."
    out = apply_edits(text, despin.restore(text, lexicon), "despin")[0]
    assert "professor of electrical" in out
    for kept in ("{{ config.site_name }}", "{1, 2, 3}", '{"a": 1}'):
        assert kept in out


def test_unknown_rewriter_is_reported_and_left_alone(lexicon):
    text = ("The Chinese start that has taken the AI world was founded in 2023. " * 2 +
            "Some have shown the high number of scientific doctrines produced by China annually. " * 3 +
            "They face a corporate grinding culture and long hours in many firms across the country. " * 3)
    v = despin.verdict(text, lexicon)
    assert v.label == "unknown rewriter" and not v.spun
    assert "mt-chinese-start" in v.evidence and despin.restore(text, lexicon) == []


# --- nothing fires on an unspun text ----------------------------------------------------------

UNSPUN = evaluation.unspun_texts(ROOT)


def test_the_unspun_set_is_all_there():
    assert len([p for p in UNSPUN if "unspun" in p.parts]) >= 125
    assert len([p for p in UNSPUN if p.name == "raw.txt"]) >= 10
    assert sum(1 for p in UNSPUN if p.parent == SEEDS) == 4


@pytest.mark.parametrize("path", UNSPUN, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_word_changes_in_an_unspun_text(lexicon, path):
    text = path.read_bytes().decode("utf-8", errors="replace")
    assert despin.restore(text, lexicon) == []


# --- the spun seed still rebuilds exactly --------------------------------------------------------

def test_spun_seed_restores_and_rebuilds_exactly(lexicon):
    text = (SEEDS / "002_c871a5e50bffaf81.txt").read_text(encoding="utf-8")
    edits = despin.restore(text, lexicon)
    assert any(e.rule.startswith("learned-") for e in edits)
    new, changes = apply_edits(text, edits, "despin")
    assert rebuild_text(new, changes) == text


# --- marker selection and names (issue 12, learning from every pair) -------------------------

def test_learning_counts_the_readings_in_ordinary_writing():
    ordinary = ["The officers mentioned it twice: mentioned, then mentioned again.", "Nothing spun here."]
    L = learning.learn([learning.Pair("p", "a", SPUN, ORIGINAL)], ordinary)
    assert L.ordinary[("mentioned",)] == 3          # the original (which says "said") has none
    assert L.ordinary[("debtors",)] == 0
    assert L.ordinary_words == 37 + 9 + 3         # the original's words and the two ordinary texts'


def _learned_file(tmp_path, items, ordinary_words=100_000):
    data = {"format": 1, "words": 10_000, "ordinary_words": ordinary_words, "items": items}
    (tmp_path / "spin-learned.json").write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "spin-lexicon.yml").write_text("threshold: 5\nentries: []\nrules: []\n", encoding="utf-8")
    return despin.load_lexicon(tmp_path / "spin-lexicon.yml")


def _item(spun, original, u, seen=20, names=0):
    return {"s": spun, "seen": seen, "kept": 0, "lift": 50, "u": u,
            "to": [{"o": original, "n": seen, "a": 5, "c": names, "b": {}, "f": {}}]}


def test_a_reading_ordinary_writing_uses_is_no_marker(tmp_path):
    """Spun 20 times in 10,000 words: a reading ordinary writing has 0 or 3 times in
    100,000 words is evidence (rarer there: more weight); 40 times is not."""
    lx = _learned_file(tmp_path, [_item("debtors", "borrowers", 0), _item("whereas", "while", 3),
                                  _item("within", "in", 40)])
    by = {it.spun: it for it in lx.items}
    assert by["debtors"].marker and by["whereas"].marker and not by["within"].marker
    assert by["debtors"].weight > by["whereas"].weight > 0


def test_an_original_seen_as_a_name_is_restored_only_in_names(tmp_path):
    """The pairs showed "Future" only for the game "Destiny": restored there, not in
    "the future of"; and it is no evidence of spinning."""
    item = _item("future", "destiny", 0, seen=23, names=20)
    item["to"][0]["n"] = 21
    # an alignment slip seen twice (a photo caption): the name's share still argues for keeping
    item["to"].append({"o": "a screenshot from destiny", "n": 2, "a": 1, "c": 0, "b": {}, "f": {}})
    lx = _learned_file(tmp_path, [item])
    it = next(i for i in lx.items if i.spun == "future")
    assert not it.marker
    text = "They played Future 2 all week. Nobody knows the future of the game."
    out = apply_edits(text, despin.restore(text, lx, spun=True), "despin")[0]
    assert out == "They played Destiny 2 all week. Nobody knows the future of the game."


def test_an_original_is_restored_only_when_likelier_than_the_reading_as_it_stands(tmp_path):
    """"many" was the spinner's 6 times in 14 and went to three originals (2 each): no single
    one is likelier than "many" itself, so it stays."""
    lx = _learned_file(tmp_path, [
        {"s": "many", "seen": 14, "kept": 8, "u": 70, "to": [
            {"o": "most", "n": 2, "a": 2, "b": {}, "f": {}}, {"o": "the", "n": 2, "a": 2, "b": {}, "f": {}},
            {"o": "those", "n": 2, "a": 2, "b": {}, "f": {}}]},
        {"s": "debtors", "seen": 9, "kept": 0, "u": 0, "to": [{"o": "borrowers", "n": 9, "a": 4, "b": {}, "f": {}}]}])
    text = "To many debtors the news came late."
    out = apply_edits(text, despin.restore(text, lx, spun=True), "despin")[0]
    assert out == "To many borrowers the news came late."
