"""Round 2 of precision and recall: cases met reading unionai-examples' v2 docs examples
(docs/precision.md). Each program is written here, small and realistic."""

from __future__ import annotations

from tests.conftest import CheckFn, codes

ENV = 'import flyte\n\nenv = flyte.TaskEnvironment(name="etl")\n'


def messages(result: object, code: str) -> list[str]:
    return [d.message for d in result.diagnostics if d.code == code]  # type: ignore[attr-defined]


# ------------------------------------------------------------------------------ FLY202


def test_file_through_a_private_flyte_module_is_the_public_file(check: CheckFn) -> None:
    src = (
        "from flyte.io._file import File\nfrom flyte.io._dir import Dir\n" + ENV
        + "\n@env.task\nasync def count(f: File, d: Dir | None = None) -> int:\n"
        "    async with f.open() as fh:\n        return len(await fh.read())\n"
    )
    assert "FLY202" not in codes(check(src))


def test_a_private_flyte_name_without_a_transformer_is_still_reported(check: CheckFn) -> None:
    src = "from flyte._context import Context\n" + ENV + (
        "\n@env.task\nasync def t(c: Context) -> int:\n    return 1\n"
    )
    assert messages(check(src), "FLY202") == [
        "parameter `c` of task `etl.t` is `Context`: `flyte._context.Context` has no Flyte type"
        " transformer, so Flyte will pickle it"
    ]


PLUGIN = '''
import flyte
from omegaconf import DictConfig

env = flyte.TaskEnvironment(
    name="cfg",
    image=flyte.Image.from_debian_base().with_pip_packages("flyteplugins-omegaconf>=2.0", "numpy"),
)


@env.task
async def lr(cfg: DictConfig) -> float:
    return float(cfg.optimizer.lr)
'''


def test_plugin_types_are_known_where_the_image_installs_the_plugin(check: CheckFn) -> None:
    assert "FLY202" not in codes(check(PLUGIN))


def test_plugin_types_are_reported_where_the_image_lacks_the_plugin(check: CheckFn) -> None:
    src = PLUGIN.replace('"flyteplugins-omegaconf>=2.0", ', "")
    assert codes(check(src)) == ["FLY202"]


def test_plugin_read_through_an_image_variable(check: CheckFn) -> None:
    src = '''
import flyte
import lance

image = flyte.Image.from_debian_base(name="lance").with_pip_packages("flyteplugins-lance")
env = flyte.TaskEnvironment(name="lance_env", image=image)


@env.task
async def rows(ds: lance.LanceDataset) -> int:
    return ds.count_rows()
'''
    assert "FLY202" not in codes(check(src))


def test_configured_transformer_types(check: CheckFn) -> None:
    src = "from vectors.types import Vector, Matrix\nimport other\n" + ENV + (
        "\n@env.task\nasync def t(v: Vector, m: Matrix, o: other.Thing) -> int:\n    return 1\n"
    )
    plain = check(src)
    assert codes(plain) == ["FLY202"] * 3
    configured = check(src, transformer_types=["vectors.types.Vector", "other"])
    assert messages(configured, "FLY202") == [
        "parameter `m` of task `etl.t` is `Matrix`: `vectors.types.Matrix` has no Flyte type"
        " transformer, so Flyte will pickle it"
    ]


def test_transformer_types_in_pyproject(tmp_path: object) -> None:
    from pathlib import Path

    import pytest

    from flytec.config import ConfigError, parse_table

    assert parse_table({"transformer-types": ["a.B", "c"]}, "x").transformer_types == ["a.B", "c"]
    with pytest.raises(ConfigError, match="not a dotted name"):
        parse_table({"transformer-types": ["a B"]}, "x")
    assert isinstance(tmp_path, Path)


