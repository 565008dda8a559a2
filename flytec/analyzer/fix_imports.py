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


def import_line(mod: ModuleIR) -> int:
    """The line where a new top-level import goes."""
    last = 0
    for s in mod.body:
        if isinstance(s, ir.ImportStmt):
            last = s.span.end_line
        elif last == 0 and isinstance(s, ir.ExprStmt) and isinstance(s.value, ir.Const) \
                and s.value.kind == "str" and s is mod.body[0]:
            last = s.span.end_line  # the module docstring
    return last + 1


def with_imports(mod: ModuleIR | None, fix: Fix | None) -> Fix | None:
    """``fix`` with an edit adding each of its ``imports`` that ``mod`` lacks."""
    if fix is None or not fix.imports or mod is None:
        return fix
    missing = [m for m in fix.imports if not has_import(mod, m)]
    if not missing:
        return fix
    line = import_line(mod)
    text = "".join(f"import {m}\n" for m in missing)
    return dataclasses.replace(fix, edits=(Edit.insert(line, 1, text), *fix.edits))
