"""FLY006 (unused-noqa): the suppression comments of the reported files that name an unknown
code, or a code that suppressed none of this run's findings on their line (or file)."""

from __future__ import annotations

from flytec.analyzer.registry import Rule, all_rules
from flytec.analyzer.selectors import closest_code
from flytec.config import Config
from flytec.model.diagnostic import Diagnostic, Severity
from flytec.model.program import Program
from flytec.model.span import Span

CODE = "FLY006"
# (display path, line or 0 for the whole file, code)
Use = tuple[str, int, str]


def unused_suppressions(
    program: Program, requested: set[str], config: Config, used: set[Use]
) -> list[Diagnostic]:
    if not config.enabled(CODE):
        return []
    rules: dict[str, type[Rule]] = {r.code: r for r in all_rules()}
    me = rules[CODE]
    out: list[Diagnostic] = []
    for mod in program.modules.values():
        if mod.path not in requested:
            continue
        for sc in mod.suppression_comments:
            for code in sc.codes:
                rule = rules.get(code)
                if rule is None:
                    hint = closest_code(code, rules)
                    message = f"`{code}` is not a flytec rule code; this suppresses nothing"
                    help_ = f"did you mean `{hint}`?" if hint else me.fix
                    severity = Severity.WARNING
                elif (
                    code == CODE
                    or rule.requires_types
                    or not config.enabled(code)
                    or (mod.path, 0 if sc.file_wide else sc.line, code) in used
                ):
                    continue
                else:
                    where = "in this file" if sc.file_wide else "on this line"
                    message = f"unused suppression: no {code} ({rule.name}) finding {where}"
                    help_ = "delete the code from the comment"
                    severity = Severity.INFO
                out.append(Diagnostic(
                    code=CODE, name=me.name, category=me.category, severity=severity,
                    path=mod.path, span=Span(sc.line, sc.column, sc.line, sc.end_column),
                    message=message, help=help_,
                ))
    return out