def test_dict_of_any_says_each_value_is_pickled(check: CheckFn) -> None:
    from typing import Any  # noqa: F401  (the program below imports it)

    src = "from typing import Any\n" + ENV + (
        "\n@env.task\nasync def t(rows: list[dict[str, Any]]) -> dict:\n    return rows[0]\n"
    )
    assert messages(check(src), "FLY202") == [
        "parameter `rows` of task `etl.t` is `dict[str, Any]`: each value is pickled (`Any`"
        " tells Flyte nothing about the values; a bare `dict` travels as msgpack)"
    ]


def test_tuple_outputs_are_named(check: CheckFn) -> None:
    src = "from typing import Any\n" + ENV + (
        "\n@env.task\nasync def t() -> tuple[int, Any, Any]:\n    return 1, 2, 3\n"
    )
    assert messages(check(src), "FLY202") == [
        "output `o1` of task `etl.t` is `Any`: `Any` tells Flyte nothing about the value, so"
        " Flyte will pickle it",
        "output `o2` of task `etl.t` is `Any`: `Any` tells Flyte nothing about the value, so"
        " Flyte will pickle it",
    ]


# ------------------------------------------------------------------------------ FLY502

FILE_ENV = "import io\nimport json\n\nimport flyte\nfrom flyte.io import File\n" + (
    '\nenv = flyte.TaskEnvironment(name="etl")\n')


def test_a_name_rebound_to_a_local_file_is_not_the_flyte_file(check: CheckFn) -> None:
    src = FILE_ENV + '''
@env.task
async def convert(src: File) -> File:
    async with src.open("rb") as f:
        rows = json.loads(await f.read())
    tmp = "/tmp/out.json"
    with open(tmp, "w") as f:
        json.dump(rows, f)
    with open(tmp, "rb") as f:
        data = f.read()
    out = File.new_remote()
    async with out.open("wb") as g:
        await g.write(data)
    return out
'''
    assert "FLY502" not in codes(check(src))


def test_the_same_read_before_the_rebinding_is_still_reported(check: CheckFn) -> None:
    src = FILE_ENV + '''
@env.task
async def count(src: File) -> int:
    async with src.open("rb") as f:
        data = await f.read()
    n = data.count(b"\\n")
    with open("/tmp/x", "rb") as f:
        f.read()
    return n
'''
    result = check(src)
    assert [(d.code, d.span.line) for d in result.diagnostics] == [("FLY502", 12)]


def test_content_returned_whole_as_the_output(check: CheckFn) -> None:
    src = FILE_ENV + '''
@env.task
async def read_text(f: File) -> str:
    async with f.open("rb") as fh:
        return (await fh.read()).decode("utf-8")
'''
    assert "FLY502" not in codes(check(src))


def test_content_parsed_whole_by_a_helper_like_by_a_parser(check: CheckFn) -> None:
    src = FILE_ENV + '''
def load_table(data: bytes, name: str) -> dict:
    print(name)
    return json.load(io.BytesIO(data))


@env.task
async def merge(a: File, b: File) -> int:
    async with a.open("rb") as f:
        left = json.load(io.BytesIO(await f.read()))

    def parse(raw: bytes) -> dict:
        return json.loads(raw)

    async with b.open("rb") as f:
        right_bytes = await f.read()
    right = parse(right_bytes)
    async with b.open("rb") as f:
        again = load_table(await f.read(), "b")
    return len(left) + len(right) + len(again)
'''
    assert "FLY502" not in codes(check(src))


# ------------------------------------------------------------------------ FLY301-FLY304

ND = '''
import os
import random
import time
from datetime import datetime

import numpy as np
import torch

import flyte

env = flyte.TaskEnvironment(name="sim")


@env.task
async def child(x: str) -> str:
    return x
'''


def test_draws_after_seeding_the_global_generator_repeat(check: CheckFn) -> None:
    src = ND + '''

@env.task(cache="auto")
async def ensemble(member: int, base: list[float]) -> list[float]:
    torch.manual_seed(42 + member)
    noise = torch.randn_like(torch.tensor(base)) * 0.01
    random.seed(member)
    jitter = random.random()
    np.random.seed(member)
    pick = np.random.choice(len(base))
    return [float(x) + jitter + pick for x in noise]
'''
    assert "FLY304" not in codes(check(src))


