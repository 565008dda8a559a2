"""``flytec graph --diff REV -f markdown``: a pull-request comment.

One Markdown document: a Mermaid flowchart of each workflow whose graph changed (GitHub
draws them), with added, removed and changed nodes and edges styled apart and a legend, the
tasks that came and went, and a table of new and fixed ``flytec check`` findings. It starts
with the hidden :data:`MARKER` (the GitHub Action finds its previous comment by it), is the
same bytes for the same inputs, and stays under GitHub's comment limit: the workflows that do
not fit are listed by name with their counts, a diagram is never cut.
"""

from __future__ import annotations

import re

from flytec.codegen.graph.finding_diff import Finding
from flytec.codegen.graph.review import ReviewChanges, WorkflowChange
from flytec.codegen.graph.view import VEdge, View, VNode, printable_view, short
from flytec.model.safe_text import printable

MARKER = "<!-- flytec-graph-diff -->"
# GitHub refuses a comment longer than 65,536 characters; this leaves room to spare
COMMENT_LIMIT = 65_536
MAX_CHARS = 60_000
# Mermaid's own limit (maxTextSize): a longer diagram is drawn as an error; a diagram with
# more edges than GitHub's Mermaid takes (500) is listed too, not drawn with edges left out
MAX_DIAGRAM = 50_000
MAX_FINDINGS = 25  # rows of each kind (new, fixed) in the table
MAX_LISTED = 150  # workflows listed by name when not drawn
MAX_NAMES = 40  # tasks named per line


def to_markdown(changes: ReviewChanges, limit: int = MAX_CHARS) -> str:
    """The comment, at most ``limit`` characters long."""
    from flytec.codegen.graph.mermaid import edges_left_out, to_mermaid

    sections: list[tuple[WorkflowChange, str]] = []
    undrawable: list[WorkflowChange] = []
    for w in changes.workflows:
        diagram = to_mermaid(printable_view(w.view))
        if len(diagram) > MAX_DIAGRAM or edges_left_out(w.view):
            undrawable.append(w)
        else:
            sections.append((w, _section(w, diagram)))
    drawn = list(sections)
    while True:
        rest = [w for w in changes.workflows if all(w is not d for d, _ in drawn)]
        doc = _document(changes, [s for _, s in drawn], rest, undrawable)
        if len(doc) <= limit or not drawn:
            return doc
        drawn.pop()  # the last one drawn moves to the list of those not drawn


def _document(changes: ReviewChanges, drawn: list[str], rest: list[WorkflowChange],
              undrawable: list[WorkflowChange]) -> str:
    rev = _code(changes.rev)
    out = [MARKER, f"### flytec: workflow graphs, changes since {rev}", ""]
    out.append(_summary(changes))
    out.append("")
    if not changes.workflows:
        out += [f"No workflow changed since {rev} in {_code(changes.scope)}.", ""]
    if drawn:
        out += [_LEGEND_TEXT, "", "```mermaid", _legend(), "```", ""]
        out += drawn
    if rest:
        too_big = [w for w in rest if any(w is u for u in undrawable)]
        out.append("#### Not drawn here" if len(rest) == len(too_big) else
                   f"#### {len(rest)} more workflow{'s' if len(rest) != 1 else ''}, "
                   "not drawn (GitHub's limit on a comment's size)")
        out.append("")
        for w in rest[:MAX_LISTED]:
            why = " (too large for Mermaid)" if any(w is u for u in too_big) else ""
            out.append(f"- {_code(w.task)} {w.status}: {_counts(w)}{why}")
        if len(rest) > MAX_LISTED:
            out.append(f"- … and {len(rest) - MAX_LISTED} more")
        out += ["", _code(f"flytec graph PATH::TASK --diff {changes.rev} -f svg") + " draws one.",
                ""]
    if changes.tasks_added or changes.tasks_removed:
        out += ["#### Tasks without a workflow (they call no task)", ""]
        for label, names in (("added", changes.tasks_added), ("removed", changes.tasks_removed)):
            if names:
                shown = ", ".join(_code(n) for n in names[:MAX_NAMES])
                more = f" and {len(names) - MAX_NAMES} more" if len(names) > MAX_NAMES else ""
                out.append(f"- {label}: {shown}{more}")
        out.append("")
    if changes.new_findings or changes.fixed_findings:
        out += _findings_table(changes)
    command = _code(f"flytec graph {changes.scope} --diff {changes.rev} -f markdown")
    out.append(f"<sub>{command}: compiled from the source, nothing was imported or run.</sub>")
    return "\n".join(out) + "\n"


