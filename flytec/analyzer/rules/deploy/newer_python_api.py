"""FLY609: code uses a standard-library API or syntax newer than the Python it must run on."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from flytec.analyzer.context import RuleContext
from flytec.analyzer.registry import Finding, Rule, register
from flytec.analyzer.rules.deploy.python_apis import MODULES, NAMES, SYNTAX
from flytec.compiler.recover.scopes import local_names
from flytec.model import body as ir
from flytec.model.diagnostic import Category, Severity
from flytec.model.module import ModuleIR
from flytec.model.program import Environment, StaticCall
from flytec.model.span import Span

DEFAULT_PYTHON = (3, 10)  # without requires-python: the oldest Python Flyte 2 supports
# handlers that make a `try` a feature test: the code inside may fail on an older Python
_FALLBACK_ERRORS = {"ImportError", "ModuleNotFoundError", "AttributeError", "NameError",
                    "Exception", "BaseException", "SyntaxError"}
# names that make an `if` a version or feature test
_GUARDS = {"version_info", "TYPE_CHECKING", "hasattr", "getattr", "hexversion"}


def _v(v: tuple[int, int]) -> str:
    return f"{v[0]}.{v[1]}"


def image_python(env: Environment | None) -> tuple[int, int] | None:
    """``python_version=(3, 12)`` of the environment's ``flyte.Image`` chain, when static."""
    cur = env.config.get("image") if env is not None else None
    while isinstance(cur, StaticCall):
        for k, v in cur.kwargs:
            if k == "python_version" and isinstance(v, (tuple, list)) and len(v) >= 2 \
                    and all(isinstance(x, int) for x in v[:2]):
                return (v[0], v[1])
        cur = cur.base
    return None


def module_images_python(ctx: RuleContext, mod: ModuleIR) -> tuple[int, int] | None:
    """The oldest ``python_version=(3, x)`` of the ``flyte.Image`` builders in the module's
    top-level code, when every one of them pins it (None otherwise, or without images)."""
    found: list[tuple[int, int]] = []
    for st in ir.walk_stmts(mod.body):
        for e in ir.stmt_exprs(st):
            for c in ir.walk_expr(e):
                if not isinstance(c, ir.Call):
                    continue
                name = ctx.resolver.external_name(mod.module, c.func)
                if name is None or not name.startswith("flyte.Image.from_"):
                    continue
                v = c.keyword("python_version")
                parts = [x.value for x in v.elts[:2] if isinstance(x, ir.Const)
                         and isinstance(x.value, int)] if isinstance(v, ir.Seq) else []
                if len(parts) != 2:
                    return None
                found.append((int(parts[0]), int(parts[1])))
    return min(found) if found else None


@dataclass
class _Use:
    what: str  # as shown: "`asyncio.TaskGroup`", "`except*`"
    added: tuple[int, int]
    error: str
    span: Span


def _guarded_if(s: ir.If) -> bool:
    for x in ir.walk_expr(s.test):
        if isinstance(x, ir.Name) and x.id in _GUARDS:
            return True
        if isinstance(x, ir.Attribute) and x.attr in _GUARDS:
            return True
    return False


def _fallback_try(s: ir.Try) -> bool:
    for h in s.handlers:
        if h.type is None:
            return True
        for x in ir.walk_expr(h.type):
            name = x.attr if isinstance(x, ir.Attribute) else getattr(x, "id", None)
            if name in _FALLBACK_ERRORS:
                return True
    return False


class _Finder:
    def __init__(self, ctx: RuleContext, module: str) -> None:
        self.ctx = ctx
        self.module = module

    def imports(self, bindings: list[ir.ImportBinding]) -> Iterator[_Use]:
        for b in bindings:
            top = b.module.split(".")[0]
            if b.level == 0 and top in MODULES:
                yield _Use(f"`{top}`", MODULES[top], "ModuleNotFoundError at import", b.span)
            elif b.name is not None and f"{b.module}.{b.name}" in NAMES:
                yield _Use(f"`{b.module}.{b.name}`", NAMES[f"{b.module}.{b.name}"],
                           "ImportError at import", b.span)

    def exprs(self, exprs: Iterable[ir.Expr], local: frozenset[str]) -> Iterator[_Use]:
        for e in exprs:
            for x in ir.walk_expr(e):
                if not isinstance(x, (ir.Name, ir.Attribute)):
                    continue
                name = self.ctx.resolver.external_name(self.module, x, local)
                if name is None or name not in NAMES:
                    continue
                if isinstance(x, ir.Name) and not name.startswith("builtins."):
                    continue  # `from m import X`: reported at the import
                shown = name.removeprefix("builtins.")
                error = "NameError" if name.startswith("builtins.") else "AttributeError"
                yield _Use(f"`{shown}`", NAMES[name], f"{error} when it runs", x.span)

    def body(self, stmts: list[ir.Stmt], local: frozenset[str]
             ) -> Iterator[tuple[_Use, str | None]]:
        """Uses in ``stmts`` with the key of the function they are in (None: module level)."""
        yield from self._body(stmts, local, None)

    def _body(self, stmts: list[ir.Stmt], local: frozenset[str], key: str | None
              ) -> Iterator[tuple[_Use, str | None]]:
        for s in stmts:
            if isinstance(s, ir.If) and _guarded_if(s):
                continue
            if isinstance(s, ir.ImportStmt):
                yield from ((u, key) for u in self.imports(s.bindings))
                continue
            if isinstance(s, ir.FunctionStmt):
                fn = s.func
                extra = [p.annotation for p in fn.params if p.annotation is not None]
                if fn.returns is not None:
                    extra.append(fn.returns)
                yield from ((u, key) for u in self.exprs([*ir.stmt_exprs(s), *extra], local))
                yield from self._body(fn.body, local_names(fn),
                                      f"{self.module}:{fn.qualname}")
                continue
            if isinstance(s, ir.ClassStmt):
                yield from ((u, key) for u in self.exprs(s.cls.bases, local))
                yield from self._body(s.cls.body, local, key)
                continue
            if isinstance(s, ir.Try) and s.is_star:
                yield _Use("`except*`", SYNTAX["except*"], "SyntaxError at import",
                           s.handlers[0].span if s.handlers else s.span), key
            if isinstance(s, ir.OtherStmt) and s.text.startswith("type "):
                yield _Use("the `type` statement", SYNTAX["type statement"],
                           "SyntaxError at import", s.span), key
            yield from ((u, key) for u in self.exprs(ir.stmt_exprs(s), local))
            if isinstance(s, ir.Try) and _fallback_try(s):
                for sub in [*(h.body for h in s.handlers), s.orelse, s.finalbody]:
                    yield from self._body(sub, local, key)
                continue
            for sub in ir.child_bodies(s):
                yield from self._body(sub, local, key)


