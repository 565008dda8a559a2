"""The library API of ``flytec check --fix`` / ``--diff``: apply the rules' fixes.

Fixes are applied in memory, pass after pass: check, apply every fix that does not overlap
one already taken (the others wait for the next pass), check the fixed text again (the
project sees it through :attr:`Project.overlay`), until no fix is left or
:data:`MAX_PASSES` is reached. A fix whose result does not parse is dropped and reported.
Only then are files written (:func:`write_fixes`), each to a temporary file renamed over
the original, and only if it still holds what was read; ``--diff`` prints the same fixed
text instead (:func:`unified_diff`), so the diff is exactly what ``--fix`` writes.
"""

from __future__ import annotations

import ast
import dataclasses
import difflib
import os
import re
import stat
import tempfile
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from flytec.analyzer.check import CheckResult, check_paths
from flytec.analyzer.warm_state import WarmState
from flytec.compiler.frontend.hashing import content_hash
from flytec.compiler.frontend.notebook import is_notebook, module_hash
from flytec.config import Config
from flytec.model.diagnostic import Diagnostic
from flytec.model.fix import Fix

MAX_PASSES = 10
_NEWLINE = re.compile(r"\r\n|\r|\n")


class EditError(ValueError):
    """An edit whose span is not inside the text (stale or wrong positions)."""


# ------------------------------------------------------------------------ text edits


def line_starts(text: str) -> list[int]:
    """Offsets where each line starts (Python's newlines: ``\\n``, ``\\r\\n``, ``\\r``)."""
    return [0, *(m.end() for m in _NEWLINE.finditer(text))]


def offset(starts: list[int], text: str, line: int, column: int) -> int:
    """The character offset of 1-based (line, column); the line after the last is the end."""
    if line == len(starts) + 1 and column == 1:
        return len(text)
    if not 1 <= line <= len(starts) or column < 1:
        raise EditError(f"position {line}:{column} is outside the file")
    start = starts[line - 1]
    end = starts[line] if line < len(starts) else len(text)
    body = text[start:end].rstrip("\r\n")
    if column - 1 > len(body):
        raise EditError(f"position {line}:{column} is past the end of line {line}")
    return start + column - 1


def _ranges(text: str, starts: list[int], fix: Fix) -> list[tuple[int, int, str]]:
    out = []
    for e in fix.edits:
        a = offset(starts, text, e.span.line, e.span.column)
        b = offset(starts, text, e.span.end_line, e.span.end_column)
        if b < a:
            raise EditError(f"edit {e.span} ends before it starts")
        content = e.content
        if a == len(text) and text and not text.endswith(("\n", "\r")) and content:
            content = "\n" + content  # an import appended to a file without a final newline
        out.append((a, b, content))
    return out


def _overlaps(x: tuple[int, int, str], y: tuple[int, int, str]) -> bool:
    (a, b, _), (c, d, _) = x, y
    if a == b == c == d:
        return True  # two insertions at one point: their order would be a guess
    return a < d and c < b


def apply_fixes(text: str, fixes: Sequence[Fix]) -> tuple[str, list[int]]:
    """Apply the fixes that do not overlap an earlier one (in the given order); returns the
    new text and the indices of the fixes applied. An edit equal to one already taken (two
    fixes adding the same import) is shared, not a conflict."""
    starts = line_starts(text)
    taken: list[tuple[int, int, str]] = []
    applied: list[int] = []
    for i, fix in enumerate(fixes):
        try:
            ranges = _ranges(text, starts, fix)
        except EditError:
            continue
        new = [r for r in ranges if r not in taken]
        if any(_overlaps(r, t) for r in new for t in taken) or any(
            _overlaps(r, s) for j, r in enumerate(new) for s in new[j + 1:]
        ):
            continue
        taken.extend(new)
        applied.append(i)
    out: list[str] = []
    pos = 0
    for a, b, content in sorted(taken, key=lambda r: (r[0], r[1])):
        out.append(text[pos:a])
        out.append(content)
        pos = b
    out.append(text[pos:])
    return "".join(out), applied


