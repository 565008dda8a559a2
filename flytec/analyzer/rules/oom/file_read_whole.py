"""FLY502: a task reads a whole ``File`` / ``Dir`` file into memory where it could stream."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.dataflow.values import type_of_annotation
from flytec.analyzer.registry import Finding, Rule, register
from flytec.compiler.recover.scopes import local_names
from flytec.model import body as ir
from flytec.model.diagnostic import Category, Severity
from flytec.model.program import Task
from flytec.model.unparse import unparse

REFS = {"flyte.io.File": "File", "flyte.io.Dir": "Dir"}
OPENERS = {"open", "open_sync"}
DOWNLOADS = {"download", "download_sync"}
WHOLE_READS = {"read", "readlines", "read_bytes", "read_text"}
# consumers that need the whole document anyway: streaming is not possible
WHOLE_PARSERS = {
    "json.loads", "json.load", "yaml.safe_load", "yaml.load", "yaml.full_load",
    "pickle.loads", "pickle.load", "cloudpickle.loads", "tomllib.loads", "tomli.loads",
    "PIL.Image.open", "io.BytesIO", "io.StringIO", "numpy.load", "torch.load",
    "joblib.load", "base64.b64encode", "orjson.loads", "msgpack.unpackb",
}
READERS = {"pandas.read_csv": ("chunksize", "iterator", "nrows"),
           "pandas.read_json": ("chunksize", "nrows"),
           "pandas.read_table": ("chunksize", "iterator", "nrows")}


@register
class FileReadWhole(Rule):
    code = "FLY502"
    name = "file-read-whole"
    category = Category.OOM
    severity = Severity.WARNING
    summary = (
        "A task reads a `flyte.io.File` (or a file of a `Dir`) whole into memory (`.read()`,"
        " `read_bytes()`, `pd.read_csv` without chunks) where it could stream it."
    )
    why = (
        "`File` and `Dir` inputs are references precisely so that large data is not"
        " materialized. Reading one whole into memory gives that up: a multi-GB file needs"
        " a multi-GB container, and the task fails with OOM when the data grows."
    )
    fix = (
        "Stream it: iterate lines (`for line in f`), read fixed-size chunks (`f.read(1 <<"
        " 20)`), or pass `chunksize=` to pandas readers."
    )
    bad = """
import flyte
from flyte.io import File

env = flyte.TaskEnvironment(name="logs")


@env.task
async def count_errors(log: File) -> int:
    async with log.open("rb") as f:
        content = await f.read()
    return content.count(b"ERROR")
"""
    good = """
import flyte
from flyte.io import File

env = flyte.TaskEnvironment(name="logs")


