"""The plan format: one JSON document per task, versioned, with a JSON Schema.

``flytec build`` writes ``<env>.<function>.plan.json``; ``flytec schema plan`` prints the
schema; ``docs/plan-format.md`` explains every field. The models here are the source of
truth: plans are validated against them before they are written.

Compatibility: ``schema_version`` is ``"flytec.plan/v<major>"``. Adding optional fields keeps
the major version; removing or changing the meaning of a field bumps it.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field

SchemaVersion = Literal["flytec.plan/v1"]
SCHEMA_VERSION: SchemaVersion = "flytec.plan/v1"
SCHEMA_ID = "https://flytec.dev/schemas/plan/v1.json"

NodeKind = Literal[
    "task", "remote", "trace", "map", "fanout", "branch", "try", "merge", "glue", "raise",
    "loop", "call",
]
EdgeKind = Literal["data", "order", "item", "branch", "error", "finally"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


# ------------------------------------------------------------------------------ bindings


class InputRef(_Model):
    """The value of one of the task's own inputs."""

    from_: Literal["input"] = Field("input", alias="from")
    name: str
    index: list[int | str] = Field(default_factory=list,
                                   description="element path into the value ([] = whole)")


class ConstRef(_Model):
    """A constant (any JSON value) known at compile time."""

    from_: Literal["const"] = Field("const", alias="from")
    value: Any = None


class NodeRef(_Model):
    """An output of another node; ``index`` selects an element of a tuple/list output."""

    from_: Literal["node"] = Field("node", alias="from")
    node: str
    output: str = "o0"
    index: list[int | str] = Field(default_factory=list,
                                   description='element path; "*" means every element')


class ItemRef(_Model):
    """The current item of the enclosing fan-out ``node`` (``index`` unpacks tuple items)."""

    from_: Literal["item"] = Field("item", alias="from")
    node: str
    index: list[int | str] = Field(default_factory=list)


class ErrorRef(_Model):
    """The exception caught by try node ``node`` (inside its ``except`` arms)."""

    from_: Literal["error"] = Field("error", alias="from")
    node: str


Binding = Annotated[
    Union[InputRef, ConstRef, NodeRef, ItemRef, ErrorRef], Field(discriminator="from_")
]


# ------------------------------------------------------------------------------- pieces


class Reason(_Model):
    line: int
    column: int
    cell: int | None = Field(None, description="in a notebook: the cell (1-based, among all "
                             "cells) that `line` is in")
    message: str


class InputSpec(_Model):
    name: str
    type: str | None = Field(None, description="the annotation as written")
    checked_type: str | None = Field(
        None, description="the type as mypy resolved it (`flytec build --types`)"
    )
    required: bool = True
    default: Any = None


class OutputSpec(_Model):
    name: str = Field(description='"o0", "o1", ... as Flyte names outputs')
    type: str | None = None
    checked_type: str | None = Field(
        None, description="the type as mypy resolved it (`flytec build --types`)"
    )
    source: Binding | None = Field(None, description="where the value comes from (workflows)")


class Condition(_Model):
    """``node`` took ``arm`` (a branch arm, or a try's ``body``/``except:N``/``failed``)."""

    node: str
    arm: str


class Case(_Model):
    when: list[Condition]
    source: Binding


class Handler(_Model):
    arm: str = Field(description='"except:N": the arm of the try node that handles these')
    types: list[str] = Field(description="resolved exception types (dotted names)")
    name: str | None = Field(None, description="the `as` name, bound to an error reference")


