"""Display names of tasks (``env.function``) read from a module's source.

A small, syntactic fallback for when the caller does not pass the names: it knows
``env = flyte.TaskEnvironment(name="etl")`` (or ``TaskEnvironment("etl")``,
``other.clone_with(name="x")``) and ``@env.task`` / ``@env.task(...)`` on module-level
functions.
"""

from __future__ import annotations

import ast


def task_names(tree: ast.Module) -> dict[str, str]:
    """Map each task function's name in the module to ``"<env name>.<function>"``."""
    envs: dict[str, str] = {}
    for stmt in tree.body:
        targets: list[ast.expr] = []
        value: ast.expr | None = None
        if isinstance(stmt, ast.Assign):
            targets, value = stmt.targets, stmt.value
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            targets, value = [stmt.target], stmt.value
        name = _env_name(value) if value is not None else None
        if name is None:
            continue
        for target in targets:
            if isinstance(target, ast.Name):
                envs[target.id] = name
    names: dict[str, str] = {}
    for stmt in tree.body:
        if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for decorator in stmt.decorator_list:
            env = _decorator_env(decorator)
            if env is not None and env in envs:
                names[stmt.name] = f"{envs[env]}.{stmt.name}"
                break
    return names


def _env_name(value: ast.expr) -> str | None:
    if not isinstance(value, ast.Call):
        return None
    func = value.func
    called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if called not in ("TaskEnvironment", "clone_with"):
        return None
    for keyword in value.keywords:
        if keyword.arg == "name":
            return _string(keyword.value)
    if value.args:
        return _string(value.args[0])
    return None


def _string(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _decorator_env(decorator: ast.expr) -> str | None:
    if isinstance(decorator, ast.Call):
        decorator = decorator.func
    if (
        isinstance(decorator, ast.Attribute)
        and decorator.attr == "task"
        and isinstance(decorator.value, ast.Name)
    ):
        return decorator.value.id
    return None
