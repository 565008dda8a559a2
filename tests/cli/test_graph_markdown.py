"""``flytec graph --diff REV -f markdown``, the pull-request comment (issue 22): on a real
two-commit git repository, the added task is drawn as added and the removed edge as removed,
findings are new or fixed only when they are (not when lines move), the document is the same
bytes every time, fits GitHub's comment limit, and real Mermaid draws its diagrams."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from flytec.cli import cli
from flytec.codegen.graph.markdown_diff import COMMENT_LIMIT, MARKER, _code, to_markdown
from flytec.codegen.graph.review import Counts, ReviewChanges, WorkflowChange, review_changes
from flytec.codegen.graph.view import VEdge, View, VNode
from flytec.config import Config
from tests.browser import render_mermaid
from tests.cli.test_first_ten import buggy
from tests.conftest import REPO

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

FENCE = re.compile(r"```mermaid\n(.*?)```", re.S)
EDGE = re.compile(r'^\s+(\S+) (?:-->|==>|-\.->|---|-\.-)(?:\|"(.*?)"\|)? (\S+)$')


class MarkdownText(SingleFileSnapshotExtension):
    _write_mode = WriteMode.TEXT
    file_extension = "md"


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@x",
                        "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(cwd)})


def _commit(repo: Path, files: dict[str, str], message: str) -> None:
    for name, text in files.items():
        (repo / name).write_text(text, encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", message)


def _repo(root: Path, files: dict[str, str]) -> Path:
    root.mkdir(parents=True)
    _git(root, "init", "-q")
    _commit(root, {"pyproject.toml": "[project]\nname = 'x'\n", **files}, "one")
    return root


def _run(cwd: Path, *args: str) -> Result:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


def etl_changed() -> str:
    """examples/etl.py with a task call added (``audit``) and an edge removed (``load`` no
    longer reads the input ``table``), moved down by two lines."""
    code = (REPO / "examples" / "etl.py").read_text(encoding="utf-8")
    code = "# moved down two lines\n\n" + code
    code = code.replace("        return await load(active, table)",
                        '        report = await load(active, "sales")\n'
                        "    await audit(report)\n    return report")
    return code.replace("@driver_env.task\nasync def main",
                        "@worker_env.task\nasync def audit(report: LoadReport) -> str:\n"
                        "    return report.table\n\n\n@driver_env.task\nasync def main")


@pytest.fixture(scope="module")
def two_commits(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A repository whose second commit changes examples/etl.py as :func:`etl_changed` says,
    and the comment ``graph --diff HEAD~1 -f markdown`` writes in it."""
    repo = _repo(tmp_path_factory.mktemp("md") / "repo",
                 {"etl.py": (REPO / "examples" / "etl.py").read_text(encoding="utf-8")})
    _commit(repo, {"etl.py": etl_changed()}, "two")
    r = _run(repo, "graph", "--diff", "HEAD~1", "-f", "markdown")
    assert r.exit_code == 0, r.output
    return repo, r.stdout


def _blocks(markdown: str) -> list[str]:
    return FENCE.findall(markdown)


def _workflow_block(markdown: str, task: str) -> str:
    section = markdown.split(f"#### `{task}`", 1)[1]
    return _blocks(section)[0]


def _edges(diagram: str) -> list[tuple[str, str, str, str]]:
    """(source, label, target, linkStyle) of each edge, in Mermaid's numbering."""
    lines = diagram.splitlines()
    edges = [m.groups() for line in lines if (m := EDGE.match(line))]
    styles = dict(re.findall(r"^\s+linkStyle (\d+) (.*)$", diagram, re.M))
    return [(s, label or "", t, styles.get(str(i), "")) for i, (s, label, t) in enumerate(edges)]


def _classes(diagram: str) -> dict[str, str]:
    out = {}
    for ids, cls in re.findall(r"^\s+class (\S+) (\w+)$", diagram, re.M):
        for i in ids.split(","):
            out[i] = cls
    return out


def test_added_task_is_added_and_removed_edge_is_removed(two_commits: tuple[Path, str]) -> None:
    _, md = two_commits
    assert md.startswith(MARKER + "\n")
    diagram = _workflow_block(md, "etl_driver.main")
    assert 'n_audit["etl_worker.audit<br/>added"]' in diagram
    assert _classes(diagram)["n_audit"] == "added"
    assert _classes(diagram)["n_load"] == "unchanged"  # grey: colour is for what changed
    edges = {(s, t): style for s, _, t, style in _edges(diagram)}
    assert "#C62828" in edges["n_in_table", "n_load"] and "dasharray" in edges[
        "n_in_table", "n_load"]  # removed: red, dashed
    assert "#2E7D32" in edges["n_load", "n_audit"]  # added: green
    assert edges["n_extract", "n_map_transform"] == ""  # unchanged
    assert edges["n_in_days", "n_extract"] == ""  # a fan-out, green elsewhere: not "added"
    # the counts, the location in the work tree (two lines down), the new leaf task
    assert "`etl.py:130` · nodes: 1 added; edges: 2 added, 1 removed" in md
    assert "- added: `etl_worker.audit`" in md
    assert "findings: **0 new**, 0 fixed" in md  # moved lines are not new findings


