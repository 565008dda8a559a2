"""Executes an emitted Argo Workflow the way Argo would, with local processes for pods.

Covers what flytec emits: DAG templates (tasks in dependency order, ``depends`` with
``.Succeeded/.Failed/.Skipped/.Omitted``, ``when`` with quoted string comparisons,
``withParam`` expansion and aggregation of the items' output parameters into a JSON list as
Argo does, nested DAG templates, ``continueOn``), container templates (``command + args``
run as a subprocess with ``/flytec/...`` mapped into a directory of its own, output parameters
read from ``valueFrom.path``, ``retryStrategy.limit`` attempts), and parameter substitution
(``{{inputs.parameters.x}}``, ``{{workflow.parameters.x}}``, ``{{tasks.A.outputs.parameters.p}}``,
``{{item}}``, and ``{{=...}}`` expressions of the form flytec emits). Memoization is not
simulated (every step runs).

Artifacts as Argo passes them: a container's output artifact (``path``) is copied into a
repository directory when the pod wrote it (``optional: true``: no error when it did not);
``arguments.artifacts[].from`` (``{{tasks.A.outputs.artifacts.a}}``,
``{{inputs.artifacts.a}}``) hands it to the next template, and a container's input artifact is
copied to its ``path`` before the pod starts. An optional artifact that cannot be resolved (not
written, a skipped step, a ``withParam`` task, whose artifacts Argo does not aggregate) is left
out. Each pod runs with its own ``TMPDIR``, deleted when it ends, so a file that is not passed as
an artifact is gone for the next pod, as on a cluster.
"""

from __future__ import annotations

