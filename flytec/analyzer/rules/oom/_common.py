"""Helpers shared by the oom rules: sizes, resources, large by-value types, inputs."""

from __future__ import annotations

from flytec.analyzer.context import RuleContext
from flytec.analyzer.dataflow.values import TypeRef
from flytec.model import body as ir
from flytec.model.program import StaticCall, Task

DEFAULT_INLINE = 10 * 1024 * 1024
LARGE = {
    "pandas.DataFrame": "DataFrame", "pyarrow.Table": "pyarrow Table",
    "polars.DataFrame": "polars DataFrame", "builtins.bytes": "bytes value",
    "numpy.ndarray": "numpy array", "builtins.bytearray": "bytes value",
}


def large_label(t: TypeRef | None) -> str | None:
    """What is large about a by-value type (``"DataFrame"``), or None."""
    if t is None:
        return None
    if t.name in LARGE:
        return LARGE[t.name]
    if t.name in ("builtins.list", "builtins.dict") and t.args:
        inner = large_label(t.args[-1])
        return f"list of {inner}s" if inner and t.name == "builtins.list" else inner
    return None


def resources(ctx: RuleContext, task: Task) -> tuple[str | None, object]:
    """(memory, cpu) requested by the task's environment, when static."""
    env = ctx.env(task)
    res = env.config.get("resources") if env is not None else None
    if not isinstance(res, StaticCall):
        return None, None
    mem = res.kw("memory")
    cpu = res.kw("cpu")
    if isinstance(mem, tuple) and mem:
        mem = mem[-1]
    if isinstance(cpu, tuple) and cpu:
        cpu = cpu[-1]
    return (mem if isinstance(mem, str) else None), cpu


def memory_phrase(ctx: RuleContext, task: Task) -> str:
    mem, _ = resources(ctx, task)
    return f"requests {mem}" if mem else "requests no explicit memory"


def cpu_phrase(ctx: RuleContext, task: Task) -> str:
    _, cpu = resources(ctx, task)
    if isinstance(cpu, (int, float, str)) and not isinstance(cpu, bool):
        return f"{cpu} CPU"
    return "default CPU"


def input_root(fn: ir.FunctionDef, e: ir.Expr) -> str | None:
    """The task parameter ``e`` is derived from (``days``, ``zip(a, b)``, ``[x for x in a]``),
    when its length follows the input's."""
    if isinstance(e, ir.Name):
        return e.id if fn.param(e.id) is not None else None
    if isinstance(e, (ir.Attribute, ir.Subscript)) and not isinstance(e, ir.Subscript):
        return None
    if isinstance(e, ir.Call):
        name = ir.dotted_name(e.func)
        if name in ("list", "tuple", "zip", "enumerate", "sorted", "reversed") and e.positional:
            return input_root(fn, e.positional[0])
        if isinstance(e.func, ir.Attribute) and e.func.attr in ("items", "keys", "values"):
            return input_root(fn, e.func.value)
        return None
    if isinstance(e, ir.Comp) and e.generators:
        return input_root(fn, e.generators[0].iter)
    return None


def inline_limit(task: Task) -> int:
    v = task.options.get("max_inline_io_bytes")
    return v if isinstance(v, int) and not isinstance(v, bool) and v > 0 else DEFAULT_INLINE


# The documented scale of one run: Union's "Scale your workflows" guide puts high-throughput
# runs at 10k to 50k actions in total; past that a run is beyond what Flyte 2 is built for.
RUN_ACTION_CEILING = 50_000
# A burst at least this large from one `flyte.map` with the default concurrency is large.
LARGE_BURST = 1_000


def static_int(ctx: RuleContext, module: str, e: ir.Expr) -> int | None:
    """The value of an int expression known without running anything: a literal, a
    module-level constant, or ``+ - * //`` of those."""
    if isinstance(e, ir.Const) and e.kind == "int" and isinstance(e.value, int):
        return e.value
    if isinstance(e, ir.UnaryOp) and e.op == "-":
        v = static_int(ctx, module, e.operand)
        return -v if v is not None else None
    if isinstance(e, ir.BinOp) and e.op in ("+", "-", "*", "//", "**"):
        a, b = static_int(ctx, module, e.left), static_int(ctx, module, e.right)
        if a is None or b is None:
            return None
        if e.op == "+":
            return a + b
        if e.op == "-":
            return a - b
        if e.op == "*":
            return a * b
        if e.op == "**":
            return a ** b if 0 <= b <= 64 else None
        return a // b if b else None
    if isinstance(e, ir.Name):
        mod = ctx.program.modules.get(module)
        if mod is None:
            return None
        assigns = [g for g in mod.globals if g.name == e.id]
        if len(assigns) == 1 and isinstance(assigns[0].value, (ir.Assign, ir.AnnAssign)):
            value = assigns[0].value.value
            if value is not None and not isinstance(value, ir.Name):
                return static_int(ctx, module, value)
    return None


def static_len(ctx: RuleContext, module: str, e: ir.Expr) -> int | None:
    """How many items iterating ``e`` yields, when known statically: ``range(...)`` of
    known ints, a literal list or tuple, or ``zip``/``enumerate``/``list`` of one."""
    if isinstance(e, ir.Seq) and not any(isinstance(x, ir.Starred) for x in e.elts):
        return len(e.elts)
    if not isinstance(e, ir.Call):
        return None
    name = ctx.resolver.external_name(module, e.func)
    args = e.positional
    if name == "builtins.range" and 1 <= len(args) <= 3 and len(args) == len(e.args):
        vals = [static_int(ctx, module, a) for a in args]
        if any(v is None for v in vals):
            return None
        ints = [v for v in vals if v is not None]
        start, stop, step = (0, ints[0], 1) if len(ints) == 1 else (
            ints[0], ints[1], ints[2] if len(ints) == 3 else 1)
        return len(range(start, stop, step)) if step else None
    if name in ("builtins.list", "builtins.tuple", "builtins.enumerate", "builtins.sorted",
                "builtins.reversed") and len(args) == 1:
        return static_len(ctx, module, args[0])
    if name == "builtins.zip" and args:
        lens = [static_len(ctx, module, a) for a in args]
        known = [n for n in lens if n is not None]
        return min(known) if len(known) == len(lens) else None
    return None
