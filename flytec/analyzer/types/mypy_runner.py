"""``flytec check --types``: mypy on the checked files, its messages in task terms, cached.

Files whose results are cached (same content, same imports, same fingerprint) cost nothing;
the others are checked in one in-process mypy build whose own cache lives in
``<root>/.flytec_cache/mypy/``.  Never raises for a mypy problem: a run that fails becomes a
single warning diagnostic.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.metadata
import json
import os
import re
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from flytec import __version__
from flytec.analyzer.types.call_sites import SourceFile
from flytec.analyzer.types.classify import classify
from flytec.analyzer.types.context import FileContext
from flytec.analyzer.types.mypy_invoke import MypyFailed, MypyRun, invoke_mypy
from flytec.analyzer.types.options import StubsMode, TypeCheckOptions
from flytec.analyzer.types.result_cache import CachedResult, FileHashes, ResultCache
from flytec.analyzer.types.rules import RULES_BY_CODE
from flytec.analyzer.types.signatures import NoTasks, TaskSignature
from flytec.analyzer.types.stubs_path import probe_flyte, stubs_hash, use_stubs
from flytec.analyzer.types.task_names import task_names
from flytec.cache_trust import private_name
from flytec.model.diagnostic import Diagnostic, Severity
from flytec.model.span import UNKNOWN_SPAN

CACHE_DIR = ".flytec_cache"


@dataclass
class TypeCheckResult:
    """Diagnostics (sorted), the tasks' signatures, and how the run went.

    ``checked`` files went through mypy, ``cached`` ones came from the result cache;
    ``stubs`` says whether mypy saw flytec's stubs (else the real ``flyte``).
    """

    diagnostics: list[Diagnostic] = field(default_factory=list)
    signatures: list[TaskSignature] = field(default_factory=list)
    checked: int = 0
    cached: int = 0
    mypy_cache_discarded: bool = False  # mypy crashed once; its cache was discarded
    mypy_ran: bool = False
    stubs: bool = True


def run_mypy(
    files: Sequence[Path],
    project_root: Path,
    *,
    show_other: bool = False,
    tasks: Mapping[str, str] | None = None,
    stubs: StubsMode = "auto",
    python_executable: str | None = None,
) -> list[Diagnostic]:
    """Type-check ``files`` and return the diagnostics (see :func:`check_types`)."""
    options = TypeCheckOptions(
        show_other=show_other,
        stubs=stubs,
        python_executable=python_executable,
        tasks=dict(tasks or {}),
    )
    return check_types(files, project_root, options).diagnostics


def check_types(
    files: Sequence[Path],
    project_root: Path,
    options: TypeCheckOptions | None = None,
) -> TypeCheckResult:
    """Type-check ``files`` (within ``project_root``) with mypy, as flytec diagnostics."""
    options = options or TypeCheckOptions()
    root = Path(os.path.abspath(project_root))
    with_stubs = use_stubs(options.stubs, options.python_executable)
    result = TypeCheckResult(stubs=with_stubs)
    hashes = FileHashes()
    sources = _read_sources(files, hashes)
    cache = (
        ResultCache(_cache_root(root, options) / "types", _fingerprint(options, with_stubs, root),
                    root)
        if options.use_cache
        else None
    )
    found: dict[str, CachedResult] = {}
    for path in sources:
        hit = cache.get(path, hashes.get(path) or "", hashes) if cache else None
        if hit is not None:
            found[path] = hit
    stale = [path for path in sources if path not in found]
    result.cached = len(found)
    if stale:
        result.checked = len(stale)
        result.mypy_ran = True
        for attempt in (1, 2):
            try:
                found.update(_check(stale, sources, root, with_stubs, options, cache, hashes))
            except MypyFailed as failure:
                result.diagnostics.append(_failure(stale[0], root, f"mypy failed: {failure}"))
            except (Exception, SystemExit) as error:  # never a traceback: report and go on
                # A damaged file in mypy's own cache crashes every later build: discard the
                # cache and run once more, so the findings are not lost
                if attempt == 1 and _discard(_mypy_cache_dir(root, with_stubs, options)):
                    result.mypy_cache_discarded = True
                    continue
                reason = f"mypy crashed ({type(error).__name__}: {error})"
                result.diagnostics.append(_failure(stale[0], root, reason))
            break
    for path in sources:
        entry = found.get(path)
        if entry is None:
            continue
        result.signatures += entry.signatures
        result.diagnostics += [
            d for d in entry.diagnostics if options.show_other or d.code != "FLY219"
        ]
    result.diagnostics.sort(key=Diagnostic.sort_key)
    return result


def _read_sources(files: Sequence[Path], hashes: FileHashes) -> dict[str, bytes]:
    """The Python files among ``files`` (absolute path -> content); unreadable ones are the
    syntax check's business."""
    sources: dict[str, bytes] = {}
    for file in files:
        path = os.path.abspath(file)
        if path in sources or not path.endswith((".py", ".pyi")):
            continue
        try:
            sources[path] = Path(path).read_bytes()
        except OSError:
            continue
        hashes.set(path, sources[path])
    return sources


def _check(
    stale: list[str],
    sources: Mapping[str, bytes],
    root: Path,
    with_stubs: bool,
    options: TypeCheckOptions,
    cache: ResultCache | None,
    hashes: FileHashes,
) -> dict[str, CachedResult]:
    """Run mypy on the stale files; their results, also written to the cache."""
    run = invoke_mypy(
        [Path(p) for p in stale],
        project_root=root,
        cache_dir=_mypy_cache_dir(root, with_stubs, options),
        use_stubs=with_stubs,
        python_executable=options.python_executable,
        mypy_config=options.mypy_config,
    )
    results = _results(run, sources, root, _Namer(options.tasks))
    if cache is not None:
        missing = _missing_modules(run)
        for path, fresh in results.items():
            deps = run.deps.get(path, [])
            cache.put(path, hashes.get(path) or "", deps, missing.get(path, []), fresh, hashes)
    return results


