"""Writing user values so that neither Argo nor the kubelet reinterprets them.

Two engines rewrite strings of a manifest before a container sees them
(docs/kubernetes.md, "Escaping user strings"):

* **Argo** runs its template substitution over the JSON of every template (and of the
  workflow spec): ``{{tag}}`` is replaced when ``tag`` names a variable, ``{{=expr}}`` is
  evaluated, a ``{{`` without a closing ``}}`` fails the workflow. Argo has no escape.
* **The kubelet** expands ``$(VAR)`` in a container's ``command``, ``args`` and
  ``env[].value`` (from the variables declared before it) and turns ``$$`` into ``$``; its
  escape is ``$$``.

flytec passes values to the worker as JSON, and JSON can spell any character of a string as
``\\uXXXX``: :func:`json_text` writes the ``{`` of ``{{`` and the ``$`` of ``$(`` and ``$$``
that way, so the text holds neither engine's syntax while ``json.loads`` (the worker) reads
back exactly the value. Text with nothing special is unchanged.
"""

from __future__ import annotations

import json
import re
from typing import Any

#: a ``{`` that opens ``{{``; a ``$`` the kubelet would read (``$(`` or ``$$``)
_ENGINE_CHARS = re.compile(r"\{(?=\{)|\$(?=[$(])")
_KUBELET = re.compile(r"\$(?=[$(])")


def escape_json_text(text: str) -> str:
    """JSON text with ``{{``, ``$(`` and ``$$`` spelled with ``\\u`` escapes (same value).

    Valid for any JSON document: outside strings JSON has no ``$`` and never two ``{`` in a
    row, so every match is inside a string, where ``\\u007b`` and ``\\u0024`` mean the same
    characters."""
    return _ENGINE_CHARS.sub(lambda m: "\\u007b" if m.group() == "{" else "\\u0024", text)


def json_text(value: Any) -> str:
    """``json.dumps(value)``, escaped for Argo and the kubelet (:func:`escape_json_text`)."""
    return escape_json_text(json.dumps(value))


def kubelet_escape(text: str) -> str:
    """A literal for ``command``/``args``/``env[].value``: ``$`` before ``(`` or ``$`` doubled."""
    return _KUBELET.sub("$$", text)


def has_argo_syntax(text: str) -> bool:
    """Whether Argo's substitution would look at the text (a ``{{`` anywhere)."""
    return "{{" in text


def has_engine_syntax(value: Any) -> bool:
    """Whether a string anywhere in a JSON value (keys too) holds ``{{``, ``$(`` or ``$$``:
    text that Argo or the kubelet rewrites once it is no longer JSON-escaped."""
    if isinstance(value, str):
        return _ENGINE_CHARS.search(value) is not None
    if isinstance(value, dict):
        return any(has_engine_syntax(k) or has_engine_syntax(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(has_engine_syntax(v) for v in value)
    return False