def test_a_seed_helper_counts_and_an_unseeded_or_clock_seed_does_not(check: CheckFn) -> None:
    src = ND + '''

def set_seed(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)


@env.task(cache="auto")
async def seeded(n: int) -> float:
    set_seed(n)
    return random.random() + float(np.random.rand())


@env.task(cache="auto")
async def clock_seed(n: int) -> float:
    random.seed(time.time())
    return random.random()


@env.task(cache="auto")
async def drawn_before_seeding(n: int) -> float:
    x = random.random()
    random.seed(n)
    return x


@env.task(cache="auto")
async def os_seed(n: int) -> float:
    random.seed()
    return random.random()
'''
    result = check(src)
    assert [(d.code, d.task) for d in result.diagnostics] == [
        ("FLY304", "sim.clock_seed"),
        ("FLY304", "sim.drawn_before_seeding"),
        ("FLY304", "sim.os_seed"),
    ]
    assert "time.time()" in result.diagnostics[0].message


def test_credentials_read_by_subscript_are_not_sources(check: CheckFn) -> None:
    src = ND + '''

@env.task
async def clone(repo: str) -> str:
    token = os.environ["GITHUB_TOKEN"]
    url = f"https://x-access-token:{token}@github.com/{repo}"
    return url
'''
    assert "FLY304" not in codes(check(src))
    # configuration is fixed by the task template; what Kubernetes sets per pod is not
    assert "FLY304" not in codes(check(src.replace("GITHUB_TOKEN", "GIT_BRANCH")))
    assert codes(check(src.replace("GITHUB_TOKEN", "MY_POD_IP"))) == ["FLY304"]
    assert codes(check(src.replace('os.environ["GITHUB_TOKEN"]', "str(dict(os.environ))"))) \
        == ["FLY304"]


def test_one_finding_per_task_output_with_the_others_related(check: CheckFn) -> None:
    src = ND + '''

@env.task(cache="auto")
async def simulate(steps: int) -> dict[str, float]:
    start = datetime.now()
    total = sum(range(steps))
    elapsed = (datetime.now() - start).total_seconds()
    return {"total": float(total), "elapsed": elapsed}
'''
    result = check(src)
    [d] = result.diagnostics
    assert (d.code, d.span.line) == ("FLY304", 22)
    assert [(r.span.line, r.message) for r in d.related] == [
        (24, "`datetime.now()` also reaches the output of task `sim.simulate`")]


def test_a_cached_driver_returning_a_clock_read_is_reported(check: CheckFn) -> None:
    src = ND + '''

@env.task(cache="auto")
async def driver(x: str) -> str:
    y = await child(x)
    return f"{y} at {time.time()}"


@env.task
async def uncached_driver(x: str) -> str:
    y = await child(x)
    return f"{y} at {time.time()}"


@env.task(cache="auto")
async def cached_driver_of_results(x: str) -> str:
    return await child(x) + await child(x + "!")
'''
    result = check(src)
    assert [(d.code, d.task, d.severity.value) for d in result.diagnostics] == [
        ("FLY304", "sim.driver", "warning")]


def test_the_attempt_number_is_blamed_not_the_environment_flag(check: CheckFn) -> None:
    src = ND + '''

def forced(flag: str) -> bool:
    return bool(os.getenv(flag))


def attempt() -> int:
    tc = flyte.ctx()
    return tc.attempt_number if tc is not None else 0


@env.task(retries=2)
async def scan(source: str) -> str:
    if forced("FORCE_OOM") and attempt() == 0:
        raise RuntimeError("simulated OOM")
    return await child(source)


@env.task(retries=3)
async def crash(n: int) -> str:
    attempt_no = int(os.environ["FLYTE_ATTEMPT_NUMBER"])
    if attempt_no == 0 or (attempt_no == 1 and n == 4):
        raise RuntimeError("simulated")
    return await child(str(n))
'''
    result = check(src)
    got = [(d.code, d.span.line, d.message.split(" differs")[0]) for d in result.diagnostics]
    assert got == [
        ("FLY302", 31, "`attempt()`"),
        ("FLY302", 38, "`os.environ['FLYTE_ATTEMPT_NUMBER']`"),
    ]


