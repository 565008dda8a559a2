"""Executes an emitted Argo Workflow the way Argo would, with local processes for pods.

Covers what flytec emits: DAG templates (tasks in dependency order, ``depends`` with
``.Succeeded/.Failed/.Skipped/.Omitted``, ``when`` with quoted string comparisons,
``withParam`` expansion and aggregation of the items' output parameters into a JSON list as
Argo does, nested DAG templates, ``continueOn``), container templates (``command + args``
run as a subprocess with ``/flytec/...`` mapped into a temporary directory, output parameters
read from ``valueFrom.path``, ``retryStrategy.limit`` attempts), and parameter substitution
(``{{inputs.parameters.x}}``, ``{{workflow.parameters.x}}``, ``{{tasks.A.outputs.parameters.p}}``,
``{{item}}``, and ``{{=...}}`` expressions of the form flytec emits). Memoization is not
simulated (every step runs).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TERMINAL = {"Succeeded", "Failed", "Skipped", "Omitted", "Errored"}
_REF = re.compile(r"\{\{(=?)(.*?)\}\}", re.S)


class ArgoFailure(Exception):
    pass


class Env(dict):  # type: ignore[type-arg]
    """expr-lang's view of the scope: ``tasks['a'].outputs.parameters['p']``."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise ArgoFailure(f"cannot fetch {name}") from None


@dataclass
class NodeResult:
    phase: str
    outputs: dict[str, str] = field(default_factory=dict)
    log: str = ""


