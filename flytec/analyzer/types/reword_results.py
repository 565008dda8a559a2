"""mypy messages about what task calls give back, in task terms (FLY213-FLY216, FLY218)."""

from __future__ import annotations

import ast
import re

from flytec.analyzer.types.call_sites import dotted, enclosing_statement, is_gather, strip_await
from flytec.analyzer.types.context import FileContext, Finding, awaits_coroutine
from flytec.analyzer.types.mypy_output import MypyMessage
from flytec.analyzer.types.signatures import TaskSignature

_MISMATCH = (
    re.compile(
        r'^Incompatible types in assignment \(expression has type "(?P<got>.*)", '
        r'(?:variable|target) has type "(?P<want>.*)"\)'
    ),
    re.compile(r'^Incompatible return value type \(got "(?P<got>.*)", expected "(?P<want>.*)"\)'),
    re.compile(r'^Argument \d+ to .* has incompatible type "(?P<got>.*)"; expected "(?P<want>.*)"'),
    re.compile(r'^List item \d+ has incompatible type "(?P<got>.*)"; expected "(?P<want>.*)"'),
    re.compile(r'^Value of type "(?P<got>.*)" must be used'),
)
_NEED_MORE = re.compile(
    r"^Need more than (?P<have>\d+) values? to unpack \((?P<want>\d+) expected\)"
)
_TOO_MANY = re.compile(
    r"^Too many values to unpack \((?P<want>\d+) expected, (?P<have>\d+) provided\)"
)
_NOT_ITERABLE = re.compile(r'^"(?P<got>.*)" object is not iterable')
_AWAIT = re.compile(r'^Incompatible types in "await" \(actual type "(?P<got>.*)"')
_GATHER_ARG = re.compile(r'^(?:Argument \d+ to|No overload variant of) "gather"')
_FORGOT = ('forgot to use "await"', "missing an await")
_CONSUMERS = ("gather", "create_task", "ensure_future", "wait", "wait_for", "as_completed", "run")


def reword_missing_await(m: MypyMessage, node: ast.expr | None, ctx: FileContext) -> Finding | None:
    """FLY215: an async task's coroutine is dropped or used as if it were the result."""
    about_coroutine = '"Coroutine[' in m.message or any(m.has_note(n) for n in _FORGOT)
    if node is None or not (m.code == "unused-coroutine" or about_coroutine):
        return None
    for candidate in _calls_in(node):
        found = ctx.task_of_call(candidate)
        if found is None or not awaits_coroutine(found[1], found[2]):
            continue
        if _is_awaited(candidate, ctx):
            continue
        call, signature, method = found
        name = ctx.display(signature)
        how = f"`await {_callee_text(call)}(...)`"
        if m.code == "unused-coroutine":
            message = (
                f"the call to {'async ' if method != 'aio' else ''}task `{name}` is not awaited: "
                "the task never runs"
            )
        else:
            message = (
                f"the result of task `{name}` is used without `await` "
                "(it is a coroutine, not the task's output)"
            )
        return Finding("FLY215", message, f"write {how}, or gather the calls", name)
    return None


def reword_await_sync(m: MypyMessage, node: ast.expr | None, ctx: FileContext) -> Finding | None:
    """FLY214: ``await sync_task(...)`` (or a sync task's call given to asyncio.gather)."""
    if node is None:
        return None
    targets: list[ast.expr] = []
    if _AWAIT.match(m.message) and isinstance(node, ast.Await):
        targets = [node.value]
    elif _GATHER_ARG.match(m.message):
        inner = strip_await(node)
        targets = list(inner.args) if isinstance(inner, ast.Call) and is_gather(inner) else [node]
    found = next(
        (
            hit
            for target in targets
            if (hit := ctx.task_of_call(target)) is not None
            and not awaits_coroutine(hit[1], hit[2])
        ),
        None,
    )
    if found is None:
        return None
    call, signature, _ = found
    name = ctx.display(signature)
    text = _callee_text(call)
    return Finding(
        "FLY214",
        f"task `{name}` is synchronous: its call gives {signature.returns}, which cannot be "
        "awaited",
        f"from async code write `await {text}.aio(...)`",
        name,
    )