def test_two_reads_in_one_condition_are_one_finding(check: CheckFn) -> None:
    src = ND + '''

def attempt() -> int:
    return int(os.environ.get("FLYTE_ATTEMPT_NUMBER", "0"))


@env.task(retries=3)
async def stress(n: int) -> str:
    for i in range(n):
        if attempt() == 0 or (attempt() == 1 and i == 4):
            raise RuntimeError("simulated")
        await child(str(i))
    return "ok"
'''
    result = check(src)
    [d] = result.diagnostics
    assert d.code == "FLY302"
    assert len(d.related) == 1 and d.related[0].message.startswith("`attempt()` also")


# ------------------------------------------------------------------------ FLY504, FLY506

FAN = '''
import asyncio

import flyte

env = flyte.TaskEnvironment(name="fan")

SHARDS = 300 * 1_000


@env.task
async def work(i: int) -> int:
    return i
'''


def test_map_over_an_input_is_an_info(check: CheckFn) -> None:
    src = FAN + '''

@env.task
def main(xs: list[int]) -> list[int]:
    return list(flyte.map(work, xs, return_exceptions=False))
'''
    [d] = check(src).diagnostics
    assert (d.code, d.severity.value) == ("FLY504", "info")


def test_map_over_a_known_large_iterable_is_a_warning(check: CheckFn) -> None:
    src = FAN + '''

@env.task
def big() -> list[int]:
    ids = [i * 2 for i in range(5_000)]
    return list(flyte.map(work, ids, return_exceptions=False))


@env.task
def small() -> list[int]:
    return list(flyte.map(work, range(100), return_exceptions=False))


@env.task
def bounded() -> list[int]:
    return list(flyte.map(work, range(5_000), concurrency=50, return_exceptions=False))
'''
    result = check(src)
    assert [(d.code, d.severity.value, d.task) for d in result.diagnostics] == [
        ("FLY504", "warning", "fan.big")]
    assert "all 5,000 items at once" in result.diagnostics[0].message


def test_static_fanout_past_the_run_scale(check: CheckFn) -> None:
    src = FAN + '''

@env.task
async def loop() -> int:
    total = 0
    for i in range(200_000):
        total += await work(i)
    return total


@env.task
async def gathered() -> list[int]:
    return list(await asyncio.gather(*[work(i) for i in range(SHARDS)]))


@env.task
def mapped() -> list[int]:
    return list(flyte.map(work, range(0, 120_000), concurrency=100, return_exceptions=False))


@env.task
async def batched() -> int:
    total = 0
    for start in range(0, 200_000, 10_000):
        total += await work(start)
    return total


@env.task
async def not_tasks() -> int:
    return sum(i for i in range(1_000_000))
'''
    result = check(src)
    got = [(d.code, d.task) for d in result.diagnostics]
    assert got == [("FLY506", "fan.loop"), ("FLY506", "fan.gathered"), ("FLY506", "fan.mapped")]
    assert "launches 300,000 sub-tasks" in result.diagnostics[1].message


# ------------------------------------------------------------------------ FLY111, FLY112

ASYNC = '''
import asyncio

import flyte

env = flyte.TaskEnvironment(name="agent")


@env.task
async def step(x: str) -> str:
    return x


def log(x: object) -> None:
    print(x)
'''


