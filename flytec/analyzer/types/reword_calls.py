"""mypy messages about the arguments of a task call, in task terms (FLY210-FLY212, FLY217).

mypy names a task call ``"__call__" of "AsyncTask"`` (flytec's stubs) or
``"__call__" of "TaskTemplate"`` with overload variants (the real SDK).  These functions find
the call, the task and the parameter, and say it as "argument `y` of task `typed.add`
expects int, got str".
"""

from __future__ import annotations

import ast
import re

from flytec.analyzer.types.call_sites import argument_of, is_flyte_map
from flytec.analyzer.types.context import FileContext, Finding, quoted
from flytec.analyzer.types.mypy_output import MypyMessage
from flytec.analyzer.types.signatures import TaskSignature

_TASK_CLASSES = (
    "AsyncTask",
    "SyncTask",
    "TaskTemplate",
    "AsyncFunctionTaskTemplate",
    "LazyEntity",
)
_OF_TASK = re.compile(
    r'"(?P<method>__call__|aio|forward)" of "(?P<cls>' + "|".join(_TASK_CLASSES) + r')"'
)
_OF_RUN = re.compile(r'"(?:__call__|aio)" of "_RunFn"|to "run"')
_ARGUMENT = re.compile(
    r'^Argument (?:(?P<n>\d+)|"(?P<kw>\w+)") to .* has incompatible type "(?P<got>.*)"; '
    r'expected "(?P<want>.*)"$'
)
_UNEXPECTED = re.compile(r'^Unexpected keyword argument "(?P<kw>\w+)"(?P<rest>.*)$')
_MISSING = re.compile(r'^Missing (?:positional|named) arguments? (?P<names>(?:"\w+"(?:, )?)+)')
_TOO_MANY = re.compile(r"^Too many (?:positional )?arguments")
_NO_VARIANT = re.compile(
    r"^(?:No overload variant of .* matches argument types? (?P<types>.*)"
    r"|All overload variants of .* require at least one argument)$"
)
_DID_YOU_MEAN = re.compile(r'did you mean "(?P<name>\w+)"')


def reword_task_arguments(
    m: MypyMessage, node: ast.expr | None, ctx: FileContext
) -> Finding | None:
    """FLY210/FLY211/FLY212 for a call of a task (or ``flyte.run(task, ...)``)."""
    is_run = bool(_OF_RUN.search(m.message))
    if node is None or not (_OF_TASK.search(m.message) or is_run):
        return None
    about_argument = _ARGUMENT.match(m.message) is not None
    call, position, keyword = _call_and_argument(node, ctx, about_argument=about_argument)
    if call is None:
        return None
    shift = 0
    signature: TaskSignature | None
    if is_run:
        signature = ctx.task_named(call.args[0]) if call.args else None
        shift = 1
    else:
        found = ctx.task_of_call(call)
        signature = found[1] if found else None
    name = f"task `{ctx.display(signature)}`" if signature else "the task"
    task = ctx.display(signature) if signature else None
    where = _signature_help(signature)

    if match := _ARGUMENT.match(m.message):
        param = match["kw"] or _param_name(signature, position, keyword, shift)
        got, want = match["got"], match["want"]
        if is_run and _coerced_by_run(got, want):
            return None
        label = f"argument `{param}`" if param else f"argument {int(match['n'] or 0) - shift}"
        return Finding(
            "FLY210",
            f"{label} of {name} expects {want}, got {got}",
            f"pass a value of type {want}{where}",
            task,
        )
    if match := _UNEXPECTED.match(m.message):
        hint = _DID_YOU_MEAN.search(match["rest"])
        help_text = f"did you mean `{hint['name']}`?" if hint else "use one of its parameters"
        return Finding(
            "FLY211",
            f"{name} has no parameter `{match['kw']}`",
            help_text + where,
            task,
        )
    if _TOO_MANY.match(m.message):
        given = len(call.args) - shift
        takes = _positional_count(signature)
        count = (
            f" takes {takes} positional argument{'s' * (takes != 1)}" if takes is not None else ""
        )
        return Finding(
            "FLY211",
            f"{name}{count or ' is called with too many arguments'}"
            + (f", got {given}" if count else ""),
            "remove the extra arguments" + where,
            task,
        )
    if match := _MISSING.match(m.message):
        names = quoted(match["names"])
        listed = ", ".join(f"`{n}`" for n in names)
        plural = "s" if len(names) > 1 else ""
        return Finding(
            "FLY212",
            f"{name} is called without its required argument{plural} {listed}",
            "pass every parameter that has no default" + where,
            task,
        )
    if match := _NO_VARIANT.match(m.message):
        got = quoted(match["types"] or "")
        return _overload_mismatch(got, call, signature, shift, name, task)
    return None


