"""The incremental check (issue 11): the same bytes whatever the cache holds, and a change
in an imported module reaches its importers' findings on the next warm run."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from flytec.cli import cli
from tests.conftest import EXAMPLES, write_project

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from projects import write_project as write_generated  # noqa: E402


def run(root: Path, *args: str) -> str:
    old = os.getcwd()
    os.chdir(root)
    try:
        r = CliRunner().invoke(cli, ["check", *args, "-f", "json"])
    finally:
        os.chdir(old)
    assert r.exit_code in (0, 1), r.output
    return r.stdout


def diagnostics(out: str) -> list[dict[str, object]]:
    return list(json.loads(out)["diagnostics"])


def _copy_examples(tmp_path: Path) -> Path:
    root = tmp_path / "ex"
    shutil.copytree(EXAMPLES, root / "examples")
    (root / "pyproject.toml").write_text("[project]\nname = 'ex'\n")
    return root


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.py")
                  if ".flytec_cache" not in p.parts)


@pytest.mark.parametrize("project", ["examples", "generated"])
def test_same_bytes_cold_warm_uncached_serial_and_subsets(tmp_path: Path, project: str) -> None:
    if project == "examples":
        root = _copy_examples(tmp_path)
    else:
        root = tmp_path / "gen"
        write_generated(root, 60)
        # a few real findings across modules
        m5 = root / "mono" / "m5.py"
        m5.write_text(m5.read_text().replace(
            "        out = await transform_5(values=values)",
            "        transform_5(values=values)\n        out = await transform_5(values=values)",
        ))
        m0 = root / "mono" / "m0.py"
        m0.write_text(m0.read_text().replace('name="stage-0"', 'name="Stage_0"'))
    uncached = run(root, ".", "--no-cache")
    assert diagnostics(uncached), "the project should have findings to compare"
    cold = run(root, ".")
    warm = run(root, ".")
    serial = run(root, ".", "-j", "1")
    assert cold == uncached and warm == uncached and serial == uncached
    by_file: dict[str, list[dict[str, object]]] = {}
    for d in diagnostics(uncached):
        by_file.setdefault(str(d["path"]), []).append(d)
    files = _files(root)
    rng = random.Random(11)
    subsets = [[f] for f in rng.sample(files, min(8, len(files)))]
    subsets += [rng.sample(files, min(len(files), k)) for k in (3, 7, 15)]
    for subset in subsets:
        alone = diagnostics(run(root, *subset, "--no-cache"))
        for cache_state in ("warm", "again"):
            got = diagnostics(run(root, *subset))
            assert got == alone, (subset, cache_state)
        expected = [d for f in sorted(subset) for d in by_file.get(f, [])]
        assert sorted(map(json.dumps, alone)) == sorted(map(json.dumps, expected)), subset
    assert run(root, ".") == uncached  # after all the partial runs


A_PY = """
import time

import flyte

NAME = "stage-a"
env_a = flyte.TaskEnvironment(name=NAME)


def stamp() -> int:
    return 7


@env_a.task
async def work(x: int) -> int:
    return x + 1
"""

B_PY = """
import flyte

from a import env_a, stamp, work

env_b = flyte.TaskEnvironment(name="stage-b", depends_on=[env_a])


@env_b.task
async def main(x: int) -> int:
    return await work(x=stamp())
