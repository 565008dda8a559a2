"""How Flyte 2's type engine will treat an annotation, decided from the IR alone."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from flytec.analyzer.context import RuleContext
from flytec.model import body as ir
from flytec.model.program import Dynamic, Environment, StaticCall

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib
from flytec.model.unparse import unparse

# External types with a Flyte transformer (by value or by reference).
SUPPORTED = frozenset(
    {
        "builtins.int", "builtins.float", "builtins.str", "builtins.bool",
        "datetime.datetime", "datetime.date", "datetime.timedelta",
        "flyte.io.File", "flyte.io.Dir", "flyte.io.DataFrame",
        "pandas.DataFrame", "pandas.core.frame.DataFrame", "pyarrow.Table",
        "pydantic.BaseModel", "typing.NoReturn",
        "builtins.dict", "typing.Dict",  # bare dicts travel as msgpack literals, not pickles
        "flyte.types.FlytePickle",  # asks for pickling explicitly
    }
)
# Classes of other packages that are pydantic models (Flyte's pydantic transformer takes them).
PYDANTIC_PACKAGES = ("langchain_core.messages", "langchain_core.documents",
                     "langchain_core.prompts")
# Packages whose types Flyte plugins (flyteplugins-*) register transformers for.
PLUGIN_PACKAGES = ("polars", "pandera", "pyspark", "flyteplugins", "dask", "ray")
# Plugins whose types count only where the task's image installs the plugin: pip package ->
# the packages whose types it registers transformers for.
IMAGE_PLUGINS = {
    "flyteplugins-lance": ("lance",),
    "flyteplugins-omegaconf": ("omegaconf",),
    "flyteplugins-hydra": ("omegaconf",),
    "flyteplugins-huggingface": ("datasets",),
}
_PIP_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
GENERIC_OK = frozenset(
    {
        "builtins.list", "builtins.dict", "builtins.tuple", "typing.List", "typing.Dict",
        "typing.Tuple", "typing.Optional", "typing.Union", "typing.Annotated",
        "typing_extensions.Annotated", "flyte.io.File", "flyte.io.Dir", "flyte.io.DataFrame",
    }
)
PICKLED = {
    "builtins.bytes": "`bytes` has no Flyte type",
    "builtins.bytearray": "`bytearray` has no Flyte type",
    "builtins.set": "sets have no Flyte type",
    "builtins.frozenset": "sets have no Flyte type",
    "typing.Set": "sets have no Flyte type",
    "typing.FrozenSet": "sets have no Flyte type",
    "typing.Any": "`Any` tells Flyte nothing about the value",
    "builtins.object": "`object` tells Flyte nothing about the value",
    "builtins.list": "a bare `list` has no element type",
    "typing.List": "a bare `List` has no element type",
    "builtins.tuple": "a bare `tuple` has no element types",
    "typing.Callable": "callables cannot be serialized by type",
    "collections.abc.Callable": "callables cannot be serialized by type",
}
SPECIAL_BASES = frozenset(
    {
        "pydantic.BaseModel", "enum.Enum", "enum.IntEnum", "enum.StrEnum", "typing.NamedTuple",
        "typing.TypedDict", "typing_extensions.TypedDict",
    }
)
DATACLASS = frozenset({"dataclasses.dataclass", "pydantic.dataclasses.dataclass"})


@dataclass(frozen=True)
class Verdict:
    """Why an annotation is pickled; ``certain`` is False for unknown external classes."""

    text: str
    reason: str
    certain: bool
    span: object
    complete: bool = False  # the reason already says what is pickled


def image_pip_packages(env: Environment | None) -> set[str]:
    """The distribution names ``with_pip_packages(...)`` installs in ``env``'s image, when static.

    Requirements files and uv scripts are not read (the incremental check keys results on
    Python files only); list such types under ``transformer-types`` instead.
    """
    out: set[str] = set()
    cur = env.config.get("image") if env is not None else None
    while isinstance(cur, StaticCall):
        if cur.func.endswith("with_pip_packages"):
            for a in cur.args:
                m = _PIP_NAME.match(a) if isinstance(a, str) else None
                if m is not None:
                    out.add(m.group(1).lower().replace("_", "-").replace(".", "-"))
        cur = cur.base
    return out


def transformer_packages(ctx: RuleContext, env: Environment | None) -> tuple[str, ...]:
    """Dotted names (types or packages) that have a Flyte transformer for this environment:
    ``[tool.flytec] transformer-types``, the packages of plugins its image installs, and the
    packages a uv project installed in the image registers types for (its
    ``flyte.plugins.types`` entry points)."""
    extra = list(ctx.config.transformer_types)
    for pkg in sorted(image_pip_packages(env)):
        extra.extend(IMAGE_PLUGINS.get(pkg, ()))
    extra.extend(uv_project_type_plugins(env))
    return tuple(extra)


_FILE_RELATIVE = re.compile(
    r"""^Path\(__file__\)(?:\.resolve\(\))?\.parent\s*/\s*['"]([^'"]+)['"]$""")


def uv_project_type_plugins(env: Environment | None) -> list[str]:
    """Top-level packages named by ``[project.entry-points."flyte.plugins.types"]`` of the
    pyproject.toml that ``with_uv_project(Path(__file__).parent / "x/pyproject.toml")``
    installs (a path relative to the environment's file)."""
    out: list[str] = []
    cur = env.config.get("image") if env is not None else None
    while env is not None and isinstance(cur, StaticCall):
        if cur.func.endswith("with_uv_project") and cur.args:
            arg = cur.args[0]
            rel = arg if isinstance(arg, str) else None
            if isinstance(arg, Dynamic):
                m = _FILE_RELATIVE.match(arg.text.strip())
                rel = m.group(1) if m else None
            if rel is not None:
                out.extend(_entry_point_packages(Path(env.path).parent / rel))
        cur = cur.base
    return out


def _entry_point_packages(pyproject: Path) -> list[str]:
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return []
    eps = data.get("project", {}).get("entry-points", {})
    group = eps.get("flyte.plugins.types", {}) if isinstance(eps, dict) else {}
    if not isinstance(group, dict):
        return []
    return [str(v).split(":")[0].split(".")[0] for v in group.values() if isinstance(v, str)]


def pickled_parts(ctx: RuleContext, module: str, e: ir.Expr,
                  known: tuple[str, ...] = ()) -> list[Verdict]:
    """Every part of annotation ``e`` that Flyte would pickle; ``known`` are dotted names of
    types (or their packages) with a transformer besides Flyte's own."""
    out: list[Verdict] = []
    _check(ctx, module, e, out, known)
    return out


def public_flyte_name(dotted: str) -> str:
    """``flyte.io._file.File`` -> ``flyte.io.File``: a type reached through flyte's private
    modules is the public type the package re-exports (used for the types flytec knows)."""
    parts = dotted.split(".")
    if parts[0] != "flyte":
        return dotted
    for i, p in enumerate(parts[:-1]):
        if p.startswith("_"):
            return ".".join([*parts[:i], parts[-1]])
    return dotted


def _has_transformer(dotted: str, known: tuple[str, ...]) -> bool:
    if dotted.split(".")[0] in PLUGIN_PACKAGES or dotted.startswith(PYDANTIC_PACKAGES):
        return True
    return any(dotted == k or dotted.startswith(k + ".") for k in known)


def _name(ctx: RuleContext, module: str, e: ir.Expr) -> tuple[str, str] | None:
    r = ctx.resolver.resolve(module, e)
    if r is None:
        return None
    if r.kind == "external":
        public = public_flyte_name(r.dotted)
        known = public in SUPPORTED or public in GENERIC_OK
        return "external", public if known else r.dotted
    if r.kind == "symbol" and not r.rest:
        return "symbol", r.key
    return None


_DICTS = ("builtins.dict", "typing.Dict")
_UNTYPED = ("typing.Any", "builtins.object")


def _check(ctx: RuleContext, module: str, e: ir.Expr, out: list[Verdict],
           known: tuple[str, ...]) -> None:
    if isinstance(e, ir.Const):
        return  # None, or a string forward reference (not resolved here)
    if isinstance(e, ir.BinOp) and e.op == "|":
        _check(ctx, module, e.left, out, known)
        _check(ctx, module, e.right, out, known)
        return
    if isinstance(e, ir.Subscript):
        base = _name(ctx, module, e.value)
        args = e.index.elts if isinstance(e.index, ir.Seq) and e.index.kind == "tuple" else [
            e.index]
        if base is not None and base[0] == "external":
            dotted = base[1]
            if _has_transformer(dotted, known):
                return
            if dotted in ("typing.Literal", "typing_extensions.Literal"):
                if not all(isinstance(a, ir.Const) and isinstance(a.value, str) for a in args):
                    out.append(Verdict(unparse(e), "non-string `Literal` values become `Any`",
                                       True, e.span))
                return
            if dotted in ("typing.Annotated", "typing_extensions.Annotated"):
                if args:
                    _check(ctx, module, args[0], out, known)
                return
            if dotted in PICKLED and dotted not in GENERIC_OK:
                out.append(Verdict(unparse(e), PICKLED[dotted], True, e.span))
                return
            if dotted in _DICTS and len(args) == 2:
                value = _name(ctx, module, args[1])
                if value is not None and value[1] in _UNTYPED:
                    out.append(Verdict(
                        unparse(e), f"each value is pickled (`{unparse(args[1])}` tells Flyte"
                        " nothing about the values; a bare `dict` travels as msgpack)", True,
                        e.span, complete=True))
                    _check(ctx, module, args[0], out, known)
                    return
            if dotted in GENERIC_OK:
                for a in args:
                    if isinstance(a, ir.Const) and a.kind == "ellipsis":
                        continue
                    _check(ctx, module, a, out, known)
                return
        out.append(Verdict(unparse(e), "Flyte has no type for this generic", False, e.span))
        return
    if isinstance(e, (ir.Name, ir.Attribute)):
        n = _name(ctx, module, e)
        if n is None:
            out.append(Verdict(unparse(e), "the type is unknown to flytec", False, e.span))
            return
        kind, dotted = n
        if kind == "external":
            if dotted in SUPPORTED or dotted == "builtins.None":
                return
            if _has_transformer(dotted, known):
                return
            if dotted in PICKLED:
                out.append(Verdict(unparse(e), PICKLED[dotted], True, e.span))
                return
            out.append(Verdict(unparse(e), f"`{dotted}` has no Flyte type transformer", False,
                               e.span))
            return
        if _is_serializable_class(ctx, dotted):
            return
        out.append(
            Verdict(unparse(e), f"class `{dotted.partition(':')[2]}` is not a dataclass,"
                    " pydantic model, enum, NamedTuple or TypedDict", True, e.span)
        )
        return
    out.append(Verdict(unparse(e), "the annotation is not a type flytec can read", False,
                       getattr(e, "span", None)))


def _is_serializable_class(ctx: RuleContext, key: str) -> bool:
    module, _, name = key.partition(":")
    mod = ctx.program.modules.get(module)
    if mod is None:
        return True
    g = ctx.program.globals.get(key)
    if g is not None:
        return True  # a type alias (X = list[int]); not followed
    for c in mod.classes:
        if c.qualname != name:
            continue
        for d in c.decorators:
            expr = d.expr.func if isinstance(d.expr, ir.Call) else d.expr
            r = ctx.resolver.resolve(module, expr)
            if r is not None and r.kind == "external" and r.dotted in DATACLASS:
                return True
        for b in c.bases:
            r = ctx.resolver.resolve(module, b)
            if r is None:
                continue
            if r.kind == "external" and (r.dotted in SPECIAL_BASES or r.dotted.startswith(
                    ("pydantic.", "enum."))):
                return True
            if r.kind == "symbol" and not r.rest and _is_serializable_class(ctx, r.key):
                return True
        return False
    return True
