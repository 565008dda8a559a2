"""User strings in flytec's outputs: never a crash, never a control sequence.

A string literal of the checked code can hold anything Python allows: a lone surrogate
(``"\\ud800"``, which no UTF-8 output can encode), C0 and C1 control characters (``"\\x1b[2J"``
clears a terminal; YAML readers refuse ``"\\x91"``), line and paragraph separators, and the
bidirectional overrides of "Trojan Source". File names can hold undecodable bytes, which
Python gives as surrogates. Every output escapes them:

* :func:`printable`, for text meant to be read (terminal output, DOT and Mermaid labels):
  each such character becomes its Python escape (``\\ud800``, ``\\x91``, ``\\u202e``), so the
  text says exactly what the code says and shows nothing else; ``\\n`` and ``\\t`` stay.
* :func:`escape_json_text`, for JSON written with ``ensure_ascii=False`` (plans, reports):
  the same characters as JSON ``\\uXXXX`` escapes, so the document stays valid UTF-8 and a
  JSON reader gets back the very string (Python's ``json`` module keeps lone surrogates).
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL and C1, line/paragraph separators, bidi embeddings,
# overrides and isolates, and every surrogate code point
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                     "\ud800-\udfff]")
# in JSON text, C0 controls are already escaped by the encoder
_UNSAFE_JSON = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _python_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def printable(text: str) -> str:
    """``text`` with every unsafe character written as its Python escape."""
    return _UNSAFE.sub(_python_escape, text) if _UNSAFE.search(text) else text


def has_unsafe(text: str) -> bool:
    return _UNSAFE.search(text) is not None


def escape_json_text(text: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) with the unsafe characters
    inside its strings escaped as ``\\uXXXX``; outside strings JSON text has none."""
    return _UNSAFE_JSON.sub(_json_escape, text) if _UNSAFE_JSON.search(text) else text
