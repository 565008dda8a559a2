"""Suppression comments: ``# flytec: ignore[FLY101]``, ``# noqa: FLY101``, and
``# flytec: ignore-file[FLY101]`` (the whole file)."""

from __future__ import annotations

import re

from flytec.model.module import SuppressionComment

_LINE_RE = re.compile(
    r"#\s*(?:flytec:\s*ignore(?!-file)(?:\[(?P<codes>[^\]]*)\])?"
    r"|noqa(?::\s*(?P<noqa>[A-Z0-9, ]+))?)",
)
_FILE_RE = re.compile(r"#\s*flytec:\s*ignore-file(?:\[(?P<codes>[^\]]*)\])?")
_CODE_RE = re.compile(r"FLY\d{3}")


def _codes(text: str | None) -> frozenset[str]:
    return frozenset(_CODE_RE.findall(text or ""))


def scan_suppressions(
    source: str,
) -> tuple[dict[int, frozenset[str]], frozenset[str], bool]:
    """Return (line -> codes, file-wide codes, file suppresses everything).

    An empty frozenset for a line means every code on that line is suppressed.
    ``# noqa: E501`` (codes, none of them flytec's) suppresses nothing of flytec's.
    """
    lines: dict[int, frozenset[str]] = {}
    file_codes: set[str] = set()
    file_all = False
    if "#" not in source:
        return lines, frozenset(), False
    for i, line in enumerate(source.splitlines(), start=1):
        if "#" not in line or ("flytec" not in line and "noqa" not in line):
            continue
        fm = _FILE_RE.search(line)
        if fm:
            codes = _codes(fm.group("codes"))
            if fm.group("codes") is None:
                file_all = True
            file_codes |= codes
            continue
        m = _LINE_RE.search(line)
        if not m:
            continue
        if m.group(0).lstrip("#").strip().startswith("flytec"):
            raw = m.group("codes")
            lines[i] = _codes(raw) if raw is not None else frozenset()
        else:
            raw = m.group("noqa")
            if raw is None:
                lines[i] = frozenset()
            else:
                codes = _codes(raw)
                if codes:
                    lines[i] = codes
    return lines, frozenset(file_codes), file_all


def suppression_comments(source: str) -> list[SuppressionComment]:
    """Every suppression comment that names flytec codes, with its position (for FLY006).

    Only real comments count (a ``# noqa: FLY130`` inside a docstring is text); a file that
    does not tokenize (a syntax error) is scanned line by line."""
    out: list[SuppressionComment] = []
    if "#" not in source or ("flytec" not in source and "noqa" not in source):
        return out
    for line, col, text in _comments(source):
        if "flytec" not in text and "noqa" not in text:
            continue
        fm = _FILE_RE.search(text)
        m = fm or _LINE_RE.search(text)
        if m is None:
            continue
        raw = m.group("codes") if fm is not None or m.group("codes") else m.group("noqa")
        codes = tuple(dict.fromkeys(_CODE_RE.findall(raw or "")))
        if codes:
            start = col + m.start() + 1
            out.append(SuppressionComment(line, start, start + len(m.group(0)), codes,
                                          fm is not None))
    return out


def _comments(source: str) -> list[tuple[int, int, str]]:
    """(line, 0-based column, text) of each comment."""
    import io
    import tokenize

    try:
        return [(t.start[0], t.start[1], t.string)
                for t in tokenize.generate_tokens(io.StringIO(source).readline)
                if t.type == tokenize.COMMENT]
    except (tokenize.TokenError, SyntaxError, ValueError):
        found = []
        for i, line in enumerate(source.splitlines(), start=1):
            at = line.find("#")
            if at >= 0:
                found.append((i, at, line[at:]))
        return found