def reword_map(m: MypyMessage, node: ast.expr | None, ctx: FileContext) -> Finding | None:
    """FLY217 for ``flyte.map(task, xs, ...)`` / ``flyte.map.aio(...)``."""
    if node is None or '"_Mapper"' not in m.message:
        return None
    about_argument = _ARGUMENT.match(m.message) is not None
    call, position, _ = _call_and_argument(node, ctx, about_argument=about_argument)
    if call is None or not is_flyte_map(call):
        return None
    signature = ctx.task_named(call.args[0]) if call.args else None
    name = f"task `{ctx.display(signature)}`" if signature else "the mapped task"
    task = ctx.display(signature) if signature else None
    iterables = len(call.args) - 1
    where = _signature_help(signature)
    if match := _ARGUMENT.match(m.message):
        want = match["want"]
        if position == 0 and want.startswith("TaskTemplate["):
            elements = _template_params(want)
            required = _positional_count(signature, required_only=True)
            if required is not None and len(elements) < required:
                return _map_arity(name, required, len(elements), where, task)
            details = _element_mismatches(signature, elements, task or "")
            if details:
                return Finding(
                    "FLY217",
                    f"flyte.map passes {details[0]}",
                    "map over elements of the parameter's type" + where,
                    task,
                )
        if position is not None and position >= 1 and want.startswith("Iterable["):
            param = _param_name(signature, position - 1, None, 0)
            element = want[len("Iterable[") : -1]
            label = f"parameter `{param}`" if param else f"parameter {position}"
            return Finding(
                "FLY217",
                f"flyte.map over {name}: {label} expects elements of type {element}, "
                f"got {match['got']}",
                "map over elements of the parameter's type" + where,
                task,
            )
        return Finding(
            "FLY217",
            f"flyte.map over {name}: argument of type {match['got']} does not fit "
            f"(expected {want})",
            "map over elements of the parameter's type" + where,
            task,
        )
    required = _positional_count(signature, required_only=True)
    if required is not None and iterables < required:
        return _map_arity(name, required, iterables, where, task)
    return Finding(
        "FLY217",
        f"flyte.map arguments do not fit {name}",
        "map over iterables of the parameters' types" + where,
        task,
    )


def _coerced_by_run(got: str, want: str) -> bool:
    """``flyte.run`` turns a dict into a BaseModel or dataclass input: not a mistake there."""
    return got.startswith("dict[") and not want.startswith(("dict[", "Mapping[", "Any"))


def _map_arity(name: str, required: int, given: int, where: str, task: str | None) -> Finding:
    return Finding(
        "FLY217",
        f"flyte.map over {name} needs one iterable per parameter ({required}), got {given}",
        "bind the other parameters with functools.partial" + where,
        task,
    )


def _call_and_argument(
    node: ast.expr, ctx: FileContext, *, about_argument: bool
) -> tuple[ast.Call | None, int | None, str | None]:
    """The call a message is about, and which argument (for "Argument N ..." messages, mypy
    points at the argument; otherwise at the call itself)."""
    if about_argument:
        try:
            return argument_of(ctx.source, node)
        except LookupError:
            pass
    inner = node.value if isinstance(node, ast.Await) else node
    if isinstance(inner, ast.Call):
        return inner, None, None
    return None, None, None


def _param_name(
    signature: TaskSignature | None, position: int | None, keyword: str | None, shift: int
) -> str | None:
    if keyword is not None:
        return keyword
    if signature is None or position is None or not signature.params_known:
        return None
    index = position - shift
    positional = [p for p in signature.params if not p.keyword_only]
    return positional[index].name if 0 <= index < len(positional) else None


