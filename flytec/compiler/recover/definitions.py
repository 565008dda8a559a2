"""Environments, tasks, traces and functions recovered from module-level code."""

from __future__ import annotations

from typing import Any

from flytec.compiler.recover.static_eval import StaticEvaluator
from flytec.compiler.resolve import Resolved, Resolver
from flytec.model import body as ir
from flytec.model.module import ModuleIR
from flytec.model.program import (
    Dynamic,
    Environment,
    EnvRef,
    Function,
    Program,
    StaticCall,
    Task,
    Trace,
)

ENV_CONSTRUCTORS = {
    "flyte.TaskEnvironment": "TaskEnvironment",
    "flyte.clustered.ClusteredTaskEnvironment": "ClusteredTaskEnvironment",
    "flyte.TaskEnvironment.from_task": "from_task",
}
TRACE_DECORATORS = {"flyte.trace"}


def _env_call(resolver: Resolver, module: str, value: ir.Expr, env_keys: set[str]) -> (
    tuple[str, ir.Call, str | None] | None
):
    """(kind, call, clone_of) when ``value`` constructs an environment."""
    if not isinstance(value, ir.Call):
        return None
    r = resolver.resolve(module, value.func)
    if r is None:
        return None
    if r.kind == "external" and r.dotted in ENV_CONSTRUCTORS:
        return ENV_CONSTRUCTORS[r.dotted], value, None
    if r.kind == "symbol" and r.rest == ("clone_with",) and r.key in env_keys:
        return "clone_with", value, r.key
    return None


def find_environments(program: Program, resolver: Resolver) -> None:
    """Module-level ``x = flyte.TaskEnvironment(...)`` (and clones), then ``add_dependency``."""
    env_keys: set[str] = set()
    found: list[tuple[ModuleIR, str, ir.Call, str, str | None]] = []
    # Two passes so that clones of environments defined later in import order resolve.
    for _ in range(2):
        for mod in program.modules.values():
            for g in mod.globals:
                stmt = g.value
                value = stmt.value if isinstance(stmt, (ir.Assign, ir.AnnAssign)) else None
                if value is None:
                    continue
                hit = _env_call(resolver, mod.module, value, env_keys)
                key = f"{mod.module}:{g.name}"
                if hit is not None and key not in env_keys:
                    env_keys.add(key)
                    found.append((mod, g.name, hit[1], hit[0], hit[2]))
    ev = StaticEvaluator(resolver, env_keys)
    for mod, var, call, kind, clone_of in found:
        key = f"{mod.module}:{var}"
        config: dict[str, Any] = {}
        spans = {}
        pos = [a for a in call.args if a.keyword is None and not a.star]
        name_expr: ir.Expr | None = call.keyword("name")
        if name_expr is None and pos:
            name_expr = pos[0].value
        line = call.span.line  # module-level code: only names bound above it are visible
        for a in call.args:
            if a.keyword is not None:
                config[a.keyword] = ev.eval(mod.module, a.value, line)
                spans[a.keyword] = getattr(a.value, "span", call.span)
        name: Any = ev.eval(mod.module, name_expr, line) if name_expr is not None else Dynamic("")
        if name is None:
            name = Dynamic("")
        config.pop("name", None)
        env = Environment(
            key=key,
            var=var,
            module=mod.module,
            path=mod.path,
            name=name if isinstance(name, str) else Dynamic(getattr(name, "text", str(name))),
            span=call.span,
            name_span=getattr(name_expr, "span", call.span) if name_expr is not None else call.span,
            kind=kind,
            config=config,
            config_spans=spans,
            clone_of=clone_of,
        )
        _add_deps(env, config.get("depends_on"), spans.get("depends_on", call.span))
        program.environments[key] = env
    # Clones inherit what they do not override.
    for env in program.environments.values():
        if env.clone_of and env.clone_of in program.environments:
            parent = program.environments[env.clone_of]
            for k, v in parent.config.items():
                env.config.setdefault(k, v)
            if "depends_on" not in env.config:
                env.depends_on = list(parent.depends_on)
    # env.add_dependency(other, ...) at module level
    for mod in program.modules.values():
        for s in ir.walk_stmts(mod.body):
            if not isinstance(s, ir.ExprStmt) or not isinstance(s.value, ir.Call):
                continue
            r = resolver.resolve(mod.module, s.value.func)
            if r is None or r.kind != "symbol" or r.rest != ("add_dependency",):
                continue
            target = program.environments.get(r.key)
            if target is None:
                continue
            for a in s.value.args:
                value = ev.eval(mod.module, a.value, s.span.line)
                _add_deps(target, value, getattr(a.value, "span", s.span))


def _add_deps(env: Environment, value: Any, span: Any) -> None:
    items = value if isinstance(value, (list, tuple)) else [value] if value is not None else []
    for item in items:
        if isinstance(item, EnvRef):
            env.depends_on.append(item.key)
            env.dependency_spans.setdefault(item.key, span)
        else:
            env.unresolved_dependencies.append(str(getattr(item, "text", item)))


def task_decorator(
    resolver: Resolver, module: str, d: ir.Decorator, env_keys: set[str] | dict[str, Any]
) -> tuple[str, ir.Call | None] | None:
    """(env key, decorator call or None) when ``d`` is ``@env.task`` / ``@env.task(...)``."""
    expr = d.expr
    call = None
    if isinstance(expr, ir.Call):
        call = expr
        expr = expr.func
    r = resolver.resolve(module, expr)
    if r is not None and r.kind == "symbol" and r.rest == ("task",) and r.key in env_keys:
        return r.key, call
    return None


def is_trace_decorator(resolver: Resolver, module: str, d: ir.Decorator) -> bool:
    expr = d.expr.func if isinstance(d.expr, ir.Call) else d.expr
    r: Resolved | None = resolver.resolve(module, expr)
    return r is not None and r.kind == "external" and r.dotted in TRACE_DECORATORS


def find_functions(program: Program, resolver: Resolver) -> None:
    """Tasks, traces and helpers; every function of every module gets a Function entry."""
    ev = StaticEvaluator(resolver, set(program.environments))
    for mod in program.modules.values():
        for fn in [*mod.functions, *mod.nested_functions]:
            key = f"{mod.module}:{fn.qualname}"
            kind = "helper" if fn.in_class is None else "method"
            for d in fn.decorators:
                hit = task_decorator(resolver, mod.module, d, program.environments)
                if hit is not None:
                    env_key, call = hit
                    kind = "task"
                    if fn.module_level:
                        env = program.environments[env_key]
                        options: dict[str, Any] = {}
                        spans = {}
                        if call is not None:
                            for a in call.args:
                                if a.keyword:
                                    options[a.keyword] = ev.eval(mod.module, a.value)
                                    spans[a.keyword] = getattr(a.value, "span", call.span)
                        program.tasks[key] = Task(
                            key=key,
                            env=env_key,
                            env_name=env.name if isinstance(env.name, str) else None,
                            function=fn,
                            module=mod.module,
                            path=mod.path,
                            options=options,
                            option_spans=spans,
                            decorator_span=d.span,
                        )
                    break
                if is_trace_decorator(resolver, mod.module, d):
                    kind = "trace"
                    program.traces[key] = Trace(key, fn, mod.module, mod.path)
                    break
            program.functions[key] = Function(key, kind, fn, mod.module, mod.path)


def static_call_name(v: Any) -> str | None:
    return v.func if isinstance(v, StaticCall) else None