@env.task
def count_errors(log: File) -> int:
    errors = 0
    with log.open_sync("rb") as f:
        for line in f:
            errors += b"ERROR" in line
    return errors
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for task in sorted(ctx.program.tasks.values(), key=lambda t: t.key):
            if ctx.reported(task.path):
                yield from self.check_task(ctx, task)

    def check_task(self, ctx: RuleContext, task: Task) -> Iterable[Finding]:
        fn = task.function
        local = local_names(fn)
        refs: dict[str, str] = {}  # name -> "File `log`"
        for p in fn.params:
            t = type_of_annotation(ctx.resolver, task.module, p.annotation)
            if t is not None and t.name in REFS:
                refs[p.name] = f"{REFS[t.name]} `{p.name}`"
        if not refs:
            return
        handles: dict[str, str] = {}
        paths: dict[str, str] = {}

        def origin(e: ir.Expr) -> str | None:
            """What reference a path / handle expression comes from."""
            if isinstance(e, ir.Await):
                e = e.value
            if isinstance(e, ir.Name):
                return paths.get(e.id)
            if isinstance(e, ir.Attribute) and isinstance(e.value, ir.Name) \
                    and e.attr == "path":
                return refs.get(e.value.id)
            if isinstance(e, ir.Call):
                f = e.func
                if isinstance(f, ir.Attribute) and isinstance(f.value, ir.Name) \
                        and f.attr in DOWNLOADS:
                    return refs.get(f.value.id)
                name = ctx.resolver.external_name(task.module, f, local)
                if name in ("pathlib.Path", "builtins.str", "os.fspath") and e.positional:
                    return origin(e.positional[0])
            return None

        def handle_of(e: ir.Expr) -> str | None:
            if isinstance(e, ir.Await):
                e = e.value
            if isinstance(e, ir.Call):
                f = e.func
                if isinstance(f, ir.Attribute) and isinstance(f.value, ir.Name) \
                        and f.attr in OPENERS and f.value.id in refs:
                    return refs[f.value.id]
                name = ctx.resolver.external_name(task.module, f, local)
                if name == "builtins.open" and e.positional:
                    return origin(e.positional[0])
            return None

        helpers = _helpers(ctx, task, fn)
        parents = _parents(fn)
        # One walk in source order: a read is judged with the bindings made before it, and
        # a name rebound to something else (``with open(tmp) as f``) is no longer the File.
        for s in ir.walk_stmts(fn.body):
            for e in ir.stmt_exprs(s):
                for x in ir.walk_expr(e):
                    if not isinstance(x, ir.Call):
                        continue
                    what = self.whole_read(ctx, task.module, local, x, handles, origin)
                    if what is None:
                        continue
                    if _parsed_whole(ctx, task.module, local, x, s, fn, parents, helpers):
                        continue
                    yield Finding(
                        task.path,
                        x.span,
                        f"task `{task.fqn}` reads {what[0]} whole into memory with"
                        f" `{what[1]}`; stream it instead",
                        task=task.fqn,
                    )
            if isinstance(s, ir.With):
                for it in s.items:
                    if isinstance(it.target, ir.Name):
                        _rebind(it.target.id, None, handle_of(it.context), paths, handles)
            elif isinstance(s, ir.Assign) and len(s.targets) == 1 and isinstance(
                    s.targets[0], ir.Name):
                _rebind(s.targets[0].id, origin(s.value), handle_of(s.value), paths, handles)
            elif isinstance(s, ir.For):
                for n in ir.walk_expr(s.target):
                    if isinstance(n, ir.Name):
                        _rebind(n.id, None, None, paths, handles)

    @staticmethod
    def whole_read(ctx: RuleContext, module: str, local: frozenset[str], x: ir.Call,
                   handles: dict[str, str], origin: object) -> tuple[str, str] | None:
        f = x.func
        if isinstance(f, ir.Attribute) and f.attr in WHOLE_READS and not x.args:
            base = f.value
            if isinstance(base, ir.Name) and base.id in handles:
                return handles[base.id], unparse(x)
            if isinstance(base, ir.Call):
                h = None
                bf = base.func
                name = ctx.resolver.external_name(module, bf, local)
                if name == "builtins.open" and base.positional:
                    h = origin(base.positional[0])  # type: ignore[operator]
                elif name == "pathlib.Path" and base.positional:
                    h = origin(base.positional[0])  # type: ignore[operator]
                if isinstance(h, str):
                    return h, unparse(x)
            return None
        name = ctx.resolver.external_name(module, f, local)
        if name in READERS and x.positional:
            if any(x.keyword(k) is not None for k in READERS[name]):
                return None
            arg = x.positional[0]
            o = origin(arg)  # type: ignore[operator]
            if o is None and isinstance(arg, ir.Name):
                o = handles.get(arg.id)
            if isinstance(o, str):
                return o, f"{unparse(f)}(...)"
        return None


def _rebind(name: str, path: str | None, handle: str | None, paths: dict[str, str],
            handles: dict[str, str]) -> None:
    for table, value in ((paths, path), (handles, handle)):
        if value is None:
            table.pop(name, None)
        else:
            table[name] = value


def _helpers(ctx: RuleContext, task: Task, fn: ir.FunctionDef) -> dict[str, ir.FunctionDef]:
    """Functions the task can call by a plain name: its nested defs and its module's."""
    out: dict[str, ir.FunctionDef] = {}
    mod = ctx.program.modules.get(task.module)
    if mod is not None:
        out.update({f.name: f for f in mod.functions})
    for s in ir.walk_stmts(fn.body):
        if isinstance(s, ir.FunctionStmt):
            out[s.func.name] = s.func
    return out


def _parents(fn: ir.FunctionDef) -> dict[int, ir.Expr]:
    out: dict[int, ir.Expr] = {}
    for s in ir.walk_stmts(fn.body):
        for e in ir.stmt_exprs(s):
            for x in ir.walk_expr(e):
                for c in ir.iter_child_exprs(x):
                    out[id(c)] = x
    return out


def _parsed_whole(ctx: RuleContext, module: str, local: frozenset[str], read: ir.Call,
                  stmt: ir.Stmt, fn: ir.FunctionDef, parents: dict[int, ir.Expr],
                  helpers: dict[str, ir.FunctionDef]) -> bool:
    """Is holding the whole content needed anyway? True when it goes (through conversions
    such as ``bytes(...)`` / ``.decode()``, or through a helper of the task's module) to a
    parser that needs the whole document (``json.loads``, ``yaml.safe_load``, ``io.BytesIO``
    ...), or into the task's by-value return value, or when the read sits in a ``while``
    loop that reads chunk after chunk."""
    if _in_while(fn.body, read):
        return True
    if isinstance(stmt, ir.Return) and stmt.value is not None and _carries(
            stmt.value, set(), read):
        return True
    p: ir.Expr | None = read
    while p is not None:
        if _is_parser(ctx, module, local, p) or _helper_parses(ctx, module, p, read, helpers):
            return True
        p = parents.get(id(p))
    derived: set[str] = set()
    if isinstance(stmt, (ir.Assign, ir.AnnAssign)):
        targets = stmt.targets if isinstance(stmt, ir.Assign) else [stmt.target]
        for t in targets:
            derived.update(x.id for x in ir.walk_expr(t) if isinstance(x, ir.Name))
    if not derived:
        return False
    return _flows_to_parser(ctx, module, local, fn.body, derived, helpers, returns=True)