def _positional_count(
    signature: TaskSignature | None, *, required_only: bool = False
) -> int | None:
    if signature is None or not signature.params_known:
        return None
    return sum(
        1 for p in signature.params if not p.keyword_only and (p.required or not required_only)
    )


def _signature_help(signature: TaskSignature | None) -> str:
    if signature is None:
        return ""
    return f"; signature: {signature.function}{signature.render()}"


def _overload_mismatch(
    got: list[str],
    call: ast.Call,
    signature: TaskSignature | None,
    shift: int,
    name: str,
    task: str | None,
) -> Finding:
    """The real SDK types ``__call__`` with overloads; work out what does not match."""
    where = _signature_help(signature)
    if signature is not None and signature.params_known:
        known = {p.name for p in signature.params}
        unknown = [k.arg for k in call.keywords if k.arg is not None and k.arg not in known]
        if unknown:
            return Finding(
                "FLY211",
                f"{name} has no parameter `{unknown[0]}`",
                "use one of its parameters" + where,
                task,
            )
        positional = [p for p in signature.params if not p.keyword_only]
        given = len(call.args) - shift
        if given > len(positional) and not any(isinstance(a, ast.Starred) for a in call.args):
            return Finding(
                "FLY211",
                f"{name} takes {len(positional)} positional argument"
                f"{'s' * (len(positional) != 1)}, got {given}",
                "remove the extra arguments" + where,
                task,
            )
        passed = {p.name for p in positional[:given]} | {k.arg for k in call.keywords if k.arg}
        missing = [p.name for p in signature.params if p.required and p.name not in passed]
        if missing and not any(k.arg is None for k in call.keywords):
            listed = ", ".join(f"`{n}`" for n in missing)
            return Finding(
                "FLY212",
                f"{name} is called without its required argument{'s' * (len(missing) > 1)} "
                f"{listed}",
                "pass every parameter that has no default" + where,
                task,
            )
        params = positional[:given] + [
            p for k in call.keywords if k.arg and (p := signature.param(k.arg)) is not None
        ]
        expected = [p.type for p in params]
        names = [p.name for p in params]
        actual = got[shift:] if len(got) == len(expected) + shift else got
        if len(actual) == len(expected):
            differing = [
                (n, e, a) for n, e, a in zip(names, expected, actual, strict=True) if e != a
            ]
            if len(differing) == 1:
                param, want, have = differing[0]
                return Finding(
                    "FLY210",
                    f"argument `{param}` of {name} expects {want}, got {have}",
                    f"pass a value of type {want}{where}",
                    task,
                )
    shown = ", ".join(got)
    return Finding(
        "FLY210",
        f"the arguments ({shown}) do not fit {name}",
        "pass arguments of the parameters' types" + where,
        task,
    )


def _template_params(text: str) -> list[str]:
    """``TaskTemplate[[str, int], R]`` -> ``["str", "int"]``."""
    inner = text[len("TaskTemplate[") :]
    if not inner.startswith("["):
        return []
    depth = 0
    for i, char in enumerate(inner):
        depth += char == "["
        depth -= char == "]"
        if depth == 0:
            return _split_top(inner[1:i])
    return []


def _split_top(text: str) -> list[str]:
    parts: list[str] = []
    depth = 0
    start = 0
    for i, char in enumerate(text):
        if char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    if text[start:].strip():
        parts.append(text[start:].strip())
    return parts


def _element_mismatches(
    signature: TaskSignature | None, elements: list[str], name: str
) -> list[str]:
    if signature is None or not signature.params_known:
        return [f"elements of type {', '.join(elements)}"] if elements else []
    positional = [p for p in signature.params if not p.keyword_only]
    found = [
        f"elements of type {got} to parameter `{p.name}` of task `{name}`, which expects {p.type}"
        for p, got in zip(positional, elements, strict=False)
        if got != p.type
    ]
    return found or [f"elements of type {', '.join(elements)} to task `{name}`"]
