"""FLY006: suppression comments naming unknown codes, or codes that suppress nothing."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.registry import Finding, Rule, register
from flytec.model.diagnostic import Category, Severity


@register
class UnusedNoqa(Rule):
    """Reported by the engine once the other rules' findings are known (see
    :mod:`flytec.analyzer.suppression_use`), not by ``check``."""

    code = "FLY006"
    name = "unused-noqa"
    category = Category.SYNTAX
    severity = Severity.WARNING
    summary = "A suppression comment names an unknown rule code, or one that suppresses nothing."
    why = (
        "A typo in `# noqa: FLY130` (meant: FLY103) or `# flytec: ignore[...]` silently"
        " suppresses nothing, so the finding it was meant for is still reported, or worse, a"
        " later finding on that line is not; and a suppression left behind after a fix hides the"
        " next real finding on its line. An unknown code is a warning; a known code that"
        " suppressed nothing on its line (or file, for `ignore-file`) is an info."
    )
    fix = "Correct the code (the message names the closest one) or delete the suppression."
    details = (
        "Only codes of rules that ran are judged unused: a code left out by `select`/`ignore`,"
        " and the `--types` codes (FLY2xx from mypy), are never reported as unused, since their"
        " findings were not computed. A bare `# noqa` names no code and is left to the other"
        " tools that read it. `# noqa: FLY006` on a line silences this rule there; `ignore ="
        " [\"FLY006\"]` everywhere."
    )
    bad = (
        "import flyte\n\nenv = flyte.TaskEnvironment(name='etl')\n\n\n@env.task\n"
        "async def double(x: int) -> int:\n    return x * 2  # noqa: FLY130\n"
    )
    good = (
        "import flyte\n\nenv = flyte.TaskEnvironment(name='etl')\n\n\n@env.task\n"
        "async def double(x: int) -> int:\n    return x * 2\n"
    )

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        return ()
