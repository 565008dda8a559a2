"""Running the rules: problems become diagnostics, findings are filtered, suppressed,
re-severitied and sorted. One rule failing never stops the others."""

from __future__ import annotations

import dataclasses
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

from flytec.analyzer.context import RuleContext
from flytec.analyzer.fix_imports import with_imports
from flytec.analyzer.paths import per_file_ignored
from flytec.analyzer.registry import Finding, Rule, all_rules
from flytec.analyzer.suppression_use import Use, unused_suppressions
from flytec.config import Config
from flytec.model.diagnostic import Diagnostic, Severity
from flytec.model.module import ModuleIR
from flytec.model.program import Program

# reported by the engine itself, not by a rule's check()
ENGINE_RULES = {"FLY006"}
PROBLEM_RULES = {
    "syntax": "FLY001",
    "encoding": "FLY002",
    "too-large": "FLY004",
    "too-deep": "FLY004",
    "cannot-analyse": "FLY005",
    "empty": "FLY003",
    "internal": "FLY000",
}


@dataclass
class InternalError:
    """A rule (or stage) that crashed; reported on stderr, the other rules still ran."""

    where: str
    message: str
    detail: str = ""


@dataclass
class Outcome:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    internal_errors: list[InternalError] = field(default_factory=list)


def run(program: Program, requested: set[str], config: Config,
        rules: list[type[Rule]] | None = None,
        read: Callable[[str], bytes | None] | None = None) -> Outcome:
    """Run the rules; ``read`` gives a reported file's bytes (rules building fixes read the
    text around a finding; without it no finding has a fix)."""
    out = Outcome()
    ctx = RuleContext(program, requested, config, read)
    by_code = {r.code: r for r in all_rules()}
    raw: list[tuple[type[Rule], Finding]] = []
    for mod in program.modules.values():
        if mod.path not in requested:
            continue
        for prob in mod.problems:
            code = PROBLEM_RULES.get(prob.kind, "FLY000")
            rule = by_code[code]
            raw.append((rule, Finding(mod.path, prob.span, prob.message)))
    for rule_cls in rules if rules is not None else list(by_code.values()):
        if (rule_cls.code in PROBLEM_RULES.values() or rule_cls.code in ENGINE_RULES
                or not config.enabled(rule_cls.code)):
            continue
        try:
            for f in rule_cls().check(ctx):
                raw.append((rule_cls, f))
        except Exception as e:  # one rule failing must not hide the others
            out.internal_errors.append(
                InternalError(
                    f"{rule_cls.code} ({rule_cls.name})",
                    f"{type(e).__name__}: {e}",
                    traceback.format_exc(),
                )
            )
    seen: set[tuple[str, str, int, int, str]] = set()
    made: list[Diagnostic] = []
    modules_by_path = {m.path: m for m in program.modules.values()}
    for rule_cls, f in raw:
        key = (rule_cls.code, f.path, f.span.line, f.span.column, f.message)
        if key in seen:
            continue
        seen.add(key)
        made.append(
            Diagnostic(
                code=rule_cls.code,
                name=rule_cls.name,
                category=rule_cls.category,
                severity=f.severity or rule_cls.severity,
                path=f.path,
                span=f.span,
                message=f.message,
                help=f.help if f.help is not None else rule_cls.fix,
                task=f.task,
                chain=f.chain,
                fix=with_imports(modules_by_path.get(f.path), f.fix),
                related=f.related,
            )
        )
    used: set[Use] = set()
    out.diagnostics = keep(program, requested, config, made, used)
    out.diagnostics.extend(
        keep(program, requested, config, unused_suppressions(program, requested, config, used))
    )
    out.diagnostics.sort(key=Diagnostic.sort_key)
    return out


def keep(
    program: Program,
    requested: set[str],
    config: Config,
    diagnostics: list[Diagnostic],
    used: set[Use] | None = None,
) -> list[Diagnostic]:
    """Apply selection, suppression comments, per-file ignores and severity overrides to
    diagnostics produced outside the rules (e.g. by mypy). ``used`` collects the suppressions
    that applied, as (path, line or 0 for file-wide, code)."""
    modules_by_path = {m.path: m for m in program.modules.values()}
    out = []
    for d in diagnostics:
        if d.path not in requested or not config.enabled(d.code):
            continue
        owner = modules_by_path.get(d.path)
        if owner is not None and _suppressed(owner, d.code, d.span.line, used):
            continue
        if per_file_ignored(config, d.path, d.code):
            continue
        severity = config.severity.get(d.code)
        if severity:
            d = dataclasses.replace(d, severity=severity)
        if owner is not None and owner.notebook is not None:
            d = owner.notebook.diagnostic(d)  # a notebook's finding: located in its cell
        out.append(d)
    return out


def _suppressed(mod: ModuleIR, code: str, line: int, used: set[Use] | None = None) -> bool:
    if mod.file_suppress_all or code in mod.file_suppressions:
        if used is not None and code in mod.file_suppressions:
            used.add((mod.path, 0, code))
        return True
    codes = mod.suppressions.get(line)
    if codes is None:
        return False
    if not codes:
        return True
    if code in codes:
        if used is not None:
            used.add((mod.path, line, code))
        return True
    return False


def fails(diagnostics: list[Diagnostic], threshold: Severity) -> bool:
    return any(d.severity.rank >= threshold.rank for d in diagnostics)