def parses(text: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarning about the user's escapes
            ast.parse(text)
    except (SyntaxError, ValueError):
        return False
    return True


# ------------------------------------------------------------------------ the passes


@dataclass
class FileFix:
    path: Path  # real path
    shown: str  # as diagnostics name it
    original: bytes
    fixed: bytes
    applied: list[Diagnostic] = field(default_factory=list)  # findings fixed, all passes

    @property
    def changed(self) -> bool:
        return self.fixed != self.original


@dataclass
class FixRun:
    files: dict[Path, FileFix]
    result: CheckResult  # the check of the fixed text (in memory)
    passes: int
    problems: list[str] = field(default_factory=list)  # fixes dropped, with file:line

    @property
    def fixed(self) -> int:
        return sum(len(f.applied) for f in self.files.values())

    def changed(self) -> list[FileFix]:
        return [f for f in self.files.values() if f.changed]


Where = tuple[str, str, int, int, int]  # a finding: path, code, cell (0: none), line, column


def where(d: Diagnostic) -> Where:
    return (d.path, d.code, d.cell or 0, d.span.line, d.span.column)


def wanted(d: Diagnostic, unsafe: bool) -> bool:
    """Whether ``--fix`` applies this finding's fix (in a notebook, to its cells; never a
    blocked one: see :meth:`flytec.model.notebook.CellMap.fix`)."""
    return d.fix is not None and d.fix.blocked is None and (unsafe or d.fix.safe)


def blocked(diagnostics: list[Diagnostic], unsafe: bool) -> list[str]:
    """The findings whose fix ``--fix`` would apply but cannot, with the reason."""
    return [f"{d.location}: the {d.code} fix was not applied: {d.fix.blocked}"
            for d in diagnostics
            if d.fix is not None and d.fix.blocked is not None and (unsafe or d.fix.safe)]


def fix_paths(
    paths: list[Path],
    config: Config,
    *,
    unsafe: bool = False,
    cwd: Path | None = None,
    max_passes: int = MAX_PASSES,
    overlay: dict[Path, bytes] | None = None,
    warm: WarmState | None = None,
) -> FixRun:
    """Fix ``paths`` in memory (nothing is written); raises what :func:`check_paths` does.

    ``overlay`` gives the text of some files (by real path) instead of the disk's: an
    editor's unsaved buffers, fixed as they are (the language server's "fix all"); ``warm``
    is passed on to :func:`check_paths`.

    A kind of fix (file, rule, message, edit contents) that was applied without making its
    findings fewer is not applied again: a fix that does not remove its finding cannot
    loop until :data:`MAX_PASSES`."""
    from flytec.analyzer.fix_notebook import fix_notebook  # (it uses apply_fixes)

    config = dataclasses.replace(config, types=False)  # mypy reads the disk, not the overlay
    cwd = cwd or Path.cwd()
    real_cwd = cwd.resolve()
    overlay = dict(overlay or {})
    files: dict[Path, FileFix] = {}
    problems: list[str] = []
    dropped: set[Where] = set()
    stuck: set[_Kind] = set()
    passes = 0
    result = check_paths(paths, config, cwd=cwd, overlay=overlay, warm=warm)
    while passes < max_passes:
        by_file: dict[str, list[Diagnostic]] = {}
        for d in result.diagnostics:
            if wanted(d, unsafe) and where(d) not in dropped \
                    and _kind(d) not in stuck:
                by_file.setdefault(d.path, []).append(d)
        if not by_file:
            break
        passes += 1
        before = Counter(_kind(d) for ds in by_file.values() for d in ds)
        applied: set[_Kind] = set()
        hashes = {m.path: m.content_hash for m in result.program.modules.values()}
        for shown, diags in by_file.items():
            real = Path(shown) if Path(shown).is_absolute() else real_cwd / shown
            real = real.resolve()
            entry = files.get(real)
            if entry is None:
                try:
                    data = overlay[real] if real in overlay else real.read_bytes()
                except OSError as e:
                    problems.append(f"{shown}: cannot read ({e.strerror or e}); not fixed")
                    dropped.update(where(d) for d in diags)
                    continue
                if shown in hashes and hashes[shown] != _hash(shown, data):
                    problems.append(f"{shown}: changed while flytec checked it; not fixed")
                    dropped.update(where(d) for d in diags)
                    continue
                entry = files[real] = FileFix(real, shown, data, data)
            new, taken = (fix_notebook if is_notebook(shown) else _fix_text)(
                entry.fixed, diags, problems, dropped)
            if taken:
                entry.fixed = new
                entry.applied.extend(taken)
                overlay[real] = new
                applied.update(_kind(d) for d in taken)
        if not applied:
            break
        result = check_paths(paths, config, cwd=cwd, overlay=overlay, warm=warm)
        after = Counter(_kind(d) for d in result.diagnostics if wanted(d, unsafe))
        for k in applied:
            if after[k] >= before[k]:
                stuck.add(k)
                problems.append(f"{k[0]}: the {k[1]} fix `{k[2]}` did not remove its finding;"
                                " applied once, not again")
    problems.extend(blocked(result.diagnostics, unsafe))
    return FixRun(files, result, passes, list(dict.fromkeys(problems)))


def _hash(shown: str, data: bytes) -> str:
    """The content hash the check gave the file: a notebook's is its code's."""
    return module_hash(data) if is_notebook(shown) else content_hash(data)


_Kind = tuple[str, str, str, tuple[str, ...]]


def _kind(d: Diagnostic) -> _Kind:
    contents = tuple(e.content for e in d.fix.edits) if d.fix is not None else ()
    return (d.path, d.code, d.fix.message if d.fix is not None else "", contents)


def _fix_text(
    data: bytes,
    diags: list[Diagnostic],
    problems: list[str],
    dropped: set[Where],
) -> tuple[bytes, list[Diagnostic]]:
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        text = data[3 if bom else 0:].decode("utf-8")
    except UnicodeDecodeError:
        return data, []
    fixes = [d.fix for d in diags if d.fix is not None]
    new, applied = apply_fixes(text, fixes)
    if applied and not parses(new):
        # Take the fixes one at a time, keeping those after which the file still parses.
        keep: list[int] = []
        for i in applied:
            trial, got = apply_fixes(text, [fixes[j] for j in [*keep, i]])
            if len(got) == len(keep) + 1 and parses(trial):
                keep.append(i)
            else:
                d = diags[i]
                problems.append(
                    f"{d.path}:{d.span.line}:{d.span.column}: the {d.code} fix would leave"
                    " a syntax error; not applied"
                )
                dropped.add(where(d))
        new, applied = apply_fixes(text, [fixes[j] for j in keep])
        applied = [keep[j] for j in applied]
    if not applied:
        return data, []
    return (b"\xef\xbb\xbf" if bom else b"") + new.encode("utf-8"), [diags[i] for i in applied]


# ----------------------------------------------------------------------- output


def unified_diff(f: FileFix) -> str:
    """The unified diff of one fixed file (``--diff``)."""
    a = f.original.decode("utf-8", "surrogateescape").splitlines(keepends=True)
    b = f.fixed.decode("utf-8", "surrogateescape").splitlines(keepends=True)
    out = []
    for line in difflib.unified_diff(a, b, f"a/{f.shown}", f"b/{f.shown}"):
        ends = line.endswith(("\n", "\r"))
        out.append(line if ends else line + "\n\\ No newline at end of file\n")
    return "".join(out)


@dataclass
class WriteError:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def write_fixes(run: FixRun) -> list[WriteError]:
    """Write every changed file atomically (a temporary file in the same folder renamed over
    it). A file that is read-only, or no longer holds what was read, is left alone."""
    errors = []
    for f in run.changed():
        err = write_atomic(f.path, f.original, f.fixed)
        if err is not None:
            errors.append(WriteError(f.shown, err))
    return errors


def write_atomic(path: Path, expected: bytes, data: bytes) -> str | None:
    """Replace ``path``'s content by ``data`` if it is still ``expected``; the reason not."""
    try:
        st = path.stat()
        # no write bit at all is read-only even for root, who may write anything
        if not os.access(path, os.W_OK) or not st.st_mode & 0o222:
            return "read-only; not fixed"
        if path.read_bytes() != expected:
            return "changed since flytec read it; not fixed (run flytec again)"
    except OSError as e:
        return f"cannot read ({e.strerror or e}); not fixed"
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".flytec-fix",
                                   dir=path.parent)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, stat.S_IMODE(st.st_mode))
        os.replace(tmp, path)
        tmp = None
    except OSError as e:
        return f"cannot write ({e.strerror or e}); not fixed, the file is unchanged"
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
    return None
