"""The project call graph: tasks, traces and helpers, across modules.

Adjacency is kept in plain dictionaries so that ``flytec check`` does not pay networkx's
import time on every commit; :attr:`CallGraph.nx` builds the equivalent ``networkx.DiGraph``
(nodes carry ``kind``/``module``/``fqn``, edges the call sites) for codegen, graph rendering
and any analysis that wants graph algorithms.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from flytec.model.program import CallSite, Program

if TYPE_CHECKING:
    import networkx as nx


def _label(program: Program, key: str) -> str:
    t = program.tasks.get(key)
    if t is not None:
        return f"task `{t.fqn}`"
    if key in program.traces:
        return f"trace `{key.partition(':')[2]}()`"
    return f"helper `{key.partition(':')[2]}()`"


@dataclass
class CallGraph:
    program: Program
    edges: dict[str, list[CallSite]] = field(default_factory=dict)  # caller -> resolved sites

    @staticmethod
    def build(program: Program) -> CallGraph:
        g = CallGraph(program)
        for caller, sites in program.calls.items():
            g.edges[caller] = [s for s in sites if s.target is not None]
        return g

    def kind(self, key: str) -> str:
        f = self.program.functions.get(key)
        return f.kind if f is not None else "unknown"

    def describe(self, key: str) -> str:
        return _label(self.program, key)

    def in_process(self, start: str) -> Iterator[tuple[str, tuple[str, ...]]]:
        """Functions that run in the same process as ``start`` (helpers and traces it calls,
        transitively, but not other tasks, which run in their own containers), each with
        the chain of calls that reaches it. ``start`` itself comes first, with no chain."""
        for key, chain, _entry in self.reach(start):
            yield key, chain

    def reach(self, start: str) -> Iterator[tuple[str, tuple[str, ...], CallSite | None]]:
        """Like :meth:`in_process`, with the call site in ``start`` that leads to each
        function (None for ``start`` itself), so a finding can be reported in ``start``'s
        own file."""
        yield start, (), None
        seen = {start}
        stack: list[tuple[str, tuple[str, ...], CallSite | None]] = [(start, (), None)]
        while stack:
            key, chain, entry = stack.pop()
            for site in self.edges.get(key, ()):
                target = site.target
                assert target is not None
                if target in seen or site.target_kind == "task" and "forward" not in site.via:
                    continue
                if site.how in ("map", "map_aio"):
                    continue
                seen.add(target)
                step = (
                    f"{self.describe(key)} calls {self.describe(target)}"
                    f" (line {site.span.line})"
                )
                nxt = (target, (*chain, step), entry or site)
                yield nxt
                stack.append(nxt)

    def task_calls_from(self, task_key: str) -> Iterator[tuple[CallSite, tuple[str, ...]]]:
        """Task call sites executed by ``task_key``'s process, with the helper chain."""
        for key, chain in self.in_process(task_key):
            for site in self.program.calls.get(key, ()):
                if site.target_kind == "task" and "forward" not in site.via:
                    yield site, chain

    def callers(self, key: str) -> list[CallSite]:
        return [s for sites in self.edges.values() for s in sites if s.target == key]

    @cached_property
    def nx(self) -> nx.MultiDiGraph:
        import networkx as nx

        g: nx.MultiDiGraph = nx.MultiDiGraph()
        for key, f in self.program.functions.items():
            attrs: dict[str, Any] = {"kind": f.kind, "module": f.module, "path": f.path}
            t = self.program.tasks.get(key)
            if t is not None:
                attrs["fqn"] = t.fqn
                attrs["env"] = t.env
            g.add_node(key, **attrs)
        for caller, sites in self.edges.items():
            for s in sites:
                g.add_edge(caller, s.target, how=s.how, via=s.via, line=s.span.line, site=s)
        return g
