"""A plan seen as a DAG: the structure lowering works on, and what has no DAG form.

:class:`PlanView` answers the questions :mod:`flytec.codegen.k8s.lower` asks while emitting
steps: under which branch arms a node runs (:meth:`PlanView.cond`), which step produces a value
(:meth:`PlanView.step_ref`), which inputs and step outputs a computed value is made from
(:meth:`PlanView.needs`), whether a step output may travel as an artifact
(:meth:`PlanView.may_spill`); and its ``check*`` methods raise :class:`Unsupported` for plans
that must run as a driver pod instead.
"""

from __future__ import annotations

from collections.abc import Mapping

from flytec.codegen.k8s import artifacts as art
from flytec.model.plan import Binding, ConstRef, ErrorRef, InputRef, ItemRef, Node, NodeRef, Plan

# ("input", name, "") | ("node", step node id, output) | ("after", step node id, ""): the
# last one only orders (``depends``), no value is passed
Key = tuple[str, str, str]
Cond = tuple[str, str]  # (branch node id, arm)

UNSUPPORTED_KINDS = ("try", "raise", "loop", "call", "remote")
#: the binding name of the list a fan-out iterates, when an arguments step computes it
OVER = "over-items"


class Unsupported(Exception):
    """The plan has no static Argo form (yet): it runs as a driver pod instead."""


