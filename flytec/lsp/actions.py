"""The code actions the server offers, built from what the library computed: a finding's fix
(``flytec check --fix``'s edits, applied by :func:`flytec.analyzer.fix.apply_fixes`), the
suppression comments, and "fix all safe fixes in this file" (``source.fixAll.flytec``)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from lsprotocol import types as lsp

from flytec.analyzer.fix import apply_fixes, parses
from flytec.analyzer.fix_notebook import apply_cell_fixes, cells_parse
from flytec.lsp.positions import UTF16, text_edit, to_range, units
from flytec.model.diagnostic import Diagnostic
from flytec.model.fix import Fix

SOURCE = "flytec"  # the diagnostics' source

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


def fix_action(uri: str, version: int | None, text: str, code: str, fix: Fix | None,
               shown: lsp.Diagnostic, versioned: bool, encoding: str = UTF16
               ) -> lsp.CodeAction | None:
    """The quick fix of one finding, as ``--fix`` would apply it to this text (a file, or a
    notebook cell); None when it has none or it would leave a syntax error the text had not
    (a cell with IPython syntax does not parse alone, before or after)."""
    if fix is None:
        return None
    new, applied = apply_fixes(text, [fix])
    edit = text_edit(text, new, encoding) if applied and (parses(new) or not parses(text)) \
        else None
    if edit is None:
        return None
    return _titled(code, fix, shown, workspace_edit(uri, version, [edit], versioned))


def _titled(code: str, fix: Fix, shown: lsp.Diagnostic, edit: lsp.WorkspaceEdit
            ) -> lsp.CodeAction:
    title = f"flytec ({code}): {fix.message}"
    if not fix.safe:
        title += " (unsafe fix: changes behaviour)"
    return lsp.CodeAction(title=title, kind=lsp.CodeActionKind.QuickFix, diagnostics=[shown],
                          is_preferred=fix.safe, edit=edit)


def cell_edits(cells: dict[int, tuple[str, str]], new: dict[int, str], versioned: bool,
               encoding: str = UTF16) -> lsp.WorkspaceEdit | None:
    """The edits turning notebook cells (by number: their document URI and text) into their
    ``new`` texts, one per changed cell document."""
    by_uri: list[tuple[str, lsp.TextEdit]] = []
    for number in sorted(new):
        uri, text = cells[number]
        edit = text_edit(text, new[number], encoding)
        if edit is not None:
            by_uri.append((uri, edit))
    if not by_uri:
        return None
    if versioned:
        return lsp.WorkspaceEdit(document_changes=[lsp.TextDocumentEdit(
            text_document=lsp.OptionalVersionedTextDocumentIdentifier(uri=uri, version=None),
            edits=[edit]) for uri, edit in by_uri])
    return lsp.WorkspaceEdit(changes={uri: [edit] for uri, edit in by_uri})


def cell_fix_action(cells: dict[int, tuple[str, str]], code: str, fix: Fix | None,
                    shown: lsp.Diagnostic, versioned: bool, encoding: str = UTF16
                    ) -> lsp.CodeAction | None:
    """The quick fix of a notebook finding: its edits (in cell coordinates) applied as
    ``flytec check --fix`` applies them to the cells, as edits of the cells' documents (an
    added import may edit another cell than the finding's). None when it has none, is
    blocked, or would leave a cell unparseable that parsed."""
    if fix is None:
        return None
    sources = {n: text for n, (_, text) in cells.items()}
    new, applied = apply_cell_fixes(sources, [fix])
    if not applied or not cells_parse(sources, new):
        return None
    edit = cell_edits(cells, new, versioned, encoding)
    return None if edit is None else _titled(code, fix, shown, edit)


FixBuilder = Callable[[str, Fix | None, lsp.Diagnostic], lsp.CodeAction | None]


def quick_actions(uri: str, version: int | None, text: str,
                  findings: list[tuple[Diagnostic, Fix | None]], asked: list[lsp.Diagnostic],
                  versioned: bool, encoding: str = UTF16,
                  fix_of: FixBuilder | None = None) -> list[lsp.CodeAction]:
    """For each flytec diagnostic the client asks about: its fix (a quick fix, preferred when
    safe), then "suppress on this line" and "in this file". ``findings`` are the library's,
    located in ``text`` (with their fix in ``text``'s positions, unless ``fix_of`` builds
    the fix's action: a notebook's)."""
    lines = text.splitlines()
    by_range = {_key(d.code, to_range(d.span, lines, encoding)): (d, fix)
                for d, fix in findings}
    fixes: list[lsp.CodeAction] = []
    others: list[lsp.CodeAction] = []
    seen_files: set[str] = set()
    for shown in asked:
        code = str(shown.code) if shown.code is not None else None
        if shown.source != SOURCE or code is None:
            continue
        found = by_range.get(_key(code, shown.range))
        if found is not None:
            action = fix_of(code, found[1], shown) if fix_of is not None else fix_action(
                uri, version, text, code, found[1], shown, versioned, encoding)
            if action is not None:
                fixes.append(action)
        others.append(suppress_on_line(uri, version, lines, shown.range.start.line, code,
                                       shown, versioned, encoding))
        if code not in seen_files:
            seen_files.add(code)
            others.append(suppress_in_file(uri, version, lines, code, shown, versioned))
    return [*sorted(fixes, key=lambda a: not a.is_preferred), *others]


def _key(code: str, r: lsp.Range) -> tuple[str, int, int, int, int]:
    return (code, r.start.line, r.start.character, r.end.line, r.end.character)


def fix_all_action(edit: lsp.WorkspaceEdit | None, data: Any = None) -> lsp.CodeAction:
    """"Fix all safe fixes in this file": its edit, or (resolved later) the data naming it."""
    return lsp.CodeAction(title=FIX_ALL_TITLE, kind=FIX_ALL, edit=edit, data=data)


def suppress_on_line(uri: str, version: int | None, lines: list[str], line: int, code: str,
                     shown: lsp.Diagnostic, versioned: bool, encoding: str = UTF16
                     ) -> lsp.CodeAction:
    text = lines[line] if 0 <= line < len(lines) else ""
    m = _NOQA.search(text)
    end = lsp.Position(line, units(text, encoding))
    if m is None:
        edit = lsp.TextEdit(lsp.Range(end, end), f"  # noqa: {code}")
    elif m.group("codes") is None:  # a bare noqa comment already suppresses every code
        edit = lsp.TextEdit(lsp.Range(end, end), "")
    else:
        at = lsp.Position(line, units(text[: m.end("codes")], encoding))
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
