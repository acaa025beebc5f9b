"""Synthetic corpora made from the seeds: generated entities, mixed paragraphs, spun copies, margin notes."""
from __future__ import annotations

import copy
import random
import re
import shutil
from pathlib import Path

from ...core import corpus
from .common import GLOSSARY_SIZE, ROOT


FIRST = ["Wei", "Li", "Chen", "Mei", "Hao", "Jun", "Lan", "Rui", "Xin", "Yu", "Anna", "Marek", "Priya", "Tomas",
         "Ingrid", "Kofi", "Lucia", "Omar", "Sven", "Yuki", "Dara", "Felix", "Nadia", "Ravi", "Elena", "Hugo"]
LAST = ["Zhao", "Qian", "Sun", "Zhou", "Wu", "Zheng", "Feng", "Chu", "Wei", "Jiang", "Halvorsen", "Okafor",
        "Brandt", "Moreau", "Kowalski", "Nakamura", "Varga", "Lindqvist", "Castellano", "Ibrahim", "Petrov"]
ORG_A = ["Vantor", "Quillon", "Sereno", "Halcyon", "Meridian", "Kestrel", "Orbis", "Lumen", "Tessaract",
         "Corvid", "Ardent", "Solace", "Nimbus", "Parallax", "Helix", "Zephyr", "Cobalt", "Juniper"]
ORG_B = ["Labs", "AI", "Systems", "Capital", "Institute", "Semiconductor", "Robotics", "Research", "Cloud"]
MODEL = ["Falcon", "Ibis", "Heron", "Lynx", "Otter", "Marten", "Egret", "Puffin", "Bison", "Viper"]
CONCEPT_A = ["sparse", "adaptive", "federated", "latent", "recursive", "distilled", "modular", "quantised"]
CONCEPT_B = ["routing", "attention", "pretraining", "alignment", "inference", "tokenisation", "scaling law"]
PLACE = ["Hangzhou", "Shenzhen", "Chengdu", "Suzhou", "Tianjin", "Wuhan", "Xiamen", "Nanjing", "Hefei"]
SENTENCES = [
    " {a} said much the same about {b}.",
    " According to {a}, {b} had seen it coming.",
    " {a} and {b} were cited in the same report.",
    " Compare what {a} wrote about {b} last year.",
    " {a} has disputed this, as has {b}.",
]


def make_entities(n: int, seed: int = 7) -> list[dict]:
    """n generated entities: name, kind, aliases (one of them misspelt), description."""
    rng = random.Random(seed)
    out, seen = [], set()
    kinds = ["person", "organisation", "model", "place", "concept"]
    while len(out) < n:
        kind = kinds[len(out) % len(kinds)]
        if kind == "person":
            first, last = rng.choice(FIRST), rng.choice(LAST)
            name = f"{last} {first}{rng.choice(['', 'an', 'ming', 'ling', 'ton', 'son'])}"
            aliases = [name.split()[1]]
        elif kind == "organisation":
            name = f"{rng.choice(ORG_A)}{rng.choice(['', 'ix', 'a', 'on'])} {rng.choice(ORG_B)}"
            aliases = [name.split()[0]]
        elif kind == "model":
            name = f"{rng.choice(MODEL)}-{rng.randint(2, 99)}{rng.choice(['B', 'X', 'Pro', ''])}"
            aliases = [name.replace("-", " ")]
        elif kind == "place":
            name = f"{rng.choice(PLACE)} {rng.choice(['Bay', 'Park', 'District', 'Zone'])} {rng.randint(1, 99)}"
            aliases = []
        else:
            name = f"{rng.choice(CONCEPT_A)} {rng.choice(CONCEPT_B)} {rng.randint(1, 999)}"
            aliases = []
        if name.lower() in seen:
            continue
        seen.add(name.lower())
        word = name.split()[0]
        if len(word) > 4:                               # a misspelling, as scrapes have them
            i = rng.randint(1, len(word) - 3)
            aliases.append(name.replace(word, word[:i] + word[i + 1] + word[i] + word[i + 2:], 1))
        aliases = [a for a in aliases if a.lower() not in seen and len(a) > 3]
        seen.update(a.lower() for a in aliases)
        out.append({"name": name, "kind": kind, "aliases": aliases,
                    "description": f"A generated {kind} for the benchmark's synthetic corpus."})
    return out


