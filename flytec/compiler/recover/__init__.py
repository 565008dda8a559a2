"""Recovering the program (environments, tasks, traces, calls, state) from module IRs."""

from __future__ import annotations

from flytec.compiler.recover.calls import collect_calls
from flytec.compiler.recover.definitions import find_environments, find_functions
from flytec.compiler.recover.state import collect_state
from flytec.compiler.resolve import Resolver
from flytec.model.module import ModuleIR
from flytec.model.program import Program


def recover(modules: dict[str, ModuleIR]) -> Program:
    """Build the :class:`Program` of a set of loaded modules."""
    program = Program(modules=dict(sorted(modules.items())))
    resolver = Resolver(program.modules)
    for mod in program.modules.values():
        program.paths[mod.path] = mod.module
        deps: set[str] = set()
        for b in mod.imports:
            for cand in (b.submodule or b.module, f"{b.module}.{b.name}" if b.name else ""):
                if cand and cand in program.modules and cand != mod.module:
                    deps.add(cand)
        program.imports[mod.module] = deps
    find_environments(program, resolver)
    find_functions(program, resolver)
    collect_calls(program, resolver)
    collect_state(program, resolver)
    return program
