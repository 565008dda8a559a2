"""The project model: root, source roots, module names, and loading modules with their
dependencies (parsed once per content, cached under ``.flytec_cache/``)."""

from __future__ import annotations

import bisect
import errno
import fnmatch
import os
import re
import stat
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from flytec.compiler import ir_cache
from flytec.model.module import ModuleIR
from flytec.model.safe_text import printable

if TYPE_CHECKING:
    from flytec.compiler.frontend.parallel import ParseJob
    from flytec.model.progress import Progress

ROOT_MARKERS = ("pyproject.toml", ".git")
SOURCE_SUFFIXES = (".py", ".ipynb")  # files a directory walk checks (notebooks: .ipynb)
DEFAULT_EXCLUDES = (
    ".git",
    ".hg",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".flytec_cache",
    ".flytec",
    "node_modules",
    "site-packages",
    "build",
    "dist",
    "*.egg-info",
)


def find_root(start: Path) -> Path:
    """The nearest ancestor of ``start`` holding pyproject.toml or .git (else ``start``)."""
    start = start.resolve()
    if start.is_file():
        start = start.parent
    for d in (start, *start.parents):
        if any((d / m).exists() for m in ROOT_MARKERS):
            return d
    return start


_UNSET: Path | None = Path("\0unset")
_MEMO_BYTES = 1 << 20  # content keys of files this large are remembered (notebooks' outputs)


class _Excluder:
    """Exclude and include patterns compiled once (a walk asks about every file and folder).

    A pattern with a ``/`` or ending in ``.py`` matches the root-relative path (or a folder
    prefix of it); a plain name matches any path part; a name with wildcards matches any part.
    """

    def __init__(self, exclude: Sequence[str], include: Sequence[str]) -> None:
        path_res: list[str] = []
        part_res: list[str] = []
        self.names: set[str] = set()
        for pat in exclude:
            if "/" in pat or pat.endswith(SOURCE_SUFFIXES):
                path_res.append(fnmatch.translate(pat))
                path_res.append(fnmatch.translate(pat.rstrip("/") + "/*"))
            elif "*" not in pat and "?" not in pat and "[" not in pat:
                self.names.add(pat)
            else:
                part_res.append(fnmatch.translate(pat))
        flags = re.IGNORECASE if os.path.normcase("A") == "a" else 0  # as fnmatch does
        self.path_re = re.compile("|".join(path_res), flags) if path_res else None
        self.part_re = re.compile("|".join(part_res), flags) if part_res else None
        self.include_re = (
            re.compile("|".join(fnmatch.translate(p) for p in include), flags)
            if include else None
        )

    def excluded(self, rel: str, is_py: bool) -> bool:
        if self.path_re is not None and self.path_re.match(rel):
            return True
        parts = rel.split("/")
        if not self.names.isdisjoint(parts):
            return True
        part_re = self.part_re
        if part_re is not None and any(part_re.match(p) for p in parts):
            return True
        if self.include_re is not None and is_py:
            return not self.include_re.match(rel)
        return False


class PathError(Exception):
    """A path given by the user that does not exist or cannot be read."""


NOT_REGULAR = "not a regular file"
_SPECIAL = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


NOT_UTF8_NAME = "its name is not valid UTF-8 (no module can have it)"


def _utf8(name: str) -> bool:
    """Whether a file name decoded from the file system is real text (undecodable bytes
    arrive as lone surrogates, which nothing downstream can encode)."""
    if name.isascii():
        return True
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def read_regular(path: Path) -> bytes:
    """The bytes of ``path``, which must be a regular file (raises OSError otherwise).

    Opened without blocking and checked on the open descriptor, so a FIFO (or a file
    replaced by one since the walk) fails at once instead of waiting for a writer."""
    fd = os.open(path, _READ_FLAGS)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = next((name for test, name in _SPECIAL if test(st.st_mode)), "a special file")
            raise OSError(errno.EINVAL, f"{kind}, {NOT_REGULAR}")
        data = os.read(fd, st.st_size + 1)  # all of it, unless it grows meanwhile
        more = os.read(fd, 1 << 20) if data else b""
        while more:
            data += more
            more = os.read(fd, 1 << 20)
        return data
    finally:
        os.close(fd)


