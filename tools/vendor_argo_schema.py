#!/usr/bin/env python3
"""Vendor the part of Argo Workflows' published JSON Schema that flytec's manifests use.

    python tools/vendor_argo_schema.py GIT_DIR [--ref HEAD]
    python tools/vendor_argo_schema.py --file schema.json --commit SHA

Reads ``api/jsonschema/schema.json`` of argoproj/argo-workflows (from a git directory, e.g. a
bare clone, or from a file), keeps the definitions reachable from the kinds flytec writes
(``Workflow`` and ``WorkflowTemplate``), drops the ``description`` texts (about half the
size; validation never reads them) and writes
``flytec/codegen/k8s/schemas/argo-workflows.schema.json`` with the source commit in its
``$comment``. Everything else is Argo's schema unchanged (Apache-2.0, see the README next to
the file). Only the standard library is used.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "flytec" / "codegen" / "k8s" / "schemas" / "argo-workflows.schema.json"
SOURCE = "api/jsonschema/schema.json"
PREFIX = "io.argoproj.workflow.v1alpha1."
ROOTS = ("Workflow", "WorkflowTemplate")


def _refs(node: Any) -> list[str]:
    out: list[str] = []
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str):
                out.append(v.removeprefix("#/definitions/"))
            else:
                out += _refs(v)
    elif isinstance(node, list):
        for v in node:
            out += _refs(v)
    return out


def reachable(definitions: dict[str, Any], roots: list[str]) -> list[str]:
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        if name not in definitions:
            raise SystemExit(f"{SOURCE}: $ref to a missing definition {name!r}")
        seen.add(name)
        todo += _refs(definitions[name])
    return sorted(seen)


def strip_descriptions(node: Any, in_properties: bool = False) -> Any:
    """The schema without its ``description`` texts (a property *named* description stays)."""
    if isinstance(node, dict):
        return {k: strip_descriptions(v, k == "properties" and not in_properties)
                for k, v in node.items()
                if in_properties or not (k == "description" and isinstance(v, str))}
    if isinstance(node, list):
        return [strip_descriptions(v) for v in node]
    return node


def vendor(upstream: dict[str, Any], commit: str) -> dict[str, Any]:
    definitions = upstream["definitions"]
    keep = reachable(definitions, [PREFIX + r for r in ROOTS])
    return {
        "$schema": upstream["$schema"],
        "$comment": (f"argoproj/argo-workflows {SOURCE} at commit {commit} (Apache-2.0): the "
                     f"definitions reachable from {', '.join(ROOTS)}, without descriptions; "
                     "made by tools/vendor_argo_schema.py"),
        "oneOf": [{"$ref": f"#/definitions/{PREFIX}{r}"} for r in ROOTS],
        "type": "object",
        "definitions": {k: strip_descriptions(definitions[k]) for k in keep},
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("git_dir", nargs="?", help="a git directory of argoproj/argo-workflows")
    ap.add_argument("--ref", default="HEAD")
    ap.add_argument("--file", help="schema.json read from a file instead")
    ap.add_argument("--commit", help="with --file: the commit it comes from")
    ap.add_argument("-o", "--output", default=str(OUT))
    args = ap.parse_args()
    if args.file:
        if not args.commit:
            ap.error("--file needs --commit")
        text, commit = Path(args.file).read_text(encoding="utf-8"), args.commit
    elif args.git_dir:
        git = ["git", f"--git-dir={args.git_dir}"]
        commit = subprocess.run([*git, "rev-parse", args.ref], capture_output=True, text=True,
                                check=True).stdout.strip()
        text = subprocess.run([*git, "show", f"{commit}:{SOURCE}"], capture_output=True,
                              text=True, check=True).stdout
    else:
        ap.error("give a git directory or --file")
    out = vendor(json.loads(text), commit)
    data = json.dumps(out, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(data, encoding="utf-8")
    print(f"{args.output}: {len(out['definitions'])} of {len(json.loads(text)['definitions'])} "
          f"definitions, {len(data.encode())} bytes (upstream {len(text.encode())} bytes), "
          f"commit {commit}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