def _slugify(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")


def _entity_container(data):
    """(container, template) of the glossary's entity entries, whatever its top-level shape."""
    def is_entity(x):
        return isinstance(x, dict) and any(k in x for k in ("name", "title", "label", "term", "aliases"))
    if isinstance(data, list) and data and is_entity(data[0]):
        return data, data[0]
    if isinstance(data, dict):
        for key in ("entities", "glossary", "terms", "items"):
            v = data.get(key)
            if isinstance(v, list) and v and is_entity(v[0]):
                return v, v[0]
            if isinstance(v, dict) and v and all(isinstance(x, dict) for x in v.values()):
                return v, next(iter(v.values()))
        vals = [v for v in data.values() if isinstance(v, dict)]
        if vals and len(vals) == len(data) and is_entity(vals[0]):
            return data, vals[0]
        lists = [v for v in data.values() if isinstance(v, list) and v and is_entity(v[0])]
        if lists:
            return max(lists, key=len), max(lists, key=len)[0]
    return None, None


def _entity_like(template: dict, ent: dict, kinds: list[str]) -> dict:
    new = copy.deepcopy(template)
    for k, v in list(new.items()):
        kl = k.lower()
        if kl in ("name", "title", "label", "term"):
            new[k] = ent["name"]
        elif kl in ("id", "slug", "key"):
            new[k] = "bench-" + _slugify(ent["name"])
        elif kl in ("kind", "type", "category"):
            new[k] = ent["kind"] if ent["kind"] in kinds or not kinds else kinds[hash(ent["name"]) % len(kinds)]
        elif kl in ("aliases", "alias", "misspellings", "variants", "names"):
            new[k] = list(ent["aliases"]) if isinstance(v, list) else (ent["aliases"][0] if ent["aliases"] else "")
        elif kl in ("description", "desc", "text", "summary", "about", "note"):
            new[k] = ent["description"]
        elif isinstance(v, list):
            new[k] = []
        elif isinstance(v, dict):
            new[k] = {}
    return new


def extend_glossary(path: Path, generated: list[dict], total: int) -> tuple[int, int] | None:
    """Add generated entities to the glossary at path until it holds `total`; (real, added) or None."""
    import yaml
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    container, template = _entity_container(data)
    if container is None:
        return None
    real = len(container)
    kinds = sorted({str(e.get("kind") or e.get("type")) for e in
                    (container.values() if isinstance(container, dict) else container)
                    if isinstance(e, dict) and (e.get("kind") or e.get("type"))})
    add = max(0, total - real)
    for ent in generated[:add]:
        new = _entity_like(template, ent, kinds)
        if isinstance(container, dict):
            container["bench-" + _slugify(ent["name"])] = new
        else:
            container.append(new)
    path.write_text("# Real glossary plus generated entities, for the benchmark.\n"
                    + _dump(data), encoding="utf-8")
    return real, add


def lexicon_pairs(path: Path) -> list[tuple[str, str]]:
    """(spun, original) pairs from the spin lexicon, whatever its layout."""
    import yaml
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    spun_keys = ("spun", "spin", "sic", "from", "scraped")
    orig_keys = ("original", "orig", "corr", "to", "restore", "restored")
    pairs = []

    def walk(x):
        if isinstance(x, dict):
            s = next((x[k] for k in spun_keys if isinstance(x.get(k), str)), None)
            o = next((x[k] for k in orig_keys if isinstance(x.get(k), str)), None)
            if s and o:
                pairs.append((s, o))
                return
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
    walk(data)
    if not pairs and isinstance(data, dict):       # a plain mapping, spun: original
        for k in ("lexicon", "entries", "substitutions"):
            m = data.get(k)
            if isinstance(m, dict):
                pairs += [(s, o) for s, o in m.items() if isinstance(s, str) and isinstance(o, str)]
    seen, out = set(), []
    for s, o in pairs:                              # one spun reading per original
        if o.lower() not in seen and s != o and re.fullmatch(r"[\w' -]+", o):
            seen.add(o.lower())
            out.append((s, o))
    return out


def spin(text: str, pairs: list[tuple[str, str]], rng: random.Random) -> str:
    """The reverse of the lexicon: originals replaced with their spun readings, longest first, in one pass."""
    if not pairs:
        return text
    by_orig = {o.lower(): s for s, o in pairs}
    longest = max(len(o.split()) for o in by_orig)
    words = list(re.finditer(r"[A-Za-z0-9_']+", text))
    out, pos, i = [], 0, 0
    while i < len(words):
        for k in range(min(longest, len(words) - i), 0, -1):
            first, last = words[i], words[i + k - 1]
            phrase = text[first.start():last.end()]
            s = by_orig.get(phrase.lower())
            if s is not None and "\n" not in phrase:
                if rng.random() >= 0.15:            # spinners miss some
                    out += [text[pos:first.start()], s[0].upper() + s[1:] if phrase[0].isupper() else s]
                    pos = last.end()
                i += k
                break
        else:
            i += 1
    return "".join(out) + text[pos:]


def _dump(data) -> str:
    """YAML quickly: libyaml's emitter when PyYAML has it."""
    import yaml
    return yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True,
                     sort_keys=False, width=120)


