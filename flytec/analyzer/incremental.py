"""The incremental check: a file's diagnostics are computed again only when something they
depend on changed.

A file's findings depend on its own content and on the modules it imports, transitively
(rules see across modules only through imports: ``RuleContext.visible``), on the settings,
and on flytec itself. So the result index (:mod:`flytec.analyzer.result_index`) keeps, per
module, its content key, the project files it imports and what its module look-ups found,
and per reported file its diagnostics. A run then:

1. reads the requested files and computes their content keys;
2. marks a known module *invalid* when its content changed, or when the project's files
   changed and one of its look-ups now finds another file; and *dirty* when it is invalid
   or imports a dirty module (one reverse walk over the import graph: linear);
3. takes the diagnostics of every requested file that is not dirty from the index, and
   analyses only the others, with the modules they import, exactly as a full run would;
4. writes what it learnt back to the index.

Which requested files are analysed at all follows the full run's rule: a file that does not
mention flyte is analysed only when an analysed file imports it.

Files given as an overlay (an editor's unsaved buffer, ``check -``) are read from it: one whose
text differs from the disk's has another content key, so it and its importers are dirty. What
is learnt from such a text is never stored: not its module facts, not its results, not the
results of the files that import it (they read it); the IR cache does not keep its IR either
(:meth:`Project.parse`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from flytec.analyzer.engine import InternalError, run
from flytec.analyzer.result_index import FileResult, ModuleFacts, ResultIndex, flytec_code_id
from flytec.analyzer.warm_state import WarmState
from flytec.compiler.project import Loaded, Project, load, read_regular, worth_parsing
from flytec.compiler.recover import recover
from flytec.config import Config
from flytec.model.diagnostic import Diagnostic
from flytec.model.program import Program


@dataclass
class IncrementalResult:
    diagnostics: list[Diagnostic]
    requested: list[str]  # display paths of the requested files that were analysed
    skipped: list[str]
    program: Program  # the modules analysed in this run (only the changed part)
    internal_errors: list[InternalError] = field(default_factory=list)
    reused: int = 0  # files whose diagnostics came from the index


def fingerprint(project: Project, config: Config) -> str:
    """What every result depends on besides the code: flytec, the settings, the project."""
    settings = dataclasses.asdict(config)
    for irrelevant in ("format", "fail_on", "jobs", "source", "cache"):
        settings.pop(irrelevant, None)
    files = [project.root / "pyproject.toml"]
    if config.source:
        files.append(Path(config.source))
    h = hashlib.blake2b(digest_size=16)
    h.update(flytec_code_id().encode())
    h.update(json.dumps(settings, sort_keys=True, default=str).encode())
    h.update(f"\0{project.root}\0{project.cwd}\0".encode("utf-8", "surrogateescape"))
    for f in files:
        try:
            h.update(read_regular(f))
        except OSError:
            h.update(b"\0missing")
    return h.hexdigest()


class _State:
    """The current keys of files, read at most once, and the validity of known modules."""

    def __init__(self, project: Project, index: ResultIndex, layout: str) -> None:
        self.project = project
        self.index = index
        self.layout = layout
        self.data: dict[str, bytes | None] = {}
        self.keys: dict[str, str | None] = {}
        self.restamped = False

    def path(self, shown: str) -> Path:
        return self.project.cwd / shown

    def key(self, shown: str) -> str | None:
        if shown not in self.keys:
            data = self.data.get(shown)
            if data is None and self.project.overlay:
                data = self.project.overlay.get(self.project.real(self.path(shown)))
            if data is None:
                try:
                    data = read_regular(self.path(shown))
                except OSError:
                    self.keys[shown] = None
                    return None
            self.keys[shown] = self.project.content_key(self.path(shown), data)
        return self.keys[shown]

    def valid(self, shown: str) -> bool:
        facts = self.index.modules.get(shown)
        if facts is None or self.key(shown) != facts.key:
            return False
        if facts.layout != self.layout:
            importer = self.path(shown)
            for name, found in facts.lookups.items():
                now = self.project.find_module(name, importer)
                if (None if now is None else self.project.display(now)) != found:
                    return False
            facts.layout = self.layout  # still right under the new layout
            self.restamped = True
        return True


def _closure(start: list[str], modules: dict[str, ModuleFacts]) -> set[str]:
    seen = set(start)
    queue = deque(start)
    while queue:
        m = modules.get(queue.popleft())
        if m is None:
            continue
        for dep in m.imports:
            if dep not in seen:
                seen.add(dep)
                queue.append(dep)
    return seen


def _dirty(known: set[str], state: _State) -> set[str]:
    """Known modules that are invalid or import one that is (transitively)."""
    modules = state.index.modules
    importers: dict[str, list[str]] = {}
    for m in known:
        facts = modules.get(m)
        if facts is not None:
            for dep in facts.imports:
                importers.setdefault(dep, []).append(m)
    dirty = {m for m in known if not state.valid(m)}
    queue = deque(dirty)
    while queue:
        for importer in importers.get(queue.popleft(), ()):
            if importer not in dirty:
                dirty.add(importer)
                queue.append(importer)
    return dirty


def buffered(project: Project) -> set[str]:
    """The overlaid files whose text is not the disk's (by displayed path)."""
    out = set()
    for path, data in project.overlay.items():
        try:
            same = read_regular(path) == data
        except OSError:
            same = False
        if not same:
            out.add(project.display(path))
    return out


