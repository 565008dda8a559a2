"""Rewriting code cells' sources in a notebook's JSON, everything else byte for byte.

``flytec check --fix`` edits a notebook's cells, not its JSON: :func:`replace_sources` puts
the new text of some cells in place of their ``source`` values and leaves every other byte
of the file as it was (outputs, metadata, key order, indentation, the final newline). Each
new value is written as the old one was: a string stays a string; a list of lines (what
nbformat writes) stays one, one line per element, indented as the old elements were (or, for
an empty list, one step in from its key, the step being the notebook's own indentation:
nbformat writes 1 space); non-ASCII characters are written raw unless the file escapes them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

_WS = re.compile(r"[ \t\n\r]*")
_NON_ASCII_ESCAPE = re.compile(r"\\u(?!00[0-7])[0-9a-fA-F]{4}")
_BOM = "\ufeff"


class NotebookLayoutError(ValueError):
    """The notebook's JSON is not shaped as :func:`read_notebook` read it."""


def _skip_ws(text: str, i: int) -> int:
    m = _WS.match(text, i)
    return m.end() if m else i


def _expect(text: str, i: int, ch: str) -> int:
    if text[i:i + 1] != ch:
        raise NotebookLayoutError(f"expected {ch!r} at offset {i}")
    return i + 1


def source_spans(text: str) -> dict[int, tuple[int, int]]:
    """The offsets of each cell's ``source`` value in a notebook's JSON text, by cell number
    (1-based among all cells, as :func:`~flytec.compiler.frontend.notebook.read_notebook`
    numbers them; a repeated key counts as ``json`` takes it: the last)."""
    decoder = json.JSONDecoder()
    spans: dict[int, tuple[int, int]] = {}
    i = _expect(text, _skip_ws(text, 0), "{")

    def members(i: int, on_value: Callable[[str, int], int]) -> int:
        i = _skip_ws(text, i)
        if text[i:i + 1] == "}":
            return i + 1
        while True:
            i = _skip_ws(text, i)
            if text[i:i + 1] != '"':
                raise NotebookLayoutError(f"expected a key at offset {i}")
            key, i = decoder.raw_decode(text, i)
            i = _skip_ws(text, _expect(text, _skip_ws(text, i), ":"))
            i = on_value(key, i)
            i = _skip_ws(text, i)
            if text[i:i + 1] == "}":
                return i + 1
            i = _expect(text, i, ",")

    def skip(_: str, i: int) -> int:
        return decoder.raw_decode(text, i)[1]

    def cell(number: int) -> Callable[[str, int], int]:
        def member(key: str, j: int) -> int:
            end = skip(key, j)
            if key == "source":
                spans[number] = (j, end)
            return end
        return member

    def top(key: str, i: int) -> int:
        if key != "cells" or text[i:i + 1] != "[":
            return skip(key, i)
        i = _skip_ws(text, i + 1)
        if text[i:i + 1] == "]":
            return i + 1
        number = 0
        while True:
            number += 1
            i = _skip_ws(text, i)
            if text[i:i + 1] == "{":
                i = members(i + 1, cell(number))
            else:
                i = skip("", i)
            i = _skip_ws(text, i)
            if text[i:i + 1] == "]":
                return i + 1
            i = _expect(text, i, ",")

    members(i, top)
    return spans



def _indent_unit(text: str) -> str:
    """The notebook's indentation step: the first member's indentation (nbformat: 1 space)."""
    m = re.match(r"\s*\{\r?\n([ \t]+)\S", text)
    return m.group(1) if m else " "


def _line_indent(text: str, at: int) -> str:
    start = text.rfind("\n", 0, at) + 1
    m = re.match(r"[ \t]*", text[start:at])
    return m.group(0) if m else ""


def _value(old: str, new: str, text: str, at: int, ascii_only: bool) -> str:
    """The JSON of cell source ``new`` written as ``old`` (the value at offset ``at``) is."""
    if old.startswith('"'):
        return json.dumps(new, ensure_ascii=ascii_only)
    lines = [json.dumps(s, ensure_ascii=ascii_only) for s in new.splitlines(keepends=True)]
    if not lines:
        return "[]"
    items = re.match(r"\[([ \t]*\r?\n)([ \t]*)", old)
    if items is not None:  # one element per line, as nbformat writes
        newline = "\r\n" if "\r\n" in items.group(1) else "\n"
        close = re.search(r"\n([ \t]*)\]\Z", old)
        inner, outer = items.group(2), close.group(1) if close else ""
    elif old.strip() == "[]" and re.match(r"\s*\{\r?\n", text):  # pretty-printed
        newline = "\r\n" if "\r\n" in text else "\n"
        outer = _line_indent(text, at)
        inner = outer + _indent_unit(text)
    else:  # on one line: keep it on one line
        sep = "," if re.search(r'",\S', old) else ", "
        return "[" + sep.join(lines) + "]"
    return "[" + newline + ("," + newline).join(inner + s for s in lines) + newline + outer + "]"


def replace_sources(data: bytes, sources: dict[int, str]) -> bytes:
    """The notebook ``data`` with the cells numbered in ``sources`` holding those texts;
    raises :class:`NotebookLayoutError` (or ``ValueError``) when its JSON cannot be read."""
    text = data.decode("utf-8")
    bom = text.startswith(_BOM)
    if bom:
        text = text[1:]
    spans = source_spans(text)
    ascii_only = text.isascii() and bool(_NON_ASCII_ESCAPE.search(text))
    out: list[str] = []
    pos = 0
    for number in sorted(sources):
        if number not in spans:
            raise NotebookLayoutError(f"cell {number} has no source")
        a, b = spans[number]
        out.append(text[pos:a])
        out.append(_value(text[a:b], sources[number], text, a, ascii_only))
        pos = b
    out.append(text[pos:])
    return ((_BOM if bom else "") + "".join(out)).encode("utf-8")
