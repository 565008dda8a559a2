"""The Mermaid flytec writes is Mermaid that real Mermaid accepts (issue 22): every diagram is
rendered by mermaid@11's own script in headless chromium (tests/browser.py), and must render
without Mermaid's syntax-error output and show every label as written, for every workflow
and the call graph of examples/, for a workflow whose labels are hostile (brackets, quotes,
pipes, ``#``, backticks, ``<``/``>``, unicode, Markdown emphasis), for hand-made views of
every node shape, and for the diagrams of ``graph --diff -f markdown``."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from flytec.codegen.graph import render_view
from flytec.codegen.graph.select import graph_view, workflow_view
from flytec.codegen.graph.view import VEdge, View, VNode, printable_view
from flytec.codegen.plan import PlanAssembler
from flytec.codegen.plan.select import load_project
from flytec.compiler.workflow import extract_all
from flytec.config import Config
from tests.browser import render_mermaid
from tests.conftest import REPO

# A workflow whose labels hold what Mermaid's grammar and its Markdown would read as syntax.
HOSTILE_FLOW = '''import flyte

env = flyte.TaskEnvironment(name="héllo_環境")


@env.task
async def größe(x: str) -> str:
    return x


@env.task
async def _private_(x: str) -> str:
    return x


@env.task
async def main(text: str, items: list[str], table: dict[str, int]) -> str:
    a = await größe(text + "|p|" + '"q"' + "#h" + "`t`")
    b = await größe("<b>&amp;</b>" + a)
    c = await _private_(items[-1] + str(table["k|v"]))
    d = await größe(f"{a!r}*{b}* __init__ ~~{c}~~")
    if "end" in d and len(items) > 2:
        return await _private_(d)
    return d
'''

HOSTILE_TEXTS = ['a"b', "x[0]", "a|b", "#hash", "#35;", "ünïcødé ✓ 日本", "`code`", "<b>x</b>",
                 "a < b > c", "{curly}", "(paren)", "end", "a\\b", "%%c", "&amp;", "-->", "x]y",
                 "@{ shape: x }", "*_bold_*", "~~~", "__init__", "a*b*c", "**x**", "~~s~~",
                 "x_", "- item", "1. one", "日本_語", "a;b", "click", "style", "o--o"]


def _text_of(svg: str) -> str:
    """What the diagram shows: its text nodes, each line on its own."""
    svg = re.sub(r"<style>.*?</style>", "", svg, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "\n", svg))


def _shown(view: View) -> list[str]:
    """Every text of ``view`` a reader must find in the picture, as flytec writes it."""
    view = printable_view(view)
    out = [line for n in view.nodes for line in n.lines]
    out += [f"× {n.stacked}" for n in view.nodes if n.stacked]
    out += [e.label for e in view.edges if e.label]
    names = {n.cluster for n in view.nodes}
    out += [label for name, label in view.clusters.items() if name in names]
    return [x for x in out if x.strip()]


def _assert_render(named: dict[str, View], tmp_path: Path) -> None:
    names = list(named)
    diagrams = [render_view(named[n], "mermaid").decode() for n in names]
    results = render_mermaid(diagrams, tmp_path)
    for name, diagram, got in zip(names, diagrams, results, strict=True):
        assert got["status"] == "ok", (name, got.get("error"), diagram)
        assert "Syntax error" not in got["svg"], name
        shown = _text_of(got["svg"])
        missing = [t for t in _shown(named[name])
                   if not all(line.strip() in shown for line in t.splitlines())]
        assert not missing, (name, missing)


def _workflows(path: Path, cwd: Path) -> dict[str, View]:
    """Both levels of detail of every workflow in ``path``, and its call graph."""
    loaded = load_project([path], cwd, Config(cache=False))
    program = loaded.result.program
    workflows = extract_all(program)
    assembler = PlanAssembler(program, loaded.result.project)
    out = {}
    for key in loaded.requested:
        plan = assembler.plan(workflows[key])
        if plan.kind == "workflow":
            for detail in ("summary", "full"):
                out[f"{plan.task} ({detail})"] = workflow_view(plan, detail)
    out["call graph"] = graph_view(path, None, cwd, Config(cache=False)).view
    return out


def test_every_example_renders_with_its_labels(tmp_path: Path) -> None:
    views = _workflows(REPO / "examples", REPO)
    assert len(views) > 25 and "etl_driver.main (full)" in views
    _assert_render(views, tmp_path)


def test_a_workflow_with_hostile_labels_renders(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'h'\n")
    (tmp_path / "flow.py").write_text(HOSTILE_FLOW, encoding="utf-8")
    views = _workflows(tmp_path / "flow.py", tmp_path)
    text = "\n".join(x for v in views.values() for x in _shown(v))
    for needle in ("größe", "_private_", "|p|", "`t`", "<b>&amp;", "__init__", "*{b}*",
                   'table["k|v"]', "héllo_環境"):
        assert needle in text, needle  # the labels under test really hold them
    _assert_render(views, tmp_path)


def test_every_shape_with_hostile_text_renders(tmp_path: Path) -> None:
    views = {}
    for i, s in enumerate(HOSTILE_TEXTS):
        view = View(title=s, notes=[s, "two\nlines"], clusters={"env": s})
        view.nodes = [VNode("in:" + s, "input", [s], cluster="env"),
                      VNode(s, "task", [s], cluster="env", stacked=s),
                      VNode("b" + s, "branch", [s]), VNode("m" + s, "merge", [s]),
                      VNode("r" + s, "raise", [s]), VNode("o" + s, "output", [s]),
                      VNode("t" + s, "trace", [s]), VNode("g" + s, "glue", [s], status="added"),
                      VNode("y" + s, "try", [s], status="removed"),
                      VNode("l" + s, "loop", [s], dynamic=True)]
        ids = [n.id for n in view.nodes]
        view.edges = [VEdge(a, b, kind, s, status) for a, b, kind, status in zip(
            ids, ids[1:], ["data", "each", "order", "branch", "error", "finally", "call",
                           "cross", "carry"], [None, "added", "removed", "changed"] * 3)]
        views[f"{i}: {s!r}"] = view
    _assert_render(views, tmp_path)


def test_node_ids_that_meet_stay_two_nodes(tmp_path: Path) -> None:
    view = View(title="ids")
    view.nodes = [VNode("in:x", "input", ["input x"]), VNode("in_x", "task", ["task in_x"]),
                  VNode("in x", "task", ["task in x"])]
    view.edges = [VEdge("in:x", "in_x", "data"), VEdge("in_x", "in x", "data")]
    text = render_view(view, "mermaid").decode()
    assert "n_in_x[" in text and "n_in_x_2[" in text and "n_in_x_3[" in text
    svg = render_mermaid([text], tmp_path)[0]["svg"]
    assert svg.count('class="node ') == 3


@pytest.mark.parametrize("name", ["etl.py", "agent_loop.py", "error_recovery.py", "hostile.py"])
def test_markdown_diff_diagrams_render(name: str, tmp_path: Path) -> None:
    """The diagrams of a pull-request comment: each example (and the hostile workflow)
    against an empty revision (everything added) and against itself with its first task call
    removed."""
    from tests.cli.test_graph_markdown import FENCE, _commit, _repo, _run

    code = HOSTILE_FLOW if name == "hostile.py" else (REPO / "examples" / name).read_text(
        encoding="utf-8")
    repo = _repo(tmp_path / "repo", {"other.py": "x = 1\n"})
    _commit(repo, {name: code}, "add")
    changed = re.sub(r"await (\w+)\(", r"await _gone(", code, count=1)
    changed = changed.replace("import flyte\n", "import flyte\n\n\nasync def _gone(*a, **k):"
                              "\n    return None\n", 1)
    (repo / name).write_text(changed, encoding="utf-8")
    blocks: list[str] = []
    for rev in ("HEAD~1", "HEAD"):
        r = _run(repo, "graph", "--diff", rev, "-f", "markdown")
        assert r.exit_code == 0, r.output
        blocks += FENCE.findall(r.stdout)
    assert len(blocks) >= 4
    for block, got in zip(blocks, render_mermaid(blocks, tmp_path), strict=True):
        assert got["status"] == "ok", (got.get("error"), block)
        assert "Syntax error" not in got["svg"]