def go_json(value: Any) -> str:
    """JSON as Go's encoding/json writes a decoded interface{}: compact, sorted keys."""

    def norm(v: Any) -> Any:
        if isinstance(v, float) and v.is_integer() and abs(v) < 1e21:
            return int(v)
        if isinstance(v, dict):
            return {k: norm(x) for k, x in v.items()}
        if isinstance(v, list):
            return [norm(x) for x in v]
        return v

    return json.dumps(norm(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def item_text(item: Any) -> str:
    """``{{item}}``: strings as they are, anything else as JSON."""
    return item if isinstance(item, str) else go_json(item)


class Harness:
    """Runs one Workflow (with its ConfigMap) in ``workdir``; pods run in ``project_root``."""

    def __init__(self, objects: list[dict[str, Any]], workdir: Path, project_root: Path) -> None:
        self.workdir = workdir
        self.root = project_root
        self.workflow = next(o for o in objects if o["kind"] in ("Workflow", "WorkflowTemplate"))
        self.templates = {t["name"]: t for t in self.workflow["spec"]["templates"]}
        self.plan_dir = workdir / "plan"
        self.plan_dir.mkdir(parents=True, exist_ok=True)
        for o in objects:
            if o["kind"] == "ConfigMap":
                for key, text in o["data"].items():
                    (self.plan_dir / key).write_text(text)
        self.steps_run: list[str] = []
        self._pods = 0

    # ------------------------------------------------------------------ substitution
    def substitute(self, text: str, scope: dict[str, Any]) -> str:
        def repl(m: re.Match[str]) -> str:
            expr, body = m.group(1), m.group(2).strip()
            if expr:
                return self.expression(body, scope)
            if body not in scope["flat"]:
                raise ArgoFailure(f"failed to resolve {{{{{body}}}}}")
            return str(scope["flat"][body])

        return _REF.sub(repl, text)

    def expression(self, body: str, scope: dict[str, Any]) -> str:
        """``(cond && cond) ? X : 'null'`` over ``tasks[...]`` (expr-lang, lazily evaluated)."""
        m = re.fullmatch(r"\((.*)\) \? (.*) : (.*)", body, re.S)
        if m is None:
            raise ArgoFailure(f"unsupported expression {body!r}")
        env = {"tasks": Env({k: Env(outputs=Env(parameters=Env(v["outputs"]["parameters"])))
                             for k, v in scope["tasks"].items()})}
        cond = m.group(1).replace("&&", " and ").replace("||", " or ")
        chosen = m.group(2) if eval(cond, {"__builtins__": {}}, env) else m.group(3)
        return str(eval(chosen, {"__builtins__": {}}, env))

    # ------------------------------------------------------------------ conditions
    @staticmethod
    def depends_ok(expr: str, phases: dict[str, str]) -> bool:
        def term(m: re.Match[str]) -> str:
            name, result = m.group(1), m.group(2)
            phase = phases[name]
            if result is None:
                ok = phase in ("Succeeded", "Skipped", "Daemoned")
            else:
                ok = phase == result
            return " True " if ok else " False "

        py = re.sub(r"([a-zA-Z][-a-zA-Z0-9]*)(?:\.(Succeeded|Failed|Skipped|Omitted|Errored))?",
                    term, expr)
        py = py.replace("&&", " and ").replace("||", " or ").replace("!", " not ")
        return bool(eval(py, {"__builtins__": {}}, {}))

    @staticmethod
    def depends_names(expr: str | None) -> list[str]:
        if not expr:
            return []
        names = re.findall(r"([a-zA-Z][-a-zA-Z0-9]*)(?:\.[A-Z][a-z]+)?", expr)
        return [n for n in names if n not in ("Succeeded", "Failed", "Skipped", "Omitted")]

    @staticmethod
    def when_ok(text: str) -> bool:
        tokens = re.findall(r"'(?:[^'\\]|\\.)*'|==|!=|&&|\|\||\(|\)|true|false|\S+", text)
        py: list[str] = []
        for t in tokens:
            if t.startswith("'"):
                py.append(repr(t[1:-1]))
            elif t in ("==", "!=", "(", ")"):
                py.append(t)
            elif t == "&&":
                py.append("and")
            elif t == "||":
                py.append("or")
            elif t in ("true", "false"):
                py.append(t.capitalize())
            else:
                raise ArgoFailure(f"unsupported token {t!r} in when {text!r}")
        return bool(eval(" ".join(py), {"__builtins__": {}}, {}))

    # ------------------------------------------------------------------ running
    def run(self, parameters: dict[str, str]) -> dict[str, str]:
        spec = self.workflow["spec"]
        params: dict[str, str] = {}
        for p in spec.get("arguments", {}).get("parameters", []):
            if p["name"] in parameters:
                params[p["name"]] = parameters[p["name"]]
            elif "value" in p:
                params[p["name"]] = p["value"]
            else:
                raise ArgoFailure(f"parameter {p['name']} is required")
        self.global_params = params
        result = self.template(spec["entrypoint"], {})
        if result.phase != "Succeeded":
            raise ArgoFailure(f"workflow {result.phase}: {result.log}")
        return result.outputs

    def base_scope(self, inputs: dict[str, str]) -> dict[str, Any]:
        flat: dict[str, Any] = {
            f"workflow.parameters.{k}": v for k, v in self.global_params.items()}
        flat.update({f"inputs.parameters.{k}": v for k, v in inputs.items()})
        return {"flat": flat, "tasks": {}}

    def template(self, name: str, inputs: dict[str, str]) -> NodeResult:
        t = self.templates[name]
        declared = {p["name"]: p for p in t.get("inputs", {}).get("parameters", [])}
        for p, decl in declared.items():
            if p not in inputs:
                if "value" not in decl:
                    raise ArgoFailure(f"template {name}: input {p} not supplied")
                inputs[p] = decl["value"]
        if "dag" in t:
            return self.dag(t, inputs)
        return self.container(t, inputs)

    def dag(self, t: dict[str, Any], inputs: dict[str, str]) -> NodeResult:
        tasks = {x["name"]: x for x in t["dag"]["tasks"]}
        phases: dict[str, str] = {}
        scope = self.base_scope(inputs)
        pending = list(tasks)
        while pending:
            ready = [n for n in pending
                     if all(d in phases for d in self.depends_names(tasks[n].get("depends")))]
            if not ready:
                raise ArgoFailure(f"DAG {t['name']}: deadlock or unknown dependency {pending}")
            for n in ready:
                pending.remove(n)
                task = tasks[n]
                result = self.dag_task(task, phases, scope)
                phases[n] = result.phase
                if result.phase in ("Failed", "Errored"):
                    cont = task.get("continueOn", {})
                    if not cont.get("failed"):
                        return NodeResult("Failed", log=f"{n}: {result.log}")
                if result.phase == "Succeeded":
                    scope["tasks"][n] = {"outputs": {"parameters": result.outputs}}
                    for k, v in result.outputs.items():
                        scope["flat"][f"tasks.{n}.outputs.parameters.{k}"] = v
        outputs: dict[str, str] = {}
        for o in t.get("outputs", {}).get("parameters", []):
            outputs[o["name"]] = self.substitute(o["valueFrom"]["parameter"], scope)
        return NodeResult("Succeeded", outputs)

    def dag_task(self, task: dict[str, Any], phases: dict[str, str],
                 scope: dict[str, Any]) -> NodeResult:
        if task.get("depends") and not self.depends_ok(task["depends"], phases):
            return NodeResult("Omitted")
        if task.get("when") and not self.when_ok(self.substitute(task["when"], scope)):
            return NodeResult("Skipped")
        args = task.get("arguments", {}).get("parameters", [])
        if "withParam" not in task:
            values = {a["name"]: self.substitute(a["value"], scope) for a in args}
            return self.template(task["template"], values)
        items = json.loads(self.substitute(task["withParam"], scope))
        if not isinstance(items, list):
            raise ArgoFailure(f"withParam of {task['name']} is not a JSON list")
        if not items:
            return NodeResult("Skipped")
        collected: dict[str, list[str]] = {}
        for item in items:
            item_scope = {"flat": dict(scope["flat"]), "tasks": scope["tasks"]}
            item_scope["flat"]["item"] = item_text(item)
            values = {a["name"]: self.substitute(a["value"], item_scope) for a in args}
            r = self.template(task["template"], values)
            if r.phase != "Succeeded":
                return NodeResult(r.phase, log=r.log)
            for k, v in r.outputs.items():
                collected.setdefault(k, []).append(v)
        aggregated: dict[str, str] = {}
        for k, vals in collected.items():
            decoded: list[Any] = []
            for v in vals:
                try:
                    decoded.append(json.loads(v))
                except ValueError:
                    decoded.append(v)
            aggregated[k] = go_json(decoded)
        return NodeResult("Succeeded", aggregated)

    def container(self, t: dict[str, Any], inputs: dict[str, str]) -> NodeResult:
        scope = self.base_scope(inputs)
        c = t["container"]
        self._pods += 1
        out_dir = self.workdir / f"pod{self._pods}" / "outputs"
        out_dir.mkdir(parents=True)

        def local(text: str) -> str:
            text = self.substitute(text, scope)
            text = text.replace("/flytec/plan", str(self.plan_dir))
            return text.replace("/flytec/outputs", str(out_dir))

        command = [local(x) for x in [*c.get("command", []), *c.get("args", [])]]
        if command[:2] == ["flytec", "worker"]:
            exe = shutil.which("flytec", path=str(Path(sys.executable).parent))
            command = [exe, *command[1:]] if exe else [sys.executable, "-m",
                                                       "flytec.runtime.worker", *command[2:]]
        limit = int(t.get("retryStrategy", {}).get("limit", 0))
        log = ""
        for _attempt in range(limit + 1):
            proc = subprocess.run(command, cwd=self.root, capture_output=True, text=True,
                                  timeout=300)
            log = (proc.stderr or "").strip()
            if proc.returncode == 0:
                break
        else:
            return NodeResult("Failed", log=log)
        self.steps_run.append(t["name"])
        outputs: dict[str, str] = {}
        for o in t.get("outputs", {}).get("parameters", []):
            path = Path(local(o["valueFrom"]["path"]))
            if not path.is_file():
                return NodeResult("Errored", log=f"output {o['name']} missing: {path}")
            outputs[o["name"]] = path.read_text()
        return NodeResult("Succeeded", outputs, log)