def path_problem(path: Path, *, directory_ok: bool = True) -> str | None:
    """Why ``path`` is not a file (or directory) flytec can read, without opening it (a FIFO
    would block the open forever): None when it is one, else ``"a FIFO (named pipe), not a
    regular file"``, ``"broken symbolic link (to 'x.py')"``, ``"symbolic link loop"``..."""
    try:
        st = os.stat(path)
    except OSError as e:
        if e.errno == errno.ELOOP:
            return "symbolic link loop"
        if os.path.islink(path):
            try:
                return f"broken symbolic link (to {os.readlink(path)!r})"
            except OSError:
                return "broken symbolic link"
        if e.errno == errno.ENOENT:
            return "no such file or directory"
        return f"cannot read ({e.strerror or e})"
    if stat.S_ISREG(st.st_mode) or (directory_ok and stat.S_ISDIR(st.st_mode)):
        return None
    kind = next((name for test, name in _SPECIAL if test(st.st_mode)), "a special file")
    return f"{kind}, {NOT_REGULAR}" if not stat.S_ISDIR(st.st_mode) else "a directory"


@dataclass
class Project:
    """A project on disk: where modules live and how they are named."""

    root: Path
    exclude: Sequence[str] = ()
    include: Sequence[str] = ()
    cache_dir: Path | None = None
    cwd: Path = field(default_factory=Path.cwd)
    _files: set[Path] | None = None
    _found: dict[tuple[str, Path], Path | None] = field(default_factory=dict)
    _names: dict[Path, tuple[str, bool]] = field(default_factory=dict)
    _shown: dict[Path, str] = field(default_factory=dict)
    _preparsed: dict[str, ModuleIR] = field(default_factory=dict)
    jobs: int = 1  # parse processes for cold runs; 0: one per core
    source_roots: list[Path] = field(default_factory=list)
    _excluder_memo: _Excluder | None = None
    # importer -> {dotted name asked for: the file found}, for files being loaded: what the
    # incremental check re-asks when files appear or disappear
    queries: dict[Path, dict[str, Path | None]] = field(default_factory=dict)
    _reals: dict[Path, Path] = field(default_factory=dict)
    _real_dirs: dict[Path, Path] = field(default_factory=dict)
    _cwd_memo: Path | None = None
    # files left out because they are not regular files ("x.py: skipped: a FIFO ..."): the
    # commands print them as notes
    notes: list[str] = field(default_factory=list)
    progress: Progress | None = None  # told how many files are parsed out of how many
    # file contents to use instead of the disk's, by real path (``check --fix`` passes)
    overlay: dict[Path, bytes] = field(default_factory=dict)
    _by_shown: dict[str, Path] = field(default_factory=dict)
    suffixes: tuple[str, ...] = SOURCE_SUFFIXES  # what a directory walk takes
    _key_memo: dict[Path, tuple[bytes, str]] = field(default_factory=dict)  # large files
    _layout_memo: tuple[set[Path], str] | None = None

    def __post_init__(self) -> None:
        self.root = self.root.resolve()
        src = self.root / "src"
        self.source_roots = [src, self.root] if src.is_dir() else [self.root]

    # -------------------------------------------------------------------- file system

    def excluded(self, path: Path) -> bool:
        """Whether ``path`` (absolute) is excluded by the defaults or the configuration."""
        s = str(path)
        root = str(self.root)
        rel = s[len(root) + 1 :] if s.startswith(root + os.sep) else path.as_posix()
        rel = rel.replace(os.sep, "/")
        return self._excluder.excluded(rel, path.suffix in SOURCE_SUFFIXES)

    @property
    def _excluder(self) -> _Excluder:
        if self._excluder_memo is None:
            self._excluder_memo = _Excluder((*DEFAULT_EXCLUDES, *self.exclude), self.include)
        return self._excluder_memo

    def real(self, path: Path) -> Path:
        """``path.resolve()``, with each folder resolved once (a walk names thousands of
        files in a few folders): a file that is not itself a symbolic link resolves to its
        folder's real path plus its name."""
        got = self._reals.get(path)
        if got is None:
            parent = path.parent
            real_parent = self._real_dirs.get(parent)
            if real_parent is None:
                real_parent = self._real_dirs[parent] = parent.resolve()
            if path.name in ("", ".", "..") or os.path.islink(path):
                got = path.resolve()
            elif real_parent is parent or real_parent == parent:
                got = path  # the usual case: a walk from a resolved folder
            else:
                got = real_parent / path.name
            self._reals[path] = got
        return got

    @property
    def _real_cwd(self) -> Path:
        if self._cwd_memo is None:
            self._cwd_memo = self.cwd.resolve()
        return self._cwd_memo

    @property
    def _cwd_prefix(self) -> str:
        """The real working directory as a prefix of the paths inside it (ends with a
        separator)."""
        cwd = str(self._real_cwd)
        return cwd if cwd.endswith(os.sep) else cwd + os.sep

    def expand(self, paths: Iterable[Path]) -> list[Path]:
        """Files named by the user: files as given, directories walked for ``*.py`` (and
        ``*.ipynb``: :attr:`suffixes`)."""
        out: list[Path] = []
        seen: set[Path] = set()
        for p in paths:
            # (an editor's new, unsaved buffer has no file yet)
            buffered = bool(self.overlay) and self.real(p) in self.overlay
            problem = None if buffered else path_problem(p)
            if problem is None and not _utf8(str(p)):
                problem = NOT_UTF8_NAME
                self._note(p, problem)
                continue
            if problem is not None:
                if NOT_REGULAR not in problem:
                    raise PathError(f"{p}: {problem}")
                self._note(p, problem)  # a FIFO named like a module: never opened
                continue
            if p.is_dir():
                top = p.resolve()
                # Path order, faster
                walked = sorted(self._walk(top, note=True), key=lambda f: f.parts)
                if top == self.root and self._files is None:
                    self._files = set(walked)  # the project's files: the same walk
                for f in walked:
                    if f not in seen:
                        seen.add(f)
                        out.append(f)
            else:
                r = p.resolve()
                if r not in seen:
                    seen.add(r)
                    out.append(r)
        return out

    def _walk(self, top: Path, *, note: bool = False) -> Iterable[Path]:
        """The source files under ``top`` (:attr:`suffixes`: ``*.py``, ``*.ipynb``) that are not
        excluded, as ``os.walk`` would find them (symbolic links to folders are not followed).
        A name that is not a regular file
        (a FIFO, a socket, a device, a broken link or a link loop) is never opened: it is
        left out (with a note in :attr:`notes` when ``note``: the user named ``top``)."""
        suffixes = self.suffixes
        stack = [str(top)]
        while stack:
            dirpath = stack.pop()
            d = Path(dirpath)
            try:
                with os.scandir(dirpath) as it:
                    entries = list(it)
            except OSError:
                continue
            subdirs: list[str] = []
            for entry in entries:
                name = entry.name
                try:  # (for a file that is not a link: no system call, the walk knows)
                    regular = name.endswith(suffixes) and entry.is_file()
                    is_dir = not regular and entry.is_dir()
                except OSError:
                    regular = is_dir = False
                if is_dir:
                    if not entry.is_symlink() and not self.excluded(d / name):
                        if not _utf8(name):
                            if note:
                                self._note(d / name, NOT_UTF8_NAME)
                            continue
                        subdirs.append(name)
                    continue
                if not name.endswith(suffixes):
                    continue
                f = d / name
                if self.excluded(f):
                    continue
                if not _utf8(name):
                    if note:
                        self._note(f, NOT_UTF8_NAME)
                elif regular:
                    yield f
                elif note:
                    self._note(f, path_problem(f, directory_ok=False) or "not a regular file")
            stack.extend(os.path.join(dirpath, n) for n in sorted(subdirs, reverse=True))

    def _note(self, path: Path, problem: str) -> None:
        """Remember (once) that ``path`` was left out, and why."""
        note = f"{printable(self.display_unresolved(path))}: skipped: {problem}"
        if note not in self.notes:
            bisect.insort(self.notes, note)  # in name order, whatever the walk's order

    def display_unresolved(self, path: Path) -> str:
        """How a path that may not resolve (a broken link) is shown: relative to the working
        directory when inside it, without following links."""
        try:
            return path.relative_to(self.cwd).as_posix()
        except ValueError:
            return path.as_posix()

    @property
    def files(self) -> set[Path]:
        if self._files is None:
            self._files = set(self._walk(self.root))
        return self._files

    # ------------------------------------------------------------------ module naming

    def module_name(self, path: Path) -> tuple[str, bool]:
        """Canonical dotted module name of a file, and whether it is a package."""
        got = self._names.get(path)
        if got is None:
            got = self._names[path] = self._module_name(self.real(path))
        return got

    def _module_name(self, path: Path) -> tuple[str, bool]:
        name, is_pkg = self._dotted_name(path)
        if path.suffix == ".ipynb" and path.with_suffix(".py").exists():
            name += "_ipynb"  # a notebook next to its .py twin (jupytext): two modules
        return name, is_pkg

    def _dotted_name(self, path: Path) -> tuple[str, bool]:
        is_pkg = path.name == "__init__.py"
        for base in self.source_roots:
            try:
                rel = path.relative_to(base)
            except ValueError:
                continue
            parts = list(rel.with_suffix("").parts)
            if is_pkg:
                parts = parts[:-1]
            if base == self.root and parts and parts[0] == "src" and len(self.source_roots) > 1:
                continue
            return ".".join(parts) or path.parent.name, is_pkg
        return path.stem if not is_pkg else path.parent.name, is_pkg

    def find_module(self, dotted: str, importer: Path) -> Path | None:
        """The project file of module ``dotted`` imported from ``importer``, if any.

        Tried against the importer's directory and its parents up to the root (scripts run
        from their own folder), then the source roots. ``importer`` is absolute.
        """
        log = self.queries.get(importer)
        if log is not None:
            found_before = self._found.get((dotted, importer.parent), _UNSET)
            if found_before is not _UNSET:
                log[dotted] = found_before
                return found_before
            found_now = self._find_module(dotted, importer)
            log[dotted] = found_now
            return found_now
        return self._find_module(dotted, importer)

    def _find_module(self, dotted: str, importer: Path) -> Path | None:
        key = (dotted, importer.parent)
        if key in self._found:
            return self._found[key]
        rel = dotted.replace(".", "/")
        bases: list[Path] = []
        d = importer.parent
        while True:
            bases.append(d)
            if d == self.root or d.parent == d or self.root not in d.parents:
                break
            d = d.parent
        for b in self.source_roots:
            if b not in bases:
                bases.append(b)
        files = self.files
        found = None
        for b in bases:
            for cand in (b / f"{rel}.py", b / rel / "__init__.py"):
                if cand in files:
                    found = cand
                    break
            if found is not None:
                break
        self._found[key] = found
        return found

    def display(self, path: Path) -> str:
        """How a path is shown to the user: relative to the working directory if inside it."""
        got = self._shown.get(path)
        if got is None:
            real, cwd = str(self.real(path)), self._cwd_prefix
            if real.startswith(cwd):  # relative_to, as string operations (thousands of calls)
                got = real[len(cwd):] or "."
            elif real + os.sep == cwd:
                got = "."
            else:
                got = str(path)
            if os.sep != "/":
                got = got.replace(os.sep, "/")
            self._shown[path] = got
        return got

    def relative(self, path: Path) -> str:
        """Path relative to the project root (for SARIF and plans)."""
        try:
            return self.real(path).relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    # ------------------------------------------------------------------------ loading

    def read(self, path: Path) -> bytes:
        if self.overlay:
            got = self.overlay.get(self.real(path))
            if got is not None:
                return got
        try:
            return read_regular(path)
        except OSError as e:
            raise PathError(f"{self.display(path)}: cannot read ({e.strerror or e})") from e

    def read_shown(self, shown: str) -> bytes | None:
        """The content of the file displayed as ``shown`` (one flytec loaded), or None."""
        if len(self._by_shown) != len(self._shown):
            self._by_shown = {name: path for path, name in self._shown.items()}
        path = self._by_shown.get(shown)
        if path is None:
            return None
        try:
            return self.read(path)
        except PathError:
            return None

    def content_key(self, path: Path, data: bytes) -> str:
        """The key of a file's content as this project names it (the IR cache's key)."""
        return self._job(path, data).key

    def layout_key(self) -> str:
        """A hash of which files the project has (and its source roots): what module
        resolution depends on besides the importer. Computed once per file set (a project
        kept between checks asks at every check)."""
        files = self.files
        if self._layout_memo is not None and self._layout_memo[0] is files:
            return self._layout_memo[1]
        key = self._layout_key()
        self._layout_memo = (files, key)
        return key

    def _layout_key(self) -> str:
        import hashlib

        h = hashlib.blake2b(digest_size=16)
        for base in self.source_roots:
            h.update(str(base).encode("utf-8", "surrogateescape") + b"\0")
        h.update(b"\1")
        for f in sorted(str(p) for p in self.files):
            h.update(f.encode("utf-8", "surrogateescape") + b"\0")
        return h.hexdigest()

    def _job(self, path: Path, data: bytes) -> ParseJob:
        from flytec.compiler.frontend.hashing import content_hash_of
        from flytec.compiler.frontend.parallel import ParseJob

        module, is_pkg = self.module_name(path)
        shown = self.display(path)
        memo = self._key_memo.get(path)
        if memo is not None and memo[0] is data:  # asked again (load, the incremental check)
            return ParseJob(memo[1], data, shown, module, is_pkg)
        # the hash of the parts joined by NULs, without copying the data (notebooks with
        # outputs are tens of MB)
        key = content_hash_of(data, module.encode(), shown.encode(), str(is_pkg).encode())
        if len(data) >= _MEMO_BYTES:  # large files only: small ones hash in microseconds
            self._key_memo[path] = (data, key)
        return ParseJob(key, data, shown, module, is_pkg)

    def _cache_file(self, key: str) -> Path | None:
        return None if self.cache_dir is None else ir_cache.entry(self.cache_dir, key)

    def parse(self, path: Path, data: bytes) -> ModuleIR:
        job = self._job(path, data)
        ir = self._preparsed.pop(job.key, None)
        if ir is not None:
            return ir
        f = self._cache_file(job.key)
        if f is not None:
            ir = ir_cache.read(f)
            if ir is not None:
                return ir
        from flytec.compiler.frontend.parse import parse_bytes  # libcst: only on a miss

        ir = parse_bytes(job.data, job.shown, job.module, job.is_package)
        if f is not None:
            if not self.overlay or self.real(path) not in self.overlay:
                ir_cache.write(f, ir)  # (not an unsaved buffer: not every keystroke's IR)
        return ir

    def preparse(self, files: Sequence[tuple[Path, bytes]]) -> None:
        """Parse the cache misses among ``files`` on several cores, ahead of :meth:`parse`
        (see :mod:`flytec.compiler.frontend.parallel`); a no-op for few files or one job."""
        from flytec.compiler.frontend.parallel import (
            MIN_FILES,
            available_jobs,
            parse_in_parallel,
        )

        processes = available_jobs(self.jobs)
        if processes < 2 or len(files) < MIN_FILES:
            return
        misses: list[ParseJob] = []
        for path, data in files:
            job = self._job(path, data)
            f = self._cache_file(job.key)
            if f is None:
                misses.append(job)
            elif not f.exists():
                misses.append(job._replace(cache_file=str(f)))
        self._preparsed.update(parse_in_parallel(misses, processes))


