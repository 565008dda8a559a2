"""``flytec check --fix`` in a notebook: the fixes' edits applied to the code cells' sources.

A notebook finding's fix is in cell coordinates (each edit names its cell, see
:meth:`flytec.model.notebook.CellMap.fix`). The edits of each cell are applied to that
cell's source with :func:`flytec.analyzer.fix.apply_fixes`, a fix only when every one of its
cells takes it; a fix that would leave a cell unparseable (its IPython syntax neutralised)
that parsed before is dropped and reported. The new sources go back into the notebook's
JSON with :func:`~flytec.compiler.frontend.notebook_edit.replace_sources`: every other byte
of the file is kept.
"""

from __future__ import annotations

from flytec.analyzer.fix import Where, apply_fixes, where
from flytec.compiler.frontend.notebook import NotebookError, cell_parses, read_notebook
from flytec.compiler.frontend.notebook_edit import replace_sources
from flytec.model.diagnostic import Diagnostic
from flytec.model.fix import Fix

_Parts = dict[int, Fix]  # a fix's edits, by cell


def _parts(fix: Fix) -> _Parts | None:
    out: dict[int, list[int]] = {}
    for i, e in enumerate(fix.edits):
        if e.cell is None:
            return None
        out.setdefault(e.cell, []).append(i)
    return {cell: Fix(fix.message, tuple(fix.edits[i] for i in idx), fix.safety)
            for cell, idx in out.items()}


def _apply(sources: dict[int, str], fixes: list[_Parts]) -> tuple[dict[int, str], list[int]]:
    """Apply, cell by cell, the fixes every cell of which takes them (the others wait)."""
    chosen = list(range(len(fixes)))
    while True:
        new: dict[int, str] = {}
        taken: dict[int, set[int]] = {}
        for cell in sorted({c for i in chosen for c in fixes[i]}):
            owners = [i for i in chosen if cell in fixes[i]]
            if cell not in sources:
                continue
            text, applied = apply_fixes(sources[cell], [fixes[i][cell] for i in owners])
            new[cell] = _keep_ending(sources[cell], text)
            for j in applied:
                taken.setdefault(owners[j], set()).add(cell)
        whole = [i for i in chosen if taken.get(i, set()) == set(fixes[i])]
        if whole == chosen:
            return {c: t for c, t in new.items() if t != sources[c]}, chosen
        chosen = whole


def _keep_ending(old: str, new: str) -> str:
    """A cell whose source had no final newline (as Jupyter saves the last line) gets none
    from an edit at its end (an import added after its last line)."""
    if old and not old.endswith(("\n", "\r")) and new.endswith("\n") and new != old:
        return new[:-1]
    return new


def apply_cell_fixes(sources: dict[int, str], fixes: list[Fix]
                     ) -> tuple[dict[int, str], list[int]]:
    """Apply notebook fixes (edits in cell coordinates) to the cells' sources, by cell
    number: the new text of each cell that changed, and the indices of the fixes applied
    (each in full; one overlapping a fix taken before it waits, as in a ``.py`` file; a
    blocked one, or one with an edit naming no cell, is never applied)."""
    parts = [None if f.blocked else _parts(f) for f in fixes]
    index = [i for i, p in enumerate(parts) if p]
    new, applied = _apply(sources, [p for p in parts if p])
    return new, [index[j] for j in applied]


def cells_parse(old: dict[int, str], new: dict[int, str]) -> bool:
    """Whether every changed cell that parsed alone still does (IPython syntax set aside)."""
    return all(cell_parses(t) or not cell_parses(old[c]) for c, t in new.items())


def fix_notebook(data: bytes, diags: list[Diagnostic], problems: list[str],
                 dropped: set[Where]) -> tuple[bytes, list[Diagnostic]]:
    """The notebook ``data`` with the fixes of ``diags`` applied to its cells, and the
    findings fixed (none when its JSON cannot be rewritten)."""
    try:
        sources = dict(read_notebook(data).cells)
    except NotebookError:
        return data, []
    found: list[tuple[Diagnostic, _Parts]] = []
    for d in diags:
        parts = None if d.fix is None or d.fix.blocked else _parts(d.fix)
        if parts:
            found.append((d, parts))
    fixes = [p for _, p in found]
    new, applied = _apply(sources, fixes)
    if not cells_parse(sources, new):
        keep: list[int] = []  # one at a time, keeping those after which the cells parse
        for i in applied:
            trial, got = _apply(sources, [fixes[j] for j in [*keep, i]])
            if len(got) == len(keep) + 1 and cells_parse(sources, trial):
                keep.append(i)
            else:
                d = found[i][0]
                problems.append(f"{d.location}: the {d.code} fix would leave a syntax error"
                                " in the cell; not applied")
                dropped.add(where(d))
        new, got = _apply(sources, [fixes[j] for j in keep])
        applied = [keep[j] for j in got]
    if not applied or not new:
        return data, []
    try:
        out = replace_sources(data, new)
    except ValueError as e:
        problems.append(f"{found[0][0].path}: cannot rewrite the notebook's JSON ({e}); "
                        "not fixed")
        return data, []
    return out, [found[i][0] for i in applied]
