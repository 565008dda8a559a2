"""FLY000-FLY005: problems reading or parsing a file (reported by the engine)."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.registry import Finding, Rule, register
from flytec.compiler.frontend.guard import MAX_DEPTH, MAX_TOKENS
from flytec.compiler.frontend.hashing import MAX_BYTES
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
    summary = "Python rejects the file: it does not parse or compile."
    why = (
        "Flyte imports the module that defines a task in every container that runs it; a"
        " syntax error fails every task of the module at deploy and at run time. The verdict"
        " and message are CPython's (the Python running flytec), including what only its"
        " compiler finds, such as `return` outside a function or a duplicate argument name."
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
    summary = "The file is not valid in its encoding (UTF-8 unless it declares another)."
    why = (
        "flytec (and Python itself, for non-UTF-8 files without an encoding declaration)"
        " cannot read the file, so none of its tasks were checked."
    )
    fix = "Save the file as UTF-8 (or declare its encoding with a `# -*- coding: ... -*-` line)."
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


@register
class FileTooLarge(_FileProblem):
    code = "FLY004"
    name = "file-too-large"
    category = Category.SYNTAX
    severity = Severity.ERROR
    summary = "The file is too large or too deeply nested for flytec to analyse."
    why = (
        "Parsing costs memory and time per token: a 2 MB line of a million list elements would"
        " take libcst gigabytes and most of a minute. flytec does not parse a file over"
        f" {MAX_BYTES // (1024 * 1024)} MiB, over {MAX_TOKENS:,} tokens (the largest real files"
        f" seen hold under 150,000) or nested over {MAX_DEPTH:,} levels deep, so none of its"
        " tasks were checked. The message says which limit the file is over and on which line."
    )
    fix = (
        "Split the file, or move the data it holds into a data file the code reads at run"
        " time; break up deeply nested expressions. To skip the file, add it to `exclude` under"
        " `[tool.flytec]` (a file named on the command line, as pre-commit does, is checked"
        " anyway: `per-file-ignores = { \"data.py\" = [\"FLY004\"] }` silences it)."
    )
    bad = "import flyte\n\nTOTAL = " + "1+" * 1_001 + "1\n"
    good = "import flyte\n\nTOTAL = sum([1] * 1_002)\n"


@register
class CannotAnalyse(_FileProblem):
    code = "FLY005"
    name = "cannot-analyse"
    category = Category.SYNTAX
    severity = Severity.ERROR
    summary = "Python compiles the file, but flytec's parser (libcst) cannot parse it."
    why = (
        "The code is valid Python, so it is not a syntax error, but flytec parses with libcst,"
        " which rejects a few constructs CPython accepts; none of the file's tasks were"
        " checked. The message gives libcst's reason and where."
    )
    fix = (
        "Rewrite the construct at the reported line (usually an unusual but equivalent"
        " spelling, such as a parenthesized annotated name), or add the file to `exclude`"
        " under `[tool.flytec]` (or, for a file named on the command line,"
        " `per-file-ignores = { \"file.py\" = [\"FLY005\"] }`)."
    )
    bad = "import flyte\n\n(retries): int = 3\n"
    good = "import flyte\n\nretries: int = 3\n"
