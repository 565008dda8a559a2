"""The workflow-graph IR: what static extraction recovers from one task's body.

A :class:`Workflow` is a flat list of :class:`WNode` (containers such as fan-outs, branches
and try blocks are nodes too; their members name them in ``parent``/``arm``) and a list of
:class:`WEdge`. Every value a node consumes is a :class:`Binding`: a task input, a JSON
constant, another node's output (optionally one element of it), a fan-out item, or a caught
exception. The plan format (:mod:`flytec.model.plan`) is a serialisation of this IR.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flytec.model.span import Span

# Binding sources.
INPUT = "input"  # a task input, ``name``
CONST = "const"  # a JSON value, ``value``
NODE = "node"  # output ``output`` of node ``node`` (``index``: element of a tuple/list)
ITEM = "item"  # the current item of fan-out/map node ``node`` (``index`` for tuple items)
ERROR = "error"  # the exception caught by try node ``node``


@dataclass(frozen=True, slots=True)
class Binding:
    """Where a value comes from."""

    source: str
    name: str | None = None  # task input name
    node: str | None = None
    output: str | None = None
    index: tuple[int | str, ...] = ()
    value: Any = None

    def with_index(self, i: int | str) -> Binding:
        return Binding(self.source, self.name, self.node, self.output, (*self.index, i),
                       self.value)


def input_binding(name: str) -> Binding:
    return Binding(INPUT, name=name)


def const_binding(value: Any) -> Binding:
    return Binding(CONST, value=value)


def node_binding(node: str, output: str = "o0") -> Binding:
    return Binding(NODE, node=node, output=output)


# Node kinds.
TASK = "task"  # a call of a project task (its own container)
REMOTE = "remote"  # a call of a deployed task by reference (flyte.remote.Task.get)
TRACE = "trace"  # a @flyte.trace function, run in the caller's process and recorded
MAP = "map"  # flyte.map / flyte.map.aio over iterables
FANOUT = "fanout"  # a comprehension or loop: its members run once per item
BRANCH = "branch"  # if/elif/else or a conditional expression
TRY = "try"  # try/except/else/finally
MERGE = "merge"  # the value of a variable after a branch or try: one case per arm
GLUE = "glue"  # a small in-process computation (expression or statement)
RAISE = "raise"  # raising an exception (fails the task unless handled)
LOOP = "loop"  # a loop flytec cannot unroll (dynamic): its body once, as a template
CALL = "call"  # a call flytec cannot resolve (dynamic), with its possible callees

CONTAINERS = frozenset({FANOUT, BRANCH, TRY, LOOP})


@dataclass(frozen=True, slots=True)
class Case:
    """One input of a merge node: ``source`` when every (node, arm) of ``when`` was taken."""

    when: tuple[tuple[str, str], ...]
    source: Binding


@dataclass(slots=True)
class WNode:
    id: str
    kind: str
    span: Span
    label: str = ""
    parent: str | None = None  # enclosing container node
    arm: str | None = None  # which part of the parent: "body", "then", "else", "except:0"...
    group: str | None = None  # flyte.group name
    task: str | None = None  # fqn of the called task (task/map/remote)
    task_key: str | None = None  # project key of the called function
    inputs: dict[str, Binding] = field(default_factory=dict)
    outputs: list[str] = field(default_factory=list)
    after: list[str] = field(default_factory=list)  # ordering without data dependency
    # kind-specific attributes (JSON-able): code/mode for glue, condition for branch,
    # over/item/cardinality/collect for fan-outs, concurrency/partial for maps, ...
    attrs: dict[str, Any] = field(default_factory=dict)
    cases: dict[str, list[Case]] = field(default_factory=dict)  # merge: output -> cases
    dynamic: bool = False


# Edge kinds.
DATA = "data"
ORDER = "order"
ITEM_EDGE = "item"
BRANCH_EDGE = "branch"
ERROR_EDGE = "error"
FINALLY_EDGE = "finally"


@dataclass(frozen=True, slots=True)
class WEdge:
    source: str
    target: str
    kind: str
    output: str | None = None  # data: which output of the source
    index: tuple[int | str, ...] = ()
    input: str | None = None  # data: which input of the target
    label: str | None = None


@dataclass(frozen=True, slots=True)
class DynamicReason:
    span: Span
    message: str


@dataclass(slots=True)
class Param:
    name: str
    type: str | None
    default: Any = None  # JSON-able default value (static) when ``has_default``
    has_default: bool = False


@dataclass(slots=True)
class Output:
    name: str
    type: str | None
    source: Binding | None = None


@dataclass(slots=True)
class Workflow:
    """The recovered workflow of one task."""

    task_key: str
    fqn: str
    inputs: list[Param] = field(default_factory=list)
    outputs: list[Output] = field(default_factory=list)
    nodes: list[WNode] = field(default_factory=list)
    edges: list[WEdge] = field(default_factory=list)
    reasons: list[DynamicReason] = field(default_factory=list)
    possible_callees: list[str] = field(default_factory=list)  # fqns (dynamic tasks)
    calls_tasks: bool = False  # False: a leaf task (its body is one unit of work)

    @property
    def static(self) -> bool:
        return not self.reasons

    def node(self, node_id: str) -> WNode | None:
        for n in self.nodes:
            if n.id == node_id:
                return n
        return None
