"""CPython's verdict on a file, so flytec's syntax verdicts are the interpreter's.

libcst and CPython's parser disagree at the edges: libcst accepts some code CPython rejects
(``return`` at module level and duplicate argument names are found by CPython's symbol table
and compiler, not its parser) and rejects some code CPython compiles. The frontend asks
CPython (``ast.parse`` and ``compile``, which never run the code) and reports its errors as
syntax errors; what only libcst rejects is reported as "flytec cannot analyse this file".
"""

from __future__ import annotations

import ast
import sys
import warnings

import libcst as cst


def compile_error(tree: ast.Module, path: str) -> SyntaxError | None:
    """The error CPython's compiler raises for an ``ast``-valid module, if any.

    ``compile`` from the tree already parsed (not the source again) runs the symbol table and
    code generation, which reject top-level ``return``, duplicate argument names, ``nonlocal``
    at module level, ``break`` outside a loop and the like. The code object is discarded.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarnings are not flytec's findings
            # a notebook's cells may ``await`` at top level (IPython runs them so)
            flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT if path.endswith(".ipynb") else 0
            compile(tree, path, "exec", flags=flags, dont_inherit=True)
    except SyntaxError as e:
        return e
    except (ValueError, TypeError, RecursionError, MemoryError, OverflowError):
        return None  # no verdict: the tree or its size defeats the compiler, not the code
    return None


def parse_ast(source: str | bytes) -> ast.Module:
    """``ast.parse`` without warnings on stderr (invalid escapes and the like)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(source)


_HERE = sys.version_info[:2]


def newer_grammar(tree: cst.Module, error: SyntaxError) -> bool:
    """Whether CPython's error may come from syntax newer than the running Python.

    flytec analyses code written for a newer Python than the one it runs on (``type``
    statements, ``except*``, PEP 701 f-strings); FLY609 reports them against the target
    Python. Any other error CPython raises where libcst parsed the file is a syntax error.
    """
    if _HERE < (3, 12) and str(error.msg).startswith("f-string"):
        return True  # PEP 701: quotes, backslashes and comments inside replacement fields
    finder = _NewerSyntax()
    tree.visit(finder)
    return finder.found


class _NewerSyntax(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.found = False

    def _newer(self, version: tuple[int, int]) -> bool:
        if _HERE < version:
            self.found = True
        return not self.found

    def visit_TryStar(self, node: cst.TryStar) -> bool:
        return self._newer((3, 11))

    def visit_TypeAlias(self, node: cst.TypeAlias) -> bool:
        return self._newer((3, 12))

    def visit_TypeParameters(self, node: cst.TypeParameters) -> bool:
        return self._newer((3, 12))

    def visit_TypeParam(self, node: cst.TypeParam) -> bool:
        return self._newer((3, 13) if node.default is not None else (3, 12))

    def visit_TemplatedString(self, node: cst.TemplatedString) -> bool:
        return self._newer((3, 14))
