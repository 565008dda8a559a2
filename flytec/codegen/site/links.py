"""File names and links inside the review site.

Every page's name is made of ASCII letters, digits, ``.``, ``_`` and ``-`` only, whatever
the task or file is called (a file name may hold spaces, ``<``, ``#``, ``?``, unicode or
undecodable bytes): the readable part is sanitised and a short hash of the original keeps
two names that sanitise alike apart. So every link works from ``file://`` and from any web
server without quoting, and the same input always gives the same names.
"""

from __future__ import annotations

import hashlib
import re

TASKS = "tasks"
SOURCE = "source"
FINDINGS_BY_FILE = "findings-by-file.html"
FINDINGS_BY_RULE = "findings-by-rule.html"
INDEX = "index.html"
ASSETS = "assets"

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_READABLE = 60


def slug(text: str) -> str:
    """``text`` as a file-name stem: readable, ASCII, unique (a hash of the original)."""
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    readable = _UNSAFE.sub("_", text).strip("._-")[-_READABLE:].lstrip("._-")
    return f"{readable}-{digest}" if readable else digest


def task_page(key: str) -> str:
    """The page of the task with key ``module:function``."""
    return f"{TASKS}/{slug(key)}.html"


def source_page(path: str) -> str:
    """The page of the file displayed as ``path``."""
    return f"{SOURCE}/{slug(path)}.html"


def line_anchor(line: int, cell: int | None = None) -> str:
    """The anchor of a line on a source page (``L12``; ``c3-L2`` in a notebook's cell 3)."""
    return f"L{line}" if cell is None else f"c{cell}-L{line}"


def source_link(path: str, line: int, cell: int | None = None) -> str:
    return f"{source_page(path)}#{line_anchor(line, cell)}"


def finding_anchor(index: int) -> str:
    return f"f{index}"


def rule_anchor(code: str) -> str:
    return f"rule-{_UNSAFE.sub('_', code)}"


def file_anchor(path: str) -> str:
    return f"file-{slug(path)}"
