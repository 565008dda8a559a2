"""Static evaluation of expressions (environment and decorator arguments)."""

from __future__ import annotations

from typing import Any

from flytec.compiler.resolve import Resolver
from flytec.model import body as ir
from flytec.model.program import Dynamic, EnvRef, StaticCall, SymbolRef
from flytec.model.unparse import unparse


class StaticEvaluator:
    """Evaluates what can be known without running code; the rest is :class:`Dynamic`."""

    def __init__(self, resolver: Resolver, env_keys: set[str] | None = None) -> None:
        self.resolver = resolver
        self.env_keys = env_keys if env_keys is not None else set()
        self._active: set[str] = set()

    def eval(self, module: str, e: ir.Expr | None, before: int | None = None) -> Any:
        """The static value of ``e`` in ``module``; ``before``: evaluated by module-level
        code on that line (names bound later in the module are not yet visible)."""
        if e is None:
            return None
        if isinstance(e, ir.Const):
            return e.value
        if isinstance(e, ir.Seq):
            items = [self.eval(module, x, before) for x in e.elts]
            return tuple(items) if e.kind == "tuple" else items
        if isinstance(e, ir.DictExpr):
            out: dict[Any, Any] = {}
            for k, v in zip(e.keys, e.values):
                if k is None:
                    return Dynamic(unparse(e))
                key = self.eval(module, k, before)
                if isinstance(key, (Dynamic, list, dict)):
                    return Dynamic(unparse(e))
                out[key] = self.eval(module, v, before)
            return out
        if isinstance(e, (ir.Name, ir.Attribute)):
            return self._name(module, e, before)
        if isinstance(e, ir.Call):
            return self._call(module, e, before)
        if isinstance(e, ir.BinOp):
            left, right = self.eval(module, e.left, before), self.eval(module, e.right, before)
            return _binop(e.op, left, right, e)
        if isinstance(e, ir.UnaryOp) and e.op == "-":
            v = self.eval(module, e.operand, before)
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                return -v
        return Dynamic(unparse(e))

    def _name(self, module: str, e: ir.Expr, before: int | None = None) -> Any:
        r = self.resolver.resolve(module, e, before=before)
        if r is None:
            return Dynamic(unparse(e))
        if r.kind == "symbol" and not r.rest:
            if r.key in self.env_keys:
                return EnvRef(r.key)
            mod_name, _, name = r.key.partition(":")
            value = self._global_value(mod_name, name, r.key)
            if value is not None:
                return value
            return SymbolRef(r.key)
        if r.kind == "external":
            return SymbolRef(r.dotted)  # an external name: its key has no colon
        return Dynamic(unparse(e))

    def _global_value(self, module: str, name: str, key: str) -> Any:
        mod = self.resolver.modules.get(module)
        if mod is None or key in self._active:
            return None
        assigns = [g for g in mod.globals if g.name == name]
        if len(assigns) != 1:
            return None
        stmt = assigns[0].value
        value_expr: ir.Expr | None = None
        if isinstance(stmt, ir.Assign) and len(stmt.targets) == 1 and isinstance(
            stmt.targets[0], ir.Name
        ):
            value_expr = stmt.value
        elif isinstance(stmt, ir.AnnAssign) and isinstance(stmt.target, ir.Name):
            value_expr = stmt.value
        if value_expr is None:
            return None
        self._active.add(key)
        try:
            v = self.eval(module, value_expr)
        finally:
            self._active.discard(key)
        if isinstance(v, Dynamic):
            return None
        return v

    def _call(self, module: str, e: ir.Call, before: int | None = None) -> Any:
        args = tuple(
            self.eval(module, a.value, before) for a in e.args if a.keyword is None and not a.star
        )
        kwargs = tuple(
            (a.keyword, self.eval(module, a.value, before)) for a in e.args if a.keyword
        )
        if any(a.star for a in e.args):
            return Dynamic(unparse(e))
        func = e.func
        if isinstance(func, ir.Attribute) and isinstance(func.value, ir.Call):
            base = self._call(module, func.value, before)
            return StaticCall(f".{func.attr}", args, kwargs, base)
        r = self.resolver.resolve(module, func, before=before)
        if r is None:
            return Dynamic(unparse(e))
        if r.kind == "external":
            return StaticCall(r.dotted, args, kwargs)
        if r.kind == "symbol":
            if r.rest:
                target = EnvRef(r.key) if r.key in self.env_keys else SymbolRef(r.key)
                return StaticCall("." + ".".join(r.rest), args, kwargs, target)
            return StaticCall(r.key, args, kwargs)
        return Dynamic(unparse(e))


def _binop(op: str, left: Any, right: Any, e: ir.BinOp) -> Any:
    nums = (int, float)
    try:
        if isinstance(left, nums) and isinstance(right, nums):
            if op == "+":
                return left + right
            if op == "-":
                return left - right
            if op == "*":
                return left * right
            if op == "/" and right:
                return left / right
            if op == "//" and right:
                return left // right
            if op == "**" and abs(right) < 64:
                return left**right
        if isinstance(left, str) and isinstance(right, str) and op == "+":
            return left + right
    except Exception:
        pass
    return Dynamic(unparse(e))