def test_gather_and_create_task_as_bare_statements(check: CheckFn) -> None:
    src = ASYNC + '''

@env.task
async def fire(xs: list[str]) -> str:
    asyncio.gather(step("a"), step("b"))
    asyncio.create_task(step("c"))
    asyncio.gather(*[step(x) for x in xs])
    return "done"


@env.task
async def fine(xs: list[str]) -> list[str]:
    await asyncio.gather(step("a"), step("b"))
    t = asyncio.create_task(step("c"))
    asyncio.gather(asyncio.sleep(1))  # no task calls: not this rule's business
    return [await t]
'''
    result = check(src)
    assert [(d.code, d.span.line) for d in result.diagnostics if d.code == "FLY111"] == [
        ("FLY111", 20), ("FLY111", 21), ("FLY111", 22)]


def test_result_bound_only_under_a_condition(check: CheckFn) -> None:
    src = ASYNC + '''

@env.task
async def search_all(queries: list[str]) -> list[str]:
    calls = [step(q) for q in queries]
    found_all = []
    if calls:
        found = await asyncio.gather(*calls)
    found_all.extend(found)
    return found_all
'''
    result = check(src)
    [d] = result.diagnostics
    assert (d.code, d.span.line) == ("FLY112", 24)
    assert [r.span.line for r in d.related] == [23]


def test_result_bound_on_every_path_is_fine(check: CheckFn) -> None:
    src = ASYNC + '''

@env.task
async def with_default(queries: list[str]) -> list[str]:
    found: list[str] = []
    if queries:
        found = list(await asyncio.gather(*[step(q) for q in queries]))
    return found


@env.task
async def with_else(q: str) -> str:
    if q:
        out = await step(q)
    else:
        out = ""
    return out


@env.task
async def early_return(q: str) -> str:
    if not q:
        return ""
    if q:
        out = await step(q)
    if q:
        log(out)
    return q


@env.task
async def else_leaves(q: str) -> str:
    if q:
        out = await step(q)
    else:
        raise ValueError("empty")
    return out


@env.task
async def not_a_result(q: str) -> str:
    if q:
        label = q.upper()
    return label
'''
    assert "FLY112" not in codes(check(src))


# ------------------------------------------------------------------------ FLY401, FLY402

STATE = '''
import flyte

env = flyte.TaskEnvironment(name="reg")


class Registry:
    items: dict[str, int] = {}
    names = []


class Config:
    value = None
    threshold = 0.5
'''


def test_class_attributes_are_module_state(check: CheckFn) -> None:
    src = STATE + '''

@env.task
async def register(k: str, v: int) -> None:
    Registry.items[k] = v
    Registry.names.append(k)
    Config.value = k


@env.task
async def lookup(k: str) -> int:
    print(Config.value)
    return Registry.items.get(k, 0) + len(Registry.names)
'''
    result = check(src)
    got = [(d.code, d.span.line) for d in result.diagnostics]
    assert got == [("FLY401", 19), ("FLY401", 20), ("FLY401", 21),
                   ("FLY402", 26), ("FLY402", 27), ("FLY402", 27)]
    assert "class attribute `Registry.items` (a dict)" in result.diagnostics[0].message


def test_class_attribute_lazy_init_and_reads_of_constants_are_fine(check: CheckFn) -> None:
    src = STATE + '''

@env.task
async def init(k: str) -> str:
    if Config.value is None:
        Config.value = k
    return str(Config.value)


@env.task
async def use(x: float) -> bool:
    return x > Config.threshold
'''
    assert codes(check(src)) == []


# ------------------------------------------------------------------------------ FLY303

ORDER = '''
import glob
import os
from pathlib import Path

import flyte

env = flyte.TaskEnvironment(name="files")


@env.task
async def merge(acc: str, name: str) -> str:
    return acc + name


@env.task
async def check(name: str) -> bool:
    return name.endswith(".ok")
'''


