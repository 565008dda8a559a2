"""FLY108: ``except ValueError:`` around a task call never catches the child's error."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.registry import Finding, Rule, register
from flytec.analyzer.rules._fixes import Source
from flytec.analyzer.rules._util import callee_name
from flytec.model import body as ir
from flytec.model.diagnostic import Category, Severity
from flytec.model.fix import Applicability, Edit, Fix, Safety
from flytec.model.span import Span

CATCH_ALL = {"builtins.Exception", "builtins.BaseException", "BaseException"}


@register
class ExceptBuiltinAroundTask(Rule):
    code = "FLY108"
    name = "except-misses-task-error"
    category = Category.STRUCTURE
    severity = Severity.WARNING
    summary = "An `except` for a built-in exception wraps a task call; it never catches it."
    why = (
        "A child task runs in its own action; its exception reaches the parent as"
        " `flyte.errors.RuntimeUserError` (the original class name is in `.code`), never as"
        " the original `ValueError` or `KeyError`. The handler silently never runs for"
        " failures of the task."
    )
    fix = (
        "Catch `flyte.errors.RuntimeUserError` and test `e.code == \"ValueError\"`, or a"
        " specific `flyte.errors` class such as `OOMError`."
    )
    fix_applicability = Applicability.SOMETIMES
    fix_safety = (Safety.UNSAFE,)
    fix_details = (
        "The fix (unsafe: the handler no longer catches the built-in exception raised by"
        " the parent's own code in the `try`) catches `flyte.errors.RuntimeUserError`, runs"
        " the handler's body only when `.code` names the built-in exception, and re-raises"
        " otherwise. It is offered when the handler's body starts on its own line and holds"
        " no multi-line string (whose text re-indenting would change)."
    )
    bad = """
import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task
async def parse(text: str) -> int:
    return int(text)


@env.task
async def main(text: str) -> int:
    try:
        return await parse(text=text)
    except ValueError:
        return 0
"""
    good = """
import flyte
import flyte.errors

env = flyte.TaskEnvironment(name="etl")


@env.task
async def parse(text: str) -> int:
    return int(text)


@env.task
async def main(text: str) -> int:
    try:
        return await parse(text=text)
    except flyte.errors.RuntimeUserError as e:
        if e.code == "ValueError":
            return 0
        raise
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for caller, sites in ctx.program.calls.items():
            fn = ctx.program.functions.get(caller)
            if fn is None or not ctx.reported(fn.path) or caller in ctx.program.traces:
                continue
            reported: set[tuple[int, int]] = set()
            for s in sites:
                if s.target_kind != "task" and s.how != "remote":
                    continue
                if "forward" in s.via or not s.except_types:
                    continue
                types = s.except_types
                if any(t in CATCH_ALL or not t.startswith("builtins.") for t in types):
                    continue
                span = s.except_spans[0] if s.except_spans else s.span
                if (span.line, span.column) in reported:
                    continue
                reported.add((span.line, span.column))
                names = ", ".join(t.removeprefix("builtins.") for t in types)
                yield Finding(
                    fn.path,
                    span,
                    f"`except {names}` cannot catch a failure of task"
                    f" `{callee_name(ctx, s)}` (called at line {s.span.line}): child errors"
                    " arrive as flyte.errors.RuntimeUserError",
                    task=ctx.task_fqn(caller),
                    fix=_fix(ctx, fn.path, fn.function, span),
                )


def _fix(ctx: RuleContext, path: str, fn: ir.FunctionDef, span: Span) -> Fix | None:
    text = ctx.source(path)
    handler = _handler(fn, span)
    if text is None or handler is None or handler.type is None or not handler.body:
        return None
    types = handler.type.elts if isinstance(handler.type, ir.Seq) else [handler.type]
    names = [ir.dotted_name(t) for t in types]
    if not names or any(n is None or "." in n for n in names):
        return None
    src = Source(text)
    first, last = handler.body[0].span.line, handler.body[-1].span.end_line
    if first == handler.span.line or '"""' in src.get(_lines(src, first, last)) \
            or "'''" in src.get(_lines(src, first, last)):
        return None
    indent, outer = src.indent(first), src.indent(handler.span.line)
    if not indent.startswith(outer) or indent == outer:
        return None
    unit = indent[len(outer):]
    var = handler.name or next(n for n in ("e", "err", "exc", "error", "_flyte_error")
                               if n not in (fn.locals or ()))
    codes = [f'"{n}"' for n in names]
    test = f"{var}.code == {codes[0]}" if len(codes) == 1 else f"{var}.code in ({', '.join(codes)})"
    nl = src.newline()
    tsp = handler.type.span
    a, b = src.at(tsp.line, tsp.column), src.at(tsp.end_line, tsp.end_column)
    if src.text[a - 1:a] == "(" and src.text[b:b + 1] == ")":  # a tuple's parentheses
        tsp = src.span_of(a - 1, b + 1)
    edits = [Edit(tsp, "flyte.errors.RuntimeUserError")]
    if handler.name is None:
        end = tsp
        edits.append(Edit.insert(end.end_line, end.end_column, f" as {var}"))
    edits.append(Edit.insert(first, 1, f"{indent}if {test}:{nl}"))
    edits.extend(Edit.insert(line, 1, unit) for line in range(first, last + 1)
                 if src.line_text(line).strip())
    edits.append(Edit.insert(last + 1, 1, f"{indent}raise{nl}"))
    return Fix(f"catch `flyte.errors.RuntimeUserError` and test `{test}`", _merge(edits),
               Safety.UNSAFE, ("flyte.errors",))


def _merge(edits: list[Edit]) -> tuple[Edit, ...]:
    """Insertions at one point become one edit (in order)."""
    out: list[Edit] = []
    for e in edits:
        if out and out[-1].span == e.span and e.span.line == e.span.end_line \
                and e.span.column == e.span.end_column:
            out[-1] = Edit(e.span, out[-1].content + e.content)
        else:
            out.append(e)
    return tuple(out)


def _lines(src: Source, first: int, last: int) -> Span:
    return Span(first, 1, last, len(src.line_text(last)) + 1)


def _handler(fn: ir.FunctionDef, span: Span) -> ir.Handler | None:
    for s in ir.walk_stmts(fn.body):
        if isinstance(s, ir.Try):
            for h in s.handlers:
                if h.type is None:
                    continue
                elts = h.type.elts if isinstance(h.type, ir.Seq) else []
                if h.type.span == span or any(e.span == span for e in elts):
                    return h
    return None
