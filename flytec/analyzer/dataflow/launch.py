"""Which calls launch sub-tasks, and which functions launch them (directly or through
helpers that run in the same process)."""

from __future__ import annotations

from flytec.model import body as ir
from flytec.model.program import CallSite, Program


def is_launch(site: CallSite) -> bool:
    """Does this call site submit a child action (a task call, a map, a remote task)?"""
    if site.how == "remote":
        return True
    if site.target_kind != "task":
        return False
    return "forward" not in site.via


def is_inline(site: CallSite) -> bool:
    """Does this call run a project function in the caller's process (helper, method,
    ``task.forward(...)``)? Traces run in-process too but their results are recorded."""
    if site.target is None or site.how != "call":
        return False
    if site.target_kind in ("helper", "method"):
        return True
    return site.target_kind == "task" and "forward" in site.via


class Launches:
    """Call sites by call expression, and the set of functions that launch tasks."""

    def __init__(self, program: Program) -> None:
        self.program = program
        self.sites: dict[int, CallSite] = {}
        for sites in program.calls.values():
            for s in sites:
                prev = self.sites.get(id(s.call))
                # flyte.map(...) yields an external site and a task site for the same call
                if prev is None or (prev.target is None and s.target is not None):
                    self.sites[id(s.call)] = s
        self._memo: dict[str, bool] = {}

    def site(self, call: ir.Call) -> CallSite | None:
        return self.sites.get(id(call))

    def launches(self, key: str) -> bool:
        """Does running ``key`` (in its own process) launch a sub-task?"""
        memo = self._memo.get(key)
        if memo is not None:
            return memo
        self._memo[key] = False  # recursion guard
        result = False
        for s in self.program.calls.get(key, ()):
            if is_launch(s) or (is_inline(s) and s.target is not None
                                and self.launches(s.target)):
                result = True
                break
        self._memo[key] = result
        return result

    def call_launches(self, call: ir.Call) -> bool:
        s = self.site(call)
        if s is None:
            return False
        if is_launch(s):
            return True
        return is_inline(s) and s.target is not None and self.launches(s.target)

    def expr_launches(self, e: ir.Expr) -> bool:
        return any(isinstance(x, ir.Call) and self.call_launches(x) for x in ir.walk_expr(e))

    def body_launches(self, body: list[ir.Stmt]) -> bool:
        for s in ir.walk_stmts(body):
            for e in ir.stmt_exprs(s):
                if self.expr_launches(e):
                    return True
        return False


def local_imports(fn: ir.FunctionDef) -> dict[str, str]:
    """Names bound by imports inside ``fn`` -> the dotted name they stand for
    (``from huggingface_hub import HfApi`` -> ``huggingface_hub.HfApi``)."""
    out: dict[str, str] = {}
    for s in ir.walk_stmts(fn.body):
        if isinstance(s, ir.ImportStmt):
            for b in s.bindings:
                if b.star or b.level:
                    continue
                if b.name is not None:
                    out[b.local] = f"{b.module}.{b.name}"
                else:
                    out[b.local] = b.submodule if b.submodule and b.local != b.module.split(
                        ".")[0] else b.module
    return out


def local_external(imports: dict[str, str], e: ir.Expr) -> str | None:
    """Dotted name of a Name/Attribute chain rooted at a function-local import."""
    name = ir.dotted_name(e)
    if name is None:
        return None
    root, _, rest = name.partition(".")
    base = imports.get(root)
    if base is None:
        return None
    if base.split(".")[0] == "builtins":
        return None
    return f"{base}.{rest}" if rest else base