def _paragraphs(raw: bytes) -> list[str]:
    text = raw.decode("utf-8", errors="surrogateescape").replace("\r\n", "\n")
    paras = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    if len(paras) < 3:          # a scrape with one paragraph a line and no blank lines
        paras = [p for p in text.split("\n") if p.strip()]
    return paras


PHRASE = re.compile(r"[A-Za-z]+(?: [A-Za-z]+){4}")


def _note_phrases(seeds: list[Path], paras: dict, rules, lexicon, pairs) -> dict[tuple[str, int], list[str]]:
    """Five-word phrases a note can anchor to, by (seed, raw paragraph number).

    A phrase qualifies when it occurs once in the seed's clean text, inside
    one block, and has no word the de-spinner might change; a synthetic text
    made of raw paragraphs then keeps the phrase as it is.  Only the five real
    seeds go through the pipeline here, so making a corpus costs little.
    """
    from ...text import pipeline
    spun_words = {w.lower() for s, o in pairs for w in re.findall(r"[A-Za-z]+", s + " " + o)}
    # every word any lexicon item (hand or learned) may restore: a synthetic text that mixes in
    # spun paragraphs is de-spun, and a note must not anchor on a word that may change
    spun_words |= {w.lower() for it in (getattr(lexicon, "items", None) or [])
                   for w in (getattr(it, "words", None) or ())}
    out = {}
    for p in seeds:
        doc = pipeline.process(p, rules, lexicon)
        if doc.spun:
            continue
        for j, para in enumerate(paras[p.stem]):
            good = []
            for m in PHRASE.finditer(para):
                ph = m.group()
                if any(w.lower() in spun_words for w in ph.split()) or doc.text.count(ph) != 1:
                    continue
                s = doc.text.index(ph)
                if any(bl.start <= s and s + len(ph) <= bl.end for bl in doc.blocks):
                    good.append(ph)
            out[(p.stem, j)] = good
    return out


