"""Module-level facts: imports, global bindings, functions and classes."""

from __future__ import annotations

from flytec.model import body as ir
from flytec.model.module import GlobalAssign, ModuleIR


def resolve_relative(module: str, is_package: bool, level: int, target: str) -> str:
    """Absolute module name of ``from <level dots><target> import ...`` inside ``module``."""
    if level == 0:
        return target
    parts = module.split(".")
    if not is_package:
        parts = parts[:-1]
    if level > 1:
        parts = parts[: len(parts) - (level - 1)] if level - 1 <= len(parts) else []
    base = ".".join(parts)
    if target:
        return f"{base}.{target}" if base else target
    return base


def collect_module_level(
    mod: ModuleIR, functions: list[ir.FunctionDef], classes: list[ir.ClassDef]
) -> None:
    """Fill imports, globals, functions and classes of ``mod`` from its lowered body."""
    mod.functions = [f for f in functions if f.module_level]
    mod.nested_functions = [f for f in functions if not f.module_level]
    mod.classes = classes
    _scan(mod, mod.body)
    for fn in functions:
        for s in ir.walk_stmts(fn.body):
            if isinstance(s, ir.ImportStmt):
                for b in s.bindings:
                    if b.level:
                        b.module = resolve_relative(mod.module, mod.is_package, b.level, b.module)
                        b.level = 0


def _scan(mod: ModuleIR, body: list[ir.Stmt]) -> None:
    """Module-level statements, including those under module-level if/try/with."""
    for s in body:
        if isinstance(s, ir.ImportStmt):
            for b in s.bindings:
                if b.level:
                    b.module = resolve_relative(mod.module, mod.is_package, b.level, b.module)
                    b.level = 0
                mod.imports.append(b)
        elif isinstance(s, (ir.Assign, ir.AnnAssign, ir.AugAssign)):
            targets = s.targets if isinstance(s, ir.Assign) else [s.target]
            for t in targets:
                for name in _target_names(t):
                    mod.globals.append(GlobalAssign(name.id, s, name.span))
        elif isinstance(s, (ir.If, ir.Try, ir.With, ir.For, ir.While)):
            if isinstance(s, ir.For):
                for name in _target_names(s.target):
                    mod.globals.append(GlobalAssign(name.id, s, name.span))
            for sub in ir.child_bodies(s):
                _scan(mod, sub)


def _target_names(t: ir.Expr) -> list[ir.Name]:
    if isinstance(t, ir.Name):
        return [t]
    if isinstance(t, ir.Seq):
        out: list[ir.Name] = []
        for e in t.elts:
            out.extend(_target_names(e))
        return out
    if isinstance(t, ir.Starred):
        return _target_names(t.value)
    return []