def test_unordered_iteration_deciding_sequential_calls(check: CheckFn) -> None:
    src = ORDER + '''

@env.task
async def fold_listing(d: str) -> str:
    acc = ""
    for name in os.listdir(d):
        acc = await merge(acc, name)
    return acc


@env.task
async def fold_set(names: list[str]) -> str:
    acc = ""
    for name in set(names):
        acc = await merge(acc, name)
    return acc


@env.task
async def first_ok(d: str) -> str:
    for p in Path(d).iterdir():
        if await check(p.name):
            return p.name
    return ""


@env.task
async def stop_early(pattern: str) -> int:
    n = 0
    for f in glob.glob(pattern):
        if not await check(f):
            break
        n += 1
    return n


@env.task
async def path_glob(root: str) -> str:
    base = Path(root)
    acc = ""
    for f in base.glob("*.csv"):
        acc = await merge(acc, f.name)
    return acc
'''
    result = check(src)
    got = [(d.code, d.task) for d in result.diagnostics]
    assert got == [("FLY303", "files.fold_listing"), ("FLY303", "files.fold_set"),
                   ("FLY303", "files.first_ok"), ("FLY303", "files.stop_early"),
                   ("FLY303", "files.path_glob")]
    assert result.diagnostics[0].message.endswith(
        "and decides the inputs of the sub-tasks the loop launches one after another: the call"
        " at line 25 takes an earlier call's result (line 24)")
    assert "before the loop stops at line" in result.diagnostics[2].message


def test_one_task_per_item_in_any_order_is_fine(check: CheckFn) -> None:
    src = ORDER + '''

@env.task
async def each(d: str) -> int:
    n = 0
    for name in os.listdir(d):
        if await check(name):
            n += 1
    return n


@env.task
async def sorted_fold(d: str) -> str:
    acc = ""
    for name in sorted(os.listdir(d)):
        acc = await merge(acc, name)
    return acc
'''
    assert codes(check(src)) == []


# ------------------------------------------------------------------------------ FLY609


def test_module_level_imports_judged_by_the_images_the_module_pins(check: CheckFn) -> None:
    src = '''
from datetime import UTC, datetime

import flyte

env = flyte.TaskEnvironment(
    name="ws",
    image=flyte.Image.from_debian_base(python_version=(3, 12)).with_pip_packages("fastapi"),
)


@env.task
async def stamp() -> str:
    return datetime.now(UTC).isoformat()
'''
    assert "FLY609" not in codes(check(src))
    unpinned = src.replace("python_version=(3, 12)", "name='ws'")
    assert "FLY609" in codes(check(unpinned))


def test_langchain_messages_are_pydantic_models(check: CheckFn) -> None:
    src = "from langchain_core.messages import BaseMessage\n" + ENV + (
        "\n@env.task\nasync def chat(q: str) -> list[BaseMessage]:\n    return []\n")
    assert "FLY202" not in codes(check(src))


def test_types_a_uv_project_in_the_image_registers(check: CheckFn, tmp_path: object,
                                                    monkeypatch: object) -> None:
    from pathlib import Path

    import pytest

    assert isinstance(tmp_path, Path) and isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.chdir(tmp_path)
    src = '''
from pathlib import Path

from units import Meters

import flyte

env = flyte.TaskEnvironment(
    name="units",
    image=flyte.Image.from_debian_base().with_uv_project(
        Path(__file__).parent / "units_pkg/pyproject.toml", project_install_mode="install_project"
    ),
)


@env.task
def double(x: Meters) -> Meters:
    return x
'''
    pyproject = (
        '[project]\nname = "units"\nversion = "0.1.0"\n\n'
        '[project.entry-points."flyte.plugins.types"]\nunits = "units.transformer:register"\n'
    )
    files = {"main.py": src, "units_pkg/pyproject.toml": pyproject}
    assert "FLY202" not in codes(check(files, only=["main.py"]))
    files["units_pkg/pyproject.toml"] = pyproject.split("[project.entry-points")[0]
    assert "FLY202" in codes(check(files, only=["main.py"]))


def test_emptiness_of_a_listing_is_not_its_order(check: CheckFn) -> None:
    src = ORDER + '''

@env.task
async def latest(root: Path) -> str:
    found = list((root / "ckpt").glob("*.ckpt"))
    if not found:
        return ""
    return str(max(found, key=lambda p: p.stat().st_mtime))
'''
    assert "FLY304" not in codes(check(src))


