"""One error type for everything a maintainer can get wrong.

Every problem the build can find in the inputs (a seed, a data file, an
annotation) is raised as an EditionError that names the file, the line when
it can be known, what is wrong, and a hint when there is one.
"""
from __future__ import annotations

import difflib
import functools
import os
from pathlib import Path


class EditionError(Exception):
    def __init__(self, path, message: str, line: int | None = None, hint: str | None = None):
        self.path = str(path)
        self.message = message
        self.line = line
        self.hint = hint
        super().__init__(str(self))

    def __reduce__(self):               # rebuilt whole when it crosses from a build worker
        return (type(self), (self.path, self.message, self.line, self.hint))

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        text = f"{where}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


def did_you_mean(word: str, choices) -> str | None:
    """A "did you mean ..." hint, or None when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else None


def rel(path) -> str:
    """Path shown relative to the working directory when possible."""
    return _rel(str(path), os.getcwd())


@functools.lru_cache(maxsize=8192)
def _rel(path: str, cwd: str) -> str:
    # resolving asks the file system about every folder on the way: a build names thousands of files
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path(cwd).resolve()))
    except ValueError:
        return str(p)