def reword_unpack(m: MypyMessage, node: ast.expr | None, ctx: FileContext) -> Finding | None:
    """FLY216 (a task's outputs) or FLY218 (asyncio.gather's results) unpacked wrongly."""
    if node is None:
        return None
    have: int | None = None
    want: int
    if match := _NEED_MORE.match(m.message):
        have, want = int(match["have"]), int(match["want"])
    elif match := _TOO_MANY.match(m.message):
        have, want = int(match["have"]), int(match["want"])
    elif match := _NOT_ITERABLE.match(m.message):
        statement = enclosing_statement(ctx.source, node)
        targets = _tuple_target(statement)
        if targets is None:
            return None
        want = targets
    else:
        return None
    value = strip_await(node)
    found = ctx.task_of_call(value)
    if found is not None:
        _, signature, _ = found
        name = ctx.display(signature)
        outputs = signature.outputs
        count = have if have is not None else len(outputs)
        listed = f" ({', '.join(outputs)})" if outputs else ""
        return Finding(
            "FLY216",
            f"task `{name}` has {count} output{'s' * (count != 1)}{listed}, "
            f"unpacked into {want} name{'s' * (want != 1)}",
            f"unpack exactly {count} name{'s' * (count != 1)}",
            name,
        )
    if isinstance(value, ast.Call) and is_gather(value) and have is not None:
        return Finding(
            "FLY218",
            f"asyncio.gather gives {have} result{'s' * (have != 1)} (one per call), "
            f"unpacked into {want} name{'s' * (want != 1)}",
            "unpack one name per gathered call",
            _first_task(value, ctx),
        )
    return None


def reword_result(m: MypyMessage, node: ast.expr | None, ctx: FileContext) -> Finding | None:
    """FLY218 for asyncio.gather over task calls, else FLY213 for a task call's result."""
    if node is None:
        return None
    match = next((p.match(m.message) for p in _MISMATCH if p.match(m.message)), None)
    if match is None or "want" not in match.groupdict():
        return None
    got, want = match["got"], match["want"]
    value = strip_await(node)
    if isinstance(value, ast.Call) and is_gather(value):
        task = _first_task(value, ctx)
        if task is not None:
            return Finding(
                "FLY218",
                f"the results of asyncio.gather over task calls have type {got}, used as {want}",
                "asyncio.gather returns each task's output type, in call order",
                task,
            )
        return None
    found = ctx.task_of_call(node)
    if found is None:
        return None
    _, signature, method = found
    if not isinstance(node, ast.Await) and awaits_coroutine(signature, method):
        return None  # a coroutine used as a value: FLY215's business
    name = ctx.display(signature)
    return Finding(
        "FLY213",
        f"task `{name}` returns {got}, but its result is used as {want}",
        _result_help(signature),
        name,
    )


def _result_help(signature: TaskSignature) -> str:
    if len(signature.outputs) > 1:
        return (
            f"`{signature.function}` has {len(signature.outputs)} outputs "
            f"({', '.join(signature.outputs)}); unpack them or annotate a tuple"
        )
    return f"use the result as {signature.returns}, or change `{signature.function}`'s annotation"


def _calls_in(node: ast.expr) -> list[ast.Call]:
    """Calls in an expression, outermost first (not inside lambdas or comprehensions)."""
    found: list[ast.Call] = []
    todo: list[ast.AST] = [node]
    while todo:
        current = todo.pop(0)
        if isinstance(current, (ast.Lambda, ast.ListComp, ast.SetComp, ast.GeneratorExp)):
            continue
        if isinstance(current, ast.Call):
            found.append(current)
        todo.extend(ast.iter_child_nodes(current))
    return found


def _is_awaited(call: ast.Call, ctx: FileContext) -> bool:
    """Awaited, or handed to something that awaits it (asyncio.gather, create_task, ...)."""
    parent = ctx.source.parent(call)
    if isinstance(parent, ast.Starred):
        parent = ctx.source.parent(parent)
    if isinstance(parent, ast.Await):
        return True
    if isinstance(parent, ast.Call) and call in parent.args:
        name = dotted(parent.func)
        return bool(name) and name[-1] in _CONSUMERS
    return False


def _callee_text(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in ("aio", "forward"):
        func = func.value
    return ast.unparse(func)


def _tuple_target(statement: ast.stmt | None) -> int | None:
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        target = statement.targets[0]
        if isinstance(target, (ast.Tuple, ast.List)):
            return len(target.elts)
    if isinstance(statement, (ast.For, ast.AsyncFor)) and isinstance(statement.target, ast.Tuple):
        return len(statement.target.elts)
    return None


def _first_task(gather: ast.Call, ctx: FileContext) -> str | None:
    for arg in gather.args:
        for candidate in ast.walk(arg):
            if isinstance(candidate, ast.Call):
                found = ctx.task_of_call(candidate)
                if found is not None:
                    return ctx.display(found[1])
    return None
