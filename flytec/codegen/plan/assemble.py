"""Assembling plans: workflow IR + program + environment + code hash -> :class:`Plan`."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flytec.codegen.plan.code_hash import CodeHasher
from flytec.codegen.plan.environment import environment
from flytec.compiler.project import Project
from flytec.model import plan as pm
from flytec.model import workflow as w
from flytec.model.notebook import CellMap
from flytec.model.program import Program
from flytec.model.safe_text import escape_json_text

_ATTR_FIELDS = {"await": "awaits", "else": "has_else", "finally": "has_finally"}


def binding_json(b: w.Binding) -> dict[str, Any]:
    idx = list(b.index)
    if b.source == w.INPUT:
        out: dict[str, Any] = {"from": "input", "name": b.name}
    elif b.source == w.CONST:
        return {"from": "const", "value": b.value}
    elif b.source == w.NODE:
        out = {"from": "node", "node": b.node, "output": b.output or "o0"}
    elif b.source == w.ITEM:
        out = {"from": "item", "node": b.node}
    else:
        return {"from": "error", "node": b.node}
    if idx:
        out["index"] = idx
    return out


def _attr(v: Any) -> Any:
    if isinstance(v, w.Binding):
        return binding_json(v)
    if isinstance(v, list):
        return [_attr(x) for x in v]
    if isinstance(v, dict):
        return {k: _attr(x) for k, x in v.items()}
    return v


def node_json(n: w.WNode) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": n.id,
        "kind": n.kind,
        "label": n.label or _label(n),
        "line": n.span.line,
        "column": n.span.column,
    }
    for key, value in (("parent", n.parent), ("arm", n.arm), ("group", n.group)):
        if value is not None:
            out[key] = value
    if n.inputs:
        out["inputs"] = {k: binding_json(b) for k, b in n.inputs.items()}
    if n.outputs:
        out["outputs"] = list(n.outputs)
    if n.after:
        out["after"] = list(n.after)
    if n.dynamic:
        out["dynamic"] = True
    if n.task is not None:
        out["task"] = n.task
    if n.task_key is not None:
        out["function"] = n.task_key
    for k, v in n.attrs.items():
        out[_ATTR_FIELDS.get(k, k)] = _attr(v)
    if n.cases:
        out["cases"] = {
            name: [{"when": [{"node": a, "arm": b} for a, b in c.when],
                    "source": binding_json(c.source)} for c in cases]
            for name, cases in n.cases.items()
        }
    return out


def _label(n: w.WNode) -> str:
    if n.kind in (w.TASK, w.REMOTE, w.MAP) and n.task:
        return n.task
    if n.kind == w.TRACE and n.task_key:
        return n.task_key.rpartition(":")[2]
    if n.kind == w.GLUE:
        return str(n.attrs.get("code", "")).split("\n")[0][:80]
    if n.kind in (w.BRANCH, w.LOOP):
        return str(n.attrs.get("condition", ""))
    if n.kind == w.FANOUT:
        return f"for {n.attrs.get('item')} ({n.attrs.get('cardinality')})"
    if n.kind == w.MERGE:
        return str(n.attrs.get("variable") or n.id)
    if n.kind == w.RAISE:
        return str(n.attrs.get("exception", "raise"))
    return n.id


def edge_json(e: w.WEdge) -> dict[str, Any]:
    out: dict[str, Any] = {"source": e.source, "target": e.target, "kind": e.kind}
    if e.output is not None:
        out["output"] = e.output
    if e.index:
        out["index"] = list(e.index)
    if e.input is not None:
        out["input"] = e.input
    if e.label is not None:
        out["label"] = e.label
    return out


class PlanAssembler:
    def __init__(
        self, program: Program, project: Project, signatures: Mapping[str, Any] | None = None
    ) -> None:
        """``signatures``: task fqn -> a mypy ``TaskSignature`` (``flytec build --types``),
        whose resolved types go into the plan's inputs and outputs as ``checked_type``."""
        self.program = program
        self.project = project
        self.hasher = CodeHasher(program, project)
        self.signatures = signatures or {}

    def _checked_input(self, fqn: str, name: str) -> dict[str, Any]:
        sig = self.signatures.get(fqn)
        param = sig.param(name) if sig is not None else None
        return {"checked_type": param.qualified_type} if param is not None else {}

    def _checked_output(self, fqn: str, index: int) -> dict[str, Any]:
        sig = self.signatures.get(fqn)
        if sig is None or index >= len(sig.outputs):
            return {}
        return {"checked_type": sig.outputs[index]}

    def rel(self, path: str) -> str:
        """A module path (as loaded, relative to the cwd) relative to the project root."""
        p = Path(path)
        return self.project.relative(p if p.is_absolute() else self.project.cwd / p)

    def source(self, key: str) -> dict[str, Any]:
        task = self.program.tasks[key]
        code_hash, covered = self.hasher.hash(key)
        return {
            "path": self.rel(task.path),
            "module": task.module,
            "function": task.function.name,
            "line": task.function.name_span.line,
            "code_hash": code_hash,
            "hashed": covered,
        }

    def plan(self, wf: w.Workflow) -> pm.Plan:
        task = self.program.tasks[wf.task_key]
        callees: dict[str, Any] = {}
        for n in wf.nodes:
            if n.kind in (w.TASK, w.MAP) and n.task_key in self.program.tasks and n.task:
                if n.task not in callees and n.task_key is not None:
                    callee = self.program.tasks[n.task_key]
                    callees[n.task] = {
                        "source": {"path": self.rel(callee.path),
                                   "module": callee.module, "function": callee.function.name,
                                   "line": callee.function.name_span.line},
                        "environment": environment(self.program, callee).model_dump(),
                    }
        data: dict[str, Any] = {
            "schema_version": pm.SCHEMA_VERSION,
            "task": wf.fqn,
            "kind": "workflow" if wf.calls_tasks else "leaf",
            "static": wf.static,
            "dynamic_reasons": [
                {"line": r.span.line, "column": r.span.column, "message": r.message}
                for r in wf.reasons
            ],
            "possible_callees": list(wf.possible_callees),
            "inputs": [
                {"name": p.name, "type": p.type, "required": not p.has_default,
                 **({"default": p.default} if p.has_default else {}),
                 **self._checked_input(wf.fqn, p.name)}
                for p in wf.inputs
            ],
            "outputs": [
                {"name": o.name, "type": o.type,
                 **({"source": binding_json(o.source)} if o.source is not None else {}),
                 **self._checked_output(wf.fqn, i)}
                for i, o in enumerate(wf.outputs)
            ],
            "nodes": [node_json(n) for n in wf.nodes],
            "edges": [edge_json(e) for e in wf.edges],
            "environment": environment(self.program, task).model_dump(),
            "callees": dict(sorted(callees.items())),
            "source": self.source(wf.task_key),
        }
        owner = self.program.modules.get(task.module)
        if owner is not None and owner.notebook is not None:
            _in_cells([*data["dynamic_reasons"], *data["nodes"], data["source"]],
                      owner.notebook)
        for callee_data in callees.values():
            home = self.program.modules.get(callee_data["source"]["module"])
            if home is not None and home.notebook is not None:
                _in_cells([callee_data["source"]], home.notebook)
        return pm.Plan.model_validate(data)


