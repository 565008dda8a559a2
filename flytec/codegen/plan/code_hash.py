"""The code hash of a task: its body and everything it calls in the project, transitively.

Flyte's own cache version (``FunctionBodyPolicy``) hashes only the task's function body, so
a changed helper does not invalidate cached results. flytec's hash covers every project
function reachable from the task through calls (helpers, traces, other tasks) and the
project classes they name (dataclasses of inputs and outputs), each in its canonical form
(:mod:`flytec.compiler.frontend.canonical`: comments, formatting and docstrings do not matter,
and the form is the same on every Python, unlike ``ast.dump``, which Flyte uses).

The hash is ``"v2:sha256:<hex>"``: ``v2`` is :data:`CANONICAL_VERSION`, also hashed, so hashes
of another canonical form (the ``ast.dump`` ones were ``"sha256:<hex>"``) never compare equal.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flytec.codegen.plan.form_cache import FormCache, text_key
from flytec.compiler.frontend.canonical import CANONICAL_VERSION, canonical_code
from flytec.compiler.project import Project
from flytec.compiler.recover.scopes import local_names
from flytec.compiler.resolve import Resolver
from flytec.compiler.workflow.context import Context
from flytec.model import body as ir
from flytec.model.program import Program

_HASH_PREFIX = f"{CANONICAL_VERSION}:sha256:"


class CodeHasher:
    def __init__(self, program: Program, project: Project) -> None:
        self.program = program
        self.project = project
        self.resolver = Resolver(program.modules)
        self.ctx = Context(program)
        self._class_code: dict[str, str | None] = {}
        self._lines: dict[str, list[str]] = {}
        self._digests: dict[str, str | None] = {}  # key -> digest of its form (None: no code)
        self.forms = FormCache(project.cache_dir)
        self._succ: dict[str, list[str]] = {}
        self._entries: dict[str, bytes | None] = {}
        self._by_class: dict[str, list[str]] | None = None

    def reachable(self, key: str) -> list[str]:
        """Keys of the functions and classes the hash of ``key`` covers (sorted)."""
        seen: set[str] = set()
        stack = [key]
        succ = self._succ
        while stack:
            k = stack.pop()
            if k in seen:
                continue
            seen.add(k)
            got = succ.get(k)
            stack.extend(got if got is not None else self._successors(k))
        return sorted(seen)

    def _successors(self, key: str) -> list[str]:
        """What ``key`` itself reaches: its call targets, the project classes it names and
        their methods (computed once per key, so a chain of N tasks costs O(N) look-ups)."""
        got = self._succ.get(key)
        if got is not None:
            return got
        out: list[str] = []
        for site in self.program.calls.get(key, ()):
            target = site.target
            if target is None and site.external is not None:
                target = self.ctx.external_task(site.external)
            if target is not None:
                out.append(target)
        f = self.program.functions.get(key)
        if f is not None:
            for c in self._classes(f.module, f.function):
                out.append(c)
                out.extend(self._methods(c))
        self._succ[key] = out
        return out

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
        if self._by_class is None:
            self._by_class = {}
            for k in self.program.functions:
                mod, _, qual = k.partition(":")
                owner, dot, _ = qual.rpartition(".")
                while dot:  # methods of nested classes belong to every enclosing class
                    self._by_class.setdefault(f"{mod}:{owner}", []).append(k)
                    owner, dot, _ = owner.rpartition(".")
        return self._by_class.get(class_key, [])

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

    def digest(self, key: str) -> str | None:
        """The sha256 of the canonical form of one function's or class's code."""
        if key not in self._digests:
            code = self._code(key)
            if code is None:
                self._digests[key] = None
            else:
                tk = text_key(code)
                d = self.forms.get(tk)
                if d is None:
                    d = hashlib.sha256(canonical_code(code).encode()).hexdigest()
                    self.forms.put(tk, d)
                self._digests[key] = d
        return self._digests[key]

    def save(self) -> None:
        """Keep the digests computed so far for the next run (``.flytec_cache/code/``)."""
        self.forms.save()

    def hash(self, key: str) -> tuple[str, list[str]]:
        keys = self.reachable(key)
        h = hashlib.sha256()
        h.update(f"flytec-code-hash/{CANONICAL_VERSION}".encode())
        h.update(b"\0")
        known = self._entries
        covered: list[str] = []
        parts: list[bytes] = []
        for k in keys:
            e = known[k] if k in known else self._entry(k)
            if e is not None:
                covered.append(k)
                parts.append(e)
        h.update(b"".join(parts))  # the same digest as one update per entry
        return _HASH_PREFIX + h.hexdigest(), covered

    def _entry(self, key: str) -> bytes | None:
        """What ``key`` adds to a hash that covers it (None: it has no code)."""
        if key not in self._entries:
            d = self.digest(key)
            self._entries[key] = None if d is None else f"{key}\0{d}\0".encode()
        return self._entries[key]
