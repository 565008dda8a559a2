"""The fix-related options of ``flytec check`` (ruff's names): ``--fix``,
``--unsafe-fixes``, ``--diff``, ``--show-fixes``, ``--statistics``, ``--exit-zero`` and
``--extend-select``. A thin layer over :mod:`flytec.analyzer.fix`."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from flytec.cli.common import EXIT_CLEAN, EXIT_FINDINGS, exit_fast, fail, split_codes
from flytec.model.fix import offered

if TYPE_CHECKING:  # not imported at start-up (`flytec --version` stays fast)
    from flytec.analyzer.check import CheckResult
    from flytec.analyzer.fix import FixRun
    from flytec.config import Config
    from flytec.model.diagnostic import Diagnostic

F = TypeVar("F", bound=Callable[..., Any])


def fix_options(f: F) -> F:
    """The decorators adding the options (their values reach the command as ``**fixing``)."""
    opts = [
        click.option("--fix", is_flag=True,
                     help="Apply the safe fixes, then report what remains."),
        click.option("--unsafe-fixes", is_flag=True,
                     help="With --fix or --diff, also apply the unsafe fixes (they change"
                     " behaviour on purpose)."),
        click.option("--diff", is_flag=True,
                     help="Print the fixes as a unified diff and write nothing; exit 1 when"
                     " there is one."),
        click.option("--show-fixes", is_flag=True,
                     help="List the findings fixed (with --fix) or fixable (without)."),
        click.option("--statistics", is_flag=True,
                     help="Print how many findings each rule has instead of the findings."),
        click.option("--exit-zero", is_flag=True,
                     help="Exit 0 even when there are findings (2 still means bad usage)."),
        click.option("--extend-select", multiple=True, metavar="CODES",
                     help="Rule codes or prefixes to add to the selection (comma-separated)."),
    ]
    for o in reversed(opts):
        f = o(f)
    return f


@dataclass
class FixOptions:
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False
    show_fixes: bool = False
    statistics: bool = False
    exit_zero: bool = False
    extend_select: tuple[str, ...] = ()
    fixed: list[Diagnostic] = field(default_factory=list)  # what --fix applied
    fixed_files: int = 0
    # the check of the fixed text, when it is what the disk now holds (no need to re-check)
    result: CheckResult | None = None
    fixed_stdin: dict[Path, bytes] = field(default_factory=dict)  # standard input, fixed

    def configure(self, config: Config) -> None:
        if self.extend_select and config.select:
            config.select = [*config.select, *split_codes(self.extend_select)]
        elif self.extend_select:
            split_codes(self.extend_select)  # validates; an empty selection is every rule

    def apply(self, paths: list[Path], config: Config, cwd: Path,
              stdin: dict[Path, bytes] | None = None) -> None:
        """``--diff``: print the diff and exit. ``--fix``: write the fixed files (the command
        then checks them again from the disk and reports what remains). ``stdin``: the file
        standard input stands for and its text; ``--fix`` then prints the fixed text on
        standard output instead of writing (the report goes to standard error), as ruff
        does."""
        if not (self.fix or self.diff):
            return
        from flytec.analyzer.fix import fix_paths, unified_diff, write_fixes
        from flytec.compiler.project import PathError
        from flytec.config import ConfigError

        try:
            run = fix_paths(paths, config, unsafe=self.unsafe_fixes, cwd=cwd, overlay=stdin)
        except (PathError, ConfigError) as e:
            fail(str(e))
        for p in run.problems:
            click.echo(f"flytec: {p}", err=True)
        changed = run.changed()
        if self.diff:
            for f in changed:
                click.echo(unified_diff(f), nl=False)
            n = sum(len(f.applied) for f in changed)
            click.echo(f"Would fix {n} finding{'s' * (n != 1)} in {len(changed)}"
                       f" file{'s' * (len(changed) != 1)}.", err=True)
            exit_fast(self.exit_code(EXIT_FINDINGS if changed else EXIT_CLEAN))
        if stdin:
            self.fix_stdin(run, stdin)
            return
        errors = write_fixes(run)
        if not errors and not config.types:
            self.result = run.result
        failed = {err.path for err in errors}
        for err in errors:
            click.echo(f"flytec: error: {err}", err=True)
        for f in changed:
            if f.shown not in failed:
                self.fixed.extend(f.applied)
                self.fixed_files += 1

    def stdin_text(self, stdin: dict[Path, bytes]) -> dict[Path, bytes]:
        """Standard input's text as the report quotes it: fixed, after ``--fix``."""
        return {p: self.fixed_stdin.get(p, data) for p, data in stdin.items()}

    def fix_stdin(self, run: FixRun, stdin: dict[Path, bytes]) -> None:
        """Print standard input's text, fixed; the report (of the fixed text) follows."""
        ((path, data),) = stdin.items()
        fixed = run.files.get(path)
        out = sys.stdout.buffer
        out.write(fixed.fixed if fixed is not None else data)
        out.flush()
        if fixed is not None and fixed.changed:
            self.fixed_stdin[path] = fixed.fixed
            self.fixed.extend(fixed.applied)
            self.fixed_files = 1
        self.result = run.result

    def statistics_text(self, fmt: str, diagnostics: list[Diagnostic]) -> str:
        counts = Counter(d.code for d in diagnostics)
        names = {d.code: d.name for d in diagnostics}
        fixable = {d.code for d in diagnostics if offered(d.fix) is not None}
        rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if fmt == "json":
            return json.dumps([{"code": c, "name": names[c], "count": n,
                                "fixable": c in fixable} for c, n in rows], indent=2)
        return "\n".join(f"{n:>5}  {c}  {'[*]' if c in fixable else '   '} {names[c]}"
                         for c, n in rows)

    def report(self, diagnostics: list[Diagnostic], fmt: str) -> None:
        """What was fixed, and what could be (on stderr, so stdout stays one format; the
        hint only after the text formats, as ruff does)."""
        if self.fix:
            n = len(self.fixed)
            click.echo(f"flytec: fixed {n} finding{'s' * (n != 1)} in {self.fixed_files}"
                       f" file{'s' * (self.fixed_files != 1)}; {len(diagnostics)} remaining.",
                       err=True)
            if self.show_fixes:
                for d in self.fixed:
                    click.echo(f"  {d.location}: {d.code} {_fix_message(d)}", err=True)
            return
        safe = [d for d in diagnostics if (f := offered(d.fix)) is not None and f.safe]
        unsafe = [d for d in diagnostics if (f := offered(d.fix)) is not None and not f.safe]
        if self.show_fixes:
            for d in [*safe, *unsafe]:
                assert d.fix is not None
                click.echo(f"  {d.location}: {d.code} [{d.fix.safety.value}]"
                           f" {_fix_message(d)}", err=True)
        if (safe or unsafe) and fmt in ("text", "concise"):
            hint = f"[*] {len(safe)} fixable with `flytec check --fix`"
            if unsafe:
                hint += f" ({len(unsafe)} more with `--fix --unsafe-fixes`)"
            click.echo(hint + ".", err=True)

    def exit_code(self, code: int) -> int:
        return EXIT_CLEAN if self.exit_zero else code


def _fix_message(d: Diagnostic) -> str:
    return d.fix.message if d.fix is not None else d.message
