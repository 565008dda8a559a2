"""The imports a fix needs: ``import X`` edits for the modules its code uses and the file
lacks, placed after the file's last top-level import (or its docstring)."""

from __future__ import annotations

import dataclasses

from flytec.model import body as ir
from flytec.model.fix import Edit, Fix
from flytec.model.module import ModuleIR


def has_import(mod: ModuleIR, module: str) -> bool:
    """Does ``module`` (dotted) get imported as itself, so that ``a.b.c`` works?"""
    return any(
        (b.submodule == module or (b.module == module and b.name is None and b.local == module))
        and b.level == 0
        for b in mod.imports
    )


def import_line(mod: ModuleIR, module: str = "") -> int:
    """The line where a new top-level ``import module`` goes: after the file's last import
    (or docstring), or, when the last imports are a run of plain ``import X`` in order, at
    its place in that run."""
    last = 0
    run: list[ir.ImportStmt] = []
    for s in mod.body:
        if isinstance(s, ir.ImportStmt):
            last = s.span.end_line
            plain = all(b.name is None and not b.level for b in s.bindings)
            if not plain:
                run = []
            elif run and run[-1].span.end_line != s.span.line - 1:
                run = [s]
            else:
                run.append(s)
        elif last == 0 and isinstance(s, ir.ExprStmt) and isinstance(s.value, ir.Const) \
                and s.value.kind == "str" and s is mod.body[0]:
            last = s.span.end_line  # the module docstring
    keys = [_key(s) for s in run]
    if module and run and run[-1].span.end_line == last and keys == sorted(keys):
        for s, k in zip(run, keys):
            if k > module:
                return s.span.line
    return last + 1


def _key(s: ir.ImportStmt) -> str:
    b = s.bindings[0]
    return b.submodule or b.module


def with_imports(mod: ModuleIR | None, fix: Fix | None) -> Fix | None:
    """``fix`` with an edit adding each of its ``imports`` that ``mod`` lacks."""
    if fix is None or not fix.imports or mod is None:
        return fix
    missing = [m for m in fix.imports if not has_import(mod, m)]
    if not missing:
        return fix
    at: dict[int, str] = {}
    for m in missing:
        line = import_line(mod, m)
        at[line] = at.get(line, "") + f"import {m}\n"  # one edit per place
    edits = [_insert(mod, line, text) for line, text in at.items()]
    if None in edits:
        return dataclasses.replace(fix, blocked="its import would go above an IPython magic")
    return dataclasses.replace(fix, edits=(*(e for e in edits if e is not None), *fix.edits))


def _insert(mod: ModuleIR, line: int, text: str) -> Edit | None:
    """The edit inserting ``text`` before module line ``line``; in a notebook, in cell
    coordinates (after the cell's last import stays in that cell, not atop the next one),
    or None where it cannot go."""
    if mod.notebook is not None:
        place = mod.notebook.insertion_point(line)
        return None if place is None else Edit.insert(place[1], 1, text, place[0])
    return Edit.insert(line, 1, text)