def _is_parser(ctx: RuleContext, module: str, local: frozenset[str], c: ir.Expr) -> bool:
    return isinstance(c, ir.Call) and ctx.resolver.external_name(
        module, c.func, local) in WHOLE_PARSERS


def _mentions(e: ir.Expr, names: set[str]) -> bool:
    return any(isinstance(x, ir.Name) and x.id in names for x in ir.walk_expr(e))


def _flows_to_parser(ctx: RuleContext, module: str, local: frozenset[str],
                     body: list[ir.Stmt], derived: set[str],
                     helpers: dict[str, ir.FunctionDef] | None, returns: bool) -> bool:
    """Do the names ``derived`` (and what is computed from them) reach a whole parser, a
    helper that parses them whole, or (``returns``) the by-value return value?"""
    for s in ir.walk_stmts(body):
        if isinstance(s, ir.Assign) and _carries(s.value, derived):
            for t in s.targets:
                derived.update(x.id for x in ir.walk_expr(t) if isinstance(x, ir.Name))
        if returns and isinstance(s, ir.Return) and s.value is not None and _carries(
                s.value, derived):
            return True
        for e in ir.stmt_exprs(s):
            for x in ir.walk_expr(e):
                if _is_parser(ctx, module, local, x) and _mentions(x, derived):
                    return True
                if helpers and isinstance(x, ir.Call) and _helper_takes(
                        ctx, module, local, x, derived, helpers):
                    return True
    return False


def _helper_takes(ctx: RuleContext, module: str, local: frozenset[str], call: ir.Call,
                  derived: set[str], helpers: dict[str, ir.FunctionDef]) -> bool:
    """Is ``call`` a helper call passing ``derived`` content to a parameter it parses whole?"""
    if not isinstance(call.func, ir.Name) or call.func.id not in helpers:
        return False
    h = helpers[call.func.id]
    names = [p.name for p in h.params if p.kind in ("posonly", "normal")]
    for i, a in enumerate(call.args):
        if a.star or not _mentions(a.value, derived):
            continue
        pname = a.keyword if a.keyword is not None else (names[i] if i < len(names) else None)
        if pname is not None and _flows_to_parser(ctx, module, local, h.body, {pname}, None,
                                                  returns=False):
            return True
    return False


def _helper_parses(ctx: RuleContext, module: str, e: ir.Expr, read: ir.Call,
                   helpers: dict[str, ir.FunctionDef]) -> bool:
    """``helper(await f.read())`` where the helper parses that argument whole."""
    if not isinstance(e, ir.Call) or not isinstance(e.func, ir.Name) \
            or e.func.id not in helpers:
        return False
    h = helpers[e.func.id]
    names = [p.name for p in h.params if p.kind in ("posonly", "normal")]
    for i, a in enumerate(e.args):
        if a.star or not any(x is read for x in ir.walk_expr(a.value)):
            continue
        pname = a.keyword if a.keyword is not None else (names[i] if i < len(names) else None)
        if pname is not None and _flows_to_parser(ctx, module, frozenset(), h.body, {pname},
                                                  None, returns=False):
            return True
    return False


SCALAR_METHODS = frozenset({"count", "find", "rfind", "index", "startswith", "endswith",
                            "isdigit", "isalpha", "__len__"})


def _carries(e: ir.Expr, names: set[str], read: ir.Call | None = None) -> bool:
    """Does the value of ``e`` contain the content itself (not just a count or a flag)?
    The content is in the names ``names``, or is the value of the call ``read``."""
    if e is read:
        return True
    if isinstance(e, ir.Name):
        return e.id in names
    if isinstance(e, ir.Await):
        return _carries(e.value, names, read)
    if isinstance(e, ir.Call):
        f = e.func
        if isinstance(f, ir.Attribute):
            return f.attr not in SCALAR_METHODS and _carries(f.value, names, read)
        if ir.dotted_name(f) in ("str", "bytes", "bytearray", "list", "tuple"):
            return any(_carries(a.value, names, read) for a in e.args)
        return False
    if isinstance(e, ir.FString):
        return any(_carries(v, names, read) for v in e.values)
    if isinstance(e, (ir.Seq,)):
        return any(_carries(v, names, read) for v in e.elts)
    if isinstance(e, ir.DictExpr):
        return any(_carries(v, names, read) for v in e.values)
    if isinstance(e, ir.Subscript):
        return _carries(e.value, names, read)
    if isinstance(e, ir.BinOp) and e.op == "+":
        return _carries(e.left, names, read) or _carries(e.right, names, read)
    return False


def _in_while(body: list[ir.Stmt], read: ir.Call) -> bool:
    for s in ir.walk_stmts(body):
        if isinstance(s, ir.While):
            for b in ir.walk_stmts(s.body):
                for e in ir.stmt_exprs(b):
                    if any(x is read for x in ir.walk_expr(e)):
                        return True
    return False