@dataclass
class Loaded:
    """The result of loading: modules by name, which files were requested, what was skipped."""

    modules: dict[str, ModuleIR]
    requested: list[str]  # display paths of the files the user asked about (parsed ones)
    skipped: list[str]  # requested files that do not mention flyte and nothing imports
    files: int  # number of files read
    # every parsed file (by path): its content key and the project files it imports
    keys: dict[Path, str] = field(default_factory=dict)
    imports: dict[Path, list[Path]] = field(default_factory=dict)


def load(
    project: Project,
    paths: Sequence[Path],
    *,
    explicit_files: bool = True,
    force: frozenset[Path] = frozenset(),
    record: bool = False,
    contents: Mapping[Path, bytes] | None = None,
) -> Loaded:
    """Load the requested files that matter and, transitively, the project modules they import.

    A requested file is parsed when it mentions ``flyte`` (or when a parsed module imports
    it, or it is in ``force``); every project module imported by a parsed module is parsed
    too, so that rules see across modules even when pre-commit passes only the changed files.
    With ``record``, the content key, imports and module look-ups of every parsed file are
    kept (for the incremental check). ``contents`` holds files the caller has already read
    (they are not read again).
    """
    requested = project.expand(paths)
    modules: dict[str, ModuleIR] = {}
    by_path: dict[Path, ModuleIR] = {}
    pending: list[Path] = []
    maybe: dict[Path, bytes] = {}
    keys: dict[Path, str] = {}
    imports: dict[Path, list[Path]] = {}
    nread = 0
    for f in requested:
        known = None if contents is None else contents.get(f)
        raw = project.read(f) if known is None else known
        nread += 1
        maybe[f] = raw
        if f in force or worth_parsing(f, raw):
            pending.append(f)
    progress = project.progress
    if progress is not None:
        progress.step("parsing", 0, len(pending))
    project.preparse([(f, maybe[f]) for f in pending])
    queue = deque(pending)
    queued = set(queue)
    while queue:
        if progress is not None:
            progress.step("parsing", len(queued) - len(queue), len(queued))
        f = queue.popleft()
        data: bytes | None = maybe.pop(f, None)
        if data is None:
            try:
                got = project.overlay.get(f)
                data = got if got is not None else read_regular(f)
            except OSError:
                continue
            nread += 1
        ir = project.parse(f, data)
        if record:
            keys[f] = project.content_key(f, data)
            project.queries[f] = {}
        canonicalize_imports(project, f, ir)
        by_path[f] = ir
        modules[ir.module] = ir
        deps = imported_files(project, f, ir)
        if record:
            imports[f] = list(dict.fromkeys(deps))
        for dep in deps:
            if dep not in queued:
                queued.add(dep)
                queue.append(dep)
    if progress is not None:
        progress.step("checking", len(by_path), len(by_path))
    requested_shown = [project.display(f) for f in requested if f in by_path]
    skipped = [project.display(f) for f in requested if f not in by_path]
    return Loaded(modules, requested_shown, skipped, nread, keys, imports)


