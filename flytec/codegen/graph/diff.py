"""``flytec graph --diff REV``: what changed against a git revision, as a picture.

The revision's files are exported with ``git archive`` into a temporary directory and
compiled exactly like the working tree (nothing is imported or run). Tasks are matched by
``env.function``; a task is *changed* when its code hash or its workflow differs.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from flytec.codegen.graph.view import VEdge, View, VNode
from flytec.model import plan as pm


class DiffError(Exception):
    """The revision cannot be read (not a git repository, unknown revision...)."""


def git_root(path: Path) -> Path:
    try:
        out = subprocess.run(["git", "-C", str(path), "rev-parse", "--show-toplevel"],
                             capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise DiffError(f"cannot run git: {e}") from e
    if out.returncode != 0:
        raise DiffError(f"{path} is not inside a git repository")
    return Path(out.stdout.strip())


def resolve_revision(repo: Path, rev: str) -> str:
    """The commit id ``rev`` names. A revision is never handed to git where it could be read
    as an option: one that starts with ``-`` is refused, and the rest come after
    ``--end-of-options``; only the resolved 40-hex id reaches other git commands."""
    if not rev or rev.startswith("-") or any(c in rev for c in "\0\n\r"):
        raise DiffError(f"`{rev}` is not a git revision (a branch, tag or commit id)")
    try:
        out = subprocess.run(
            ["git", "-C", str(repo), "rev-parse", "--verify", "--quiet", "--end-of-options",
             f"{rev}^{{commit}}"],
            capture_output=True, text=True, timeout=60, check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        raise DiffError(f"cannot run git: {e}") from e
    commit = out.stdout.strip()
    if out.returncode != 0 or not re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", commit):
        raise DiffError(f"cannot read revision `{rev}`: no such commit in {repo}")
    return commit


def export_revision(repo: Path, rev: str, dest: Path) -> None:
    """Write the files of ``rev`` under ``dest``."""
    commit = resolve_revision(repo, rev)
    try:
        out = subprocess.run(["git", "-C", str(repo), "archive", "--format=tar", commit, "--"],
                             capture_output=True, timeout=300, check=False)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise DiffError(f"cannot run git: {e}") from e
    if out.returncode != 0:
        msg = out.stderr.decode(errors="replace").strip().splitlines()
        raise DiffError(f"cannot read revision `{rev}`: {msg[-1] if msg else 'git failed'}")
    with tarfile.open(fileobj=io.BytesIO(out.stdout)) as tar:
        for member in tar.getmembers():
            if member.isfile() and not member.name.startswith(("/", "..")) and (
                ".." not in Path(member.name).parts
            ):
                target = dest / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                f = tar.extractfile(member)
                if f is not None:
                    target.write_bytes(f.read())


@dataclass
class TaskChange:
    fqn: str
    status: str  # "added" | "removed" | "changed" | "unchanged"
    old: pm.Plan | None = None
    new: pm.Plan | None = None
    details: list[str] = field(default_factory=list)


def _node_sig(n: pm.Node) -> str:
    d = n.model_dump(mode="json", by_alias=True, exclude_none=True)
    d.pop("line", None)
    d.pop("column", None)
    return json.dumps(d, sort_keys=True)


def compare(old: list[pm.Plan], new: list[pm.Plan]) -> list[TaskChange]:
    a = {p.task: p for p in old}
    b = {p.task: p for p in new}
    out: list[TaskChange] = []
    for fqn in sorted(set(a) | set(b)):
        if fqn not in a:
            out.append(TaskChange(fqn, "added", None, b[fqn]))
        elif fqn not in b:
            out.append(TaskChange(fqn, "removed", a[fqn], None))
        else:
            pa, pb = a[fqn], b[fqn]
            details: list[str] = []
            if pa.source.code_hash != pb.source.code_hash:
                details.append("code")
            if [_node_sig(n) for n in pa.nodes] != [_node_sig(n) for n in pb.nodes]:
                details.append("workflow")
            if pa.environment != pb.environment:
                details.append("environment")
            if pa.static != pb.static:
                details.append("static" if pb.static else "dynamic")
            out.append(TaskChange(fqn, "changed" if details else "unchanged", pa, pb, details))
    return out


def diff_workflow_view(old: View, new: View) -> View:
    """The union of two views of one task, each node and edge marked with its status: an
    edge is ``changed`` when only its label differs."""
    out = View(title=new.title, dynamic=new.dynamic, notes=list(new.notes))
    out.clusters = dict(old.clusters)
    out.clusters.update(new.clusters)
    old_nodes = {n.id: n for n in old.nodes}
    new_ids = {n.id for n in new.nodes}
    for n in new.nodes:
        o = old_nodes.get(n.id)
        status = "added" if o is None else (
            "changed" if (o.lines, o.kind, o.stacked, o.cluster) != (n.lines, n.kind, n.stacked,
                                                                  n.cluster) else None)
        out.nodes.append(VNode(n.id, n.kind, n.lines, n.cluster, n.group, n.stacked,
                               n.dynamic, status, n.tooltip))
    for n in old.nodes:
        if n.id not in new_ids:
            out.nodes.append(VNode(n.id, n.kind, n.lines, n.cluster, n.group, n.stacked,
                                   n.dynamic, "removed", n.tooltip))
    old_labels: dict[tuple[str, str, str], set[str]] = {}
    for e in old.edges:
        old_labels.setdefault((e.source, e.target, e.kind), set()).add(e.label)
    new_edges = {(e.source, e.target, e.kind) for e in new.edges}
    for e in new.edges:  # an edge is changed when its label is (the glue it went through)
        labels = old_labels.get((e.source, e.target, e.kind))
        status = "added" if labels is None else None if e.label in labels else "changed"
        out.edges.append(VEdge(e.source, e.target, e.kind, e.label, status))
    for e in old.edges:
        if (e.source, e.target, e.kind) not in new_edges:
            out.edges.append(VEdge(e.source, e.target, e.kind, e.label, "removed"))
    return out


def diff_callgraph_view(old: View, new: View, changes: list[TaskChange], rev: str) -> View:
    view = diff_workflow_view(old, new)
    by_fqn = {c.fqn: c for c in changes}
    counts = {"added": 0, "removed": 0, "changed": 0}
    for n in view.nodes:
        fqn = n.lines[0] if n.lines else ""
        c = by_fqn.get(fqn)
        if c is not None and c.status in counts:
            if n.status is None or c.status == "changed":
                n.status = c.status
            if c.details:
                n.lines = [*n.lines, "changed: " + ", ".join(c.details)]
        elif n.status == "changed":
            n.status = None
    for c in changes:
        if c.status in counts:
            counts[c.status] += 1
    view.title = (f"changes since {rev}: {counts['added']} added, {counts['removed']} removed, "
                  f"{counts['changed']} changed tasks")
    return view


def export_to_temp(repo: Path, rev: str) -> tempfile.TemporaryDirectory[str]:
    tmp = tempfile.TemporaryDirectory(prefix="flytec-diff-")
    try:
        export_revision(repo, rev, Path(tmp.name))
    except Exception:
        tmp.cleanup()
        raise
    return tmp