def make_corpus(dest: Path, n_texts: int, entities: list[dict], pairs, notes: bool = True) -> dict:
    """A seeds/ folder of n_texts: the five real seeds and n_texts - 5 synthetic ones.

    The synthetic texts are not run through the pipeline here (that would
    cost as much as the run being measured): a pipeline crash or a note that
    does not anchor shows up as the measured run's error.
    """
    shutil.copytree(ROOT / "seeds", dest)
    seeds = corpus.seed_files(ROOT / "seeds")
    paras = {p.stem: _paragraphs(p.read_bytes()) for p in seeds}
    metas = {p.stem: corpus.load_seed_data(p)[0] for p in seeds}
    spun_seed = next((p.stem for p in seeds if "spun" in str(metas[p.stem].get("spun", "")).lower()
                      or "nyt" in metas[p.stem]["slug"]), seeds[min(2, len(seeds) - 1)].stem)
    stats = {"synthetic": 0, "spun": 0, "notes": 0, "glossary": None, "crashes": [],
             "words": sum(len("\n\n".join(ps).split()) for ps in paras.values())}
    names = [e["name"] for e in entities] + [a for e in entities for a in e["aliases"]]
    from ..build import lexicon_or_none
    phrases = _note_phrases(seeds, paras, corpus.load_rules(dest), lexicon_or_none(dest), pairs) if notes else {}
    kinds = ["context", "fact-check", "editorial", "cross-reference"]
    pool = [(s.stem, j) for s in seeds for j in range(1, len(paras[s.stem]))]

    for i in range(n_texts - len(seeds)):
        rng = random.Random(i)
        base = seeds[i % len(seeds)].stem
        spun = i % 4 == 3
        if spun and not pairs:
            base = spun_seed                        # without a lexicon: copies of the real spun scrape
        ps = paras[base]
        k = max(3, int(len(ps) * rng.uniform(0.25, 2.0)))
        own = [(base, (j % (len(ps) - 1)) + 1) for j in range(k - 1)]
        chosen = [own[j] if j < len(ps) - 1 or spun else rng.choice(pool)
                  for j in range(k - 1)]
        body = [paras[s][j] for s, j in chosen]
        for _ in range(rng.randint(3, 15)):         # generated entities mentioned in the text
            j = rng.randrange(len(body))
            body[j] = body[j].rstrip() + rng.choice(SENTENCES).format(a=rng.choice(names), b=rng.choice(names))
        text = "\n\n".join([f"{ps[0].strip()} ({i + 1})"] + body) + "\n"
        if spun and pairs:
            text = spin(text, pairs, rng)
        stem = f"{900 + i:04d}_bench{i:05d}"
        path = dest / f"{stem}.txt"
        path.write_bytes(text.encode("utf-8", errors="surrogateescape"))
        data = {"slug": f"bench-{i + 1:04d}-{metas[base]['slug']}"[:60],
                "summary": f"Synthetic text {i + 1} for the benchmark, made from {base}.",
                "source": {"kind": "synthetic", "publication": "Benchmark corpus",
                           "date": f"2025-01-{1 + i % 28:02d}"}}
        path.with_suffix(".yml").write_text(_dump(data), encoding="utf-8")
        stats["spun"] += spun
        stats["words"] += len(text.split())
        stats["synthetic"] += 1
        if not notes or spun:
            continue
        candidates = [ph for key in dict.fromkeys(chosen) for ph in phrases.get(key, [])
                      if text.count(ph) == 1]
        rng.shuffle(candidates)
        picked = candidates[:rng.randint(1, 4)]
        if not picked:
            continue
        note_list = [{"id": f"bench{i}-{n + 1}", "kind": kinds[n % 4], "exact": ph, "text": f"A generated note on *{ph}*."}
                     for n, ph in enumerate(picked)]
        (dest / f"{stem}.notes.yml").write_text(_dump({"notes": note_list}), encoding="utf-8")
        stats["notes"] += len(note_list)
    sums = {p.name: corpus.sha256(p.read_bytes()) for p in corpus.seed_files(dest)}
    corpus.write_manifest(sums, dest)
    gl = dest / "glossary.yml"
    if gl.exists():
        stats["glossary"] = extend_glossary(gl, entities, GLOSSARY_SIZE)
    return stats