def test_the_same_inputs_give_the_same_bytes(two_commits: tuple[Path, str]) -> None:
    repo, md = two_commits
    again = _run(repo, "graph", "--diff", "HEAD~1", "-f", "markdown")
    assert again.stdout == md
    out = repo / "comment.md"
    r = _run(repo, "graph", "--diff", "HEAD~1", "-f", "markdown", "-o", str(out))
    assert r.exit_code == 0 and out.read_text(encoding="utf-8") == md


def test_markdown_of_the_etl_change(two_commits: tuple[Path, str], snapshot: Any) -> None:
    assert two_commits[1] == snapshot.use_extension(MarkdownText)


def test_the_diagrams_render_in_a_real_browser(two_commits: tuple[Path, str],
                                               tmp_path: Path) -> None:
    blocks = _blocks(two_commits[1])
    assert len(blocks) == 2  # the legend and etl_driver.main
    results = render_mermaid(blocks, tmp_path)
    for block, got in zip(blocks, results, strict=True):
        assert got["status"] == "ok", (got.get("error"), block)
        assert "Syntax error" not in got["svg"]
    assert "etl_worker.audit" in results[1]["svg"] and "removed edge" in results[0]["svg"]


def test_no_workflow_changed(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo", {"etl.py": (REPO / "examples" / "etl.py").read_text()})
    (repo / "etl.py").write_text("# only a comment\n" + (repo / "etl.py").read_text())
    r = _run(repo, "graph", "--diff", "HEAD", "-f", "markdown")
    assert r.exit_code == 0, r.output
    assert "No workflow changed since `HEAD` in `.`." in r.stdout
    assert "```mermaid" not in r.stdout and "Workflows: none changed" in r.stdout
    r = _run(repo, "graph", "etl.py::main", "--diff", "HEAD", "-f", "markdown")
    assert "No workflow changed since `HEAD` in `etl.py::main`." in r.stdout


def test_markdown_needs_a_revision_and_a_known_task(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo", {"etl.py": (REPO / "examples" / "etl.py").read_text()})
    r = _run(repo, "graph", "etl.py", "-f", "markdown")
    assert r.exit_code == 2 and "--diff REV" in r.output
    r = _run(repo, "graph", "etl.py::nope", "--diff", "HEAD", "-f", "markdown")
    assert r.exit_code == 2 and "no task `nope`" in r.output and "Traceback" not in r.output
    r = _run(repo, "graph", "--diff", "no-such-rev", "-f", "markdown")
    assert r.exit_code == 2 and "no-such-rev" in r.output


def test_findings_are_new_or_fixed_only_when_they_are(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo", {"flow.py": buggy()})  # FLY103 in main: double(x=x)
    config = Config(cache=False)

    def changes() -> ReviewChanges:
        return review_changes(repo, None, repo, config, "HEAD")

    # lines moved and a second, different call left unawaited: one new finding, none fixed
    (repo / "flow.py").write_text("# one\n# two\n\n" + buggy().replace(
        "@env.task\nasync def main", "@env.task\nasync def other(x: int) -> None:\n"
        "    double(x=x + 1)\n\n\n@env.task\nasync def main"), encoding="utf-8")
    got = changes()
    assert [(f.diagnostic.code, f.source_line) for f in got.new_findings] == [
        ("FLY103", "double(x=x + 1)")]
    assert got.fixed_findings == []
    # the old one fixed: fixed, and located at the revision
    _commit(repo, {}, "two")
    (repo / "flow.py").write_text((repo / "flow.py").read_text().replace(
        "    double(x=x)\n", "    await double(x=x)\n"), encoding="utf-8")
    got = changes()
    assert got.new_findings == []
    assert [(f.diagnostic.code, f.source_line) for f in got.fixed_findings] == [
        ("FLY103", "double(x=x)")]
    md = to_markdown(got)
    line = got.fixed_findings[0].diagnostic.span.line
    assert f"| fixed | `FLY103` error | `flow.py:{line}` at HEAD | the call `double(x=x)`" in md


def _big_view(name: str, nodes: int) -> View:
    view = View(title=name)
    view.nodes = [VNode(f"t{i}", "task", [f"env.task_number_{i}_with_a_long_name"],
                        status="added" if i % 3 == 0 else None) for i in range(nodes)]
    view.edges = [VEdge(f"t{i}", f"t{i + 1}", "data", f"value_{i}[0]",
                        "removed" if i % 4 == 0 else None) for i in range(nodes - 1)]
    return view


def test_a_long_comment_lists_the_rest_and_never_cuts_a_diagram() -> None:
    changes = ReviewChanges(rev="main", scope=".")
    for i in range(40):
        counts = Counts()
        counts.nodes["added"] = 1
        changes.workflows.append(WorkflowChange(f"env.wf{i:02}", "changed", f"f.py:{i}",
                                                _big_view(f"env.wf{i:02}", 60), counts,
                                                (False, False)))
    md = to_markdown(changes)
    assert len(md) <= COMMENT_LIMIT
    blocks = _blocks(md)
    assert 1 < len(blocks) < 41
    assert md.count("```") == 2 * len(blocks)  # every fence closed
    drawn = len(blocks) - 1  # the legend
    for block in blocks[1:]:
        assert block.startswith("flowchart TD\n") and block.rstrip().endswith(",n_t57 added")
    assert f"#### {40 - drawn} more workflows, not drawn" in md
    for i in range(40):  # every workflow is named, drawn or listed
        assert f"`env.wf{i:02}`" in md
    assert "- `env.wf39` changed: nodes: 1 added; edges: none changed" in md
    # one diagram larger than Mermaid accepts is listed, not drawn
    changes.workflows = [WorkflowChange("env.huge", "added", "f.py:1", _big_view("h", 499),
                                        Counts(), (False, True))]
    md = to_markdown(changes)
    assert "```mermaid\nflowchart TD" not in md and "(too large for Mermaid)" in md
    # so is one with more edges than GitHub's Mermaid draws, however short its text
    many = View(title="many", nodes=[VNode(f"{i}", "task", ["t"]) for i in range(30)])
    many.edges = [VEdge(f"{i}", f"{j}", "data") for i in range(30) for j in range(30) if i != j]
    changes.workflows = [WorkflowChange("env.many", "added", "f.py:1", many, Counts(),
                                        (False, False))]
    md = to_markdown(changes)
    assert len(many.edges) > 500 and len(md) < 10_000 and "(too large for Mermaid)" in md


def test_inline_code_survives_backticks() -> None:
    assert _code("a`b") == "``a`b``"
    assert _code("`x`") == "`` `x` ``"
    assert _code("two\nlines") == "`two lines`"


def test_the_docs_show_this_example(two_commits: tuple[Path, str]) -> None:
    page = (REPO / "docs" / "graphs-in-pull-requests.md").read_text(encoding="utf-8")
    shown = page.split("````markdown\n", 1)[1].split("````", 1)[0]
    assert shown == two_commits[1], "regenerate the example of docs/graphs-in-pull-requests.md"
    assert "](graphs/pr-comment.png)" in page
    assert (REPO / "docs" / "graphs" / "pr-comment.png").stat().st_size > 10_000
    drawn = page.split("The workflow's diagram, which GitHub draws here too:", 1)[1]
    assert _blocks(drawn)[0] == _workflow_block(two_commits[1], "etl_driver.main")
    assert etl_changed().count("await audit(report)") == 1 and "+    await audit(report)" in page


def test_a_findings_table_cell_cannot_break_the_table_or_the_page() -> None:
    from flytec.codegen.graph.finding_diff import Finding
    from flytec.model.diagnostic import Category, Diagnostic, Severity
    from flytec.model.span import Span

    message = ("the call `f(a | b)` reads <script>x</script> | @someone [link](http://x) "
               "*not italic*")
    d = Diagnostic("FLY103", "n", Category.STRUCTURE, Severity.ERROR, "a|b.py",
                   Span(3, 1, 3, 2), message)
    changes = ReviewChanges(rev="main", scope=".",
                            new_findings=[Finding(d, "a|b.py", "f(a | b)")])
    row = next(line for line in to_markdown(changes).splitlines() if line.startswith("| **new"))
    cells = re.split(r"(?<!\\)\|", row)[1:-1]  # GitHub splits a row at unescaped pipes
    assert len(cells) == 4
    assert cells[2].strip() == "`a\\|b.py:3`"
    assert "`f(a \\| b)`" in cells[3]  # a code span keeps its text (GFM unescapes \|)
    for raw in ("<", "[", "*", "@"):  # outside code spans, never unescaped
        assert re.search(r"(?<!\\)" + re.escape(raw), cells[3]) is None, raw
    assert "\\<script\\>" in cells[3] and "\\*not italic\\*" in cells[3]
