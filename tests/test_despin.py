"""Tests for the de-spinner (scripts/text/despin/ and seeds/spin-lexicon.yml).

The examples and rules of the hand-written lexicon are checked on the hand
lexicon alone (fixture ``hand``); everything else runs on the lexicon as the
build loads it, hand items merged with the learned ones.
"""
from __future__ import annotations

import difflib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.text import despin
from scripts.core.errors import EditionError
from scripts.core.model import Document, apply_edits, rebuild_text

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
LEXICON_PATH = SEEDS / "spin-lexicon.yml"
SPUN_SEED = SEEDS / "002_c871a5e50bffaf81.txt"
UNSPUN_SEEDS = [SEEDS / n for n in ("000_73d145eee412dd19.txt", "001_3dc2b41856cb6ad5.txt",
                                     "003_931163996799648f.txt", "004_9da44b2121f2c531.txt")]


@pytest.fixture(scope="module")
def lexicon():
    return despin.load_lexicon(LEXICON_PATH)


@pytest.fixture(scope="module")
def hand():
    return despin.load_lexicon(LEXICON_PATH, learned=False)


def restored(text, lexicon, spun=True):
    edits = despin.restore(text, lexicon, spun=spun)
    return apply_edits(text, edits, "despin")[0], edits


# --- the lexicon -------------------------------------------------------------------

def test_lexicon_is_large_and_has_the_context_rules(lexicon, hand):
    assert len(hand.items) >= 400 and len(lexicon.items) > len(hand.items)
    assert {i.source for i in hand.items} == {"hand"}
    assert all(i.source.startswith("learned from ") for i in lexicon.items if i.kind == "learned")
    ids = {i.id for i in lexicon.rules}
    for needed in ("management", "expertise", "analysis", "college", "celebration", "mentioned"):
        assert needed in ids


def _example_cases(kind_filter):
    lx = despin.load_lexicon(LEXICON_PATH, learned=False)
    return [pytest.param(item.id, k, id=f"{item.id}-{k}")
            for item in lx.items if kind_filter(item) for k in range(len(item.examples))]


@pytest.mark.parametrize("item_id,k", _example_cases(lambda i: True))
def test_every_lexicon_example_restores_as_written(hand, item_id, k):
    item = next(i for i in hand.items if i.id == item_id)
    spun, expected = item.examples[k]
    out, edits = restored(spun, hand)
    assert out == expected
    if spun != expected and item.kind != "rule":
        assert any(e.rule == item_id for e in edits), f"{item_id} did not fire on its own example"


@pytest.mark.parametrize("item_id,k", _example_cases(lambda i: i.scope == "always"))
def test_always_items_do_not_apply_in_texts_that_are_not_spun(hand, item_id, k):
    """Changed (issue 12): nothing fires on a text the detector does not judge
    spun, not even the tortured phrases that used to apply in any text."""
    item = next(i for i in hand.items if i.id == item_id)
    spun, expected = item.examples[k]
    assert despin.restore(spun, hand, spun=False) == []
    if spun != expected:            # the item does match there: it is the verdict that holds it back
        assert despin.find(spun, hand, spun=True)


@pytest.mark.parametrize("rule_id", [r.id for r in despin.load_lexicon(LEXICON_PATH, learned=False).rules])
def test_every_case_of_every_rule_is_exercised(hand, rule_id):
    rule = next(r for r in hand.rules if r.id == rule_id)
    produced, kept = set(), False
    for spun, expected in rule.examples:
        edits = [e for e in despin.restore(spun, hand, spun=True) if e.rule == rule_id]
        produced |= {re.sub(r"^(a|an) ", "", e.new.lower()) for e in edits}
        if not edits and " ".join(rule.words).lower() in spun.lower():
            kept = True
    for choice in rule.choices:
        if choice.original is None:
            assert kept, f"{rule_id}: no example keeps the scraped reading"
        else:
            assert choice.original.lower() in produced, f"{rule_id}: no example restores {choice.original!r}"


