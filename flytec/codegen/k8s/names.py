"""Names that Argo and Kubernetes accept, made from Python identifiers and node ids.

* Kubernetes object names (``metadata.name``): DNS-1123 labels for Workflows and Jobs (lower
  case letters, digits and ``-``, starting and ending with an alphanumeric, at most 63
  characters); ConfigMaps allow DNS-1123 subdomains, we use the stricter label form.
* Argo template and DAG task names: ``[a-zA-Z0-9][-a-zA-Z0-9]*``, at most 128 characters; a
  task name used in ``depends`` must not start with a digit. We emit lower-case labels that
  start with a letter for both, so one rule covers everything.
* Parameter names: ``[-a-zA-Z0-9_]+`` (Python identifiers and node ids already fit).

Long names are cut and end in a short hash of the full name, so two long names that share a
prefix stay distinct; :class:`UniqueNames` adds ``-2``, ``-3`` ... to repeated names.
"""

from __future__ import annotations

import hashlib
import re

LABEL_MAX = 63
TEMPLATE_MAX = 128
_BAD = re.compile(r"[^a-z0-9-]+")
_DASHES = re.compile(r"-{2,}")
LABEL_RE = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
PARAM_RE = re.compile(r"^[-a-zA-Z0-9_]+$")


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:6]


def label(text: str, max_len: int = LABEL_MAX, prefix: str = "x") -> str:
    """``text`` as a DNS-1123 label that starts with a letter, at most ``max_len`` long."""
    name = _DASHES.sub("-", _BAD.sub("-", text.lower())).strip("-")
    if not name:
        name = prefix
    if not name[0].isalpha():
        name = f"{prefix}-{name}"
    if len(name) > max_len:
        suffix = _short_hash(text)
        name = name[: max_len - len(suffix) - 1].rstrip("-") + "-" + suffix
    return name


def param(text: str) -> str:
    """A parameter or artifact name: characters outside ``[-a-zA-Z0-9_]`` become ``-``."""
    name = re.sub(r"[^-a-zA-Z0-9_]", "-", text)
    return name or "p"


class UniqueNames:
    """Hands out distinct labels: the second ``foo`` becomes ``foo-2`` (kept within the limit)."""

    def __init__(self, max_len: int = LABEL_MAX) -> None:
        self.max_len = max_len
        self._used: set[str] = set()
        self._given: dict[str, str] = {}

    def reserve(self, name: str) -> None:
        self._used.add(name)

    def get(self, key: str, hint: str | None = None) -> str:
        """The name for ``key`` (the same key always gets the same name)."""
        if key in self._given:
            return self._given[key]
        base = label(hint if hint is not None else key, self.max_len)
        name, n = base, 1
        while name in self._used:
            n += 1
            tail = f"-{n}"
            name = base[: self.max_len - len(tail)].rstrip("-") + tail
        self._used.add(name)
        self._given[key] = name
        return name
