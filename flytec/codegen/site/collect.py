"""Gathering the review site's content from a loaded project: tasks with their verdicts (the
plans ``flytec build`` writes), environments, findings (as ``flytec check`` reports them)
and the source pages every link points at. Nothing here imports or runs the project's code."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from flytec import __version__
from flytec.codegen.plan.select import Loaded
from flytec.codegen.site import links
from flytec.codegen.site.graphs import workflow_picture
from flytec.codegen.site.model import (
    EnvEntry,
    ExcerptLine,
    FileEntry,
    FindingEntry,
    Link,
    NodeEntry,
    ReasonEntry,
    RuleEntry,
    Site,
    SourceLine,
    SourcePage,
    TaskEntry,
)
from flytec.codegen.site.sources import Sources
from flytec.model import plan as pm
from flytec.model.diagnostic import Diagnostic
from flytec.model.program import Program, Task
from flytec.model.progress import Progress

#: a source page shows a longer file only around the lines linked to (CONTEXT lines each side)
MAX_LINES = 20_000
CONTEXT = 3
#: characters of a line shown on a source page
MAX_WIDTH = 2_000
#: node kinds listed under a workflow's picture (what the summary draws)
_LISTED = frozenset({"task", "remote", "trace", "map", "branch", "try", "raise", "loop",
                     "seqloop", "call", "fanout", "glue", "merge"})


class _Collector:
    def __init__(self, loaded: Loaded, plans: Sequence[pm.Plan], cwd: Path, detail: str,
                 progress: Progress | None, title: str) -> None:
        self.loaded = loaded
        self.title = title
        self.plans = dict(zip(loaded.requested, plans))
        self.program: Program = loaded.result.program
        self.cwd = cwd
        self.detail = detail
        self.progress = progress
        project = loaded.result.project
        self.sources = Sources(cwd, project.read_shown)
        # files some page links to (each gets a source page), with the lines linked
        self.linked: dict[str, set[tuple[int | None, int]]] = {}
        self.module_paths = {m: p for p, m in sorted(self.program.paths.items())}

    # ---------------------------------------------------------------------- links

    def src(self, path: str, line: int, cell: int | None = None, column: int | None = None,
            text: str | None = None) -> Link:
        self.linked.setdefault(path, set()).add((cell, line))
        where = f"{line}" if cell is None else f"cell {cell}:{line}"
        if column is not None:
            where += f":{column}"
        return Link(text if text is not None else f"{path}:{where}",
                    links.source_link(path, line, cell))

    def module_src(self, path: str, module: str, line: int, column: int | None = None,
                   text: str | None = None) -> Link:
        """A link to a line of the program's (a module line: in a notebook, in a cell)."""
        ir = self.program.modules.get(module)
        got = None if ir is None or ir.notebook is None else ir.notebook.locate(line)
        if got is not None:
            return self.src(path, got[1], got[0], column, text)
        return self.src(path, line, None, column, text)

    def task_link(self, key: str) -> Link:
        t = self.program.tasks[key]
        if key in self.plans:
            return Link(t.fqn, links.task_page(key))
        return self.module_src(t.path, t.module, t.function.name_span.line, text=t.fqn)

    # ---------------------------------------------------------------------- the site

    def site(self) -> Site:
        result = self.loaded.result
        findings = self.findings(result.diagnostics)
        tasks = self.tasks(findings)
        site = Site(title=self.title, version=__version__,
                    files=result.files, tasks=tasks)
        site.environments = self.environments()
        site.findings_by_file = self.by_file(findings)
        site.findings_by_rule = _by_rule([f for f, _ in findings])
        site.notes = sorted({*result.project.notes, *result.notes})
        site.counts = {
            "static": sum(t.verdict == "static" for t in tasks),
            "dynamic": sum(t.verdict == "dynamic" for t in tasks),
            "leaf": sum(t.verdict == "leaf" for t in tasks),
            **{s: sum(f.severity == s for f, _ in findings) for s in ("error", "warning",
                                                                         "info")},
        }
        by_path = _by_path(findings)
        site.sources = [self.source_page(p, [d for _, d in by_path.get(p, [])])
                        for p in sorted(self.linked)]
        return site

    def by_file(self, findings: list[tuple[FindingEntry, Diagnostic]]) -> list[FileEntry]:
        files: dict[str, FileEntry] = {}
        for f, d in findings:
            entry = files.get(d.path)
            if entry is None:
                self.linked.setdefault(d.path, set())
                entry = files[d.path] = FileEntry(d.path, links.source_page(d.path))
            entry.findings.append(f)
        return [files[p] for p in sorted(files)]

    # ---------------------------------------------------------------------- findings

    def findings(self, diagnostics: Sequence[Diagnostic]
                 ) -> list[tuple[FindingEntry, Diagnostic]]:
        from flytec.analyzer.registry import all_rules
        from flytec.codegen.report.sarif import HELP_BASE

        known = {r.code for r in all_rules()}
        out = []
        for i, d in enumerate(sorted(diagnostics, key=Diagnostic.sort_key)):
            excerpt = [ExcerptLine(n, text, marked) for n, text, marked in
                       self.sources.excerpt(d.path, d.span.line, d.span.end_line, d.cell,
                                            d.span.column)]
            out.append((FindingEntry(
                code=d.code, name=d.name, severity=d.severity.value, message=d.message,
                help=d.help, location=self.src(d.path, d.span.line, d.cell, d.span.column),
                rule_doc=f"{HELP_BASE}/{d.code}.md" if d.code in known else "",
                anchor=links.finding_anchor(i), task=d.task, chain=list(d.chain),
                excerpt=excerpt), d))
        return out

    # ---------------------------------------------------------------------- tasks

    def tasks(self, findings: list[tuple[FindingEntry, Diagnostic]]) -> list[TaskEntry]:
        from flytec.codegen.graph.view import env_label, unawaited_calls

        diagnostics = self.loaded.result.diagnostics
        callers: dict[str, set[str]] = {}
        for key, plan in self.plans.items():
            for n in plan.nodes:
                if n.function is not None and n.function in self.program.tasks:
                    callers.setdefault(n.function, set()).add(key)
        order = sorted(self.plans, key=lambda k: (self.program.tasks[k].path,
                                                  self.program.tasks[k].function.span.line, k))
        drawn = [k for k in order if self.plans[k].kind == "workflow"]
        done = 0
        by_path = _by_path(findings)
        out = []
        for key in order:
            t = self.program.tasks[key]
            plan = self.plans[key]
            verdict = "leaf" if plan.kind == "leaf" else ("static" if plan.static else "dynamic")
            entry = TaskEntry(
                key=key, fqn=t.fqn, name=t.function.name, env=t.env_name or "?",
                verdict=verdict, page=links.task_page(key),
                location=self.src(t.path, plan.source.line, plan.source.cell), path=t.path,
                is_async=t.is_async,
                inputs=[f"{p.name}: {p.type or '?'}" for p in plan.inputs],
                outputs=[f"{o.name}: {o.type or '?'}" for o in plan.outputs],
                reasons=[ReasonEntry(r.message, self.src(t.path, r.line, r.cell, r.column))
                         for r in plan.dynamic_reasons],
                possible_callees=list(plan.possible_callees),
                node_count=len(plan.nodes),
                callers=[self.task_link(k) for k in sorted(callers.get(key, ()))],
                findings=[f for f, d in by_path.get(t.path, []) if _belongs(d, t)],
                env_label=env_label(t.env_name, plan.environment),
            )
            called = sorted({n.function for n in plan.nodes
                             if n.function is not None and n.function in self.program.tasks})
            entry.calls = [self.task_link(k) for k in called]
            if plan.kind == "workflow":
                if self.progress is not None:
                    self.progress.step("drawing workflows", done, len(drawn))
                done += 1
                self.draw(entry, t, plan, unawaited_calls(diagnostics, t.path))
            out.append(entry)
        if self.progress is not None and drawn:
            self.progress.step("drawing workflows", len(drawn), len(drawn))
        return out

    def draw(self, entry: TaskEntry, task: Task, plan: pm.Plan,
             unawaited: frozenset[tuple[int, int]]) -> None:
        located: dict[str, Link] = {}
        calls: dict[str, Link] = {}
        for n in plan.nodes:
            path = task.path if n.module is None else self.module_paths.get(n.module, task.path)
            located[n.id] = self.src(path, n.line, n.cell, n.column)
            if n.function is not None and n.function in self.program.tasks:
                calls[n.id] = self.task_link(n.function)

        def url(n: pm.Node) -> str:  # from tasks/<page>.html
            return "../" + (calls[n.id] if n.id in calls else located[n.id]).href

        picture = workflow_picture(plan, self.detail, unawaited, url)
        entry.svg = picture.svg
        entry.no_svg = picture.problem
        nodes = {n.id: n for n in plan.nodes}
        for v in picture.view.nodes:
            drawn = nodes.get(v.id)
            if drawn is None or v.kind not in _LISTED:
                continue
            entry.nodes.append(NodeEntry(id=drawn.id, kind=v.kind, label=" · ".join(v.lines),
                                         location=located[drawn.id], calls=calls.get(drawn.id),
                                         dynamic=v.dynamic))

    # ---------------------------------------------------------------------- environments

    def environments(self) -> list[EnvEntry]:
        from flytec.codegen.graph.view import env_label

        requested = set(self.loaded.result.requested)
        by_env: dict[str, list[str]] = {}
        for key in self.plans:
            env = self.program.tasks[key].env
            if env is not None:
                by_env.setdefault(env, []).append(key)
        keys = sorted({k for k, e in self.program.environments.items() if e.path in requested}
                      | {k for k in by_env if k in self.program.environments})
        out = []
        for k in keys:
            e = self.program.environments[k]
            members = sorted(by_env.get(k, []), key=lambda t: self.program.tasks[t].fqn)
            name = e.display
            label = env_label(name, self.plans[members[0]].environment) if members else name
            out.append(EnvEntry(
                name=name, var=e.var, kind=e.kind, label=label,
                location=self.module_src(e.path, e.module, e.span.line, e.span.column),
                tasks=[self.task_link(t) for t in members],
                depends_on=sorted(self.program.environments[d].display
                                  if d in self.program.environments else d
                                  for d in e.depends_on)))
        return sorted(out, key=lambda x: (x.name, x.location.text))

    # ---------------------------------------------------------------------- sources

    def source_page(self, path: str, found: list[Diagnostic]) -> SourcePage:
        from flytec.compiler.frontend.notebook import is_notebook

        page = SourcePage(path=path, page=links.source_page(path))
        marks: dict[tuple[int | None, int], list[str]] = {}
        for d in found:
            marks.setdefault((d.cell, d.span.line), []).append(
                f"{d.code} {d.severity.value}: {d.message}")
        wanted = self.linked.get(path, set())
        if is_notebook(path):
            cells = self.sources.cells(path)
            page.cells = [(c, _lines(lines, c, marks, wanted))
                          for c, lines in sorted(cells.items())]
            if not cells:
                page.problem = self.sources.problems.get(path, "no code cells to show")
            return page
        lines = self.sources.lines(path)
        if lines is None:
            page.problem = self.sources.problems.get(path, "cannot read")
        else:
            page.cells = [(None, _lines(lines, None, marks, wanted))]
            if len(lines) > MAX_LINES:
                page.problem = (f"{len(lines):,} lines are too many to show here; these are "
                                "the lines the report links to")
        return page


