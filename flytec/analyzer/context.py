"""What a rule sees: the recovered program, the files to report on, and shared helpers."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING

from flytec.compiler.frontend.hashing import content_hash
from flytec.compiler.resolve import Resolver
from flytec.config import Config
from flytec.model.body import Call
from flytec.model.program import CallSite, Environment, Program, Task

if TYPE_CHECKING:
    from flytec.analyzer.callgraph import CallGraph


class RuleContext:
    def __init__(self, program: Program, requested: set[str], config: Config,
                 read: Callable[[str], bytes | None] | None = None) -> None:
        self.program = program
        self._read = read
        self._sources: dict[str, str | None] = {}
        self.requested = requested  # display paths findings are reported for
        self.config = config
        self._closures: dict[str, set[str]] = {}
        self._module_calls: dict[str, list[tuple[str | None, Call, frozenset[str]]]] = {}

    @cached_property
    def resolver(self) -> Resolver:
        return Resolver(self.program.modules)

    @cached_property
    def callgraph(self) -> CallGraph:
        from flytec.analyzer.callgraph import CallGraph

        return CallGraph.build(self.program)

    def module_calls(self, module: str) -> list[tuple[str | None, Call, frozenset[str]]]:
        """Every call expression of ``module`` as (enclosing function key or None at module
        level, call, local names of that function); computed once, shared by rules."""
        got = self._module_calls.get(module)
        if got is not None:
            return got
        from flytec.compiler.recover.scopes import calls_of, local_names, module_calls

        out: list[tuple[str | None, Call, frozenset[str]]] = []
        mod = self.program.modules.get(module)
        if mod is not None:
            if mod.calls is None:
                mod.calls = module_calls(mod.body)
            out.extend((None, x, frozenset()) for x in mod.calls)
            for fn in [*mod.functions, *mod.nested_functions]:
                key, local = f"{module}:{fn.qualname}", local_names(fn)
                out.extend((key, x, local) for x in calls_of(fn))
        self._module_calls[module] = out
        return out

    def source(self, path: str) -> str | None:
        """The text of a reported file, exactly as parsed (for rules building fixes), or
        None when it cannot be read or is no longer what was parsed."""
        if path in self._sources:
            return self._sources[path]
        text = None
        data = self._read(path) if self._read is not None and self.reported(path) else None
        mod = self.program.modules.get(self.program.paths.get(path, ""))
        if data is not None and mod is not None and mod.notebook is not None:
            text = _notebook_module(data, mod.content_hash)  # the module of its code cells
        elif data is not None and mod is not None and content_hash(data) == mod.content_hash:
            try:
                text = data.decode("utf-8").removeprefix("\ufeff")
            except UnicodeDecodeError:
                text = None
        self._sources[path] = text
        return text

    def reported(self, path: str) -> bool:
        return path in self.requested

    def visible(self, path: str) -> set[str]:
        """Modules whose facts may be used for findings in ``path``: its import closure.

        Rules that look at other modules must stay inside this set, so that a file's
        findings do not depend on which other files were passed on the command line.
        """
        module = self.program.paths.get(path)
        if module is None:
            return set()
        c = self._closures.get(module)
        if c is None:
            c = self.program.closure(module)
            self._closures[module] = c
        return c

    def tasks(self) -> list[Task]:
        return list(self.program.tasks.values())

    def env(self, task: Task) -> Environment | None:
        return self.program.env_of(task)

    def calls(self, function_key: str) -> list[CallSite]:
        return self.program.calls.get(function_key, [])

    def task_fqn(self, function_key: str) -> str | None:
        t = self.program.tasks.get(function_key)
        return t.fqn if t is not None else None


def _notebook_module(data: bytes, expected: str) -> str | None:
    """The module a notebook's code cells make, if it is still the one parsed."""
    from flytec.compiler.frontend.notebook import NotebookError, build_module, read_notebook

    try:
        source = build_module(read_notebook(data)).source
    except NotebookError:
        return None
    return source if content_hash(source.encode("utf-8", "surrogatepass")) == expected else None
