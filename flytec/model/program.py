"""The recovered program: environments, tasks, traces, functions and call sites.

This is what the compiler hands to every later stage (with the modules it came from).
Keys are stable strings: a module-level symbol is ``"pkg.module:name"``, a nested function
``"pkg.module:outer.<locals>.inner"``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flytec.model.body import Call, FunctionDef
from flytec.model.module import ModuleIR
from flytec.model.span import Span

# ------------------------------------------------------------------------- static values


@dataclass(frozen=True, slots=True)
class StaticCall:
    """A call evaluated statically, e.g. ``flyte.Resources(cpu=1, memory="1Gi")``.

    ``func`` is the resolved dotted name ("flyte.Resources"); chained builder calls such as
    ``flyte.Image.from_debian_base().with_pip_packages("x")`` keep the receiver in ``base``.
    """

    func: str
    args: tuple[Any, ...] = ()
    kwargs: tuple[tuple[str, Any], ...] = ()
    base: Any = None

    def kw(self, name: str, default: Any = None) -> Any:
        for k, v in self.kwargs:
            if k == name:
                return v
        return default

    def has(self, name: str) -> bool:
        return any(k == name for k, _ in self.kwargs)


@dataclass(frozen=True, slots=True)
class EnvRef:
    """A reference to an environment (by key)."""

    key: str


@dataclass(frozen=True, slots=True)
class SymbolRef:
    """A reference to a resolved symbol that is not an environment (a task, a function)."""

    key: str


@dataclass(frozen=True, slots=True)
class Dynamic:
    """A value flytec cannot know without running the code; ``text`` is its source."""

    text: str


def to_jsonable(v: Any) -> Any:
    """A JSON-friendly rendering of a static value (for plans and messages)."""
    if isinstance(v, StaticCall):
        out: dict[str, Any] = {"call": v.func}
        if v.base is not None:
            out["base"] = to_jsonable(v.base)
        if v.args:
            out["args"] = [to_jsonable(a) for a in v.args]
        if v.kwargs:
            out["kwargs"] = {k: to_jsonable(x) for k, x in v.kwargs}
        return out
    if isinstance(v, EnvRef):
        return {"env": v.key}
    if isinstance(v, SymbolRef):
        return {"ref": v.key}
    if isinstance(v, Dynamic):
        return {"dynamic": v.text}
    if isinstance(v, (list, tuple)):
        return [to_jsonable(x) for x in v]
    if isinstance(v, dict):
        return {str(k): to_jsonable(x) for k, x in v.items()}
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v
    return repr(v)


# --------------------------------------------------------------------------- entities


@dataclass
class Environment:
    key: str  # "module:var"
    var: str
    module: str
    path: str
    name: Any  # str when static, else Dynamic
    span: Span  # the constructor call
    name_span: Span
    kind: str  # "TaskEnvironment" | "ClusteredTaskEnvironment" | "clone_with" | "from_task"
    config: dict[str, Any] = field(default_factory=dict)  # static keyword arguments
    config_spans: dict[str, Span] = field(default_factory=dict)
    depends_on: list[str] = field(default_factory=list)  # env keys, incl. add_dependency
    dependency_spans: dict[str, Span] = field(default_factory=dict)
    unresolved_dependencies: list[str] = field(default_factory=list)
    clone_of: str | None = None

    @property
    def display(self) -> str:
        return self.name if isinstance(self.name, str) else self.var


@dataclass
class Task:
    key: str  # "module:function"
    env: str | None  # environment key
    env_name: str | None  # environment name when static
    function: FunctionDef
    module: str
    path: str
    options: dict[str, Any] = field(default_factory=dict)  # decorator keyword arguments
    option_spans: dict[str, Span] = field(default_factory=dict)
    decorator_span: Span | None = None

    @property
    def fqn(self) -> str:
        """``env.function`` as Flyte names the task."""
        return f"{self.env_name or '?'}.{self.function.name}"

    @property
    def is_async(self) -> bool:
        return self.function.is_async


@dataclass
class Trace:
    key: str
    function: FunctionDef
    module: str
    path: str


@dataclass
class Function:
    """Any function or method of the project: task, trace or plain helper."""

    key: str
    kind: str  # "task" | "trace" | "helper" | "method"
    function: FunctionDef
    module: str
    path: str


@dataclass
class CallSite:
    """A call inside a function body, with what it calls and how.

    ``target`` is the key of a project function when resolved; ``external`` the dotted name
    of a library function ("time.time", "asyncio.gather"). ``how`` is one of:
    ``"call"`` (plain), ``"map"`` (``flyte.map``), ``"map_aio"``, ``"remote"`` (a
    ``flyte.remote.Task.get`` reference). ``via`` lists ``"aio"``, ``"override"``,
    ``"forward"`` as used. ``awaited`` / ``gathered`` / ``scheduled`` (``create_task``) /
    ``stored`` (assigned or collected, consumed later) say what happens to the coroutine.
    ``contexts`` are the enclosing constructs, outermost first: ``"loop"``,
    ``"comprehension"``, ``"if"``, ``"try"``, ``"except"``, ``"finally"``, ``"group"``,
    ``"with"``, ``"lambda"``, ``"nested"`` (a nested def).
    """

    caller: str
    call: Call
    span: Span
    target: str | None = None
    target_kind: str = "unknown"  # "task" | "trace" | "helper" | "method" | "external" | ...
    external: str | None = None
    how: str = "call"
    via: tuple[str, ...] = ()
    awaited: bool = False
    gathered: bool = False
    scheduled: bool = False
    stored: bool = False
    discarded: bool = False
    contexts: tuple[str, ...] = ()
    except_types: tuple[str, ...] = ()  # resolved types of enclosing ``except`` clauses
    except_spans: tuple[Span, ...] = ()  # where each of those types is written
    override: dict[str, Any] = field(default_factory=dict)
    override_spans: dict[str, Span] = field(default_factory=dict)
    remote_name: str | None = None
    group: str | None = None


@dataclass
class StateAccess:
    """A function touching module-level state."""

    function: str  # function key
    module: str  # module that owns the global
    name: str  # the global's name
    kind: str  # "read" | "assign" | "mutate"
    how: str  # "global-assign", "append", "setitem", "setattr", "augassign", "read", ...
    span: Span


@dataclass
class GlobalInfo:
    key: str  # "module:name"
    module: str
    name: str
    span: Span
    mutable: bool  # list/dict/set literal or constructor
    kind: str  # "list", "dict", "set", "constant", "object", "env", "unknown"


@dataclass
class Program:
    """Everything the compiler recovered from the loaded modules."""

    modules: dict[str, ModuleIR] = field(default_factory=dict)
    environments: dict[str, Environment] = field(default_factory=dict)
    tasks: dict[str, Task] = field(default_factory=dict)
    traces: dict[str, Trace] = field(default_factory=dict)
    functions: dict[str, Function] = field(default_factory=dict)
    calls: dict[str, list[CallSite]] = field(default_factory=dict)  # by caller key
    state: list[StateAccess] = field(default_factory=list)
    globals: dict[str, GlobalInfo] = field(default_factory=dict)
    # module-level ``x = flyte.remote.Task.get("env.task", ...)``: key -> remote task name
    remote_refs: dict[str, str | None] = field(default_factory=dict)
    # module -> modules it imports (project modules only)
    imports: dict[str, set[str]] = field(default_factory=dict)
    # path -> module name, for every loaded module
    paths: dict[str, str] = field(default_factory=dict)

    def task_by_fqn(self, fqn: str) -> Task | None:
        for t in self.tasks.values():
            if t.fqn == fqn:
                return t
        return None

    def env_of(self, task: Task) -> Environment | None:
        return self.environments.get(task.env) if task.env else None

    def closure(self, module: str) -> set[str]:
        """Modules reachable from ``module`` through project imports (itself included)."""
        seen = {module}
        stack = [module]
        while stack:
            m = stack.pop()
            for dep in self.imports.get(m, ()):
                if dep not in seen:
                    seen.add(dep)
                    stack.append(dep)
        return seen


def secret_specs(v: Any) -> list[Any]:
    """``secrets=`` of an environment as ``{key, group, ...}`` dicts, one per secret; a secret
    not known statically is ``{"dynamic": ...}`` (shared by plans and the Kubernetes rule)."""
    if v is None:
        return []
    items = v if isinstance(v, (list, tuple)) else [v]
    out: list[Any] = []
    for s in items:
        if isinstance(s, str):
            out.append({"key": s})
        elif isinstance(s, StaticCall) and s.func == "flyte.Secret":
            kw = {k: to_jsonable(x) for k, x in s.kwargs}
            if s.args:
                kw.setdefault("key", to_jsonable(s.args[0]))
            out.append(kw)
        else:
            out.append({"dynamic": to_jsonable(s)})
    return out
