"""The pre-parse guard: keeps libcst (and ``ast``) away from files that would take gigabytes.

What a parse costs grows with the number of tokens, not with the bytes or the length of a
line: libcst needs about 2 KB of memory per token (a one-line ``x = [1, 1, ...]`` of 1M
elements: 4.3 GB; ``ast``: 1 GB), while a 4 MB string literal or comment on one line costs
nothing much. So the guard counts tokens, approximately and cheaply:

* a file of at most ``MAX_TOKENS // 2`` characters cannot hold more than ``MAX_TOKENS`` tokens
  (a token is at least one character, and NEWLINE/INDENT/DEDENT tokens at most double that), so
  it is not scanned at all: every file of examples/ and nearly every real file;
* a larger file is scanned by one regular expression (in C): a string literal or a comment
  is one match, a name or number one, an operator character one (so ``**=`` counts 3: the
  estimate errs on the high side, and f-strings are counted by their parts).

The largest real files seen (the CPython standard library and site-packages of this
project's environment) hold under 150,000 tokens; the limit is well above them.
Nesting (``MAX_DEPTH``) is bounded after ``ast`` (cheap) has parsed the file: see
``parse._deepest``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_TOKENS = 300_000  # libcst: about 650 MB and 6 s at this size
MAX_DEPTH = 1_000  # libcst's native parser slows down, then crashes, on deeper trees

# One match per token: a comment; the prefix and opening quote of an f- or t-string (its
# parts are then counted as tokens); any other string literal, its loops unrolled so a long
# literal is matched in runs, not a character at a time; a name, keyword or number; an
# operator or delimiter character; a newline.
_Q1, _Q2 = "'", '"'
_STRINGS = [
    f"{q * 3}[^{q}\\\\]*(?:(?:\\\\.|{q}(?!{q * 2}))[^{q}\\\\]*)*{q * 3}" for q in (_Q1, _Q2)
] + [f"{q}[^{q}\\\\\\r\\n]*(?:\\\\.[^{q}\\\\\\r\\n]*)*{q}" for q in (_Q1, _Q2)]
_TOKEN = re.compile(
    r"#[^\r\n]*|(?:[fFtT][rR]?|[rR][fFtT])(?:'''|\"\"\"|'|\")"
    r"|[rRbBuU]{0,2}(?:" + "|".join(_STRINGS) + r")|\w+|\S|\n", re.DOTALL
)


@dataclass(frozen=True)
class TooLarge:
    """Why a file is not analysed: the limit, what the file has, and where it crossed."""

    limit: str
    line: int
    column: int
    message: str


def check_cost(source: str, path: str) -> TooLarge | None:
    """None when the file is cheap enough to parse; else where it crosses the token limit."""
    if len(source) <= MAX_TOKENS // 2:
        return None
    count = _TOKEN.subn("", source)[1]  # counted in C, no list of matches
    if count <= MAX_TOKENS:
        return None
    at = 0
    for i, m in enumerate(_TOKEN.finditer(source)):
        if i == MAX_TOKENS:
            at = m.start()
            break
    line = source.count("\n", 0, at) + 1
    column = at - (source.rfind("\n", 0, at) + 1) + 1
    return TooLarge(
        "tokens",
        line,
        column,
        f"file too large to analyse: about {count:,} tokens, over flytec's limit of"
        f" {MAX_TOKENS:,} tokens per file (reached here); split the file, or skip it:"
        f' `exclude = ["{path}"]` under `[tool.flytec]` in pyproject.toml (for a file named'
        f' on the command line, as pre-commit does: `per-file-ignores = {{ "{path}" ='
        ' ["FLY004"] }`)',
    )
