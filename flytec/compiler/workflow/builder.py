"""Accumulates the nodes of a workflow: deterministic ids, containers, edges."""

from __future__ import annotations

import re
from typing import Any

from flytec.model import workflow as w
from flytec.model.span import Span

_SAFE = re.compile(r"[^A-Za-z0-9_-]+")


class Builder:
    def __init__(self) -> None:
        self.nodes: list[w.WNode] = []
        self.by_id: dict[str, w.WNode] = {}
        self.reasons: list[w.DynamicReason] = []
        self._counts: dict[str, int] = {}
        # semaphores bounding a fan-out (``async with sem``): id of the value -> fan-out id
        self.bounded: dict[int, str] = {}

    def new_id(self, base: str) -> str:
        base = _SAFE.sub("_", base).strip("_") or "node"
        n = self._counts.get(base, 0) + 1
        self._counts[base] = n
        candidate = base if n == 1 else f"{base}-{n}"
        while candidate in self.by_id:
            n += 1
            self._counts[base] = n
            candidate = f"{base}-{n}"
        return candidate

    def add(
        self,
        base: str,
        kind: str,
        span: Span,
        where: tuple[str | None, str | None, str | None],
        **fields: Any,
    ) -> w.WNode:
        parent, arm, group = where
        node = w.WNode(id=self.new_id(base), kind=kind, span=span, parent=parent, arm=arm,
                       group=group, **fields)
        self.nodes.append(node)
        self.by_id[node.id] = node
        return node

    def reason(self, span: Span, message: str) -> None:
        """Record why the task is dynamic (once per message: its first location)."""
        if all(r.message != message for r in self.reasons):
            self.reasons.append(w.DynamicReason(span, message))

    # ------------------------------------------------------------------------ edges

    def edges(self) -> list[w.WEdge]:
        out: list[w.WEdge] = []
        seen: set[w.WEdge] = set()

        def add(e: w.WEdge) -> None:
            if e.source != e.target and e.source in self.by_id and e not in seen:
                seen.add(e)
                out.append(e)

        def bind(b: w.Binding, target: str, name: str | None) -> None:
            if b.source == w.NODE and b.node is not None:
                add(w.WEdge(b.node, target, w.DATA, b.output, b.index, name))
            elif b.source == w.ITEM and b.node is not None and b.node != target:
                add(w.WEdge(b.node, target, w.ITEM_EDGE, None, b.index, name))
            elif b.source == w.ERROR and b.node is not None:
                add(w.WEdge(b.node, target, w.ERROR_EDGE, None, (), name, "exception"))

        for n in self.nodes:
            for name, b in n.inputs.items():
                bind(b, n.id, name)
            for key in ("over",):
                v = n.attrs.get(key)
                if isinstance(v, w.Binding):
                    bind(v, n.id, key)
                elif isinstance(v, list):
                    for i, b in enumerate(v):
                        if isinstance(b, w.Binding):
                            bind(b, n.id, f"{key}[{i}]")
            for key, b in (n.attrs.get("context") or {}).items():
                bind(b, n.id, f"context.{key}")
            for out_name, cases in n.cases.items():
                for c in cases:
                    bind(c.source, n.id, out_name)
            for a in n.after:
                add(w.WEdge(a, n.id, w.ORDER))
            if n.parent is not None:
                p = self.by_id.get(n.parent)
                if p is None:
                    continue
                if p.kind == w.BRANCH:
                    add(w.WEdge(p.id, n.id, w.BRANCH_EDGE, label=n.arm))
                elif p.kind == w.TRY and n.arm and n.arm.startswith("except"):
                    add(w.WEdge(p.id, n.id, w.ERROR_EDGE, label=n.arm))
                elif p.kind == w.TRY and n.arm == "finally":
                    add(w.WEdge(p.id, n.id, w.FINALLY_EDGE, label="finally"))
        return out
