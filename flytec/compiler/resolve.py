"""Name resolution across modules, done over the IR (no libcst metadata providers).

``Resolver.resolve(module, expr)`` says what a name or attribute chain refers to: a symbol
of a project module (``"pkg.mod:name"`` plus the attributes after it), a project module, or
an external dotted name ("flyte.map.aio", "time.time", "builtins.len"). Imports are
followed through aliases, relative imports and re-exports.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field
from typing import Any

from flytec.model import body as ir
from flytec.model.module import ModuleIR

# the builtins of every Python flytec supports, not only the running one's (3.11 added the
# exception groups, 3.13 PythonFinalizationError): resolution must not depend on the interpreter
_BUILTINS = frozenset(n for n in dir(builtins) if n[:1] != "_" or n[:2] == "__") | {
    "BaseExceptionGroup", "ExceptionGroup", "PythonFinalizationError"}


@dataclass(frozen=True, slots=True)
class Resolved:
    """What an expression refers to.

    ``kind``: ``"symbol"`` (``key`` is "module:name", ``rest`` the attributes after it),
    ``"module"`` (``key`` is a project module name), or ``"external"`` (``key`` is a dotted
    name outside the project, ``rest`` empty).
    """

    kind: str
    key: str
    rest: tuple[str, ...] = ()

    @property
    def dotted(self) -> str:
        """External dotted name, with the rest appended."""
        return ".".join([self.key, *self.rest]) if self.rest else self.key


@dataclass
class _ModuleSymbols:
    defs: dict[str, str] = field(default_factory=dict)  # name -> "function"/"class"/"global"
    imports: dict[str, ir.ImportBinding] = field(default_factory=dict)  # the last binding
    all_imports: dict[str, list[ir.ImportBinding]] = field(default_factory=dict)
    stars: list[ir.ImportBinding] = field(default_factory=list)


class Resolver:
    def __init__(self, modules: dict[str, ModuleIR]) -> None:
        self.modules = modules
        self._symbols: dict[str, _ModuleSymbols] = {}
        # top-level lookups, memoised: rules resolve the same few names thousands of times
        self._looked_up: dict[tuple[str, str], Resolved | None] = {}
        # memo tables of analyses built on this resolver (they live as long as it does)
        self.memo: dict[str, dict[Any, Any]] = {}

    def symbols(self, module: str) -> _ModuleSymbols:
        s = self._symbols.get(module)
        if s is None:
            s = _ModuleSymbols()
            mod = self.modules.get(module)
            if mod is not None:
                for g in mod.globals:
                    s.defs[g.name] = "global"
                for c in mod.classes:
                    if c.module_level:
                        s.defs[c.name] = "class"
                for f in mod.functions:
                    s.defs[f.name] = "function"
                for b in mod.imports:
                    if b.star:
                        s.stars.append(b)
                    else:
                        s.imports[b.local] = b
                        s.all_imports.setdefault(b.local, []).append(b)
            self._symbols[module] = s
        return s

    def is_project_module(self, name: str) -> bool:
        return name in self.modules

    # ------------------------------------------------------------------------ lookup

    def lookup(
        self, module: str, name: str, _depth: int = 0, before: int | None = None
    ) -> Resolved | None:
        """What ``name`` refers to at the top level of ``module``.

        With ``before`` (a line), only bindings made above that line count: module-level
        code runs top-down, so in ``env = flyte.TaskEnvironment(depends_on=[env])`` the
        ``env`` inside is the one imported earlier, not the one being defined.
        """
        if before is None and _depth == 0:
            k = (module, name)
            try:
                return self._looked_up[k]
            except KeyError:
                r = self._looked_up[k] = self._lookup(module, name, 0, None)
                return r
        return self._lookup(module, name, _depth, before)

    def _lookup(
        self, module: str, name: str, _depth: int, before: int | None
    ) -> Resolved | None:
        if _depth > 20:
            return None
        syms = self.symbols(module)
        kind = syms.defs.get(name)
        b = syms.imports.get(name)
        if before is not None:
            def_lines = [line for line in self._def_lines(module, name) if line < before]
            earlier = [x for x in syms.all_imports.get(name, ()) if x.span.line < before]
            b = earlier[-1] if earlier else None
            if not def_lines:
                kind = None
            elif kind is not None and b is not None:
                if b.span.line > max(def_lines):
                    kind = None
                else:
                    b = None
        elif kind is not None and b is not None:
            # Both an import and a definition bind the name: the later one wins.
            if b.span.line > self._def_line(module, name):
                kind = None
            else:
                b = None
        if kind is not None:
            return Resolved("symbol", f"{module}:{name}")
        if b is not None:
            return self._from_binding(b, _depth)
        for star in syms.stars:
            if self.is_project_module(star.module):
                r = self.lookup(star.module, name, _depth + 1)
                if r is not None:
                    return r
        if name in _BUILTINS:
            return Resolved("external", f"builtins.{name}")
        if self.is_project_module(f"{module}.{name}"):
            mod = self.modules.get(module)
            if mod is not None and mod.is_package:
                return Resolved("module", f"{module}.{name}")
        return None

    def _def_lines(self, module: str, name: str) -> list[int]:
        mod = self.modules.get(module)
        if mod is None:
            return []
        lines = [g.span.line for g in mod.globals if g.name == name]
        lines += [f.span.line for f in mod.functions if f.name == name]
        lines += [c.span.line for c in mod.classes if c.name == name and c.module_level]
        return lines

    def _def_line(self, module: str, name: str) -> int:
        return max(self._def_lines(module, name), default=0)

    def _from_binding(self, b: ir.ImportBinding, depth: int) -> Resolved | None:
        if b.name is None:
            target = b.module if b.submodule is None else b.module
            if self.is_project_module(target):
                return Resolved("module", target)
            return Resolved("external", target)
        if self.is_project_module(b.module):
            r = self.lookup(b.module, b.name, depth + 1)
            if r is not None:
                return r
            sub = f"{b.module}.{b.name}"
            if self.is_project_module(sub):
                return Resolved("module", sub)
            return None
        sub = f"{b.module}.{b.name}"
        if self.is_project_module(sub):
            return Resolved("module", sub)
        return Resolved("external", sub)

    def attribute(self, base: Resolved, attr: str) -> Resolved | None:
        """``base.attr``."""
        if base.kind == "external":
            return Resolved("external", f"{base.key}.{attr}")
        if base.kind == "module":
            r = self.lookup(base.key, attr)
            if r is not None:
                return r
            sub = f"{base.key}.{attr}"
            if self.is_project_module(sub):
                return Resolved("module", sub)
            return None
        return Resolved(base.kind, base.key, (*base.rest, attr))

    def resolve(
        self,
        module: str,
        e: ir.Expr,
        local_names: frozenset[str] = frozenset(),
        before: int | None = None,
    ) -> Resolved | None:
        """Resolve a Name/Attribute chain in ``module``; None for locals and unknowns.
        ``before``: resolve as module-level code on that line sees names (see lookup)."""
        if isinstance(e, ir.Name):
            if e.id in local_names:
                return None
            return self.lookup(module, e.id, before=before)
        if isinstance(e, ir.Attribute):
            base = self.resolve(module, e.value, local_names, before)
            if base is None:
                return None
            return self.attribute(base, e.attr)
        return None

    def external_name(self, module: str, e: ir.Expr, local_names: frozenset[str] = frozenset()) -> (
        str | None
    ):
        r = self.resolve(module, e, local_names)
        if r is not None and r.kind == "external":
            return r.dotted
        return None