# --- restoring the spun scrape -----------------------------------------------------------

def test_spun_scrape_scores_as_spun_and_others_do_not(lexicon):
    spun = despin.score(SPUN_SEED.read_text(encoding="utf-8"), lexicon)
    assert spun.spun and spun.per_thousand > 3 * lexicon.threshold     # changed (issue 12): threshold 7 -> 10
    for path in UNSPUN_SEEDS:       # changed (issue 12): the score now weighs distinct markers, learned ones included
        s = despin.score(path.read_text(encoding="utf-8"), lexicon)
        assert not s.spun and s.per_thousand < lexicon.threshold / 2, path.name


def test_spun_scrape_reads_as_english(lexicon):
    text = SPUN_SEED.read_text(encoding="utf-8")
    out, edits = restored(text, lexicon, spun=None)
    assert out.splitlines()[0] == "What DeepSeek’s Success Tells Us About China’s Ability to Nurture Talent"
    for tortured in ("Chinese language", "mum or dad", "p.c", "Social gathering", "mentioned", "final 12 months",
                     "{", "laptop", "in line with", "synthetic", "weblog", "put up", "founding father", "reminiscent",
                     "College", "Know-how", "Individuals", "slightly than", "on-line", "mannequin", "dangers"):
        assert tortured not in out, tortured
    for phrase in ("according to the company’s founder", "read one blog post’s headline",
                   "said last month that fierce competition", "ceding tech leadership to China",
                   "the ruling Communist Party", "Under its current top leader, Xi Jinping, the party has emphasized control",
                   "a professor of electrical and computer engineering at Duke University",
                   "about 18 percent from American ones", "trust in young talent",
                   "greater control over innovation resources", "its parent hedge fund",
                   "a professor at the University of Technology Sydney", "Siyi Zhao contributed research."):
        assert phrase in out, phrase
    assert len(edits) > 150


def test_edits_are_well_formed(lexicon):
    text = SPUN_SEED.read_text(encoding="utf-8")
    edits = despin.restore(text, lexicon)
    last = 0
    for e in edits:
        assert e.kind == "spin" and e.rule and e.reason
        assert e.start >= last, "edits overlap"
        assert "\n\n" not in text[e.start:e.end]
        assert 0 < e.confidence <= 1
        assert e.data["uncertain"] == (e.confidence < 0.7)
        last = e.end
    assert any(e.data["uncertain"] for e in edits)      # unsure restorations are kept, and marked


def test_capitalisation_is_preserved(hand):
    out, _ = restored("Chinese language firms grew. Mum or dad firms too. MUM OR DAD.", hand)
    assert out == "Chinese companies grew. Parent companies too. PARENT."


def test_articles_follow_the_restored_word(hand):
    out, _ = restored("A web-based commentary and an excessive price.", hand)
    assert out == "An online commentary and a high price."
    # a word in capitals for emphasis is not an initialism: "an HIGH" was written before
    out, _ = restored("They paid AN EXCESSIVE PRICE.", hand)
    assert out == "They paid A HIGH PRICE."


def test_apply_then_undo_gives_the_scrape_back(lexicon):
    for path in [SPUN_SEED] + UNSPUN_SEEDS:
        text = path.read_text(encoding="utf-8")
        new, changes = apply_edits(text, despin.restore(text, lexicon, spun=True), "despin")
        assert rebuild_text(new, changes) == text


# --- ordinary English is left alone --------------------------------------------------------

@pytest.mark.parametrize("path", UNSPUN_SEEDS, ids=lambda p: p.name[:3])
def test_unspun_scrapes_change_next_to_nothing(lexicon, path):
    text = path.read_text(encoding="utf-8")
    edits = despin.restore(text, lexicon)
    assert len(edits) <= 2
    out = apply_edits(text, edits, "despin")[0]
    for phrase in ("training costs", "training data", "research", "said"):
        assert out.count(phrase) == text.count(phrase)