def _lines(lines: list[str], cell: int | None, marks: dict[tuple[int | None, int], list[str]],
           wanted: set[tuple[int | None, int]]) -> list[SourceLine]:
    """The lines of a source page: all of them, or in a file of more than MAX_LINES lines,
    those some page links to (with a few around each), so every link still has its line."""
    def line(i: int, gap: bool = False) -> SourceLine:
        return SourceLine(i, _cut(lines[i - 1]), links.line_anchor(i, cell),
                          marks.get((cell, i), []), gap)

    if len(lines) <= MAX_LINES:
        return [line(i) for i in range(1, len(lines) + 1)]
    keep = sorted({i for c, n in wanted if c == cell
                   for i in range(max(1, n - CONTEXT), min(len(lines), n + CONTEXT) + 1)})
    return [line(i, gap=k > 0 and keep[k - 1] != i - 1) for k, i in enumerate(keep)]


def _cut(text: str) -> str:
    return text if len(text) <= MAX_WIDTH else text[:MAX_WIDTH] + "…"


def _by_path(findings: list[tuple[FindingEntry, Diagnostic]]
             ) -> dict[str, list[tuple[FindingEntry, Diagnostic]]]:
    out: dict[str, list[tuple[FindingEntry, Diagnostic]]] = {}
    for f, d in findings:
        out.setdefault(d.path, []).append((f, d))
    return out


