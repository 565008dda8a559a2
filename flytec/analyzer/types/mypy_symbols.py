"""Read task signatures out of mypy's symbol tables (the only module that reads mypy types).

A task is a module-level name whose type is a subclass of ``flyte._task.TaskTemplate`` -- in
flytec's stubs ``AsyncTask[P, R]`` / ``SyncTask[P, R]``, in the real SDK
``AsyncFunctionTaskTemplate[P, R, F]`` where ``R`` is the coroutine of an ``async def``.
"""

from __future__ import annotations

from collections.abc import Mapping

from mypy.maptype import map_instance_to_supertype
from mypy.messages import format_type_bare
from mypy.nodes import Decorator, MypyFile, SymbolNode, TypeInfo, Var
from mypy.options import Options
from mypy.types import Instance, Parameters, ProperType, TupleType, Type, get_proper_type

from flytec.analyzer.types.signatures import TaskParam, TaskSignature

_TEMPLATE = "flyte._task.TaskTemplate"
_ASYNC = "flyte._task.AsyncTask"
_SYNC = "flyte._task.SyncTask"
_COROUTINE = "typing.Coroutine"


class MypySymbols:
    """Resolves dotted names to task signatures with the symbol tables of one mypy build."""

    def __init__(self, files: Mapping[str, MypyFile], options: Options) -> None:
        self._files = files
        self._options = options
        self._memo: dict[str, TaskSignature | None] = {}

    def resolve(self, module: str, parts: tuple[str, ...]) -> TaskSignature | None:
        tree = self._files.get(module)
        if tree is None or not parts:
            return None
        table = tree.names
        for i, part in enumerate(parts):
            sym = table.get(part)
            node = sym.node if sym is not None else None
            if node is None:
                return None
            if isinstance(node, MypyFile):
                table = node.names
                continue
            return self.signature_of(node) if i == len(parts) - 1 else None
        return None

    def tasks_defined_in(self, module: str) -> list[TaskSignature]:
        """The tasks a module defines (not those it imports), in source order."""
        tree = self._files.get(module)
        if tree is None:
            return []
        found: list[TaskSignature] = []
        for name, sym in tree.names.items():
            node = sym.node
            if node is None or node.fullname != f"{module}.{name}":
                continue
            signature = self.signature_of(node)
            if signature is not None:
                found.append(signature)
        return sorted(found, key=lambda s: s.line)

    def signature_of(self, node: SymbolNode) -> TaskSignature | None:
        key = node.fullname
        if key not in self._memo:
            self._memo[key] = self._signature_of(node)
        return self._memo[key]

    def _signature_of(self, node: SymbolNode) -> TaskSignature | None:
        if isinstance(node, Decorator):
            declared: Type | None = node.var.type
            line = node.func.line
        elif isinstance(node, Var):
            declared = node.type
            line = node.line
        else:
            return None
        if declared is None:
            return None
        typ = get_proper_type(declared)
        if not isinstance(typ, Instance) or not typ.type.has_base(_TEMPLATE):
            return None
        template_info = _mro_entry(typ.type, _TEMPLATE)
        if template_info is None:
            return None
        as_template = map_instance_to_supertype(typ, template_info)
        if len(as_template.args) < 2:
            return None
        result = get_proper_type(as_template.args[1])
        if typ.type.has_base(_ASYNC):
            is_async = True
        elif typ.type.has_base(_SYNC):
            is_async = False
        else:  # the real SDK: R is the function's return type, a coroutine for async def
            is_async = isinstance(result, Instance) and result.type.fullname == _COROUTINE
            if is_async and isinstance(result, Instance) and len(result.args) == 3:
                result = get_proper_type(result.args[2])
        module, _, function = node.fullname.rpartition(".")
        tree = self._files.get(module)
        params, known = self._params(as_template.args[0])
        outputs, names = self._outputs(result)
        return TaskSignature(
            qualname=node.fullname,
            function=function,
            path=tree.path if tree is not None else "",
            line=line,
            is_async=is_async,
            params=params,
            returns=self._show(result),
            qualified_returns=self._qualified(result),
            outputs=outputs,
            output_names=names,
            params_known=known,
        )

    def _params(self, spec: Type) -> tuple[tuple[TaskParam, ...], bool]:
        proper = get_proper_type(spec)
        if not isinstance(proper, Parameters) or proper.is_ellipsis_args:
            return (), False
        params: list[TaskParam] = []
        for name, kind, typ in zip(
            proper.arg_names, proper.arg_kinds, proper.arg_types, strict=False
        ):
            if kind.is_star():
                continue
            params.append(
                TaskParam(
                    name=name or f"arg{len(params)}",
                    type=self._show(typ),
                    qualified_type=self._qualified(typ),
                    required=kind.is_required(),
                    keyword_only=kind.is_named() and not kind.is_positional(),
                )
            )
        return tuple(params), True

    def _outputs(self, result: ProperType) -> tuple[tuple[str, ...], tuple[str, ...]]:
        if result.__class__.__name__ == "NoneType":
            return (), ()
        if isinstance(result, TupleType):
            items = tuple(self._show(item) for item in result.items)
            fields = result.partial_fallback.type.metadata.get("namedtuple", {}).get("fields")
            if isinstance(fields, list) and len(fields) == len(items):
                return items, tuple(str(f) for f in fields)
            return items, tuple(f"o{i}" for i in range(len(items)))
        return (self._show(result),), ("o0",)

    def _show(self, typ: Type) -> str:
        return format_type_bare(typ, self._options)

    def _qualified(self, typ: Type) -> str:
        return format_type_bare(typ, self._options, verbosity=2)


def _mro_entry(info: TypeInfo, fullname: str) -> TypeInfo | None:
    return next((base for base in info.mro if base.fullname == fullname), None)
