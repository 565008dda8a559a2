"""The code actions the server offers, built from what the library computed: a finding's fix
(``flytec check --fix``'s edits, applied by :func:`flytec.analyzer.fix.apply_fixes`), the
suppression comments, and "fix all safe fixes in this file" (``source.fixAll.flytec``)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from lsprotocol import types as lsp

from flytec.analyzer.fix import apply_fixes, parses
from flytec.lsp.positions import text_edit, utf16_len
from flytec.model.diagnostic import Diagnostic

FIX_ALL = "source.fixAll.flytec"  # the kind ruff's server uses, with our name
FIX_ALL_TITLE = "flytec: fix all safe fixes in this file"
_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?",
                   re.IGNORECASE)


def wanted_kind(kind: str, only: Sequence[str] | None) -> bool:
    """Whether the client asked for actions of this kind (``only`` names kinds and their
    parents: ``source`` includes ``source.fixAll.flytec``)."""
    return only is None or any(kind == o or kind.startswith(o + ".") for o in only)


def workspace_edit(uri: str, version: int | None, edits: list[lsp.TextEdit],
                   versioned: bool) -> lsp.WorkspaceEdit:
    """The edits of one document; with the document's version when the client takes
    ``documentChanges`` (so an edit computed for an older buffer is refused, not misapplied)."""
    if versioned:
        return lsp.WorkspaceEdit(document_changes=[lsp.TextDocumentEdit(
            text_document=lsp.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version),
            edits=list(edits))])
    return lsp.WorkspaceEdit(changes={uri: list(edits)})


def fix_action(uri: str, version: int | None, text: str, finding: Diagnostic,
               shown: lsp.Diagnostic, versioned: bool) -> lsp.CodeAction | None:
    """The quick fix of one finding, as ``--fix`` would apply it to this text; None when it
    has none or it would leave a syntax error."""
    fix = finding.fix
    if fix is None or finding.cell is not None:
        return None
    new, applied = apply_fixes(text, [fix])
    edit = text_edit(text, new) if applied and parses(new) else None
    if edit is None:
        return None
    title = f"flytec ({finding.code}): {fix.message}"
    if not fix.safe:
        title += " (unsafe fix: changes behaviour)"
    return lsp.CodeAction(title=title, kind=lsp.CodeActionKind.QuickFix, diagnostics=[shown],
                          is_preferred=fix.safe, edit=workspace_edit(uri, version, [edit],
                                                                     versioned))


def fix_all_action(edit: lsp.WorkspaceEdit | None, data: Any = None) -> lsp.CodeAction:
    """"Fix all safe fixes in this file": its edit, or (resolved later) the data naming it."""
    return lsp.CodeAction(title=FIX_ALL_TITLE, kind=FIX_ALL, edit=edit, data=data)


def suppress_on_line(uri: str, version: int | None, lines: list[str], line: int, code: str,
                     shown: lsp.Diagnostic, versioned: bool) -> lsp.CodeAction:
    text = lines[line] if 0 <= line < len(lines) else ""
    m = _NOQA.search(text)
    end = lsp.Position(line, utf16_len(text))
    if m is None:
        edit = lsp.TextEdit(lsp.Range(end, end), f"  # noqa: {code}")
    elif m.group("codes") is None:  # a bare noqa comment already suppresses every code
        edit = lsp.TextEdit(lsp.Range(end, end), "")
    else:
        at = lsp.Position(line, utf16_len(text[: m.end("codes")]))
        edit = lsp.TextEdit(lsp.Range(at, at), f", {code}")
    return lsp.CodeAction(title=f"Suppress {code} on this line", kind=lsp.CodeActionKind.QuickFix,
                          diagnostics=[shown], edit=workspace_edit(uri, version, [edit],
                                                                   versioned))


def suppress_in_file(uri: str, version: int | None, lines: list[str], code: str,
                     shown: lsp.Diagnostic, versioned: bool) -> lsp.CodeAction:
    at = 0  # after a shebang and an encoding line, which must stay first
    while at < len(lines) and at < 2 and (lines[at].startswith("#!")
                                          or re.match(r"#.*coding[:=]", lines[at])):
        at += 1
    pos = lsp.Position(at, 0)
    edit = lsp.TextEdit(lsp.Range(pos, pos), f"# flytec: ignore-file[{code}]\n")
    return lsp.CodeAction(title=f"Suppress {code} in this file",
                          kind=lsp.CodeActionKind.QuickFix, diagnostics=[shown],
                          edit=workspace_edit(uri, version, [edit], versioned))