def test_completion_order_of_a_cached_driver_is_not_an_output_source(check: CheckFn) -> None:
    src = ND + '''

@env.task(cache="auto")
async def collect(xs: list[str]) -> list[str]:
    out = []
    for fut in asyncio.as_completed([child(x) for x in xs]):
        out.append(await fut)
    return sorted(out) if len(out) > 3 else out
'''
    assert "FLY304" not in codes(check("import asyncio\n" + src))


# ------------------------------------------------------------------------------ FLY610


def test_flyte_accelerator_names_with_spaces_are_valid(check: CheckFn) -> None:
    src = '''
import flyte

env = flyte.TaskEnvironment(name="gpu", resources=flyte.Resources(cpu="1", gpu="A100 80G:8"))


@env.task
def train() -> int:
    return 1
'''
    assert "FLY610" not in codes(check(src))
    assert "FLY610" in codes(check(src.replace("A100 80G", "My GPU")))


def test_sync_map_in_async_is_one_finding(check: CheckFn) -> None:
    src = FAN + '''

@env.task
async def main(xs: list[int]) -> int:
    return sum(flyte.map(work, xs, concurrency=4))
'''
    assert codes(check(src)) == ["FLY105"]


def test_duplicate_environment_names_in_one_file_are_one_finding(check: CheckFn) -> None:
    src = '''
import flyte

env = flyte.TaskEnvironment(name="training-env")
training_env = flyte.TaskEnvironment(name="training-env")
'''
    [d] = check(src).diagnostics
    assert (d.code, d.span.line) == ("FLY602", 5)
    assert [r.span.line for r in d.related] == [4]


# ------------------------------------------------------------------- related locations


def test_related_locations_in_json_sarif_and_text(check: CheckFn, tmp_path: object) -> None:
    import json
    from pathlib import Path

    from flytec.codegen.report import Report, render

    src = ND + '''

@env.task(cache="auto")
async def simulate(steps: int) -> float:
    start = time.time()
    total = float(sum(range(steps)))
    return total + time.time() - start
'''
    result = check(src)
    assert isinstance(tmp_path, Path)
    [d] = result.diagnostics
    report = Report(diagnostics=result.diagnostics, files=1, cwd=tmp_path, root=tmp_path)
    doc = json.loads(render("json", report))
    [j] = doc["diagnostics"]
    assert j["related"] == [{"path": "main.py", "line": 24, "column": 20, "end_line": 24,
                             "end_column": 31, "message": d.related[0].message}]
    sarif = json.loads(render("sarif", report))
    [res] = sarif["runs"][0]["results"]
    [rel] = res["relatedLocations"]
    assert rel["physicalLocation"]["region"]["startLine"] == 24
    assert rel["message"]["text"] == d.related[0].message
    assert f"= also: main.py:24:20: {d.related[0].message}" in render("text", report)
    # a finding without other places has no `related` key
    plain = check(ND + "\n\n@env.task\nasync def t() -> float:\n    return time.time()\n")
    report = Report(diagnostics=plain.diagnostics, files=1, cwd=tmp_path, root=tmp_path)
    assert "related" not in json.loads(render("json", report))["diagnostics"][0]


def test_related_locations_survive_the_result_cache() -> None:
    from flytec.model.diagnostic import (
        Category,
        Diagnostic,
        RelatedLocation,
        Severity,
        diagnostic_from_json,
        diagnostic_to_json,
    )
    from flytec.model.span import Span

    d = Diagnostic("FLY304", "nondeterministic-output", Category.NONDETERMINISM,
                   Severity.INFO, "a.py", Span(3, 1, 3, 9), "m",
                   related=(RelatedLocation("b.py", Span(7, 2, 7, 5), "also"),))
    assert diagnostic_from_json(diagnostic_to_json(d)) == d
    old = diagnostic_to_json(d)
    del old["related"]  # written before related locations existed
    assert diagnostic_from_json(old).related == ()
