"""The code hash of a task: its body and everything it calls in the project, transitively.

Flyte's own cache version (``FunctionBodyPolicy``) hashes only the task's function body, so
a changed helper does not invalidate cached results. flytec's hash covers every project
function reachable from the task through calls (helpers, traces, other tasks) and the
project classes they name (dataclasses of inputs and outputs), each normalised like Flyte
does (``ast.dump``: comments and formatting do not matter).
"""

from __future__ import annotations

import ast
import hashlib
import textwrap
from pathlib import Path

from flytec.compiler.project import Project
from flytec.compiler.recover.scopes import local_names
from flytec.compiler.resolve import Resolver
from flytec.compiler.workflow.context import Context
from flytec.model import body as ir
from flytec.model.program import Program


def _normalised(code: str) -> str:
    try:
        return ast.dump(ast.parse(textwrap.dedent(code)), include_attributes=False)
    except SyntaxError:
        return code


class CodeHasher:
    def __init__(self, program: Program, project: Project) -> None:
        self.program = program
        self.project = project
        self.resolver = Resolver(program.modules)
        self.ctx = Context(program)
        self._class_code: dict[str, str | None] = {}
        self._lines: dict[str, list[str]] = {}

    def reachable(self, key: str) -> list[str]:
        """Keys of the functions and classes the hash of ``key`` covers (sorted)."""
        seen: set[str] = set()
        stack = [key]
        while stack:
            k = stack.pop()
            if k in seen:
                continue
            seen.add(k)
            for site in self.program.calls.get(k, ()):
                target = site.target
                if target is None and site.external is not None:
                    target = self.ctx.external_task(site.external)
                if target is not None and target not in seen:
                    stack.append(target)
            f = self.program.functions.get(k)
            if f is not None:
                for c in self._classes(f.module, f.function):
                    if c not in seen:
                        seen.add(c)
                        stack.extend(self._methods(c))
        return sorted(seen)

    def _classes(self, module: str, fn: ir.FunctionDef) -> list[str]:
        out: list[str] = []
        locals_ = local_names(fn)
        exprs: list[ir.Expr] = [p.annotation for p in fn.params if p.annotation is not None]
        if fn.returns is not None:
            exprs.append(fn.returns)
        for s in ir.walk_stmts(fn.body):
            exprs.extend(ir.stmt_exprs(s))
        for e in exprs:
            for x in ir.walk_expr(e):
                if isinstance(x, (ir.Name, ir.Attribute)):
                    r = self.resolver.resolve(module, x, locals_)
                    if r is not None and r.kind == "symbol" and not r.rest:
                        mod, _, name = r.key.partition(":")
                        m = self.program.modules.get(mod)
                        if m is not None and any(c.name == name and c.module_level
                                                 for c in m.classes):
                            if r.key not in out:
                                out.append(r.key)
        return out

    def _methods(self, class_key: str) -> list[str]:
        mod, _, name = class_key.partition(":")
        return [k for k in self.program.functions if k.startswith(f"{mod}:{name}.")]

    def _code(self, key: str) -> str | None:
        f = self.program.functions.get(key)
        if f is not None:
            return f.function.code
        mod, _, name = key.partition(":")
        m = self.program.modules.get(mod)
        if m is None:
            return None
        for c in m.classes:
            if c.name == name and c.module_level:
                lines = self._file_lines(m.path)
                start = min([c.span.line, *(d.span.line for d in c.decorators)])
                return "\n".join(lines[start - 1 : c.span.end_line]) if lines else None
        return None

    def _file_lines(self, path: str) -> list[str]:
        if path not in self._lines:
            p = Path(path)
            if not p.is_absolute():
                p = self.project.cwd / p
            try:
                self._lines[path] = p.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                self._lines[path] = []
        return self._lines[path]

    def hash(self, key: str) -> tuple[str, list[str]]:
        keys = self.reachable(key)
        h = hashlib.sha256()
        covered: list[str] = []
        for k in keys:
            code = self._code(k)
            if code is None:
                continue
            covered.append(k)
            h.update(k.encode())
            h.update(b"\0")
            h.update(_normalised(code).encode())
            h.update(b"\0")
        return "sha256:" + h.hexdigest(), covered
