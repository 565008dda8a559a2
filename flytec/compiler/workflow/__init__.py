"""Static workflow extraction: interpret each task's body into a workflow graph.

``extract_all(program)`` returns a :class:`~flytec.model.workflow.Workflow` per task. A
task whose body calls no tasks (in its own process) is a *leaf*: one unit of work. For the
others the body is interpreted symbolically (nothing is imported or run): task calls become
nodes, values flowing between them become bindings, and constructs whose shape depends on
run-time values make the workflow *dynamic*, each with its reason and location.
"""

from __future__ import annotations

from flytec.compiler.workflow.extract import extract, extract_all

__all__ = ["extract", "extract_all"]
