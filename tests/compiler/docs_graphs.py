"""The example graphs shown in docs/graphs.md, and how to regenerate them.

``python -m tests.compiler.docs_graphs`` rewrites ``docs/graphs/`` (DOT, Mermaid, SVG and
PNG); ``test_docs_graphs.py`` fails when the DOT or Mermaid files are out of date.
"""

from __future__ import annotations

from pathlib import Path

from flytec.analyzer.check import check_paths
from flytec.codegen.graph import render_view
from flytec.codegen.graph.callgraph import callgraph_view
from flytec.codegen.graph.collapse import collapse
from flytec.codegen.graph.view import View, plan_view
from flytec.config import Config
from tests.compiler.helpers import EXAMPLE_FILES, EXAMPLES, REPO, example_plans

DOCS = REPO / "docs" / "graphs"

# (file stem in docs/graphs, plan fqn)
WORKFLOWS = [
    ("etl", "etl_driver.main"),
    ("hello", "hello.main"),
    ("hello_async", "hello_async.main"),
    ("trace_cache", "trace_cache.main"),
    ("two_envs", "driver_env.main"),
    ("reusable", "reusable_driver.main"),
    ("ml_sweep", "sweep_driver.main"),
    ("agent_loop", "agent.main"),
    ("error_recovery", "error_recovery.main"),
    ("remote_ref", "ref_driver.main"),
    ("pipelines", "pipelines_driver.main"),
]
# drawn with `--detail full` too (every glue node), next to the default summary
FULL = [("etl_full", "etl_driver.main"), ("agent_loop_full", "agent.main")]


def views() -> dict[str, View]:
    plans = example_plans()
    out = {stem: collapse(plan_view(plans[fqn])) for stem, fqn in WORKFLOWS}
    out.update({stem: plan_view(plans[fqn]) for stem, fqn in FULL})
    paths = [EXAMPLES / f for f in EXAMPLE_FILES]
    result = check_paths(paths, Config(cache=False), cwd=REPO)
    files = {p.resolve() for p in paths}
    keys = [k for k, t in result.program.tasks.items() if (REPO / t.path).resolve() in files]
    out["callgraph"] = callgraph_view(result.program, keys, result.diagnostics,
                                      "call graph of the examples")
    return out


def expected_texts() -> dict[str, str]:
    """File name -> content, for the text formats kept in sync by the test."""
    out: dict[str, str] = {}
    for stem, view in views().items():
        out[f"{stem}.dot"] = render_view(view, "dot").decode()
        out[f"{stem}.mmd"] = render_view(view, "mermaid").decode()
    return out


def regenerate(pictures: bool = True) -> list[Path]:
    DOCS.mkdir(parents=True, exist_ok=True)
    written = []
    for stem, view in views().items():
        for fmt, ext in (("dot", "dot"), ("mermaid", "mmd")) + (
            (("svg", "svg"), ("png", "png")) if pictures else ()
        ):
            path = DOCS / f"{stem}.{ext}"
            path.write_bytes(render_view(view, fmt))
            written.append(path)
    return written


if __name__ == "__main__":
    for p in regenerate():
        print(p.relative_to(Path.cwd()) if p.is_relative_to(Path.cwd()) else p)
