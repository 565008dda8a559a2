"""Executing a static plan (``flytec.plan/v1``) as a dataflow graph on the run's controller.

Used as the body of the root action: :func:`execute_plan` runs every node of the plan as soon
as the nodes it reads (and those in its ``after``) have finished and its container has reached
its arm; task nodes are submitted to the same :class:`~flytec.runtime.controller.Controller`
as a task body's calls (ids, caching, retries, timeouts, journaling and resume are the
controller's). Containers (``docs/plan-format.md``, "Executing a static plan"):

* ``fanout``: its members run once per item, each item in its own scope, concurrently (one
  after the other when ``sequential``); its outputs are the lists of what ``collect`` names;
* ``branch``: evaluates ``condition`` and runs the chosen arm; the other arm is skipped;
* ``try``: runs ``body``; a failure matching a handler runs that ``except:N`` arm with the
  error bound; ``finally`` runs in every case; anything else fails the ``try``;
* ``merge``: the first case whose conditions (arms taken) all hold gives the value.

A failure cancels the rest of its container and propagates to the enclosing one (a ``try``
may catch it); nodes that read a failed or skipped node are skipped.
"""

from __future__ import annotations

import asyncio
import copy
import sys
from types import ModuleType
from typing import Any

from flytec.model.plan import (
    Binding,
    ConstRef,
    ErrorRef,
    InputRef,
    ItemRef,
    Node,
    NodeRef,
)
from flytec.runtime import graph_fanout as fanouts
from flytec.runtime import graph_nodes as kinds
from flytec.runtime.context import CURRENT, CUSTOM, GROUP, ActionContext
from flytec.runtime.controller import Controller
from flytec.runtime.graph_index import Prepared
from flytec.runtime.graph_state import DONE, FAILED, NodeState, Scope, index

_CONTAINERS = ("fanout", "branch", "try", "loop")


class Unbound(UnboundLocalError):
    """A value the workflow reads was never set (the arm that sets it did not run)."""


def unbound_message(name: str) -> str:
    """Python's own words for reading a local variable that was never set."""
    if sys.version_info >= (3, 11):
        return f"cannot access local variable '{name}' where it is not associated with a value"
    return f"local variable '{name}' referenced before assignment"


