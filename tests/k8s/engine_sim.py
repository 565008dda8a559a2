"""Small simulators of the two engines that rewrite manifest strings, from their rules.

**Argo** (util/template in argo-workflows, docs/variables.md): a template is marshalled to
JSON and scanned by fasttemplate with ``{{`` and ``}}``: a tag is the text from a ``{{`` to
the next ``}}`` (a ``{{`` without one fails the template); ``{{=expr}}`` is an expression
(its JSON escapes undone, then evaluated);
any other tag is looked up by its trimmed name and, when found, inserted quoted for JSON
(``strconv.Quote`` without its quotes), else written back (``allowUnresolved``) or an error.
``SubstituteParams`` makes two passes over a container template: globals (and locals such
as ``pod.name``) over the whole template, its input values included, then the template's
inputs. The spec's own fields (``spec.arguments``...) get the globals
(``substituteGlobalVariables``); DAG task arguments get the DAG's scope.

**The kubelet** (third_party/forked/golang/expansion): in ``command``, ``args`` and
``env[].value``, ``$$`` becomes ``$``, ``$(NAME)`` becomes the variable's value when NAME
is declared (the container's env before it, and service variables), and stays as written
otherwise; a ``$`` before anything else is kept. ``valueFrom`` values are not expanded.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from typing import Any


class ArgoError(Exception):
    pass


def _quote(value: str) -> str:
    """Go's strconv.Quote without the quotes (valid inside a JSON string)."""
    return json.dumps(value, ensure_ascii=False)[1:-1]


def argo_replace(text: str, scope: dict[str, str], allow_unresolved: bool = True) -> str:
    """One fasttemplate pass of Argo's substitution over JSON ``text``."""
    out: list[str] = []
    pos = 0
    while True:
        start = text.find("{{", pos)
        if start < 0:
            out.append(text[pos:])
            break
        end = text.find("}}", start + 2)
        if end < 0:
            raise ArgoError(f"cannot find end tag in {text[start:start + 40]!r}")
        out.append(text[pos:start])
        tag = text[start + 2:end]
        pos = end + 2
        if tag.startswith("="):
            out.append(_expression(tag[1:], scope, allow_unresolved))
        elif tag.strip() in scope:
            out.append(_quote(scope[tag.strip()]))
        elif allow_unresolved:
            out.append("{{" + tag + "}}")
        else:
            raise ArgoError(f"failed to resolve {{{{{tag}}}}}")
    return "".join(out)


class _Obj(dict):  # type: ignore[type-arg]
    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise NameError(name) from None


def _nest(scope: dict[str, str]) -> _Obj:
    """``inputs.parameters.x`` keys as nested objects (expr-lang's view of the scope)."""
    root = _Obj()
    for key, value in scope.items():
        cur = root
        parts = key.split(".")
        for p in parts[:-1]:
            cur = cur.setdefault(p, _Obj())
            if not isinstance(cur, _Obj):
                break
        else:
            cur[parts[-1]] = value
    return root


def _expression(body: str, scope: dict[str, str], allow_unresolved: bool) -> str:
    """An expression tag, evaluated like expr-lang over the scope (``inputs.parameters['x']``,
    ``tasks['a'].outputs.parameters['p']``, string literals, ``+``, ``(c) ? a : b``,
    ``sprig.sha256sum`` and ``sprig.env``); one that cannot be evaluated yet (a name not in
    scope) is written back, as Argo does when unresolved tags are allowed."""
    tag = "{{=" + body + "}}"
    try:  # undo the JSON escapes of the marshalled template (the worst case: it works)
        expr = json.loads(f'"{body}"')
    except ValueError:
        return tag  # Argo leaves it unresolved
    env = _nest(scope)
    env["sprig"] = _Obj(sha256sum=lambda s: hashlib.sha256(s.encode()).hexdigest(),
                        env=lambda name: f"<env {name}>")
    py = expr.replace("&&", " and ").replace("||", " or ")
    m = re.fullmatch(r"\((.*)\) \? (.*) : (.*)", py, re.S)
    if m is not None:
        py = f"({m.group(2)}) if ({m.group(1)}) else ({m.group(3)})"
    try:
        return _quote(str(eval(py, {"__builtins__": {}}, env)))
    except (NameError, KeyError):
        if allow_unresolved:
            return tag
        raise ArgoError(f"cannot evaluate {expr!r}") from None
    except Exception as e:
        raise ArgoError(f"bad expression {expr!r}: {e}") from None


