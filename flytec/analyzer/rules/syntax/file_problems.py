"""FLY000-FLY003: problems reading or parsing a file (reported by the engine)."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.registry import Finding, Rule, register
from flytec.model.diagnostic import Category, Severity


class _FileProblem(Rule):
    """Reported from the frontend's ModuleProblems by the engine, not by ``check``."""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        return ()


@register
class InternalError(_FileProblem):
    code = "FLY000"
    name = "internal-error"
    category = Category.SYNTAX
    severity = Severity.ERROR
    summary = "flytec itself failed on this file."
    why = (
        "A bug in flytec stopped it from analysing the file; the other files were still"
        " checked. Nothing is known about this file until the bug is fixed."
    )
    fix = "Report the message to the flytec maintainers; `# flytec: ignore-file` skips the file."
    bad = "# (any file that triggers a bug in flytec)\n"
    good = "import flyte\n"


@register
class SyntaxErrorRule(_FileProblem):
    code = "FLY001"
    name = "syntax-error"
    category = Category.SYNTAX
    severity = Severity.ERROR
    summary = "The file does not parse as Python."
    why = (
        "Flyte imports the module that defines a task in every container that runs it; a"
        " syntax error fails every task of the module at deploy and at run time."
    )
    fix = "Fix the syntax at the reported line."
    bad = "import flyte\n\nenv = flyte.TaskEnvironment(name='etl'\n"
    good = "import flyte\n\nenv = flyte.TaskEnvironment(name='etl')\n"


@register
class UnreadableFile(_FileProblem):
    code = "FLY002"
    name = "unreadable-file"
    category = Category.SYNTAX
    severity = Severity.ERROR
    summary = "The file is not UTF-8, is too large, or is nested too deeply to analyse."
    why = (
        "flytec (and Python itself, for non-UTF-8 files without an encoding declaration)"
        " cannot read the file, so none of its tasks were checked."
    )
    fix = (
        "Save the file as UTF-8 (or declare its encoding with a `# -*- coding: ... -*-` line),"
        " split very large files, and break up deeply nested expressions."
    )
    bad = {"latin1.py": "# caf\udce9\nimport flyte\n"}
    good = "# café\nimport flyte\n"


@register
class EmptyFile(_FileProblem):
    code = "FLY003"
    name = "empty-file"
    category = Category.SYNTAX
    severity = Severity.INFO
    summary = "The file is empty."
    why = "An empty file passed to flytec has nothing to check; it is often a mistake."
    fix = "Delete the file or add its code; empty `__init__.py` files are never reported."
    bad = {"empty.py": ""}
    good = "import flyte\n"