class PlanView:
    """The nodes of a plan by id and by parent, and the questions lowering asks of them."""

    def __init__(self, plan: Plan, plans: Mapping[str, Plan]) -> None:
        self.plan = plan
        self.plans = plans
        self.nodes = {n.id: n for n in plan.nodes}
        self.children: dict[str, list[Node]] = {}
        for n in plan.nodes:
            if n.parent is not None:
                self.children.setdefault(n.parent, []).append(n)
        #: step outputs that must stay parameters (see :mod:`flytec.codegen.k8s.artifacts`)
        self.param_only: set[tuple[str, str]] = set()

    def check(self) -> None:
        plan = self.plan
        if not plan.static:
            why = "; ".join(r.message for r in plan.dynamic_reasons) or "the plan is dynamic"
            raise Unsupported(f"dynamic: {why}")
        for n in plan.nodes:
            if n.kind == "loop" and not n.dynamic:
                raise Unsupported(
                    f"a sequential loop (`for {n.item} in ...`, line {n.line}): each iteration "
                    "reads what the previous one left, which the driver pod carries (an Argo "
                    "DAG has no loop; a recursive template would pass every carried value "
                    "through parameters)")
            if n.kind in UNSUPPORTED_KINDS:
                raise Unsupported(f"node `{n.id}` ({n.kind}) has no Argo form yet")
            if n.dynamic:
                raise Unsupported(f"node `{n.id}` is dynamic")
            if n.override:
                raise Unsupported(f"node `{n.id}`: task overrides are not lowered yet")
            if n.module is not None and n.module != plan.source.module:
                raise Unsupported(f"code of module `{n.module}` (an inlined helper) runs in "
                                  "the driver, where that module is loaded")
            if n.context:
                raise Unsupported(f"node `{n.id}` runs under flyte.custom_context(...), which "
                                  "only the driver passes on to its actions")
            if n.kind in ("task", "map") and (n.task is None or n.task not in plan.callees):
                raise Unsupported(f"node `{n.id}` calls a task the plan does not describe")
            parent = self.nodes.get(n.parent) if n.parent else None
            if parent is not None and parent.kind not in ("branch", "fanout"):
                raise Unsupported(f"node `{n.id}` is inside a `{parent.kind}` node")
            if n.kind == "fanout":
                if n.concurrency:
                    raise Unsupported(f"fan-out `{n.id}` is bounded by a semaphore "
                                      "(concurrency), which is not lowered yet")
                body = self.children.get(n.id, [])
                if len(body) != 1 or body[0].kind != "task" or isinstance(n.over, list):
                    raise Unsupported(f"fan-out `{n.id}`: only a single task per item is lowered")
                for b in (n.collect or {}).values():
                    if not isinstance(b, NodeRef) or b.node != body[0].id or b.index:
                        raise Unsupported(f"fan-out `{n.id}` collects something else than its task")
            if n.kind == "map":
                over = n.over if isinstance(n.over, list) else [n.over]
                if len(over) != 1 or over[0] is None or len(n.item_inputs or []) != 1:
                    raise Unsupported(f"map `{n.id}`: only one iterable is lowered")
            for b in n.inputs.values():
                if isinstance(b, ItemRef) and b.index:
                    raise Unsupported(f"node `{n.id}` unpacks fan-out items")

    def over_of(self, n: Node) -> Binding | None:
        """The list a fan-out or map node iterates (its first iterable)."""
        over = n.over[0] if isinstance(n.over, list) and n.over else n.over
        return None if isinstance(over, list) else over

    def io_output(self, node_id: str, output: str) -> bool:
        """Whether a step output is a File, Dir or DataFrame by its callee's annotation."""
        n = self.nodes[node_id]
        if n.kind not in ("task", "map") or n.task is None:
            return False
        return art.io_type(art.output_type(self.plans, n.task, output))

    def check_artifacts(self) -> None:
        """Fan-out items and ``withParam`` lists are parameters: no File/Dir/DataFrame there."""
        for n in self.plan.nodes:
            if n.kind not in ("fanout", "map"):
                continue
            item = n if n.kind == "map" else self.children[n.id][0]
            for o in item.outputs or ["o0"]:
                self.param_only.add((item.id, o))
                if self.io_output(item.id, o):
                    raise Unsupported(
                        f"`{n.id}`: its items return File/Dir/DataFrame values, and Argo does "
                        "not collect the artifacts of withParam items")
            over = self.over_of(n)
            if isinstance(over, NodeRef) and not over.index:
                ref = self.step_ref(over.node, over.output)
                if ref is not None:
                    self.param_only.add(ref)
            for key in self.needs(over):
                if key[0] == "node" and self.io_output(key[1], key[2]):
                    raise Unsupported(f"`{n.id}` iterates over File/Dir/DataFrame values, and "
                                      "a withParam list is a parameter")

    def may_spill(self, node_id: str, output: str) -> bool:
        """Whether a step output may travel as an artifact (else it stays a parameter)."""
        if output == "arm" or (node_id, output) in self.param_only:
            return False
        n = self.nodes.get(node_id)
        if n is None or n.kind not in ("task", "map") or n.task is None:
            return True
        return not art.scalar_type(art.output_type(self.plans, n.task, output))

    def cond(self, node_id: str) -> list[Cond]:
        """The (branch, arm) pairs a node runs under, outermost first."""
        out: list[Cond] = []
        n = self.nodes[node_id]
        while n.parent is not None:
            p = self.nodes[n.parent]
            if p.kind == "branch" and n.arm is not None:
                out.append((p.id, n.arm))
            n = p
        out.reverse()
        return out

    def is_step(self, n: Node) -> bool:
        return n.kind in ("task", "map", "trace", "branch") or is_effect(n)

    def check_effects(self) -> None:
        """A side-effect glue node runs once, as its own step: nothing may fold it again."""
        read: set[str] = set()
        for n in self.plan.nodes:
            bindings: list[Binding | None] = [*n.inputs.values()]
            if isinstance(n.over, list):
                bindings.extend(n.over)
            else:
                bindings.append(n.over)
            for spec in (n.collect or {}).values():
                bindings.extend(spec if isinstance(spec, list) else [spec])
            for cases in (n.cases or {}).values():
                bindings.extend(c.source for c in cases)
            read |= {b.node for b in bindings if isinstance(b, NodeRef)}
        read |= {o.source.node for o in self.plan.outputs if isinstance(o.source, NodeRef)}
        for n in self.plan.nodes:
            if is_effect(n) and n.id in read:
                raise Unsupported(f"node `{n.id}` has side effects and later steps read its "
                                  "value: a DAG would run it more than once")

    def step_ref(self, node_id: str, output: str) -> tuple[str, str] | None:
        t = self.nodes.get(node_id)
        if t is None:
            raise Unsupported(f"reference to unknown node `{node_id}`")
        if t.kind in ("task", "map", "trace"):
            return t.id, output
        if t.kind == "fanout":
            b = (t.collect or {}).get(output)
            if isinstance(b, NodeRef):
                return b.node, b.output
        return None

    def needs(self, b: Binding | None, seen: frozenset[str] = frozenset()) -> set[Key]:
        """The workflow inputs and step outputs a computed value is made from."""
        if b is None or isinstance(b, ConstRef):
            return set()
        if isinstance(b, InputRef):
            return {("input", b.name, "")}
        if isinstance(b, (ItemRef, ErrorRef)):
            raise Unsupported("a computed value uses a fan-out item or an error")
        ref = self.step_ref(b.node, b.output)
        if ref is not None:
            return {("node", ref[0], ref[1])}
        if b.node in seen:
            raise Unsupported(f"cycle through `{b.node}`")
        t = self.nodes[b.node]
        seen = seen | {t.id}
        out: set[Key] = set()
        if t.kind == "glue":
            for x in t.inputs.values():
                out |= self.needs(x, seen)
            return out
        if t.kind == "merge":
            for case in (t.cases or {}).get(b.output, []):
                out |= self.needs(case.source, seen)
                for c in case.when:
                    if self.nodes[c.node].kind != "branch":
                        raise Unsupported(f"merge `{t.id}` depends on a `{c.node}` node")
                    out.add(("node", c.node, "arm"))
            return out
        raise Unsupported(f"value of a `{t.kind}` node (`{t.id}`) is not lowered")

    def order_needs(self, node: Node) -> set[Key]:
        out: set[Key] = set()
        for a in node.after:
            t = self.nodes.get(a)
            if t is None:
                continue
            if is_effect(t):
                out.add(("after", t.id, ""))
                continue
            if t.kind == "branch":  # after the branch: after what its arms run, too
                out |= {("after", d, "") for d in self.inside(t.id) if is_effect(self.nodes[d])}
            if t.kind in ("task", "map", "trace", "branch"):
                out.add(("node", t.id, "arm" if t.kind == "branch" else (t.outputs or ["o0"])[0]))
            else:
                out |= self.needs(NodeRef.model_validate(
                    {"from": "node", "node": a, "output": (t.outputs or ["o0"])[0]}))
        return out

    def inside(self, node_id: str) -> list[str]:
        out: list[str] = []
        for c in self.children.get(node_id, []):
            out.append(c.id)
            out.extend(self.inside(c.id))
        return out


def is_effect(n: Node) -> bool:
    """A glue node run for its side effects (``print``, ``assert``, a call...)."""
    return n.kind == "glue" and bool(n.effect)


def is_prefix(a: list[Cond], b: list[Cond]) -> bool:
    return len(a) <= len(b) and b[: len(a)] == a


def common_prefix(a: list[Cond], b: list[Cond]) -> list[Cond]:
    out: list[Cond] = []
    for x, y in zip(a, b):
        if x != y:
            break
        out.append(x)
    return out
