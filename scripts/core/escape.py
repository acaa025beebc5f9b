"""Escaping scraped text for the Markdown this site is built with.

Scraped text must reach the reader as text: never as HTML, a Markdown
construct, an extension's directive (admonitions, snippets, CriticMarkup,
abbreviations, attribute lists) or a template instruction.  Backslash
escapes are not enough, because some extensions (snippets, CriticMarkup)
read the source before Markdown sees backslashes; so every character that
any of them gives a meaning to is written as a numeric character reference,
which all of them pass through untouched and the browser shows as the
character itself.

Front matter is a separate case: MkDocs and the Material theme put a page's
``title`` and ``description`` into the HTML (the <title>, the navigation,
meta tags) without escaping them, so ``front_matter`` HTML-escapes the value
and writes it as a YAML string that any character can go into.
"""
from __future__ import annotations

import html
import re

# Characters with a meaning somewhere in Markdown, its extensions, HTML or
# template languages, wherever they stand in a line.
_ALWAYS = {
    "&": "&amp;", "<": "&lt;", ">": "&gt;", "\\": "&#92;", "`": "&#96;", "*": "&#42;",
    "_": "&#95;", "[": "&#91;", "]": "&#93;", "{": "&#123;", "}": "&#125;", "|": "&#124;",
    "~": "&#126;", "^": "&#94;", "=": "&#61;", "#": "&#35;", "$": "&#36;",
}
_SPECIAL = re.compile("[" + re.escape("".join(_ALWAYS)) + "]")   # (translate with this table is slow)


def _entity(m: re.Match) -> str:
    return _ALWAYS[m.group()]


_LINE_START = re.compile(r"[!-/:-@\[-`{-~]|\d+(?=[.)])")


def text(s: str) -> str:
    """Escape scraped text for use inside a Markdown line (or an HTML attribute)."""
    if "\n" in s:
        raise ValueError("scraped text passed to escape.text must be one line")
    out = _SPECIAL.sub(_entity, s)
    # a punctuation mark or a numbered-list number at the start of a line
    m = _LINE_START.match(out)
    if m and not out.startswith("&"):
        if m.group().isdigit():
            n = m.end()
            out = out[:n] + f"&#{ord(out[n])};" + out[n + 1:]
        else:
            out = f"&#{ord(out[0])};" + out[1:]
    return out


def attr(s: str) -> str:
    """Escape any text for an HTML attribute value in the generated Markdown."""
    return text(s.replace("\n", " ")).replace('"', "&quot;").replace("'", "&#39;")


def visible_ws(s: str) -> str:
    """Show line ends, tabs and edge spaces in a reading, for the change tables."""
    s = s.replace("\r", "␍").replace("\n", "↵").replace("\t", "⇥")
    if not s.strip(" "):
        return "␣" * len(s)
    if s != s.strip(" "):
        lead = len(s) - len(s.lstrip(" "))
        trail = len(s) - len(s.rstrip(" "))
        s = "␣" * lead + s.strip(" ") + "␣" * trail
    return s


# characters YAML does not allow in a document, or reads as line breaks
_YAML_UNSAFE = re.compile("[^\t\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029\ufeff]")


def front_matter(s: str) -> str:
    """A front-matter value (title, description): HTML-escaped text as a double-quoted YAML string."""
    s = html.escape(" ".join(s.split()), quote=False).replace('"', "&quot;").replace("\\", "\\\\")
    return '"' + _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", s) + '"'