def test_run_restores_only_spun_documents(lexicon):
    spun_text = SPUN_SEED.read_text(encoding="utf-8")
    plain = UNSPUN_SEEDS[3].read_text(encoding="utf-8")
    doc = Document(seed="x.txt", raw=b"", meta={"spun": "auto"}, text=spun_text)
    despin.run(doc, lexicon)
    assert doc.spun and doc.spin_score > lexicon.threshold and "despin" in doc.stages
    assert rebuild_text(doc.text, doc.changes) == spun_text
    doc = Document(seed="y.txt", raw=b"", meta={}, text=plain)
    despin.run(doc, lexicon)
    assert not doc.spun and doc.text == plain and not doc.changes
    doc = Document(seed="z.txt", raw=b"", meta={"spun": False}, text=spun_text)
    despin.run(doc, lexicon)
    assert not doc.spun and doc.text == spun_text
    doc = Document(seed="w.txt", raw=b"", meta={"spun": True}, text="He mentioned it twice. Profits rose 5 p.c.")
    despin.run(doc, lexicon)
    assert doc.spun and doc.text == "He mentioned it twice. Profits rose 5 percent."
    with pytest.raises(EditionError):
        despin.run(Document(seed="v.txt", raw=b"", meta={"spun": "maybe"}, text="x"), lexicon)


# --- the despin command ---------------------------------------------------------------------

