"""Emitters of diagnostics: one module per output format, all over the same Diagnostic."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from flytec.model.diagnostic import Diagnostic
from flytec.model.safe_text import printable


@dataclass
class Report:
    diagnostics: list[Diagnostic]
    files: int
    root: Path  # project root (SARIF paths are relative to it)
    cwd: Path  # diagnostics' paths are relative to this
    color: bool = False
    skipped: list[str] = field(default_factory=list)
    # files named explicitly that were not analysed: displayed path -> why
    skip_reasons: dict[str, str] = field(default_factory=dict)
    quiet: bool = False  # text/concise: nothing at all when there is nothing to report
    # the text of files that is not (or not yet) on disk, by displayed path (standard input)
    sources: dict[str, bytes] = field(default_factory=dict)

    def summary(self) -> dict[str, int]:
        counts = {"error": 0, "warning": 0, "info": 0}
        for d in self.diagnostics:
            counts[d.severity.value] += 1
        return {
            "files": self.files,
            "errors": counts["error"],
            "warnings": counts["warning"],
            "infos": counts["info"],
        }


def printable_report(report: Report) -> Report:
    """``report`` with the user's text (messages quote names and values from the code, paths
    may hold undecodable bytes) escaped for a terminal (:func:`flytec.model.safe_text.printable`)
    """
    def clean(d: Diagnostic) -> Diagnostic:
        return dataclasses.replace(
            d, path=printable(d.path), message=printable(d.message), help=printable(d.help),
            task=None if d.task is None else printable(d.task),
            chain=tuple(printable(c) for c in d.chain))

    return dataclasses.replace(report, diagnostics=[clean(d) for d in report.diagnostics],
                               skipped=[printable(s) for s in report.skipped])


def render(fmt: str, report: Report) -> str:
    if fmt in ("text", "concise", "github"):  # JSON and SARIF escape by themselves
        report = printable_report(report)
    if fmt == "text":
        from flytec.codegen.report.text import render_text

        return render_text(report)
    if fmt == "concise":
        from flytec.codegen.report.text import render_concise

        return render_concise(report)
    if fmt == "json":
        from flytec.codegen.report.json_report import render_json

        return render_json(report)
    if fmt == "sarif":
        from flytec.codegen.report.sarif import render_sarif

        return render_sarif(report)
    if fmt == "github":
        from flytec.codegen.report.github import render_github

        return render_github(report)
    raise ValueError(f"unknown format {fmt!r}")
