"""FLY202: an annotation that Flyte's type engine pickles."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.registry import Finding, Rule, register
from flytec.analyzer.rules.types.annotations import pickled_parts, transformer_packages
from flytec.model import body as ir
from flytec.model.diagnostic import Category, Severity
from flytec.model.span import Span


@register
class PickledAnnotation(Rule):
    code = "FLY202"
    name = "pickled-annotation"
    category = Category.TYPE
    severity = Severity.WARNING
    summary = "A task's input or output type has no Flyte type and will be pickled."
    why = (
        "Types without a Flyte transformer (`bytes`, sets, `Any`, bare `list`, plain"
        " classes; each value of a `dict[str, Any]`) fall back to pickle: the value is opaque"
        " in the UI, cannot be used from"
        " another language, only loads under the same Python version, and large pickles are"
        " offloaded to blob storage."
    )
    fix = (
        "Use a typed container (`list[int]`, `dict[str, float]`), a dataclass or pydantic"
        " model, or `flyte.io.File` for raw bytes."
    )
    bad = """
import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task
async def tags(names: list[str]) -> set[str]:
    return set(names)
"""
    good = """
import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task
async def tags(names: list[str]) -> list[str]:
    return sorted(set(names))
"""

    details = (
        "Types of Flyte plugins count as known where the plugin is installed: always for"
        " `polars`, `pandera`, `pyspark`, `dask`, `ray` and `flyteplugins.*`; `lance`,"
        " `omegaconf` and `datasets` where the task's image installs `flyteplugins-lance`,"
        " `flyteplugins-omegaconf` (or `-hydra`) or `flyteplugins-huggingface` with"
        " `with_pip_packages(...)`; and the packages a uv project the image installs"
        " (`with_uv_project(Path(__file__).parent / \"pkg/pyproject.toml\")`) names in its"
        " `[project.entry-points.\"flyte.plugins.types\"]`. List your own transformers' types"
        " under `[tool.flytec] transformer-types`. Each element of a tuple return type is"
        " named by its output (`o0`, `o1`, ...)."
    )

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for t in ctx.tasks():
            if not ctx.reported(t.path):
                continue
            fn = t.function
            known = transformer_packages(ctx, ctx.env(t))
            items: list[tuple[str, ir.Expr]] = [
                (f"parameter `{p.name}`", p.annotation)
                for p in fn.params
                if p.annotation is not None
            ]
            if fn.returns is not None:
                items.extend(_outputs(ctx, t.module, fn.returns))
            for what, ann in items:
                for v in pickled_parts(ctx, t.module, ann, known):
                    span = v.span if isinstance(v.span, Span) else fn.name_span
                    tail = "" if v.complete else ", so Flyte will pickle it"
                    yield Finding(
                        t.path,
                        span,
                        f"{what} of task `{t.fqn}` is `{v.text}`: {v.reason}{tail}",
                        task=t.fqn,
                        severity=None if v.certain else Severity.INFO,
                    )


_TUPLES = ("builtins.tuple", "typing.Tuple")


def _outputs(ctx: RuleContext, module: str, returns: ir.Expr) -> list[tuple[str, ir.Expr]]:
    """The return annotation, or each output (``o0``, ``o1``...) of a ``tuple[...]`` return."""
    if isinstance(returns, ir.Subscript):
        r = ctx.resolver.resolve(module, returns.value)
        idx = returns.index
        if r is not None and r.kind == "external" and r.dotted in _TUPLES \
                and isinstance(idx, ir.Seq) and idx.kind == "tuple" and not any(
                    isinstance(a, ir.Const) and a.kind == "ellipsis" for a in idx.elts):
            return [(f"output `o{i}`", a) for i, a in enumerate(idx.elts)]
    return [("the return type", returns)]
