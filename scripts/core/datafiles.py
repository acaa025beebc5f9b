"""Loading and checking the editorial data files beside the seeds.

YAML is read with line numbers kept for every key, then checked against a
small schema: required fields, unknown fields (with a "did you mean"),
and value types.  Every problem is an EditionError naming file and line.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from .errors import EditionError, did_you_mean, rel


class LineDict(dict):
    """A dict that remembers the line of each key (1-based)."""
    lines: dict
    line: int


class LineList(list):
    line: int


# libyaml's parser when PyYAML was built with it (much faster on big files);
# the constructors below are Python either way and keep every key's line
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


def _mapping(loader, node):
    loader.flatten_mapping(node)
    d = LineDict()
    d.lines = {}
    d.line = node.start_mark.line + 1
    for knode, vnode in node.value:
        key = loader.construct_object(knode, deep=True)
        if key in d:
            raise EditionError(loader.name, f"key {key!r} appears twice in one mapping",
                               line=knode.start_mark.line + 1)
        d[key] = loader.construct_object(vnode, deep=True)
        d.lines[key] = knode.start_mark.line + 1
    return d


def _sequence(loader, node):
    lst = LineList(loader.construct_object(v, deep=True) for v in node.value)
    lst.line = node.start_mark.line + 1
    return lst


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def load_yaml(path: Path) -> Any:
    name = rel(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise EditionError(name, f"is not UTF-8 text ({exc.reason} at byte {exc.start})")
    try:
        loader = _Loader(text)
        loader.name = name
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "malformed YAML"
        if exc.context:
            problem = f"{exc.context}, {problem}"
        raise EditionError(name, f"is not valid YAML: {problem}",
                           line=mark.line + 1 if mark else None,
                           hint="check indentation and quoting near this line; "
                                "text with a colon or a quote mark inside is safest in quotes")
    except yaml.YAMLError as exc:
        raise EditionError(name, f"is not valid YAML: {exc}")



def same_file_same_result(load):
    """load(path), kept while the file's bytes stay the same (serve and the benchmark build often).

    For loaders whose result nobody changes afterwards: the same object is handed
    out again.  A file edited, even back and forth, is read anew; errors are not kept.
    """
    kept: dict[str, tuple[bytes, object]] = {}

    def cached(path):
        key = f"{os.getcwd()}\0{os.path.abspath(path)}"     # the loaders name files relative to the cwd
        try:
            data = Path(path).read_bytes()
        except OSError:
            return load(path)                   # absent or unreadable: the loader says what it says
        hit = kept.get(key)
        if hit is not None and hit[0] == data:
            return hit[1]
        value = load(path)
        if len(kept) >= 4096:
            kept.clear()
        kept[key] = (data, value)
        return value

    cached.__wrapped__ = load
    cached.__doc__ = load.__doc__
    return cached


# --- schemas -----------------------------------------------------------------
# A schema is a dict of field name -> Field.  Types: "str", "int", "bool",
# "number", "str|bool", "list:str", "list:<schema name>", "map:<schema name>",
# "dict:str" (free mapping of strings).

class Field:
    def __init__(self, type_: str, required: bool = False, choices=None):
        self.type, self.required, self.choices = type_, required, choices


SCHEMAS: dict[str, dict[str, Field]] = {
    "seed": {
        "slug": Field("str", True),
        "title": Field("str"),
        "summary": Field("str", True),
        "spun": Field("str|bool"),
        "source": Field("map:source", True),
        "boilerplate": Field("list:str"),
        "corrections": Field("list:correction"),
        "structure": Field("map:structure"),
    },
    "source": {
        "publication": Field("str"), "author": Field("str"), "date": Field("str"),
        "url": Field("str"), "kind": Field("str"), "note": Field("str"), "language": Field("str"),
    },
    "correction": {
        "sic": Field("str", True), "corr": Field("str", True),
        "kind": Field("str", True, ["typo", "censor", "boilerplate", "structure"]),
        "reason": Field("str", True), "all": Field("bool"),
    },
    "structure": {
        "title": Field("str"),
        "headings": Field("list:str"),
        "quotes": Field("list:quote"),
        "comments": Field("map:comments"),
    },
    "quote": {
        "start": Field("str", True), "end": Field("str"), "cite": Field("str"),
        "kind": Field("str", False, ["quote", "tweet"]),
    },
    "comments": {"start": Field("str"), "label": Field("str")},
    "notes": {"notes": Field("list:note", True)},
    "note": {
        "id": Field("str", True),
        "kind": Field("str", True, ["context", "fact-check", "editorial", "cross-reference"]),
        "exact": Field("str", True), "prefix": Field("str"), "suffix": Field("str"),
        "text": Field("str", True),
        "verdict": Field("str", False, ["accurate", "mostly accurate", "misleading", "inaccurate",
                                        "unverified", "disputed"]),
        "sources": Field("list:str"),
    },
}


def _type_ok(value, t: str) -> bool:
    if t == "str":
        return isinstance(value, str)
    if t == "bool":
        return isinstance(value, bool)
    if t == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if t == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if t == "str|bool":
        return isinstance(value, (str, bool))
    if t.startswith("list:"):
        return isinstance(value, list)
    if t.startswith("map:") or t.startswith("dict:"):
        return isinstance(value, dict)
    raise ValueError(t)


def validate(value, schema: str, file: str, where: str = "", line: int | None = None):
    """Check a loaded mapping against a named schema; raise on the first problem."""
    fields = SCHEMAS[schema]
    label = where or "the file"
    if not isinstance(value, dict):
        raise EditionError(file, f"{label} should be a mapping of fields, found {type(value).__name__}",
                           line=getattr(value, "line", line))
    lines = getattr(value, "lines", {})
    for key in value:
        if key not in fields:
            raise EditionError(file, f"unknown field {key!r} in {label}", line=lines.get(key),
                               hint=did_you_mean(str(key), fields) or
                               "known fields: " + ", ".join(sorted(fields)))
    for key, f in fields.items():
        if key not in value:
            if f.required:
                raise EditionError(file, f"{label} is missing the required field {key!r}",
                                   line=getattr(value, "line", line),
                                   hint=f"add a line '{key}: ...' to {label}")
            continue
        v = value[key]
        ln = lines.get(key, line)
        if v is None and not f.required:
            continue
        if not _type_ok(v, f.type):
            want = f.type.replace("map:", "mapping of ").replace("list:", "list of ")
            raise EditionError(file, f"field {key!r} in {label} should be {want}, "
                                     f"found {type(v).__name__}", line=ln)
        if f.choices and v not in f.choices:
            raise EditionError(file, f"field {key!r} in {label} is {v!r}, which is not one of "
                                     f"{', '.join(map(repr, f.choices))}", line=ln,
                               hint=did_you_mean(str(v), f.choices))
        if f.type.startswith("list:"):
            inner = f.type[5:]
            for i, item in enumerate(v):
                if inner in SCHEMAS:
                    ident = item.get("id") if isinstance(item, dict) else None
                    sub = f"{key}[{i}]" + (f" ({ident})" if ident else "")
                    validate(item, inner, file, sub, getattr(v, "line", ln))
                elif not _type_ok(item, inner):
                    raise EditionError(file, f"item {i} of {key!r} in {label} should be {inner}", line=ln)
        elif f.type.startswith("map:"):
            validate(v, f.type[4:], file, key, ln)
    return value

SCHEMAS.update({
    "cleaning": {
        "boilerplate": Field("list:pattern", True),
        "structure": Field("map:structure-patterns", True),
        "unwrap": Field("map:unwrap", True),
    },
    "pattern": {"pattern": Field("str", True), "reason": Field("str", True), "inline": Field("bool"),
                "section": Field("bool")},
    "structure-patterns": {
        "comment_header": Field("str", True), "comment_signature": Field("str", True),
        "post_end": Field("str", True), "tweet_header": Field("str", True),
        "quote_marker": Field("str", True),
        "comments_open": Field("str"), "comment_end": Field("str"),
        "placeholder": Field("str"), "label": Field("str"),
    },
    "unwrap": {"terminal": Field("str", True)},
})


def compile_pattern(pattern: str, file: str, line: int | None, whole: bool = True):
    import re
    try:
        return re.compile(rf"(?:{pattern})\Z" if whole else pattern)
    except re.error as exc:
        raise EditionError(file, f"pattern {pattern!r} is not a valid regular expression: {exc}", line=line)

# Cross-links: the glossary, the themes and the timeline (scripts/text/crosslink.py, scripts/site/pages/).
SCHEMAS.update({
    "glossary": {
        "entities": Field("list:entity", True),
        "abbreviations": Field("dict:str"),
    },
    "entity": {
        "id": Field("str", True),
        "name": Field("str", True),
        "kind": Field("str", True, ["person", "organisation", "model", "product", "place", "concept", "event"]),
        "aliases": Field("list:str"),
        "case_sensitive": Field("list:str"),
        "description": Field("str", True),
    },
    "themes": {
        "short_titles": Field("dict:str"),
        "themes": Field("list:theme", True),
    },
    "theme": {
        "id": Field("str", True),
        "title": Field("str", True),
        "summary": Field("str", True),
        "entities": Field("list:str"),
        "passages": Field("list:passage", True),
    },
    "passage": {
        "text": Field("str", True),
        "exact": Field("str", True), "prefix": Field("str"), "suffix": Field("str"),
        "note": Field("str"),
    },
    "timeline": {"events": Field("list:event", True)},
    "event": {
        "id": Field("str", True),
        "when": Field("str", True),
        "date": Field("str", True),
        "title": Field("str", True),
        "text": Field("str", True),
        "status": Field("str", True, ["verified", "unverified", "disputed"]),
        "sources": Field("list:str"),
        "entities": Field("list:str"),
        "mentions": Field("list:mention", True),
    },
    "mention": {
        "text": Field("str", True),
        "exact": Field("str", True), "prefix": Field("str"), "suffix": Field("str"),
    },
})
