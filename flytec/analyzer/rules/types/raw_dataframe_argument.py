"""FLY208: a raw ``pandas.DataFrame`` passed to a ``flyte.io.DataFrame`` parameter."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.registry import Finding, Rule, register
from flytec.analyzer.rules.types._calls import bound_calls
from flytec.model.diagnostic import Category, Severity
from flytec.model.unparse import unparse


@register
class RawDataFrameArgument(Rule):
    code = "FLY208"
    name = "raw-dataframe-argument"
    category = Category.TYPE
    severity = Severity.ERROR
    summary = "A raw `pandas.DataFrame` is passed to a task parameter typed `flyte.io.DataFrame`."
    why = (
        "`flyte.io.DataFrame` is a reference to offloaded data; Flyte does not wrap a raw"
        " pandas DataFrame into one. The call fails (\"Did you forget to wrap your dataframe"
        " in a DataFrame instance?\") when the driver reaches it."
    )
    fix = (
        "Wrap it (`flyte.io.DataFrame.from_df(df)`), or have the producing task return a"
        " `flyte.io.DataFrame` and pass that reference through."
    )
    bad = """
import pandas as pd

import flyte
from flyte.io import DataFrame

env = flyte.TaskEnvironment(name="etl")


@env.task
async def load(day: str) -> pd.DataFrame:
    return pd.DataFrame({"day": [day]})


@env.task
async def profile(frame: DataFrame) -> int:
    return 1


@env.task
async def main(day: str) -> int:
    df = await load(day)
    return await profile(df)
"""
    good = """
import pandas as pd

import flyte
from flyte.io import DataFrame

env = flyte.TaskEnvironment(name="etl")


@env.task
async def load(day: str) -> pd.DataFrame:
    return pd.DataFrame({"day": [day]})


@env.task
async def profile(frame: DataFrame) -> int:
    return 1


@env.task
async def main(day: str) -> int:
    df = await load(day)
    return await profile(DataFrame.from_df(df))
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for b in bound_calls(ctx):
            if b.types is None:
                continue
            for expr, p in b.args:
                expected = b.param_type(ctx, p)
                if expected is None or expected.name != "flyte.io.DataFrame":
                    continue
                actual = b.types.of(expr)
                if actual is None or actual.name != "pandas.DataFrame":
                    continue
                yield Finding(
                    b.path,
                    getattr(expr, "span", b.site.span),
                    f"`{unparse(expr)}` is a raw pandas.DataFrame but `{p.name}` of task"
                    f" `{b.task.fqn}` is a flyte.io.DataFrame; the call fails (wrap it with"
                    " `DataFrame.from_df(...)`)",
                    task=ctx.task_fqn(b.caller),
                )
