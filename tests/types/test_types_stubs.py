"""flytec's Flyte 2 stubs: valid, complete for ``flyte.__all__``, used only when needed."""

from __future__ import annotations

import ast
import importlib.util
import os
import sys
from pathlib import Path

import pytest
from mypy import api
from types_helpers import real_flyte_python

from flytec.analyzer.types import stubs_dir
from flytec.analyzer.types.stubs_path import probe_flyte, stubs_hash, use_stubs

# flyte.__all__ of flyte 2.12.1 (the PyPI release flytec models).
FLYTE_ALL = """
AMD_GPU APPLE_SILICON GPU HABANA_GAUDI TPU AppHandle AsyncFunctionTaskTemplate Backoff
BaseCheckpoint Cache CachePolicy CacheRequest Checkpoint ConditionWebhook Cron Device
DeviceClass Documentation Environment FixedRate Image ImageBuild Link Neuron OnArtifact
PodTemplate Resources RetryStrategy ReusePolicy Secret SecretRequest TaskEnvironment
TaskTemplate Timeout TimeoutType Trigger TriggerTime TriggeredArtifact TriggeredPartition
build build_images ctx current_domain current_project custom_context deploy
get_custom_context group init init_from_api_key init_from_config init_in_cluster
init_passthrough is_control_plane_available latest_checkpoint load_interactive_ctx
load_plugin_config logger map new_condition rerun run run_python_script serve
system_logger trace version with_runcontext with_servecontext
""".split()


def _names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            names |= {alias.asname or alias.name for alias in node.names}
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def test_stubs_are_a_package_in_the_flytec_tree() -> None:
    root = stubs_dir()
    assert (root / "flyte" / "__init__.pyi").is_file()
    for module in ("io/__init__.pyi", "errors.pyi", "remote/__init__.pyi", "durable.pyi"):
        assert (root / "flyte" / module).is_file(), module
    assert not list(root.rglob("*.py")), "stubs only"


def test_every_public_name_of_flyte_is_stubbed() -> None:
    missing = sorted(set(FLYTE_ALL) - _names(stubs_dir() / "flyte" / "__init__.pyi"))
    assert missing == []


def test_stubs_pass_mypy_strict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(stubs_dir())
    out, err, status = api.run(
        [
            "--strict",
            "--config-file",
            os.devnull,
            "--cache-dir",
            str(tmp_path),
            "--no-error-summary",
            "-p",
            "flyte",
        ]
    )
    assert status == 0, out + err


def test_stub_hash_is_stable() -> None:
    assert stubs_hash() == stubs_hash() and len(stubs_hash()) == 16


def test_stubs_mode() -> None:
    assert use_stubs("always") is True
    assert use_stubs("never") is False


@pytest.mark.skipif(importlib.util.find_spec("flyte") is not None, reason="flyte is installed here")
def test_auto_uses_stubs_where_flyte_is_absent() -> None:
    assert probe_flyte(None).installed is False
    assert use_stubs("auto") is True
    assert use_stubs("auto", sys.executable) is True


def test_auto_uses_the_real_flyte_where_it_is_installed() -> None:
    python = real_flyte_python()
    if python is None:
        pytest.skip("no Python with the real flyte (set FLYTEC_REAL_FLYTE_PYTHON)")
    probe = probe_flyte(python)
    assert probe.installed and probe.version[:1].isdigit()
    assert use_stubs("auto", python) is False


def test_a_python_that_does_not_run_counts_as_without_flyte(tmp_path: Path) -> None:
    assert probe_flyte(str(tmp_path / "no-such-python")).installed is False