def check_incremental(project: Project, paths: list[Path], config: Config,
                      warm: WarmState | None = None) -> IncrementalResult:
    """The incremental check; ``warm`` keeps the result index in memory between calls."""
    assert project.cache_dir is not None
    requested = project.expand(paths)
    shown = [project.display(f) for f in requested]
    fp = fingerprint(project, config)
    if warm is not None and warm.index is not None and warm.index.fingerprint == fp:
        index = warm.index
    else:
        index = ResultIndex.read(project.cache_dir, fp)
        if warm is not None:
            warm.index = index
    state = _State(project, index, project.layout_key())
    worth: dict[str, bool] = {}
    for f, s in zip(requested, shown):
        data = project.read(f)
        state.data[s] = data
        worth[s] = worth_parsing(f, data)

    known = _closure([s for s in shown if s in index.modules], index.modules)
    dirty = _dirty(known, state)

    def clean(s: str) -> bool:
        r = index.results.get(s)
        return r is not None and s in index.modules and s not in dirty and r.key == state.key(s)

    clean_roots = [s for s in shown if worth[s] and clean(s)]
    analysed_by_clean = _closure(clean_roots, index.modules)
    cached: dict[str, FileResult] = {}
    rerun: list[Path] = []
    forced: set[Path] = set()
    maybe: list[Path] = []
    for f, s in zip(requested, shown):
        if worth[s]:
            if clean(s):
                cached[s] = index.results[s]
            else:
                rerun.append(f)
        elif s in analysed_by_clean:
            if clean(s):
                cached[s] = index.results[s]
            else:
                rerun.append(f)
                forced.add(f)
        else:
            maybe.append(f)  # analysed only if a re-analysed file imports it
    if rerun:  # else nothing is re-analysed, so nothing can import them: they stay skipped
        again = set(rerun) | set(maybe)
        rerun = [f for f in requested if f in again]  # in the order a full run reads them

    diagnostics = [d for r in cached.values() for d in r.diagnostics]
    errors: list[InternalError] = []
    fresh: set[str] = set()
    program = recover({})
    if rerun:
        read = {f: d for f, s in zip(requested, shown) if (d := state.data.get(s)) is not None}
        loaded = load(project, rerun, force=frozenset(forced), record=True, contents=read)
        program = recover(loaded.modules)
        outcome = run(program, set(loaded.requested), config, read=project.read_shown)
        diagnostics.extend(outcome.diagnostics)
        errors = outcome.internal_errors
        fresh = set(loaded.requested)
        learnt = _learn(index, state, loaded, outcome.diagnostics, remember_results=not errors,
                        unsaved=buffered(project) if project.overlay else set())
        if learnt or state.restamped:
            index.write(project.cache_dir)
    elif state.restamped:
        index.write(project.cache_dir)  # look-ups re-checked under a new file layout
    diagnostics.sort(key=Diagnostic.sort_key)
    analysed = [s for s in shown if s in cached or s in fresh]
    skipped = [s for s in shown if s not in cached and s not in fresh]
    return IncrementalResult(diagnostics, analysed, skipped, program, errors, len(cached))


def _learn(index: ResultIndex, state: _State, loaded: Loaded, diagnostics: list[Diagnostic],
           *, remember_results: bool, unsaved: set[str]) -> bool:
    """Record what the run learnt; whether anything is new. Nothing is learnt from the
    ``unsaved`` texts (overlaid files that differ from the disk), nor the results of the
    files that import one of them."""
    project = state.project

    def show(p: Path | None) -> str | None:
        return None if p is None else project.display(p)

    new = False
    for path, key in loaded.keys.items():
        s = project.display(path)
        if s in unsaved:
            continue
        lookups = project.queries.get(path, {})
        facts = ModuleFacts(
            key,
            [project.display(d) for d in loaded.imports.get(path, [])],
            {name: show(found) for name, found in lookups.items()},
            state.layout,
        )
        if index.modules.get(s) != facts:
            index.modules[s] = facts
            new = True
    if not remember_results:
        return new
    reads_unsaved = _importers(unsaved, loaded, project) if unsaved else set()
    by_file: dict[str, list[Diagnostic]] = {
        s: [] for s in loaded.requested if s not in reads_unsaved}
    for d in diagnostics:
        if d.path in by_file:
            by_file[d.path].append(d)
    for s, diags in by_file.items():
        known = index.modules.get(s)
        if known is not None:
            result = FileResult(known.key, diags)
            if index.results.get(s) != result:
                index.results[s] = result
                new = True
    return new


def _importers(unsaved: set[str], loaded: Loaded, project: Project) -> set[str]:
    """The unsaved files and every loaded file that imports one, transitively."""
    importers: dict[str, list[str]] = {}
    for path, deps in loaded.imports.items():
        for dep in deps:
            importers.setdefault(project.display(dep), []).append(project.display(path))
    seen = set(unsaved)
    queue = deque(unsaved)
    while queue:
        for importer in importers.get(queue.popleft(), ()):
            if importer not in seen:
                seen.add(importer)
                queue.append(importer)
    return seen