def worth_parsing(path: Path, data: bytes) -> bool:
    """Requested files are parsed when they mention flyte or decorate with ``@<env>.task``
    (an environment imported from another module), and when flytec must report something
    about the file itself (empty, too large, not UTF-8). A file named explicitly that is not
    a ``.py`` file or a notebook (``readme.txt``) is never parsed."""
    if path.suffix == ".ipynb":
        from flytec.compiler.frontend.notebook import worth_checking

        return worth_checking(data)
    if path.suffix != ".py":
        return False
    if b"flyte" in data or b".task" in data:
        return True
    if not data.strip():
        return path.name != "__init__.py"
    from flytec.compiler.frontend.hashing import MAX_BYTES

    if len(data) > MAX_BYTES:
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def canonicalize_imports(project: Project, path: Path, ir: ModuleIR) -> None:
    """Rename imported project modules to their canonical names, in place.

    A script-style import such as ``from buggy import helpers`` (run with ``examples/`` on
    ``sys.path``) names a project file whose canonical module name is
    ``examples.buggy.helpers``; without the rename, the resolver would take it for an
    external module and lose every cross-module fact.
    """
    from flytec.model.body import ImportStmt, walk_stmts

    bindings = list(ir.imports)
    for fn in [*ir.functions, *ir.nested_functions]:
        for s in walk_stmts(fn.body):
            if isinstance(s, ImportStmt):
                bindings.extend(s.bindings)
    for b in bindings:
        if b.level or b.module.split(".")[0] == "flyte":
            continue
        dep = project.find_module(b.module, path)
        if dep is None:
            continue
        canonical, _ = project.module_name(dep)
        if canonical == b.module or not canonical.endswith("." + b.module):
            continue
        prefix = canonical[: -len(b.module)]
        b.module = canonical
        if b.submodule is not None and not b.submodule.startswith(prefix):
            b.submodule = prefix + b.submodule


def imported_files(project: Project, path: Path, ir: ModuleIR) -> list[Path]:
    """Project files imported by module ``ir`` (at module level or inside functions)."""
    from flytec.model.body import ImportStmt, walk_stmts

    bindings = list(ir.imports)
    for fn in [*ir.functions, *ir.nested_functions]:
        for s in walk_stmts(fn.body):
            if isinstance(s, ImportStmt):
                bindings.extend(s.bindings)
    out: list[Path] = []
    for b in bindings:
        names = [b.submodule or b.module]
        if b.name is not None and not b.star:
            names.append(f"{b.module}.{b.name}")
        if b.module.startswith("flyte") and b.module.split(".")[0] == "flyte":
            continue
        # parent packages too: their __init__ may re-export
        parts = (b.submodule or b.module).split(".")
        names.extend(".".join(parts[:i]) for i in range(1, len(parts)))
        for n in names:
            if not n:
                continue
            dep = project.find_module(n, path)
            if dep is not None and dep != path:
                out.append(dep)
    return out
