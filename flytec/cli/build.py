"""``flytec build``: compile tasks into versioned, schema-checked plan files."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from flytec.cli.common import EXIT_CLEAN, EXIT_FINDINGS, fail, paths_and_config, print_notes
from flytec.model.safe_text import printable

if TYPE_CHECKING:
    from flytec.analyzer.check import CheckResult
    from flytec.analyzer.types import TaskSignature
    from flytec.config import Config
    from flytec.model.program import Task


@click.command("build")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output-dir", "output_dir", type=click.Path(path_type=Path), default=None,
              help="Where to write the plans (default: build/flytec/ under the project root).")
@click.option("--task", "task_names", multiple=True, metavar="NAME",
              help="Only this task: env.function, or a function name (repeatable).")
@click.option("--config", "config_path", type=click.Path(path_type=Path), default=None,
              help="Read settings from this TOML file instead of pyproject.toml.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors and the last line.")
@click.option("--types", "with_types", is_flag=True,
              help="Run mypy and record the resolved input and output types in the plans.")
@click.option("--target", "k8s_target", type=click.Choice(["argo", "jobs"]), default=None,
              help="Also write Kubernetes manifests: Argo Workflows or batch/v1 Jobs "
                   "(docs/kubernetes.md).")
@click.option("--template", "workflow_template", is_flag=True,
              help="With --target argo: WorkflowTemplates instead of Workflows.")
@click.option("--image", "images", multiple=True, metavar="[ENV=]NAME",
              help="Container image for environments without a string image (repeatable).")
@click.option("--validate", is_flag=True,
              help="Check the manifests offline (Kubernetes and Argo schemas, Argo's rules).")
def build(
    paths: tuple[Path, ...],
    output_dir: Path | None,
    task_names: tuple[str, ...],
    config_path: Path | None,
    quiet: bool,
    with_types: bool = False,
    k8s_target: str | None = None,
    workflow_template: bool = False,
    images: tuple[str, ...] = (),
    validate: bool = False,
) -> None:
    """Compile the tasks in PATHS (default: the current directory) into plan files.

    Writes one ``<env>.<function>.plan.json`` per task, each validated against the plan
    schema (``flytec schema plan``). Never imports or runs the code. Exit code 1 when the
    code has errors (reported as ``flytec check`` reports them), 2 for usage errors.
    """
    from pydantic import ValidationError

    from flytec.codegen.plan import PlanAssembler, plan_to_json, validate_plan_text
    from flytec.codegen.plan.select import load_project, match_task
    from flytec.codegen.report import Report, render
    from flytec.compiler.project import PathError
    from flytec.compiler.workflow import extract_all
    from flytec.config import ConfigError

    if workflow_template and k8s_target != "argo":
        fail("--template needs --target argo")
    if validate and k8s_target is not None:
        from flytec.codegen.k8s.validate import MissingValidator, require_validators

        try:
            require_validators()
        except MissingValidator as e:
            fail(f"--validate needs {e}")
    if images:
        from flytec.codegen.k8s.write import ImageOptionError, parse_images

        try:
            parse_images(images)
        except ImageOptionError as e:
            fail(str(e))
    cwd, abs_paths, config = paths_and_config(paths, config_path)
    try:
        loaded = load_project(abs_paths, cwd, config)
    except (PathError, ConfigError) as e:
        fail(str(e))
    program = loaded.result.program
    project = loaded.result.project
    keys = loaded.requested
    print_notes(project.notes)
    for note in loaded.result.notes:  # notebooks skipped (not Python)
        click.echo(f"flytec: note: {note}", err=True)
    if task_names:
        chosen: list[str] = []
        for name in task_names:
            hits = match_task(program.tasks, keys, name)
            if not hits:
                known = ", ".join(sorted(program.tasks[k].fqn for k in keys)) or "none"
                fail(f"no task `{name}` in the given paths (tasks: {known})")
            chosen.extend(h for h in hits if h not in chosen)
        keys = sorted(chosen)
    if loaded.errors:
        report = Report(diagnostics=loaded.errors, files=loaded.result.files, root=project.root,
                        cwd=cwd, color=sys.stdout.isatty())
        click.echo(render("text", report))
    out_dir = output_dir if output_dir is not None else project.root / "build" / "flytec"
    if not out_dir.is_absolute():
        out_dir = cwd / out_dir
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        fail(f"{out_dir}: cannot create directory ({e.strerror or e})")
    workflows = extract_all(program)
    signatures = _signatures(loaded.result, config) if with_types else None
    assembler = PlanAssembler(program, project, signatures)
    names = _file_names(program.tasks, keys)
    counts = {"leaf": 0, "static": 0, "dynamic": 0}
    lines: list[str] = []
    built = []
    for key in keys:
        wf = workflows[key]
        plan = assembler.plan(wf)
        built.append(plan)
        text = plan_to_json(plan)
        try:
            validate_plan_text(text)
        except ValidationError as e:  # a flytec bug: say so, without a traceback
            click.echo(f"flytec: internal error: the plan of {wf.fqn} does not validate: "
                       f"{e.errors()[0].get('msg')} (please report this)", err=True)
            sys.exit(EXIT_FINDINGS)
        target = out_dir / names[key]
        try:
            target.write_text(text, encoding="utf-8")
        except OSError as e:
            fail(f"{target}: cannot write ({e.strerror or e})")
        task = program.tasks[key]
        if not wf.calls_tasks:
            counts["leaf"] += 1
            state = "leaf"
        elif wf.static:
            counts["static"] += 1
            state = f"static   {len(wf.nodes)} nodes"
        else:
            counts["dynamic"] += 1
            state = f"dynamic  {len(wf.nodes)} nodes"
        lines.append(f"  {wf.fqn:<40} {state}")
        home = program.modules.get(task.module)
        cells = None if home is None else home.notebook
        for r in wf.reasons:
            got = None if cells is None else cells.locate(r.span.line)
            where = f"{r.span.line}" if got is None else f"cell {got[0]}:{got[1]}"
            lines.append(f"      {task.path}:{where}:{r.span.column}: {r.message}")
    assembler.hasher.save()
    shown = printable(project.display(out_dir))
    if not quiet:
        for line in lines:
            click.echo(printable(line))
    click.echo(
        f"Wrote {len(keys)} plan{'s' if len(keys) != 1 else ''} to {shown}/ "
        f"({counts['static']} static, {counts['dynamic']} dynamic, {counts['leaf']} leaf)."
    )
    if k8s_target is not None:
        _manifests(built, out_dir, k8s_target, workflow_template, images, validate, quiet,
                   shown)
    sys.exit(EXIT_FINDINGS if loaded.errors else EXIT_CLEAN)


def _manifests(plans: Sequence[object], out_dir: Path, target: str, workflow_template: bool,
               images: tuple[str, ...], validate: bool, quiet: bool, shown: str) -> None:
    """``--target argo|jobs``: Kubernetes manifests next to the plans (flytec.codegen.k8s)."""
    from flytec.codegen.k8s.validate import MissingValidator
    from flytec.codegen.k8s.write import FALLBACK_IMAGE, ImageOptionError, write_manifests
    from flytec.model.plan import Plan

    try:
        result = write_manifests([p for p in plans if isinstance(p, Plan)], out_dir,
                                 "jobs" if target == "jobs" else "argo",
                                 workflow_template=workflow_template, images=images,
                                 validate=validate)
    except ImageOptionError as e:
        fail(str(e))
    except MissingValidator as e:
        fail(f"--validate needs {e}")
    except OSError as e:
        fail(f"{out_dir}: cannot write ({e.strerror or e})")
    if result.rejected:
        for p in result.rejected:
            click.echo(f"flytec: error: {printable(p)}", err=True)
        click.echo(f"{len(result.rejected)} value(s) Kubernetes would refuse or rewrite; no "
                   "manifests written (`flytec check` reports them as FLY610).", err=True)
        sys.exit(EXIT_FINDINGS)
    if result.problems:
        for p in result.problems:
            click.echo(f"flytec: invalid manifest: {printable(p)}", err=True)
        click.echo(f"{len(result.problems)} problem(s) in the manifests; none written.", err=True)
        sys.exit(EXIT_FINDINGS)
    if not quiet:
        for m in result.manifests:
            extra = f" ({'; '.join(m.reasons)})" if m.reasons else ""
            click.echo(printable(f"  {m.filename:<48} {m.mode}{extra}"))
    if result.fallback_envs:
        envs = printable(", ".join(result.fallback_envs))
        click.echo(f"flytec: warning: no image named for {envs}; "
                   f"using {FALLBACK_IMAGE} (give --image NAME or --image ENV=NAME)", err=True)
    checked = ", validated" if validate else ""
    click.echo(f"Wrote {len(result.files)} {target} manifest"
               f"{'s' if len(result.files) != 1 else ''} to {shown}/{checked}.")


def _file_names(tasks: Mapping[str, Task], keys: list[str]) -> dict[str, str]:
    """``<env>.<function>.plan.json``; the module is added when two tasks share an fqn."""
    fqns: dict[str, list[str]] = {}
    for k in keys:
        fqns.setdefault(tasks[k].fqn, []).append(k)
    out: dict[str, str] = {}
    for fqn, ks in fqns.items():
        for k in ks:
            t = tasks[k]
            stem = fqn if len(ks) == 1 else f"{fqn}.{t.module}"
            out[k] = f"{stem}.plan.json".replace("/", "_")
    return out


def _signatures(result: CheckResult, config: Config) -> dict[str, TaskSignature]:
    """Task fqn -> the signature mypy inferred (``--types``)."""
    from flytec.analyzer.types import TypeCheckOptions, check_types

    program = result.program
    tasks = {f"{t.module}.{t.function.qualname}": t.fqn for t in program.tasks.values()}
    files = [result.project.cwd / p for p in sorted(result.requested)
             if not p.endswith(".ipynb")]  # mypy reads no notebooks
    options = TypeCheckOptions(use_cache=config.cache, tasks=tasks,
                               cache_root=result.project.cache_dir,
                               stubs=config.types_stubs)  # type: ignore[arg-type]
    try:
        checked = check_types(files, result.project.root, options)
    except Exception as e:
        fail(f"--types: mypy failed ({type(e).__name__}: {e})")
    return {s.task: s for s in checked.signatures if s.task}