def _summary(changes: ReviewChanges) -> str:
    by_status = [f"{n} {s}" for s in ("changed", "added", "removed")
                 if (n := sum(1 for w in changes.workflows if w.status == s))]
    parts = ["workflows: " + (f"**{', '.join(by_status)}**" if by_status else "none changed")]
    tasks = [f"{len(v)} {k}" for k, v in (("added", changes.tasks_added),
                                           ("removed", changes.tasks_removed)) if v]
    if tasks:
        parts.append("other tasks: " + ", ".join(tasks))
    parts.append(f"findings: **{len(changes.new_findings)} new**, "
                 f"{len(changes.fixed_findings)} fixed")
    text = " · ".join(parts)
    return text[:1].upper() + text[1:]


_LEGEND_TEXT = ("Green: added · red, dashed: removed · orange: changed (a node's text, an "
                "edge's label: the code the value goes through). Unmarked nodes and edges are "
                "as they were.")


def _legend() -> str:
    from flytec.codegen.graph.mermaid import to_mermaid

    view = View(title="legend", rankdir="LR")
    view.nodes = [VNode("same", "task", ["task"]), VNode("added", "task", ["task"], status="added"),
                  VNode("changed", "task", ["task"], status="changed"),
                  VNode("removed", "task", ["task"], status="removed")]
    view.edges = [VEdge("same", "added", "data", "added edge", "added"),
                  VEdge("added", "changed", "data", "changed label", "changed"),
                  VEdge("changed", "removed", "data", "removed edge", "removed")]
    return to_mermaid(view).rstrip("\n")


def _section(w: WorkflowChange, diagram: str) -> str:
    was, now = w.dynamic
    flags = ""
    if w.status == "changed" and was != now:
        flags = " · now dynamic" if now else " · now static"
    elif now or (w.status == "removed" and was):
        flags = " · dynamic"
    head = f"#### {_code(w.task)} {w.status}"
    sub = f"{_code(w.location)} · {_counts(w)}{flags}" if w.location else _counts(w) + flags
    return "\n".join([head, "", sub, "", "```mermaid", diagram.rstrip("\n"), "```", ""])


def _counts(w: WorkflowChange) -> str:
    def part(what: str, counts: dict[str, int]) -> str:
        bits = [f"{v} {k}" for k, v in counts.items() if v]
        return f"{what}: " + (", ".join(bits) if bits else "none changed")

    return part("nodes", w.counts.nodes) + "; " + part("edges", w.counts.edges)


def _findings_table(changes: ReviewChanges) -> list[str]:
    out = ["#### Findings (`flytec check`)", "", "| | rule | where | message |",
           "|---|---|---|---|"]
    left: list[str] = []
    for label, items, at in (("new", changes.new_findings, ""),
                             ("fixed", changes.fixed_findings, f" at {changes.rev}")):
        for f in items[:MAX_FINDINGS]:
            out.append(_row(label, f, at))
        if len(items) > MAX_FINDINGS:
            left.append(f"{len(items) - MAX_FINDINGS} more {label}")
    out.append("")
    if left:
        text = " and ".join(left)
        out += [text[:1].upper() + text[1:] + ": `flytec check` lists them all.", ""]
    return out


def _row(label: str, f: Finding, at: str) -> str:
    d = f.diagnostic
    where = _code(f.location) + (_plain(at) if at else "")
    cells = [f"**{label}**" if label == "new" else label,
             f"{_code(d.code)} {d.severity.value}", where, _message(d.message)]
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def _code(text: str) -> str:
    """``text`` as an inline code span (CommonMark: fenced by more backticks than any run
    inside it)."""
    text = " ".join(printable(text).splitlines())
    runs = [len(r) for r in re.findall(r"`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


_MARKDOWN = re.compile(r"([\\`*_\[\]<>#!~&@])")


def _plain(text: str) -> str:
    """``text`` as Markdown text: the characters Markdown or HTML could read escaped."""
    return _MARKDOWN.sub(r"\\\1", " ".join(printable(text).splitlines()))


def _message(text: str) -> str:
    """A finding's message: its `code` spans kept, the rest as plain text, cut to a line."""
    text = short(printable(text), 300)
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an odd number of backticks: no code spans
        return _plain(text)
    return "".join(_plain(p) if i % 2 == 0 else _code(p) for i, p in enumerate(parts))