"""


@pytest.mark.parametrize(
    ("edit", "code"),
    [
        # the environment of the task b calls is no longer one b depends on
        (("env_a.task\nasync def work", "env_c.task\nasync def work"), "FLY604"),
        # the task's signature changed under b's call
        (("async def work(x: int)", "async def work(y: int)"), "FLY204"),
        # the helper b calls became non-deterministic
        (("    return 7", "    return int(time.time())"), "FLY301"),
        # a module-level value: a's environment now takes b's environment's name
        (('NAME = "stage-a"', 'NAME = "stage-b"'), "FLY602"),
    ],
    ids=["environment", "signature", "helper-body", "module-variable"],
)
def test_an_edit_in_an_imported_module_reaches_the_importer(
    tmp_path: Path, edit: tuple[str, str], code: str
) -> None:
    write_project(tmp_path, {"a.py": A_PY, "b.py": B_PY})
    assert diagnostics(run(tmp_path, "b.py")) == []
    assert diagnostics(run(tmp_path, "b.py")) == []  # warm
    a = tmp_path / "a.py"
    text = a.read_text()
    assert edit[0] in text
    text = text.replace(*edit)
    if "env_c" in edit[1]:
        text = text.replace(
            "env_a = flyte", 'env_c = flyte.TaskEnvironment(name="stage-c")\nenv_a = flyte'
        )
    a.write_text(text)
    warm = run(tmp_path, "b.py")
    assert warm == run(tmp_path, "b.py", "--no-cache")
    assert code in {str(d["code"]) for d in diagnostics(warm)}, warm


def test_a_new_file_that_shadows_an_import_is_seen(tmp_path: Path) -> None:
    """Module look-ups are asked again when files appear: `helpers` now resolves to a local
    module whose helper is non-deterministic."""
    files = {
        "pkg/__init__.py": "",
        "pkg/flow.py": textwrap.dedent("""
            import flyte
            from helpers import value

            env = flyte.TaskEnvironment(name="flow")


            @env.task
            async def leaf(x: int) -> int:
                return x


            @env.task
            async def main() -> int:
                return await leaf(x=value())
        """),
    }
    write_project(tmp_path, files)
    assert diagnostics(run(tmp_path, "pkg/flow.py")) == []
    (tmp_path / "pkg" / "helpers.py").write_text(
        "import random\n\n\ndef value() -> int:\n    return random.randint(0, 9)\n"
    )
    warm = run(tmp_path, "pkg/flow.py")
    assert warm == run(tmp_path, "pkg/flow.py", "--no-cache")
    assert "FLY301" in {str(d["code"]) for d in diagnostics(warm)}


UNAWAITED = B_PY.replace("return await", "work(x=1)\n    return await")


def _index(root: Path) -> Path:
    [index] = (root / ".flytec_cache" / "results").glob("*.json")
    return index


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty", "foreign-key"])
def test_a_corrupt_index_is_ignored_and_rewritten(tmp_path: Path, damage: str) -> None:
    write_project(tmp_path, {"a.py": A_PY, "b.py": UNAWAITED})
    first = run(tmp_path, ".")
    assert diagnostics(first)
    index = _index(tmp_path)
    blob = index.read_bytes()
    if damage == "truncate":
        index.write_bytes(blob[: len(blob) // 2])
    elif damage == "garbage":
        index.write_bytes(os.urandom(len(blob)))
    elif damage == "empty":
        index.write_bytes(b"")
    else:  # a well-formed index sealed by someone else, claiming there is nothing to report
        from flytec import cache_trust

        payload = cache_trust.unseal("check-results", blob)
        assert payload is not None
        data = json.loads(payload)
        for entry in data["results"].values():
            entry[1] = []
        os.environ["FLYTEC_CACHE_KEY"] = "someone-else"
        cache_trust.reset_key()
        try:
            index.write_bytes(cache_trust.seal("check-results", json.dumps(data).encode()))
        finally:
            del os.environ["FLYTEC_CACHE_KEY"]
            cache_trust.reset_key()
    again = run(tmp_path, ".")
    assert again == first
    from flytec import cache_trust

    assert cache_trust.unseal("check-results", _index(tmp_path).read_bytes()) is not None


def test_two_checks_at_once_share_one_cache(tmp_path: Path) -> None:
    root = tmp_path / "gen"
    write_generated(root, 120)
    expected = run(root, ".", "--no-cache")
    procs = [
        subprocess.Popen([sys.executable, "-m", "flytec", "check", ".", "-f", "json"], cwd=root,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [o[1] for o in outs]
    assert [o[0] for o in outs] == [expected, expected]
    assert run(root, ".") == expected