class Node(_Model):
    """One step of the workflow. Fields after ``dynamic`` depend on ``kind``."""

    id: str = Field(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")
    kind: NodeKind
    label: str
    line: int
    column: int
    cell: int | None = Field(None, description="in a notebook: the cell (1-based, among all "
                             "cells) that `line` is in")
    parent: str | None = Field(None, description="enclosing fan-out/branch/try/loop node")
    arm: str | None = Field(None, description="which part of the parent the node is in")
    group: str | None = Field(None, description="flyte.group name")
    inputs: dict[str, Binding] = Field(default_factory=dict)
    outputs: list[str] = Field(default_factory=list)
    after: list[str] = Field(default_factory=list,
                             description="nodes that must finish first (no data dependency)")
    dynamic: bool = False
    context: dict[str, Binding] | None = Field(
        None, description="flyte.custom_context(...) the node runs under: the keys its "
                          "actions (and their sub-actions) see in flyte.ctx().custom_context")
    # task / remote / trace / map
    task: str | None = Field(None, description='"env.function" of the called task')
    function: str | None = Field(None, description='"module:qualname" of the called function')
    override: dict[str, Any] | None = None
    forward: bool | None = None
    unawaited: bool | None = None
    # glue
    code: str | None = Field(None, description="Python source, run in the module's namespace")
    module: str | None = Field(
        None, description="glue/branch/raise/loop: the module whose namespace `code` runs in "
                          "when it is not the task's (a helper of another module, inlined)")
    mode: Literal["eval", "exec"] | None = None
    awaits: bool | None = Field(None, description="glue: await the value of `code`")
    effect: bool | None = Field(
        None, description="glue: a statement run for its side effects (print, assert, a "
                          "call...): it runs even when nothing reads it, in program order")
    # branch / loop
    condition: str | None = None
    arms: list[str] | None = None
    carry: dict[str, Binding] | None = Field(
        None, description="loop: each variable's value at the end of an iteration")
    # fanout / map
    over: Binding | list[Binding] | None = None
    item: str | None = None
    item_inputs: list[str] | None = None
    cardinality: str | None = None
    length: str | None = None
    collect: dict[str, Binding | list[Binding]] | None = None
    sequential: bool | None = None
    loop: bool | None = None
    concurrency: Any = None
    return_exceptions: Any = None
    group_name: Any = None
    aio: bool | None = None
    # try
    handlers: list[Handler] | None = None
    has_else: bool | None = None
    has_finally: bool | None = None
    # merge
    cases: dict[str, list[Case]] | None = None
    of: str | None = None
    variable: str | None = None
    # raise
    exception: str | None = None
    reraise: bool | None = None


class Edge(_Model):
    source: str
    target: str
    kind: EdgeKind
    output: str | None = None
    index: list[int | str] | None = None
    input: str | None = None
    label: str | None = None


class Source(_Model):
    path: str = Field(description="relative to the project root, with / separators")
    module: str
    function: str
    line: int
    cell: int | None = Field(None, description="in a notebook: the cell (1-based, among all "
                             "cells) that `line` is in")
    code_hash: str = Field(description='"v2:sha256:<hex>" over the canonical form of the task '
                           "and all it calls (v2: the same on every Python; a hash without "
                           "a version prefix is v1, from ast.dump, and never equals a v2 one)")
    hashed: list[str] = Field(description="project functions and classes the hash covers")

    @property
    def location(self) -> str:
        """``path:line``, or ``path:cell N:line`` in a notebook."""
        cell = "" if self.cell is None else f"cell {self.cell}:"
        return f"{self.path}:{cell}{self.line}"


class Environment(_Model):
    name: str | None
    resources: dict[str, Any] | None = None
    image: Any = "auto"
    cache: dict[str, Any] = Field(default_factory=lambda: {"behavior": "disable"})
    retries: Any = 0
    timeout: Any = None
    reuse: dict[str, Any] | None = None
    secrets: list[Any] = Field(default_factory=list)
    env_vars: dict[str, Any] = Field(default_factory=dict)
    interruptible: Any = None
    queue: Any = None
    pod_template: Any = None
    plugin_config: Any = None
    depends_on: list[str] = Field(default_factory=list)
    other: dict[str, Any] = Field(default_factory=dict,
                                  description="other static task options, as written")


class Callee(_Model):
    """A task this plan calls: where it lives and how it is configured."""

    source: dict[str, Any]
    environment: Environment


class Plan(_Model):
    """The compiled form of one task."""

    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=True,
        json_schema_extra={"$id": SCHEMA_ID},
        title="flytec plan",
    )

    schema_version: SchemaVersion = SCHEMA_VERSION
    task: str = Field(description='"env.function"')
    kind: Literal["leaf", "workflow"] = Field(
        description="leaf: calls no tasks (one container); workflow: its nodes are below")
    static: bool
    dynamic_reasons: list[Reason] = Field(default_factory=list)
    possible_callees: list[str] = Field(default_factory=list)
    inputs: list[InputSpec] = Field(default_factory=list)
    outputs: list[OutputSpec] = Field(default_factory=list)
    nodes: list[Node] = Field(default_factory=list)
    edges: list[Edge] = Field(default_factory=list)
    environment: Environment
    callees: dict[str, Callee] = Field(default_factory=dict)
    source: Source


def plan_json_schema() -> dict[str, Any]:
    schema = Plan.model_json_schema(by_alias=True)
    out: dict[str, Any] = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
    out.update(schema)
    out["$id"] = SCHEMA_ID
    out["description"] = (
        f"A flytec plan ({SCHEMA_VERSION}): the statically recovered workflow of one Flyte 2 "
        "task. See docs/plan-format.md."
    )
    return out
