"""Source text -> :class:`~flytec.model.module.ModuleIR`, never raising for bad input."""

from __future__ import annotations

import ast
import re
import sys

import libcst as cst

from flytec.compiler.frontend.cpython import compile_error, newer_grammar, parse_ast
from flytec.compiler.frontend.guard import MAX_DEPTH, check_cost
from flytec.compiler.frontend.hashing import MAX_BYTES, content_hash
from flytec.compiler.frontend.lower import Lowerer, _Desync
from flytec.compiler.frontend.module_level import collect_module_level
from flytec.compiler.frontend.positions import AstIndex
from flytec.compiler.frontend.suppressions import scan_suppressions, suppression_comments
from flytec.compiler.recover.scopes import function_facts, module_calls
from flytec.model.body import Stmt
from flytec.model.module import ModuleIR, ModuleProblem
from flytec.model.span import Span

_RECURSION_LIMIT = 12000
_CODING_RE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


def decode(data: bytes) -> tuple[str | None, ModuleProblem | None]:
    """Decode a file's bytes as Python source (UTF-8, or a PEP 263 declared encoding)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    encoding = "utf-8"
    for first in data.splitlines()[:2]:
        m = _CODING_RE.match(first)
        if m:
            encoding = m.group(1).decode("ascii", "replace")
            break
    try:
        return data.decode(encoding), None
    except (UnicodeDecodeError, LookupError) as e:
        line_no = 1
        if isinstance(e, UnicodeDecodeError):
            line_no = data[: e.start].count(b"\n") + 1
        msg = f"file is not valid {encoding} ({e.__class__.__name__}); flytec cannot read it"
        if isinstance(e, LookupError):
            msg = f"unknown source encoding `{encoding}` declared in the file"
        return None, ModuleProblem("encoding", msg, Span.point(line_no))


def parse_bytes(data: bytes, path: str, module: str, is_package: bool) -> ModuleIR:
    """Parse and lower one file. Problems become ``ModuleIR.problems``, never exceptions."""
    if path.endswith(".ipynb"):  # a Jupyter notebook: its code cells (frontend.notebook)
        from flytec.compiler.frontend.notebook import parse_notebook

        return parse_notebook(data, path, module, is_package)
    h = content_hash(data)
    ir = ModuleIR(
        path=path, module=module, is_package=is_package, content_hash=h, mentions_flyte=False
    )
    if len(data) > MAX_BYTES:
        mb = len(data) / (1024 * 1024)
        ir.problems.append(
            ModuleProblem(
                "too-large",
                f"file too large to analyse: {mb:.1f} MiB, over flytec's"
                f" {MAX_BYTES // (1024 * 1024)} MiB limit per file; split the file, or"
                f" {_exclude_hint(path, 'FLY004')}",
                Span.point(1),
            )
        )
        return ir
    if not data.strip() and not is_package:
        ir.problems.append(
            ModuleProblem("empty", "file is empty; there is nothing to check", Span.point(1))
        )
        return ir
    source, problem = decode(data)
    if source is None:
        assert problem is not None
        ir.problems.append(problem)
        return ir
    # CPython decides what a byte order mark with another declared encoding means
    cpython_input = data if data.startswith(b"\xef\xbb\xbf") else None
    return parse_source(source, path, module, is_package, ir=ir, cpython_input=cpython_input)


def _exclude_hint(path: str, code: str) -> str:
    return (f'skip it: `exclude = ["{path}"]` under `[tool.flytec]` in pyproject.toml (for a'
            f' file named on the command line, as pre-commit does: `per-file-ignores ='
            f' {{ "{path}" = ["{code}"] }}`)')


def parse_source(
    source: str, path: str, module: str, is_package: bool, *, ir: ModuleIR | None = None,
    cpython_input: bytes | None = None,
) -> ModuleIR:
    """Parse and lower decoded source. ``cpython_input``: the file's bytes, when CPython
    must see them rather than ``source`` (a byte order mark)."""
    if ir is None:
        ir = ModuleIR(
            path=path,
            module=module,
            is_package=is_package,
            content_hash=content_hash(source.encode("utf-8", "surrogatepass")),
            mentions_flyte=False,
        )
    ir.mentions_flyte = "flyte" in source
    ir.line_count = source.count("\n") + 1
    sup = scan_suppressions(source)
    ir.suppressions, ir.file_suppressions, ir.file_suppress_all = sup
    ir.suppression_comments = suppression_comments(source)
    too_large = check_cost(source, path)
    if too_large is not None:
        ir.problems.append(ModuleProblem("too-large", too_large.message,
                                         Span.point(too_large.line, too_large.column)))
        return ir
    old_limit = sys.getrecursionlimit()
    if old_limit < _RECURSION_LIMIT:
        sys.setrecursionlimit(_RECURSION_LIMIT)
    try:
        _parse_into(ir, source, path, cpython_input)
    except RecursionError:
        ir.problems.append(_too_deep(_longest_line(source)))
        _clear(ir)
    except Exception as e:  # a frontend bug must not lose the other files
        ir.problems.append(
            ModuleProblem(
                "internal",
                f"flytec's frontend failed on this file ({type(e).__name__}: {e});"
                " please report it",
                Span.point(1),
            )
        )
        _clear(ir)
    finally:
        if old_limit < _RECURSION_LIMIT:
            sys.setrecursionlimit(old_limit)
    return ir


def _clear(ir: ModuleIR) -> None:
    ir.body, ir.imports, ir.functions, ir.nested_functions = [], [], [], []
    ir.classes, ir.globals = [], []


_TOO_DEEP = ("too many nested", "too many indentation", "too complex", "statically nested")


def _parse_into(ir: ModuleIR, source: str, path: str, cpython_input: bytes | None) -> None:
    # CPython's parser goes first: it is fast, and it rejects pathological nesting that
    # makes libcst's native parser crash or hang. Its verdict is the one reported: what
    # CPython rejects is a syntax error (FLY001) even where libcst parses it, and what only
    # libcst rejects is code flytec cannot analyse (FLY005), not a syntax error.
    tree_ast = None
    ast_error: SyntaxError | None = None
    try:
        tree_ast = parse_ast(source if cpython_input is None else cpython_input)
    except SyntaxError as e:
        ast_error = e
        if any(m in str(e.msg) for m in _TOO_DEEP):
            ir.problems.append(_syntax_problem(e))
            return
    except (RecursionError, MemoryError):
        ir.problems.append(_too_deep(_longest_line(source)))
        return
    except ValueError as e:  # e.g. null bytes
        ir.problems.append(ModuleProblem("syntax", f"syntax error: {e}", Span.point(1)))
        return
    if tree_ast is not None and len(source) > _DEPTH_CHECK_BYTES:
        deep = _deepest(tree_ast)
        if deep is not None:
            ir.problems.append(_too_deep(deep))
            return
    try:
        tree = cst.parse_module(source)
    except cst.ParserSyntaxError as e:
        if ast_error is not None:
            ir.problems.append(_syntax_problem(ast_error))
        else:
            message = str(e.message).strip().rstrip(".")
            ir.problems.append(
                ModuleProblem(
                    "cannot-analyse",
                    "flytec cannot analyse this file: Python compiles it, but libcst (the"
                    f" parser flytec uses) rejects it ({message}); rewrite that construct, or"
                    f" {_exclude_hint(path, 'FLY005')}",
                    Span.point(e.raw_line, e.raw_column + 1),
                )
            )
        return
    except (RecursionError, MemoryError):
        raise  # too deep for flytec: FLY004 (parse_source)
    except BaseException as e:
        # libcst's native parser failing on code CPython accepts; a panic in its Rust code
        # reaches Python as pyo3's PanicException, a BaseException (Ctrl-C stays Ctrl-C)
        if not isinstance(e, Exception) and type(e).__name__ != "PanicException":
            raise
        if ast_error is not None:
            ir.problems.append(_syntax_problem(ast_error))
        else:
            ir.problems.append(
                ModuleProblem(
                    "cannot-analyse",
                    "flytec cannot analyse this file: Python compiles it, but libcst (the"
                    f" parser flytec uses) failed on it ({type(e).__name__}: {e}); rewrite"
                    f" unusual constructs, or {_exclude_hint(path, 'FLY005')}",
                    Span.point(1),
                )
            )
        return
    if ast_error is not None and not newer_grammar(tree, ast_error):
        ir.problems.append(_syntax_problem(ast_error))
        return
    if tree_ast is not None:
        compiled = compile_error(tree_ast, path)
        if compiled is not None:
            ir.problems.append(_syntax_problem(compiled))
            return
    lowerer: Lowerer
    if tree_ast is not None:
        try:
            lowerer = Lowerer(tree, source, AstIndex(tree_ast, source))
            body = lowerer.lower_module()
        except _Desync:
            lowerer, body = _lower_with_provider(tree, source)
            ir.positions = "libcst"
    else:  # a grammar newer than this Python's ast (libcst parsed it)
        lowerer, body = _lower_with_provider(tree, source)
        ir.positions = "libcst"
    ir.body = body
    collect_module_level(ir, lowerer.functions, lowerer.classes)
    for fn in lowerer.functions:
        fn.calls, fn.locals = function_facts(fn)
    ir.calls = module_calls(body)


def _syntax_problem(e: SyntaxError) -> ModuleProblem:
    line = max(e.lineno or 1, 1)  # encoding problems are on "line 0"
    col = e.offset or 1
    return ModuleProblem("syntax", f"syntax error: {e.msg}", Span.point(line, max(col, 1)))


def _too_deep(line: int = 1) -> ModuleProblem:
    return ModuleProblem(
        "too-deep",
        "file too large to analyse: code nested too deeply (flytec's limit is"
        f" {MAX_DEPTH:,} levels); split the expression or function into smaller parts",
        Span.point(line),
    )


def _longest_line(source: str) -> int:
    """Where a parser that ran out of stack most likely was: deep nesting takes many tokens,
    and nesting deeper than CPython's 200 brackets is a chain of operators, mostly on one
    line. (The parser does not say where.)"""
    lines = source.split("\n")
    return max(range(len(lines)), key=lambda i: len(lines[i])) + 1


_DEPTH_CHECK_BYTES = 2_000  # smaller files cannot nest deeper than MAX_DEPTH


def _deepest(tree: ast.AST) -> int | None:
    """The line of a node nested deeper than MAX_DEPTH, if any (iterative walk)."""
    from flytec.compiler.frontend.positions import _fields_of

    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    AST = ast.AST
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return getattr(node, "lineno", 1)
        d = depth + 1
        for f in _fields_of(type(node)):
            v = getattr(node, f, None)
            if type(v) is list:
                for x in v:
                    if isinstance(x, AST):
                        stack.append((x, d))
            elif isinstance(v, AST):
                stack.append((v, d))
    return None


def _lower_with_provider(tree: cst.Module, source: str) -> tuple[Lowerer, list[Stmt]]:
    from libcst.metadata import MetadataWrapper, PositionProvider

    wrapper = MetadataWrapper(tree, unsafe_skip_copy=True)
    positions = wrapper.resolve(PositionProvider)
    lowerer = Lowerer(tree, source, None, positions)
    return lowerer, lowerer.lower_module()
