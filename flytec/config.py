"""Configuration: ``[tool.flytec]`` in pyproject.toml, overridden by command-line flags."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flytec.model.diagnostic import Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

KNOWN_KEYS = {
    "include": "list of glob patterns of files to check (relative to the project root)",
    "exclude": "list of glob patterns or directory names to skip",
    "select": "rule codes or code prefixes to enable (default: all)",
    "ignore": "rule codes or code prefixes to disable",
    "per-file-ignores": "table of glob pattern -> list of codes to ignore in matching files",
    "severity": "table of rule code -> severity (error, warning, info)",
    "fail-on": "lowest severity that makes `flytec check` exit 1 (default: warning)",
    "format": "default output format of `flytec check`",
    "types": "run mypy-based type checks (`--types`) by default",
    "show-mypy-errors": "with types, also report mypy errors outside task boundaries",
    "types-stubs": "with types, use flytec's Flyte stubs: auto (if flyte is absent), always, never",
    "cache": "use the per-file cache under .flytec_cache (default: true)",
    "cache-dir": "where the cache lives (default: .flytec_cache under the project root; "
                 "$FLYTEC_CACHE_DIR overrides it)",
    "jobs": "processes that parse files on a cold run (default 0: one per core, at most 8)",
    "notebooks": "check Jupyter notebooks (*.ipynb) found in directories (default: true)",
    "transformer-types": "dotted names of types (or packages) with a registered Flyte type"
    " transformer, never reported as pickled (FLY202)",
}
FORMATS = ("text", "concise", "json", "sarif", "github")
FAIL_ON = ("error", "warning", "info", "never")


class ConfigError(Exception):
    """A configuration file or flag that flytec cannot accept (exit code 2)."""


@dataclass
class Config:
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    severity: dict[str, Severity] = field(default_factory=dict)
    fail_on: str = "warning"  # one of FAIL_ON
    format: str = "text"
    types: bool = False
    show_mypy_errors: bool = False
    types_stubs: str = "auto"
    cache: bool = True
    cache_dir: str | None = None  # relative to the project root; None: .flytec_cache
    jobs: int = 0  # parse processes; 0: one per core
    notebooks: bool = True  # directory walks take *.ipynb too
    # types (or packages) with a Flyte type transformer registered by the user's code
    transformer_types: list[str] = field(default_factory=list)
    # the oldest Python the project supports: [project] requires-python (None: not declared)
    target_python: tuple[int, int] | None = None
    source: str | None = None  # where it was read from
    # set by flytec.analyzer.check: the project root and the (resolved) working directory,
    # which displayed paths are relative to (per-file-ignores match root-relative paths)
    root: Path | None = None
    cwd: Path | None = None

    def enabled(self, code: str) -> bool:
        if self.select and not any(code.startswith(p) for p in self.select):
            return False
        return not any(code.startswith(p) for p in self.ignore)


def _str_list(key: str, value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: `{key}` must be a list of strings")
    return list(value)


def _severity(value: Any, where: str) -> Severity:
    try:
        return Severity(str(value).lower())
    except ValueError:
        raise ConfigError(
            f"{where}: unknown severity `{value}` (expected error, warning or info)"
        ) from None


def parse_table(table: dict[str, Any], where: str) -> Config:
    cfg = Config(source=where)
    for key, value in table.items():
        if key not in KNOWN_KEYS:
            known = ", ".join(sorted(KNOWN_KEYS))
            raise ConfigError(f"{where}: unknown key `{key}` in [tool.flytec] (known: {known})")
        if key in ("include", "exclude", "select", "ignore"):
            setattr(cfg, key, _str_list(key, value, where))
        elif key == "per-file-ignores":
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: `per-file-ignores` must be a table")
            cfg.per_file_ignores = {
                str(k): _str_list(f"per-file-ignores.{k}", v, where) for k, v in value.items()
            }
        elif key == "severity":
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: `severity` must be a table of code = severity")
            cfg.severity = {str(k): _severity(v, where) for k, v in value.items()}
        elif key == "fail-on":
            if str(value).lower() not in FAIL_ON:
                raise ConfigError(
                    f"{where}: `fail-on` must be one of {', '.join(FAIL_ON)} (got `{value}`)"
                )
            cfg.fail_on = str(value).lower()
        elif key == "format":
            if value not in FORMATS:
                raise ConfigError(f"{where}: `format` must be one of {', '.join(FORMATS)}")
            cfg.format = value
        elif key == "types-stubs":
            if value not in ("auto", "always", "never"):
                raise ConfigError(f"{where}: `types-stubs` must be auto, always or never")
            cfg.types_stubs = value
        elif key == "cache-dir":
            if not isinstance(value, str) or not value:
                raise ConfigError(f"{where}: `cache-dir` must be a path (a string)")
            cfg.cache_dir = value
        elif key == "jobs":
            if type(value) is not int or value < 0:
                raise ConfigError(f"{where}: `jobs` must be a whole number >= 0 (0: one per core)")
            cfg.jobs = value
        elif key == "transformer-types":
            cfg.transformer_types = _str_list(key, value, where)
            for name in cfg.transformer_types:
                if not re.fullmatch(r"[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*", name):
                    raise ConfigError(f"{where}: `transformer-types` entry `{name}` is not a"
                                      " dotted name (e.g. `mypkg.types.Vector`)")
        elif key in ("types", "show-mypy-errors", "cache", "notebooks"):
            if not isinstance(value, bool):
                raise ConfigError(f"{where}: `{key}` must be true or false")
            setattr(cfg, key.replace("-", "_"), value)
    for code in [*cfg.select, *cfg.ignore, *cfg.severity]:
        if not code.startswith("FLY"):
            raise ConfigError(f"{where}: `{code}` is not a flytec rule code (FLY...)")
    return cfg


_CLAUSE = re.compile(r"\s*(>=|~=|==|>|<=|<|!=|===)\s*(\d+)(?:\.(\d+|\*))?(?:\.[\d*]+)*\s*$")


def python_floor(spec: str) -> tuple[int, int] | None:
    """The oldest ``(major, minor)`` a ``requires-python`` specifier admits (None: no bound).

    ``">=3.10"``, ``">=3.10,<3.14"``, ``"~=3.11"`` and ``"==3.12.*"`` give their minor version;
    ``">3.10"`` gives 3.10 (3.10.1 is newer); upper bounds and exclusions are ignored.
    """
    floor: tuple[int, int] | None = None
    for clause in spec.split(","):
        m = _CLAUSE.match(clause)
        if m is None or m.group(1) in ("<", "<=", "!="):
            continue
        minor = m.group(3)
        v = (int(m.group(2)), int(minor) if minor and minor != "*" else 0)
        if floor is None or v > floor:
            floor = v
    return floor


def requires_python(root: Path) -> tuple[int, int] | None:
    """``python_floor`` of ``[project] requires-python`` in ``root/pyproject.toml``, if any."""
    if not (root / "pyproject.toml").is_file():
        return None
    try:
        data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    project = data.get("project")
    spec = project.get("requires-python") if isinstance(project, dict) else None
    return python_floor(spec) if isinstance(spec, str) else None


def load_config(root: Path, explicit: Path | None = None) -> Config:
    """Read ``[tool.flytec]`` from ``explicit`` or ``root/pyproject.toml`` (if any)."""
    path = explicit if explicit is not None else root / "pyproject.toml"
    if not path.exists():
        if explicit is not None:
            raise ConfigError(f"{explicit}: config file not found")
        return Config()
    if not path.is_file():  # a FIFO would block the read forever
        raise ConfigError(f"{path}: not a regular file")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: cannot read ({e})") from e
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: invalid TOML ({e})") from e
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"{path}: `tool` must be a table ([tool]), not {_kind(tool)}")
    if path.name == "pyproject.toml":
        table = tool.get("flytec", {})
    else:  # a flytec.toml: either top-level keys or [tool.flytec]
        table = tool.get("flytec", data)
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: `tool.flytec` must be a table ([tool.flytec]), "
                          f"not {_kind(table)}")
    return parse_table(table, str(path))


def _kind(value: Any) -> str:
    """How a TOML value is named in an error: ``an integer (3)``, ``an array``..."""
    names = {bool: "a boolean", int: "an integer", float: "a float", str: "a string",
             list: "an array"}
    name = names.get(type(value), "a date or time")
    return f"{name} ({value!r})" if isinstance(value, (bool, int, float, str)) else name