import json
import os
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
    #: output artifacts: name -> the copy in the repository directory
    artifacts: dict[str, Path] = field(default_factory=dict)


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

    def __init__(self, objects: list[dict[str, Any]], workdir: Path, project_root: Path,
                 env: dict[str, str] | None = None) -> None:
        self.workdir = workdir
        self.root = project_root
        self.env = {**os.environ, **(env or {})}
        self.repository = workdir / "repository"  # where "uploaded" artifacts are kept
        self.artifacts_passed: list[tuple[str, str]] = []  # (template, input artifact)
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
        self.last = self.template(spec["entrypoint"], {}, {})
        if self.last.phase != "Succeeded":
            raise ArgoFailure(f"workflow {self.last.phase}: {self.last.log}")
        return self.last.outputs

    def values(self) -> dict[str, str]:
        """The workflow's outputs after :meth:`run`, each output parameter that is an artifact
        marker replaced by the value in the entry template's artifact (as a user would fetch
        it with ``argo get`` and the artifact repository)."""
        from flytec.runtime import artifacts

        out: dict[str, str] = {}
        for name, text in self.last.outputs.items():
            if artifacts.marker(text) is None:
                out[name] = text
            elif name not in self.last.artifacts:
                raise ArgoFailure(f"output {name} is an artifact marker, but there is no artifact")
            else:
                out[name] = artifacts.load(self.last.artifacts[name], name)
        return out

    def base_scope(self, inputs: dict[str, str], artifacts: dict[str, Path]) -> dict[str, Any]:
        flat: dict[str, Any] = {
            f"workflow.parameters.{k}": v for k, v in self.global_params.items()}
        flat.update({f"inputs.parameters.{k}": v for k, v in inputs.items()})
        arts = {f"inputs.artifacts.{k}": v for k, v in artifacts.items()}
        return {"flat": flat, "tasks": {}, "artifacts": arts}

    def template(self, name: str, inputs: dict[str, str],
                 artifacts: dict[str, Path]) -> NodeResult:
        t = self.templates[name]
        declared = {p["name"]: p for p in t.get("inputs", {}).get("parameters", [])}
        for p, decl in declared.items():
            if p not in inputs:
                if "value" not in decl:
                    raise ArgoFailure(f"template {name}: input {p} not supplied")
                inputs[p] = decl["value"]
        for a in t.get("inputs", {}).get("artifacts", []):
            if a["name"] not in artifacts and not a.get("optional"):
                raise ArgoFailure(f"template {name}: input artifact {a['name']} not supplied")
        if "dag" in t:
            return self.dag(t, inputs, artifacts)
        return self.container(t, inputs, artifacts)

    def resolve_artifacts(self, refs: list[dict[str, Any]], scope: dict[str, Any]
                          ) -> dict[str, Path] | str:
        """``from`` references to artifacts; an error message when a required one is missing."""
        out: dict[str, Path] = {}
        for a in refs:
            key = a["from"].strip()
            if not (key.startswith("{{") and key.endswith("}}")):
                return f"artifact {a['name']}: unsupported from {key!r}"
            found = scope["artifacts"].get(key[2:-2].strip())
            if found is not None:
                out[a["name"]] = found
            elif not a.get("optional"):
                return f"artifact {a['name']}: unable to resolve {key}"
        return out

    def dag(self, t: dict[str, Any], inputs: dict[str, str],
            artifacts: dict[str, Path]) -> NodeResult:
        tasks = {x["name"]: x for x in t["dag"]["tasks"]}
        phases: dict[str, str] = {}
        scope = self.base_scope(inputs, artifacts)
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
                    for k, path in result.artifacts.items():
                        scope["artifacts"][f"tasks.{n}.outputs.artifacts.{k}"] = path
        outputs: dict[str, str] = {}
        for o in t.get("outputs", {}).get("parameters", []):
            outputs[o["name"]] = self.substitute(o["valueFrom"]["parameter"], scope)
        arts = self.resolve_artifacts(t.get("outputs", {}).get("artifacts", []), scope)
        if isinstance(arts, str):
            return NodeResult("Failed", log=f"{t['name']}: {arts}")
        return NodeResult("Succeeded", outputs, artifacts=arts)

    def dag_task(self, task: dict[str, Any], phases: dict[str, str],
                 scope: dict[str, Any]) -> NodeResult:
        if task.get("depends") and not self.depends_ok(task["depends"], phases):
            return NodeResult("Omitted")
        if task.get("when") and not self.when_ok(self.substitute(task["when"], scope)):
            return NodeResult("Skipped")
        args = task.get("arguments", {}).get("parameters", [])
        artifacts = self.resolve_artifacts(task.get("arguments", {}).get("artifacts", []), scope)
        if isinstance(artifacts, str):
            return NodeResult("Errored", log=f"{task['name']}: {artifacts}")
        if "withParam" not in task:
            values = {a["name"]: self.substitute(a["value"], scope) for a in args}
            return self.template(task["template"], values, artifacts)
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
            r = self.template(task["template"], values, dict(artifacts))
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

    def container(self, t: dict[str, Any], inputs: dict[str, str],
                  artifacts: dict[str, Path]) -> NodeResult:
        scope = self.base_scope(inputs, artifacts)
        c = t["container"]
        self._pods += 1
        pod = self.workdir / f"pod{self._pods}"
        out_dir, art_dir, tmp = pod / "outputs", pod / "artifacts", pod / "tmp"
        for d in (out_dir, art_dir, tmp):
            d.mkdir(parents=True)

        def local(text: str) -> str:
            text = self.substitute(text, scope)
            text = text.replace("/flytec/plan", str(self.plan_dir))
            text = text.replace("/flytec/artifacts", str(art_dir))
            return text.replace("/flytec/outputs", str(out_dir))

        for a in t.get("inputs", {}).get("artifacts", []):
            if a["name"] in artifacts:
                _copy(artifacts[a["name"]], Path(local(a["path"])))
                self.artifacts_passed.append((t["name"], a["name"]))
        try:
            return self.run_pod(t, c, local, pod, tmp)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)  # the pod is gone, and its files with it

    def run_pod(self, t: dict[str, Any], c: dict[str, Any], local: Any, pod: Path,
                tmp: Path) -> NodeResult:
        command = [local(x) for x in [*c.get("command", []), *c.get("args", [])]]
        if command[:2] == ["flytec", "worker"]:
            exe = shutil.which("flytec", path=str(Path(sys.executable).parent))
            command = [exe, *command[1:]] if exe else [sys.executable, "-m",
                                                       "flytec.runtime.worker", *command[2:]]
        limit = int(t.get("retryStrategy", {}).get("limit", 0))
        log = ""
        for _attempt in range(limit + 1):
            proc = subprocess.run(command, cwd=self.root, capture_output=True, text=True,
                                  timeout=300, env={**self.env, "TMPDIR": str(tmp)})
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
        stored: dict[str, Path] = {}
        for a in t.get("outputs", {}).get("artifacts", []):
            path = Path(local(a["path"]))
            if not path.exists():
                if a.get("optional"):
                    continue
                return NodeResult("Errored", log=f"output artifact {a['name']} missing: {path}")
            stored[a["name"]] = self.repository / pod.name / a["name"]
            _copy(path, stored[a["name"]])
        return NodeResult("Succeeded", outputs, log, stored)


def _copy(src: Path, dest: Path) -> None:
    """An artifact's upload or download: a file or a whole directory, as Argo's tarball."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if src.is_dir():
        shutil.copytree(src, dest)
    else:
        shutil.copyfile(src, dest)