def _in_cells(items: list[dict[str, Any]], cells: CellMap) -> None:
    """A notebook's plan: its lines located in their cells (``cell`` + the line in it)."""
    for item in items:
        got = cells.locate(item["line"])
        if got is not None:
            item["cell"], item["line"] = got


_NODE_DEFAULTS: dict[str, Any] = {"inputs": {}, "after": [], "dynamic": False}


def _clean(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _clean(x) for k, x in v.items() if not (k == "index" and x == [])}
    if isinstance(v, list):
        return [_clean(x) for x in v]
    return v


def plan_to_json(plan: pm.Plan) -> str:
    """Canonical JSON text: the same plan always gives the same bytes."""
    data = _clean(plan.model_dump(mode="json", by_alias=True, exclude_none=True))
    for node in data.get("nodes", []):
        for k, default in _NODE_DEFAULTS.items():
            if node.get(k) == default:
                del node[k]
    # lone surrogates and control characters of string constants as \u escapes: the file
    # stays valid UTF-8 and reads back as the very string (flytec.model.safe_text)
    return escape_json_text(json.dumps(data, indent=2, sort_keys=False, ensure_ascii=False)
                            ) + "\n"


def validate_plan_text(text: str) -> pm.Plan:
    """Parse and validate a plan document (raises pydantic.ValidationError).

    Parsed by :mod:`json`, which reads a ``\\ud800`` escape back as the lone surrogate the
    code wrote (pydantic's own JSON parser refuses it)."""
    return pm.Plan.model_validate(json.loads(text))