@register
class NewerPythonApi(Rule):
    code = "FLY609"
    name = "newer-python-api"
    category = Category.DEPLOY
    severity = Severity.ERROR
    summary = ("Code uses a standard-library API or syntax newer than the oldest Python it must"
               " run on (`requires-python`, or the image's `python_version`).")
    why = (
        "The Python that runs a task is the task image's, not the one running flytec or your"
        " laptop's. A project that declares `requires-python = \">=3.10\"` promises 3.10, where"
        " `asyncio.TaskGroup`, `asyncio.timeout`, `ExceptionGroup`, `except*`, `tomllib` and"
        " `typing.Self` do not exist (they are new in 3.11): the task fails with"
        " `AttributeError`, `NameError`, `ImportError` or a `SyntaxError` at import, while a"
        " static plan of the same workflow would run. flytec takes the Python of a task from"
        " its environment's `flyte.Image...(python_version=(3, x))` when that is static (for"
        " module-level code: the oldest of the images the module builds, when each pins"
        " one), else"
        " the lower bound of `[project] requires-python` in pyproject.toml, else 3.10. Code"
        " under `if sys.version_info >= ...`, `if TYPE_CHECKING` or `hasattr(...)`, and in the"
        " body of a `try` that catches `ImportError` (or `AttributeError`, `NameError`,"
        " `Exception`), is a deliberate fallback and is not reported."
    )
    fix = (
        "Raise `requires-python` (or pin the environment's image with"
        " `python_version=(3, 11)`), or use what the older Python has: `asyncio.gather` for"
        " `TaskGroup`, `asyncio.wait_for` for `timeout`, `tomli` for `tomllib`,"
        " `typing_extensions` for new `typing` names."
    )
    bad = """
import asyncio

import flyte

env = flyte.TaskEnvironment(name="fanout")


@env.task
async def double(x: int) -> int:
    return 2 * x


@env.task
async def main(x: int, y: int) -> int:
    async with asyncio.TaskGroup() as tg:
        a = tg.create_task(double(x))
        b = tg.create_task(double(y))
    return a.result() + b.result()
"""
    good = """
import asyncio

import flyte

env = flyte.TaskEnvironment(name="fanout")


@env.task
async def double(x: int) -> int:
    return 2 * x


@env.task
async def main(x: int, y: int) -> int:
    a, b = await asyncio.gather(double(x), double(y))
    return a + b
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        floor = ctx.config.target_python
        declared = floor is not None
        project = floor or DEFAULT_PYTHON
        for mod in ctx.program.modules.values():
            if not ctx.reported(mod.path):
                continue
            finder = _Finder(ctx, mod.module)
            pinned = module_images_python(ctx, mod)
            for use, key in finder.body(mod.body, frozenset()):
                task = ctx.program.tasks.get(key) if key is not None else None
                image = image_python(ctx.env(task)) if task is not None else None
                if image is None and task is None:
                    image = pinned  # module-level code runs in the images the module builds
                target = image or project
                if use.added <= target:
                    continue
                if image is not None and task is None:
                    where = (f"but the images this module builds have python_version="
                             f"({target[0]}, {target[1]})")
                elif image is not None:
                    where = f"but this task's image has python_version=({target[0]}, {target[1]})"
                elif declared:
                    where = (f"but the project supports Python {_v(target)} (requires-python "
                             "in pyproject.toml)")
                else:
                    where = (f"but without requires-python in pyproject.toml flytec assumes "
                             f"Python {_v(target)}, the oldest Flyte 2 supports")
                yield Finding(
                    mod.path,
                    use.span,
                    f"{use.what} is new in Python {_v(use.added)}, {where}: {use.error} on "
                    f"{_v(target)}",
                )