def substitute_json(obj: Any, scope: dict[str, str], allow_unresolved: bool = True) -> Any:
    """``obj`` marshalled to JSON (as Go does: no ASCII escaping), substituted, decoded."""
    text = json.dumps(obj, ensure_ascii=False)
    return json.loads(argo_replace(text, scope, allow_unresolved))


def run_container_template(template: dict[str, Any], arguments: dict[str, str],
                           globals_: dict[str, str]) -> dict[str, Any]:
    """``ProcessArgs`` + ``SubstituteParams``: the template as its pod is created from it
    (``container``, ``memoize`` with its key evaluated...)."""
    t = json.loads(json.dumps(template))
    for p in (t.get("inputs") or {}).get("parameters", []):
        if p["name"] in arguments:
            p["value"] = arguments[p["name"]]
    local = {**globals_, "pod.name": "wf-x1-pod-1"}
    t = substitute_json(t, local)
    inputs = {f"inputs.parameters.{p['name']}": p["value"]
              for p in (t.get("inputs") or {}).get("parameters", []) if "value" in p}
    return dict(substitute_json(t, inputs))


def workflow_globals(workflow: dict[str, Any], submitted: dict[str, str] | None = None
                     ) -> tuple[dict[str, str], dict[str, Any]]:
    """The global scope of a run and the spec after ``substituteGlobalVariables``."""
    spec = workflow["spec"]
    globals_: dict[str, str] = {"workflow.name": "wf-x1", "workflow.namespace": "argo",
                                "workflow.uid": "0000-1111", "workflow.serviceAccountName":
                                "default"}
    for p in (spec.get("arguments") or {}).get("parameters", []):
        value = (submitted or {}).get(p["name"], p.get("value"))
        if value is not None:
            globals_[f"workflow.parameters.{p['name']}"] = value
    rest = {k: v for k, v in spec.items() if k != "templates"}
    spec_after = substitute_json(rest, globals_)
    for p in (spec_after.get("arguments") or {}).get("parameters", []):
        if "value" in p:
            globals_[f"workflow.parameters.{p['name']}"] = p["value"]
    return globals_, spec_after


# ----------------------------------------------------------------------------- kubelet

#: service variables the kubelet also offers (the worst case: they are defined)
SERVICE_VARS = {"HOME": "/from-kubelet", "X": "x-from-kubelet",
                "KUBERNETES_SERVICE_HOST": "10.0.0.1"}


def kubelet_expand(text: str, mapping: Callable[[str], str | None]) -> str:
    """``$(NAME)``, ``$$`` and lone ``$`` as the kubelet's expansion treats them."""
    out: list[str] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c != "$" or i + 1 >= len(text):
            out.append(c)
            i += 1
            continue
        nxt = text[i + 1]
        if nxt == "$":
            out.append("$")
            i += 2
        elif nxt == "(":
            close = text.find(")", i + 2)
            if close < 0:
                out.append("$(")
                i += 2
            else:
                name = text[i + 2:close]
                value = mapping(name)
                out.append(value if value is not None else f"$({name})")
                i = close + 1
        else:
            out.append("$" + nxt)
            i += 2
    return "".join(out)


def container_view(container: dict[str, Any], config_maps: dict[str, dict[str, str]]
                   ) -> tuple[list[str], dict[str, str]]:
    """The argv and environment a process in the container gets."""
    env: dict[str, str] = {}

    def mapping(name: str) -> str | None:
        return env.get(name, SERVICE_VARS.get(name))

    for e in container.get("env", []):
        if "value" in e:
            env[e["name"]] = kubelet_expand(e["value"], mapping)
        elif "configMapKeyRef" in e.get("valueFrom", {}):
            ref = e["valueFrom"]["configMapKeyRef"]
            env[e["name"]] = config_maps[ref["name"]][ref["key"]]
        else:
            env[e["name"]] = "<secret>"
    argv = [kubelet_expand(a, mapping)
            for a in [*container.get("command", []), *container.get("args", [])]]
    return argv, env


def worker_pairs(argv: list[str], flag: str) -> dict[str, str]:
    """``--input NAME=VALUE`` (or ``--value``) pairs of a worker command line."""
    out: dict[str, str] = {}
    for i, a in enumerate(argv[:-1]):
        if a == flag:
            name, _, value = argv[i + 1].partition("=")
            out[name] = value
    return out