def _belongs(d: Diagnostic, t: Task) -> bool:
    """A finding of task ``t``: named for it, or inside its function."""
    if d.path != t.path:
        return False
    if d.task is not None:
        return d.task == t.fqn
    span = t.function.span
    return d.cell is None and span.line <= d.span.line <= span.end_line


def _by_rule(found: list[FindingEntry]) -> list[RuleEntry]:
    from flytec.analyzer.registry import get_rule

    rules: dict[str, RuleEntry] = {}
    for f in found:
        r = rules.get(f.code)
        if r is None:
            rule = get_rule(f.code)
            r = rules[f.code] = RuleEntry(
                code=f.code, name=f.name, summary=rule.summary if rule else "",
                category=rule.category.value if rule else "", doc=f.rule_doc)
        r.findings.append(f)
    return [rules[c] for c in sorted(rules)]


def collect(loaded: Loaded, plans: Sequence[pm.Plan], cwd: Path, detail: str = "summary",
            progress: Progress | None = None, title: str = "") -> Site:
    """The site's content; ``plans``: one per ``loaded.requested`` task, in that order;
    ``title``: what the report is of (default: the project directory's name)."""
    root = loaded.result.project.root
    return _Collector(loaded, plans, cwd, detail, progress,
                      title or root.name or str(root)).site()
