"""``flytec-graph`` fenced blocks in a Markdown page (the MkDocs plugin's syntax)::

    ```flytec-graph
    ../examples/etl.py::main
    format: mermaid
    caption: The nightly ETL
    ```

The first line of the block names what to draw (``PATH`` or ``PATH::TASK``); each further
line is ``option: value`` (``:option: value``, as in the Sphinx directive, works too).
Blocks inside other fenced code blocks are left alone, so a page can show the syntax."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

INFO = "flytec-graph"
OPTIONS = ("format", "detail", "caption")

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_OPTION = re.compile(r"^:?(?P<key>[A-Za-z_][\w-]*):\s*(?P<value>.*)$")


@dataclass
class Block:
    """One block: lines ``start`` to ``end`` (0-based, both fences included); ``line``: the
    1-based line of its opening fence; ``problems``: (1-based line, message) for what it
    cannot be drawn with."""

    start: int
    end: int
    indent: str
    target: str = ""
    options: dict[str, str] = field(default_factory=dict)
    problems: list[tuple[int, str]] = field(default_factory=list)

    @property
    def line(self) -> int:
        return self.start + 1


def find_blocks(lines: list[str]) -> list[Block]:
    """The ``flytec-graph`` blocks of a page, in order."""
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if m is None or (m["fence"][0] == "`" and "`" in m["info"]):
            i += 1
            continue
        fence = m["fence"]
        end = _closing(lines, i + 1, fence)
        if m["info"].strip() == INFO:
            block = Block(i, end if end is not None else len(lines) - 1, m["indent"])
            if end is None:
                block.problems.append((i + 1, "this block has no closing fence "
                                              f"(end it with {fence})"))
            else:
                _parse_body(block, lines[i + 1:end])
            blocks.append(block)
        i = (end if end is not None else len(lines)) + 1
    return blocks


def _closing(lines: list[str], start: int, fence: str) -> int | None:
    for j in range(start, len(lines)):
        text = lines[j].strip()
        if text and set(text) == {fence[0]} and len(text) >= len(fence):
            return j
    return None


def _parse_body(block: Block, body: list[str]) -> None:
    for n, raw in enumerate(body, start=block.start + 2):
        text = raw.strip()
        if not text:
            continue
        if not block.target:
            block.target = text
            continue
        m = _OPTION.match(text)
        if m is None:
            block.problems.append((n, f"`{text}` is not an option line (write `option: value`; "
                                      f"options: {', '.join(OPTIONS)})"))
        elif m["key"] not in OPTIONS:
            block.problems.append((n, f"unknown option `{m['key']}` "
                                      f"(options: {', '.join(OPTIONS)})"))
        else:
            block.options[m["key"]] = m["value"].strip()
    if not block.target:
        block.problems.append((block.line, "empty block: its first line names what to draw "
                                           "(PATH or PATH::TASK, e.g. ../examples/etl.py::main)"))
