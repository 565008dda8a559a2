"""Values Kubernetes refuses: FLY610 in ``check``, and ``build`` writes no manifests.

Also ``--validate`` without the ``k8s`` extra: one line naming the extra, before any work.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from k8s_helpers import flytec_lines

from flytec.cli import cli
from flytec.model import kube_values as kv

BAD_ENV = '''
import flyte

env = flyte.TaskEnvironment(
    name="bad",
    image="my image:1\\n x",
    env_vars={"BAD NAME": "1", "GOOD": "$(HOME)"},
    secrets=[flyte.Secret(key="a/b c"), flyte.Secret(key="ok", group="My Group")],
    resources=flyte.Resources(cpu="key: value", memory=("2Gi", "1Gi"), gpu="T4:x"),
)


@env.task(service_account="Not_Valid")
async def main(x: int = 1) -> int:
    return x
'''


def _project(tmp_path: Path, code: str) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'vals'\n")
    (tmp_path / "vals.py").write_text(textwrap.dedent(code))
    return tmp_path


@pytest.mark.parametrize("ref", [
    "python:3.12", "ghcr.io/acme/etl:1.2", "localhost:5000/a/b", "registry.example.com/shop:1.4",
    "flytec-project:latest", "a/b__c-d.e:T_1", "x@sha256:" + "a" * 64, "[::1]:5000/img",
    "Registry.Example.com:443/team/img:v1.0-rc.1",
])
def test_valid_image_references(ref: str) -> None:
    assert kv.image_problem(ref) is None


@pytest.mark.parametrize("ref", [
    "", " python", "my image:1", "a\nb", "Ubuntu", "{{workflow.parameters.image}}",
    "x:$(HOME)", "img:tag:other", "img@sha256:short", "a//b", "-a/b", "img:" + "t" * 129,
    "a" * 256,
])
def test_invalid_image_references(ref: str) -> None:
    assert kv.image_problem(ref) is not None


@pytest.mark.parametrize("text", ["1", "0.5", ".5", "500m", "2Gi", "1.5Gi", "1e3", "12E-1", "4k",
                                  "+1", "0"])
def test_valid_quantities(text: str) -> None:
    assert kv.quantity_problem(text) is None


@pytest.mark.parametrize("text", ["", "key: value", "1 Gi", "1GiB", "1gi", "-1", "1.2.3", "Gi",
                                  "$(MEM)", "1e", "0x10"])
def test_invalid_quantities(text: str) -> None:
    assert kv.quantity_problem(text) is not None


def test_quantity_amounts_compare_requests_and_limits() -> None:
    assert kv.quantity_value("1Gi") == 1024 ** 3 and kv.quantity_value("250m") * 4 == 1
    assert kv.resource_problems({"cpu": ["500m", "1"], "memory": ("1Gi", "1024Mi")}) == []
    assert kv.resource_problems({"memory": ["2Gi", "1G"]})[0][0] == "memory"
    assert kv.resource_problems({"gpu": 1}) == [] and kv.resource_problems({"gpu": "T4:1"}) == []
    assert kv.resource_problems({"gpu": "T4:1.5"}) and kv.resource_problems({"gpu": -1})


def test_names_and_keys() -> None:
    assert kv.env_name_problem("OPENAI_API_KEY") is None and kv.env_name_problem("a.b-c") is None
    for bad in ("BAD NAME", "1X", "", "A=B", "$(X)", "{{x}}"):
        assert kv.env_name_problem(bad) is not None, bad
    assert kv.secret_key_problem("openai_api.key-1") is None
    for bad in ("a/b c", "", ".", "..", "k{{x}}"):
        assert kv.secret_key_problem(bad) is not None, bad
    assert kv.dns_subdomain_problem("my-sa.team") is None
    assert kv.dns_subdomain_problem("Not_Valid") is not None
    # a secret's variable is reported once when it only echoes a bad key
    assert [f for f, _ in kv.secret_problems({"key": "a/b c"})] == ["key"]
    assert [f for f, _ in kv.secret_problems({"key": "k", "as_env_var": "A B"})] == ["as_env_var"]


def test_check_reports_each_refused_value_with_its_line(tmp_path: Path) -> None:
    project = _project(tmp_path, BAD_ENV)
    res = CliRunner().invoke(cli, ["check", str(project), "--format", "json"])
    assert res.exit_code == 1, res.output
    import json

    found = [(d["line"], d["message"]) for d in json.loads(res.output)["diagnostics"]
             if d["code"] == "FLY610"]
    lines = sorted({line for line, _ in found})
    assert lines == [6, 7, 8, 9, 13], found
    text = " ".join(m for _, m in found)
    for what in ("image 'my image:1\\n x'", "'BAD NAME'", "'a/b c'", "'My Group'",
                 "cpu: 'key: value'", "memory: the request '2Gi' is above the limit '1Gi'",
                 "'T4:x'", "service account 'Not_Valid'"):
        assert what in text, what
    assert "GOOD" not in text  # a value is not a name: `$(HOME)` is escaped, not refused


def test_build_writes_no_manifest_with_a_refused_value(tmp_path: Path) -> None:
    project = _project(tmp_path, BAD_ENV)
    out = tmp_path / "out"
    for target in ("argo", "jobs"):
        res = CliRunner().invoke(cli, ["build", str(project), "-o", str(out), "--target", target,
                                       "-q"])
        assert res.exit_code == 1, res.output
        assert "vals.py:14: task `bad.main`: env var name 'BAD NAME' is not valid" in res.output
        assert "no manifests written" in res.output
        assert not list(out.glob("*.yaml"))


def test_build_refuses_a_bad_image_option(tmp_path: Path) -> None:
    project = _project(tmp_path, '''
        import flyte

        env = flyte.TaskEnvironment(name="ok")


        @env.task
        async def main() -> int:
            return 1
    ''')
    for image in ("{{workflow.parameters.img}}", "my image", "Upper/Case"):
        res = CliRunner().invoke(cli, ["build", str(project), "-o", str(tmp_path / "out"),
                                       "--target", "jobs", "--image", image])
        assert res.exit_code == 2 and "not an image name" in res.output, res.output


def test_validate_without_the_k8s_extra_names_it(tmp_path: Path) -> None:
    """As with the default install (no ``flytec[k8s]``): the packages cannot be imported."""
    project = _project(tmp_path, '''
        import flyte

        env = flyte.TaskEnvironment(name="ok", image="python:3.12")


        @env.task
        async def main() -> int:
            return 1
    ''')
    script = textwrap.dedent(f"""
        import sys
        for name in ("kubernetes_validate", "hera", "jsonschema"):
            sys.modules[name] = None  # what a missing package looks like to import
        from flytec.cli import main
        sys.argv = ["flytec", "build", {str(project)!r}, "-o", {str(tmp_path / "out")!r},
                    "--target", "argo", "--validate"]
        main()
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert flytec_lines(proc.stderr) == [
        "flytec: error: --validate needs the k8s extra, which is not installed (missing: "
        "kubernetes-validate, hera, jsonschema): pip install 'flytec[k8s]'"]
    assert "Traceback" not in proc.stderr and not (tmp_path / "out").exists()