def _results(
    run: MypyRun, sources: Mapping[str, bytes], root: Path, namer: _Namer
) -> dict[str, CachedResult]:
    by_path: dict[str, list[Diagnostic]] = {path: [] for path in run.modules}
    parsed: dict[str, SourceFile] = {}
    for message in run.messages:
        path = os.path.abspath(message.path)
        if path not in by_path:
            continue
        source = parsed.get(path)
        if source is None:
            source = parsed[path] = SourceFile(sources[path].decode("utf-8", errors="replace"))
        resolver = run.resolvers.get(path) or NoTasks()
        ctx = FileContext(_display(path, root), run.modules[path], source, resolver, namer)
        by_path[path].append(classify(message, ctx))
    results: dict[str, CachedResult] = {}
    for path, diagnostics in by_path.items():
        signatures = [s.named(namer(s)) for s in run.signatures.get(path, [])]
        results[path] = CachedResult(_dedupe(diagnostics), signatures)
    for path in run.unparsable:
        results[os.path.abspath(path)] = CachedResult([], [])
    return results


_NOT_FOUND = re.compile(r'^Cannot find implementation or library stub for module named "([\w.]+)"')


def _missing_modules(run: MypyRun) -> dict[str, list[str]]:
    """Per file, the modules mypy could not find (they may appear later in the project)."""
    missing: dict[str, list[str]] = {}
    for m in run.messages:
        match = _NOT_FOUND.match(m.message)
        if match:
            missing.setdefault(os.path.abspath(m.path), []).append(match[1])
    return missing


class _Namer:
    """Display names of tasks: given by the caller, else from ``TaskEnvironment(name=...)``."""

    def __init__(self, given: Mapping[str, str]) -> None:
        self._given = given
        self._scanned: dict[str, dict[str, str]] = {}

    def __call__(self, signature: TaskSignature) -> str:
        name = self._given.get(signature.qualname) or self._given.get(signature.function)
        if name:
            return name
        if signature.path not in self._scanned:
            self._scanned[signature.path] = _scan(signature.path)
        return self._scanned[signature.path].get(signature.function, signature.function)


def _scan(path: str) -> dict[str, str]:
    try:
        return task_names(ast.parse(Path(path).read_bytes()))
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        return {}


def _dedupe(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Drop repeats (the real SDK can report one bad call twice) and keep the first."""
    seen: set[tuple[str, int, int, str]] = set()
    kept: list[Diagnostic] = []
    for d in diagnostics:
        key = (d.code, d.span.line, d.span.column, d.message)
        if key not in seen:
            seen.add(key)
            kept.append(d)
    # A generic FLY210 on the same call as a precise FLY211/FLY212 says nothing more.
    precise = {(d.span.line, d.span.column) for d in kept if d.code in ("FLY211", "FLY212")}
    return [
        d
        for d in kept
        if not (
            d.code == "FLY210"
            and (d.span.line, d.span.column) in precise
            and d.message.startswith("the arguments")
        )
    ]


def _display(path: str, root: Path) -> str:
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return path


def _failure(path: str, root: Path, reason: str) -> Diagnostic:
    rule = RULES_BY_CODE["FLY219"]
    return Diagnostic(
        code=rule.code,
        name=rule.name,
        category=rule.category,
        severity=Severity.WARNING,
        path=_display(path, root),
        span=UNKNOWN_SPAN,
        message=f"type checks skipped: {reason}",
        help="run mypy on the file to see the problem, or run without --types",
    )


def _discard(cache_dir: Path) -> bool:
    """Remove mypy's cache directory (renamed first, so a concurrent build never sees half of
    it); False when there was none to remove."""
    if not cache_dir.is_dir():
        return False
    doomed = cache_dir.with_name(f"{cache_dir.name}.discarded-{os.getpid()}")
    try:
        os.replace(cache_dir, doomed)
    except OSError:
        return False
    shutil.rmtree(doomed, ignore_errors=True)
    return True


def _cache_root(root: Path, options: TypeCheckOptions) -> Path:
    return options.cache_root if options.cache_root is not None else root / CACHE_DIR


def _mypy_cache_dir(root: Path, with_stubs: bool, options: TypeCheckOptions) -> Path:
    # mypy's own cache cannot be sealed, so it lives in a directory named from the user's
    # cache key: a cache directory committed to a repository is never the one mypy reads.
    if not options.use_cache:
        return Path(os.devnull)  # mypy's documented way to write no cache
    base = options.mypy_cache_dir or (
        _cache_root(root, options) / f"mypy-{private_name('mypy-cache')}"
    )
    if with_stubs:
        return base / "stubs"
    tag = hashlib.sha256((options.python_executable or "").encode()).hexdigest()[:8]
    return base / f"real-{tag}"


def _fingerprint(options: TypeCheckOptions, with_stubs: bool, root: Path) -> str:
    try:
        mypy_version = importlib.metadata.version("mypy")
    except importlib.metadata.PackageNotFoundError:
        mypy_version = "unknown"
    config = b""
    if options.mypy_config is not None:
        try:
            config = options.mypy_config.read_bytes()
        except OSError:
            config = b"unreadable"
    parts = {
        "flytec": __version__,
        "mypy": mypy_version,
        "flyte": f"stubs:{stubs_hash()}"
        if with_stubs
        else f"real:{probe_flyte(options.python_executable).version}",
        "python": options.python_executable or "",
        "config": hashlib.sha256(config).hexdigest(),
        "tasks": sorted(options.tasks.items()),
        "root": str(root),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:32]
