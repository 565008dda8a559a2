"""Fixes of non-deterministic reads in drivers (FLY301, FLY302).

A clock read with a deterministic twin in ``flyte.durable`` (``time.time()``,
``datetime.now()``) becomes that twin: a **safe** fix, the value is the clock's, recorded
once and replayed on retry. Any other source call with constant arguments (``random.random()``,
``uuid.uuid4()``, ``os.getenv("X")`` ...) moves into a small ``@flyte.trace`` helper placed
before the driver: an **unsafe** fix, since a retried driver then sees the first value again.
"""

from __future__ import annotations

import re

from flytec.analyzer.context import RuleContext
from flytec.analyzer.rules._fixes import Source, awaitable_here, locate, needs_parens
from flytec.analyzer.rules.nondeterminism._analysis import Hit
from flytec.model import body as ir
from flytec.model.fix import Edit, Fix, Safety

# external function -> its twin in flyte.durable (see flyte/durable/__init__.py)
DURABLE = {"time.time": "time", "datetime.datetime.now": "now"}
# return annotations of the trace helpers, where the source's type is plain
RETURNS = {
    "random.random": "float", "random.uniform": "float", "random.gauss": "float",
    "random.randint": "int", "random.randrange": "int", "random.getrandbits": "int",
    "os.getenv": "str | None", "socket.gethostname": "str", "platform.node": "str",
    "os.getpid": "int", "time.time_ns": "int", "time.monotonic": "float",
    "time.perf_counter": "float",
}


#: what :func:`source_fix` does, for the docs of the rules that use it (FLY301, FLY302)
SOURCE_FIX_DETAILS = (
    "Fixes: a clock read with a twin in `flyte.durable` (`time.time()`,"
    " `datetime.now()`) becomes `await flyte.durable.time.aio()` /"
    " `flyte.durable.now.aio()` (safe: the same clock, recorded and replayed). Another"
    " source call with constant arguments in an async driver (`random.random()`,"
    " `uuid.uuid4()`, `os.getenv(\"X\")` ...) moves into a `@flyte.trace` helper written"
    " before the driver (unsafe, `--unsafe-fixes`: a retry then replays the first value)."
)


def source_fix(ctx: RuleContext, hit: Hit) -> Fix | None:
    t = hit.taint
    f = ctx.program.functions.get(hit.function)
    text = ctx.source(t.path)
    if f is None or text is None or f.path != t.path:
        return None
    site = next((s for s in ctx.program.calls.get(hit.function, ())
                 if s.span == t.span and s.external), None)
    if site is None or site.external is None:
        return None  # the value comes from a helper: fix it there
    fn = f.function
    found = locate(fn.body, site.call)
    if found is None:
        return None
    _stmt, above = found
    if any(isinstance(e, ir.Lambda | ir.Unknown) or (isinstance(e, ir.Comp) and e.kind == "gen")
           for e in above):
        return None
    parent = above[-1] if above else None
    parens = needs_parens(site.call, parent)
    if parens is None:
        return None
    twin = DURABLE.get(site.external)
    if twin is not None and not site.call.args:
        if fn.is_async:
            call = f"await flyte.durable.{twin}.aio()"
            call = f"({call})" if parens else call
        else:
            call = f"flyte.durable.{twin}()"
        return Fix(f"use `flyte.durable.{twin}` (recorded and replayed)",
                   (Edit(site.span, call),), Safety.SAFE, ("flyte.durable",))
    return _trace_fix(ctx, Source(text), f.module, fn, site.call, site.external, parens,
                      above)


def _trace_fix(ctx: RuleContext, src: Source, module: str, fn: ir.FunctionDef, call: ir.Call,
               external: str, parens: bool, above: list[ir.Expr]) -> Fix | None:
    if not (fn.module_level and awaitable_here(fn, above)):
        return None
    if not all(isinstance(a.value, ir.Const) and not a.star for a in call.args):
        return None
    root = ir.dotted_name(call.func)
    if root is None or root.split(".")[0] in (fn.locals or ()):
        return None
    mod = ctx.program.modules.get(module)
    taken = {g.name for g in mod.functions} if mod is not None else set()
    name = "_" + re.sub(r"\W", "_", external.rsplit(".", 2)[-2] + "_" + external.rsplit(".", 1)[-1]
                         if "." in external else external)
    base, n = name, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    returns = RETURNS.get(external)
    if external.startswith("uuid.uuid") and root.startswith("uuid."):
        returns = "uuid.UUID"
    nl = src.newline()
    helper = (f"@flyte.trace{nl}async def {name}(){f' -> {returns}' if returns else ''}:{nl}"
              f"    return {src.get(call.span)}{nl}{nl}{nl}")
    line = min([fn.span.line, *(d.span.line for d in fn.decorators)])
    while line > 1 and src.line_text(line - 1).lstrip().startswith("#"):
        line -= 1  # the comments that lead the driver stay with it
    use = f"await {name}()"
    return Fix(
        f"move `{src.get(call.span)}` into a `@flyte.trace` helper `{name}()`",
        (Edit.insert(line, 1, helper), Edit(call.span, f"({use})" if parens else use)),
        Safety.UNSAFE,
        ("flyte",),
    )