def _cli(*args):
    return subprocess.run([sys.executable, "-m", "scripts", "despin", *args], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8")


def test_despin_command_prints_exactly_the_restored_text(lexicon):
    text = SPUN_SEED.read_text(encoding="utf-8")
    r = _cli(str(SPUN_SEED))
    assert r.returncode == 0, r.stderr
    assert r.stdout == apply_edits(text, despin.restore(text, lexicon), "despin")[0]


def test_despin_command_record_is_json_with_positions(lexicon):
    text = SPUN_SEED.read_text(encoding="utf-8")
    r = _cli(str(SPUN_SEED), "--record")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert len(rows) == len(despin.restore(text, lexicon))
    for row in rows:
        assert set(row) == {"start", "end", "scraped", "restored", "rule", "confidence", "uncertain"}
        assert text[row["start"]:row["end"]] == row["scraped"]
        assert isinstance(row["uncertain"], bool) and 0 < row["confidence"] <= 1


def test_despin_command_leaves_ordinary_text_alone(tmp_path):
    p = tmp_path / "plain.txt"
    p.write_text("The training data was said to cost little. Research continues.\n", encoding="utf-8")
    r = _cli(str(p))
    assert r.returncode == 0 and r.stdout == p.read_text(encoding="utf-8")


def test_despin_command_errors_go_to_stderr(tmp_path):
    r = _cli(str(tmp_path / "missing.txt"))
    assert r.returncode != 0 and r.stdout == "" and "missing.txt" in r.stderr
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00bad")
    r = _cli(str(bad))
    assert r.returncode != 0 and r.stdout == "" and "UTF-8" in r.stderr


# --- lexicon errors name file and line -------------------------------------------------------

GOOD_ENTRY = '- {id: a, spun: mum or dad, original: parent, ex: ["x mum or dad", "x parent"]}\n'


@pytest.mark.parametrize("body,message,line", [
    ("entries:\n" + GOOD_ENTRY + '- {id: b, spun: Mum or dad, original: parent, ex: ["a", "a"]}\nrules: []\n',
     "already in the lexicon", 4),
    ("entries:\n" + GOOD_ENTRY + '- {id: a, spun: p.c, original: percent, ex: ["a", "a"]}\nrules: []\n',
     "already used", 4),
    ("entries:\n" + '- {id: c, spun: p.c, original: percent, colour: red, ex: ["a", "a"]}\nrules: []\n',
     "unknown field 'colour'", 3),
    ("entries:\n" + '- {id: d, spun: p.c, original: percent, ex: ["only one"]}\nrules: []\n',
     "needs pairs", 3),
    ("entries:\n" + '- {id: e, spun: p.c, original: percent, confidence: 3, ex: ["a", "a"]}\nrules: []\n',
     "between 0 and 1", 3),
    ("entries:\n" + '- {id: f, pattern: "(", original: x, ex: ["a", "a"]}\nrules: []\n',
     "not a valid regular expression", 3),
    ("entries:\n" + '- {id: g, spun: p.c, original: percent, when: {after: ["<nmu>"]}, ex: ["a", "a"]}\nrules: []\n',
     "unknown special word", 3),
    ("entries: []\nrules:\n- id: h\n  spun: celebration\n  cases:\n  - {why: w, when: {near: [party]}}\n"
     '  ex: ["a", "a"]\n', "either 'to'", 7),
    ("entries: []\nrules:\n- id: i\n  spun: celebration\n  cases: []\n  ex: [\"a\", \"a\"]\n",
     "at least one case", 6),
])
def test_bad_lexicon_is_an_edition_error_with_a_line(tmp_path, body, message, line):
    p = tmp_path / "spin-lexicon.yml"
    p.write_text("threshold: 5\n" + body, encoding="utf-8")
    with pytest.raises(EditionError) as exc:
        despin.load_lexicon(p)
    assert message in str(exc.value) and exc.value.line == line and "spin-lexicon.yml" in exc.value.path


# --- held out: paragraphs spun by hand, not from the lexicon ----------------------------------
#
# Each pair is ordinary news English written for this test and the same text
# spun by hand the way this spinner family does it.  The restorer has never
# seen these sentences; the check measures how many spun words come back.

HELD_OUT = [
    ("The central bank raised interest rates for the third time this year, saying inflation remained too high. "
     "Officials said the economy was still growing, but consumer spending slowed last month and the unemployment "
     "rate rose to 4.2 percent. Investors expect another increase in March, according to a survey of economists.",
     "The central financial institution raised curiosity charges for the third time this 12 months, saying inflation "
     "remained too excessive. Officers mentioned the financial system was nonetheless rising, however client spending "
     "slowed final month and the unemployment charge rose to 4.2 p.c. Traders count on one other improve in Walk, "
     "in line with a survey of economists."),
    ("Doctors at the hospital said the patient, a 35-year-old woman, was in stable condition after surgery. The "
     "health ministry reported 200 new cases of the virus on Monday, and officials urged parents to keep children "
     "at home if they show symptoms such as fever.",
     "Docs on the hospital mentioned the affected person, a 35-year-old girl, was in secure situation after "
     "surgical procedure. The well being ministry reported 200 new circumstances of the virus on Monday, and officers "
     "urged mother and father to maintain youngsters at dwelling in the event that they present signs reminiscent "
     "of fever."),
    ("The president signed the bill on Friday after weeks of negotiations with Republican leaders in the House. "
     "Critics said the new law would hurt small businesses, while supporters argued it would create thousands of "
     "jobs and boost economic growth over the next decade.",
     "The president signed the invoice on Friday after weeks of negotiations with Republican leaders within the "
     "Home. Critics mentioned the brand new legislation would harm small companies, whereas supporters argued it "
     "might create 1000's of jobs and enhance financial development over the subsequent decade."),
    ("The company said its new artificial intelligence model was trained on public data and would be available "
     "to users next month. Its founder told reporters that the technology could help doctors and teachers, but "
     "experts warned about the risks to privacy.",
     "The corporate mentioned its new synthetic intelligence mannequin was educated on public knowledge and could "
     "be obtainable to customers subsequent month. Its founding father informed reporters that the expertise may "
     "assist medical doctors and lecturers, however consultants warned in regards to the dangers to privateness."),
    ("Police said at least 10 people were killed and dozens injured when a fire broke out in a factory near the "
     "capital last night. The government said it would investigate, and the prime minister promised to help the "
     "families of the victims.",
     "Police mentioned no less than 10 individuals had been killed and dozens injured when a hearth broke out in a "
     "manufacturing facility close to the capital final evening. The federal government mentioned it might "
     "examine, and the prime minister promised to assist the households of the victims."),
]

_WORD = re.compile(r"[\w’'.-]+|[^\w\s]")


def _changed(reference: str, other: str) -> int:
    """Words of the reference that differ in the other text."""
    a, b = _WORD.findall(reference), _WORD.findall(other)
    sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in sm.get_opcodes() if op != "equal")