class GraphRun:
    """One execution of a prepared plan, as the body of action ``parent``."""

    def __init__(
        self,
        prepared: Prepared,
        controller: Controller,
        parent: ActionContext,
        inputs: dict[str, Any],
    ) -> None:
        self.prepared = prepared
        self.controller = controller
        self.parent = parent
        self.inputs = inputs
        module: ModuleType = prepared.module
        self.globals: dict[str, Any] = vars(module)
        self.compiled: dict[tuple[str, str, str], Any] = {}

    # -- values ---------------------------------------------------------------------------
    def value(self, scope: Scope, b: Binding) -> Any:
        if isinstance(b, ConstRef):
            v = b.value
            return copy.deepcopy(v) if isinstance(v, (list, dict)) else v
        if isinstance(b, InputRef):
            return index(self.inputs[b.name], b.index)
        if isinstance(b, NodeRef):
            st = scope.state(b.node)
            if b.output not in st.values:
                if self.prepared.nodes[b.node].kind == "loop":  # a variable, as Python says
                    raise UnboundLocalError(unbound_message(b.output))
                raise Unbound(f"`{b.node}` has no value `{b.output}` (the code that sets it "
                              "did not run)")
            return index(st.values[b.output], b.index)
        if isinstance(b, ItemRef):
            return index(scope.item_of(b.node), b.index)
        assert isinstance(b, ErrorRef)
        return scope.state(b.node).error

    async def ready(self, scope: Scope, node: Node) -> bool:
        """Wait for what ``node`` reads and runs after; False when one of them cannot give it."""
        p = self.prepared
        for ref in p.deps[node.id]:
            st = scope.state(ref.node)
            if p.nodes[ref.node].kind == "branch":
                if await st.wait_decided() is None:
                    return False
            elif await st.wait() != DONE:
                return False
        for a in p.after[node.id]:
            if await scope.state(a).wait() == FAILED:
                return False
        return True

    # -- scheduling -----------------------------------------------------------------------
    async def run(self) -> Any:
        scope = Scope(None, None, None, self.prepared.owned.get(None, []))
        await self.members(scope, None, None)
        outs = self.prepared.plan.outputs
        values = []
        for o in outs:
            if o.source is None:
                raise Unbound(f"output {o.name} has no source in the plan")
            if isinstance(o.source, NodeRef):
                st = scope.state(o.source.node)
                await st.wait()
            values.append(self.value(scope, o.source))
        if not values:
            return None
        return values[0] if len(values) == 1 else tuple(values)

    async def members(self, scope: Scope, container: str | None, arm: str | None) -> None:
        """Run the members of one arm; the first failure cancels the others and is raised."""
        nodes = self.prepared.members.get((container, arm), [])
        if len(nodes) == 1:
            await self.node(scope, nodes[0])
            return
        tasks = [asyncio.ensure_future(self.node(scope, n)) for n in nodes]
        try:
            pending = set(tasks)
            while pending:
                done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_EXCEPTION)
                for t in tasks:  # in plan order, for a deterministic choice
                    if t in done and not t.cancelled() and t.exception() is not None:
                        raise t.exception()  # type: ignore[misc]
        finally:
            live = [t for t in tasks if not t.done()]
            for t in live:
                t.cancel()
            if live:
                await asyncio.gather(*live, return_exceptions=True)
            for n in nodes:  # a member that never started (cancelled early) is skipped
                self._skip_inside(scope, n.id)

    def _skip_inside(self, scope: Scope, nid: str) -> None:
        scope.state(nid).skip()
        for d in self.prepared.descendants(nid):
            st = scope.states.get(d)
            if st is not None:
                st.skip()

    def skip_arm(self, scope: Scope, container: str, arm: str) -> None:
        for d in self.prepared.descendants(container, arm):
            st = scope.states.get(d)
            if st is not None:
                st.skip()

    async def node(self, scope: Scope, node: Node) -> None:
        st = scope.state(node.id)
        try:
            if node.kind == "merge":
                await self.merge(scope, node, st)
                return
            if not await self.ready(scope, node):
                st.skip()
                return
            if node.context:  # flyte.custom_context(...) around the node
                values: dict[str, Any] = {}
                for k, b in node.context.items():
                    if k.startswith("**"):  # a config manager's mapping: its keys, in order
                        values.update(dict(self.value(scope, b)))
                    else:
                        values[k] = self.value(scope, b)
                custom = CUSTOM.set({**(CUSTOM.get() or {}), **values})
                try:
                    await self.grouped(scope, node, st)
                finally:
                    CUSTOM.reset(custom)
                return
            await self.grouped(scope, node, st)
        except asyncio.CancelledError:
            st.skip()
            raise
        except BaseException as exc:
            st.fail(exc)
            raise

    async def grouped(self, scope: Scope, node: Node, st: NodeState) -> None:
        if node.group is None or node.kind in _CONTAINERS:
            await self.execute(scope, node, st)
            return
        token = GROUP.set(node.group)  # flyte.group(...): part of the calls' identity
        try:
            await self.execute(scope, node, st)
        finally:
            GROUP.reset(token)

    async def execute(self, scope: Scope, node: Node, st: NodeState) -> None:
        kind = node.kind
        if kind in ("task", "remote", "trace"):
            if node.unawaited:  # a coroutine that is never awaited never runs
                st.skip()
                return
            kw = {k: self.value(scope, b) for k, b in node.inputs.items()}
            st.finish(await kinds.call(self, node, kw))
        elif kind == "map":
            over = node.over if isinstance(node.over, list) else []
            iterables = [self.value(scope, b) for b in over]
            fixed = {k: self.value(scope, b) for k, b in node.inputs.items()}
            st.finish(await kinds.map_(self, node, iterables, fixed))
        elif kind == "glue":
            kw = {k: self.value(scope, b) for k, b in node.inputs.items()}
            st.finish(await kinds.glue(self, node, kw))
        elif kind == "raise":
            kw = {k: self.value(scope, b) for k, b in node.inputs.items()}
            await kinds.raise_(self, node, kw, self.caught(scope, node))
        elif kind == "branch":
            await self.branch(scope, node, st)
        elif kind == "try":
            await self.try_(scope, node, st)
        elif kind == "fanout":
            await fanouts.fanout(self, scope, node, st)
        elif kind == "loop":
            await self.loop(scope, node, st)
        else:  # prepare() lets no other kind through
            raise RuntimeError(f"flytec cannot execute a `{kind}` node")

    # -- containers -----------------------------------------------------------------------
    async def branch(self, scope: Scope, node: Node, st: NodeState) -> None:
        kw = {k: self.value(scope, b) for k, b in node.inputs.items()}
        cond = await kinds.condition(self, node, kw)
        arm = "then" if cond else "else"
        st.values = {"o0": cond}
        st.decide(arm)
        self.skip_arm(scope, node.id, "else" if cond else "then")
        await self.members(scope, node.id, arm)
        st.finish({"o0": cond})

    async def loop(self, scope: Scope, node: Node, st: NodeState) -> None:
        """A sequential loop: its members once per item, one iteration after the other, each
        in its own scope; what an iteration leaves (``carry``) is what the next one reads as
        the loop's outputs, and what the loop gives after its last iteration."""
        assert node.over is not None and not isinstance(node.over, list)
        items = self.value(scope, node.over)
        values = {k: self.value(scope, b) for k, b in node.inputs.items()}
        owned = self.prepared.owned.get(node.id, [])
        for item in items:
            st.values = dict(values)  # read by the members as the loop's outputs
            inner = Scope(scope, node.id, item, owned)
            await self.members(inner, node.id, "body")
            for name, b in (node.carry or {}).items():
                try:
                    values[name] = self.value(inner, b)
                except UnboundLocalError:
                    pass  # set on a path this iteration did not take
        st.values = {}
        st.finish(values)

    async def try_(self, scope: Scope, node: Node, st: NodeState) -> None:
        failure: BaseException | None = None
        try:
            await self.members(scope, node.id, "body")
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            failure = exc
        arm = "body"
        if failure is not None:
            arm = "failed"
            for handler_arm, types in self.prepared.handlers.get(node.id, []):
                if isinstance(failure, types):
                    arm = handler_arm
                    break
        st.decide(arm, failure)
        for handler_arm, _ in self.prepared.handlers.get(node.id, []):
            if handler_arm != arm:
                self.skip_arm(scope, node.id, handler_arm)
        pending = failure if arm == "failed" else None
        if arm.startswith("except:"):
            try:
                await self.members(scope, node.id, arm)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                pending = exc
        if node.has_finally:
            await self.members(scope, node.id, "finally")
        if pending is not None:
            raise pending
        st.finish({})

    async def merge(self, scope: Scope, node: Node, st: NodeState) -> None:
        values: dict[str, Any] = {}
        for name, cases in (node.cases or {}).items():
            for case in cases:
                holds = True
                for cond in case.when:
                    if await scope.state(cond.node).wait_decided() != cond.arm:
                        holds = False
                        break
                if not holds:
                    continue
                src = case.source
                if isinstance(src, NodeRef):
                    if await scope.state(src.node).wait() != DONE:
                        break
                values[name] = self.value(scope, src)
                break
        if len(values) < len(node.cases or {}):
            st.skip()  # no case held: reading this value fails, as in Python
        else:
            st.finish(values)

    def caught(self, scope: Scope, node: Node) -> BaseException | None:
        """The exception a bare ``raise`` re-raises: that of the enclosing ``except`` arm."""
        child = node
        while child.parent is not None:
            parent = self.prepared.nodes[child.parent]
            if parent.kind == "try" and (child.arm or "").startswith("except:"):
                return scope.state(parent.id).error
            child = parent
        return None


async def execute_plan(prepared: Prepared, inputs: dict[str, Any]) -> Any:
    """Run ``prepared`` as the body of the current action; returns the task's result."""
    parent = CURRENT.get()
    if parent is None:
        raise RuntimeError("a plan runs as the body of an action")
    return await GraphRun(prepared, parent.controller, parent, inputs).run()
