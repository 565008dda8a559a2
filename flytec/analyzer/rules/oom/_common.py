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