def held_out_recovery(lexicon) -> float:
    """Changed (issue 12): a spun verdict now needs a minimum length, so the five
    paragraphs are judged and restored as one text, not one by one."""
    original = "\n\n".join(o for o, _ in HELD_OUT)
    spun = "\n\n".join(s for _, s in HELD_OUT)
    out, _ = restored(spun, lexicon, spun=None)
    return 1 - _changed(original, out) / _changed(original, spun)


def test_held_out_recovery(lexicon):
    rate = held_out_recovery(lexicon)
    print(f"held-out recovery: {rate:.0%} of spun words restored")
    assert rate >= 0.6
    assert despin.score("\n\n".join(s for _, s in HELD_OUT), lexicon).spun
    assert not despin.score("\n\n".join(o for o, _ in HELD_OUT), lexicon).spun


def test_tokens_made_on_demand_equal_tokens_made_at_once(lexicon):
    """The lazy token list gives, token by token, what making every token at
    once gives: positions, keys, possessive bases, paragraphs, line starts."""
    from scripts.core.corpus import seed_files
    from scripts.text.despin.match import Tokens, _tokenize
    texts = [p.read_text(encoding="utf-8") for p in seed_files()]
    texts += [ex for it in lexicon.items for ex, _ in it.examples]
    texts += ["\n\nFirst’s line\r\n\r\nnext \u2018quoted\u2019 İstanbul’s ΟΔΟΣ Σ word.\n \n\nlast", "", "   ", "a"]
    for text in texts:
        lazy = Tokens(text)
        assert len(lazy) == len(_tokenize(text))
        assert list(lazy) == _tokenize(text), text[:80]
        assert lazy[len(lazy) // 2:len(lazy) // 2 + 3] == _tokenize(text)[len(lazy) // 2:len(lazy) // 2 + 3]


@pytest.mark.parametrize("pattern, text, literal", [
    (r"\b(\d+)-(year|month)-outdated\b", "a 35-year-outdated man", "-outdated"),
    (r"\{([A-Za-z]+)\|[a-z|]{1,200}\}", "{big|large}", "{"),     # the counted repeat is no literal
    (r"a(bc)?de", "ade", "de"),                                   # a group may be absent
    (r"xy+z", "xyyyz", "x"),                                      # a quantified character may repeat
    (r"[\]x]yz{1,3}", "]yzzz", "y"),
    (r"\.com\b", "example.com", ".com"),
    (r"abc|def", "def", ""),                                      # a top-level choice: nothing is certain
])
def test_required_literal_is_in_every_match(pattern, text, literal):
    """find skips a pattern whose literal is not in the text, so the literal must be
    in every match; a wrong one would silently lose restorations."""
    from scripts.text.despin.lexicon import required_literal
    assert re.search(pattern, text)
    assert required_literal(pattern) == literal
    assert literal in re.search(pattern, text).group()


def test_pattern_items_literal_is_in_their_examples(lexicon):
    for it in lexicon.patterns:
        for spun, _ in it.examples:
            hay = spun if it.case_sensitive else spun.lower()
            assert it.needle in hay, (it.id, it.needle, spun)


# --- spelling: the spinner's British forms in an American text ------------------------------

AMERICAN_SPUN = ("The company has emphasised control. It recognized the problem and criticized "
                 "the plan, then organized a meeting at the center.")


def test_british_form_is_restored_in_a_text_spelled_the_american_way(hand):
    out, edits = restored(AMERICAN_SPUN, hand)
    assert "has emphasized control" in out
    spelling = [e for e in edits if e.rule == "american-spelling"]
    assert [AMERICAN_SPUN[e.start:e.end] for e in spelling] == ["emphasised"]
    assert spelling[0].confidence >= despin.UNCERTAIN_BELOW        # shown as a plain restoration


def test_british_forms_stay_in_british_and_mixed_texts(hand):
    british = ("The company has emphasised control. It recognised the problem and criticised "
               "the plan, then organised a meeting at the centre of town.")
    mixed = "The company has emphasised control and recognised the problem; it organized a meeting."
    for text in (british, mixed):
        assert not [e for e in despin.restore(text, hand, spun=True) if e.rule == "american-spelling"]


def test_spelling_needs_a_spun_verdict_and_leaves_names_and_twinless_words(hand):
    assert not despin.restore(AMERICAN_SPUN, hand, spun=False)
    text = ("The Labour Party and the Centre for Policy emphasised control. They recognized it, "
            "criticized it and organized it; the promise of exercise and surprise stays.")
    changed = {text[e.start:e.end] for e in despin.restore(text, hand, spun=True) if e.rule == "american-spelling"}
    assert changed == {"emphasised"}


def test_spelling_pairs():
    from scripts.text.despin.spelling import american, is_american
    assert american("emphasised") == "emphasized"
    assert american("organisation") == "organization"
    assert american("colour") == "color" and american("favourite") == "favorite"
    assert american("centre") == "center" and american("defence") == "defense"
    for word in ("promise", "exercise", "surprise", "four", "hour", "tour", "more", "fence", "since"):
        assert american(word) is None, word
    assert is_american("recognized") and is_american("color") and is_american("theater")
    assert not is_american("size") and not is_american("for") and not is_american("other")
    assert american("centred") == "centered" and american("theatres") == "theaters"


# --- quotes a copy site left unspun --------------------------------------------------------

SPUN_NARRATIVE = ("The Training Division mentioned on Tuesday that debtors within the scholar mortgage program would "
                  "see a 5 p.c lower of their month-to-month funds. Officers mentioned the Chinese language lenders had "
                  "been towards the plan, and the Home Speaker stated the invoice would go subsequent 12 months. ")
PLAIN_QUOTE = ("“We mentioned the plan to the families, and we will keep working with every one of them until the job "
               "is done, because that is what people in this town expect from the people they elect to serve them "
               "year after year,” she said.")
SPUN_QUOTE = ("“We mentioned the plan to the households, and we are going to preserve working with each one in all them "
              "till the job is finished, as a result of that’s what individuals on this city count on from the folks "
              "they elect to serve them 12 months after 12 months,” she stated.")


def _inside_quote(text, edits):
    a, b = text.index("“"), text.index("”") + 1
    return [text[e.start:e.end] for e in edits if a <= e.start and e.end <= b]


def test_quotes_left_unspun_by_the_copy_site_keep_their_words(lexicon):
    text = SPUN_NARRATIVE + PLAIN_QUOTE + " " + SPUN_NARRATIVE
    edits = despin.restore(text, lexicon, spun=True)
    assert _inside_quote(text, edits) == []
    assert len(edits) > 20                                   # the narrative is restored as before
    assert "borrowers in the student loan program" in apply_edits(text, edits, "despin")[0]


def test_spun_quotes_are_restored(lexicon):
    text = SPUN_NARRATIVE + SPUN_QUOTE + " " + SPUN_NARRATIVE
    inside = _inside_quote(text, despin.restore(text, lexicon, spun=True))
    assert "as a result of" in inside and "individuals" in inside


def test_short_quotes_are_judged_with_the_text(lexicon):
    text = SPUN_NARRATIVE + "“We mentioned it until the end,” she said. " + SPUN_NARRATIVE
    from scripts.text.despin.match import find, unspun_quotes
    assert unspun_quotes(text, find(text, lexicon, True)) == []
